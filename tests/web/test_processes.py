"""Two app processes on one Neo4j, as a team runs them behind a proxy: each sees the other's
writes on its next request (no stale page or cache), and edits of the same outcome or value
sent to both at once lose nothing: one is saved, the other gets a clear conflict with its
input kept.

The processes are real: waitress serving the app in a child process each (as ``toc serve``
runs it), on the harness Neo4j of the tests, with one credential file and one secret key.
Their ``STORE_RECHECK_SECONDS`` is an hour, so only the store's data version
(:mod:`web.freshness`) can make them see each other's writes.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.web_load import Client
from tests.conftest import REPO, VVSG_PLAN
from toc.model import Edge, Node, Plan, Text

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

RACES = 20
OUTCOME = "so1.o1.oc1"
ME = ("me", "demo-me-officer-pw")
# The app in a child process: waitress on a free loopback port, which it prints.
_SERVE = """
import sys
from waitress.server import create_server
from web import create_app
app = create_app({"TOC_STORE": sys.argv[1], "SECRET_KEY": "two-processes-" + "k" * 40,
                  "STORE_RECHECK_SECONDS": 3600})
server = create_server(app, host="127.0.0.1", port=0, threads=8)
print("PORT", server.effective_port, flush=True)
server.run()
"""


class _Forms(html.parser.HTMLParser):
    """The fields of each form on a page, as a browser would send them (inputs, text areas
    and the selected options; no buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._area: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "checkbox"):
            self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._area = a["name"]
            self.forms[-1][self._area] = ""
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._area = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._area and self.forms:
            self.forms[-1][self._area] += data


def edit_form(page: bytes) -> dict[str, str]:
    """The fields of the page's edit form (the one carrying a ``base`` fingerprint)."""
    parser = _Forms()
    parser.feed(page.decode())
    return next(f for f in parser.forms if "base" in f)


@pytest.fixture
def two_apps(fresh_neo4j_store, tmp_path) -> Iterator[tuple[list[int], dict]]:
    """The VVSG plan with one outcome, its indicators and the demo accounts on the test
    Neo4j, and two app processes serving it; (their ports, what was loaded)."""
    from graphdb.credentials import credentials_path
    from indicators import catalog
    from indicators.definitions import indicator_periods
    from indicators.model import IndicatorType
    from toc.planfile import load
    from web.demo import ensure_demo_accounts
    from web.passwords import Hasher

    store = fresh_neo4j_store()
    try:
        plan = load(VVSG_PLAN)
        outcome = Node("Outcome", OUTCOME, Text("Uitkomst", "Outcome 0"))
        plan = Plan.of(
            [*plan.nodes, outcome], [*plan.edges, Edge("CONTRIBUTES_TO", OUTCOME, "so1.o1")]
        )
        store.save_plan(plan, author="test", message="VVSG plan with an outcome")
        catalog.load_definitions(store, REPO / "examples" / "vvsg-indicators.yaml", author="test")
        ensure_demo_accounts(store, Hasher())
        indicator = next(i for i in store.indicators() if i.type is IndicatorType.NUMBER)
        periods = [p.id for p in indicator_periods(indicator)]
        location = store.location
        credentials = str(credentials_path(location, neo4j=True))
    finally:
        store.close()
    env = {**os.environ, "TOC_CREDENTIALS": credentials, "PYTHONPATH": str(REPO)}
    processes, ports = [], []
    try:
        for n in range(2):
            log = open(tmp_path / f"app-{n}.log", "w")  # noqa: SIM115 - closed with the process
            process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, location],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                cwd=REPO,
                env=env,
            )
            processes.append((process, log))
            line = process.stdout.readline() if process.stdout else ""
            found = re.match(r"PORT (\d+)", line)
            if not found:
                log.flush()
                raise RuntimeError(f"app {n} did not start: {Path(log.name).read_text()[-2000:]}")
            ports.append(int(found.group(1)))
        yield ports, {"indicator": indicator.code, "periods": periods}
    finally:
        for process, log in processes:
            process.terminate()
            process.wait(10)
            if process.stdout:
                process.stdout.close()
            log.close()


@pytest.fixture
def clients(two_apps) -> Iterator[tuple[Client, Client]]:
    """A client signed in as the M&E officer on each process."""
    pair = []
    try:
        for port in two_apps[0]:
            client = Client(port)
            pair.append(client)
            client.sign_in(*ME)
        yield pair[0], pair[1]
    finally:
        for client in pair:
            client.close()


def _race(requests: list) -> list:
    """Run the callables at the same moment, one thread each; their results in order."""
    start = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(n: int) -> None:
        start.wait()
        results[n] = requests[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _title(client: Client, node_id: str) -> str:
    status, body = client.request("GET", f"/api/nodes/{node_id}")
    assert status == 200
    return json.loads(body)["node"]["title"]["en"]


def test_outcome_edit_races_across_two_processes(clients):
    a, b = clients
    path = f"/plan/nodes/{OUTCOME}"
    conflicts = 0
    for race in range(RACES):
        forms = [edit_form(c.request("GET", path)[1]) for c in (a, b)]
        assert forms[0]["base"] == forms[1]["base"], "both edit the same version"
        titles = [f"Outcome {race + 1} from process {name}" for name in "AB"]
        bodies = [
            urllib.parse.urlencode({**form, "title_en": title})
            for form, title in zip(forms, titles, strict=True)
        ]
        posts = [
            lambda c=c, body=body: c.request("POST", path, body)
            for c, body in zip((a, b), bodies, strict=True)
        ]
        answers = _race(posts)
        saved = [n for n, (status, _) in enumerate(answers) if status == 302]
        assert len(saved) == 1, f"race {race}: answers {[s for s, _ in answers]}"
        winner, loser = saved[0], 1 - saved[0]
        status, page = answers[loser]
        text = page.decode()
        assert status in (200, 409), f"race {race}: the loser got {status}"
        assert "Your input is kept below" in text, text[:2000]
        assert f'value="{titles[loser]}"' in text, "the loser's input is kept"
        conflicts += 1
        # no lost update, and both processes show the saved title at once (no stale cache)
        for client in (a, b):
            assert _title(client, OUTCOME) == titles[winner]
            status, node_page = client.request("GET", f"/nodes/{OUTCOME}")
            assert status == 200 and titles[winner] in node_page.decode()
    assert conflicts == RACES


def test_value_races_across_two_processes(two_apps, clients):
    loaded = two_apps[1]
    a, b = clients
    code = loaded["indicator"]
    csrf = {}
    for client in (a, b):
        csrf[client] = json.loads(client.request("GET", "/api/session")[1])["csrf_token"]

    def latest(client: Client, period: str) -> dict | None:
        status, body = client.request("GET", f"/api/indicators/{code}")
        assert status == 200
        return next(p["latest"] for p in json.loads(body)["periods"] if p["period"] == period)

    conflicts = 0
    for race in range(RACES):
        period = loaded["periods"][race % len(loaded["periods"])]
        current = latest(a, period)
        assert latest(b, period) == current, "both processes show the same latest revision"
        base = current["revision"] if current else 0
        values = [1000 + 2 * race, 1001 + 2 * race]

        def submit(
            client: Client, value: int, period: str = period, base: int = base
        ) -> tuple[int, dict]:
            body = json.dumps(
                {"indicator": code, "period": period, "base_revision": base, "value": value}
            )
            headers = {"Content-Type": "application/json", "X-CSRFToken": csrf[client]}
            status, answer = client.request("POST", "/api/measurements", body, headers)
            return status, json.loads(answer)

        answers = _race(
            [lambda c=c, v=v: submit(c, v) for c, v in zip((a, b), values, strict=True)]
        )
        saved = [n for n, (status, _) in enumerate(answers) if status == 201]
        assert len(saved) == 1, f"race {race}: answers {answers}"
        winner, loser = saved[0], 1 - saved[0]
        status, conflict = answers[loser]
        assert status == 409 and conflict["error"], conflict
        assert conflict["kept"] and conflict["yours"]["value"]["value"] == values[loser]
        assert conflict["latest"]["value"]["value"] == values[winner]
        conflicts += 1
        for client in (a, b):  # the winner's value is the latest on both processes
            now = latest(client, period)
            assert now is not None and now["value"]["value"] == values[winner]
            assert now["revision"] == answers[winner][1]["revision"]["revision"] > base
    assert conflicts == RACES
