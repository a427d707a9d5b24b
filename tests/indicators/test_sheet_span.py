"""The span of a sheet's XML (indicators/sheet_span.py) is never smaller than what calamine
allocates for it, whatever the syntax, and the same however the XML is cut into chunks."""

from __future__ import annotations

import python_calamine
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indicators.file_limits import ImportLimits
from indicators.sheet_span import SheetSpan, column_number, tag_buffers
from indicators.xlsx_guard import check_workbook
from tests.security.spreadsheets.hostile_files import MAIN, workbook


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def test_column_numbers():
    assert [column_number(_letters(n)) for n in (1, 26, 27, 702, 703, 16384)] == [
        1,
        26,
        27,
        702,
        703,
        16384,
    ]


@st.composite
def sheets(draw) -> bytes:
    """A sheet in any syntax calamine reads: either quote, spaces around "=", a prefix, other
    attributes before or after the reference (one holding ">"), duplicate references, cells
    and rows without a reference, empty (self-closing) cells, formulas."""
    prefix = draw(st.sampled_from(["", "x:"]))
    out = []
    for _ in range(draw(st.integers(0, 6))):
        row_ref = draw(st.one_of(st.none(), st.integers(1, 40)))
        q = draw(st.sampled_from(['"', "'"]))
        eq = draw(st.sampled_from(["=", " = ", "\t="]))
        row = f"<{prefix}row" + (f" r{eq}{q}{row_ref}{q}" if row_ref else "") + ">"
        for _ in range(draw(st.integers(0, 5))):
            attrs = []
            if draw(st.booleans()):
                attrs.append(f"s{eq}{q}{draw(st.sampled_from(['1', '>', '/>']))}{q}")
            refs = draw(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 40)), max_size=2))
            for col, r in refs:
                case = draw(st.sampled_from([str.upper, str.lower]))
                attrs.insert(
                    draw(st.integers(0, len(attrs))), f"r{eq}{q}{case(_letters(col))}{r}{q}"
                )
            head = f"<{prefix}c" + "".join(" " + a for a in attrs)
            kind = draw(st.sampled_from(["value", "empty", "formula"]))
            if kind == "empty":
                row += head + "/>"
            elif kind == "formula":
                row += head + f"><{prefix}f>1+1</{prefix}f><{prefix}v>2</{prefix}v></{prefix}c>"
            else:
                row += head + f"><{prefix}v>1</{prefix}v></{prefix}c>"
        out.append(row + f"</{prefix}row>")
    ns = f' xmlns:x="{MAIN.decode()}"' if prefix else f' xmlns="{MAIN.decode()}"'
    body = "".join(out)
    return (
        f"<{prefix}worksheet{ns}><{prefix}sheetData>{body}</{prefix}sheetData></{prefix}worksheet>"
    ).encode()


def _calamine(path) -> tuple[int, int] | None:
    """(rows, columns) calamine reads; None when it refuses the sheet itself."""
    try:
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data")
        cells = sheet.to_python(skip_empty_area=False)
    except python_calamine.CalamineError:
        return None
    return len(cells), (len(cells[0]) if cells else 0)


def _span(xml: bytes, size: int) -> tuple[int, int]:
    chunks = [xml[i : i + size] for i in range(0, len(xml), size)]
    span = SheetSpan()
    for buffer in tag_buffers(chunks, None):
        span.feed(buffer)
    if span.unplaced:
        span = SheetSpan(precise=True)
        for buffer in tag_buffers(chunks, None):
            span.feed(buffer)
    return span.span()


@given(sheets(), st.integers(1, 64))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_span_covers_what_calamine_allocates(tmp_path_factory, xml, chunk):
    path = tmp_path_factory.mktemp("span") / "s.xlsx"
    path.write_bytes(workbook(xml))
    read = _calamine(path)
    assume(read is not None)  # refused by calamine itself: nothing is allocated
    rows, columns = read
    scan = check_workbook(path, None, ImportLimits())
    assert scan.rows >= rows and scan.columns >= columns, (scan, rows, columns)
    assert _span(xml, chunk) == (scan.rows, scan.columns)  # however the XML is cut


def test_the_usual_form_is_counted_exactly(tmp_path):
    xml = (
        b'<worksheet xmlns="'
        + MAIN
        + b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
        b'<c r="C1"><v>1</v></c></row><row r="7"><c r="B7"><f>A1</f><v>2</v></c></row>'
        b"</sheetData></worksheet>"
    )
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(xml))
    scan = check_workbook(path, None, ImportLimits())
    assert (scan.rows, scan.columns, scan.formulas) == (7, 3, frozenset({(7, "B")}))
    assert _calamine(path) == (7, 3)


def test_error_cells_are_found_however_the_xml_is_cut():
    """An error cell (type ``e``) split between two buffers is carried over, in any syntax."""
    xml = (
        b'<row r="4"><c r="C4" s="1" t="e"><v>#DIV/0!</v></c><c r="D4"><v>1</v></c>'
        b"<c r='e5' t = 'e'><v>#N/A</v></c><x:c r=\"F6\" t=\"e\"><x:v>#REF!</x:v></x:c></row>"
    )
    expected = {(4, "C"): "#DIV/0!", (5, "E"): "#N/A", (6, "F"): "#REF!"}
    cuts = [i for i in range(1, len(xml)) if xml[i : i + 1] == b"<"]
    for a in cuts:
        for b in (c for c in cuts if c > a):
            span = SheetSpan()
            for piece in (xml[:a], xml[a:b], xml[b:]):
                span.feed(piece, keep_formulas=True)
            assert span.errors == expected, (a, b)
