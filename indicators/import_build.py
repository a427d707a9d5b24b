"""Turning checked import rows into the revisions a commit appends.

Per measurement (``indicator|period``) the total row becomes one revision; its disaggregated
part rows become the revision's canonical parts JSON, and sums of parts that do not add up to
the total become flags (warnings, never corrections). A measurement whose latest revision
already holds the same value is left alone, so importing the same file twice changes nothing.
The parts and the sums are built column-wise for all measurements at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators.errors import ImportProblem
from indicators.import_check import CheckedRows
from indicators.import_reasons import why
from indicators.model import CONFLICT, Indicator, IndicatorType, RevisionStatus
from indicators.plausibility import Limits, flag_rows, limits_of
from indicators.records import COLUMNS, VALUE_COLUMNS, json_list, part_dicts, parts_json_groups
from indicators.store_protocol import IndicatorStorage

__all__ = ["build_revisions", "latest_revisions"]

_TRUE = ("true", "yes", "1")


def latest_revisions(store: IndicatorStorage, codes: Sequence[str]) -> pd.DataFrame:
    """Per measurement of ``codes``: the latest review-chain revision (conflict copies
    aside) and, as ``_max``, the highest revision number."""
    frame = store.revision_frame(
        columns=["indicator", "period", "revision", "status", *VALUE_COLUMNS, "files", "flags"]
    )
    if frame.empty:
        return frame.assign(_max=pd.Series(dtype="int64"))
    frame = frame[frame["indicator"].isin(list(codes))]
    top = frame.groupby(["indicator", "period"])["revision"].max().rename("_max")
    chain = frame[~frame["flags"].str.contains(f'"{CONFLICT}"', regex=False)]
    latest = chain.drop_duplicates(["indicator", "period"], keep="last")
    return latest.merge(top, on=["indicator", "period"], how="right")


def _evidence(cells: list[str]) -> list[str]:
    """Evidence cells (links or file names separated by ``;`` or new lines) as JSON lists."""
    return [
        json_list(item.strip() for item in re.split(r"[;\n]", cell) if item.strip()) if cell else ""
        for cell in cells
    ]


def _per_indicator(
    rows: CheckedRows,
    at: np.ndarray,
    by_code: dict[str, Indicator],
    attribute: Callable[[Indicator], object],
) -> np.ndarray:
    """``attribute(indicator)`` for the indicator of each row at the positions ``at``."""
    return rows.text["indicator"].take(at).lookup({c: attribute(i) for c, i in by_code.items()})


def _sum_flags(
    rows: CheckedRows,
    parts: np.ndarray,
    total_of_key: np.ndarray,
    by_code: dict[str, Indicator],
    sheet: str,
) -> tuple[dict[int, list[str]], list[ImportProblem]]:
    """Per measurement (key id), a flag for each set of dimensions whose parts do not add up
    to the total, and the same as warnings on the total's row. ``parts`` are the positions
    of part rows, ``total_of_key`` the position of each key's total row."""
    summable = _per_indicator(rows, parts, by_code, lambda i: i.type.summable).astype(bool)
    parts = parts[summable]
    if len(parts) == 0:
        return {}, []
    names = sorted(rows.dimensions)
    mask = np.zeros(len(parts), dtype=np.int64)
    for bit, name in enumerate(names):
        filled = rows.text[name].filled()[parts]
        mask |= filled.astype(np.int64) << bit
    groups, combined = pd.factorize(rows.key_id[parts] * (1 << len(names)) + mask)
    combined = np.asarray(combined, dtype=np.int64)

    def summed(name: str) -> np.ndarray:
        cells = rows.numbers[name][parts]
        sums = np.bincount(groups, weights=np.nan_to_num(cells), minlength=len(combined))
        counts = np.bincount(groups, weights=~np.isnan(cells), minlength=len(combined))
        return np.where(counts > 0, sums, np.nan)

    sums = {name: summed(name) for name in ("value", "numerator", "denominator")}
    keys, masks = combined >> len(names), combined & ((1 << len(names)) - 1)
    total = total_of_key[keys]
    value, num, den = (rows.numbers[n][total] for n in ("value", "numerator", "denominator"))

    def close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.isclose(np.nan_to_num(a), np.nan_to_num(b), rtol=1e-9, atol=1e-9)

    pct = ~np.isnan(num)
    close_ratio = close(sums["numerator"], num) & close(sums["denominator"], den)
    bad = np.flatnonzero(np.where(pct, ~close_ratio, ~close(sums["value"], value)))
    flags: dict[int, list[str]] = {}
    warnings = []
    for g in bad:
        by = " x ".join(n for bit, n in enumerate(names) if int(masks[g]) >> bit & 1)
        if pct[g]:
            reason = why(
                "parts_sum_ratio",
                by=by,
                numerator=f"{sums['numerator'][g]:g}",
                denominator=f"{sums['denominator'][g]:g}",
                total_numerator=f"{num[g]:g}",
                total_denominator=f"{den[g]:g}",
            )
        else:
            reason = why("parts_sum", by=by, sum=f"{sums['value'][g]:g}", total=f"{value[g]:g}")
        flags.setdefault(int(keys[g]), []).append(reason.text)
        warnings.append(
            ImportProblem.because(
                sheet, int(rows.row[total[g]]), rows.column("value"), reason, "warning"
            )
        )
    return flags, warnings


def _plausibility_flags(
    rows: CheckedRows, by_code: dict[str, Indicator], sheet: str
) -> tuple[dict[int, list[str]], list[ImportProblem]]:
    """Per measurement (key id), the plausibility warnings of its total and parts
    (:mod:`indicators.plausibility`), and the same as warnings on their rows."""
    indicator = rows.text["indicator"]
    limits = [limits_of(by_code[c]) if c in by_code else Limits() for c in indicator.values]
    # One entry per distinct indicator, spread to the rows with a NumPy take.
    arrays = {
        "share_over_100": np.array([lim.share_over_100 for lim in limits], dtype=bool),
        "negative": np.array([lim.negative for lim in limits], dtype=bool),
        "far": np.array([np.nan if lim.far is None else lim.far for lim in limits], float),
        "largest": np.array(
            [np.nan if lim.largest is None else lim.largest for lim in limits], float
        ),
    }
    arrays = {name: values[indicator.codes] for name, values in arrays.items()}
    names = sorted(rows.dimensions)

    def label(i: int) -> str:
        dims = [(n, rows.text[n][i]) for n in names if rows.text[n][i]]
        return "[" + ", ".join(f"{n}={v}" for n, v in dims) + "] "

    found = flag_rows(
        arrays,
        rows.numbers["value"],
        rows.numbers["numerator"],
        rows.numbers["denominator"],
        ~rows.part,
        label,
    )
    flags: dict[int, list[str]] = {}
    warnings = []
    for i, reason in found:
        flags.setdefault(int(rows.key_id[i]), []).append(reason.text)
        column = "value" if np.isnan(rows.numbers["numerator"][i]) else "numerator"
        warnings.append(
            ImportProblem.because(sheet, int(rows.row[i]), rows.column(column), reason, "warning")
        )
    return flags, warnings


def _parts_meaning(text: str) -> list:
    """Parts JSON as comparable data: dimensions and numbers, whatever their spelling."""
    return sorted(
        (sorted(p["dims"].items()), sorted((k, v) for k, v in p.items() if k != "dims"))
        for p in part_dicts(text)
    )


def _same_values(merged: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    same = pd.Series(True, index=merged.index)
    for name in names:
        new, old = merged[name], merged[f"{name}_old"]
        if name in ("value", "numerator", "denominator"):
            same &= new.fillna(-math.inf) == old.fillna(-math.inf)
        else:
            same &= new.fillna("") == old.fillna("")
    return same


def build_revisions(
    rows: CheckedRows,
    indicators: Sequence[Indicator],
    latest: pd.DataFrame,
    *,
    status: RevisionStatus,
    author: str,
    role: str,
    now: str,
    reason: str,
    illustrative: bool,
    sheet: str,
) -> tuple[pd.DataFrame, int, list[ImportProblem]]:
    """The revisions to append for checked rows (record form), how many measurements are
    unchanged, and the warnings (disaggregations that do not add up; returned values that
    were not edited)."""
    by_code = {i.code: i for i in indicators}
    totals = np.flatnonzero(~rows.part)
    parts = np.flatnonzero(rows.part)
    keys = int(rows.key_id.max()) + 1
    total_of_key = np.full(keys, -1, dtype=np.int64)
    total_of_key[rows.key_id[totals]] = totals

    def text(name: str) -> list[str]:
        return rows.text[name].take(totals).strings()

    value = rows.numbers["value"][totals]
    num, den = rows.numbers["numerator"][totals], rows.numbers["denominator"][totals]
    pct = _per_indicator(rows, totals, by_code, lambda i: i.type is IndicatorType.PERCENTAGE)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(pct.astype(bool), num / den * 100.0, value)

    part_text = np.full(len(totals), "", dtype=object)
    flags = np.full(len(totals), "", dtype=object)
    warnings: list[ImportProblem] = []
    slot = np.zeros(keys, dtype=np.int64)
    slot[rows.key_id[totals]] = np.arange(len(totals))
    by_key: dict[int, list[str]] = {}
    if len(parts):
        json_of_key = parts_json_groups(
            rows.key_id[parts],
            keys,
            {name: rows.text[name].take(parts) for name in rows.dimensions},
            rows.text["level"].take(parts),
            {name: rows.numbers[name][parts] for name in ("value", "numerator", "denominator")},
        )
        part_text = np.array(
            json_of_key.take(pa.array(rows.key_id[totals])).to_pylist(), dtype=object
        )
        by_key, warnings = _sum_flags(rows, parts, total_of_key, by_code, sheet)
    plausible, doubts = _plausibility_flags(rows, by_code, sheet)
    warnings += doubts
    for key, texts in plausible.items():
        by_key.setdefault(key, []).extend(texts)
    for key, texts in by_key.items():
        flags[slot[key]] = json_list(texts)
    marked = rows.text["illustrative"].take(totals).where(lambda v: v.lower() in _TRUE)
    code_illustrative = _per_indicator(rows, totals, by_code, lambda i: i.illustrative)
    out = pd.DataFrame(
        {
            "indicator": text("indicator"),
            "period": text("period"),
            "status": status.value,
            "value": value.astype(float),
            "numerator": num,
            "denominator": den,
            "level": text("level"),
            "narrative": text("narrative"),
            "parts": part_text,
            "comment": text("comment"),
            "evidence": _evidence(text("evidence")),
            "author": author,
            "role": role,
            "recorded_at": now,
            "reason": reason,
            "review_note": "",
            "illustrative": marked | code_illustrative.astype(bool) | illustrative,
            "flags": flags,
            "_row": rows.row[totals],
        }
    )
    if latest.empty:  # nothing recorded yet for these indicators: every value is new
        result = out.drop(columns="_row").assign(revision=1, base_revision=0, files="")
        unchanged = 0
    else:
        result, unchanged = _changed(out, latest, status, sheet, warnings)
    result["uid"] = (
        result["indicator"] + "|" + result["period"] + "|" + result["revision"].astype(str)
    )
    return result[list(COLUMNS)].reset_index(drop=True), unchanged, warnings


def _changed(
    out: pd.DataFrame,
    latest: pd.DataFrame,
    status: RevisionStatus,
    sheet: str,
    warnings: list[ImportProblem],
) -> tuple[pd.DataFrame, int]:
    """The new revisions among ``out`` (those whose value differs from the latest stored
    one, or that move it along the review chain), numbered after the stored ones; and how
    many are unchanged. Returned values sent again unedited become ``warnings``."""
    merged = out.merge(latest, on=["indicator", "period"], how="left", suffixes=("", "_old"))
    same = _same_values(merged, VALUE_COLUMNS)
    # Parts are compared as text; text that differs only in how numbers are written (an older
    # version of the canonical form) is compared by meaning.
    parts_new, parts_old = merged["parts"].fillna(""), merged["parts_old"].fillna("")
    recheck = ~same & (parts_new != parts_old) & (parts_new != "") & (parts_old != "")
    if recheck.any():
        others = _same_values(merged, [n for n in VALUE_COLUMNS if n != "parts"])
        for pos in merged.index[recheck & others]:
            if _parts_meaning(parts_new[pos]) == _parts_meaning(parts_old[pos]):
                same[pos] = True
    old_status = merged["status_old"].fillna("")
    if status is RevisionStatus.APPROVED:
        skip = same & (old_status == "approved")
    else:
        skip = same & old_status.isin(["submitted", "approved"])
    resubmit = same & (old_status == "returned")
    for pos in merged.index[resubmit & ~skip]:
        warnings.append(
            ImportProblem.because(
                sheet,
                int(merged["_row"][pos]),
                "",
                why(
                    "returned_unedited", code=merged["indicator"][pos], period=merged["period"][pos]
                ),
                "warning",
            )
        )
    skip |= resubmit
    unchanged = int(skip.sum())
    keep = merged.loc[~skip]
    result = keep[[c for c in out.columns if c != "_row"]].copy()
    result["revision"] = keep["_max"].fillna(0).astype("int64").to_numpy() + 1
    result["base_revision"] = keep["revision"].fillna(0).astype("int64").to_numpy()
    # a sheet carries no files: a new value keeps those attached to the one it follows
    result["files"] = keep["files"].fillna("").to_numpy()
    return result, unchanged
