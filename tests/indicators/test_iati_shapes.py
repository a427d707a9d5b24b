"""IATI files as other publishers write them (issue 15): one fixture per shape in
``tests/indicators/iati_files/``, each imported into a fresh store of each engine (or, for
shapes the import refuses or only checks, analysed against a plan), with the warnings and the
wording the issue asks for."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from indicators.iati_import import analyse, check_file, commit
from indicators.iati_rules import check_results
from indicators.model import IndicatorType, Part
from indicators.status import counting_frame
from toc.model import Plan

FILES = Path(__file__).parent / "iati_files"


def imported(store, name: str):
    """Check and commit fixture ``name`` into ``store``; the report."""
    report = check_file(store, FILES / name, author="iati")
    assert report.errors == [], [str(p) for p in report.errors]
    commit(store, report)
    return report


def approved(store) -> dict[tuple[str, str], object]:
    frame = counting_frame(store.revision_frame())
    revs = {(r.indicator, r.period): r.value for r in store.measurement_revisions()}
    return {(r["indicator"], r["period"]): revs[(r["indicator"], r["period"])] for r in
            frame.to_dict("records")}  # fmt: skip


def reasons(problems) -> list[str]:
    return [p.reason for p in problems]


def test_shape2_no_baseline_and_no_target_are_warnings(store):
    report = imported(store, "shape2-no-baseline-no-target.xml")
    assert any("no baseline" in r for r in reasons(report.warnings))
    assert any("no target" in r for r in reasons(report.warnings))
    wells = store.get_indicator("iati.AA-AAA-123456789-ABC123.r1.i1")
    assert wells.baseline is None and wells.end_target is None and wells.targets == ()
    assert wells.origin == "iati:AA-AAA-123456789/AA-AAA-123456789-ABC123"
    assert {k: v.value for k, v in approved(store).items()} == {
        ("iati.AA-AAA-123456789-ABC123.r1.i1", "2021"): 12.0,
        ("iati.AA-AAA-123456789-ABC123.r1.i1", "2022"): 19.0,
    }


def test_shape3_equal_dates_pass_rule_8_6_1():
    data = (FILES / "shape3-equal-dates.xml").read_bytes()
    activity = etree.fromstring(data).find("iati-activity")
    assert [p.rule for p in check_results(activity)] == []
    broken = data.replace(
        b'<period-end iso-date="2021-07-01"/>', b'<period-end iso-date="2021-06-30"/>'
    )
    problems = check_results(etree.fromstring(broken).find("iati-activity"))
    assert [(p.rule, p.message) for p in problems] == [
        ("8.6.1", "period-start 2021-07-01 must not be after period-end 2021-06-30")
    ]
    report = analyse(data, "shape3.xml", Plan.of([], []), [], [], author="t")
    assert not any("8.6.1" in r for r in reasons(report.problems))


def test_shape4_actuals_by_dimension_only(store):
    report = imported(store, "shape4-actuals-by-dimension.xml")
    values = approved(store)
    # One female/adult actual does not make a whole: the part is kept, with no total.
    cross = values[("iati.AA-AAA-123456789-ABC123.r1.i1", "2021")]
    assert cross.value is None
    assert cross.parts == (Part((("age", "adult"), ("sex", "female")), 11.0),)
    assert any("no total" in r for r in reasons(report.warnings))
    # Female and male partition the people reached: their sum is the total.
    reached = values[("iati.AA-AAA-123456789-ABC123.r1.i2", "2021")]
    assert reached.value == 75.0 and len(reached.parts) == 2
    assert any("sum is imported as the total" in r for r in reasons(report.warnings))
    # The disaggregated baseline and target are not kept, and say so.
    assert any("disaggregated baseline is not kept" in r for r in reasons(report.warnings))
    ind = store.get_indicator("iati.AA-AAA-123456789-ABC123.r1.i1")
    assert ind.type is IndicatorType.NUMBER and ind.baseline is None
    assert {d.name for d in ind.dimensions} == {"age", "sex"}


def test_shape5_a_publisher_code_used_twice_falls_back_to_a_generated_code(store):
    report = imported(store, "shape5-same-code-twice.xml")
    codes = [i.code for i in store.indicators()]
    assert codes == ["IND-1", "iati.AA-AAA-123456789-ABC123.r1.i2"]
    (warning,) = [p for p in report.warnings if "used before" in p.reason]
    assert warning.reason == (
        "indicator code IND-1 is used before (line 17); this indicator is imported as "
        "iati.AA-AAA-123456789-ABC123.r1.i2"
    )
    assert warning.xpath.endswith("result/indicator[2]") and warning.line == 26
    assert store.get_indicator("iati.AA-AAA-123456789-ABC123.r1.i2").title.en == "Meetings attended"


def test_shape6_references_at_both_levels_are_a_warning(store):
    report = imported(store, "shape6-references-both-levels.xml")
    (warning,) = [p for p in report.warnings if "8.11.1" in p.reason]
    assert warning.xpath.endswith("result/indicator")
    assert approved(store)[("iati.AA-AAA-123456789-ABC123.r1.i1", "2020")].value == 11.0


def test_shape7_a_duplicated_identifier_is_worded_right():
    data = (FILES / "shape7-duplicate-identifier.xml").read_bytes()
    plan = Plan.of([], [])
    chosen = analyse(
        data, "s7.xml", plan, [], [], author="t", activity_id="AA-AAA-123456789-ABC123"
    )
    (error,) = chosen.errors
    assert "choose one with --activity" not in error.reason
    assert "2 activities have iati-identifier 'AA-AAA-123456789-ABC123'" in error.reason
    assert "must be unique" in error.reason
    # Without --activity every activity is imported: the duplicate is refused the same way.
    unchosen = analyse(data, "s7.xml", plan, [], [], author="t")
    assert [e.reason for e in unchosen.errors] == [error.reason]
    assert unchosen.indicators is None and unchosen.revisions == []


def test_shape7_a_qualitative_value_must_have_no_value():
    data = (FILES / "shape6-references-both-levels.xml").read_bytes()
    data = data.replace(b'measure="1"', b'measure="5"')
    report = analyse(data, "s.xml", Plan.of([], []), [], [], author="t")
    texts = reasons(report.errors)
    assert "[8.8] a baseline of a qualitative indicator (measure 5) must have no value" in texts
    assert not any(t.endswith("has no value") for t in texts)


def test_imported_results_are_published_only_when_asked_and_under_their_publisher(tmp_path):
    from graphdb.ladybug_store import LadybugStore
    from indicators.iati_config import parse_config
    from indicators.iati_export import export_bytes

    config = parse_config(
        {
            "activity_identifier": "XM-T-1",
            "reporting_org": {"ref": "XM-T", "name": {"en": "T"}, "type": "22"},
        }
    )
    schema = etree.XMLSchema(
        etree.parse(
            str(Path(__file__).parents[3] / "shared/data/iati-2.03/iati-activities-schema.xsd")
        )
    )
    with LadybugStore(tmp_path / "p.lbug") as store:
        imported(store, "shape2-no-baseline-no-target.xml")
        args = (store.load_plan(), store.indicators(), store.revision_frame(), config)
        own = export_bytes(*args)
        assert b"<result " not in own and b"Wells in use" not in own
        every = export_bytes(*args, include_imported=True)
    assert b"Wells in use" in every
    root = etree.fromstring(every)
    orgs = [(o.get("ref"), o.get("role")) for o in root.iter("participating-org")]
    assert ("AA-AAA-123456789", "4") in orgs
    assert schema.validate(root.getroottree()), schema.error_log
