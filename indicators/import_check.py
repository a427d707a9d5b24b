"""Checking an import table against the indicator definitions, cell by cell, column-wise.

Text columns are :class:`~indicators.coded.Coded`: a rule on text (a known indicator, a
period of that indicator, an allowed dimension value) is decided once per distinct value or
pair of values and spread to the rows with a NumPy take; rules on numbers are whole-array
NumPy steps. So a million-row file is checked in well under a second, and Python code only
runs per row for the cells that have a problem, to word it.

:func:`check_frame` returns the reported rows (:class:`CheckedRows`) and every problem with
sheet, row and column as the user sees them in the spreadsheet. Nothing is coerced: text or a
formula where a number belongs, an unknown indicator, a period outside the plan, a duplicate
row and a value for a dimension the indicator does not have are all errors.

>>> import pandas as pd
>>> from indicators.definitions import decode_indicator
>>> ind = decode_indicator({"code": "ind.a", "measures": ["o1"], "title": {"en": "A"},
...     "type": "number", "frequency": "year", "start_year": 2027, "end_year": 2028,
...     "baseline": {"value": 1, "date": "2026-12-31"}, "end_target": {"value": 5}})
>>> table = Table(pd.DataFrame({"indicator": ["ind.a", "ind.b"], "period": ["2027", "2027"],
...     "value": ["3", "x"]}), "s.csv")
>>> rows, problems = check_frame(table, [ind])
>>> [str(p) for p in problems]
["s.csv row 3, column indicator: error: unknown indicator 'ind.b'", \
"s.csv row 3, column value: error: 'x' is not a number: write for example 12.5 (decimal point; a \
comma only between groups of three digits, as in 1,234.5)"]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators.cells import read_back
from indicators.coded import Coded, pack, pair_ids
from indicators.definitions import indicator_periods
from indicators.errors import ImportProblem
from indicators.import_columns import (
    IGNORED_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    canonical_column,
)
from indicators.import_read import Table, letter_of
from indicators.import_reasons import Why, why
from indicators.model import Indicator
from indicators.numbers import detect_decimal, ratio_percent, read_texts
from toc.numbers import (
    DUTCH,
    ENGLISH,
    MAX_TEXT,
    NumberError,
    NumberFormat,
    excel_error,
    reading,
)

__all__ = [
    "IGNORED_COLUMNS",
    "NUMBER_COLUMNS",
    "TEXT_COLUMNS",
    "CheckedRows",
    "check_frame",
]

_REQUIRED = ("indicator", "period")
_MAX_PROBLEMS = 1000
_PERIOD_RANGE = re.compile(r"^(?:FY)?(\d{4})")
_TRUE_FALSE = ("", "true", "false", "yes", "no", "1", "0")


@dataclass(frozen=True)
class CheckedRows:
    """The reported rows of a checked table (rows with a value; parsed, in file order).

    ``text`` holds the stripped text columns (``indicator``, ``period``, ``level``,
    ``narrative``, ``comment``, ``evidence``, ``illustrative`` and one per dimension) as
    :class:`Coded` columns, ``numbers`` the ``value``, ``numerator`` and ``denominator``
    columns as float arrays (NaN = empty). ``row`` is the spreadsheet row of each, ``part``
    whether it is a disaggregated part (a dimension column is filled) and ``key_id`` a dense
    number per distinct (indicator, period): the measurement it belongs to. ``decimal`` is the
    decimal mark the numbers of a CSV file were read with.
    """

    text: dict[str, Coded]
    numbers: dict[str, np.ndarray]
    row: np.ndarray
    part: np.ndarray
    key_id: np.ndarray
    dimensions: tuple[str, ...]
    decimal: str = "."
    columns: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        """The column ``name`` as a problem names it (its header in the file, see
        :attr:`Table.headers`; ``columns`` holds those that differ from the name)."""
        return self.columns.get(name, name)

    def __len__(self) -> int:
        return len(self.row)

    @property
    def empty(self) -> bool:
        return len(self.row) == 0

    def codes(self) -> list[str]:
        """The distinct indicator codes of the rows."""
        column = self.text["indicator"]
        return column.values[np.unique(column.codes)].tolist()


# -- problems ----------------------------------------------------------------------------------


class _Problems:
    """Problems as they are found: one per cell (the first says what is wrong), at most
    :data:`_MAX_PROBLEMS`."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.items: list[ImportProblem] = []
        self.seen: set[tuple[int, str]] = set()

    def column(self, name: str) -> str:
        """The column ``name`` as a problem names it: by the file's header (a Dutch one in a
        Dutch template), after its letter in a workbook."""
        letter = self.table.letters.get(name)
        header = self.table.headers.get(name, name)
        return f"{letter} ({header})" if letter else header

    def add(
        self,
        where: np.ndarray | Sequence[int],
        column: str,
        reason: Why | Callable[[int], Why],
        level: str = "error",
        at: np.ndarray | None = None,
    ) -> None:
        """Problems on the rows ``where``: frame positions (0-based), or, with ``at``,
        indices into ``at``, which maps them to frame positions. A callable ``reason`` is
        given the index as passed."""
        if self.full:
            return
        for index in list(np.asarray(where, dtype=np.int64)[: _MAX_PROBLEMS - len(self.items)]):
            pos = int(at[index]) if at is not None else int(index)
            if (pos, column) in self.seen:
                continue
            self.seen.add((pos, column))
            found = reason(int(index)) if callable(reason) else reason
            self.items.append(
                ImportProblem.because(
                    self.table.sheet, self.row(pos), self.column(column), found, level
                )
            )

    def header(self, column: str, reason: Why) -> None:
        self.items.append(
            ImportProblem.because(
                self.table.sheet, self.table.header_row, self.column(column), reason
            )
        )

    def row(self, pos: int) -> int:
        return self.table.header_row + 1 + int(pos)

    @property
    def full(self) -> bool:
        return len(self.items) >= _MAX_PROBLEMS


# -- cells -------------------------------------------------------------------------------------


_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool"}


def _kinds(cells: np.ndarray) -> np.ndarray:
    """The type name of each typed cell ("str", "int", "float", "bool" or "other")."""
    return np.array([_TYPE_NAMES.get(type(c), "other") for c in cells], dtype=object)


def _text_column(table: Table, name: str, problems: _Problems) -> Coded:
    """A column as stripped text; XLSX numbers that are whole become their digits (ids such
    as 2027), other non-text cells are problems."""
    column = table.frame[name]
    if not table.typed:
        return Coded.of_column(column)
    cells = column.to_numpy(dtype=object)
    if set(map(type, cells)) <= {str}:  # all text (the usual case): encode with Arrow
        return Coded.of(pa.array(cells.tolist(), pa.string()))
    kinds = _kinds(cells)
    out = np.where(kinds == "str", cells, "").astype(object)
    for pos in np.flatnonzero((kinds == "int") | (kinds == "float")):
        value = float(cells[pos])
        if math.isfinite(value) and value.is_integer():
            out[pos] = str(int(value))
        else:
            problems.add([int(pos)], name, why("number_in_text", value=repr(cells[pos])))
    for pos in np.flatnonzero(~np.isin(kinds, ["str", "int", "float"])):
        cell = cells[pos]
        problems.add(
            [int(pos)], name, why("other_in_text", kind=type(cell).__name__, value=repr(cell))
        )
    return Coded.from_values([c.strip() for c in out])


def _number_message(text: str, fmt: NumberFormat) -> Why:
    """Why ``text`` is refused as a number of ``fmt`` (with how to write it)."""
    try:
        reading(text, fmt)
    except NumberError as e:
        return number_why(e)
    return number_why(NumberError(text, "not_a_number", fmt))  # pragma: no cover


def number_why(error: NumberError) -> Why:
    """A :class:`~toc.numbers.NumberError` as a reason, with its English text unchanged."""
    fmt = error.format
    shown = repr(error.text if len(error.text) <= 40 else error.text[:37] + "...")
    return why(
        f"number_{error.reason}",
        text=shown,
        hint=error.hint,
        example=fmt.example,
        rules=fmt.describe(),
        format=fmt.name,
        decimal=fmt.decimal,
        group=fmt.group,
        most=MAX_TEXT,
    )


def _text_cell_message(cell: str) -> Why:
    """Why a text cell is refused where a number belongs (an XLSX cell typed as text)."""
    error = excel_error(cell)
    if error:
        return why("excel_error_number", error=error)
    for fmt in (ENGLISH, DUTCH):
        try:
            reading(cell, fmt)
        except NumberError:
            continue
        return why("text_typed_number", text=repr(cell))
    return why("text_where_number", text=repr(cell))


def _text_numbers(
    cells: Coded, name: str, problems: _Problems, fmt: NumberFormat
) -> tuple[np.ndarray, np.ndarray]:
    """A CSV column as floats (NaN = empty or refused) and whether each cell holds anything.
    Each distinct text is read once, with the rules of :mod:`toc.numbers`."""
    parsed, refused = read_texts(cells.values, fmt)
    numbers = parsed[cells.codes]
    bad = refused[cells.codes]
    if bad.any():
        problems.add(np.flatnonzero(bad), name, lambda p: _number_message(cells[p], fmt))
    return numbers, cells.filled()


def _number_column(table: Table, name: str, problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    """An XLSX column as floats (NaN = empty or wrong) and whether each cell holds
    anything; text, booleans, dates and numbers that are not finite are problems."""
    column = table.frame[name]
    cells = column.to_numpy(dtype=object)
    blank = cells == ""
    if set(map(type, cells[~blank])) <= {float, int}:  # numbers and empty cells only
        numbers = np.full(len(cells), np.nan)
        numbers[~blank] = [_as_float(c) for c in cells[~blank]]
        infinite = ~blank & ~np.isfinite(numbers)
        if infinite.any():
            problems.add(np.flatnonzero(infinite), name, lambda p: _not_finite(cells[p]))
        return np.where(infinite, np.nan, numbers + 0.0), ~blank
    kinds = _kinds(cells)
    ok = (kinds == "int") | (kinds == "float")
    numbers = np.array([_as_float(c) if k else math.nan for c, k in zip(cells, ok, strict=True)])
    is_text = kinds == "str"
    blank = is_text & np.array([isinstance(c, str) and not c.strip() for c in cells], dtype=bool)
    text = is_text & ~blank
    if text.any():
        problems.add(np.flatnonzero(text), name, lambda p: _text_cell_message(cells[p]))
    other = ~(ok | is_text)  # booleans, dates, ...
    if other.any():
        problems.add(
            np.flatnonzero(other),
            name,
            lambda p: why("other_where_number", kind=type(cells[p]).__name__, value=repr(cells[p])),
        )
    infinite = ok & ~np.isfinite(numbers)
    if infinite.any():
        problems.add(np.flatnonzero(infinite), name, lambda p: _not_finite(cells[p]))
    return np.where(ok & ~infinite, numbers + 0.0, np.nan), ~blank


def _as_float(cell: float | int) -> float:
    """A number cell as a float; inf for an integer beyond the float range."""
    try:
        return float(cell)
    except OverflowError:
        return math.inf


def _not_finite(cell: object) -> Why:
    if isinstance(cell, float) and math.isinf(cell):
        return why("number_too_large_cell")
    return why("number_not_finite_cell", value=repr(cell))


def _decimal_of(
    table: Table, columns: dict[str, Coded], problems: _Problems
) -> NumberFormat | None:
    """The number format of a CSV table: its given decimal mark, else the one its numbers
    show (:func:`indicators.numbers.detect_decimal`); None (with a problem) when they do
    not tell."""
    if table.decimal is not None:
        return DUTCH if table.decimal == "," else ENGLISH
    detected = detect_decimal(np.concatenate([c.values for c in columns.values()]))
    if detected.format is not None:
        return detected.format
    name = next(iter(columns))
    if detected.reason == "mixed":
        comma, point = detected.examples
        problems.header(name, why("mixed_decimal", comma=repr(comma), point=repr(point)))
    else:
        (text,) = detected.examples
        problems.header(name, why("unknown_decimal", text=repr(text)))
    return None


def _check_dimension(
    name: str,
    filled: np.ndarray,
    codes: Coded,
    cells: Coded,
    by_code: Mapping[str, Indicator],
    add: Callable[[np.ndarray, str, Why | Callable[[int], Why]], None],
) -> None:
    """Problems of the rows ``filled`` in the dimension column ``name``: the indicator has no
    such dimension, or the cell is not one of its values."""
    listed: dict[str, Sequence[str]] = {}
    for code, indicator in by_code.items():
        dimension = indicator.dimension(name)
        if dimension is not None:
            listed[code] = dimension.values
    allowed = {code: set(values) for code, values in listed.items()}
    no_dim = filled & ~codes.where(lambda c: c in allowed)

    def no_dimension(j: int) -> Why:
        return why("no_dimension", code=codes[j], name=repr(name))

    def not_a_value(j: int) -> Why:
        return why(
            "not_a_dimension_value",
            value=repr(cells[j]),
            name=name,
            code=codes[j],
            values=", ".join(listed[codes[j]]),
        )

    add(no_dim, name, no_dimension)
    bad = filled & ~no_dim & ~_pairs_where(codes, cells, lambda c, v: v in allowed.get(c, ()))
    add(bad, name, not_a_value)


def _pairs_where(
    first: Coded,
    second: Coded,
    predicate: Callable[[str, str], bool],
    paired: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """A row mask: ``predicate`` applied once per distinct (first, second) pair of texts
    (``paired``: their :func:`pair_ids`, when known)."""
    ids, pairs = paired if paired is not None else pair_ids(first, second)
    a, b = first.values.tolist(), second.values.tolist()
    # Two flat lists, not a list of pairs: no container per pair for the garbage collector.
    firsts, seconds = pairs[:, 0].tolist(), pairs[:, 1].tolist()
    per_pair = np.array(
        [predicate(a[i], b[j]) for i, j in zip(firsts, seconds, strict=True)], dtype=bool
    )
    return per_pair[ids]


def _plan_years(indicators: Sequence[Indicator]) -> tuple[int, int] | None:
    years = [(i.start_year, i.end_year) for i in indicators if i.start_year and i.end_year]
    if not years:
        return None
    return min(y[0] for y in years), max(y[1] for y in years)


# -- the check ---------------------------------------------------------------------------------


def _columns(table: Table, dimension_names: list[str], problems: _Problems) -> Table | None:
    """The table with its known columns renamed to their canonical names (None when a
    required column is missing); unknown and repeated columns are problems."""
    frame = table.frame
    keep: dict[int, str] = {}  # position -> canonical name
    known = (*NUMBER_COLUMNS, *TEXT_COLUMNS, *IGNORED_COLUMNS, *dimension_names)
    for pos, raw in enumerate(frame.columns):
        name = canonical_column(raw)
        if name in keep.values():
            problems.header(str(raw), why("column_twice", name=repr(name)))
            continue
        cells = frame.iloc[:, pos]
        if name.startswith("unnamed:") and (cells.astype(str).str.strip() == "").all():
            continue
        if name not in known:
            unknown = (
                why("unknown_column", name=repr(str(raw)), dimensions=", ".join(dimension_names))
                if dimension_names
                else why("unknown_column_no_dimensions", name=repr(str(raw)))
            )
            problems.header(str(raw), unknown)
            continue
        keep[pos] = name
    missing = [c for c in _REQUIRED if c not in keep.values()]
    for name in missing:
        problems.header(name, why("column_missing", name=name))
    if missing:
        return None
    renamed = frame.iloc[:, list(keep)].set_axis(list(keep.values()), axis=1)
    if table.typed and "illustrative" in renamed:
        flags = renamed["illustrative"].map(lambda v: str(v).lower() if isinstance(v, bool) else v)
        renamed = renamed.assign(illustrative=flags)
    by_raw = {str(frame.columns[pos]): name for pos, name in keep.items()}
    return replace(
        table,
        frame=renamed,
        letters={name: letter_of(pos) for pos, name in keep.items()} if table.letters else {},
        formulas=frozenset((r, by_raw[c]) for r, c in table.formulas if c in by_raw),
        errors={(r, by_raw[c]): e for (r, c), e in table.errors.items() if c in by_raw},
        headers={name: str(frame.columns[pos]).strip() for pos, name in keep.items()},
    )


def _empty(dims: Sequence[str]) -> CheckedRows:
    return CheckedRows(
        {name: Coded.blank(0) for name in (*TEXT_COLUMNS, *dims)},
        {name: np.array([], dtype=np.float64) for name in NUMBER_COLUMNS},
        np.array([], dtype=np.int64),
        np.array([], dtype=bool),
        np.array([], dtype=np.int64),
        tuple(dims),
    )


def check_frame(
    table: Table, indicators: Sequence[Indicator]
) -> tuple[CheckedRows, list[ImportProblem]]:
    """Check a table against the indicator definitions; return the reported rows, parsed,
    and every problem, sorted by row (see the module doc)."""
    problems = _Problems(table)
    by_code = {i.code: i for i in indicators}
    dimension_names = sorted({d.name for i in indicators for d in i.dimensions})
    renamed = _columns(table, dimension_names, problems)
    if renamed is None:
        return _empty([]), sorted(problems.items)
    table = problems.table = renamed
    frame = table.frame
    dims = [d for d in dimension_names if d in frame.columns]
    size = len(frame)

    text = {
        name: _text_column(table, name, problems) if name in frame else Coded.blank(size)
        for name in (*TEXT_COLUMNS, *dims)
    }
    if not table.typed:  # CSV: a cell our exports neutralised reads back as its own text
        text = {name: column.mapped(read_back) for name, column in text.items()}
    numbers: dict[str, np.ndarray] = {}
    has_value = np.zeros(size, dtype=bool)
    fmt = ENGLISH
    if not table.typed:
        coded = {name: Coded.of_column(frame[name]) for name in NUMBER_COLUMNS if name in frame}
        found = _decimal_of(table, coded, problems) if coded else ENGLISH
        if found is None:
            return _empty([]), sorted(problems.items)
        fmt = found
    for name in NUMBER_COLUMNS:
        if name not in frame:
            numbers[name] = np.full(size, np.nan)
            continue
        if table.typed:
            numbers[name], filled = _number_column(table, name, problems)
        else:
            numbers[name], filled = _text_numbers(coded[name], name, problems, fmt)
        has_value |= filled
    for row, name in sorted(table.formulas):
        pos = row - table.header_row - 1
        if 0 <= pos < size:
            formula = "formula_number" if name in NUMBER_COLUMNS else "formula_value"
            problems.add([pos], name, why(formula))
            has_value[pos] = True
    for (row, name), error in sorted(table.errors.items()):
        pos = row - table.header_row - 1
        if 0 <= pos < size:
            what = "excel_error_number" if name in NUMBER_COLUMNS else "excel_error_value"
            problems.add([pos], name, why(what, error=error))
            has_value[pos] |= name in NUMBER_COLUMNS
    has_value |= text["level"].filled() | text["narrative"].filled()
    extra = text["comment"].filled() | text["evidence"].filled()
    problems.add(np.flatnonzero(extra & ~has_value), "comment", why("comment_without_value"))

    # From here on: the reported rows only (``at`` maps them back to frame positions).
    at = np.flatnonzero(has_value)
    if len(at) == 0:
        return _empty(dims), sorted(problems.items)
    if len(at) < size:
        text = {name: column.take(at) for name, column in text.items()}
        numbers = {name: column[at] for name, column in numbers.items()}
        extra = extra[at]
    codes, period, level = text["indicator"], text["period"], text["level"]

    def add(mask: np.ndarray, column: str, reason: Why | Callable[[int], Why]) -> None:
        problems.add(np.flatnonzero(mask), column, reason, at=at)

    # Indicator and period.
    blank = ~codes.filled()
    add(blank, "indicator", why("indicator_empty"))
    known = codes.where(lambda c: c in by_code)
    add(~known & ~blank, "indicator", lambda j: why("unknown_indicator", code=repr(codes[j])))
    period_ids = {c: _period_ids(i) for c, i in by_code.items()}
    key_id, key_pairs = pair_ids(codes, period)
    bad_period = known & ~_pairs_where(
        codes, period, lambda c, p: p in period_ids.get(c, ()), (key_id, key_pairs)
    )
    years = _plan_years(indicators)

    def period_reason(j: int) -> Why:
        name, indicator = period[j], by_code[codes[j]]
        if not name:
            return why("period_empty")
        match = _PERIOD_RANGE.match(name)
        if years and match and not years[0] <= int(match.group(1)) <= years[1]:
            return why("period_outside_plan", period=repr(name), first=years[0], last=years[1])
        ids = list(period_ids[indicator.code])
        return why(
            "not_a_period",
            period=repr(name),
            code=indicator.code,
            frequency=indicator.frequency.value,
            first=ids[0],
            last=ids[-1],
        )

    add(bad_period, "period", period_reason)
    ok = known & ~bad_period

    # Dimensions.
    is_part = np.zeros(len(at), dtype=bool)
    for name in dims:
        filled_all = text[name].filled()
        is_part |= filled_all
        filled = ok & filled_all
        if filled.any():
            _check_dimension(name, filled, codes, text[name], by_code, add)

    # Values by indicator type.
    kinds = {c: i.type.value for c, i in by_code.items()}

    def of_type(*names: str) -> np.ndarray:
        return codes.where(lambda c: kinds.get(c) in names)

    def types(j: int) -> str:
        return kinds[codes[j]]

    num, den, value = numbers["numerator"], numbers["denominator"], numbers["value"]
    has_level, has_text = level.filled(), text["narrative"].filled()
    has_num, has_den, has_val = ~np.isnan(num), ~np.isnan(den), ~np.isnan(value)

    def refuse(mask: np.ndarray, column: str, reason: Why | Callable[[int], Why]) -> None:
        add(ok & mask, column, reason)

    counts = of_type("number", "currency")
    refuse(
        counts & ~has_val,
        "value",
        lambda j: why("value_required", type=types(j), code=codes[j]),
    )
    for col, mask in (
        ("numerator", has_num),
        ("denominator", has_den),
        ("level", has_level),
        ("narrative", has_text),
    ):
        refuse(counts & mask, col, lambda j: why("only_value", type=types(j), code=codes[j]))
    pct = of_type("percentage")
    refuse(
        pct & ~(has_num & has_den),
        "numerator",
        lambda j: why("percentage_needs_both", code=codes[j]),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        refuse(pct & (den <= 0), "denominator", why("denominator_not_positive"))
        refuse(pct & (num < 0), "numerator", why("numerator_negative"))
    ratio = ratio_percent(num, den)
    refuse(
        pct & np.isinf(ratio),
        "denominator",
        lambda j: why("percentage_too_large", numerator=f"{num[j]:g}", denominator=f"{den[j]:g}"),
    )
    close = np.isclose(value, ratio, rtol=1e-6, atol=1e-6)
    refuse(
        pct & has_val & np.isfinite(ratio) & ~close,
        "value",
        lambda j: why(
            "percentage_mismatch",
            value=f"{value[j]:g}",
            numerator=f"{num[j]:g}",
            denominator=f"{den[j]:g}",
            ratio=f"{ratio[j]:g}",
        ),
    )
    refuse(pct & (has_level | has_text), "level", why("percentage_no_level"))
    ordinal = of_type("ordinal")
    refuse(ordinal & ~has_level, "level", lambda j: why("level_required", code=codes[j]))
    if (ordinal & has_level).any():
        scale = {c: {lv.code for lv in i.scale} for c, i in by_code.items()}
        refuse(
            ordinal & has_level & ~_pairs_where(codes, level, lambda c, v: v in scale.get(c, ())),
            "level",
            lambda j: why(
                "not_a_level",
                level=repr(level[j]),
                code=codes[j],
                levels=", ".join(lv.code for lv in by_code[codes[j]].scale),
            ),
        )
    refuse(
        ordinal & (has_val | has_num | has_den),
        "value",
        why("ordinal_number"),
    )
    narrative = of_type("narrative")
    refuse(narrative & ~has_text, "narrative", why("narrative_required"))
    refuse(
        narrative & (has_val | has_num | has_den | has_level),
        "narrative",
        why("narrative_text_only"),
    )
    refuse(narrative & is_part, "narrative", why("narrative_parts"))
    refuse(is_part & extra, "comment", why("part_comment"))
    flag = text["illustrative"]
    refuse(
        ~flag.where(lambda v: v.lower() in _TRUE_FALSE),
        "illustrative",
        lambda j: why("illustrative_flag", value=repr(flag[j])),
    )

    # Duplicates and totals.
    rows_of = pd.factorize(_combine(key_id, [text[name] for name in dims]))[0]
    first = np.full(int(rows_of.max()) + 1, len(at), dtype=np.int64)
    np.minimum.at(first, rows_of, np.arange(len(at)))
    dup = ok & (first[rows_of] != np.arange(len(at)))
    first_seen = at[np.minimum(first[rows_of], len(at) - 1)]
    add(
        dup,
        "indicator",
        lambda j: why("duplicate_row", row=problems.row(first_seen[j])),
    )
    has_total = np.zeros(int(key_id.max()) + 1, dtype=bool)
    has_total[key_id[ok & ~is_part]] = True
    first_of_key = np.zeros(len(at), dtype=bool)
    first_of_key[np.unique(key_id, return_index=True)[1]] = True
    orphan = ok & is_part & ~has_total[key_id] & first_of_key
    add(
        orphan,
        "value",
        lambda j: why("parts_without_total", code=codes[j], period=period[j]),
    )
    shown = {name: problems.column(name) for name in table.headers}
    checked = CheckedRows(
        text, numbers, at + table.header_row + 1, is_part, key_id, tuple(dims), fmt.decimal,
        {name: label for name, label in shown.items() if label != name},
    )  # fmt: skip
    return checked, sorted(problems.items)


def _combine(ids: np.ndarray, columns: Sequence[Coded]) -> np.ndarray:
    """One number per distinct combination of ``ids`` and the columns' values."""
    widths = [int(ids.max()) + 1, *(len(c.values) for c in columns)]
    return pack([ids, *(c.codes for c in columns)], widths)


def _period_ids(indicator: Indicator) -> dict[str, None]:
    """The ids of the indicator's periods, in order (a dict: fast membership, kept order)."""
    return dict.fromkeys(p.id for p in indicator_periods(indicator))
