"""A ready-to-fill XLSX template generated from the current indicators and their periods.

Sheets: **Data** (long format, one row per indicator, period and disaggregation value, with
drop-down lists of the allowed indicator codes, periods, dimension values and levels, and
number checks on the value columns), **Indicators** (a read-only reference: definitions,
units, baselines, targets, scales), **Lists** (hidden: the drop-down values) and **About**
(how to fill it in, and a notice when indicators are illustrative). The filled workbook is
imported back with ``toc indicators import``. Texts from the definitions and the plan are
written as text, never as formulas (:mod:`indicators.cells`).

Every word of the workbook that is not data (sheet names, headers, drop-down messages, the About
sheet) comes from a :class:`TemplateWords`: English with command-line instructions by default,
and the page language with instructions for web users when the web app writes it
(:mod:`web.template_words`). Data-sheet headers in another language are ones the importer reads
(:data:`indicators.import_columns.COLUMN_ALIASES`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.cells import append_row, needs_neutralising, xlsx_text
from indicators.definitions import indicator_periods
from indicators.model import Indicator, IndicatorType, Period

__all__ = [
    "DATA_COLUMNS",
    "ENGLISH_WORDS",
    "ILLUSTRATIVE_NOTICE",
    "REFERENCE_COLUMNS",
    "TemplateWords",
    "template_rows",
    "write_template",
]

ILLUSTRATIVE_NOTICE = (
    "Indicators marked 'illustrative' are illustrations made for a demonstration: they are "
    "not data of the organisation, and values entered for them are marked illustrative too."
)
_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="305496")
_VALUE_FILL = PatternFill("solid", fgColor="FFF2CC")


#: The columns of the Indicators sheet, by their English names.
REFERENCE_COLUMNS = (
    "code",
    "title",
    "measures",
    "type",
    "unit",
    "direction",
    "frequency",
    "cumulative",
    "baseline",
    "baseline date",
    "baseline source",
    "targets",
    "end target",
    "dimensions",
    "levels",
    "numerator",
    "denominator",
    "responsible",
    "data source",
    "verification",
    "sdg indicators",
    "illustrative",
)


@dataclass(frozen=True)
class TemplateWords:
    """The words of a template that are not data. ``columns`` maps a Data-sheet column to its
    header and ``reference`` an Indicators-sheet column (:data:`REFERENCE_COLUMNS`) to its
    header (missing: the English name); ``list_titles`` and ``list_errors`` word the drop-down
    refusal per list (``indicator``, ``period``, ``level``, ``value`` for a dimension);
    ``values`` translates the words of the Indicators sheet (types, directions, frequencies).
    ``about`` are the instructions, ``notice`` the illustrative notice."""

    data: str = "Data"
    lists: str = "Lists"
    indicators: str = "Indicators"
    about_sheet: str = "About"
    title: str = "Measurement template"
    columns: Mapping[str, str] = field(default_factory=dict)
    reference: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    list_titles: Mapping[str, str] = field(
        default_factory=lambda: {
            "indicator": "Unknown indicator",
            "period": "Unknown period",
            "level": "Unknown level",
            "value": "Unknown value",
        }
    )
    list_error: str = "Choose a {column} from the list."
    number_title: str = "Not a number"
    number_error: str = "Enter a number (no text)."
    yes: str = "yes"
    no: str = "no"
    by: str = "by"
    illustrative_mark: str = "ILLUSTRATIVE"
    notice: str = "NOTICE: " + (
        "Indicators marked 'illustrative' are illustrations made for a demonstration: they are "
        "not data of the organisation, and values entered for them are marked illustrative too."
    )
    about: tuple[str, ...] = (
        "Fill in the yellow columns of the Data sheet: one row per indicator, period and "
        "disaggregation value. The row with empty dimension columns holds the total.",
        "Numbers: value; percentages: numerator and denominator (the percentage is computed); "
        "ordinal scales: level (see the Indicators sheet); narratives: narrative.",
        "Rows without a value are not reported. Disaggregated values should add up to the "
        "total; if they do not, the import flags them.",
        "Evidence: links or file names separated by ';'. Do not use formulas.",
        "Import: toc indicators import <this file> (a dry run lists every problem with sheet, "
        "row and column: toc indicators import --dry-run <file>).",
    )

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def word(self, value: str) -> str:
        return self.values.get(value, value)


ENGLISH_WORDS = TemplateWords()


def DATA_COLUMNS(dimensions: Sequence[str]) -> list[str]:
    """The columns of the Data sheet for the given dimension names."""
    return [
        "indicator",
        "period",
        *dimensions,
        "value",
        "numerator",
        "denominator",
        "level",
        "narrative",
        "comment",
        "evidence",
    ]


def _periods(indicator: Indicator, first: int | None, last: int | None) -> list[Period]:
    return [
        p
        for p in indicator_periods(indicator)
        if (first is None or p.end.year >= first) and (last is None or p.start.year <= last)
    ]


def template_rows(
    indicators: Sequence[Indicator], first_year: int | None = None, last_year: int | None = None
) -> list[dict[str, str]]:
    """The pre-filled rows: per indicator and period a total row, then one row per value of
    each of its dimensions (narratives have no parts)."""
    rows = []
    for ind in indicators:
        for period in _periods(ind, first_year, last_year):
            rows.append({"indicator": ind.code, "period": period.id})
            if ind.type is IndicatorType.NARRATIVE:
                continue
            for dim in ind.dimensions:
                for value in dim.values:
                    rows.append({"indicator": ind.code, "period": period.id, dim.name: value})
    return rows


def _point(ind: Indicator, value: float | None, level: str | None) -> str:
    if level is not None:
        return level
    if value is None:
        return ""
    text = f"{value:g}"
    return text + " %" if ind.type is IndicatorType.PERCENTAGE else text


def _header(ws: Worksheet, names: Sequence[str]) -> None:
    append_row(ws, list(names))
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER, _FILL
    ws.freeze_panes = "A2"


def _text_cell(ws: Worksheet, row: int, column: int, value: str) -> None:
    """A cell of the Lists sheet: text as text, never a formula (:mod:`indicators.cells`)."""
    cell = ws.cell(row, column, xlsx_text(value))
    cell.data_type = "s"
    if needs_neutralising(value):
        cell.quotePrefix = True


def _list_validation(
    ws: Worksheet,
    lists: Worksheet,
    column: str,
    letter: str,
    values: Sequence[str],
    rows: int,
    title: str,
    words: TemplateWords,
) -> None:
    """A drop-down on ``letter`` rows 2..rows+1 with values written to the Lists sheet."""
    col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    header = words.column(column)
    _text_cell(lists, 1, col, header)
    for i, value in enumerate(values, start=2):
        _text_cell(lists, i, col, value)
    ref = get_column_letter(col)
    sheet = "'" + words.lists.replace("'", "''") + "'"
    rule = DataValidation(
        type="list",
        formula1=f"={sheet}!${ref}$2:${ref}${max(2, len(values) + 1)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=words.list_error.format(column=header),
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{max(2, rows + 1) + 500}")


def write_template(
    indicators: Sequence[Indicator],
    path: str | Path,
    *,
    lang: str = "en",
    first_year: int | None = None,
    last_year: int | None = None,
    title: str = "",
    notice: str = "",
    words: TemplateWords = ENGLISH_WORDS,
) -> int:
    """Write the template for ``indicators`` (optionally only periods overlapping
    ``first_year``..``last_year``) in ``words``; returns the number of pre-filled rows."""
    dims = sorted({d.name for i in indicators for d in i.dimensions})
    columns = DATA_COLUMNS(dims)
    rows = template_rows(indicators, first_year, last_year)
    wb = Workbook()
    ws = wb.active
    ws.title = words.data
    _header(ws, [words.column(c) for c in columns])
    for row in rows:
        append_row(ws, [row.get(c, "") or None for c in columns])
    letters = {c: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    for name in ("value", "numerator", "denominator", "level", "narrative", "comment", "evidence"):
        for cell in ws[letters[name]][1 : len(rows) + 1]:
            cell.fill = _VALUE_FILL
    for name, width in (
        ("indicator", 34),
        ("period", 12),
        ("comment", 40),
        ("evidence", 40),
        ("narrative", 40),
    ):
        ws.column_dimensions[letters[name]].width = width

    lists = wb.create_sheet(words.lists)
    titles = words.list_titles
    periods = sorted({p.id for i in indicators for p in _periods(i, first_year, last_year)})
    _list_validation(
        ws,
        lists,
        "indicator",
        letters["indicator"],
        [i.code for i in indicators],
        len(rows),
        titles["indicator"],
        words,
    )
    _list_validation(
        ws, lists, "period", letters["period"], periods, len(rows), titles["period"], words
    )
    for name in dims:
        values = sorted(
            {v for i in indicators for d in i.dimensions if d.name == name for v in d.values}
        )
        _list_validation(ws, lists, name, letters[name], values, len(rows), titles["value"], words)
    levels = list(dict.fromkeys(lv.code for i in indicators for lv in i.scale))
    if levels:
        _list_validation(
            ws, lists, "level", letters["level"], levels, len(rows), titles["level"], words
        )
    for name in ("value", "numerator", "denominator"):
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+300",
            formula2="1E+300",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=words.number_title,
            error=words.number_error,
        )
        ws.add_data_validation(rule)
        rule.add(f"{letters[name]}2:{letters[name]}{max(2, len(rows) + 1) + 500}")
    lists.sheet_state = "hidden"

    ref = wb.create_sheet(words.indicators)
    _header(ref, [words.reference.get(c, c) for c in REFERENCE_COLUMNS])
    for ind in indicators:
        b, e = ind.baseline, ind.end_target
        append_row(
            ref,
            [
                ind.code,
                ind.title.get(lang),
                ", ".join(ind.measures),
                words.word(ind.type.value),
                ind.unit_for(lang),
                words.word(ind.direction.value),
                words.word(ind.frequency.value),
                words.yes if ind.cumulative else words.no,
                _point(ind, b.value, b.level) if b else "",
                b.date.isoformat() if b and b.date else "",
                b.source if b else "",
                ", ".join(f"{t.period}: {_point(ind, t.value, t.level)}" for t in ind.targets),
                (
                    _point(ind, e.value, e.level)
                    + (f" {words.by} {e.date.isoformat()}" if e.date else "")
                )
                if e
                else "",
                "; ".join(f"{d.name}: {', '.join(d.values)}" for d in ind.dimensions),
                "; ".join(f"{lv.code} = {lv.label.get(lang)}" for lv in ind.scale),
                ind.numerator.get(lang),
                ind.denominator.get(lang),
                ind.responsible,
                ind.data_source,
                ind.verification,
                ", ".join(ind.sdg_indicators),
                words.illustrative_mark if ind.illustrative else "",
            ],
        )
    ref.column_dimensions["A"].width = 34
    ref.column_dimensions["B"].width = 60
    ref.protection.sheet = True

    about = wb.create_sheet(words.about_sheet)
    lines = [title or words.title, "", *words.about]
    if any(i.illustrative for i in indicators):
        lines += ["", words.notice]
    if notice:
        lines += ["", notice]
    for line in lines:
        append_row(about, [line])
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 120
    for row in about.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    wb.active = 0
    wb.save(path)
    return len(rows)
