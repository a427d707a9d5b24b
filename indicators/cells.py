"""Spreadsheet cells that a spreadsheet program cannot run: every CSV and XLSX file the project
writes goes through here, so that text read from users (a comment, a title, a query column)
is shown as text and never evaluated as a formula (OWASP "CSV Injection", ASVS 5.0 1.2.10).

Text that starts with a formula trigger (``= + - @``, tab, carriage return or NUL) is
*neutralised*:

* in CSV, prefixed with a single quote (``'=HYPERLINK(...)``), and any text that holds a
  field separator (``,`` or ``;``, the list separator of Dutch spreadsheets), a quote or a
  line break is wrapped in double quotes with its quotes doubled (RFC 4180), so that no
  spreadsheet can start a new cell in the middle of it;
* in XLSX, written as a string cell (never a formula) with the "quote prefix" style, which
  spreadsheet programs show as plain text and keep as text when the cell is edited. The
  cell holds the original text, so nothing is added.

Numbers are written as numbers (a negative number stays a number cell, unquoted in CSV);
only text is neutralised. Our own importer reads a neutralised CSV cell back as the original
text (:func:`read_back`), so an export imports back unchanged: the single quote is added to
any text that starts with quotes followed by a trigger, and exactly one is removed on reading.

>>> csv_text("=1+1"), csv_text("-5"), csv_text("'=x"), csv_text("it's fine")
("'=1+1", "'-5", "''=x", "it's fine")
>>> [read_back(csv_text(t)) for t in ["=1+1", "'=x", "'", "plain"]]
['=1+1', "'=x", "'", 'plain']
>>> csv_field(-5.0), csv_field("a;=cmd"), csv_field(None)
('-5.0', '"a;=cmd"', '')
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = [
    "TRIGGERS",
    "append_row",
    "csv_field",
    "csv_text",
    "is_number",
    "needs_neutralising",
    "read_back",
    "sheet_title",
    "write_csv",
    "write_xlsx",
    "xlsx_text",
]

#: First characters that make a spreadsheet program read a cell as a formula: OWASP's list
#: (= + - @ tab carriage return) and NUL (ASVS 5.0, requirement 1.2.10).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
_RISKY = re.compile("'*[" + re.escape("".join(TRIGGERS)) + "]")
_NEUTRALISED = re.compile("'+[" + re.escape("".join(TRIGGERS)) + "]")
#: Characters that make a CSV field need quotes: both list separators, quotes, line breaks.
_QUOTE = re.compile('[,;"\r\n]')
#: Characters XML 1.0 (so XLSX) cannot hold: C0 controls other than tab, line feed, CR.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def needs_neutralising(text: str) -> bool:
    """Whether ``text`` starts with a formula trigger (after any single quotes)."""
    return _RISKY.match(text) is not None


def csv_text(text: str) -> str:
    """Text for a CSV cell: a single quote put before text that starts with a trigger, or
    with single quotes and then a trigger (so that :func:`read_back` is exact)."""
    return "'" + text if _RISKY.match(text) else text


def read_back(text: str) -> str:
    """The text a neutralised CSV cell stands for: one leading single quote removed when
    quotes and then a trigger follow (the inverse of :func:`csv_text`)."""
    return text[1:] if _NEUTRALISED.match(text) else text


def is_number(value: Any) -> bool:
    """Numbers (int, float, Decimal, numpy numbers) and booleans: written as they are."""
    return isinstance(value, numbers.Number) or type(value).__name__ == "bool_"


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def csv_field(value: Any) -> str:
    """One CSV field: empty for None and NaN, a number as digits, anything else as text,
    neutralised and quoted where needed."""
    if _blank(value):
        return ""
    if is_number(value) and not isinstance(value, complex):
        return str(value)
    text = csv_text(str(value))
    if _QUOTE.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(
    out: IO[str],
    columns: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    lineterminator: str = "\n",
) -> None:
    """Write a header and rows as CSV to a text stream, every field through
    :func:`csv_field` (header names are text like any other)."""
    out.write(",".join(csv_field(str(c)) for c in columns) + lineterminator)
    for row in rows:
        out.write(",".join(csv_field(v) for v in row) + lineterminator)


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: characters XML 1.0 forbids become U+FFFD (openpyxl would
    refuse the whole file otherwise)."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def sheet_title(name: str) -> str:
    """A valid sheet title: at most 31 characters, none of ``[]:*?/\\``."""
    return _SHEET_TITLE.sub("_", name)[:31] or "Sheet"


def _number(value: Any) -> Any:
    """A number as openpyxl writes it (Python int, float, Decimal or bool); None for NaN, text
    for an infinity (XLSX has no cell for it)."""
    number = value.item() if hasattr(value, "item") else value
    if isinstance(number, float) and not math.isfinite(number):
        return None if math.isnan(number) else str(number)
    return number


def _string_cell(ws: Any, text: str) -> Any:
    """A string cell (never a formula, whatever the text starts with), with the quote-prefix
    style when it starts with a trigger."""
    from openpyxl.cell import WriteOnlyCell

    text = xlsx_text(text)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if _RISKY.match(text):
        cell.quotePrefix = True
    return cell


def _cell_value(ws: Any, value: Any) -> Any:
    """What ``ws.append`` gets for ``value``: plain text and numbers as they are (fast), a
    string cell for text that starts with a trigger or holds characters XML forbids."""
    if isinstance(value, str):
        return (
            _string_cell(ws, value) if _RISKY.match(value) or _ILLEGAL_XML.search(value) else value
        )
    if _blank(value):
        return None
    if is_number(value) and not isinstance(value, complex):
        number = _number(value)
        return _string_cell(ws, number) if isinstance(number, str) else number
    return _string_cell(ws, str(value))


def write_xlsx(
    path: str | Path,
    sheets: Mapping[str, tuple[Sequence[Any], Iterable[Sequence[Any]]]],
) -> None:
    """Write an XLSX workbook: per sheet name, (header, rows). Header cells are bold text;
    every other cell goes through :func:`_cell_value` (text is never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (columns, rows) in sheets.items():
        ws = wb.create_sheet(sheet_title(name))
        header = [_string_cell(ws, str(c)) for c in columns]
        for cell in header:
            cell.font = bold
        ws.append(header)
        for row in rows:
            ws.append([_cell_value(ws, v) for v in row])
    wb.save(path)


def append_row(ws: Any, values: Sequence[Any]) -> None:
    """Append ``values`` to an ordinary (not write-only) openpyxl sheet with text as text:
    string cells, the quote prefix on those that start with a trigger."""
    ws.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if _RISKY.match(cell.value):
                cell.quotePrefix = True
