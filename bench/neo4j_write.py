"""Bulk write throughput of the Neo4j store, against the same write done by hand.

A synthetic plan (:mod:`bench.synthetic`, 20,000 nodes and 40,000 links by default) goes
into an empty database three ways:

1. ``Neo4jStore.save_plan``: validation, the diff against the stored plan, then one managed
   transaction of UNWIND batches;
2. by hand with the driver: one UNWIND batch per 10,000 rows, a transaction per batch, no
   validation (the target: the store at most 1.5x slower);
3. naively, one query and transaction per row: measured on a sample, then extrapolated.

The baselines are driver code written here on purpose, outside ``graphdb/``: they are what a
developer would write without the store. The server is the harness Neo4j of the tests
(:mod:`graphdb.neo4j_testserver`), or ``NEO4J_URI`` with ``NEO4J_USER``/``NEO4J_PASSWORD``;
its database is emptied.

Run: ``python -m bench.neo4j_write [--nodes 20000] [--edges 40000] [--sample 2000]``
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack

import neo4j

from bench.synthetic import synthetic_plan
from graphdb.neo4j_store import Neo4jStore
from graphdb.neo4j_testserver import neo4j_connection_settings, start_test_server
from graphdb.rows import edge_to_row, node_to_row
from graphdb.store import chunks, group_by
from toc.diff import plan_changes
from toc.model import Edge, Node, Plan
from toc.validate import validate

__all__ = ["main"]

BATCH = 10_000


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.neo4j_write", description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=40_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for the naive run")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best one counts")
    args = parser.parse_args(argv)

    plan = synthetic_plan(args.nodes, args.edges)
    rows = len(plan.nodes) + len(plan.edges)
    with ExitStack() as stack:
        settings = neo4j_connection_settings()
        if settings is None:
            started = time.perf_counter()
            settings = stack.enter_context(start_test_server()).settings
            print(f"Started the harness Neo4j in {time.perf_counter() - started:.1f} s")
        auth = (settings.user, settings.password) if settings.user else None
        driver = stack.enter_context(
            neo4j.GraphDatabase.driver(settings.uri, auth=auth, notifications_min_severity="OFF")
        )
        store = stack.enter_context(Neo4jStore(settings.uri, auth=auth))
        print(f"Writing {len(plan.nodes):,} nodes and {len(plan.edges):,} links to {settings.uri}")

        def by_store() -> None:
            store.save_plan(plan, message="bench")

        def by_hand() -> None:
            write_by_hand(driver, plan)

        warm = synthetic_plan(2_000, 4_000, seed=2)  # the JVM compiles the hot paths first
        for write in (lambda: store.save_plan(warm), lambda: write_by_hand(driver, warm)):
            empty(driver)
            write()
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            for name, write in (("store", by_store), ("hand", by_hand)):
                empty(driver)
                best[name] = min(best.get(name, float("inf")), timed(write))
        empty(driver)
        naive_seconds, naive_rows = write_naively(driver, plan, args.sample)
        empty(driver)

    checks = timed(lambda: validate(plan)) + timed(lambda: plan_changes(Plan.of([], []), plan))
    naive_total = naive_seconds / naive_rows * rows
    report("Neo4jStore.save_plan", best["store"], rows, f"validation and diff {checks:.1f} s")
    report(f"by hand, UNWIND x {BATCH:,}", best["hand"], rows)
    report("naive, one query per row", naive_total, rows,
           f"extrapolated from {naive_rows:,} rows in {naive_seconds:.1f} s")  # fmt: skip
    ratio = best["store"] / best["hand"]
    writes = (best["store"] - checks) / best["hand"]
    print(
        f"save_plan / by hand: {ratio:.2f}x (target at most 1.5x; the writes alone {writes:.2f}x)"
    )
    print(f"save_plan speed-up over one query per row: {naive_total / best['store']:.0f}x")


def report(label: str, seconds: float, rows: int, note: str = "") -> None:
    note = f"  ({note})" if note else ""
    print(f"  {label:<28} {seconds:7.1f} s  {rows / seconds:8,.0f} rows/s{note}")


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def empty(driver: neo4j.Driver) -> None:
    """Delete the plan data (the store's schema and StoreMeta stay), in batches."""
    with driver.session() as session:
        session.run(
            "MATCH (n) WHERE NOT n:StoreMeta "
            "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def write_by_hand(driver: neo4j.Driver, plan: Plan) -> None:
    """One UNWIND per 10,000 rows and kind, each batch in its own transaction."""
    kinds = {n.id: n.kind for n in plan.nodes}
    with driver.session() as session:
        for kind, nodes in group_by(plan.nodes, lambda n: n.kind).items():
            for batch in chunks(nodes, BATCH):
                query = f"UNWIND $rows AS r CREATE (n:{kind}) SET n = r"
                session.execute_write(_run, query, [node_to_row(n) for n in batch])
        groups = group_by(plan.edges, lambda e: (e.kind, kinds[e.source], kinds[e.target]))
        for (kind, src, dst), edges in groups.items():
            query = (
                f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}}) MATCH (b:{dst} {{id: r.t}}) "
                f"CREATE (a)-[e:{kind}]->(b) SET e = r.p"
            )
            for batch in chunks(edges, BATCH):
                rows = [{"s": e.source, "t": e.target, "p": edge_to_row(e)} for e in batch]
                session.execute_write(_run, query, rows)


def _run(tx: neo4j.ManagedTransaction, query: str, rows: list[dict]) -> None:
    tx.run(query, rows=rows).consume()


def write_naively(driver: neo4j.Driver, plan: Plan, sample: int) -> tuple[float, int]:
    """Write about ``sample`` rows (links of a random sample and nodes at their ends) one
    query and transaction each; returns (seconds, rows)."""
    rnd = random.Random(3)
    edges: list[Edge] = rnd.sample(list(plan.edges), min(len(plan.edges), sample * 2 // 3))
    ends = {i for e in edges for i in (e.source, e.target)}
    nodes: list[Node] = [n for n in plan.nodes if n.id in ends]
    kinds = {n.id: n.kind for n in nodes}
    started = time.perf_counter()
    with driver.session() as session:
        for n in nodes:
            session.run(f"CREATE (n:{n.kind}) SET n = $row", row=node_to_row(n)).consume()
        for e in edges:
            session.run(
                f"MATCH (a:{kinds[e.source]} {{id: $s}}) MATCH (b:{kinds[e.target]} {{id: $t}}) "
                f"CREATE (a)-[e:{e.kind}]->(b) SET e = $p",
                s=e.source,
                t=e.target,
                p=edge_to_row(e),
            ).consume()
    return time.perf_counter() - started, len(nodes) + len(edges)


if __name__ == "__main__":
    main()
