"""Reading an import file: a CSV file (every cell text, nothing coerced) or a sheet of an XLSX
workbook (typed cells read with calamine, and the cells holding formulas or error values found
in the sheet's XML, since calamine only gives a formula's cached result and drops errors).

Every file is held to :class:`~indicators.file_limits.ImportLimits` before it is read: a CSV
file's size and characters (:func:`~indicators.file_limits.check_csv`), a workbook's archive,
inflated sizes and cell count (:func:`~indicators.xlsx_guard.check_workbook`, which also finds
the formula and error cells while it streams the sheet), and afterwards the length of every
text cell.

A CSV file is read as people's spreadsheets write it (:class:`CsvDialect`): its encoding
(UTF-8 with or without a byte order mark, UTF-16 with one, else Windows-1252 with a warning),
its separator (``,``, ``;``, tab or ``|``: the one that splits the header into known
columns) and, later, its decimal mark (:func:`indicators.numbers.detect_decimal`); each can
be given instead of detected.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from indicators.errors import IndicatorError
from indicators.file_limits import MAX_CELL_CHARS, FileRefused, ImportLimits, check_csv
from indicators.import_columns import RESERVED_COLUMNS
from indicators.import_reasons import Why, why
from indicators.xlsx_guard import check_workbook

__all__ = [
    "DELIMITERS",
    "CsvDialect",
    "Table",
    "formula_cells",
    "read_table",
    "sheet_marks",
]

#: The separators a CSV file may use, by name (as the command line and the web form give them).
DELIMITERS: dict[str, str] = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "|": "|"}
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with byte order mark)",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file was read: its ``encoding`` (a Python codec name), its ``delimiter``,
    and ``notes``: warnings about the reading (a guessed encoding)."""

    encoding: str = "utf-8"
    delimiter: str = ","
    notes: tuple[Why, ...] = ()

    def describe(self) -> str:
        """The dialect in words, e.g. ``semicolon-separated, UTF-8``."""
        name = _ENCODING_NAMES.get(self.encoding, self.encoding)
        return f"{_SEPARATOR_NAMES.get(self.delimiter, repr(self.delimiter))}-separated, {name}"


@dataclass(frozen=True)
class Table:
    """A sheet as read: cells (text for CSV, typed values for XLSX), where its header is, and
    the data cells holding formulas (as (row, column name)) or spreadsheet error values (as
    (row, column name) -> the error, e.g. ``#DIV/0!``). A CSV table has its ``dialect`` and
    the ``decimal`` mark its numbers use ("." or ","; None: told from the numbers). Once its
    columns are known, ``headers`` gives each column's header as the file writes it
    (``waarde`` in a Dutch template for ``value``), the name a problem gives the column."""

    frame: pd.DataFrame
    sheet: str
    header_row: int = 1
    letters: dict[str, str] = field(default_factory=dict)
    formulas: frozenset[tuple[int, str]] = frozenset()
    typed: bool = False
    errors: dict[tuple[int, str], str] = field(default_factory=dict)
    dialect: CsvDialect | None = None
    decimal: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def letter_of(index: int) -> str:
    """The spreadsheet letter of a 0-based column number (0 -> A, 26 -> AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _source(data: bytes, encoding: str | None, path: Path) -> tuple[bytes, str]:
    """(UTF-8 bytes for the CSV reader, codec) of a file's bytes: as given, else by its byte
    order mark, else UTF-8 (checked by the reader itself, so the common case costs no
    decoding here; see :func:`_as_cp1252` for the fallback)."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise IndicatorError(f"{path}: unknown encoding {encoding!r}") from None
    else:
        codec = next((c for bom, c in _BOMS if data.startswith(bom)), "utf-8")
    if codec in ("utf-8", "utf-8-sig"):
        bom = data.startswith(codecs.BOM_UTF8)
        return (data[len(codecs.BOM_UTF8) :] if bom else data), "utf-8-sig" if bom else "utf-8"
    try:
        return data.decode(codec).encode("utf-8"), codec
    except UnicodeDecodeError as e:
        raise IndicatorError(
            f"{path}: not {_ENCODING_NAMES.get(codec, codec)} text (line "
            f"{_line_of(data, e.start)} cannot be read as such)"
        ) from None


def _as_cp1252(data: bytes, path: Path) -> tuple[bytes, Why]:
    """A file that is not UTF-8, read as Windows-1252 (Excel's CSV on Windows): its UTF-8
    bytes and the warning that says so."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = _line_of(data, e.start)
    else:  # pragma: no cover - the reader found invalid UTF-8
        line = 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise IndicatorError(
            f"{path}: neither UTF-8 nor Windows-1252 text (line {line}); save it as "
            '"CSV UTF-8" or give its encoding'
        ) from None
    note = why("not_utf8", line=line)
    return text.encode("utf-8"), note


def _sniff_delimiter(source: bytes) -> str:
    """The separator that splits the header into the most known column names (then into
    the most columns); a comma when nothing splits it."""
    end = source.find(b"\n")
    header = (source if end < 0 else source[:end]).decode("utf-8", "replace")
    known = set(RESERVED_COLUMNS)
    best, best_score = ",", (0, 1)
    for candidate in (",", ";", "\t", "|"):
        names = next(csv.reader([header], delimiter=candidate), [])
        score = (sum(n.strip().lower() in known for n in names), len(names))
        if score > best_score:
            best, best_score = candidate, score
    return best


def _delimiter(given: str | None, source: bytes, path: Path) -> str:
    if given is None:
        return _sniff_delimiter(source)
    delimiter = DELIMITERS.get(given, given)
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise IndicatorError(f"{path}: {given!r} cannot separate columns")
    return delimiter


def _parse_csv(source: bytes, delimiter: str) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(source), dtype=str, keep_default_na=False, sep=delimiter, engine="pyarrow"
    )


def _read_csv(
    path: Path, delimiter: str | None, encoding: str | None, decimal: str | None
) -> Table:
    if decimal not in (None, ".", ","):
        raise IndicatorError(f"{path}: the decimal mark is '.' or ',', not {decimal!r}")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IndicatorError(f"{path}: cannot read the file: {e.strerror or e}") from None
    source, codec = _source(data, encoding, path)
    sep = _delimiter(delimiter, source, path)
    notes: tuple[Why, ...] = ()
    try:
        try:
            frame = _parse_csv(source, sep)
        except ValueError as e:
            if "invalid UTF8" not in str(e) or codec not in ("utf-8", "utf-8-sig") or encoding:
                raise
            source, note = _as_cp1252(data, path)
            codec, notes = "cp1252", (note,)
            frame = _parse_csv(source, sep)
    except ValueError as e:
        dialect = CsvDialect(codec, sep)
        reason = str(e)
        if "invalid UTF8" in reason:
            reason = "it is not UTF-8 text; give its encoding"
        raise IndicatorError(
            f"{path}: cannot read as CSV ({dialect.describe()}): {reason}"
        ) from None
    return Table(frame, path.name, dialect=CsvDialect(codec, sep, notes), decimal=decimal)


def read_table(
    path: str | Path,
    sheet: str | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    limits: ImportLimits | None = None,
) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` (XLSX: the sheet named ``sheet``, else
    "Data", else the first). CSV cells stay text (``delimiter``, ``encoding`` and the
    ``decimal`` mark are detected unless given); XLSX cells keep their types (calamine).
    A file beyond ``limits`` (default :class:`ImportLimits`) is refused with
    :class:`~indicators.file_limits.FileRefused` before it is read."""
    path = Path(path)
    if not path.exists():
        raise IndicatorError(f"{path}: no such file")
    limits = limits or ImportLimits()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        check_csv(path, limits)
        table = _read_csv(path, delimiter, encoding, decimal)
        check_cell_lengths(table.frame, path)
        return table
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
    formulas, errors = (
        (scan.formulas, scan.errors) if scan.sheet == name else sheet_marks(path, name, limits)
    )
    by_letter = {v: k for k, v in letters.items()}
    found = frozenset((row, by_letter[col]) for row, col in formulas if col in by_letter)
    failed = {(row, by_letter[col]): e for (row, col), e in errors.items() if col in by_letter}
    return Table(frame, name, 1, letters, found, typed=True, errors=failed)


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
    """The cells of ``sheet`` that hold a formula, as (row number, column letter)."""
    return sheet_marks(path, sheet, limits)[0]


def sheet_marks(
    path: str | Path, sheet: str, limits: ImportLimits | None = None
) -> tuple[set[tuple[int, str]], dict[tuple[int, str], str]]:
    """The cells of ``sheet`` that hold a formula, and those that hold an error value
    (``#DIV/0!``, ``#N/A``, ...; by (row number, column letter), with the error).

    calamine returns a formula's cached result (or nothing when the file was written without
    one) and an empty cell for an error value, so both are found in the sheet's XML, streamed
    within ``limits`` (:func:`~indicators.xlsx_guard.check_workbook`).
    """
    scan = check_workbook(path, sheet, limits or ImportLimits())
    return set(scan.formulas), dict(scan.errors)
