"""Exports: every measurement in long format (CSV or XLSX, importable again), and the
indicator performance tracking table (IPTT) per objective: indicator x period with baseline,
target, actual, % of target and status. DataFrames first, files at the edge.

Illustrative (demo) values carry ``illustrative = true`` in every export, and the XLSX files
say so on an About sheet. Every cell is written through :mod:`indicators.cells`: text that a
spreadsheet would run as a formula is neutralised, numbers stay numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.cells import write_csv, write_xlsx
from indicators.definitions import indicator_periods
from indicators.errors import FileFormatError
from indicators.model import CONFLICT, Indicator, IndicatorType, Period
from indicators.pathway_status import PlanStatus
from indicators.precision import data_number, data_percent
from indicators.records import part_dicts
from indicators.status import assess_period, counting_frame, to_date_figure
from indicators.template import ILLUSTRATIVE_NOTICE
from indicators.to_date import SUM
from toc.model import Plan

__all__ = [
    "iptt_frame",
    "measurement_rows",
    "pathway_below",
    "write_frames",
]


def _json_list(text: str) -> str:
    return "; ".join(json.loads(text)) if text else ""


def measurement_rows(
    revisions: pd.DataFrame,
    indicators: Sequence[Indicator],
    *,
    history: bool = False,
    before: str | None = None,
) -> pd.DataFrame:
    """Measurements in long format: a total row and one row per disaggregated part, with the
    revision, status, author and time. Only the latest revision of each measurement (its review
    chain), or every revision with ``history``; only revisions recorded before ``before``."""
    by_code = {i.code: i for i in indicators}
    periods = {(i.code, p.id): p for i in indicators for p in indicator_periods(i)}
    dims = sorted({d.name for i in indicators for d in i.dimensions})
    frame = revisions
    if before is not None:
        frame = frame[frame["recorded_at"] < before]
    if not history and not frame.empty:
        chain = frame[~frame["flags"].str.contains(f'"{CONFLICT}"', regex=False)]
        frame = chain.drop_duplicates(["indicator", "period"], keep="last")
    columns = [
        "indicator",
        "period",
        "period_start",
        "period_end",
        *dims,
        "value",
        "numerator",
        "denominator",
        "level",
        "narrative",
        "comment",
        "evidence",
        "status",
        "revision",
        "author",
        "recorded_at",
        "illustrative",
        "flags",
    ]
    rows = []
    for rec in frame.to_dict("records"):
        period = periods.get((rec["indicator"], rec["period"]))
        base = {
            "indicator": rec["indicator"],
            "period": rec["period"],
            "period_start": period.start.isoformat() if period else "",
            "period_end": period.end.isoformat() if period else "",
            "status": rec["status"],
            "revision": rec["revision"],
            "author": rec["author"],
            "recorded_at": rec["recorded_at"],
            "illustrative": bool(rec["illustrative"])
            or bool(by_code.get(rec["indicator"]) and by_code[rec["indicator"]].illustrative),
            "flags": _json_list(rec["flags"]),
        }
        rows.append(
            {
                **base,
                "value": rec["value"],
                "numerator": rec["numerator"],
                "denominator": rec["denominator"],
                "level": rec["level"],
                "narrative": rec["narrative"],
                "comment": rec["comment"],
                "evidence": _json_list(rec["evidence"]),
            }
        )
        for part in part_dicts(rec["parts"]):
            rows.append(
                {
                    **base,
                    **part["dims"],
                    "value": part.get("value"),
                    "numerator": part.get("numerator"),
                    "denominator": part.get("denominator"),
                    "level": part.get("level", ""),
                }
            )
    out = pd.DataFrame(rows, columns=columns)
    for name in [*dims, "level", "narrative", "comment", "evidence", "flags"]:
        out[name] = out[name].astype(object).where(out[name].notna(), "")
    return out


def pathway_below(plan: Plan, node_id: str) -> list[str]:
    """``node_id`` and every node contributing to it, directly or not (breadth first)."""
    contributors: dict[str, list[str]] = {}
    for edge in plan.edges_of_kind("CONTRIBUTES_TO"):
        contributors.setdefault(edge.target, []).append(edge.source)
    seen, queue = [node_id], [node_id]
    while queue:
        for source in sorted(contributors.get(queue.pop(0), ())):
            if source not in seen:
                seen.append(source)
                queue.append(source)
    return seen


def _expected(ind: Indicator, period: Period) -> float | None:
    assessment = assess_period(ind, period, None)
    return assessment.expected if assessment else None


def _display(ind: Indicator, number: float | None, level: str | None = None) -> float | str | None:
    """A figure as the exports show it: an ordinal's level code, else the number."""
    if ind.type is IndicatorType.ORDINAL:
        if level:
            return level
        if number is None:
            return None
        index = round(number)
        return ind.scale[index].code if 0 <= index < len(ind.scale) else None
    return number


def iptt_frame(
    result: PlanStatus,
    plan: Plan,
    revisions: pd.DataFrame,
    node_id: str,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """The IPTT of one objective (any causal node): for each indicator measuring it or a node
    below it, one row per period (baseline, target, actual, % of target, status) and a "to
    date" row by the rule of the indicator's kind (column ``to_date_rule``, see
    :mod:`indicators.to_date`): a total of amounts per period is compared with the total
    expected over the same periods, anything else with the end target. Percentages are in
    percent; ordinal values are level codes."""
    nodes = pathway_below(plan, node_id)
    counted = counting_frame(revisions, result.before)
    rows = []
    for node in nodes:
        for code in result.measured_by.get(node, ()):
            status = result.indicators[code]
            ind = status.indicator
            if node != ind.measures[0] and ind.measures[0] in nodes:
                continue  # listed once, under its first measured node in this pathway
            by_period = {p.period.id: p for p in status.periods}
            b, e = ind.baseline, ind.end_target
            base = {
                "objective": node_id,
                "node": node,
                "indicator": code,
                "title": ind.title.get(lang),
                "unit": "%" if ind.type is IndicatorType.PERCENTAGE else ind.unit,
                "baseline": _display(ind, b.value, b.level) if b else None,
                "baseline_date": b.when if b else "",
                "illustrative": status.illustrative,
            }
            for period in indicator_periods(ind):
                ps = by_period.get(period.id)
                target = ind.target_for(period.id)
                rows.append(
                    {
                        **base,
                        "period": period.id,
                        "target": _display(ind, target.value, target.level) if target else None,
                        "expected": _display(ind, ps.expected if ps else _expected(ind, period)),
                        "actual": _display(ind, ps.actual, ps.level) if ps else None,
                        "percent_of_target": ps.percent_of_target if ps else None,
                        "status": ps.status.value if ps else "no_data",
                        "to_date_rule": "",
                    }
                )
            mine = counted[counted["indicator"] == code].to_dict("records") if len(counted) else []
            figure = to_date_figure(ind, mine)
            reference: float | str | None
            if figure.rule == SUM:
                # a total: compared with the total expected over the same periods
                reference = figure.reference
            else:
                reference = _display(ind, e.value, e.level) if e else None
            rows.append(
                {
                    **base,
                    "period": "to date",
                    "target": reference,
                    "expected": figure.reference if figure.rule == SUM else None,
                    "actual": _display(ind, figure.actual),
                    "percent_of_target": figure.percent_of_reference,
                    "status": status.status.value,
                    "to_date_rule": figure.rule,
                }
            )
    columns = [
        "objective",
        "node",
        "indicator",
        "title",
        "unit",
        "baseline",
        "baseline_date",
        "period",
        "target",
        "expected",
        "actual",
        "percent_of_target",
        "status",
        "illustrative",
        "to_date_rule",
    ]
    data = _data_figures(rows, result)
    frame = pd.DataFrame(data, columns=columns)
    for name in (*_FIGURES, "percent_of_target"):  # keep whole numbers whole (12, not 12.0)
        frame[name] = pd.Series([r[name] for r in data], dtype=object)
    return frame


_FIGURES = ("baseline", "target", "expected", "actual")


def _data_figures(rows: list[dict[str, Any]], result: PlanStatus) -> list[dict[str, Any]]:
    """The rows with their computed figures as plain data numbers at the indicator's
    precision (:mod:`indicators.precision`); level codes and empty cells as they are."""
    out = []
    for row in rows:
        ind = result.indicators[row["indicator"]].indicator
        figures = {k: data_number(row[k], ind) for k in _FIGURES}
        figures["percent_of_target"] = data_percent(row["percent_of_target"])
        out.append({**row, **figures})
    return out


def _rows(frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    return frame.itertuples(index=False, name=None)


def write_frames(
    frames: dict[str, pd.DataFrame], path: str | Path, *, illustrative: bool = False
) -> None:
    """Write frames to CSV (all stacked; one frame expected) or XLSX (one sheet per frame,
    plus an About sheet when values are illustrative). Text is written as text, never as a
    formula (:mod:`indicators.cells`); numbers as numbers."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame = pd.concat(list(frames.values()), ignore_index=True)
        with open(path, "w", encoding="utf-8", newline="") as out:
            write_csv(out, list(frame.columns), _rows(frame))
        return
    if path.suffix.lower() != ".xlsx":
        raise FileFormatError(f"{path}: write .csv or .xlsx")
    sheets: dict[str, tuple[Sequence[Any], Iterable[Sequence[Any]]]] = {
        name: (list(frame.columns), _rows(frame)) for name, frame in frames.items()
    }
    if illustrative:
        sheets["About"] = (["About"], [[ILLUSTRATIVE_NOTICE]])
    write_xlsx(path, sheets)
