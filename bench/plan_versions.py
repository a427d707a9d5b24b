"""What keeping every plan version's content costs: save time, storage, diff time, per engine.

One run prints:

1. **save overhead**, on each engine: a 20,000-node plan loaded, then ``--edits`` edits of
   1 % of its nodes; within each save, the time spent keeping the version's content (working
   out its diff and writing its record, timed around those two steps) against the whole
   ``save_plan``. The ratio ``save / (save - content)`` is what keeping versions adds
   (target: at most 1.20). Both are timed in the same save, so the ratio holds on a machine
   whose load changes from one minute to the next, where two separate runs would not;
2. **storage**: the bytes of version content kept for 20 versions of the 20,000-node plan and
   for 100 versions of the VVSG plan (each an edit of 1 % of the titles), against what full
   copies of every version would take. These are the records ``save_plan`` writes
   (:func:`graphdb.versions.encode_content` of each diff), computed without a store; the
   engine runs check that their stores hold the same bytes for their versions;
3. **diff time**: ``diff_plans`` of two versions of the 20,000-node plan (target: under 1 s),
   and ``store.diff_versions`` (rebuilding both versions from the kept content, then the diff).

The Neo4j server is the harness of the tests (or ``NEO4J_URI``); its database is emptied.

Run: ``python -m bench.plan_versions [--nodes 20000] [--edits 19] [--engines ladybug,neo4j]``
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from bench.synthetic import synthetic_plan
from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore
from graphdb.versions import encode_content
from toc.diff import diff_plans
from toc.model import Plan, Text
from toc.planfile import load

__all__ = ["edited", "kept_bytes", "main"]

REPO = Path(__file__).resolve().parent.parent


def edited(plan: Plan, share: float, rnd: random.Random, round_: int) -> Plan:
    """``plan`` with the English title of ``share`` of its nodes (at least one) changed."""
    count = max(1, int(len(plan.nodes) * share))
    chosen = {n.id for n in rnd.sample(plan.nodes, count)}
    nodes = [
        replace(n, title=Text(n.title.nl, f"{n.title.en} (edit {round_})")) if n.id in chosen else n
        for n in plan.nodes
    ]
    return Plan.of(nodes, plan.edges)


class _Clock:
    """Seconds spent in the version-content steps of the saves of one store."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn: Callable[..., object]) -> Callable[..., object]:
        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def _instrumented(store: GraphStore) -> _Clock:
    """Time the two steps that keep a version's content: its diff and its record."""
    clock = _Clock()
    store.content_for_save = clock.wrap(store.content_for_save)  # type: ignore[method-assign]
    # the engine's write of the record: a step of its plan writer (graphdb.plan_writes)
    writer = sys.modules[type(store).__module__]._Writer  # type: ignore[attr-defined]
    writer.write_contents = clock.wrap(writer.write_contents)
    return clock


def _timed_saves(store: GraphStore, plans: Sequence[Plan]) -> list[tuple[float, float]]:
    """(seconds of the whole save, seconds of it spent keeping the content) per save."""
    writer = sys.modules[type(store).__module__]._Writer  # type: ignore[attr-defined]
    original = writer.write_contents
    clock = _instrumented(store)
    out = []
    try:
        for i, plan in enumerate(plans, 1):
            before = clock.seconds
            started = time.perf_counter()
            store.save_plan(plan, author="bench", message=f"v{i}")
            out.append((time.perf_counter() - started, clock.seconds - before))
    finally:
        writer.write_contents = original
    return out


def _content_bytes(store: GraphStore) -> int:
    return sum(len(c.body) for c in store.version_contents())


@contextmanager
def _ladybug() -> Iterator[GraphStore]:
    with tempfile.TemporaryDirectory() as folder:
        store = LadybugStore(Path(folder) / "bench.lbug")
        try:
            yield store
        finally:
            store.close()


def _neo4j_opener(stack: ExitStack) -> Callable[[bool], GraphStore]:
    import neo4j

    from graphdb.neo4j_store import Neo4jStore
    from graphdb.neo4j_testserver import neo4j_connection_settings, start_test_server

    settings = neo4j_connection_settings()
    if settings is None:
        started = time.perf_counter()
        settings = stack.enter_context(start_test_server()).settings
        print(f"Started the harness Neo4j in {time.perf_counter() - started:.1f} s")
    auth = (settings.user, settings.password) if settings.user else None
    driver = stack.enter_context(neo4j.GraphDatabase.driver(settings.uri, auth=auth))
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))

    def open_fresh() -> GraphStore:
        # Emptying the database is test-harness work, as in tests/conftest.py.
        driver.execute_query(
            "MATCH (n) WHERE NOT n:StoreMeta CALL { WITH n DETACH DELETE n } "
            "IN TRANSACTIONS OF 10000 ROWS"
        )
        return Neo4jStore(settings.uri, auth=auth, credentials=folder / "credentials.sqlite")

    return open_fresh


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plan_versions", description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=5, help="timed edit saves after the first")
    parser.add_argument("--versions", type=int, default=20, help="versions for the storage")
    parser.add_argument("--vvsg-versions", type=int, default=100)
    parser.add_argument("--engines", default=os.environ.get("BENCH_ENGINES", "ladybug,neo4j"))
    args = parser.parse_args(argv)

    rnd = random.Random(16)
    base = synthetic_plan(args.nodes, args.nodes * 2)
    plans = [base]
    for i in range(max(args.edits + 1, args.versions) - 1):
        plans.append(edited(plans[-1], 0.01, rnd, i + 1))
    print(
        f"{len(plans)} versions of a plan of {len(base.nodes):,} nodes, {len(base.edges):,} links"
    )

    # Copies, as two versions read separately would be: no node object is shared.
    first = Plan.of([copy.copy(n) for n in plans[0].nodes], [copy.copy(e) for e in plans[0].edges])
    started, cpu = time.perf_counter(), time.process_time()
    diff = diff_plans(first, plans[args.versions - 1])
    pure, pure_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"diff_plans(v1, v{args.versions}): {pure:.3f} s ({pure_cpu:.3f} s of CPU), "
        f"{len(diff.changed_nodes):,} nodes changed "
        f"(target < 1 s: {'ok' if pure < 1 else 'MISSED'})"
    )
    _storage(
        f"{args.versions} versions of the {len(base.nodes):,}-node plan", plans[: args.versions]
    )

    with ExitStack() as stack:
        engines = [e for e in args.engines.split(",") if e]
        for engine in engines:
            if engine == "ladybug":

                def opener() -> GraphStore:
                    return stack.enter_context(_ladybug())
            elif engine == "neo4j":
                opener = _neo4j_opener(stack)
            else:
                raise SystemExit(f"unknown engine {engine!r}")
            _engine_run(engine, opener, plans[: args.edits + 1])

    vvsg = load(REPO / "examples" / "vvsg-2027-2036.yaml")
    versions = [vvsg]
    for i in range(args.vvsg_versions - 1):
        versions.append(edited(versions[-1], 0.01, rnd, i + 1))
    _storage(f"{len(versions)} versions of the VVSG plan ({len(vvsg.nodes)} nodes)", versions)


def kept_bytes(plans: Sequence[Plan]) -> int:
    """The bytes of content ``save_plan`` keeps for these versions saved in turn."""
    previous = Plan.of([], [])
    total = 0
    for plan in plans:
        total += len(encode_content(diff_plans(previous, plan)))
        previous = plan
    return total


def _storage(what: str, plans: Sequence[Plan]) -> None:
    kept = kept_bytes(plans)
    full = sum(len(encode_content(diff_plans(Plan.of([], []), p))) for p in plans)
    print(
        f"storage, {what}: {kept / 1024:,.1f} KiB kept, full copies would take "
        f"{full / 1024:,.1f} KiB ({kept / full:.1%})"
    )


def _engine_run(engine: str, opener: Callable[[], GraphStore], plans: Sequence[Plan]) -> None:
    store = opener()
    try:
        times = _timed_saves(store, plans)
        kept = _content_bytes(store)
        if kept != kept_bytes(plans):
            raise SystemExit(f"[{engine}] the store keeps {kept} bytes, not as computed")
        started = time.perf_counter()
        store.diff_versions(1, len(plans))
        rebuilt = time.perf_counter() - started
    finally:
        if engine == "neo4j":
            store.close()

    def ratio(part: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
        total, content = sum(t for t, _ in part), sum(c for _, c in part)
        return total, content, total / (total - content)

    first, edits, every = ratio(times[:1]), ratio(times[1:]), ratio(times)
    verdict = "ok" if every[2] <= 1.2 else "MISSED"
    print(
        f"[{engine}] save_plan, of which keeping the content: first load {first[0]:.2f} s, "
        f"{first[1]:.2f} s = {first[2]:.2f}x; {len(plans) - 1} edits {edits[0]:.2f} s, "
        f"{edits[1]:.2f} s = {edits[2]:.2f}x; all {every[2]:.2f}x (target <= 1.20: {verdict})"
    )
    print(
        f"[{engine}] {kept / 1024:,.0f} KiB kept for {len(plans)} versions (as computed); "
        f"store.diff_versions(1, {len(plans)}), rebuilding both from the content: {rebuilt:.2f} s"
    )


if __name__ == "__main__":
    main()
