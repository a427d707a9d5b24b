"""Limits on import files, and the refusal that names the file and the limit it broke.

An import file comes from anyone who may submit values, so the reader bounds what it costs
before it reads: the size of the file, and for a workbook (a ZIP archive of XML parts) what
it inflates to, part by part and in all, how many parts it has, how much it is compressed,
and how many cells the sheet spans (:mod:`indicators.zip_guard`,
:mod:`indicators.xlsx_guard`). Each limit is a setting: the command line reads
``TOC_IMPORT_MAX_*`` environment variables (:meth:`ImportLimits.from_environ`), the web app
its ``IMPORT_MAX_*`` configuration keys (:meth:`ImportLimits.from_config`).

A CSV file is read whole by the importer, so its size on disk is its bound; it must be UTF-8
text without control characters (:func:`check_csv`).

>>> ImportLimits.from_environ({"TOC_IMPORT_MAX_BYTES": "1048576"}).file_bytes
1048576
>>> limits = ImportLimits(file_bytes=10 * MB)
>>> e = FileRefused("big.csv", "file_too_large", size=30 * MB, limit=limits.file_bytes,
...                 setting=limits.setting("file_bytes"))
>>> print(e)
big.csv: the file is 30.0 MB; the limit is 10.0 MB (TOC_IMPORT_MAX_BYTES / IMPORT_MAX_BYTES)
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from indicators.errors import IndicatorError

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_LINE_BYTES",
    "FileRefused",
    "ImportLimits",
    "check_csv",
    "check_size",
]

MB = 1024 * 1024
#: The most characters a cell holds (Excel's own limit): longer text is refused on import.
MAX_CELL_CHARS = 32_767


@dataclass(frozen=True)
class ImportLimits:
    """What an import file may cost. Sizes in bytes.

    ``file_bytes``: the file on disk. ``part_bytes``: one part of a workbook, inflated (a
    sheet, the shared strings). ``inflated_bytes``: all parts together, inflated.
    ``parts``: parts in the archive. ``ratio``: inflated / compressed size of a part larger
    than 1 MB (ordinary sheets compress 5 to 30 times). ``cells``: rows x columns of the
    sheet read (the reader holds every cell of that rectangle, empty ones too), and the most
    shared strings a workbook may declare.
    """

    file_bytes: int = 100 * MB
    part_bytes: int = 200 * MB
    inflated_bytes: int = 300 * MB
    parts: int = 1_000
    ratio: int = 200
    cells: int = 5_000_000

    #: The environment variable of each limit (command line).
    ENV: ClassVar[dict[str, str]] = {
        "file_bytes": "TOC_IMPORT_MAX_BYTES",
        "part_bytes": "TOC_IMPORT_MAX_PART_BYTES",
        "inflated_bytes": "TOC_IMPORT_MAX_INFLATED_BYTES",
        "parts": "TOC_IMPORT_MAX_PARTS",
        "ratio": "TOC_IMPORT_MAX_RATIO",
        "cells": "TOC_IMPORT_MAX_CELLS",
    }

    @classmethod
    def from_environ(cls, env: Mapping[str, str] | None = None) -> ImportLimits:
        """The defaults, with each ``TOC_IMPORT_MAX_*`` variable that is set (a positive
        integer) in its place."""
        env = os.environ if env is None else env
        given = {}
        for name, variable in cls.ENV.items():
            text = (env.get(variable) or "").strip()
            if text:
                given[name] = _positive(variable, text)
        return replace(cls(), **given)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ImportLimits:
        """The limits from a web app's configuration: ``IMPORT_MAX_BYTES`` and the other
        ``IMPORT_MAX_*`` keys (each environment variable's name without ``TOC_``)."""
        given = {}
        for name, variable in cls.ENV.items():
            value = config.get(variable.removeprefix("TOC_"))
            if value is not None:
                given[name] = _positive(variable.removeprefix("TOC_"), str(value))
        return replace(cls(), **given)

    def setting(self, name: str) -> str:
        """The names of the setting behind limit ``name`` (environment / configuration)."""
        variable = self.ENV[name]
        return f"{variable} / {variable.removeprefix('TOC_')}"


def _positive(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise IndicatorError(f"{name} must be a positive whole number, not {text!r}")
    return value


def _size(size: int) -> str:
    """A size for a message: "9.8 KB", "200.0 MB"."""
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size / 1024:,.1f} KB"


_MESSAGES = {
    "file_too_large": "the file is {size}; the limit is {limit} ({setting})",
    "not_xlsx": "not an XLSX workbook (a ZIP archive): {detail}",
    "encrypted": (
        "the workbook is password-protected (encrypted) or an old .xls file; save it "
        "as an .xlsx workbook without a password"
    ),
    "too_many_parts": "the workbook has {count} parts; the limit is {parts:,} ({setting})",
    "unsafe_name": "the workbook holds a part with an unsafe name: {part!r}",
    "duplicate_part": "the workbook holds two parts named {part!r}",
    "compression": (
        "part {part} is compressed with method {method}; XLSX parts are stored or deflated"
    ),
    "part_too_large": "{what} {part} inflates to {size}; the limit is {limit} ({setting})",
    "inflates_beyond": (
        "{what} {part} inflates to more than the {declared} its archive declares: the file "
        "is forged (a zip bomb?)"
    ),
    "listing_too_large": (
        "{what} {part} inflates to {size}; a workbook's list of sheets is at most {limit}"
    ),
    "inflated_too_large": (
        "the workbook inflates to {size} in all; the limit is {limit} ({setting})"
    ),
    "ratio": (
        "{what} {part} is compressed {ratio:,} times (a zip bomb?); the limit is {times:,} "
        "({setting})"
    ),
    "size_mismatch": (
        "{what} {part} does not inflate to the size its archive declares ({detail}): "
        "the file is damaged or forged"
    ),
    "damaged": "{what} {part} is damaged: {detail}",
    "overlap": "parts {part} and {other} overlap in the archive (a zip bomb?)",
    "nested_archive": "part {part} is itself an archive; an import workbook holds no archives",
    "long_tag": "{what} {part} holds an XML tag longer than {limit}",
    "too_many_cells": (
        "sheet {sheet} ({part}) spans {rows:,} rows x {columns:,} columns = {cells:,} "
        "cells; the limit is {count:,} ({setting})"
    ),
    "too_many_strings": (
        "{part} holds or declares {strings:,} shared strings; the limit is {count:,} ({setting})"
    ),
    "control_character": (
        "{where} holds a control character ({char}), which a cell cannot hold; remove it"
    ),
    "line_too_long": "line {line} is longer than {limit}; a line holds at most {limit}",
    "cell_too_long": (
        "{where}: the cell holds {length:,} characters; a cell holds at most {most:,}"
    ),
}


class FileRefused(IndicatorError):
    """An import file is refused before (or while) it is read, because it breaks a limit or
    is not what it says it is. ``reason`` names the rule (a key of the messages below) and
    ``details`` its particulars, so a page can say it in its own language; the message is
    the English text the command line shows, naming the file and the limit."""

    def __init__(self, file: str, reason: str, **details: Any) -> None:
        self.file, self.reason, self.details = file, reason, details
        super().__init__(f"{file}: {self.text()}")

    def text(self) -> str:
        """The English reason, without the file name."""
        shown = {k: _size(v) if k in _BYTES else v for k, v in self.details.items()}
        shown.setdefault("what", part_kind(str(self.details.get("part", ""))))
        shown.setdefault("where", self.where())
        return _MESSAGES[self.reason].format(**shown)

    def where(self) -> str:
        """Where in the file, in English: "line 3", "sheet Data row 4, column B (comment)"."""
        d = self.details
        if "line" in d:
            return f"line {d['line']}"
        place = f"sheet {d['sheet']}" if d.get("sheet") else str(d.get("part", ""))
        if "row" in d:
            place = (place + " " if place else "") + f"row {d['row']}, column {d['column']}"
        return place


#: Details that are sizes in bytes (shown in MB).
_BYTES = ("size", "limit", "declared")


def part_kind(part: str) -> str:
    """What a part of a workbook is, for a message: "sheet", "shared strings" or "part"."""
    name = part.lower()
    if "/worksheets/" in name:
        return "sheet"
    if name.endswith("sharedstrings.xml"):
        return "shared strings"
    return "part"


def check_size(path: Path, limits: ImportLimits, file: str | None = None) -> int:
    """The size of ``path``; :class:`FileRefused` when it is larger than ``file_bytes``."""
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise FileRefused(
            file or str(path),
            "file_too_large",
            size=size,
            limit=limits.file_bytes,
            setting=limits.setting("file_bytes"),
        )
    return size


#: Control characters no cell may hold: C0 controls but tab, line feed and carriage return,
#: and DEL. In UTF-8 each is one byte that is never part of another character.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHUNK = 1024 * 1024


def control_name(byte: int) -> str:
    """U+0000 (NUL) and the like, for a message."""
    names = {0: " (NUL)", 0x7F: " (DEL)"}
    return f"U+{byte:04X}{names.get(byte, '')}"


#: The longest line of a CSV file (the reader reads a row within one block of this size).
MAX_LINE_BYTES = 1024 * 1024


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf8_chunks(f: BinaryIO) -> Iterator[bytes]:
    """The file's bytes in chunks; those of a UTF-16 or UTF-32 file (by its byte order mark)
    as UTF-8, so that the byte checks see characters (what cannot be decoded is left to the
    reader, which says so)."""
    start = f.read(4)
    codec = next((c for bom, c in _WIDE_BOMS if start.startswith(bom)), None)
    if codec is None:
        yield start
        while chunk := f.read(_CHUNK):
            yield chunk
        return
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    yield decoder.decode(start).encode("utf-8")
    while chunk := f.read(_CHUNK):
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def check_csv(path: Path, limits: ImportLimits, file: str | None = None) -> None:
    """Refuse a CSV file that is too large, holds a control character (NUL and the like) or
    a line longer than :data:`MAX_LINE_BYTES`, saying on which line; read in chunks, so a
    large file costs no memory. A file that starts with a UTF-16 or UTF-32 byte order mark
    is checked as the text it holds (its zero bytes are parts of characters)."""
    file = file or str(path)
    check_size(path, limits, file)
    line, run = 1, 0  # run: the bytes of the current line read so far
    with open(path, "rb") as f:
        for chunk in _utf8_chunks(f):
            found = _CONTROL.search(chunk)
            if found:
                at = line + chunk.count(b"\n", 0, found.start())
                raise FileRefused(
                    file, "control_character", line=at, char=control_name(chunk[found.start()])
                )
            lines = chunk.split(b"\n")
            lengths = [run + len(lines[0]), *map(len, lines[1:])]
            longest = max(lengths)
            if longest > MAX_LINE_BYTES:
                at = line + next(i for i, n in enumerate(lengths) if n == longest)
                raise FileRefused(file, "line_too_long", line=at, limit=MAX_LINE_BYTES)
            run = lengths[-1] if len(lines) == 1 else len(lines[-1])
            line += len(lines) - 1
