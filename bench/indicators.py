"""Indicator benchmarks on a federation-sized plan, every figure a ratio measured in one run.

A synthetic plan (:mod:`bench.synthetic`: 20,000 nodes, 40,000 links) gets 2,000 quarterly
indicators for 2027-2036 on its outcomes and objectives (numbers, percentages and ordinal
scales, each disaggregated by municipality) and 1,000,000 measurements in long format: for
each of the 80,000 indicator-periods a total row and 11 or 12 rows by municipality.

1. **Long-format import**: ``toc indicators import`` of the 1,000,000-row CSV (read, check
   every cell, compare with the store, append approved revisions) against the same rows put
   in with the engine's own bulk path (LadybugDB ``COPY`` from the same CSV into a table of
   the same columns, no checks). Target: at most 2x. Both sides are timed ``--repeat`` times
   (each import into a fresh copy of the store, each COPY into a fresh database) and the
   best of each counts: this machine's speed varies by a third from one run to the next.
2. **XLSX import**: the import of a 100,000-row workbook (calamine read, formula scan, checks,
   commit) against pandas reading the same file alone. Target: at most 1.5x.
3. **Roll-up**: :func:`indicators.pathway_status.plan_status` (every indicator-period status
   and every node's own, contributions and combined status) on the imported store, then on
   twice the data (plan, indicators and measurements). Targets: under 2 s; doubling at most
   2.2x the time.

The baselines are engine and pandas code written here on purpose, outside ``graphdb/``: they
are what a developer would do without the tool.

Run: ``python -m bench.indicators [--rows 1000000] [--indicators 2000] [--nodes 20000]``
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ladybug
import numpy as np
import pandas as pd
from openpyxl import Workbook

from bench.synthetic import synthetic_plan
from graphdb.ladybug_store import LadybugStore
from indicators import importer
from indicators.definitions import decode_indicator
from indicators.model import Indicator
from indicators.pathway_status import plan_status
from toc.model import Plan

__all__ = ["main", "synthetic_indicators", "synthetic_rows"]

MUNICIPALITIES = [f"m{i:02d}" for i in range(1, 13)]
LEVELS = ["none", "low", "mid", "high", "full"]


def synthetic_indicators(plan: Plan, count: int, seed: int = 1) -> list[Indicator]:
    """``count`` quarterly indicators on the plan's outcomes and objectives: 70 % numbers,
    20 % percentages, 10 % ordinal, each disaggregated by municipality."""
    rnd = np.random.default_rng(seed)
    targets = [n.id for n in plan.nodes if n.kind in ("Outcome", "Objective")]
    out = []
    for i in range(count):
        kind = "number" if i % 10 < 7 else ("percentage" if i % 10 < 9 else "ordinal")
        doc = {
            "code": f"ind.{i:05d}",
            "measures": [targets[int(rnd.integers(len(targets)))]],
            "title": {"en": f"Indicator {i}", "nl": f"Indicator {i}"},
            "type": kind,
            "direction": "increase",
            "frequency": "quarter",
            "start_year": 2027,
            "end_year": 2036,
            "cumulative": bool(i % 2),
            "dimensions": {"municipality": MUNICIPALITIES},
            "baseline": {"value": 100, "date": "2026-12-31"},
            "end_target": {"value": 200},
        }
        if kind == "percentage":
            doc.update(
                baseline={"value": 20, "date": "2026-12-31"},
                end_target={"value": 60},
                numerator={"en": "yes"},
                denominator={"en": "all"},
            )
        if kind == "ordinal":
            doc.update(
                scale=[{"code": c} for c in LEVELS],
                baseline={"value": "low", "date": "2026-12-31"},
                end_target={"value": "full"},
            )
        out.append(decode_indicator(doc))
    return out


def synthetic_rows(indicators: Sequence[Indicator], rows: int, seed: int = 1) -> pd.DataFrame:
    """About ``rows`` long-format rows: per indicator and quarter a total and its parts by
    municipality (the parts add up)."""
    rnd = np.random.default_rng(seed)
    periods = [f"{y}-Q{q}" for y in range(2027, 2037) for q in range(1, 5)]
    keys = len(indicators) * len(periods)
    per_key = max(1.0, rows / keys - 1)  # parts per measurement
    n_parts = np.clip(rnd.normal(per_key, 0.5, keys).round().astype(int), 1, len(MUNICIPALITIES))
    n_parts[: max(0, rows - keys - int(n_parts.sum()))] += 0  # keep the draw deterministic
    codes = np.repeat([i.code for i in indicators], len(periods))
    kinds = np.repeat([i.type.value for i in indicators], len(periods))
    per = np.tile(periods, len(indicators))
    part_index = np.concatenate([np.arange(k) for k in n_parts])
    owner = np.repeat(np.arange(keys), n_parts)
    value = rnd.integers(5, 40, len(owner)).astype(float)
    denominator = value + rnd.integers(1, 20, len(owner))
    level = np.array(LEVELS)[rnd.integers(0, len(LEVELS), len(owner))]
    parts = pd.DataFrame(
        {
            "indicator": codes[owner],
            "period": per[owner],
            "municipality": np.array(MUNICIPALITIES)[part_index],
            "kind": kinds[owner],
            "value": value,
            "denominator": denominator,
            "level": level,
        }
    )
    sums = parts.groupby(owner)[["value", "denominator"]].sum()
    totals = pd.DataFrame(
        {
            "indicator": codes,
            "period": per,
            "municipality": "",
            "kind": kinds,
            "value": sums["value"].to_numpy(),
            "denominator": sums["denominator"].to_numpy(),
            "level": np.array(LEVELS)[rnd.integers(0, len(LEVELS), keys)],
        }
    )
    frame = pd.concat([totals, parts], ignore_index=True)
    frame["_order"] = np.concatenate([np.arange(keys), owner])
    frame = frame.sort_values(["_order", "municipality"], kind="stable").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "indicator": frame["indicator"],
            "period": frame["period"],
            "municipality": frame["municipality"],
        }
    )
    is_pct, is_ord = frame["kind"] == "percentage", frame["kind"] == "ordinal"
    is_num = ~(is_pct | is_ord)
    out["value"] = frame["value"].where(is_num).map(_fmt)
    out["numerator"] = frame["value"].where(is_pct).map(_fmt)
    out["denominator"] = frame["denominator"].where(is_pct).map(_fmt)
    out["level"] = frame["level"].where(is_ord, "")
    out["comment"] = ""
    return out


def _fmt(x: float) -> str:
    return "" if x != x else f"{x:g}"


def _timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _store(folder: Path, name: str, plan: Plan, indicators: Sequence[Indicator]) -> LadybugStore:
    store = LadybugStore(folder / name)
    store.save_plan(plan, author="bench")
    store.save_indicators(indicators, author="bench")
    return store


def _fresh(template: Path, name: str) -> LadybugStore:
    """A copy of a closed store file (the plan and definitions, no measurements yet)."""
    target = template.with_name(name)
    shutil.copyfile(template, target)
    return LadybugStore(target)


def _copy_baseline(folder: Path, csv: Path, repeat: int) -> float:
    """The same rows with LadybugDB's own bulk path: COPY from the CSV into a fresh database
    with a table of the same columns, no checks (best of ``repeat``)."""
    best = float("inf")
    for attempt in range(repeat):
        db = ladybug.Database(str(folder / f"baseline-{attempt}.lbug"))
        conn = ladybug.Connection(db)
        conn.execute(
            "CREATE NODE TABLE MeasurementRow(id SERIAL, indicator STRING, period STRING, "
            "municipality STRING, value DOUBLE, numerator DOUBLE, denominator DOUBLE, "
            "level STRING, comment STRING, PRIMARY KEY(id))"
        )
        seconds, _ = _timed(
            lambda conn=conn: conn.execute(f"COPY MeasurementRow FROM '{csv}' (HEADER=true)")
        )
        best = min(best, seconds)
        count = conn.execute("MATCH (r:MeasurementRow) RETURN count(r)").get_all()[0][0]
        conn.close()
        db.close()
    print(f"  engine COPY of {count:,} rows: {best:.2f} s (best of {repeat})")
    return best


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(list(frame.columns))
    numbers = {"value", "numerator", "denominator"}
    for row in frame.itertuples(index=False):
        ws.append(
            [
                (float(v) if v else None) if c in numbers else (v or None)
                for c, v in zip(frame.columns, row, strict=True)
            ]
        )
    wb.save(path)


def run_dataset(
    folder: Path, nodes: int, edges: int, count: int, rows: int, label: str, repeat: int
):
    """Build one dataset, import it (best of ``repeat``, each into a fresh copy of the store)
    and time the roll-up on it."""
    plan = synthetic_plan(nodes, edges)
    indicators = synthetic_indicators(plan, count)
    frame = synthetic_rows(indicators, rows)
    csv = folder / f"{label}.csv"
    frame.to_csv(csv, index=False)
    print(
        f"{label}: {len(plan.nodes):,} nodes, {len(indicators):,} indicators, "
        f"{len(frame):,} long-format rows"
    )
    template = folder / f"{label}.lbug"
    _store(folder, template.name, plan, indicators).close()
    best, best_steps, store, report = float("inf"), [], None, None
    for attempt in range(repeat):
        if store is not None:
            store.close()
        store = _fresh(template, f"{label}-{attempt}.lbug")
        steps: list[tuple[str, float]] = []
        phase = ["", time.perf_counter()]

        def progress(name: str, steps=steps, phase=phase) -> None:
            now = time.perf_counter()
            if phase[0]:
                steps.append((phase[0], now - phase[1]))
            phase[:] = [name, now]

        def run(store=store, steps=steps, phase=phase, progress=progress):
            result = importer.import_file(
                store, csv, author="bench", role="me_officer", approve=True, progress=progress
            )
            steps.append((phase[0], time.perf_counter() - phase[1]))
            return result

        seconds, report = _timed(run)
        if seconds < best:
            best, best_steps = seconds, steps
    phases = ", ".join(f"{name} {s:.2f} s" for name, s in best_steps)
    size = report.revisions["parts"].str.len().sum() / 1e6
    print(
        f"  import: {best:.2f} s, best of {repeat} ({report.new:,} revisions, parts JSON "
        f"{size:.1f} MB; {phases})"
    )
    rollup, result = _timed(lambda: plan_status(store), repeat=3)
    periods = sum(len(s.periods) for s in result.indicators.values())
    print(
        f"  roll-up: {rollup:.2f} s ({periods:,} indicator-period statuses, "
        f"{len(result.nodes):,} node statuses)"
    )
    return store, csv, frame, indicators, plan, best, rollup, template


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.indicators", description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=40_000)
    parser.add_argument("--indicators", type=int, default=2_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--no-doubling", action="store_true", help="skip the 2x data run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="imports and COPYs per figure (the best counts)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-indicators-") as tmp:
        folder = Path(tmp)
        store, csv, frame, _, _, imported, rollup, template = run_dataset(
            folder, args.nodes, args.edges, args.indicators, args.rows, "base", args.repeat
        )
        store.close()
        copy = _copy_baseline(folder, csv, args.repeat)

        sample = frame.iloc[: args.xlsx_rows]
        xlsx = folder / "sample.xlsx"
        _write_xlsx(sample, xlsx)
        read, _ = _timed(
            lambda: pd.read_excel(xlsx, sheet_name="Data", engine="calamine", dtype=object),
            repeat=args.repeat,
        )
        checked = committed = float("inf")
        for attempt in range(args.repeat):
            xstore = _fresh(template, f"xlsx-{attempt}.lbug")
            check, report = _timed(
                lambda xstore=xstore: importer.check_file(
                    xstore, xlsx, author="bench", role="me_officer", approve=True
                )
            )
            commit, _ = _timed(lambda xstore=xstore, report=report: importer.commit(xstore, report))
            xstore.close()
            if check + commit < checked + committed:
                checked, committed = check, commit
        print(
            f"XLSX: {len(sample):,} rows; pandas+calamine read {read:.2f} s, import check "
            f"{checked:.2f} s + commit {committed:.2f} s ({report.new:,} revisions; each best "
            f"of {args.repeat})"
        )

        doubled = None
        if not args.no_doubling:
            big = run_dataset(
                folder,
                args.nodes * 2,
                args.edges * 2,
                args.indicators * 2,
                args.rows * 2,
                "doubled",
                1,
            )
            big[0].close()
            doubled = big[6]

    print("\nRatios (same run)")
    print(
        f"  import of {len(frame):,} long-format rows vs engine COPY of the same rows: "
        f"{imported / copy:.2f}x  (target <= 2x)"
    )
    print(
        f"  XLSX import of {len(sample):,} rows vs pandas reading the file: "
        f"{(checked + committed) / read:.2f}x  (target <= 1.5x; dry run alone "
        f"{checked / read:.2f}x)"
    )
    print(f"  full roll-up: {rollup:.2f} s  (target < 2 s)")
    if doubled is not None:
        print(
            f"  roll-up on twice the data: {doubled:.2f} s = {doubled / rollup:.2f}x  "
            "(target <= 2.2x)"
        )


if __name__ == "__main__":
    main()
