"""What keeping every plan version's content costs: save time, storage, diff time, per engine.

One run prints:

1. **save overhead**, on each engine: the same saves (a 20,000-node plan loaded, then
   ``--edits`` edits of 1 % of its nodes) into a store that keeps each version's content and
   into one that stores an empty content instead; the ratio of the two totals is what keeping
   versions adds to ``save_plan`` (target: at most 1.20);
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
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from bench.synthetic import synthetic_plan
from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore
from graphdb.versions import VersionContent, encode_content
from toc.diff import PlanDiff, diff_plans
from toc.model import Plan, Text
from toc.planfile import load

__all__ = ["edited", "kept_bytes", "main"]

_NO_CONTENT = encode_content(PlanDiff())
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


def _without_content(store_class: type[GraphStore]) -> type[GraphStore]:
    """The engine's store, storing an empty content record instead of the version's diff:
    the baseline that shows what keeping the content costs."""

    class Plain(store_class):  # type: ignore[misc,valid-type]
        def content_for_save(self, old: Plan, new: Plan, version: int) -> VersionContent:
            return VersionContent(version, "previous", _NO_CONTENT)

    return Plain


def _timed_saves(store: GraphStore, plans: Sequence[Plan]) -> list[float]:
    out = []
    for i, plan in enumerate(plans, 1):
        started = time.perf_counter()
        store.save_plan(plan, author="bench", message=f"v{i}")
        out.append(time.perf_counter() - started)
    return out


def _content_bytes(store: GraphStore) -> int:
    return sum(len(c.body) for c in store.version_contents())


@contextmanager
def _ladybug(keep: bool) -> Iterator[GraphStore]:
    with tempfile.TemporaryDirectory() as folder:
        cls = LadybugStore if keep else _without_content(LadybugStore)
        store = cls(Path(folder) / "bench.lbug")
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

    def open_fresh(keep: bool) -> GraphStore:
        # Emptying the database is test-harness work, as in tests/conftest.py.
        driver.execute_query(
            "MATCH (n) WHERE NOT n:StoreMeta CALL { WITH n DETACH DELETE n } "
            "IN TRANSACTIONS OF 10000 ROWS"
        )
        cls = Neo4jStore if keep else _without_content(Neo4jStore)
        return cls(settings.uri, auth=auth, credentials=folder / f"c{time.time_ns()}.sqlite")

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

    started, cpu = time.perf_counter(), time.process_time()
    diff = diff_plans(plans[0], plans[args.versions - 1])
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

                def opener(keep: bool) -> GraphStore:
                    return stack.enter_context(_ladybug(keep))
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


def _engine_run(engine: str, opener: Callable[[bool], GraphStore], plans: Sequence[Plan]) -> None:
    totals = {}
    for keep in (False, True):
        store = opener(keep)
        try:
            times = _timed_saves(store, plans)
            totals[keep] = (times[0], sum(times[1:]))
            if keep:
                kept = _content_bytes(store)
                if kept != kept_bytes(plans):
                    raise SystemExit(f"[{engine}] the store keeps {kept} bytes, not as computed")
                started = time.perf_counter()
                store.diff_versions(1, len(plans))
                rebuilt = time.perf_counter() - started
        finally:
            if engine == "neo4j":
                store.close()
    (first_plain, edits_plain), (first_kept, edits_kept) = totals[False], totals[True]
    ratio_first = first_kept / first_plain
    ratio_edits = edits_kept / edits_plain if edits_plain else float("nan")
    ratio_all = (first_kept + edits_kept) / (first_plain + edits_plain)
    verdict = "ok" if ratio_all <= 1.2 else "MISSED"
    print(
        f"[{engine}] save_plan with content / without: first load {first_kept:.2f} / "
        f"{first_plain:.2f} s = {ratio_first:.2f}; {len(plans) - 1} edits {edits_kept:.2f} / "
        f"{edits_plain:.2f} s = {ratio_edits:.2f}; all {ratio_all:.2f} (target <= 1.20: {verdict})"
    )
    print(
        f"[{engine}] {kept / 1024:,.0f} KiB kept for {len(plans)} versions (as computed); "
        f"store.diff_versions(1, {len(plans)}), rebuilding both from the content: {rebuilt:.2f} s"
    )


if __name__ == "__main__":
    main()
