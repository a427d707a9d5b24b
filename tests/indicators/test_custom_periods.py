"""Custom periods (issue 15, shape 1): any start..end as an indicator's periods, in the
definitions file, the IATI import (fixture ``shape1-custom-periods.xml`` on each engine),
status, the IPTT and the export, and overlapping periods refused clearly."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cli.main import cli
from graphdb.ladybug_store import LadybugStore
from indicators.definitions import (
    decode_indicator,
    encode_indicator,
    indicator_from_stored,
    indicator_periods,
)
from indicators.iati_config import parse_config
from indicators.iati_export import export_bytes
from indicators.iati_import import analyse, check_file, commit
from indicators.model import Frequency, MeasurementValue
from indicators.periods import PeriodError, custom_period, frequency_of, overlaps, parse_period
from indicators.status import counting_frame
from indicators.workflow import apply_step
from tests.conftest import small_plan

FILES = Path(__file__).parent / "iati_files"
SHAPE1 = FILES / "shape1-custom-periods.xml"
CONFIG = parse_config(
    {
        "activity_identifier": "XM-T-1",
        "reporting_org": {"ref": "XM-T", "type": "22", "name": {"en": "T"}},
    }
)

days = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
spans = st.tuples(days, days).map(lambda t: custom_period(min(t), max(t)))


@given(st.lists(spans, max_size=8))
def test_overlaps_are_exactly_the_pairs_sharing_a_day(items):
    found = {frozenset((a.id, b.id)) if a.id != b.id else frozenset((a.id,)) for a, b in
             overlaps(items)}  # fmt: skip
    expected = set()
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.start <= b.end and b.start <= a.end:
                expected.add(frozenset((a.id, b.id)))
    assert found == expected


@given(spans)
def test_custom_period_ids_parse_back(period):
    assert parse_period(period.id) == period
    assert parse_period(period.id, fiscal_start=4) == period
    assert frequency_of(period.id) is Frequency.CUSTOM


def test_a_custom_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError, match="ends before it starts"):
        parse_period("2020-09-06..2020-07-06")
    with pytest.raises(PeriodError, match="not a valid pair of dates"):
        parse_period("2020-02-30..2020-03-01")


DOC = {
    "code": "ind.window",
    "measures": ["so1.o1"],
    "title": {"en": "Households with a plan"},
    "type": "number",
    "frequency": "custom",
    "periods": ["2027-09-07..2027-12-31", "2027-07-06..2027-09-06"],
    "baseline": {"value": 0, "date": "2027-01-01"},
    "targets": {"2027-07-06..2027-09-06": 50},
    "end_target": {"value": 120},
}


def test_definitions_list_custom_periods_in_order_and_round_trip():
    ind = decode_indicator(DOC)
    assert [p.id for p in indicator_periods(ind)] == [
        "2027-07-06..2027-09-06",
        "2027-09-07..2027-12-31",
    ]
    assert indicator_from_stored(encode_indicator(ind)) == ind
    assert decode_indicator(encode_indicator(ind)) == ind


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            ["2027-07-06..2027-09-06", "2027-06-01..2027-12-31"],
            "periods 2027-06-01..2027-12-31 and 2027-07-06..2027-09-06 overlap",
        ),
        (["2027-07-06..2027-09-06", "2027-07-06..2027-09-06"], "is listed twice"),
        ([], "frequency custom: list the periods"),
        (["2027"], "is not start..end"),
    ],
)
def test_bad_custom_periods_are_refused_clearly(periods, message):
    issues = []
    assert decode_indicator({**DOC, "periods": periods, "targets": {}}, None, None, issues) is None
    assert any(message in i.message for i in issues), [i.message for i in issues]


def figures(store) -> dict[tuple[str, str], float | None]:
    frame = counting_frame(store.revision_frame())
    return {(r["indicator"], r["period"]): r["value"] for r in frame.to_dict("records")}


def test_an_iati_file_with_project_windows_imports_and_travels_back(store, tmp_path):
    report = check_file(store, SHAPE1, author="iati")
    assert report.errors == [], [str(p) for p in report.errors]
    commit(store, report)
    windows = store.get_indicator("iati.AA-AAA-123456789-ABC123.r1.i1")
    assert windows.frequency is Frequency.CUSTOM
    assert [p.id for p in windows.periods] == ["2020-07-06..2020-09-06", "2020-09-07..2020-12-31"]
    whole = store.get_indicator("iati.AA-AAA-123456789-ABC123.r1.i4")
    assert [p.id for p in whole.periods] == ["2020-01-01..2024-12-31"]
    assert figures(store) == {
        ("iati.AA-AAA-123456789-ABC123.r1.i1", "2020-07-06..2020-09-06"): 42.0,
        ("iati.AA-AAA-123456789-ABC123.r1.i2", "2020-06-01..2020-12-31"): 31.0,
        ("iati.AA-AAA-123456789-ABC123.r1.i3", "2020-01-01..2021-12-31"): 18.0,
        ("iati.AA-AAA-123456789-ABC123.r1.i4", "2020-01-01..2024-12-31"): 120.0,
    }
    # The export carries the same periods; re-imported elsewhere, the same figures.
    data = export_bytes(store.load_plan(), store.indicators(), store.revision_frame(), CONFIG,
                        include_imported=True)  # fmt: skip
    assert b'<period-start iso-date="2020-07-06"/>' in data
    with LadybugStore(tmp_path / "again.lbug") as again:
        path = tmp_path / "out.xml"
        path.write_bytes(data)
        commit(again, check_file(again, path, author="iati"))
        assert figures(again) == figures(store)


def test_overlapping_periods_in_an_iati_file_are_refused_with_the_line():
    text = SHAPE1.read_text()
    text = text.replace(
        '<period-start iso-date="2020-09-07"/>', '<period-start iso-date="2020-09-01"/>'
    )
    report = analyse(text.encode(), "o.xml", small_plan(), [], [], author="t")
    (problem,) = [p for p in report.errors if "overlap" in p.reason]
    assert problem.reason.startswith(
        "periods 2020-07-06..2020-09-06 and 2020-09-01..2020-12-31 overlap (first on line"
    )
    assert problem.xpath.endswith("indicator[1]/period[2]")
    assert problem.line == text.splitlines().index(
        next(line for line in text.splitlines() if "2020-09-01" in line)
    )
    assert report.indicators is None and report.revisions == []


def test_status_and_the_iptt_use_custom_periods(tmp_path):
    location = str(tmp_path / "s.lbug")
    with LadybugStore(location) as store:
        store.save_plan(small_plan(), author="t")
        store.save_indicators([decode_indicator(DOC)], author="t")
        for step in ("submit", "approve"):
            apply_step(store, "ind.window", "2027-07-06..2027-09-06", step, author="a",
                       role="me_officer", value=MeasurementValue(value=45.0) if step == "submit"
                       else None)  # fmt: skip
    runner = CliRunner()
    shown = runner.invoke(cli, ["--store", location, "indicators", "show", "ind.window"])
    assert shown.exit_code == 0, shown.output
    assert "2027-07-06..2027-09-06" in shown.output
    assert re.search(r"\b90(\.0)?\s?%", shown.output), shown.output
    out = tmp_path / "iptt.csv"
    result = runner.invoke(cli, ["--store", location, "indicators", "iptt", "so1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] == "ind.window"]
    assert [r["period"] for r in rows] == [
        "2027-07-06..2027-09-06",
        "2027-09-07..2027-12-31",
        "to date",
    ]
    assert rows[0]["actual"] == "45" or float(rows[0]["actual"]) == 45.0
    report = runner.invoke(cli, ["--store", location, "report", "-o", str(tmp_path / "r.html")])
    assert report.exit_code == 0, report.output


def test_custom_periods_of_a_measured_indicator_can_grow_but_not_change():
    from dataclasses import replace

    from indicators.catalog import protected_changes

    before = decode_indicator(DOC)
    grown = replace(before, periods=(*before.periods, parse_period("2028-01-01..2028-06-30")))
    assert protected_changes({"ind.window": before}, {"ind.window": grown}, {"ind.window"}) == []
    moved = replace(before, periods=(parse_period("2027-07-01..2027-09-06"), before.periods[1]))
    (issue,) = protected_changes({"ind.window": before}, {"ind.window": moved}, {"ind.window"})
    assert "custom periods can be added to, not removed or changed (2027-07-06..2027-09-06)" in (
        issue.message
    )
