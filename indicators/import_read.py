"""Reading an import file: a CSV file (every cell text, nothing coerced) or a sheet of an XLSX
workbook (typed cells read with calamine, and the cells holding formulas found in the sheet's
XML, since calamine only gives their cached results)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import python_calamine

from indicators.errors import IndicatorError

__all__ = ["Table", "formula_cells", "read_table"]


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


def letter_of(index: int) -> str:
    """The spreadsheet letter of a 0-based column number (0 -> A, 26 -> AA)."""
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
    letters = {str(c): letter_of(i) for i, c in enumerate(frame.columns)}
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
