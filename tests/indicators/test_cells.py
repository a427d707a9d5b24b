"""Spreadsheet cells that cannot run (indicators/cells.py): the neutralising rules, the
round trip of any text through CSV, XLSX cells that are strings and never formulas, and every
export of the project (measurements, IPTT, template) with hostile texts, imported back
unchanged on both engines."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import replace
from decimal import Decimal

import numpy as np
import openpyxl
import pytest
import python_calamine
from hypothesis import given
from hypothesis import strategies as st

from indicators import importer
from indicators.cells import (
    TRIGGERS,
    append_row,
    csv_field,
    csv_text,
    needs_neutralising,
    read_back,
    sheet_title,
    write_csv,
    write_xlsx,
    xlsx_text,
)
from indicators.export import iptt_frame, measurement_rows, write_frames
from indicators.model import Text
from indicators.pathway_status import plan_status
from indicators.template import write_template
from tests.conftest import small_plan
from tests.indicators.conftest import small_indicators

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOADS = [HYPERLINK, DDE, "=cmd|' /C calc'!A0", "+1+1", "-2+3", "\tTab", "\rCR", "'=quoted"]


# -- the rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_text_starting_with_a_trigger_gets_a_quote(trigger):
    assert csv_text(trigger + "x") == "'" + trigger + "x"
    assert needs_neutralising(trigger + "x")


@pytest.mark.parametrize("text", ["plain", "a=b", " =1+1", "it's", "", "5", "1-2", "x@y.be"])
def test_other_text_is_left_alone(text):
    assert csv_text(text) == text and not needs_neutralising(text)


def test_quotes_before_a_trigger_get_one_more_so_reading_back_is_exact():
    assert csv_text("'=x") == "''=x" and read_back("''=x") == "'=x"
    assert csv_text("''+1") == "'''+1" and read_back("'''+1") == "''+1"
    assert read_back("'plain") == "'plain"  # a quote before no trigger is text


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (-5, "-5"),
        (-5.0, "-5.0"),
        (np.float64(-2.5), "-2.5"),
        (np.int64(7), "7"),
        (Decimal("1.10"), "1.10"),
        (True, "True"),
        (None, ""),
        (float("nan"), ""),
        ("-5", "'-5"),
        ("a,b", '"a,b"'),
        ("a;=b", '"a;=b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("=1;2", '"\'=1;2"'),
    ],
)
def test_csv_fields(value, field):
    assert csv_field(value) == field


@given(st.text())
def test_any_text_reads_back_as_itself(text):
    assert read_back(csv_text(text)) == text
    assert not csv_text(text).startswith(TRIGGERS)


_VALUES = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False))


@given(st.lists(st.lists(_VALUES, min_size=2, max_size=2), max_size=5))
def test_a_csv_file_reads_back_cell_for_cell(rows):
    out = io.StringIO()
    write_csv(out, ["a", "b"], rows)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert read[0] == ["a", "b"]
    for written, got in zip(rows, read[1:], strict=True):
        for value, cell in zip(written, got, strict=True):
            if isinstance(value, str):
                assert read_back(cell) == value
                assert not cell.startswith(TRIGGERS)
            else:
                assert float(cell) == float(value)


def test_xlsx_text_replaces_what_xml_cannot_hold():
    assert xlsx_text("a\x00b\x1fc\td\ne") == "a\ufffdb\ufffdc\td\ne"


def test_sheet_titles_are_valid():
    assert sheet_title("so1/o2:[x]*?") == "so1_o2__x___"
    assert len(sheet_title("x" * 40)) == 31 and sheet_title("") == "Sheet"


# -- XLSX ------------------------------------------------------------------------------------


def _sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_cells_are_strings_with_the_quote_prefix_never_formulas(tmp_path):
    path = tmp_path / "x.xlsx"
    rows = [[p, -5, 2.5, None, True] for p in PAYLOADS] + [["ok\x00nul", float("inf"), 1, 1, 1]]
    write_xlsx(path, {"=Sheet": (["=header", "n", "x", "y", "z"], rows)})
    assert "<f>" not in _sheet_xml(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "=Sheet"
    cells = list(sheet.iter_rows())
    assert cells[0][0].value == "=header" and cells[0][0].quotePrefix and cells[0][0].font.b
    for row, payload in zip(cells[1:], PAYLOADS, strict=False):
        assert (row[0].value, row[0].data_type) == (payload, "s")
        assert row[0].quotePrefix == needs_neutralising(payload)
        assert (row[1].value, row[1].data_type) == (-5, "n")  # numbers stay numbers
    assert cells[-1][0].value == "ok\ufffdnul" and cells[-1][1].value == "inf"
    read = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert [r[0] for r in read.to_python()[1:-1]] == PAYLOADS  # read back unchanged


def test_cells_appended_to_an_ordinary_sheet_are_text(tmp_path):
    wb = openpyxl.Workbook()
    append_row(wb.active, [HYPERLINK, "plain", 3, None])
    wb.save(tmp_path / "a.xlsx")
    assert "<f>" not in _sheet_xml(tmp_path / "a.xlsx")
    row = next(openpyxl.load_workbook(tmp_path / "a.xlsx").active.iter_rows())
    assert [c.value for c in row] == [HYPERLINK, "plain", 3]
    assert row[0].quotePrefix and not row[1].quotePrefix


# -- the exports -----------------------------------------------------------------------------


def _hostile_indicators():
    out = []
    for i, ind in enumerate(small_indicators()):
        out.append(
            replace(
                ind,
                title=Text(en=PAYLOADS[i], nl=PAYLOADS[i + 1]),
                responsible=DDE,
                data_source=HYPERLINK,
            )
        )
    return out


def _csv_cells(path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return [c for row in csv.reader(f) for c in row]


def _xlsx_cells(path):
    book = openpyxl.load_workbook(path)
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_neutralised(path):
    if path.suffix == ".csv":
        cells = _csv_cells(path)
        assert not [c for c in cells if c.startswith(TRIGGERS)]
        return cells
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(r"<f[ >]", z.read(name).decode()), name
    cells = _xlsx_cells(path)
    for cell in cells:
        if isinstance(cell.value, str) and needs_neutralising(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    return [c.value for c in cells]


def _record_payloads(istore, tmp_path, suffix=".csv"):
    path = tmp_path / f"payloads{suffix}"
    rows = [
        ["ind.count", str(2027 + i), str(10 + i), payload] for i, payload in enumerate(PAYLOADS[:5])
    ]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["indicator", "period", "value", "comment"])
        writer.writerows(rows)
    importer.import_file(istore, path, author="=evil()")
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_measurement_export_neutralises_and_imports_back_unchanged(istore, tmp_path, suffix):
    rows = _record_payloads(istore, tmp_path)
    frame = measurement_rows(istore.revision_frame(), istore.indicators())
    assert sorted(frame["comment"]) == sorted(r[3] for r in rows)  # stored as given
    out = tmp_path / f"export{suffix}"
    write_frames({"Measurements": frame}, out)
    cells = _assert_neutralised(out)
    if suffix == ".csv":
        assert "'" + HYPERLINK in cells and "'=evil()" in cells and "'" + DDE in cells
    else:
        assert HYPERLINK in cells and DDE in cells and "=evil()" in cells
    report = importer.check_file(istore, out, author="a")
    assert report.errors == [] and report.new == 0 and report.unchanged == 5


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_iptt_neutralises_titles(istore, tmp_path, suffix):
    istore.save_indicators(_hostile_indicators(), author="test")
    result = plan_status(istore)
    frame = iptt_frame(result, small_plan(), istore.revision_frame(), "so1")
    out = tmp_path / f"iptt{suffix}"
    write_frames({"so1": frame}, out)
    cells = _assert_neutralised(out)
    assert any(isinstance(c, str) and PAYLOADS[0] in c for c in cells)
    numbers = [v for v in frame["baseline"] if isinstance(v, float | int) and not math.isnan(v)]
    assert numbers  # and they stay numbers:
    if suffix == ".xlsx":
        assert any(c.data_type == "n" and c.value == 10 for c in _xlsx_cells(out))


def test_the_template_neutralises_every_text(tmp_path):
    out = tmp_path / "template.xlsx"
    write_template(_hostile_indicators(), out, title=HYPERLINK, notice=DDE)
    values = _assert_neutralised(out)
    assert HYPERLINK in values and DDE in values and PAYLOADS[1] in values
