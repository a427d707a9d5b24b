"""Import measurements from a spreadsheet: a CSV file or an XLSX workbook in long format (the
template of :mod:`indicators.template`, or any file with the same columns).

One row is one value: ``indicator``, ``period``, a column per disaggregation dimension (empty
on the row with the total), ``value`` or ``numerator`` and ``denominator`` (percentages) or
``level`` (ordinal) or ``narrative``, then ``comment``, ``evidence`` (links or file names
separated by ``;``) and ``illustrative`` (true/false). Rows with no value at all are "not
reported" and skipped. Columns of the measurement export (status, revision, ...) are accepted
and ignored, so an export can be imported back.

An import is a dry run first (:func:`check_file`): every problem is listed with sheet, row
and column as the user sees them in the spreadsheet (header row 1, first data row 2) and a
reason; nothing is silently coerced: text or a formula where a number belongs, an unknown
indicator, a period outside the plan, a duplicate row, a value for a dimension the indicator
does not have are all errors. :func:`commit` then appends one revision per changed
measurement, all or nothing, as ``submitted`` (or ``approved`` when an M&E officer imports
with ``approve``); a measurement whose latest revision already holds the same value is left
alone, so importing the same file twice changes nothing. Disaggregated parts that do not add
up to the total are warnings, kept as flags on the revision.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from graphdb.indicator_store import RevisionConflict
from indicators.definitions import indicator_periods
from indicators.errors import ImportFailed, ImportProblem, IndicatorError, PermissionDenied
from indicators.model import CONFLICT, Indicator, IndicatorType, RevisionStatus, now_stamp
from indicators.records import COLUMNS, VALUE_COLUMNS, json_list, parts_json_column
from indicators.workflow import may

__all__ = [
    "IGNORED_COLUMNS",
    "NUMBER_COLUMNS",
    "TEXT_COLUMNS",
    "ImportReport",
    "check_file",
    "check_frame",
    "commit",
    "formula_cells",
    "read_table",
]

NUMBER_COLUMNS = ("value", "numerator", "denominator")
TEXT_COLUMNS = ("indicator", "period", "level", "narrative", "comment", "evidence", "illustrative")
#: Columns of the measurement export that an import accepts and ignores.
IGNORED_COLUMNS = (
    "title",
    "unit",
    "type",
    "status",
    "revision",
    "author",
    "role",
    "recorded_at",
    "period_start",
    "period_end",
    "flags",
    "reason",
    "review_note",
)
_REQUIRED = ("indicator", "period")
_MAX_PROBLEMS = 1000
_PERIOD_RANGE = re.compile(r"^(?:FY)?(\d{4})")
#: A plain decimal number: digits, an optional point, an optional exponent.
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Table:
    """A sheet as read: cells (text for CSV, typed values for XLSX), where its header is, and
    the data cells holding formulas (as (row, column name))."""

    frame: pd.DataFrame
    sheet: str
    header_row: int = 1
    letters: dict[str, str] = field(default_factory=dict)
    formulas: frozenset[tuple[int, str]] = frozenset()
    typed: bool = False


@dataclass
class ImportReport:
    """The result of checking a file: problems, counts, and the revisions a commit appends."""

    file: str
    rows: int = 0
    measurements: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    revisions: pd.DataFrame | None = None
    expected_count: int = 0

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def new(self) -> int:
        return 0 if self.revisions is None else len(self.revisions)

    @property
    def illustrative(self) -> int:
        """How many of the new revisions are illustrations (demo data)."""
        return 0 if self.revisions is None else int(self.revisions["illustrative"].sum())


# -- reading -----------------------------------------------------------------------------------


def _letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` (XLSX: the sheet named ``sheet``, else
    "Data", else the first). CSV cells stay text; XLSX cells keep their types (calamine)."""
    path = Path(path)
    if not path.exists():
        raise IndicatorError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        try:
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                engine="pyarrow",
            )
        except (ValueError, UnicodeDecodeError) as e:
            raise IndicatorError(f"{path}: cannot read as CSV (UTF-8): {e}") from None
        return Table(frame, path.name)
    if suffix not in (".xlsx", ".xlsm"):
        raise IndicatorError(f"{path}: import reads .csv and .xlsx files")
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        name = sheet or ("Data" if "Data" in names else names[0])
        if name not in names:
            raise IndicatorError(f"{path}: no sheet {name!r} (sheets: {', '.join(names)})")
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, OSError, ValueError) as e:
        raise IndicatorError(f"{path}: not a readable XLSX workbook: {e}") from None
    # The same cells pandas' calamine reader gives, without its per-cell conversion loop.
    header = [
        str(c) if c != "" else f"Unnamed: {i}" for i, c in enumerate(cells[0] if cells else [])
    ]
    frame = pd.DataFrame(cells[1:], columns=header, dtype=object) if header else pd.DataFrame()
    letters = {str(c): _letter(i) for i, c in enumerate(frame.columns)}
    formulas = formula_cells(path, name)
    by_letter = {v: k for k, v in letters.items()}
    found = frozenset((row, by_letter[col]) for row, col in formulas if col in by_letter)
    return Table(frame, name, 1, letters, found, typed=True)


_FORMULA = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d+)"[^>]*?>\s*<(?:\w+:)?f[\s>/]')
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def formula_cells(path: str | Path, sheet: str) -> set[tuple[int, str]]:
    """The cells of ``sheet`` that hold a formula, as (row number, column letter).

    calamine returns a formula's cached result (or nothing when the file was written without
    one), so formulas are found in the sheet's XML: one regular-expression pass over it.
    """
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = None
        for node in book.iterfind("m:sheets/m:sheet", _NS):
            if node.get("name") == sheet:
                rid = node.get(f"{{{_NS['r']}}}id")
        target = None
        for rel in rels.iterfind("p:Relationship", _NS):
            if rel.get("Id") == rid:
                target = rel.get("Target")
        if target is None:
            return set()
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        data = z.read(member)
    if b"<f" not in data and b":f>" not in data and b":f " not in data:
        return set()  # no formula element at all: skip the scan
    return {(int(m.group(2)), m.group(1).decode()) for m in _FORMULA.finditer(data)}


# -- checking ------------------------------------------------------------------------------------


def _lookup(column: pd.Series, mapping: dict, default) -> pd.Series:
    """``column`` mapped through ``mapping``; cells not in it become ``default``."""
    mapped = column.map(mapping).astype(object)
    return mapped.where(mapped.notna(), default)


def _isin(column: pd.Series, values: set[str]) -> pd.Series:
    """``column.isin(values)`` for text, computed by Arrow (fast on a million rows)."""
    found = pc.is_in(pa.array(column.astype(str)), value_set=pa.array(sorted(values), pa.string()))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=column.index)


class _Problems:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.items: list[ImportProblem] = []
        self.seen: set[tuple[int, str]] = set()

    def column(self, name: str) -> str:
        letter = self.table.letters.get(name)
        return f"{letter} ({name})" if letter else name

    def add(self, rows: pd.Series | Sequence[int], column: str, reason, level="error") -> None:
        """Problems on data rows (0-based frame positions); ``reason`` is text or a function
        of the position."""
        for pos in list(rows)[: _MAX_PROBLEMS - len(self.items)]:
            if (pos, column) in self.seen:
                continue  # one problem per cell: the first says what is wrong
            self.seen.add((pos, column))
            text = reason(pos) if callable(reason) else reason
            self.items.append(
                ImportProblem(
                    self.table.sheet,
                    self.row(pos),
                    self.column(column) if column else "",
                    text,
                    level,
                )
            )

    def header(self, column: str, reason: str) -> None:
        self.items.append(
            ImportProblem(self.table.sheet, self.table.header_row, self.column(column), reason)
        )

    def row(self, pos: int) -> int:
        return self.table.header_row + 1 + int(pos)

    @property
    def full(self) -> bool:
        return len(self.items) >= _MAX_PROBLEMS


_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool"}


def _kinds(column: pd.Series) -> pd.Series:
    """The type name of each cell ("str", "int", "float", "bool", "datetime", ...)."""
    types = pd.Series(list(map(type, column.to_numpy(dtype=object))), index=column.index)
    names = types.map(_TYPE_NAMES)
    return names.astype(object).where(names.notna(), "other")


def _text_column(table: Table, name: str, problems: _Problems) -> pd.Series:
    """A column as stripped text; XLSX numbers that are whole become their digits (ids such
    as 2027), other non-text cells are problems."""
    column = table.frame[name]
    if not table.typed:
        return column.astype(str).str.strip()
    kinds = _kinds(column)
    text = column.where(kinds == "str", "").astype(str).str.strip()
    numeric = kinds.isin(["int", "float"])
    if numeric.any():
        values = column[numeric].astype(float)
        whole = values.map(lambda v: math.isfinite(v) and v.is_integer())
        text[whole[whole].index] = values[whole].astype(np.int64).astype(str)
        bad = whole[~whole].index
        problems.add(bad, name, lambda p: f"a number ({column[p]!r}) where text belongs")
    other = ~(kinds.isin(["str", "int", "float"]))
    if other.any():
        problems.add(
            other[other].index,
            name,
            lambda p: f"{type(column[p]).__name__} value {column[p]!r} where text belongs",
        )
    return text


def _number_column(table: Table, name: str, problems: _Problems) -> pd.Series:
    """A column as floats (NaN = empty); text, booleans, dates and non-finite numbers in it
    are problems."""
    column = table.frame[name]
    if not table.typed:
        text = column.astype(str).str.strip()
        cells = pa.array(text, pa.string())
        present = pc.not_equal(cells, "")
        valid = pc.match_substring_regex(cells, _NUMBER)
        parsed = pc.cast(pc.if_else(valid, cells, pa.scalar(None, pa.string())), pa.float64())
        numbers = pd.Series(parsed.to_numpy(zero_copy_only=False), index=column.index)
        present = pd.Series(present.to_numpy(zero_copy_only=False), index=column.index)
        bad = present & ~(pd.Series(valid.to_numpy(zero_copy_only=False), index=column.index))
        bad |= present & ~np.isfinite(numbers.fillna(0.0))
        if bad.any():
            problems.add(
                bad[bad].index,
                name,
                lambda p: f"not a number: {text[p]!r} (use digits and a decimal point)",
            )
        return numbers.where(present & ~bad)
    kinds = _kinds(column)
    ok = kinds.isin(["int", "float"])
    numbers = column.where(ok, np.nan).astype(float)
    empty = kinds == "str"
    empty &= column.where(empty, "x").astype(str).str.strip() == ""
    text = (kinds == "str") & ~empty
    if text.any():
        problems.add(text[text].index, name, lambda p: f"text {column[p]!r} where a number belongs")
    other = ~(ok | (kinds == "str"))
    if other.any():
        problems.add(
            other[other].index,
            name,
            lambda p: f"{type(column[p]).__name__} {column[p]!r} where a number belongs",
        )
    infinite = ok & ~np.isfinite(numbers.fillna(0.0))
    if infinite.any():
        problems.add(infinite[infinite].index, name, "the number must be finite")
    return numbers.where(ok & ~infinite)


def _plan_years(indicators: Sequence[Indicator]) -> tuple[int, int] | None:
    years = [(i.start_year, i.end_year) for i in indicators if i.start_year and i.end_year]
    if not years:
        return None
    return min(y[0] for y in years), max(y[1] for y in years)


def check_frame(
    table: Table,
    indicators: Sequence[Indicator],
) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Check a table against the indicator definitions; return the reported rows, parsed
    (text columns stripped, numbers as floats, one column per dimension, ``_row`` the
    spreadsheet row), and every problem, sorted by row."""
    problems = _Problems(table)
    frame = table.frame
    by_code = {i.code: i for i in indicators}
    dimension_names = sorted({d.name for i in indicators for d in i.dimensions})

    # Columns.
    columns: dict[str, str] = {}
    for raw in frame.columns:
        name = str(raw).strip().lower()
        if name in columns.values():
            problems.header(str(raw), f"column {name!r} appears twice")
            continue
        known = (*NUMBER_COLUMNS, *TEXT_COLUMNS, *IGNORED_COLUMNS, *dimension_names)
        if name.startswith("unnamed:") and (frame[raw].astype(str).str.strip() == "").all():
            continue
        if name not in known:
            problems.header(
                str(raw),
                f"unknown column {str(raw)!r}: expected indicator, period, value, numerator, "
                "denominator, level, narrative, comment, evidence or a dimension "
                f"({', '.join(dimension_names) or 'none defined'})",
            )
            continue
        columns[raw] = name
    missing = [c for c in _REQUIRED if c not in columns.values()]
    for name in missing:
        problems.header(name, f"the {name} column is missing")
    if missing:
        return pd.DataFrame(), sorted(problems.items)
    table = Table(
        frame.rename(columns=columns)[list(columns.values())],
        table.sheet,
        table.header_row,
        {columns[k]: v for k, v in table.letters.items() if k in columns},
        frozenset((r, columns[c]) for r, c in table.formulas if c in columns),
        table.typed,
    )
    problems.table = table
    frame = table.frame
    present_dims = [d for d in dimension_names if d in frame.columns]

    if table.typed and "illustrative" in frame:
        flags = frame["illustrative"].map(lambda v: str(v).lower() if isinstance(v, bool) else v)
        table = Table(frame.assign(illustrative=flags), table.sheet, table.header_row,
                      table.letters, table.formulas, table.typed)  # fmt: skip
        frame = table.frame
    parsed = pd.DataFrame(index=frame.index)
    for name in TEXT_COLUMNS:
        parsed[name] = _text_column(table, name, problems) if name in frame else ""
    for name in present_dims:
        parsed[name] = _text_column(table, name, problems)
    for name in NUMBER_COLUMNS:
        parsed[name] = _number_column(table, name, problems) if name in frame else np.nan
    for row, name in sorted(table.formulas):
        pos = row - table.header_row - 1
        if 0 <= pos < len(frame):
            where = "a number" if name in NUMBER_COLUMNS else "a value"
            problems.add([pos], name, f"a formula where {where} belongs; enter the value itself")

    has_value = parsed[list(NUMBER_COLUMNS)].notna().any(axis=1)
    has_value |= (parsed["level"] != "") | (parsed["narrative"] != "")
    for name in NUMBER_COLUMNS:
        if name in frame and table.typed:
            cells = frame[name]
            is_text = _kinds(cells) == "str"
            blank = is_text & (cells.where(is_text, "x").astype(str).str.strip() == "")
            has_value |= ~blank
        elif name in frame:
            has_value |= frame[name].astype(str).str.strip() != ""
    if table.formulas:
        formula_rows = {r - table.header_row - 1 for r, _ in table.formulas}
        has_value |= parsed.index.isin(list(formula_rows))
    extra = (parsed["comment"] != "") | (parsed["evidence"] != "")
    problems.add(
        parsed.index[extra & ~has_value], "comment", "a comment or evidence without a value"
    )
    reported = parsed.loc[has_value].copy()
    extra = extra.loc[has_value]
    if reported.empty:
        return reported, sorted(problems.items)

    # Indicator and period.
    codes = reported["indicator"]
    blank = codes == ""
    problems.add(reported.index[blank], "indicator", "the indicator is empty")
    unknown = ~_isin(codes, set(by_code)) & ~blank
    problems.add(reported.index[unknown], "indicator", lambda p: f"unknown indicator {codes[p]!r}")
    known = ~blank & ~unknown
    valid = {f"{i.code}|{p.id}" for i in indicators for p in indicator_periods(i)}
    keys = codes + "|" + reported["period"]
    bad_period = known & ~_isin(keys, valid)
    years = _plan_years(indicators)

    def period_reason(pos: int) -> str:
        period, ind = reported["period"][pos], by_code[codes[pos]]
        if not period:
            return "the period is empty"
        match = _PERIOD_RANGE.match(period)
        if years and match and not years[0] <= int(match.group(1)) <= years[1]:
            return f"period {period!r} is outside the plan ({years[0]}-{years[1]})"
        ids = [p.id for p in indicator_periods(ind)]
        return (
            f"{period!r} is not a period of {ind.code}, which reports per "
            f"{ind.frequency.value} ({ids[0]} .. {ids[-1]})"
        )

    problems.add(reported.index[bad_period], "period", period_reason)
    ok = known & ~bad_period

    # Dimensions.
    allowed = {f"{i.code}|{d.name}|{v}" for i in indicators for d in i.dimensions for v in d.values}
    has_dim = {f"{i.code}|{d.name}" for i in indicators for d in i.dimensions}
    is_part = pd.Series(False, index=reported.index)
    for name in present_dims:
        cells = reported[name]
        filled = ok & (cells != "")
        is_part |= cells != ""
        if not filled.any():
            continue
        no_dim = filled & ~_isin(codes + "|" + name, has_dim)
        problems.add(
            reported.index[no_dim],
            name,
            lambda p, n=name: f"{codes[p]} has no dimension {n!r}; leave it empty",
        )
        bad = filled & ~no_dim & ~_isin(codes + "|" + name + "|" + cells, allowed)
        problems.add(
            reported.index[bad],
            name,
            lambda p, n=name: (
                f"{reported[n][p]!r} is not a value of {n} for {codes[p]} "
                f"({', '.join(by_code[codes[p]].dimension(n).values)})"
            ),
        )

    # Values by indicator type.
    types = _lookup(codes, {c: i.type.value for c, i in by_code.items()}, "")
    num, den, value = reported["numerator"], reported["denominator"], reported["value"]
    level, text = reported["level"], reported["narrative"]

    def refuse(mask: pd.Series, column: str, reason) -> None:
        problems.add(reported.index[ok & mask], column, reason)

    counts = types.isin(["number", "currency"])
    refuse(
        counts & value.isna(),
        "value",
        lambda p: f"{types[p]} indicator {codes[p]}: a value is required",
    )
    for col, mask in (
        ("numerator", num.notna()),
        ("denominator", den.notna()),
        ("level", level != ""),
        ("narrative", text != ""),
    ):
        refuse(counts & mask, col, lambda p: f"{types[p]} indicator {codes[p]}: only a value")
    pct = types == "percentage"
    refuse(
        pct & (num.isna() | den.isna()),
        "numerator",
        lambda p: f"percentage {codes[p]}: give the numerator and the denominator",
    )
    refuse(pct & (den <= 0), "denominator", "the denominator must be greater than 0")
    refuse(pct & (num < 0), "numerator", "the numerator must not be negative")
    ratio = num / den.where(den > 0) * 100.0
    mismatch = pct & value.notna() & ratio.notna() & ~np.isclose(value, ratio, rtol=1e-6, atol=1e-6)
    refuse(
        mismatch,
        "value",
        lambda p: f"{value[p]:g} % does not match {num[p]:g}/{den[p]:g} = {ratio[p]:g} %",
    )
    refuse(pct & ((level != "") | (text != "")), "level", "a percentage has no level or narrative")
    ordinal = types == "ordinal"
    scale = {f"{i.code}|{lv.code}" for i in indicators for lv in i.scale}
    refuse(ordinal & (level == ""), "level", lambda p: f"ordinal {codes[p]}: a level is required")
    refuse(
        ordinal & (level != "") & ~_isin(codes + "|" + level, scale),
        "level",
        lambda p: (
            f"{level[p]!r} is not a level of {codes[p]} "
            f"({', '.join(lv.code for lv in by_code[codes[p]].scale)})"
        ),
    )
    refuse(
        ordinal & (value.notna() | num.notna() | den.notna()),
        "value",
        "an ordinal indicator records a level, not a number",
    )
    narrative = types == "narrative"
    refuse(narrative & (text == ""), "narrative", "a narrative text is required")
    refuse(
        narrative & (value.notna() | num.notna() | den.notna() | (level != "")),
        "narrative",
        "a narrative indicator records text only",
    )
    refuse(narrative & is_part, "narrative", "a narrative cannot be disaggregated")
    refuse(is_part & extra, "comment", "comments and evidence belong on the total row")
    flag = reported["illustrative"].str.lower()
    refuse(
        ~flag.isin(["", "true", "false", "yes", "no", "1", "0"]),
        "illustrative",
        lambda p: f"illustrative must be true or false, got {reported['illustrative'][p]!r}",
    )

    # Duplicates and totals.
    key_codes = pd.factorize(keys)[0].astype(np.int64)
    combined = pd.DataFrame({"key": key_codes}, index=reported.index)
    for name in present_dims:
        combined[name] = pd.factorize(reported[name])[0]
    dup = ok & combined.duplicated(keep="first")
    first_seen = pd.Series(0, index=reported.index)
    if dup.any():
        first = combined.reset_index().groupby(list(combined.columns))["index"].transform("min")
        first_seen = pd.Series(first.to_numpy(), index=reported.index)
    problems.add(
        reported.index[dup],
        "indicator",
        lambda p: (
            f"duplicate row: same indicator, period and dimensions as row "
            f"{problems.row(first_seen[p])}"
        ),
    )
    totals = set(keys[ok & ~is_part])
    orphan = ok & is_part & ~_isin(keys, totals) & ~keys.duplicated(keep="first")
    problems.add(
        reported.index[orphan],
        "value",
        lambda p: (
            f"disaggregated values of {keys[p].replace('|', ' ')} without a total "
            "row (a row with the dimension columns empty)"
        ),
    )

    reported["_row"] = reported.index + table.header_row + 1
    reported["_part"] = is_part
    reported["_key"] = keys
    reported.attrs["dimensions"] = present_dims
    return reported, sorted(problems.items)


# -- building revisions ------------------------------------------------------------------------


def _evidence(text: pd.Series) -> pd.Series:
    def split(cell: str) -> str:
        return json_list(item.strip() for item in re.split(r"[;\n]", cell) if item.strip())

    out = pd.Series("", index=text.index, dtype=object)
    filled = text != ""
    out[filled] = text[filled].map(split)
    return out


def _latest_frame(store, codes: Sequence[str]) -> pd.DataFrame:
    """Per measurement: the latest review-chain revision, and the highest revision number."""
    frame = store.revision_frame(
        columns=["indicator", "period", "revision", "status", *VALUE_COLUMNS, "flags"]
    )
    if frame.empty:
        return frame.assign(_max=pd.Series(dtype="int64"))
    frame = frame[frame["indicator"].isin(list(codes))]
    top = frame.groupby(["indicator", "period"])["revision"].max().rename("_max")
    chain = frame[~frame["flags"].str.contains(f'"{CONFLICT}"', regex=False)]
    latest = chain.drop_duplicates(["indicator", "period"], keep="last")
    return latest.merge(top, on=["indicator", "period"], how="right")


def _build(
    rows: pd.DataFrame,
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
    """The revisions to append for checked rows, how many measurements are unchanged, and the
    warnings (disaggregations that do not add up)."""
    by_code = {i.code: i for i in indicators}
    dims = rows.attrs.get("dimensions", [])
    totals = rows.loc[~rows["_part"]].copy()
    parts = rows.loc[rows["_part"]]
    pct = (
        totals["indicator"]
        .map({c: i.type is IndicatorType.PERCENTAGE for c, i in by_code.items()})
        .astype(bool)
    )
    ratio = totals["numerator"] / totals["denominator"] * 100.0
    totals["value"] = totals["value"].where(~pct, ratio)
    if not parts.empty:
        part_json = parts_json_column(parts, "_key", dims)
        totals["parts"] = totals["_key"].map(part_json).fillna("")
    else:
        totals["parts"] = ""
    totals["evidence"] = _evidence(totals["evidence"])
    warnings: list[ImportProblem] = []
    flags = pd.Series("", index=totals.index, dtype=object)
    if not parts.empty:
        flags, warnings = _sum_flags(totals, parts, dims, by_code, sheet)
    marked = totals["illustrative"].str.lower().isin(["true", "yes", "1"])
    code_illustrative = (
        totals["indicator"].map({c: i.illustrative for c, i in by_code.items()}).astype(bool)
    )
    out = pd.DataFrame(
        {
            "indicator": totals["indicator"],
            "period": totals["period"],
            "status": status.value,
            "value": totals["value"].astype(float),
            "numerator": totals["numerator"].astype(float),
            "denominator": totals["denominator"].astype(float),
            "level": totals["level"],
            "narrative": totals["narrative"],
            "parts": totals["parts"],
            "comment": totals["comment"],
            "evidence": totals["evidence"],
            "author": author,
            "role": role,
            "recorded_at": now,
            "reason": reason,
            "review_note": "",
            "illustrative": marked | code_illustrative | illustrative,
            "flags": flags.reindex(totals.index).fillna(""),
            "_row": totals["_row"],
        }
    ).reset_index(drop=True)
    merged = out.merge(latest, on=["indicator", "period"], how="left", suffixes=("", "_old"))
    same = pd.Series(True, index=merged.index)
    for name in VALUE_COLUMNS:
        new, old = merged[name], merged[f"{name}_old"]
        if name in ("value", "numerator", "denominator"):
            same &= new.fillna(-math.inf) == old.fillna(-math.inf)
        else:
            same &= new.fillna("") == old.fillna("")
    # Parts are compared as text; text that differs only in how numbers are written (an older
    # version of the canonical form) is compared by meaning.
    parts_new, parts_old = merged["parts"].fillna(""), merged["parts_old"].fillna("")
    recheck = ~same & (parts_new != parts_old) & (parts_new != "") & (parts_old != "")
    if recheck.any():
        others = pd.Series(True, index=merged.index)
        for name in VALUE_COLUMNS:
            if name == "parts":
                continue
            new, old = merged[name], merged[f"{name}_old"]
            if name in ("value", "numerator", "denominator"):
                others &= new.fillna(-math.inf) == old.fillna(-math.inf)
            else:
                others &= new.fillna("") == old.fillna("")
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
            ImportProblem(
                sheet,
                int(merged["_row"][pos]),
                "",
                f"{merged['indicator'][pos]} {merged['period'][pos]}: "
                "returned for a change and not edited; not submitted again",
                "warning",
            )
        )
    skip |= resubmit
    unchanged = int(skip.sum())
    keep = merged.loc[~skip]
    base = keep["revision"].fillna(0).astype("int64")
    number = keep["_max"].fillna(0).astype("int64") + 1
    result = keep[[c for c in out.columns if c != "_row"]].copy()
    result["revision"] = number.to_numpy()
    result["base_revision"] = base.to_numpy()
    result["uid"] = (
        result["indicator"] + "|" + result["period"] + "|" + result["revision"].astype(str)
    )
    return result[list(COLUMNS)].reset_index(drop=True), unchanged, warnings


def _parts_meaning(text: str) -> list:
    """Parts JSON as comparable data: dimensions and numbers, whatever their spelling."""
    return sorted(
        (sorted(p["dims"].items()), sorted((k, v) for k, v in p.items() if k != "dims"))
        for p in json.loads(text)
    )


def _sum_flags(totals, parts, dims, by_code, sheet) -> tuple[pd.Series, list[ImportProblem]]:
    """Per measurement, a flag for each set of dimensions whose parts do not add up."""
    summable = parts["indicator"].map({c: i.type.summable for c, i in by_code.items()}).astype(bool)
    parts = parts.loc[summable]
    if parts.empty:
        return pd.Series("", index=totals.index, dtype=object), []
    names = sorted(dims)
    # Which dimensions a part has, as bits of one integer (fast to group by).
    mask = np.zeros(len(parts), dtype=np.int64)
    for bit, name in enumerate(names):
        mask |= (parts[name].to_numpy(dtype=object) != "").astype(np.int64) << bit
    key_codes, key_values = pd.factorize(parts["_key"])
    grouped = pd.DataFrame({
        "_kid": key_codes, "_mask": mask,
        "value": parts["value"].to_numpy(), "numerator": parts["numerator"].to_numpy(),
        "denominator": parts["denominator"].to_numpy(),
    })  # fmt: skip
    sums = grouped.groupby(["_kid", "_mask"], sort=False).sum(min_count=1).reset_index()
    sums["_key"] = np.asarray(key_values, dtype=object)[sums["_kid"].to_numpy()]
    sums["_by"] = [
        " x ".join(n for bit, n in enumerate(names) if m >> bit & 1) for m in sums["_mask"]
    ]
    sums = sums.merge(
        totals[["_key", "value", "numerator", "denominator", "_row"]],
        on="_key",
        suffixes=("", "_total"),
    )
    pct = sums["numerator_total"].notna()
    close_value = np.isclose(
        sums["value"].fillna(0), sums["value_total"].fillna(0), rtol=1e-9, atol=1e-9
    )
    close_ratio = np.isclose(
        sums["numerator"].fillna(0), sums["numerator_total"].fillna(0), rtol=1e-9, atol=1e-9
    ) & np.isclose(
        sums["denominator"].fillna(0), sums["denominator_total"].fillna(0), rtol=1e-9, atol=1e-9
    )
    bad = sums.loc[np.where(pct, ~close_ratio, ~close_value)]
    flags: dict[str, list[str]] = {}
    warnings = []
    for row in bad.to_dict("records"):
        if row["numerator_total"] == row["numerator_total"]:  # a percentage (not NaN)
            text = (
                f"parts by {row['_by']} add up to {row['numerator']:g}/{row['denominator']:g}, "
                f"not to the total {row['numerator_total']:g}/{row['denominator_total']:g}"
            )
        else:
            text = (
                f"parts by {row['_by']} add up to {row['value']:g}, not to the total "
                f"{row['value_total']:g}"
            )
        flags.setdefault(row["_key"], []).append(text)
        warnings.append(ImportProblem(sheet, int(row["_row"]), "value", text, "warning"))
    series = _lookup(totals["_key"], {k: json_list(v) for k, v in flags.items()}, "")
    return series, warnings


# -- the two steps ---------------------------------------------------------------------------------


def check_file(
    store,
    path: str | Path,
    *,
    author: str,
    role: str = "contributor",
    approve: bool = False,
    illustrative: bool = False,
    sheet: str | None = None,
    now: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """The dry run: read and check a file against the stored indicators and compare it with
    the stored values. Writes nothing. ``approve`` imports approved values (M&E officers)."""
    step = progress or (lambda _label: None)
    action = "approve" if approve else "submit"
    if not may(role, action):
        raise PermissionDenied(f"a {role or 'user without role'} may not {action} values")
    step("reading")
    table = read_table(path, sheet)
    step("checking")
    indicators = store.indicators()
    rows, problems = check_frame(table, indicators)
    report = ImportReport(str(path), rows=len(table.frame), problems=problems)
    if report.errors or rows.empty:
        return report
    step("comparing")
    report.expected_count = store.revision_count()
    latest = _latest_frame(store, sorted(set(rows["indicator"])))
    status = RevisionStatus.APPROVED if approve else RevisionStatus.SUBMITTED
    revisions, unchanged, warnings = _build(
        rows,
        indicators,
        latest,
        status=status,
        author=author,
        role=role,
        now=now or now_stamp(),
        reason=f"import {Path(path).name}" + (" (approved on import)" if approve else ""),
        illustrative=illustrative,
        sheet=table.sheet,
    )
    report.measurements = int((~rows["_part"]).sum())
    report.unchanged = unchanged
    report.revisions = revisions
    report.problems = sorted([*problems, *warnings])
    return report


def commit(store, report: ImportReport, progress: Progress | None = None) -> int:
    """Append the revisions of a checked file, all or nothing. Raises :class:`ImportFailed`
    when the report has errors and :class:`RevisionConflict` when values were recorded since
    the check (run the import again). Returns how many revisions were appended."""
    if report.errors:
        raise ImportFailed(report.file, report.problems)
    if report.revisions is None or report.revisions.empty:
        return 0
    if progress:
        progress("writing")
    try:
        return store.append_revisions(report.revisions, expected_count=report.expected_count)
    except RevisionConflict as e:
        raise RevisionConflict(
            f"{report.file}: values were recorded since the file was checked; nothing was "
            f"imported. Run the import again. ({e})"
        ) from None


def import_file(store, path: str | Path, **options) -> ImportReport:
    """Check a file and, when it has no errors, commit it (see :func:`check_file`)."""
    progress = options.get("progress")
    report = check_file(store, path, **options)
    if report.errors:
        raise ImportFailed(report.file, report.problems)
    commit(store, report, progress)
    return report
