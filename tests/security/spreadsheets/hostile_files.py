"""Hostile import files, made by code (no binary fixtures): zip bombs, malformed archives,
workbooks full of formulas or DDE payloads, and CSV files with formula payloads, very long
cells, NUL bytes and invalid UTF-8.

Archives are written by a small ZIP writer of our own, so that sizes, names, flags and
offsets can lie. A part that inflates to a gigabyte is built in milliseconds: one
megabyte compressed once with a full flush (which resets the compressor, so every copy of the
block is valid deflate on its own) and repeated.

:data:`CORPUS` maps each case to its file and what must happen: refused with one of the
given :class:`~indicators.file_limits.FileRefused` reasons, a report listing problems, or
an import that works.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

MB = 1024 * 1024
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = b"http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class Entry:
    """One part as the archive will declare it: ``data`` is stored as given (deflated already
    when ``method`` is 8), ``size`` is the inflated size declared."""

    name: str
    data: bytes
    size: int
    crc: int = 0
    method: int = 8
    flags: int = 0
    compressed_size: int | None = None
    local_name: str | None = None


def deflated(name: str, content: bytes, **changes) -> Entry:
    """A part with honest sizes and CRC."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = c.compress(content) + c.flush()
    entry = Entry(name, data, len(content), zlib.crc32(content))
    for key, value in changes.items():
        setattr(entry, key, value)
    return entry


def repeated(
    name: str, head: bytes, chunk: bytes, count: int, tail: bytes, declared: int | None = None
) -> Entry:
    """A part inflating to ``head + chunk * count + tail`` (a gigabyte in a megabyte), with
    the true size declared unless ``declared`` says otherwise; its CRC is not computed."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    data = first + block * count + c.compress(tail) + c.flush()
    size = len(head) + len(chunk) * count + len(tail)
    return Entry(name, data, size if declared is None else declared)


def archive(entries: list[Entry], overlap: bool = False) -> bytes:
    """A ZIP archive of ``entries``, written as they declare themselves. With ``overlap``,
    the first part's compressed size is declared to run over the second part."""
    out = bytearray()
    central = bytearray()
    offsets = []
    for e in entries:
        name = e.name.encode()
        local = (e.local_name or e.name).encode()
        offsets.append(len(out))
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0x21, e.crc,
            len(e.data), e.size, len(local), 0,
        )  # fmt: skip
        out += local + e.data
    for i, e in enumerate(entries):
        name = e.name.encode()
        compressed = e.compressed_size if e.compressed_size is not None else len(e.data)
        if overlap and i == 0:
            compressed = offsets[1] - offsets[0] + 30
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, e.flags, e.method, 0, 0x21, e.crc,
            compressed, e.size, len(name), 0, 0, 0, 0, 0o644 << 16, offsets[i],
        )  # fmt: skip
        central += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    return bytes(out + central + end)


# -- workbooks -------------------------------------------------------------------------------


def _types() -> Entry:
    return deflated(
        "[Content_Types].xml",
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
        b'-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b"</Types>",
    )


def workbook_parts(
    sheet: bytes | Entry, shared: bytes | Entry | None = None, book: bytes | None = None
) -> list[Entry]:
    """The parts of a one-sheet workbook (sheet "Data"), with shared strings if given."""
    rels = b'<Relationship Id="rId1" Type="' + REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        rels += (
            b'<Relationship Id="rId2" Type="' + REL + b'/sharedStrings" '
            b'Target="sharedStrings.xml"/>'
        )
    parts = [
        _types(),
        deflated(
            "_rels/.rels",
            b'<Relationships xmlns="'
            + PACKAGE
            + b'"><Relationship Id="rId1" Type="'
            + REL
            + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        deflated(
            "xl/workbook.xml",
            book
            or (
                b'<workbook xmlns="' + MAIN + b'" xmlns:r="' + REL + b'"><sheets>'
                b'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
        ),
        deflated(
            "xl/_rels/workbook.xml.rels",
            b'<Relationships xmlns="' + PACKAGE + b'">' + rels + b"</Relationships>",
        ),
        sheet if isinstance(sheet, Entry) else deflated("xl/worksheets/sheet1.xml", sheet),
    ]
    if shared is not None:
        parts.append(
            shared if isinstance(shared, Entry) else deflated("xl/sharedStrings.xml", shared)
        )
    return parts


def workbook(sheet: bytes | Entry, shared: bytes | Entry | None = None, **kw) -> bytes:
    return archive(workbook_parts(sheet, shared, **kw))


def sheet_xml(body: bytes) -> bytes:
    return b'<worksheet xmlns="' + MAIN + b'"><sheetData>' + body + b"</sheetData></worksheet>"


def _cell(ref: str, value: object) -> bytes:
    if isinstance(value, tuple):  # ("f", formula, cached)
        kind = ' t="str"' if isinstance(value[2], str) else ""
        return f'<c r="{ref}"{kind}><f>{value[1]}</f><v>{value[2]}</v></c>'.encode()
    if isinstance(value, str):
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()
    return f'<c r="{ref}"><v>{value}</v></c>'.encode()


def rows_xml(rows: list[list[object]]) -> bytes:
    """A sheet of ``rows`` (row 1 the header): text inline, numbers as numbers, ("f", text,
    cached) as a formula."""
    body = b""
    for r, row in enumerate(rows, start=1):
        cells = b"".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v is not None)
        body += f'<row r="{r}">'.encode() + cells + b"</row>"
    return sheet_xml(body)


_LETTERS = bytes.maketrans(bytes(range(256)), (b"abcdefghijklmnopqrstuvwxyz012345" * 8))


def noise(size: int) -> bytes:
    """``size`` letters and digits that hardly compress (the same every time), for parts that
    must not look like zip bombs."""
    return random.Random(size).randbytes(size).translate(_LETTERS)


HEADER = ["indicator", "period", "value", "comment"]
GOOD_ROWS = [HEADER, ["ind.o1", "2028", 14, "survey"]]
GOOD_CSV = b"indicator,period,value,comment\nind.o1,2028,14,survey\n"
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOADS = [HYPERLINK, DDE, "=cmd|' /C calc'!A0", "+1+1", "-2+3", "\tTab", "'=quoted"]


# -- the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A hostile file and what must happen to it: refused for one of ``refused`` (reasons of
    :class:`~indicators.file_limits.FileRefused`; "unreadable" for the reader's own error), or
    read (``problems``: the check lists problems; else it imports). ``web`` overrides
    ``refused`` for an upload (an upload's first bytes are checked, and its size limit is
    lower)."""

    suffix: str
    build: Callable[[], bytes]
    refused: tuple[str, ...] = ()
    problems: bool = False
    web: tuple[str, ...] | None = None
    note: str = field(default="", compare=False)


def _huge_sheet(declared: int | None = None) -> bytes:
    sheet = repeated(
        "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="' + MAIN + b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        b"<t>indicator</t></is></c></row><!-- ",
        b"x" * MB,
        1000,
        b" --></sheetData></worksheet>",
        declared,
    )
    return workbook(sheet)


def _shared_strings_bomb() -> bytes:
    shared = repeated(
        "xl/sharedStrings.xml",
        b'<sst xmlns="' + MAIN + b'"><si><t>',
        b"y" * MB,
        1000,
        b"</t></si></sst>",
    )
    return workbook(rows_xml([["indicator"]]), shared)


def _many_strings() -> bytes:
    shared = repeated(
        "xl/sharedStrings.xml", b'<sst xmlns="' + MAIN + b'">', b"<si><t/></si>" * 10_000, 600,
        b"</sst>",
    )  # fmt: skip
    return workbook(rows_xml([["indicator"]]), shared)


def _declared_strings() -> bytes:
    shared = (
        b'<sst xmlns="' + MAIN + b'" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    return workbook(sheet_xml(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared)


def _many_parts() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts += [deflated(f"xl/media/p{i}.xml", b"<p/>") for i in range(5_000)]
    return archive(parts)


def _inflated_in_all() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    for i in range(2, 5):
        parts.append(repeated(f"xl/worksheets/sheet{i}.xml", b"<!-- ", b"z" * MB, 150, b" -->"))
    return archive(parts)


def _nested() -> bytes:
    inner = _huge_sheet()
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts.append(deflated("xl/embeddings/inner.zip", inner))
    return archive(parts)


def _far_cell() -> bytes:
    return workbook(
        sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>')
    )


def _many_rows() -> bytes:
    return workbook(
        rows_xml([["indicator"]]).replace(
            b"</sheetData>", b'<row r="6000000"><c r="A6000000"><v>1</v></c></row></sheetData>'
        )
    )


def _rless_columns() -> bytes:
    # Cells without a reference: calamine puts each one column further.
    run = b"".join(b"<c><v>%d</v></c>" % i for i in range(100_000))
    return workbook(
        sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="60">' + run + b"</row>")
    )


def _duplicate_reference() -> bytes:
    return workbook(sheet_xml(b'<row r="1"><c r="A1" r="ZZ9000"><v>1</v></c></row>'))


def _odd_syntax() -> bytes:
    return workbook(
        sheet_xml(
            b"<row r = '1'><c s='>' \t r = 'A1' ><v>1</v></c><c r='XFD500000'><v>1</v></c></row>"
        )
    )


def _prefixed() -> bytes:
    xml = (
        b'<x:worksheet xmlns:x="' + MAIN + b'"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1'
        b'</x:v></x:c><x:c r="XFD400000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    return workbook(xml)


def _truncated() -> bytes:
    data = workbook(rows_xml(GOOD_ROWS))
    return data[: len(data) // 2]


def _traversal() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts.append(deflated("../../etc/evil.xml", b"<x/>"))
    return archive(parts)


def _absolute() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts.append(deflated("/etc/passwd", b"root"))
    return archive(parts)


def _encrypted_flag() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts[-1].flags = 1
    return archive(parts)


def _ole() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096


def _case_twins() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts.append(deflated("XL/WORKSHEETS/SHEET1.XML", _far_cell()))
    return archive(parts)


def _overlap() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    return archive(parts, overlap=True)


def _bad_crc() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts[-1].crc ^= 0xFFFF
    return archive(parts)


def _bzip2() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts[-1].method = 12
    return archive(parts)


def _names_differ() -> bytes:
    parts = workbook_parts(rows_xml(GOOD_ROWS))
    parts[-1].local_name = "xl/worksheets/other.xml"
    return archive(parts)


def _long_tag() -> bytes:
    return workbook(
        sheet_xml(b'<row r="1"><c r="A1" s="' + noise(2 * MB) + b'"><v>1</v></c></row>')
    )


def _formulas_everywhere() -> bytes:
    rows: list[list[object]] = [HEADER]
    for year in range(2027, 2032):
        rows.append(
            [("f", '"ind.o1"', "ind.o1"), ("f", str(year), year), ("f", "1+1", 2), ("f", "A1", "x")]
        )
    return workbook(rows_xml(rows))


def _dde_text() -> bytes:
    rows: list[list[object]] = [HEADER]
    for i, payload in enumerate(PAYLOADS):
        rows.append(["ind.o1", str(2027 + i % 5) if i < 5 else "2031", i + 1, payload])
    return workbook(rows_xml(rows[:6]))


def _dde_formula() -> bytes:
    return workbook(rows_xml([HEADER, ["ind.o1", "2028", ("f", "cmd|' /C calc'!A0", 0), "x"]]))


def _long_cell_xlsx() -> bytes:
    return workbook(rows_xml([HEADER, ["ind.o1", "2028", 14, noise(10 * MB).decode()]]))


def _control_xlsx() -> bytes:
    return workbook(
        sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>a&#0;b</t></is></c></row>')
    )


def _billion_laughs() -> bytes:
    book = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;'
        b'&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><workbook xmlns="'
        + MAIN
        + b'" xmlns:r="'
        + REL
        + b'"><sheets><sheet name="Data&lol3;" sheetId="1" r:id="rId1"/></sheets>'
        b"</workbook>"
    )
    return workbook(rows_xml(GOOD_ROWS), book=book)


def _csv_payloads() -> bytes:
    lines = ["indicator,period,value,comment"]
    for i, payload in enumerate(PAYLOADS[:5]):
        quoted = '"' + payload.replace('"', '""') + '"'
        lines.append(f"ind.o1,{2027 + i},{i + 1},{quoted}")
    return ("\n".join(lines) + "\n").encode()


CORPUS: dict[str, Hostile] = {
    # zip bombs
    "huge_sheet": Hostile(".xlsx", _huge_sheet, ("part_too_large",)),
    "huge_sheet_lying_size": Hostile(".xlsx", lambda: _huge_sheet(10_000), ("inflates_beyond",)),
    "shared_strings_bomb": Hostile(".xlsx", _shared_strings_bomb, ("part_too_large",)),
    "many_shared_strings": Hostile(".xlsx", _many_strings, ("too_many_strings", "ratio")),
    "declared_shared_strings": Hostile(".xlsx", _declared_strings, ("too_many_strings",)),
    "many_parts": Hostile(".xlsx", _many_parts, ("too_many_parts",)),
    "inflated_in_all": Hostile(".xlsx", _inflated_in_all, ("inflated_too_large", "ratio")),
    "nested_zip": Hostile(".xlsx", _nested, ("nested_archive",)),
    "far_cell": Hostile(".xlsx", _far_cell, ("too_many_cells",)),
    "many_rows": Hostile(".xlsx", _many_rows, ("too_many_cells",)),
    "cells_without_reference": Hostile(".xlsx", _rless_columns, ("too_many_cells",)),
    "duplicate_reference": Hostile(".xlsx", _duplicate_reference, ("too_many_cells",)),
    "odd_attribute_syntax": Hostile(".xlsx", _odd_syntax, ("too_many_cells",)),
    "namespace_prefixes": Hostile(".xlsx", _prefixed, ("too_many_cells",)),
    "long_tag": Hostile(".xlsx", _long_tag, ("long_tag",)),
    # malformed archives
    "truncated": Hostile(".xlsx", _truncated, ("not_xlsx",)),
    "not_a_zip": Hostile(
        ".xlsx",
        lambda: b"indicator,period\nthis is not a workbook\n",
        ("not_xlsx",),
        web=("file_type",),
    ),
    "path_traversal": Hostile(".xlsx", _traversal, ("unsafe_name",)),
    "absolute_name": Hostile(".xlsx", _absolute, ("unsafe_name",)),
    "encrypted_part": Hostile(".xlsx", _encrypted_flag, ("encrypted",)),
    "password_protected": Hostile(".xlsx", _ole, ("encrypted",)),
    "case_twins": Hostile(".xlsx", _case_twins, ("duplicate_part",)),
    "overlapping_parts": Hostile(".xlsx", _overlap, ("overlap", "not_xlsx")),
    "bad_crc": Hostile(".xlsx", _bad_crc, ("damaged",)),
    "bzip2_part": Hostile(".xlsx", _bzip2, ("compression",)),
    "names_differ": Hostile(".xlsx", _names_differ, ("damaged",)),
    "billion_laughs": Hostile(".xlsx", _billion_laughs, ("unreadable", "damaged")),
    # content
    "formulas_everywhere": Hostile(".xlsx", _formulas_everywhere, problems=True),
    "dde_formula": Hostile(".xlsx", _dde_formula, problems=True),
    "dde_text": Hostile(".xlsx", _dde_text),
    "long_cell_xlsx": Hostile(".xlsx", _long_cell_xlsx, ("cell_too_long",)),
    "control_character_xlsx": Hostile(".xlsx", _control_xlsx, ("control_character",)),
    "csv_formula_payloads": Hostile(".csv", _csv_payloads),
    "long_line_csv": Hostile(
        ".csv",
        lambda: GOOD_CSV[:-1] + b"x" * (10 * MB) + b"\n",
        ("line_too_long",),
        web=("too_large",),
    ),
    "long_cell_csv": Hostile(
        ".csv", lambda: GOOD_CSV[:-1] + noise(40_000) + b"\n", ("cell_too_long",)
    ),
    "nul_bytes_csv": Hostile(
        ".csv", lambda: GOOD_CSV.replace(b"survey", b"sur\x00vey"), ("control_character",)
    ),
    # Neither UTF-8 nor Windows-1252 (0x81 and 0x8D are undefined there): refused. (Text that
    # is Windows-1252 is read, with a warning: tests/indicators/test_import_numbers.py.)
    "invalid_utf8_csv": Hostile(
        ".csv", lambda: GOOD_CSV.replace(b"survey", b"sur\x81\x8dvey"), ("unreadable",)
    ),
}
