"""Load benchmark of the web app: concurrent signed-in clients on the VVSG demo data.

The app runs under waitress (as ``toc serve`` runs it) in a child process, listening on a free
port of 127.0.0.1 only, on a temporary copy of the VVSG demo store: the plan, the
illustrative indicators and their measurements loaded as ``make demo`` loads them (or a copy
of ``--store``). Each client signs in with one of the demo accounts, then requests, one after
the other with no pause, the overview, the pathway diagram (whole and filtered by strategic
objective), node pages and indicator pages, chosen at random. The run is bounded: it stops
after ``--duration`` seconds or ``--max-requests`` requests, whichever comes first, and every
request has a timeout.

The M&E officer's clients also ask for the review page (the first page of submitted values).

``--writers N`` measures reads under writes: the run has two phases of ``--duration`` each,
first the readers alone, then the same readers while N more clients (the M&E officer's
account) submit values through the JSON API (``POST /api/measurements``) without pause, each
based on the revision it last saw (a 409 conflict is followed, as a user would, by the latest
revision). ``--write-rate R`` paces them to R submissions per second together (the issue's
load was about 7/s; unpaced, two writers reach 11-19/s). Printed for each phase as above, the
writers' submissions per second, and the ratio of the readers' p95 under writes to their p95
alone; the target then holds for the phase under writes.

``--nodes N`` replaces the demo with a synthetic plan of N nodes (:mod:`bench.synthetic`),
N/10 quarterly indicators (:mod:`bench.indicators`) and 8 values per indicator, approved,
plus a quarter of them again as submitted values waiting for review. ``--store neo4j`` runs
the demo (or ``--nodes``) on the harness Neo4j of the tests (:mod:`graphdb.neo4j_testserver`;
its database is emptied first), ``--store neo4j://...`` on a server of yours (its database
must be empty when ``--nodes`` fills it; without ``--nodes`` it is used as it is).

Printed: requests per second, latency percentiles (p50, p95, p99) overall and per page type,
and the error count (a status other than 200, or no answer). Target: p95 under
``--target-ms`` (100 ms; the issue's figure for a 20,000-node plan is 150 ms with 10 clients)
and no errors.

Run: ``python -m bench.web_load [--clients 20] [--duration 60] [--threads 16]
[--store PATH|neo4j|neo4j://...] [--nodes N] [--writers N [--write-rate R]] [--target-ms 100]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["build_demo_store", "main", "percentile"]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
HOST = "127.0.0.1"
TIMEOUT = 30.0
#: Demo accounts the clients sign in with, in turn (see :mod:`web.demo`).
ACCOUNTS = (
    ("viewer", "demo-viewer-pw"),
    ("partner", "demo-partner-pw"),
    ("me", "demo-me-officer-pw"),
)
TARGET_P95_MS = 100.0
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def build_demo_store(path: Path | str) -> None:
    """Fill a new store at ``path`` (a file, or an empty Neo4j database's URL) as ``make
    demo`` does: the VVSG plan, the illustrative indicators, the illustrative measurements
    (approved), the partners' 2029 values (submitted), one returned value, the illustrative
    evidence and outcomes, and the demo accounts."""
    from graphdb import open_store
    from indicators import catalog, importer
    from indicators.workflow import Action, apply_step
    from toc.learning_file import load_learning
    from toc.planfile import load
    from web.demo import ensure_demo_accounts
    from web.passwords import Hasher

    store = open_store(path)
    try:
        store.save_plan(
            load(EXAMPLES / "vvsg-2027-2036.yaml"), author="demo", message="VVSG plan (demo)"
        )
        catalog.load_definitions(
            store,
            EXAMPLES / "vvsg-indicators.yaml",
            author="demo",
            message="illustrative indicators (demo)",
        )
        importer.import_file(
            store,
            EXAMPLES / "vvsg-measurements-illustrative.csv",
            author="demo",
            role="me_officer",
            approve=True,
        )
        importer.import_file(
            store,
            EXAMPLES / "vvsg-measurements-2029-partners-illustrative.csv",
            author="partner-demo",
            role="contributor",
        )
        apply_step(
            store,
            "ind.so3.o1.sister-associations",
            "2029",
            Action.RETURN,
            author="demo",
            role="me_officer",
            note="Attach the signed agreement as evidence",
        )
        evidence, outcomes = load_learning(EXAMPLES / "vvsg-evidence-illustrative.yaml")
        store.add_learning(evidence, outcomes, author="demo")
        ensure_demo_accounts(store, Hasher())
    finally:
        store.close()


def build_synthetic_store(location: str, nodes: int) -> None:
    """Fill the empty store at ``location`` with a synthetic plan of ``nodes`` nodes, its
    indicators and values (see the module docstring), and the demo accounts."""
    from bench.indicators import synthetic_indicators, synthetic_rows
    from bench.synthetic import synthetic_plan
    from graphdb import open_store
    from indicators import importer
    from web.demo import ensure_demo_accounts
    from web.passwords import Hasher

    plan = synthetic_plan(nodes, nodes * 2)
    indicators = synthetic_indicators(plan, max(1, nodes // 10))
    rows = synthetic_rows(indicators, len(indicators) * 8)
    store = open_store(location)
    try:
        if store.nodes() or store.revision_count():
            raise SystemExit(f"{location}: the store is not empty; --nodes fills an empty one")
        store.save_plan(plan, author="bench", message="synthetic plan (bench)")
        store.save_indicators(indicators, author="bench")
        with tempfile.TemporaryDirectory(prefix="pathways-load-rows-") as tmp:
            approved, submitted = Path(tmp) / "approved.csv", Path(tmp) / "submitted.csv"
            rows.to_csv(approved, index=False)
            # a quarter of the measurements (whole, with their parts) changed by the partners
            keys = rows[["indicator", "period"]].drop_duplicates().sample(frac=0.25, random_state=1)
            later = rows.merge(keys, on=["indicator", "period"])
            later["value"] = later["value"].map(lambda v: v if v == "" else f"{float(v) + 1:g}")
            later.to_csv(submitted, index=False)
            for path, role, approve in ((approved, "me_officer", True),
                                        (submitted, "contributor", False)):  # fmt: skip
                report = importer.import_file(
                    store, path, author="bench", role=role, approve=approve
                )
                if report.errors:
                    raise SystemExit(f"synthetic values refused: {report.problems[:3]}")
        ensure_demo_accounts(store, Hasher())
    finally:
        store.close()


def _serve(location: str, threads: int, pipe) -> None:
    """The child process: the app under waitress on a free loopback port, sent back through
    ``pipe``; serves until the parent ends the process."""
    import logging

    from waitress.server import create_server

    from web import create_app

    # Waitress warns when requests queue for a thread: that is what a load test does.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    config: dict[str, object] = {"TOC_STORE": location, "SECRET_KEY": "bench-" + "k" * 40}
    if os.environ.get("PIN"):
        os.sched_setaffinity(0, {int(os.environ["PIN"])})
    if os.environ.get("LIMIT"):
        config["MAX_CONCURRENT_REQUESTS"] = int(os.environ["LIMIT"])
    if os.environ.get("STORE_VERSION_SECONDS"):
        config["STORE_VERSION_SECONDS"] = float(os.environ["STORE_VERSION_SECONDS"])
    app = create_app(config)
    server = create_server(app, host=HOST, port=0, threads=threads, ident="Pathways")
    pipe.send(server.effective_port)
    pipe.close()
    server.run()


# -- clients --------------------------------------------------------------------------------


class Client:
    """One browser-like client: a kept-alive connection and a session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Accept-Language": "en", "Cookie": self.cookie, **(extra or {})}
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # a fresh connection next time
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("pathways_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        match = _CSRF.search(page.decode())
        if status != 200 or not match:
            raise RuntimeError(f"no sign-in form (status {status})")
        form = urllib.parse.urlencode(
            {"csrf_token": match.group(1), "username": username, "password": password}
        )
        status, _ = self.request("POST", "/login", form)
        if status != 302:
            raise RuntimeError(f"sign-in as {username} failed (status {status})")

    def close(self) -> None:
        self.conn.close()


class Writer:
    """A client that submits values through the JSON API, each based on the revision it last
    saw of that measurement (see the module docstring): without pause, or one every
    ``interval`` seconds."""

    def __init__(
        self, client: Client, targets: Sequence[tuple[str, str]], seed: int, interval: float = 0.0
    ) -> None:
        self.client = client
        self.interval = interval
        self.targets = list(targets)
        self.rnd = random.Random(seed)
        self.base: dict[tuple[str, str], int] = {}
        status, body = client.request("GET", "/api/session")
        if status != 200:
            raise RuntimeError(f"no API session for a writer (status {status})")
        self.csrf = json.loads(body)["csrf_token"]

    def _latest(self, code: str) -> None:
        status, body = self.client.request("GET", f"/api/indicators/{code}")
        if status != 200:
            raise RuntimeError(f"/api/indicators/{code}: status {status}")
        for period in json.loads(body)["periods"]:
            latest = period["latest"]
            self.base[(code, period["period"])] = latest["revision"] if latest else 0

    def submit(self, results: Results) -> None:
        """One submission (a 409 conflict counts as an answer: the next one is based on the
        latest revision it names)."""
        code, period = self.rnd.choice(self.targets)
        if (code, period) not in self.base:
            self._latest(code)
        body = json.dumps(
            {
                "indicator": code,
                "period": period,
                "base_revision": self.base.get((code, period), 0),
                "value": self.rnd.randint(1, 500),
                "comment": "bench writer",
            }
        )
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        error = None
        started = time.perf_counter()
        try:
            status, answer = self.client.request("POST", "/api/measurements", body, headers)
            data = json.loads(answer) if answer else {}
            if status in (200, 201):
                self.base[(code, period)] = data["revision"]["revision"]
            elif status == 409:
                latest = data.get("latest")
                self.base[(code, period)] = latest["revision"] if latest else 0
            else:
                error = f"POST /api/measurements {code} {period}: status {status}: {answer[:200]!r}"
        except (OSError, http.client.HTTPException, ValueError) as e:
            error = f"POST /api/measurements: {type(e).__name__}: {e}"
        results.add("submission", (time.perf_counter() - started) * 1000.0, error)


def write_targets(location: str) -> list[tuple[str, str]]:
    """(indicator, period) pairs the writers submit numbers for: every period of every
    indicator of type number."""
    from graphdb import open_store
    from indicators.definitions import indicator_periods
    from indicators.model import IndicatorType

    with open_store(location) as store:
        indicators = [i for i in store.indicators() if i.type is IndicatorType.NUMBER]
    return [(i.code, p.id) for i in indicators for p in indicator_periods(i)]


@dataclass
class Results:
    """Latencies in milliseconds by page type, and errors, from every client."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.setdefault(kind, []).append(ms)
            if error:
                self.errors.append(error)


def _drive(
    client: Client,
    pages: Sequence[tuple[str, str]],
    deadline: float,
    budget: threading.Semaphore,
    results: Results,
    seed: int,
) -> None:
    rnd = random.Random(seed)
    while time.perf_counter() < deadline and budget.acquire(blocking=False):
        kind, path = rnd.choice(pages)
        error = None
        started = time.perf_counter()
        try:
            status, _ = client.request("GET", path)
            if status != 200:
                error = f"{path}: status {status}"
        except (OSError, http.client.HTTPException) as e:
            error = f"{path}: {type(e).__name__}: {e}"
        results.add(kind, (time.perf_counter() - started) * 1000.0, error)


def _write(writer: Writer, deadline: float, results: Results) -> None:
    due = time.perf_counter()
    while time.perf_counter() < deadline:
        writer.submit(results)
        if writer.interval:
            due += writer.interval
            pause = min(due, deadline) - time.perf_counter()
            if pause > 0:
                time.sleep(pause)


def pages_of(location: Path | str, review: bool = False) -> list[tuple[str, str]]:
    """The pages the clients ask for, as (page type, path), equally likely by type; with
    ``review``, the review page too (for the M&E officer's clients)."""
    from graphdb import open_store
    from toc.kinds import CAUSAL_KINDS

    with open_store(location) as store:
        plan = store.load_plan()
        codes = [i.code for i in store.indicators()]
    nodes = [n.id for n in plan.nodes if n.kind in CAUSAL_KINDS]
    sos = [n.id for n in plan.of_kind("StrategicObjective")]
    groups = {
        "overview": ["/"],
        "pathways": ["/pathways", *(f"/pathways?so={so}" for so in sos)],
        "node": [f"/nodes/{n}" for n in nodes],
        "indicator": [f"/indicators/{c}" for c in codes],
    }
    if review:
        groups["review"] = ["/review"]
    # Each type gets the same weight, whatever its number of pages.
    size = max(len(v) for v in groups.values())
    return [(kind, paths[i % len(paths)]) for kind, paths in groups.items() for i in range(size)]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, by linear interpolation.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _report(results: Results, seconds: float, clients: int, target_ms: float) -> tuple[bool, float]:
    """Print the figures of one phase; (whether the target was met, the p95)."""
    every = [ms for values in results.latencies.values() for ms in values]
    p95 = percentile(every, 95)
    print(
        f"{results.requests} requests from {clients} clients in {seconds:.1f} s: "
        f"{results.requests / seconds:.1f} requests/s"
    )
    print(
        f"latency ms: p50 {percentile(every, 50):.1f}  p95 {p95:.1f}  "
        f"p99 {percentile(every, 99):.1f}  max {max(every, default=0):.1f}"
    )
    for kind, values in sorted(results.latencies.items()):
        print(
            f"  {kind:<10} {len(values):>7} requests  p50 {percentile(values, 50):6.1f}  "
            f"p95 {percentile(values, 95):6.1f}  p99 {percentile(values, 99):6.1f}  "
            f"mean {statistics.fmean(values):6.1f}"
        )
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:10]:
        print(f"  {error}")
    met = p95 < target_ms and not results.errors
    print(f"target (p95 < {target_ms:g} ms, no errors): {'met' if met else 'MISSED'}")
    return met, p95


def _report_writes(written: Results, seconds: float) -> None:
    every = written.latencies.get("submission", [])
    print(
        f"writers: {len(every)} submissions in {seconds:.1f} s: {len(every) / seconds:.1f}/s, "
        f"p50 {percentile(every, 50):.1f} ms  p95 {percentile(every, 95):.1f} ms; "
        f"errors: {len(written.errors)}"
    )
    for error in written.errors[:5]:
        print(f"  {error}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web_load", description=__doc__)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after these")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument(
        "--store",
        help="copy this embedded store instead of the demo; 'neo4j' for the harness Neo4j, or "
        "a neo4j:// URL",
    )
    parser.add_argument("--nodes", type=int, help="a synthetic plan of this many nodes")
    parser.add_argument("--target-ms", type=float, default=TARGET_P95_MS, help="p95 target")
    parser.add_argument(
        "--writers", type=int, default=0, help="also measure reads while N clients submit values"
    )
    parser.add_argument(
        "--write-rate",
        type=float,
        default=0.0,
        help="the writers' submissions per second, all together (default: without pause)",
    )
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="pathways-load-"))
        location = _location(args.store, Path(tmp), stack)
        started = time.perf_counter()
        if args.nodes:
            build_synthetic_store(location, args.nodes)
        elif args.store and not location.startswith(_NEO4J):
            shutil.copy(args.store, location)
        elif not args.store or args.store == "neo4j":
            build_demo_store(location)
        print(f"Store ready in {time.perf_counter() - started:.1f} s: {location}")
        pages = pages_of(location)
        officer_pages = pages_of(location, review=True)
        targets = write_targets(location) if args.writers else []

        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        server = context.Process(
            target=_serve, args=(str(location), args.threads, child_end), daemon=True
        )
        server.start()
        clients: list[Client] = []
        try:
            if not parent_end.poll(60):
                raise RuntimeError("the app did not start within 60 s")
            port = parent_end.recv()
            print(f"App on http://{HOST}:{port}/ (waitress, {args.threads} threads)")
            for n in range(args.clients):
                client = Client(port)
                client.sign_in(*ACCOUNTS[n % len(ACCOUNTS)])
                clients.append(client)
            each = [
                officer_pages if ACCOUNTS[n % len(ACCOUNTS)][0] == "me" else pages
                for n in range(len(clients))
            ]
            warm = Results()
            _run(clients, each, args.warmup, args.max_requests, warm)
            writers = []
            for n in range(args.writers):
                client = Client(port)
                client.sign_in("me", "demo-me-officer-pw")
                clients.append(client)
                interval = args.writers / args.write_rate if args.write_rate > 0 else 0.0
                writers.append(Writer(client, targets, seed=1000 + n, interval=interval))
            phases: list[tuple[str, list[Writer]]] = [("readers alone", [])] + (
                [("readers under writes", writers)] * bool(writers)
            )
            p95s = []
            for label, phase_writers in phases:
                if writers:
                    pace = (
                        f" (at most {args.write_rate:g} submissions/s)"
                        if phase_writers and args.write_rate > 0
                        else ""
                    )
                    print(f"-- {label}: {args.clients} readers, {len(phase_writers)} writers{pace}")
                results, written = Results(), Results()
                cpu, own = _cpu_seconds(server.pid), time.process_time()
                seconds = _run(
                    clients[: args.clients], each, args.duration, args.max_requests, results,
                    phase_writers, written,
                )  # fmt: skip
                cpu, own = _cpu_seconds(server.pid) - cpu, time.process_time() - own
                met, p95 = _report(results, seconds, args.clients, args.target_ms)
                p95s.append(p95)
                if phase_writers:
                    _report_writes(written, seconds)
                    met = met and not written.errors
                if cpu == cpu and results.requests:
                    print(
                        f"app process CPU: {cpu:.1f} s ({cpu / seconds * 100:.0f} % of one "
                        f"core), {cpu / (results.requests + written.requests) * 1000:.2f} ms "
                        f"per request; clients: {own / seconds * 100:.0f} % of one core"
                    )
            if writers:
                print(
                    f"read p95 alone {p95s[0]:.1f} ms, under {len(writers)} writers "
                    f"{p95s[1]:.1f} ms: {p95s[1] / p95s[0]:.2f}x"
                )
        finally:
            for client in clients:
                client.close()
            server.terminate()
            server.join(10)
    return 0 if met else 1


_NEO4J = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def _location(store: str | None, tmp: Path, stack: ExitStack) -> str:
    """Where the app's store is: a new file in ``tmp``, or a Neo4j database (the harness one,
    emptied, for ``neo4j``). Accounts of a Neo4j store go to a credential file in ``tmp``,
    which the app process inherits through ``TOC_CREDENTIALS``."""
    if store is None or not (store == "neo4j" or store.startswith(_NEO4J)):
        return str(tmp / "demo.lbug")
    os.environ["TOC_CREDENTIALS"] = str(tmp / "credentials.sqlite")
    if store != "neo4j":
        return store
    import neo4j

    from bench.neo4j_write import empty
    from graphdb.neo4j_testserver import neo4j_connection_settings, start_test_server

    settings = neo4j_connection_settings() or stack.enter_context(start_test_server()).settings
    auth = (settings.user, settings.password) if settings.user else None
    with neo4j.GraphDatabase.driver(settings.uri, auth=auth) as driver:
        empty(driver)
    if settings.user:
        os.environ.setdefault("NEO4J_USER", settings.user)
        os.environ.setdefault("NEO4J_PASSWORD", settings.password or "")
    return settings.uri


def _cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by process ``pid``; NaN where /proc is absent."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(
    clients: Sequence[Client],
    pages: Sequence[Sequence[tuple[str, str]]],
    duration: float,
    max_requests: int,
    results: Results,
    writers: Sequence[Writer] = (),
    written: Results | None = None,
) -> float:
    """Drive every client for ``duration`` seconds (or ``max_requests`` in all), and the
    ``writers`` for as long, their submissions counted in ``written``."""
    budget = threading.Semaphore(max_requests)
    started = time.perf_counter()
    deadline = started + duration
    threads = [
        threading.Thread(target=_drive, args=(c, pages[n], deadline, budget, results, n))
        for n, c in enumerate(clients)
    ]
    threads += [
        threading.Thread(target=_write, args=(w, deadline, written or Results())) for w in writers
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
