"""Checking an XLSX workbook before calamine reads it, in one streaming pass of bounded memory.

calamine is fast, but it trusts the file: it inflates a sheet whole, allocates every cell of
the rectangle up to the last cell it finds (one cell at ``XFD1048576`` in a file of 600 bytes
asks for 550 GB, and the process aborts), and reserves room for as many shared strings as
``<sst uniqueCount>`` declares (4 billion in a file of 400 bytes: the same). So before it
reads, :func:`check_workbook`

* checks the archive and inflates every part as a stream with a byte cap, which checks each
  part's size and CRC-32 (:mod:`indicators.zip_guard`);
* finds in every XML part how many rows and columns calamine would span there
  (:mod:`indicators.sheet_span`; every part, since calamine finds parts by name whatever
  their case) and refuses a sheet of more than ``cells`` cells;
* bounds the shared strings, declared and present, by ``cells`` too;
* refuses control characters in the sheet read and in the shared strings (text cannot hold
  them, and the exports could not write them);
* and, in the sheet read, finds the cells that hold a formula (calamine gives only their
  cached results), as (row number, column letter).

The workbook's list of sheets and its relationships are parsed with lxml, entities and DTDs
off, each at most 16 MB.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from indicators.file_limits import FileRefused, ImportLimits, check_size, control_name
from indicators.sheet_span import LONGEST_RUN, SheetSpan, tag_buffers
from indicators.zip_guard import Part, ZipArchive

__all__ = ["SheetScan", "check_archive", "check_workbook"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The most a workbook's list of sheets or relationships may inflate to.
_LISTING = 16 * 1024 * 1024

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"
_ATTR = rb"""(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))"""
_SST = re.compile(
    rb"<" + _P + rb"sst(?=[\s/>])" + _ATTR + rb"*?" + rb"""\s+uniqueCount\s*=\s*(["'])"""
    rb"""([^"'<]*)\1"""
)
_STRING_ITEM = re.compile(rb"<" + _P + rb"si(?=[\s/>])")
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Every byte but the control characters (deleting them leaves the control characters).
_TEXT_BYTES = bytes(b for b in range(256) if not _CONTROL_BYTE.match(bytes([b])))
_CONTROL_REF = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127))"
    rb";|&#[xX]?0{16}"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_DOCUMENT = "officeDocument"


@dataclass(frozen=True)
class SheetScan:
    """What the check found: the workbook's sheet names, the sheet chosen, its part, how many
    rows and columns calamine will span there, its formula cells (row, column letter) and its
    cells holding an error value (row, column letter -> the error, e.g. ``#DIV/0!``)."""

    names: tuple[str, ...]
    sheet: str
    part: str
    rows: int = 0
    columns: int = 0
    formulas: frozenset[tuple[int, str]] = frozenset()
    errors: Mapping[tuple[int, str], str] = field(default_factory=dict)


def _check_text(buffer: bytes, place: dict[str, str], file: str) -> None:
    """Refuse a control character, raw or as a character reference (``&#1;``)."""
    if buffer.translate(None, _TEXT_BYTES) and (found := _CONTROL_BYTE.search(buffer)):
        char = control_name(buffer[found.start()])
        raise FileRefused(file, "control_character", char=char, **place)
    reference = _CONTROL_REF.search(buffer)
    if reference:
        char = reference.group().decode("ascii", "replace")
        raise FileRefused(file, "control_character", char=char, **place)


# -- the workbook ----------------------------------------------------------------------------


def _xml(data: bytes, part: str, file: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise FileRefused(file, "damaged", part=part, detail=f"not well-formed XML: {e}") from None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _relationships(z: ZipArchive, part: str) -> dict[str, str]:
    """Id -> target part of a part's relationships (``dir/_rels/name.rels``)."""
    folder, name = posixpath.split(part)
    rels = z.part(posixpath.join(folder, "_rels", name + ".rels"))
    if rels is None:
        return {}
    root = _xml(z.read(rels, _LISTING), rels.name, z.file)
    out = {}
    for rel in root.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                out[rel.get("Id", "")] = posixpath.normpath(target.lstrip("/"))
            else:
                out[rel.get("Id", "")] = posixpath.normpath(posixpath.join(folder, target))
    return out


def _sheets(z: ZipArchive) -> list[tuple[str, str]]:
    """(sheet name, its part) in workbook order."""
    workbook = "xl/workbook.xml"
    root_rels = z.part("_rels/.rels")
    if root_rels is not None:
        root = _xml(z.read(root_rels, _LISTING), root_rels.name, z.file)
        for rel in root.iter():
            if _local(rel.tag) == "Relationship" and (rel.get("Type") or "").endswith(
                "/" + _OFFICE_DOCUMENT
            ):
                workbook = posixpath.normpath((rel.get("Target") or workbook).lstrip("/"))
    book = z.part(workbook)
    if book is None:
        raise FileRefused(z.file, "not_xlsx", detail=f"it has no {workbook}")
    targets = _relationships(z, workbook)
    root = _xml(z.read(book, _LISTING), book.name, z.file)
    sheets = []
    for node in root.iter():
        if _local(node.tag) == "sheet" and node.get("name") is not None:
            rid = next((v for k, v in node.attrib.items() if _local(k) == "id"), None)
            sheets.append((node.get("name", ""), targets.get(rid or "", "")))
    return sheets


def _open(path: Path, limits: ImportLimits, file: str) -> ZipArchive:
    check_size(path, limits, file)
    with open(path, "rb") as f:
        magic = f.read(8)
    if magic == _OLE:
        raise FileRefused(file, "encrypted")
    if not magic.startswith(b"PK"):
        raise FileRefused(file, "not_xlsx", detail="it does not start as a ZIP archive does")
    return ZipArchive(path, limits, file)


def check_archive(path: str | Path, limits: ImportLimits, file: str | None = None) -> None:
    """The quick part of :func:`check_workbook`, for an upload as it arrives: the file's size
    and the archive's directory (parts, names, declared sizes, ratio), nothing inflated."""
    path = Path(path)
    with _open(path, limits, file or str(path)):
        pass


def check_workbook(
    path: str | Path, sheet: str | None, limits: ImportLimits, file: str | None = None
) -> SheetScan:
    """Check an XLSX file before it is read (see the module docstring); the sheet chosen is
    ``sheet``, else "Data", else the first. Raises :class:`FileRefused` naming the file (as
    ``file``, default the path) and what is wrong; returns what calamine will find."""
    path = Path(path)
    file = file or str(path)
    with _open(path, limits, file) as z:
        sheets = _sheets(z)
        names = tuple(name for name, _ in sheets)
        chosen = sheet or ("Data" if "Data" in names else (names[0] if names else ""))
        member = dict(sheets).get(chosen, "")
        result = _scan_parts(z, member, chosen, {p: n for n, p in sheets}, limits)
    return SheetScan(names, chosen, member, *result)


def _scan_parts(
    z: ZipArchive, member: str, chosen: str, sheet_of: dict[str, str], limits: ImportLimits
) -> tuple[int, int, frozenset[tuple[int, str]], dict[tuple[int, str], str]]:
    """Inflate every part (which checks its size and CRC); count the cells of every XML
    part (calamine might be pointed at any of them) and check the sheet read and the shared
    strings for control characters. Returns the rows, columns, formulas and error cells of
    ``member``."""
    found: tuple[int, int, frozenset[tuple[int, str]], dict[tuple[int, str], str]] = (
        0,
        0,
        frozenset(),
        {},
    )
    for part in z.parts:
        lower = part.name.lower()
        if not lower.endswith((".xml", ".rels")):
            for _ in z.stream(part):
                pass
            continue
        is_member = lower == member.lower()
        strings = lower.endswith("sharedstrings.xml")
        place = {"sheet": chosen} if is_member and chosen else {"part": part.name}
        cells = _scan_part(
            z, part, is_member, strings, place if is_member or strings else None, limits
        )
        if cells.unplaced:  # some cell has no reference: read again, following the rows
            cells = _scan_part(z, part, is_member, False, None, limits, precise=True)
        rows, columns = cells.span()
        if rows * columns > limits.cells:
            raise FileRefused(
                z.file,
                "too_many_cells",
                sheet=sheet_of.get(part.name, part.name),
                part=part.name,
                rows=rows,
                columns=columns,
                cells=rows * columns,
                count=limits.cells,
                setting=limits.setting("cells"),
            )
        if is_member:
            found = (rows, columns, frozenset(cells.formulas), dict(cells.errors))
    return found


def _scan_part(
    z: ZipArchive,
    part: Part,
    is_member: bool,
    strings: bool,
    place: dict[str, str] | None,
    limits: ImportLimits,
    precise: bool = False,
) -> SheetSpan:
    """One streaming pass over an XML part: its cells, and for the sheet read and the shared
    strings the text checks (see :func:`_scan_parts`)."""
    cells = SheetSpan(precise=precise)
    declared = present = 0

    def refuse(reason: str) -> FileRefused:
        return FileRefused(z.file, reason, part=part.name, limit=LONGEST_RUN)

    for buffer in tag_buffers(z.stream(part), refuse):
        cells.feed(buffer, is_member)
        if place is not None:
            _check_text(buffer, place, z.file)
        if strings:
            if not declared:
                unique = _SST.search(buffer)
                if unique:
                    declared = _declared(unique.group(2))
            present += len(_STRING_ITEM.findall(buffer))
            if max(declared, present) > limits.cells:
                raise FileRefused(
                    z.file,
                    "too_many_strings",
                    part=part.name,
                    strings=max(declared, present),
                    count=limits.cells,
                    setting=limits.setting("cells"),
                )
    return cells


def _declared(text: bytes) -> int:
    digits = text.strip().lstrip(b"+")
    if not digits.isdigit():
        return 0  # calamine reserves nothing for what it cannot read as a number
    return int(digits) if len(digits) <= 18 else 10**19
