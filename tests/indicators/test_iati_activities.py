"""The status and dates of every imported activity survive (issue 15): a file of two
activities imported into a plan that exists keeps each activity's status and dates on an
``IatiActivity`` node (``iati.<activity key>``), the export writes them back as
``pw:activity`` (its own activity's as ``activity-status`` and ``activity-date``), a Pathways
import reads them again, and importing the same file twice changes nothing; on each store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from indicators.iati_config import parse_config
from indicators.iati_export import PW, export_bytes
from indicators.iati_import import analyse, check_file, commit
from indicators.iati_validate import validate_file
from tests.conftest import small_plan
from toc.model import Plan

FILE = Path(__file__).parent / "iati_files" / "two-activities-status.xml"
S1, S2 = "iati.AA-AAA-123456789-S1", "iati.AA-AAA-123456789-S2"
FACTS = {
    S1: {
        "identifier": "AA-AAA-123456789-S1",
        "publisher": "AA-AAA-123456789",
        "iati_activity_status": "4",
        "iati_planned_start": "2020-01-01",
        "iati_actual_start": "2020-03-01",
        "iati_planned_end": "2022-12-31",
        "iati_actual_end": "2023-01-31",
    },
    S2: {
        "identifier": "AA-AAA-123456789-S2",
        "publisher": "AA-AAA-123456789",
        "iati_activity_status": "2",
        "iati_planned_start": "2021-07-01",
        "iati_planned_end": "2025-06-30",
    },
}


def _config(identifier: str = "XM-T-1"):
    return parse_config(
        {
            "activity_identifier": identifier,
            "reporting_org": {
                "ref": identifier.rsplit("-", 1)[0],
                "name": {"en": "T"},
                "type": "22",
            },
        }
    )


def _import(store, path: Path = FILE) -> None:
    report = check_file(store, path, author="iati")
    assert report.errors == [], [str(p) for p in report.errors]
    commit(store, report)


def _activities(store) -> dict[str, dict]:
    return {n.id: dict(n.props) for n in store.load_plan().of_kind("IatiActivity")}


def _export(store, identifier: str = "XM-T-1") -> etree._Element:
    data = export_bytes(
        store.load_plan(),
        store.indicators(),
        store.revision_frame(),
        _config(identifier),
        include_imported=True,
    )
    return etree.fromstring(data)


def test_the_fixture_is_valid_iati():
    assert validate_file(FILE) == []


def test_two_activities_into_a_plan_keep_their_status_and_dates(store):
    store.save_plan(small_plan(), author="t")
    _import(store)
    plan = store.load_plan()
    assert _activities(store) == FACTS
    assert plan.get(S1).title.nl == "Scholen in het oosten"
    assert plan.root.id == "p" and not any(k.startswith("iati_") for k in plan.root.props)
    root = _export(store)  # the export checks itself against the IATI 2.03 schema
    written = {el.get("id"): dict(el.attrib) for el in root.iter(PW + "activity")}
    assert written[S1] == {
        "id": S1,
        "identifier": "AA-AAA-123456789-S1",
        "publisher": "AA-AAA-123456789",
        "status": "4",
        "planned-start": "2020-01-01",
        "actual-start": "2020-03-01",
        "planned-end": "2022-12-31",
        "actual-end": "2023-01-31",
        "title-nl": "Scholen in het oosten",
        "title-en": "Schools in the east",
    }
    assert written[S2]["status"] == "2" and written[S2]["planned-end"] == "2025-06-30"
    assert "actual-start" not in written[S2]


def test_importing_the_same_file_again_changes_nothing(store):
    store.save_plan(small_plan(), author="t")
    _import(store)
    plan, count, versions = store.load_plan(), store.revision_count(), store.revisions()
    again = check_file(store, FILE, author="iati")
    assert again.errors == [] and again.plan is None and again.new_nodes == ()
    commit(store, again)
    assert store.load_plan() == plan and store.revision_count() == count
    assert store.revisions() == versions


def test_the_export_imports_back_with_every_activitys_status_and_dates(store, tmp_path):
    store.save_plan(small_plan(), author="t")
    _import(store)
    path = tmp_path / "out.xml"
    path.write_bytes(etree.tostring(_export(store).getroottree()))
    plan = store.load_plan()
    store.save_plan(Plan.of([n for n in plan.nodes if n.kind != "IatiActivity"], plan.edges),
                    author="t")  # fmt: skip
    assert _activities(store) == {}
    _import(store, path)
    assert _activities(store) == FACTS


def test_a_changed_status_is_taken_and_a_note_in_the_plan_stays(store, tmp_path):
    store.save_plan(small_plan(), author="t")
    _import(store)
    plan = store.load_plan()
    noted = replace(plan.get(S2), note="asked the publisher about the end date")
    store.save_plan(Plan.of([noted if n.id == S2 else n for n in plan.nodes], plan.edges),
                    author="t")  # fmt: skip
    path = tmp_path / "later.xml"
    path.write_text(FILE.read_text().replace('<activity-status code="2"/>',
                                             '<activity-status code="3"/>'))  # fmt: skip
    _import(store, path)
    node = store.load_plan().get(S2)
    assert node.props["iati_activity_status"] == "3"
    assert node.note == "asked the publisher about the end date"


def test_the_organisations_own_activity_gives_the_exports_status_and_dates(store):
    store.save_plan(small_plan(), author="t")
    _import(store)
    root = _export(store, identifier="AA-AAA-123456789-S1")
    activity = root.find("iati-activity")
    assert activity.find("activity-status").get("code") == "4"
    dates = {el.get("type"): el.get("iso-date") for el in activity.findall("activity-date")}
    assert dates == {"1": "2020-01-01", "2": "2020-03-01", "3": "2022-12-31", "4": "2023-01-31"}
    assert [el.get("id") for el in activity.iter(PW + "activity")] == [S2]


def test_a_pw_activity_that_pathways_does_not_write_is_refused():
    data = FILE.read_bytes().replace(
        b"</iati-activity>\n <iati-activity",
        b'<pw:activity xmlns:pw="urn:pathways:iati:1" id="iati.X" identifier="X" status="9"/>'
        b'<pw:activity xmlns:pw="urn:pathways:iati:1" id="../x" identifier="Y" colour="red"/>'
        b"</iati-activity>\n <iati-activity",
        1,
    )
    report = analyse(data, "bad.xml", small_plan(), [], [], author="iati")
    messages = [str(p) for p in report.errors]
    assert any("iati_activity_status" in m and "iati.X" in m for m in messages), messages
    assert any("unknown attributes ['colour']" in m for m in messages), messages
    assert report.plan is None and report.revisions == []
