"""Spreadsheet import: every problem with sheet, row, column and reason; all or nothing; a
second import of the same file changes nothing. Also the template and the export."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import importer
from indicators.errors import ImportFailed, PermissionDenied
from indicators.export import measurement_rows, write_frames
from indicators.file_limits import FileRefused
from indicators.system_notes import import_note
from indicators.template import write_template

HEADER = [
    "indicator",
    "period",
    "sex",
    "country",
    "value",
    "numerator",
    "denominator",
    "level",
    "narrative",
    "comment",
    "evidence",
]
GOOD = [
    ["ind.count", "2027", "", "", "12", "", "", "", "", "survey", "https://x; y.pdf"],
    ["ind.count", "2027", "female", "", "5", "", "", "", "", "", ""],
    ["ind.count", "2027", "male", "", "7", "", "", "", "", "", ""],
    ["ind.count", "2028", "", "", "14", "", "", "", "", "", ""],
    ["ind.pct", "2027", "", "", "", "3", "10", "", "", "", ""],
    ["ind.pct", "2027", "female", "", "", "1", "4", "", "", "", ""],
    ["ind.pct", "2027", "male", "", "", "2", "6", "", "", "", ""],
    ["ind.level", "2027", "", "", "", "", "", "mid", "", "", ""],
    ["ind.story", "2027", "", "", "", "", "", "", "Things moved.", "", ""],
    ["ind.count", "2029", "", "", "", "", "", "", "", "", ""],  # not reported
]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def problems_of(store, path, **kw):
    report = importer.check_file(store, path, author="t", role="me_officer", **kw)
    return [(p.row, p.column, p.reason) for p in report.errors], report


def test_a_good_file_is_imported_once(istore, tmp_path):
    path = write_csv(tmp_path / "good.csv", GOOD)
    report = importer.import_file(istore, path, author="ann", role="contributor")
    assert (report.new, report.measurements, report.unchanged) == (5, 5, 0)
    assert report.rows == 10 and not report.problems
    revisions = istore.measurement_revisions()
    count = next(r for r in revisions if r.key == ("ind.count", "2027"))
    assert count.value.value == 12 and count.status.value == "submitted"
    assert [p.value for p in count.value.parts] == [5.0, 7.0]
    assert count.value.evidence == ("https://x", "y.pdf") and count.value.comment == "survey"
    assert count.reason == import_note("good.csv", approved=False) and count.author == "ann"
    pct = next(r for r in revisions if r.indicator == "ind.pct")
    assert pct.value.value == 30.0
    again = importer.import_file(istore, path, author="ann", role="contributor")
    assert (again.new, again.unchanged) == (0, 5)
    assert istore.measurement_revisions() == revisions
    approved = importer.import_file(istore, path, author="bo", role="me_officer", approve=True)
    assert approved.new == 5
    assert {r.status.value for r in istore.measurement_revisions() if r.revision == 2} == {
        "approved"
    }


def test_a_dry_run_writes_nothing(istore, tmp_path):
    report = importer.check_file(istore, write_csv(tmp_path / "g.csv", GOOD), author="a")
    assert report.new == 5 and istore.revision_count() == 0


def test_every_problem_is_listed_with_row_column_and_reason(istore, tmp_path):
    bad = [
        ["ind.nope", "2027", "", "", "1", "", "", "", "", "", ""],
        ["ind.count", "2040", "", "", "1", "", "", "", "", "", ""],
        ["ind.count", "2027-Q1", "", "", "1", "", "", "", "", "", ""],
        ["ind.count", "2027", "", "", "1.5 kg", "", "", "", "", "", ""],
        ["ind.count", "2027", "", "", "12", "", "", "", "", "", ""],
        ["ind.count", "2027", "", "", "12", "", "", "", "", "", ""],
        ["ind.level", "2027", "female", "", "", "", "", "mid", "", "", ""],
        ["ind.count", "2028", "other", "", "1", "", "", "", "", "", ""],
        ["ind.pct", "2028", "", "", "50", "", "", "", "", "", ""],
        ["ind.level", "2028", "", "", "", "", "", "top", "", "", ""],
        ["ind.count", "2029", "female", "", "1", "", "", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", "a comment", ""],
    ]
    found, _ = problems_of(istore, write_csv(tmp_path / "bad.csv", bad))
    assert (2, "indicator", "unknown indicator 'ind.nope'") in found
    assert (3, "period", "period '2040' is outside the plan (2027-2036)") in found
    assert (
        4,
        "period",
        "'2027-Q1' is not a period of ind.count, which reports per year (2027 .. 2031)",
    ) in found
    assert (
        5,
        "value",
        "'1.5 kg' is not a number: write for example 12.5 (decimal point; a comma only between "
        "groups of three digits, as in 1,234.5)",
    ) in found
    assert (
        7,
        "indicator",
        "duplicate row: same indicator, period and dimensions as row 5",
    ) in found
    assert (8, "sex", "ind.level has no dimension 'sex'; leave it empty") in found
    assert (9, "sex", "'other' is not a value of sex for ind.count (female, male)") in found
    assert (10, "numerator", "percentage ind.pct: give the numerator and the denominator") in found
    assert (11, "level", "'top' is not a level of ind.level (low, mid, high)") in found
    assert any(r == 12 and "without a total row" in m for r, _, m in found)
    assert (13, "comment", "a comment or evidence without a value") in found
    assert istore.revision_count() == 0
    with pytest.raises(ImportFailed):
        importer.import_file(istore, tmp_path / "bad.csv", author="a")
    assert istore.revision_count() == 0


def test_xlsx_cells_are_checked_by_type_and_formulas_are_found(istore, tmp_path):
    rows = [
        ["ind.count", 2027, None, None, "12"],
        ["ind.count", 2028, None, None, "=6*2"],
        ["ind.count", 2029, None, None, True],
        ["ind.count", "2030", None, None, 7.5],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", rows, HEADER[:5])
    found, _ = problems_of(istore, path)
    assert found == [
        (2, "E (value)", "text '12' where a number belongs: enter it as a number, not as text"),
        (3, "E (value)", "a formula where a number belongs; enter the value itself"),
        (4, "E (value)", "bool True where a number belongs"),
    ]
    assert importer.formula_cells(path, "Data") == {(3, "E")}


def test_unknown_columns_and_missing_columns(istore, tmp_path):
    found, _ = problems_of(istore, write_csv(tmp_path / "c.csv", [["x"]], ["colour"]))
    assert (
        1,
        "colour",
        "unknown column 'colour': expected indicator, period, value, numerator, "
        "denominator, level, narrative, comment, evidence or a dimension (country, sex)",
    ) in found
    assert (1, "indicator", "the indicator column is missing") in found


def test_roles_and_approval(istore, tmp_path):
    path = write_csv(tmp_path / "g.csv", GOOD)
    with pytest.raises(PermissionDenied):
        importer.check_file(istore, path, author="p", role="contributor", approve=True)
    with pytest.raises(PermissionDenied):
        importer.check_file(istore, path, author="v", role="viewer")


def test_disaggregation_mismatch_is_a_warning_kept_on_the_revision(istore, tmp_path):
    rows = [GOOD[0], GOOD[1], ["ind.count", "2027", "male", "", "6", "", "", "", "", "", ""]]
    report = importer.import_file(istore, write_csv(tmp_path / "m.csv", rows), author="a")
    assert [(p.row, p.reason) for p in report.warnings] == [
        (2, "parts by sex add up to 11, not to the total 12")
    ]
    (revision,) = istore.measurement_revisions()
    assert revision.flags == ("parts by sex add up to 11, not to the total 12",)
    assert revision.value.value == 12.0


def test_template_round_trip(istore, tmp_path):
    path = tmp_path / "t.xlsx"
    rows = write_template(istore.indicators(), path, first_year=2027, last_year=2027)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Data", "Lists", "Indicators", "About"]
    data = wb["Data"]
    assert data.max_row == rows + 1
    assert len(data.data_validations.dataValidation) >= 5
    header = [c.value for c in data[1]]
    value_col = header.index("value") + 1
    for row in range(2, data.max_row + 1):
        if (
            data.cell(row, 1).value == "ind.count"
            and data.cell(row, 3).value is None
            and (data.cell(row, 4).value is None)
        ):
            data.cell(row, value_col, 12)
    wb.save(path)
    assert importer.check_file(istore, path, author="a").errors == []  # untouched rows skipped
    report = importer.import_file(istore, path, author="a")
    assert report.new == 1


def test_export_imports_back_unchanged(istore, tmp_path):
    importer.import_file(istore, write_csv(tmp_path / "g.csv", GOOD), author="a")
    frame = measurement_rows(istore.revision_frame(), istore.indicators())
    assert len(frame) == 9 and set(frame["status"]) == {"submitted"}
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"export.{suffix}"
        write_frames({"Measurements": frame}, out)
        report = importer.check_file(istore, out, author="a")
        assert report.errors == [] and report.new == 0 and report.unchanged == 5


cells = st.one_of(
    st.sampled_from(
        [
            "",
            "ind.count",
            "ind.pct",
            "2027",
            "2028",
            "2040",
            "female",
            "mid",
            "x",
            "12",
            "-3",
            "1e3",
            "abc",
            "=1+1",
            "nan",
            "inf",
            " 7 ",
            "3/4",
        ]
    ),
    st.text(max_size=6),
)
bad_rows = st.lists(
    st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=8
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bad_rows)
def test_a_file_with_any_error_writes_nothing(istore, tmp_path_factory, rows):
    before = istore.revision_count()
    path = write_csv(tmp_path_factory.mktemp("bad") / "f.csv", [*GOOD[:4], *rows])
    try:
        report = importer.check_file(istore, path, author="a")
    except FileRefused as refused:  # a control character: the whole file is refused
        assert refused.reason == "control_character"
        controls = {chr(c) for c in [*range(32), 127]} - set("\t\n\r")
        assert any(controls & set(cell) for row in rows for cell in row)
        assert istore.revision_count() == before
        return
    if report.errors:
        with pytest.raises(ImportFailed):
            importer.import_file(istore, path, author="a")
        assert istore.revision_count() == before
    else:
        importer.commit(istore, report)
        assert istore.revision_count() == before + report.new


good_values = st.lists(
    st.tuples(
        st.sampled_from(["2027", "2028", "2029", "2030", "2031"]),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda t: t[0],
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(good_values, st.booleans())
def test_importing_a_good_file_twice_equals_once(istore, tmp_path_factory, values, xlsx):
    rows = []
    for period, f, m in values:
        rows.append(["ind.count", period, "", "", str(f + m), "", "", "", "", "", ""])
        rows.append(["ind.count", period, "female", "", str(f), "", "", "", "", "", ""])
        rows.append(["ind.count", period, "male", "", str(m), "", "", "", "", "", ""])
    folder = tmp_path_factory.mktemp("good")
    if xlsx:
        typed = [[float(c) if i == 4 and c else (c or None) for i, c in enumerate(r)] for r in rows]
        path = write_xlsx(folder / "g.xlsx", typed)
    else:
        path = write_csv(folder / "g.csv", rows)
    importer.import_file(istore, path, author="a")
    once = istore.revision_frame()
    report = importer.import_file(istore, path, author="a")
    assert report.new == 0
    assert istore.revision_frame().equals(once)


def test_csv_text_is_read_without_coercion():
    table = importer.Table(
        __import__("pandas").read_csv(
            io.StringIO("indicator,period,value\nind.count,2027,NA\n"),
            dtype=str,
            keep_default_na=False,
        ),
        "s.csv",
    )
    from tests.indicators.conftest import small_indicators

    _, problems = importer.check_frame(table, small_indicators())
    assert [p.reason for p in problems] == [
        "'NA' is not a number: write for example 12.5 (decimal point; a comma only between "
        "groups of three digits, as in 1,234.5)"
    ]


def test_parts_written_in_another_number_form_are_still_the_same_value(istore, tmp_path):
    importer.import_file(istore, write_csv(tmp_path / "g.csv", GOOD[:3]), author="a")
    frame = istore.revision_frame()
    assert frame.loc[0, "parts"] == '{"dims":{"sex":["female","male"]},"value":[5,7]}'
    older = frame.assign(
        revision=2,
        base_revision=1,
        uid="ind.count|2027|2",
        parts='[{"value":5.0,"dims":{"sex":"female"}},{"dims":{"sex":"male"},"value":7.0}]',
    )
    istore.append_revisions(older)
    report = importer.check_file(istore, tmp_path / "g.csv", author="a")
    assert (report.new, report.unchanged) == (0, 1)


def test_a_problem_names_the_column_by_the_files_own_header(istore, tmp_path):
    """A Dutch template's headers (waarde, teller) are what the user sees in the file, so the
    problems name those, not the internal column names (value, numerator)."""
    dutch = ["Indicator", "Periode", "sex", "country", "Waarde", "teller", "noemer", "niveau",
             "verhaal", "opmerking", "bewijs"]  # fmt: skip
    rows = [
        ["ind.count", "2027", "", "", "35 projecten", "", "", "", "", "", ""],
        ["ind.count", "2028", "", "", "14", "", "", "", "", "", ""],
        ["ind.count", "2028", "female", "", "5", "", "", "", "", "", ""],
        ["ind.count", "2028", "male", "", "6", "", "", "", "", "", ""],
    ]
    report = importer.check_file(istore, write_csv(tmp_path / "nl.csv", rows, dutch),
                                 author="t", role="me_officer")  # fmt: skip
    assert [(p.row, p.column) for p in report.errors] == [(2, "Waarde")]
    fixed = [[*r[:4], int(r[4]) if r[4].isdigit() else 12, *r[5:]] for r in rows]
    report = importer.check_file(istore, write_xlsx(tmp_path / "nl.xlsx", fixed, dutch),
                                 author="t", role="me_officer")  # fmt: skip
    assert not report.errors
    assert [(p.row, p.column) for p in report.warnings] == [(3, "E (Waarde)")]  # 5 + 6 is not 14
    english = importer.check_file(istore, write_csv(tmp_path / "en.csv", rows),
                                  author="t", role="me_officer")  # fmt: skip
    assert [(p.row, p.column) for p in english.errors] == [(2, "value")]
