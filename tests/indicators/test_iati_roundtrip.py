"""What a round trip through Pathways keeps of a plain IATI file (issue 15): target comments
(on the period target, exported again), a baseline given by year only (kept as the year,
exported as ``year`` without an invented iso-date) and the activity's status and dates (kept
on the Plan node the import starts, written back by the export), on each store; the
definition file format reads and checks the first two."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from indicators.definitions import decode_indicator, encode_indicator, indicator_from_stored
from indicators.iati_config import parse_config
from indicators.iati_export import export_bytes
from indicators.iati_import import analyse, check_file, commit
from indicators.iati_validate import validate_file
from indicators.model import Baseline
from toc.errors import Issue
from toc.model import Plan

FILES = Path(__file__).parent / "iati_files"
FILE = FILES / "roundtrip-comments-year.xml"
CODE = "iati.AA-AAA-123456789-RT1.r1.i1"
CONFIG = parse_config(
    {
        "activity_identifier": "XM-T-1",
        "reporting_org": {"ref": "XM-T", "name": {"en": "T"}, "type": "22"},
    }
)


def test_the_fixture_is_valid_iati():
    assert validate_file(FILE) == []


def test_target_comments_and_a_year_only_baseline_are_kept_and_exported(store, tmp_path):
    report = check_file(store, FILE, author="iati")
    assert report.errors == [], [str(p) for p in report.errors]
    commit(store, report)
    ind = store.get_indicator(CODE)
    props = store.load_plan().root.props
    assert props["iati_activity_status"] == "3"
    assert (props["iati_actual_start"], props["iati_planned_end"]) == ("2020-02-15", "2023-06-30")
    assert ind.other_languages == (
        ("title", "fr", "Centres ouverts chaque jour"),
        ("definition", "es", "Clínicas abiertas todos los días"),
    )
    assert ind.baseline == Baseline(3.0, None, None, "district census", 2019)
    assert ind.baseline.when == "2019"
    assert [(t.period, t.value, t.comment) for t in ind.targets] == [
        ("2021", 5.0, "two new clinics in the north"),
        ("2022", 8.0, ""),
    ]
    data = export_bytes(
        store.load_plan(), store.indicators(), store.revision_frame(), CONFIG,
        include_imported=True,
    )  # fmt: skip
    path = tmp_path / "out.xml"
    path.write_bytes(data)
    assert validate_file(path) == []
    root = etree.fromstring(data)
    assert root.find("iati-activity/activity-status").get("code") == "3"
    dates = [(d.get("type"), d.get("iso-date")) for d in root.iter("activity-date")]
    assert dates == [("1", "2020-01-01"), ("2", "2020-02-15"), ("3", "2023-06-30")]
    (indicator,) = root.iter("indicator")
    narratives = [
        (n.getparent().tag, n.get("{http://www.w3.org/XML/1998/namespace}lang"), n.text)
        for n in indicator.iterchildren("title", "description")
        for n in n.iterchildren("narrative")
    ]
    assert ("title", "fr", "Centres ouverts chaque jour") in narratives
    assert ("description", "es", "Clínicas abiertas todos los días") in narratives
    (baseline,) = root.iter("baseline")
    assert baseline.get("year") == "2019" and baseline.get("iso-date") is None
    targets = list(root.iter("target"))
    assert [t.findtext("comment/narrative") for t in targets] == [
        "two new clinics in the north",
        None,
    ]
    # The export, with the Pathways extension stripped, reads back to the same definition.
    for el in list(root.iter("{urn:pathways:iati:1}*")):
        el.getparent().remove(el)
    again = analyse(etree.tostring(root), "x.xml", Plan.of([], []), [], [], author="t")
    assert again.errors == [], [str(p) for p in again.errors]
    (back,) = [i for i in again.indicators if i.title.en == "Clinics open every day"]
    assert back.baseline == ind.baseline and back.targets == ind.targets
    assert back.other_languages == ind.other_languages


def test_importing_it_again_changes_nothing(store):
    commit(store, check_file(store, FILE, author="iati"))
    again = check_file(store, FILE, author="iati")
    assert again.errors == [] and again.indicators is None and again.revisions == []


def _decoded(doc: dict) -> tuple[object, list[str]]:
    issues: list[Issue] = []
    ind = decode_indicator(doc, None, None, issues)
    return ind, [i.message for i in issues if i.level == "error"]


BASE = {
    "code": "a",
    "title": {"en": "A"},
    "measures": ["o1"],
    "type": "number",
    "origin": "iati:X/X-1",
    "targets": {2027: 5},
}


def test_the_definition_format_holds_both():
    ind, errors = _decoded(
        {
            **BASE,
            "baseline": {"value": 1, "year": 2026},
            "target_comments": {2027: "why"},
            "other_languages": {"title": {"fr": "Un"}, "definition": {"pt-br": "Uma"}},
        }
    )
    assert errors == []
    assert ind.other_languages == (("title", "fr", "Un"), ("definition", "pt-br", "Uma"))
    assert ind.baseline.year == 2026 and ind.baseline.date is None
    assert ind.targets[0].comment == "why"
    doc = encode_indicator(ind)
    assert doc["baseline"] == {"value": 1.0, "year": 2026}
    assert doc["target_comments"] == {"2027": "why"}
    assert indicator_from_stored(doc) == ind
    assert _decoded(doc)[0] == ind


def test_the_definition_format_refuses_what_does_not_fit():
    cases = [
        ({"baseline": {"value": 1, "year": "soon"}}, "baseline year: expected a year"),
        ({"baseline": {"value": 1, "year": 2025, "date": "2026-12-31"}}, "not the year of"),
        ({"target_comments": {2030: "x"}}, "period 2030 has no target"),
        ({"target_comments": ["x"]}, "expected a mapping period -> text"),
        ({"other_languages": {"title": {"nl": "x"}}}, "not a language code other than nl/en"),
        ({"other_languages": {"note": {"fr": "x"}}}, "is not title or definition"),
        ({"other_languages": ["fr"]}, "expected {title: {fr: text}"),
    ]
    for extra, wanted in cases:
        _, errors = _decoded({**BASE, **extra})
        assert any(wanted in e for e in errors), (extra, errors)
    _, errors = _decoded({**{k: v for k, v in BASE.items() if k != "targets"},
                          "target_comments": {2027: "x"}})  # fmt: skip
    assert any("no targets to comment on" in e for e in errors)
