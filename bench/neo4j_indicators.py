"""The measurement import into Neo4j, against the same rows written by hand on the same server.

A synthetic plan (:mod:`bench.synthetic`) gets quarterly indicators disaggregated by
municipality (:func:`bench.indicators.synthetic_indicators`) and ``--rows`` long-format rows
(:func:`bench.indicators.synthetic_rows`: per indicator-period a total row and a row per
municipality), written to a CSV file. Then, each into an emptied database:

1. **the import**: ``toc indicators import`` of the CSV into a ``Neo4jStore`` (read, check
   every cell, compare with the store, build the revisions, append them approved);
2. **by hand**: the same CSV read with pandas and its rows created as nodes of the same
   columns with one ``UNWIND`` per 10,000 rows, each batch its own transaction, no checks:
   what a developer writes with the driver alone.

It prints ``import vs hand-written UNWIND: N.NNx`` (target: at most 2x, at 200,000 and at
1,000,000 rows). The import stages a large append in transactions of 10,000 rows and publishes
it with one small transaction (:meth:`graphdb.neo4j_indicators.Neo4jIndicators._append_staged`),
so a server that bounds one transaction's memory (``db.memory.transaction.max``, 256 MB in the
harness and in docker-compose, for ad-hoc queries) takes it; should it still refuse, the bench
says so instead of printing a figure.
Both sides run ``--repeat`` times and the best counts (this machine's speed
varies by a third between runs). The server is the harness Neo4j of the tests
(:mod:`graphdb.neo4j_testserver`), or ``NEO4J_URI`` with ``NEO4J_USER``/``NEO4J_PASSWORD``;
its database is emptied.

Run: ``python -m bench.neo4j_indicators [--rows 200000] [--indicators 2000] [--nodes 20000]``
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import neo4j
import pandas as pd

from bench.indicators import synthetic_indicators, synthetic_rows
from bench.neo4j_write import empty, timed
from bench.synthetic import synthetic_plan
from graphdb.errors import QueryMemoryExceeded
from graphdb.neo4j_store import Neo4jStore
from graphdb.neo4j_testserver import neo4j_connection_settings, start_test_server
from indicators import importer

__all__ = ["main", "write_by_hand"]

BATCH = 10_000
TARGET = 2.0


def write_by_hand(driver: neo4j.Driver, csv: Path) -> int:
    """The CSV's rows as ``MeasurementRow`` nodes: pandas reads, one UNWIND of row maps per
    10,000 rows in its own transaction. Returns the rows written."""
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    records = [
        {k: v for k, v in row.items() if not (isinstance(v, float) and math.isnan(v)) and v != ""}
        for row in frame.to_dict("records")
    ]
    with driver.session() as session:
        for start in range(0, len(records), BATCH):
            session.execute_write(
                lambda tx, rows: tx.run(
                    "UNWIND $rows AS r CREATE (m:MeasurementRow) SET m = r", rows=rows
                ).consume(),
                records[start : start + BATCH],
            )
    return len(records)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.neo4j_indicators", description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--indicators", type=int, default=2_000)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best one counts")
    args = parser.parse_args(argv)

    plan = synthetic_plan(args.nodes, args.nodes * 2)
    indicators = synthetic_indicators(plan, args.indicators)
    frame = synthetic_rows(indicators, args.rows)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-neo4j-")))
        csv = folder / "measurements.csv"
        frame.to_csv(csv, index=False)
        print(
            f"{len(frame):,} long-format rows for {len(indicators):,} indicators on a plan of "
            f"{len(plan.nodes):,} nodes"
        )
        settings = neo4j_connection_settings()
        if settings is None:
            started = time.perf_counter()
            settings = stack.enter_context(start_test_server()).settings
            print(f"Started the harness Neo4j in {time.perf_counter() - started:.1f} s")
        auth = (settings.user, settings.password) if settings.user else None
        driver = stack.enter_context(
            neo4j.GraphDatabase.driver(settings.uri, auth=auth, notifications_min_severity="OFF")
        )
        store = stack.enter_context(
            Neo4jStore(settings.uri, auth=auth, credentials=folder / "credentials.sqlite")
        )
        empty(driver)
        store.save_plan(plan, message="bench")

        def by_import() -> None:
            try:
                report = importer.import_file(
                    store, csv, author="bench", role="me_officer", approve=True
                )
            except QueryMemoryExceeded as e:
                # A server bounding one transaction's memory (db.memory.transaction.max) that
                # refuses even the publishing transaction: said, not hidden.
                raise SystemExit(
                    f"import failed after {time.perf_counter() - started[0]:.1f} s: {e} "
                    "(the transaction that publishes the staged rows needs more than the "
                    "server's db.memory.transaction.max)"
                ) from None
            assert report.errors == [], report.problems[:3]

        started = [time.perf_counter()]

        def clear() -> None:
            with driver.session() as session:
                session.run(
                    "MATCH (n) WHERE n:MeasurementRevision OR n:MeasurementRow "
                    "CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()

        best: dict[str, float] = {}
        for _ in range(args.repeat):
            store.save_indicators(indicators, author="bench")
            clear()
            started[0] = time.perf_counter()
            best["import"] = min(best.get("import", math.inf), timed(by_import))
            clear()
            best["hand"] = min(
                best.get("hand", math.inf), timed(lambda: write_by_hand(driver, csv))
            )
            clear()
        empty(driver)
    rows = len(frame)
    for label, seconds in (
        ("import", best["import"]),
        (f"by hand, UNWIND x {BATCH:,}", best["hand"]),
    ):
        print(f"  {label:<24} {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s")
    ratio = best["import"] / best["hand"]
    print(f"import vs hand-written UNWIND: {ratio:.2f}x (target at most {TARGET:g}x)")


if __name__ == "__main__":
    main()
