"""Reading an import file: a CSV file (every cell text, nothing coerced) or a sheet of an XLSX
workbook (typed cells read with calamine, and the cells holding formulas found in the sheet's
XML, since calamine only gives their cached results).

Every file is held to :class:`~indicators.file_limits.ImportLimits` before it is read: a CSV
file's size and characters (:func:`~indicators.file_limits.check_csv`), a workbook's archive,
inflated sizes and cell count (:func:`~indicators.xlsx_guard.check_workbook`, which also finds
the formulas while it streams the sheet), and afterwards the length of every text cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from indicators.errors import IndicatorError
from indicators.file_limits import MAX_CELL_CHARS, FileRefused, ImportLimits, check_csv
from indicators.xlsx_guard import check_workbook

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


def read_table(
    path: str | Path, sheet: str | None = None, limits: ImportLimits | None = None
) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` (XLSX: the sheet named ``sheet``, else
    "Data", else the first). CSV cells stay text; XLSX cells keep their types (calamine).
    A file beyond ``limits`` (default :class:`ImportLimits`) is refused with
    :class:`~indicators.file_limits.FileRefused` before it is read."""
    path = Path(path)
    if not path.exists():
        raise IndicatorError(f"{path}: no such file")
    limits = limits or ImportLimits()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        check_csv(path, limits)
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
        check_cell_lengths(frame, path)
        return Table(frame, path.name)
    if suffix not in (".xlsx", ".xlsm"):
        raise IndicatorError(f"{path}: import reads .csv and .xlsx files")
    scan = check_workbook(path, sheet, limits)
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
    check_cell_lengths(frame, path, name)
    letters = {str(c): letter_of(i) for i, c in enumerate(frame.columns)}
    formulas = scan.formulas if scan.sheet == name else formula_cells(path, name, limits)
    by_letter = {v: k for k, v in letters.items()}
    found = frozenset((row, by_letter[col]) for row, col in formulas if col in by_letter)
    return Table(frame, name, 1, letters, found, typed=True)


def check_cell_lengths(frame: pd.DataFrame, path: Path, sheet: str = "") -> None:
    """Refuse a table with a text cell longer than a spreadsheet cell can be (32,767
    characters, Excel's limit), naming the first such cell (header row 1)."""
    for position, name in enumerate(frame.columns):
        if len(str(name)) > MAX_CELL_CHARS:
            raise _too_long(path, sheet, 1, letter_of(position), len(str(name)))
        try:
            lengths = frame.iloc[:, position].str.len().fillna(0)
        except AttributeError:  # no text in the column at all
            continue
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            row = int(lengths.to_numpy().argmax())
            column = f"{letter_of(position)} ({name})" if sheet else str(name)
            raise _too_long(path, sheet, row + 2, column, int(lengths.iloc[row]))


def _too_long(path: Path, sheet: str, row: int, column: str, length: int) -> FileRefused:
    where = (f"sheet {sheet} " if sheet else "") + f"row {row}, column {column}"
    return FileRefused(str(path), "cell_too_long", where=where, length=length, most=MAX_CELL_CHARS)


def formula_cells(
    path: str | Path, sheet: str, limits: ImportLimits | None = None
) -> set[tuple[int, str]]:
    """The cells of ``sheet`` that hold a formula, as (row number, column letter).

    calamine returns a formula's cached result (or nothing when the file was written without
    one), so formulas are found in the sheet's XML, streamed within ``limits``
    (:func:`~indicators.xlsx_guard.check_workbook`).
    """
    return set(check_workbook(path, sheet, limits or ImportLimits()).formulas)
