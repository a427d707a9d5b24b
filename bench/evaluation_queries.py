"""Latency of every named evaluation query (:mod:`graphdb.evaluation`) on both engines.

Two data sets, each in an embedded store and in Neo4j:

1. the VVSG plan with its illustrative indicators and values (as ``make demo`` loads them);
2. the synthetic plan of the other benchmarks (:mod:`bench.synthetic`, 20,000 nodes and
   40,000 links by default), without indicators; its ``$status`` parameter gets seeded random
   statuses so the status queries have work to do, and ``sdg_pathways`` is asked for one
   strategy and one SDG (all of them at once is a result of millions of rows here).

Parameters are worked out once per data set (:func:`graphdb.evaluation.run.parameter_values`,
timed separately); then each query runs ``--runs`` times through ``GraphStore.query`` and the
median and 95th percentile are printed, in milliseconds. A query stopped by the timeout shows
``timeout``. Neo4j is the harness server of the tests (:mod:`graphdb.neo4j_testserver`), or
``NEO4J_URI``; its database is emptied.

Run: ``python -m bench.evaluation_queries [--runs 20] [--nodes 20000] [--edges 40000]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_plan
from graphdb.evaluation import QUERIES
from graphdb.evaluation.run import parameter_values
from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore, QueryTimeout
from toc.kinds import CAUSAL_KINDS
from toc.model import Plan

__all__ = ["main", "measure"]

_STATUSES = ("on_track", "at_risk", "off_track", "no_data")


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    store: GraphStore, params: dict[str, dict[str, Any]], runs: int, timeout: float
) -> dict[str, tuple[float, float] | None]:
    """Median and p95 latency (ms) of each query with its ``params``; None after a timeout."""
    out: dict[str, tuple[float, float] | None] = {}
    for name, query in QUERIES.items():
        cypher = query.cypher(store.backend)
        times: list[float] = []
        try:
            store.query(cypher, params[name], timeout=timeout)  # warm-up (plans, caches)
            for _ in range(runs):
                started = time.perf_counter()
                store.query(cypher, params[name], timeout=timeout)
                times.append((time.perf_counter() - started) * 1000)
        except QueryTimeout:
            out[name] = None
            continue
        out[name] = (statistics.median(times), _percentile(times, 0.95))
    return out


def _params(store: GraphStore, plan: Plan, status: list[dict] | None) -> dict[str, dict]:
    params = {name: parameter_values(store, q, plan=plan) for name, q in QUERIES.items()}
    if status is not None:
        for values in params.values():
            if "status" in values:
                values["status"] = status
        # Every pathway from every strategy to every SDG is a result of millions of rows on a
        # plan this size; an evaluator asks it for one strategy and one SDG.
        params["sdg_pathways"] = {
            "strategy": next(n.id for n in plan.nodes if n.kind == "Strategy"),
            "sdg": next(n.id for n in plan.nodes if n.kind == "SDG"),
        }
    return params


def _random_status(plan: Plan, seed: int = 1) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    return [
        {"id": n.id, "status": rnd.choice(_STATUSES), "own": rnd.choice(_STATUSES)}
        for n in plan.nodes
        if n.kind in CAUSAL_KINDS
    ]


def _print(title: str, results: dict[str, dict[str, tuple[float, float] | None]]) -> None:
    engines = list(results)
    print(f"\n{title}")
    head = "".join(f"{e + ' median':>16}{e + ' p95':>14}" for e in engines)
    print(f"  {'query':<28}{head}")
    for name in QUERIES:
        cells = ""
        for engine in engines:
            figures = results[engine][name]
            if figures is None:
                cells += f"{'timeout':>16}{'':>14}"
            else:
                cells += f"{figures[0]:>16.1f}{figures[1]:>14.1f}"
        print(f"  {name:<28}{cells}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluation_queries", description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=40_000)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per query run")
    args = parser.parse_args(argv)

    from bench.web_load import build_demo_store
    from graphdb.migrate import migrate
    from graphdb.neo4j_store import Neo4jStore
    from graphdb.neo4j_testserver import neo4j_connection_settings, start_test_server

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-eval-") as tmp:
        settings = neo4j_connection_settings()
        if settings is None:
            started = time.perf_counter()
            settings = stack.enter_context(start_test_server()).settings
            print(f"Started the harness Neo4j in {time.perf_counter() - started:.1f} s")
        auth = (settings.user, settings.password) if settings.user else None

        def neo4j_store() -> Neo4jStore:
            store = Neo4jStore(settings.uri, auth=auth)
            store._write(lambda tx: tx.run("MATCH (n) WHERE NOT n:StoreMeta DETACH DELETE n"))
            return store

        # 1. The VVSG demo.
        demo_path = Path(tmp) / "demo.lbug"
        build_demo_store(demo_path)
        embedded = stack.enter_context(LadybugStore(demo_path))
        plan = embedded.load_plan()
        started = time.perf_counter()
        params = _params(embedded, plan, None)
        print(f"VVSG parameters (statuses, progress per year...): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
        server = stack.enter_context(neo4j_store())
        migrate(embedded, server)
        _print(
            f"VVSG plan + illustrative data, ms over {args.runs} runs",
            {
                "ladybug": measure(embedded, params, args.runs, args.timeout),
                "neo4j": measure(server, params, args.runs, args.timeout),
            },
        )

        # 2. The synthetic plan.
        big = synthetic_plan(args.nodes, args.edges)
        embedded_big = stack.enter_context(LadybugStore(Path(tmp) / "synthetic.lbug"))
        embedded_big.save_plan(big, message="bench")
        server.close()
        server_big = stack.enter_context(neo4j_store())
        server_big.save_plan(big, message="bench")
        started = time.perf_counter()
        params = _params(embedded_big, big, _random_status(big))
        print(f"\nSynthetic parameters: {(time.perf_counter() - started) * 1000:.0f} ms")
        _print(
            f"Synthetic plan ({len(big.nodes):,} nodes, {len(big.edges):,} links), ms over "
            f"{args.runs} runs",
            {
                "ladybug": measure(embedded_big, params, args.runs, args.timeout),
                "neo4j": measure(server_big, params, args.runs, args.timeout),
            },
        )


if __name__ == "__main__":
    main()
