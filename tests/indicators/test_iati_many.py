"""Files with many activities (issue 15): every activity of a file is imported by default,
all or nothing in one unit of work, each with its own codes and provenance, so that two
activities or two files never meet on a positional code; ``--activity`` still picks one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from indicators.definitions import CODE
from indicators.errors import IndicatorError
from indicators.iati_import import analyse, check_file, commit
from indicators.iati_read import Problems, activity_key, parse_activities
from indicators.model import origin_publisher
from indicators.system_notes import shown
from toc.model import Plan

FILES = Path(__file__).parent / "iati_files"
MANY = FILES / "many-activities.xml"
P1 = "iati.AA-AAA-123456789-P1.r1.i1"
P2 = "iati.AA-AAA-123456789-P2_south-33dde011.r1.i1"


def values(store) -> dict[tuple[str, str], float | None]:
    return {(r.indicator, r.period): r.value.value for r in store.measurement_revisions()}


def test_every_activity_of_a_file_is_imported_with_its_own_codes_and_origin(store):
    report = check_file(store, MANY, author="iati")
    assert report.errors == [], [str(p) for p in report.errors]
    (skipped,) = report.warnings
    assert "AA-AAA-123456789-P1 (budget) has no results; it is skipped" in skipped.reason
    commit(store, report)
    assert report.activity == "3 activities"
    assert values(store) == {(P1, "2021"): 12.0, (P2, "2021"): 7.0}
    first, second = store.get_indicator(P1), store.get_indicator(P2)
    assert first.origin == "iati:AA-AAA-123456789/AA-AAA-123456789-P1"
    assert second.origin == "iati:AA-AAA-123456789/AA-AAA-123456789-P2/south"
    assert origin_publisher(second.origin) == "AA-AAA-123456789"
    plan = store.load_plan()
    assert plan.node("iati.AA-AAA-123456789-P1.r1").title.en == "Wells built"
    assert first.measures == ("iati.AA-AAA-123456789-P1.r1",)
    assert second.measures == ("iati.AA-AAA-123456789-P2_south-33dde011.r1",)
    reasons = {r.indicator: r.reason for r in store.measurement_revisions()}
    assert shown(reasons[P2]) == "IATI import of AA-AAA-123456789-P2/south from many-activities.xml"


def test_importing_the_same_file_again_changes_nothing(store):
    commit(store, check_file(store, MANY, author="iati"))
    count, plan, indicators = store.revision_count(), store.load_plan(), store.indicators()
    again = check_file(store, MANY, author="iati")
    assert again.errors == [] and again.revisions == [] and again.unchanged == 2
    assert again.plan is None and again.indicators is None
    commit(store, again)
    assert store.revision_count() == count
    assert store.load_plan() == plan and store.indicators() == indicators


def test_two_plain_files_do_not_meet_on_positional_codes(store, tmp_path):
    commit(store, check_file(store, FILES / "shape2-no-baseline-no-target.xml", author="iati"))
    other = (FILES / "shape2-no-baseline-no-target.xml").read_text(encoding="utf-8")
    other = other.replace("AA-AAA-123456789-ABC123", "AA-AAA-123456789-XYZ9")
    path = tmp_path / "other.xml"
    path.write_text(other, encoding="utf-8")
    report = check_file(store, path, author="iati")
    assert report.errors == [] and report.changed == ()
    commit(store, report)
    codes = {i.code for i in store.indicators()}
    assert codes == {"iati.AA-AAA-123456789-ABC123.r1.i1", "iati.AA-AAA-123456789-XYZ9.r1.i1"}
    assert len(values(store)) == 4


def test_the_activity_option_picks_one(store):
    report = check_file(store, MANY, author="iati", activity_id="AA-AAA-123456789-P2/south")
    commit(store, report)
    assert report.activity == "AA-AAA-123456789-P2/south"
    assert values(store) == {(P2, "2021"): 7.0}


def test_one_bad_activity_imports_nothing(store):
    broken = MANY.read_text(encoding="utf-8").replace('<actual value="7"/>', '<actual value="x"/>')
    report = analyse(broken.encode(), "m.xml", store.load_plan(), [], [], author="t")
    (error,) = report.errors
    assert error.xpath == "/iati-activities/iati-activity[3]/result/indicator/period/actual"
    with pytest.raises(IndicatorError):
        commit(store, report)
    assert store.indicators() == [] and store.revision_count() == 0


def test_a_duplicated_identifier_refuses_the_file():
    text = MANY.read_text(encoding="utf-8").replace("P2/south", "P1")
    report = analyse(text.encode(), "m.xml", Plan.of([], []), [], [], author="t")
    (error,) = report.errors
    assert error.line == 38 and "(lines 6, 38)" in error.reason
    assert "2 activities have iati-identifier 'AA-AAA-123456789-P1'" in error.reason
    assert "must be unique" in error.reason and "choose one" not in error.reason


def test_a_file_without_activities_is_refused():
    out = Problems("e.xml")
    assert parse_activities(b'<iati-activities version="2.03"/>', out) == []
    assert "no iati-activity" in out.items[0].reason


_IDENTIFIERS = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300)
    .map(str.strip)
    .filter(bool)
)


def _key(text: str) -> str:
    activity = etree.Element("iati-activity")
    etree.SubElement(activity, "iati-identifier").text = text
    return activity_key(activity, 1)


@given(_IDENTIFIERS, _IDENTIFIERS)
def test_activity_keys_follow_the_code_rules_and_keep_identifiers_apart(one, other):
    made = _key(one)
    assert CODE.match(f"iati.{made}.r1.i1") and len(made) <= 109
    assert (made == _key(other)) == (one == other)


def test_toc_iati_import_takes_every_activity_or_the_one_named(tmp_path):
    from click.testing import CliRunner

    from cli.main import cli

    runner = CliRunner()
    one, every = str(tmp_path / "one.lbug"), str(tmp_path / "every.lbug")
    args = ["iati", "import", str(MANY)]
    result = runner.invoke(cli, ["--store", every, *args])
    assert result.exit_code == 0, result.output
    # the Plan, two result nodes and the two activities' status and dates (IatiActivity)
    assert "Imported 3 activities: 2 result(s), 5 new node(s)" in result.output
    assert "2 indicator(s) added" in result.output and "1 warning(s)" in result.output
    assert "has no results; it is skipped" in result.output
    picked = [*args, "--activity", "AA-AAA-123456789-P1"]
    result = runner.invoke(cli, ["--store", one, *picked])
    assert result.exit_code == 0, result.output
    assert "Imported AA-AAA-123456789-P1: 1 result(s)" in result.output
    result = runner.invoke(cli, ["--store", one, *args, "--activity", "nope"])
    assert result.exit_code == 1 and "no iati-activity with iati-identifier 'nope'" in result.output
