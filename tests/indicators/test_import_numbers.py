"""Numbers of import files: a CSV file as Excel writes it in Dutch or on Windows is read as
its writer meant it (separator, encoding, decimal mark detected or given), spreadsheet error
values and numbers that cannot be stored are refused by name, implausible values are warnings
(both engines)."""

from __future__ import annotations

import codecs
import math
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import importer
from indicators.errors import IndicatorError
from toc.numbers import DUTCH, ENGLISH, write_number


def _check(store, path, **options):
    return importer.check_file(store, path, author="t", role="me_officer", **options)


def _errors(report):
    return [(p.row, p.column, p.reason) for p in report.errors]


def _values(report):
    frame = report.revisions
    return {
        (r["indicator"], r["period"]): (r["value"], r["numerator"], r["denominator"])
        for r in frame.to_dict("records")
    }


def test_a_dutch_excel_csv_is_read_as_it_is(istore, tmp_path):
    path = tmp_path / "waarden.csv"
    text = (
        "indicator;period;sex;value;numerator;denominator;comment\r\n"
        "ind.count;2027;;1.234,5;;;telling\r\n"
        "ind.count;2028;;0,75;;;\r\n"
        "ind.pct;2027;;;3;10;\r\n"
    )
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    report = _check(istore, path)
    assert not report.errors, report.problems
    assert report.reading == "semicolon-separated, UTF-8 (with byte order mark), decimal comma"
    values = _values(report)
    assert values[("ind.count", "2027")][0] == 1234.5
    assert values[("ind.count", "2028")][0] == 0.75  # never 75
    assert values[("ind.pct", "2027")] == (30.0, 3.0, 10.0)


def test_a_windows_csv_is_read_as_windows_1252_with_a_warning(istore, tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes("indicator;period;value;comment\nind.count;2027;12;café€\n".encode("cp1252"))
    report = _check(istore, path)
    assert not report.errors
    assert [str(w) for w in report.warnings] == [
        "cp.csv file: warning: the file is not UTF-8 (line 2); it was read as Windows-1252, "
        "the encoding of Excel's CSV on Windows: check the accented letters, or save it as "
        '"CSV UTF-8"'
    ]
    assert report.revisions["comment"].tolist() == ["café€"]
    assert report.reading.startswith("semicolon-separated, Windows-1252")


def test_utf16_and_given_options(istore, tmp_path):
    path = tmp_path / "u16.csv"
    text = "indicator\tperiod\tvalue\nind.count\t2027\t12,5\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    report = _check(istore, path)
    assert not report.errors and _values(report)[("ind.count", "2027")][0] == 12.5
    assert report.reading == "tab-separated, UTF-16, decimal comma"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "indicator|period|value|comment\nind.count|2027|7|Français\n".encode("cp1252")
    )
    given_ = _check(istore, latin, delimiter="|", encoding="cp1252", decimal=".")
    assert not given_.problems and given_.revisions["comment"].tolist() == ["Français"]
    assert given_.reading == "vertical bar-separated, Windows-1252, decimal point (given)"
    with pytest.raises(IndicatorError, match="not UTF-8 text"):
        _check(istore, latin, encoding="utf-8")
    with pytest.raises(IndicatorError, match="unknown encoding 'klingon'"):
        _check(istore, latin, encoding="klingon")


@pytest.mark.parametrize(
    "cells, decimal, expected",
    [
        (["12,5", "0.75"], None,
         (1, "value", "the numbers use both a decimal comma ('12,5') and a decimal point "
          "('0.75'); write them all one way, or give the decimal mark (--decimal , or "
          "--decimal .)")),
        (["1.234", "12"], None,
         (1, "value", "cannot tell whether '1.234' has a decimal mark or groups thousands: no "
          "number in the file shows its decimal mark; give it (--decimal , or --decimal .)")),
        (["1.234", "0,75"], ",", None),
        (["1.234", "12"], ".", None),
        (["0.75", "12"], ",",
         (2, "value", "'0.75' is not a number in the Dutch format: write 0,75 (decimal comma; "
          "a point only between groups of three digits, as in 1.234,5)")),
    ],
)  # fmt: skip
def test_a_decimal_mark_that_cannot_be_told_is_asked_for(istore, tmp_path, cells, decimal,
                                                          expected):  # fmt: skip
    path = tmp_path / "d.csv"
    rows = "".join(f'ind.count;{2027 + i};"{c}"\n' for i, c in enumerate(cells))
    path.write_text("indicator;period;value\n" + rows, encoding="utf-8")
    report = _check(istore, path, decimal=decimal)
    assert _errors(report)[:1] == ([expected] if expected else [])


def test_excel_error_values_in_a_csv_are_named(istore, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(
        "indicator,period,value,comment\nind.count,2027,#DIV/0!,see note\nind.count,2028,#N/A,\n",
        encoding="utf-8",
    )
    assert _errors(_check(istore, path)) == [
        (2, "value", "the cell holds the Excel error #DIV/0!, not a number"),
        (3, "value", "the cell holds the Excel error #N/A, not a number"),
    ]


def test_numbers_and_ratios_that_cannot_be_stored_are_refused(istore, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(
        "indicator,period,value,numerator,denominator\n"
        "ind.count,2027,1e309,,\n"
        f"ind.count,2028,1{'0' * 400},,\n"
        "ind.count,2029,inf,,\n"
        "ind.pct,2027,,1e308,1e-320\n",
        encoding="utf-8",
    )
    found = _errors(_check(istore, path))
    assert (2, "value", "'1e309' is too large to store (at most about 1.8e308)") in found
    assert (3, "value", "'1000000000000000000000000000000000000...' is too large to store "
            "(at most about 1.8e308)") in found  # fmt: skip
    assert (4, "value", "'inf' is not a finite number") in found
    assert (5, "denominator", "1e+308/9.99989e-321 as a percentage is too large to store") in (
        found
    )


def _xlsx(path, rows, patch: dict[str, str]):
    """A workbook with ``rows`` under the header, its sheet XML then patched as a hostile or
    unusual writer would write it (``patch``: old text -> new text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator", "period", "value", "comment"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    for old, new in patch.items():
        assert old in sheet, old
        sheet = sheet.replace(old, new)
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_xlsx_cells_that_are_not_finite_or_hold_errors_are_named(istore, tmp_path):
    rows = [["ind.count", "2027", 1, "a"], ["ind.count", "2028", 2, "b"],
            ["ind.count", "2029", 3, "c"], ["ind.count", "2030", 4, "d"]]  # fmt: skip
    path = _xlsx(
        tmp_path / "x.xlsx",
        rows,
        {
            '<c r="C2" t="n"><v>1</v>': '<c r="C2" t="n"><v>1e309</v>',
            '<c r="C3" t="n"><v>2</v>': '<c r="C3" t="n"><v>inf</v>',
            '<c r="C4" t="n"><v>3</v>': '<c r="C4" t="e"><v>#DIV/0!</v>',
            '<c r="C5" t="n"><v>4</v>': '<c r="C5" t="n"><v>nan</v>',
        },
    )
    assert _errors(_check(istore, path)) == [
        (2, "C (value)", "the number is too large to store (at most about 1.8e308) or not finite"),
        (3, "C (value)", "the number is too large to store (at most about 1.8e308) or not finite"),
        (4, "C (value)", "the cell holds the Excel error #DIV/0!, not a number"),
        (5, "C (value)", "nan is not a finite number"),
    ]


def test_plausibility_warnings_are_listed_and_kept_as_flags(istore, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "indicator,period,sex,value,numerator,denominator\n"
        "ind.count,2027,,-3,,\n"
        "ind.count,2028,,500,,\n"
        "ind.pct,2027,,,12,10\n"
        "ind.pct,2027,female,,7,5\n"
        "ind.pct,2027,male,,5,5\n",
        encoding="utf-8",
    )
    report = importer.import_file(istore, path, author="t", role="me_officer")
    assert [(w.row, w.column, w.reason) for w in report.warnings] == [
        (2, "value", "value -3 is negative, while the baseline and targets are not"),
        (3, "value", "value 500 is more than 10 times the largest planned value (20)"),
        (4, "numerator", "numerator 12 is larger than denominator 10: the share is over 100 %"),
        (5, "numerator",
         "[sex=female] numerator 7 is larger than denominator 5: the share is over 100 %"),
    ]  # fmt: skip
    flags = {r.key: r.flags for r in istore.measurement_revisions()}
    assert flags[("ind.pct", "2027")] == (
        "numerator 12 is larger than denominator 10: the share is over 100 %",
        "[sex=female] numerator 7 is larger than denominator 5: the share is over 100 %",
    )
    assert flags[("ind.count", "2027")] == (
        "value -3 is negative, while the baseline and targets are not",
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=5),
    st.sampled_from([(DUTCH, ";"), (ENGLISH, ",")]),
)
def test_any_finite_number_round_trips_through_a_csv_in_either_language(istore, tmp_path, xs,
                                                                         style):  # fmt: skip
    fmt, sep = style
    path = tmp_path / "r.csv"
    lines = [f'ind.count{sep}{2027 + i}{sep}"{write_number(x, fmt)}"' for i, x in enumerate(xs)]
    # The decimal mark is given: a file of integers only could not tell it otherwise.
    path.write_text(f"indicator{sep}period{sep}value\n" + "\n".join(lines) + "\n", "utf-8")
    report = _check(istore, path, decimal=fmt.decimal)
    assert not report.errors, report.problems
    values = _values(report)
    assert [values[("ind.count", str(2027 + i))][0] for i in range(len(xs))] == [
        x + 0.0 for x in xs
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=4))
def test_any_finite_number_round_trips_through_an_xlsx(istore, tmp_path, xs):
    # Each cell holds the shortest text of its number, as Excel writes it (openpyxl would
    # round to 16 digits).
    rows = [["ind.count", str(2027 + i), i + 1, ""] for i in range(len(xs))]
    cells = {f'<c r="C{i + 2}" t="n"><v>{i + 1}</v>': f'<c r="C{i + 2}" t="n"><v>{x!r}</v>'
             for i, x in enumerate(xs)}  # fmt: skip
    path = _xlsx(tmp_path / "r.xlsx", rows, cells)
    report = _check(istore, path)
    assert not report.errors, report.problems
    values = _values(report)
    assert [values[("ind.count", str(2027 + i))][0] for i in range(len(xs))] == [
        x + 0.0 for x in xs
    ]
    assert all(math.isfinite(v[0]) for v in values.values())
