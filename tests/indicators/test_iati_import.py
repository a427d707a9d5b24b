"""IATI import: an export imports back to the same results, indicators and approved values (on
each store); a second import changes nothing; every problem of a bad file is reported with
line, XPath and reason, and nothing is written; a write that fails midway is undone. Also
hypothesis tests on generated files and `toc iati import`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import cli
from graphdb.errors import StoreError
from graphdb.ladybug_store import LadybugStore
from indicators.definitions import decode_indicator, with_plan_years
from indicators.errors import IndicatorError, PermissionDenied
from indicators.iati_config import parse_config
from indicators.iati_export import export_bytes
from indicators.iati_import import IatiImportFailed, analyse, check_file, commit
from indicators.model import MeasurementValue, Part, Revision
from indicators.records import revisions_to_frame
from indicators.status import counting_frame
from indicators.system_notes import iati_import_note
from indicators.workflow import apply_step
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators

CONFIG = parse_config(
    {
        "activity_identifier": "XM-TEST-ORG-1",
        "reporting_org": {"ref": "XM-TEST-ORG", "type": "22", "name": {"en": "Org"}},
    }
)
COUNT_PARTS = (Part((("sex", "female"),), 5.0), Part((("sex", "male"),), 7.0))
VALUES = [
    (
        "ind.count",
        "2027",
        MeasurementValue(
            value=12.0,
            parts=COUNT_PARTS,
            comment="survey",
            evidence=("https://x.org/r.pdf", "notes.docx"),
        ),
    ),
    ("ind.count", "2028", MeasurementValue(value=15.0)),
    (
        "ind.pct",
        "2027",
        MeasurementValue(
            numerator=3.0,
            denominator=12.0,
            parts=(
                Part((("sex", "female"),), None, 1.0, 4.0),
                Part((("sex", "male"),), None, 2.0, 8.0),
            ),
        ),
    ),
    ("ind.level", "2028", MeasurementValue(level="mid")),
    ("ind.story", "2027", MeasurementValue(narrative="Things moved.", comment="from the board")),
]


def source_store(path) -> LadybugStore:
    """The small plan and indicators with approved values of every type (and one value only
    submitted, which must not travel)."""
    store = LadybugStore(path)
    store.save_plan(small_plan(), author="test")
    store.save_indicators(small_indicators(), author="test", now=T0)
    for code, period, value in VALUES:
        apply_step(store, code, period, "submit", author="a", role="me_officer", value=value)
        apply_step(store, code, period, "approve", author="m", role="me_officer")
    apply_step(
        store,
        "ind.count",
        "2029",
        "submit",
        author="a",
        role="contributor",
        value=MeasurementValue(value=16.0),
    )
    return store


@pytest.fixture
def exported(tmp_path) -> bytes:
    with source_store(tmp_path / "source.lbug") as source:
        data = export_bytes(
            source.load_plan(), source.indicators(), source.revision_frame(), CONFIG
        )
    return data


def counted(store) -> dict[tuple[str, str], MeasurementValue]:
    frame = counting_frame(store.revision_frame())
    revs = {(r.indicator, r.period): r.value for r in store.measurement_revisions()}
    return {
        (r["indicator"], r["period"]): revs[(r["indicator"], r["period"])]
        for r in frame.to_dict("records")
    }


def expected_values() -> dict[tuple[str, str], MeasurementValue]:
    out = {}
    for code, period, value in VALUES:
        if value.numerator is not None:
            value = MeasurementValue(
                value=value.numerator / value.denominator * 100,
                **{k: getattr(value, k) for k in ("numerator", "denominator", "parts")},
            )
        out[(code, period)] = value
    return out


def write(tmp_path, data: bytes, name="in.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def snapshot(store):
    frame = store.revision_frame().fillna(-1.0)  # NaN != NaN
    return (store.load_plan(), store.indicators(), frame.to_dict("records"))


# -- round trip ---


def test_an_export_imports_back_into_the_same_plan(store, exported, tmp_path):
    store.save_plan(small_plan(), author="test")
    report = check_file(store, write(tmp_path, exported), author="iati")
    assert report.errors == [], report.problems
    assert report.new_nodes == () and report.plan is None
    commit(store, report)
    assert store.indicators() == sorted(small_indicators(), key=lambda i: i.code)
    assert counted(store) == expected_values()
    revisions = store.measurement_revisions()
    assert {r.status.value for r in revisions} == {"approved"}
    assert {r.reason for r in revisions} == {iati_import_note("XM-TEST-ORG-1", "in.xml")}
    # Importing the same file again changes nothing.
    before = snapshot(store)
    again = check_file(store, write(tmp_path, exported), author="iati")
    assert (again.plan, again.indicators, again.revisions) == (None, None, [])
    assert again.unchanged == len(VALUES)
    commit(store, again)
    assert snapshot(store) == before


def test_an_export_imports_into_an_empty_store(store, exported, tmp_path):
    report = check_file(store, write(tmp_path, exported), author="iati")
    assert report.errors == [], report.problems
    commit(store, report)
    plan = store.load_plan()
    assert plan.root.props["organisation"] == "Org"
    small = small_plan()
    for node_id in ("so1", "so1.o1", "so1.o2"):
        assert (plan.node(node_id).kind, plan.node(node_id).title) == (
            small.node(node_id).kind,
            small.node(node_id).title,
        )
    assert [i.code for i in store.indicators()] == sorted(i.code for i in small_indicators())
    assert counted(store) == expected_values()


def test_submitted_values_do_not_travel(exported):
    assert b'value="16"' not in exported


# -- a plain IATI file ----------------------------------------------------------------------------

PLAIN = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.02">
 <iati-activity default-currency="EUR" xml:lang="en">
  <iati-identifier>XM-X-1</iati-identifier>
  <reporting-org ref="XM-X" type="22"><narrative>X</narrative></reporting-org>
  <title><narrative>Project</narrative></title>
  <activity-date type="1" iso-date="2027-01-01"/>
  <result type="1">
   <title><narrative>Trainings given</narrative><narrative xml:lang="nl">Opleidingen</narrative>
   </title>
   <indicator measure="1" ascending="true">
    <title><narrative>Officials trained</narrative></title>
    <baseline year="2026" value="0"><comment><narrative>none yet</narrative></comment></baseline>
    <period>
     <period-start iso-date="2027-01-01"/><period-end iso-date="2027-12-31"/>
     <target value="40"/>
     <actual value="35">
      <comment><narrative>register</narrative></comment>
     </actual>
     <actual value="20"><dimension name="Sex" value="female"/></actual>
     <actual value="15"><dimension name="Sex" value="male"/></actual>
    </period>
    <period>
     <period-start iso-date="2028-01-01"/><period-end iso-date="2028-12-31"/>
     <target value="80"/>
    </period>
   </indicator>
   <indicator measure="5">
    <title><narrative>Stories</narrative></title>
    <period>
     <period-start iso-date="2027-01-01"/><period-end iso-date="2027-12-31"/>
     <actual><comment><narrative>A town hall opened.</narrative></comment></actual>
    </period>
   </indicator>
  </result>
  <result type="2">
   <title><narrative>Better services</narrative></title>
   <indicator measure="2" ascending="0">
    <title><narrative>Complaints (%)</narrative></title>
    <baseline year="2026" iso-date="2026-12-31" value="20"/>
    <period>
     <period-start iso-date="2027-04-01"/><period-end iso-date="2027-06-30"/>
     <target value="15"/>
     <actual value="12.5"/>
    </period>
   </indicator>
  </result>
 </iati-activity>
</iati-activities>
"""


def test_a_plain_iati_file_becomes_nodes_indicators_and_approved_values(store, tmp_path):
    store.save_plan(small_plan(), author="test")
    report = check_file(store, write(tmp_path, PLAIN.encode()), author="iati")
    assert report.errors == [], report.problems
    # the two results, and the activity whose start date the plan keeps (IatiActivity)
    assert report.new_nodes == ("iati.XM-X-1.r1", "iati.XM-X-1.r2", "iati.XM-X-1")
    commit(store, report)
    plan = store.load_plan()
    assert plan.node("iati.XM-X-1.r1").kind == "Output"
    assert plan.node("iati.XM-X-1.r2").kind == "Outcome"
    assert plan.node("iati.XM-X-1.r1").title.nl == "Opleidingen"
    trained = store.get_indicator("iati.XM-X-1.r1.i1")
    assert (trained.type.value, trained.direction.value) == ("number", "increase")
    assert trained.baseline.value == 0 and trained.baseline.source == "none yet"
    assert [(t.period, t.value) for t in trained.targets] == [("2027", 40.0), ("2028", 80.0)]
    assert trained.dimension("sex").values == ("female", "male")
    story = store.get_indicator("iati.XM-X-1.r1.i2")
    assert story.type.value == "narrative"
    share = store.get_indicator("iati.XM-X-1.r2.i1")
    assert (share.type.value, share.direction.value, share.frequency.value) == (
        "percentage",
        "decrease",
        "quarter",
    )
    values = counted(store)
    assert values[("iati.XM-X-1.r1.i1", "2027")].value == 35.0
    assert values[("iati.XM-X-1.r1.i1", "2027")].parts[0] == Part((("sex", "female"),), 20.0)
    assert values[("iati.XM-X-1.r1.i2", "2027")].narrative == "A town hall opened."
    assert values[("iati.XM-X-1.r2.i1", "2027-Q2")].number(share) == 12.5


def test_a_write_that_fails_midway_leaves_nothing(store, tmp_path, monkeypatch):
    store.save_plan(small_plan(), author="test")
    store.save_indicators(small_indicators(), author="test", now=T0)
    apply_step(
        store,
        "ind.count",
        "2027",
        "submit",
        author="a",
        role="me_officer",
        value=MeasurementValue(value=3.0),
    )
    before = snapshot(store)
    report = check_file(store, write(tmp_path, PLAIN.encode()), author="iati")
    assert report.plan is not None and report.indicators is not None and report.revisions

    def fail(*args, **kwargs):
        raise StoreError("disk full")

    history = (store.revisions(), store.indicator_history())
    monkeypatch.setattr(store, "append_revisions", fail)
    with pytest.raises(IndicatorError, match=r"nothing was imported.*disk full"):
        commit(store, report)
    assert snapshot(store) == before
    # One unit of work: no attempt and no undo in the plan history or definition versions.
    assert (store.revisions(), store.indicator_history()) == history
    # Failing one step earlier (the definitions) leaves nothing either.
    monkeypatch.undo()
    monkeypatch.setattr(store, "save_indicators", fail)
    with pytest.raises(IndicatorError, match="nothing was imported"):
        commit(store, report)
    monkeypatch.undo()
    assert snapshot(store) == before
    assert (store.revisions(), store.indicator_history()) == history
    # And the same report still imports once the store works again.
    commit(store, check_file(store, write(tmp_path, PLAIN.encode()), author="iati"))
    assert store.get_indicator("iati.XM-X-1.r1.i1") is not None


# -- bad files ---


def problems_of(data: str | bytes, plan=None, indicators=(), revisions=()):
    data = data.encode() if isinstance(data, str) else data
    report = analyse(
        data, "bad.xml", plan or small_plan(), list(indicators), list(revisions), author="t"
    )
    return report


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('measure="1" ascending="true"', 'measure="7"', "not an IndicatorMeasure"),
        ('measure="1" ascending="true"', 'measure="3"', "nominal"),
        ('<actual value="35">', '<actual value="35 people">', "not a number"),
        ('<target value="40"/>', '<target value="forty"/>', "not a number"),
        (
            '<period-end iso-date="2027-12-31"/>\n     <target value="40"/>',
            '<period-end iso-date="2026-12-31"/>\n     <target value="40"/>',
            "8.6.1",
        ),
        (
            '<period-end iso-date="2027-12-31"/>\n     <target value="40"/>',
            '<period-end iso-date="2028-01-15"/>\n     <target value="40"/>',
            "overlap",
        ),
        (
            '<actual value="20"><dimension name="Sex" value="female"/></actual>',
            '<actual value="20"><dimension name="Sex" value="female"/></actual><actual value="1"/>',
            "at most one actual",
        ),
        ('<baseline year="2026" value="0">', '<baseline year="2026">', "needs a value"),
        (
            "<comment><narrative>register",
            "<remark/><comment><narrative>register",
            "unknown element <remark>",
        ),
        ('measure="1" ascending="true"', 'measure="1" ascending="up"', "not a boolean"),
        ("<actual><comment>", '<actual value="3"><comment>', "qualitative"),
        (
            '<dimension name="Sex" value="male"/>',
            '<dimension name="Sex"/>',
            "needs a name and a value",
        ),
    ],
)
def test_bad_content_is_reported_with_line_and_xpath(old, new, reason):
    assert old in PLAIN
    text = PLAIN.replace(old, new, 1)
    report = problems_of(text)
    assert report.errors, "expected an error"
    assert report.plan is None and report.indicators is None and report.revisions == []
    matching = [p for p in report.errors if reason in p.reason]
    assert matching, [str(p) for p in report.errors]
    problem = matching[0]
    assert problem.line >= line_of(text, new.split("\n")[0]) - 3
    assert problem.xpath.startswith("/iati-activities/iati-activity/result")
    assert str(problem).startswith(f"bad.xml:{problem.line}: /iati-activities")


def test_malformed_xml_names_the_line():
    report = problems_of(PLAIN.replace("</period>", "</perio>", 1))
    (problem,) = report.errors
    assert problem.line == line_of(PLAIN, "</period>")
    assert "not well-formed" in problem.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (PLAIN.replace('version="2.02"', 'version="1.05"'), "not supported"),
        (PLAIN.replace("iati-activities", "iati-organisations"), "not <iati-activities>"),
        (
            PLAIN.replace(
                "</iati-activities>",
                PLAIN[PLAIN.index(" <iati-activity ") : PLAIN.index("</iati-activities>")]
                + "</iati-activities>",
            ),
            "2 activities have iati-identifier 'XM-X-1'",
        ),
        (re.sub(r"<result.*</result>", "", PLAIN, flags=re.S), "no results"),
    ],
)
def test_files_that_are_not_one_iati_2_activity(text, reason):
    report = problems_of(text)
    assert any(reason in p.reason for p in report.errors), [str(p) for p in report.problems]


def test_duplicates_are_reported():
    period = PLAIN[PLAIN.index("    <period>") : PLAIN.index("    </period>") + 14]
    report = problems_of(PLAIN.replace(period, period + period, 1))
    assert any("period 2027 is given twice" in p.reason for p in report.errors)
    twice = PLAIN.replace('measure="5">', 'measure="5"><reference vocabulary="99" code="a"/>')
    twice = twice.replace(
        'measure="2" ascending="0">',
        'measure="2" ascending="0"><reference vocabulary="99" code="a"/>',
    )
    report = problems_of(twice)
    # A publisher code used twice (shape 5 of issue 15): the second gets a generated code.
    assert report.errors == [], [str(p) for p in report.errors]
    assert any("imported as iati.XM-X-1.r2.i1" in p.reason for p in report.warnings)
    assert {i.code for i in report.indicators} >= {"a", "iati.XM-X-1.r2.i1"}


def test_changes_that_would_reinterpret_recorded_values_are_refused(exported):
    indicators = small_indicators()
    revision = Revision("ind.count", "2027", 1, "approved", MeasurementValue(value=1.0), "a", T0)
    changed = exported.replace(b'measure="1" ascending="1"', b'measure="2" ascending="1"', 1)
    report = problems_of(changed, indicators=indicators, revisions=[revision])
    assert any("measure 2 does not fit" in p.reason for p in report.errors)


def test_only_an_me_officer_may_import(exported):
    with pytest.raises(PermissionDenied):
        analyse(exported, "x.xml", small_plan(), [], [], author="a", role="contributor")


def test_a_failed_check_writes_nothing(store, tmp_path):
    store.save_plan(small_plan(), author="test")
    before = snapshot(store)
    path = write(tmp_path, PLAIN.replace('<actual value="35">', '<actual value="x">').encode())
    report = check_file(store, path, author="t")
    with pytest.raises(IatiImportFailed):
        commit(store, report)
    assert snapshot(store) == before


# -- generated files (hypothesis) ---

NUMBERS = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def indicator_and_values(draw):
    """An indicator of a random type on so1.o1 (years 2027-2031) and approved values."""
    kind = draw(st.sampled_from(["number", "percentage", "ordinal", "narrative"]))
    doc = {
        "code": "ind.g",
        "measures": ["so1.o1"],
        "title": {"en": "G"},
        "type": kind,
        "direction": draw(st.sampled_from(["increase", "decrease", "maintain"])),
    }
    if kind == "narrative":
        doc["direction"] = "maintain"
    if kind == "percentage":
        doc |= {"numerator": {"en": "n"}, "denominator": {"en": "d"}}
    if kind == "ordinal":
        doc["scale"] = [{"code": c} for c in ("low", "mid", "high")]
    if kind != "narrative":
        increase = doc["direction"] == "increase"
        low, high = ("low", "high") if kind == "ordinal" else (10, 20)
        doc["baseline"] = {"value": low if increase else high, "date": "2026-12-31"}
        doc["end_target"] = {"value": high if increase else low}
        if draw(st.booleans()):
            doc["targets"] = {"2029": "mid" if kind == "ordinal" else 15}
    dims = draw(st.booleans()) and kind in ("number", "percentage")
    if dims:
        doc["dimensions"] = {"sex": ["female", "male"]}
    indicator = with_plan_years(decode_indicator(doc), small_plan())
    periods = draw(
        st.lists(st.sampled_from(["2027", "2028", "2029", "2030", "2031"]), unique=True, max_size=5)
    )
    values = []
    for period in periods:
        comment = draw(st.sampled_from(["", "ok", "a & b < c"]))
        if kind == "number":
            a, b = draw(NUMBERS), draw(NUMBERS)
            parts = (Part((("sex", "female"),), a), Part((("sex", "male"),), b)) if dims else ()
            value = MeasurementValue(value=a + b if dims else a, parts=parts, comment=comment)
        elif kind == "percentage":
            den = draw(st.integers(1, 500))
            num = draw(st.integers(0, den))
            parts = (Part((("sex", "female"),), None, float(num), float(den)),) if dims else ()
            value = MeasurementValue(
                value=num / den * 100,
                numerator=float(num),
                denominator=float(den),
                parts=parts,
                comment=comment,
            )
        elif kind == "ordinal":
            value = MeasurementValue(
                level=draw(st.sampled_from(["low", "mid", "high"])), comment=comment
            )
        else:
            text = draw(
                st.text(
                    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                    min_size=1,
                    max_size=30,
                ).filter(lambda t: t.strip())
            )
            value = MeasurementValue(narrative=" ".join(text.split()), comment=comment)
        values.append(Revision("ind.g", period, 1, "approved", value, "a", T0))
    return indicator, values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_and_values())
def test_generated_exports_import_back_to_the_same_values(case):
    indicator, revisions = case
    plan = small_plan()
    data = export_bytes(
        plan,
        [indicator],
        revisions_to_frame(revisions),
        CONFIG,
        generated=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    report = analyse(data, "g.xml", plan, [], [], author="t")
    assert report.errors == [], [str(p) for p in report.problems]
    assert report.indicators == [indicator]
    imported = {(r.indicator, r.period): r.value for r in report.revisions}
    assert imported == {(r.indicator, r.period): r.value for r in revisions}
    # Against a store that holds all of it already, nothing is new.
    again = analyse(data, "g.xml", plan, [indicator], revisions, author="t")
    assert (again.indicators, again.revisions, again.errors) == (None, [], [])


ATTRIBUTES = re.compile(rb'(value|iso-date|measure|year|ascending|name|type)="[^"]*"')


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.data(),
    st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=8),
)
def test_damaged_files_give_a_report_never_a_crash(data, junk):
    base = PLAIN.encode()
    spots = list(ATTRIBUTES.finditer(base))
    spot = data.draw(st.sampled_from(spots))
    escaped = junk.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    damaged = base[: spot.start(2 - 1)] + spot.group(1) + b'="' + escaped.encode() + b'"'
    damaged += base[spot.end() :]
    report = analyse(damaged, "d.xml", small_plan(), [], [], author="t")
    for problem in report.problems:
        assert problem.line > 0 and problem.reason
    if report.errors:
        assert (report.plan, report.indicators, report.revisions) == (None, None, [])


# -- command line ---


def test_toc_iati_import(tmp_path, exported):
    location = str(tmp_path / "cli.lbug")
    with LadybugStore(location) as store:
        store.save_plan(small_plan(), author="test")
    runner = CliRunner()
    path = write(tmp_path, exported)
    result = runner.invoke(cli, ["--store", location, "iati", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import XM-TEST-ORG-1" in result.output and "4 indicator(s) added" in result.output
    with LadybugStore(location) as store:
        assert store.indicators() == []
    result = runner.invoke(cli, ["--store", location, "iati", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{len(VALUES)} value(s) approved" in result.output
    bad = write(
        tmp_path, PLAIN.replace('<actual value="35">', '<actual value="x">').encode(), "bad.xml"
    )
    result = runner.invoke(cli, ["--store", location, "iati", "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.xml:" in result.output and "not a number" in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["--store", location, "iati", "import", str(tmp_path / "no.xml")])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(
        cli, ["--store", location, "iati", "import", str(path), "--role", "contributor"]
    )
    assert result.exit_code == 1 and "may not" in result.output


# -- a round trip without the Pathways extension ---


def strip_pathways(data: bytes) -> bytes:
    """The file as a tool that knows only IATI would keep it: every pw: element removed."""
    from lxml import etree

    from indicators.iati_export import PW_NS

    root = etree.fromstring(data)
    for el in list(root.iter(f"{{{PW_NS}}}*")):
        el.getparent().remove(el)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def figures_of(store) -> tuple[dict, dict]:
    """Per indicator code: the end target as a number; per (code, period): the approved
    value as a number (levels as their index, percentages in percent, narratives as text)."""
    inds = {i.code: i for i in store.indicators()}
    ends = {
        c: i.number_of(i.end_target.value, i.end_target.level) if i.end_target else None
        for c, i in inds.items()
    }
    values = {}
    for key, value in counted(store).items():
        ind = inds[key[0]]
        values[key] = value.narrative if ind.type.value == "narrative" else value.number(ind)
    return ends, values


def test_end_targets_reach_iati_and_a_file_without_the_extension_keeps_the_figures(
    exported, tmp_path
):
    from lxml import etree

    root = etree.fromstring(exported)
    for ind in small_indicators():
        if ind.end_target is None:
            continue
        (el,) = [i for i in root.iter("indicator")
                 if any(r.get("code") == ind.code for r in i.iter("reference"))]  # fmt: skip
        assert el.findall("period/target"), f"{ind.code}: no IATI target"
    plain = strip_pathways(exported)
    assert b"urn:pathways" not in plain
    with source_store(tmp_path / "source.lbug") as source:
        expected = figures_of(source)
        before = {i.code: i.end_target for i in source.indicators()}
    with LadybugStore(tmp_path / "fresh.lbug") as fresh:
        report = check_file(fresh, write(tmp_path, plain, "plain.xml"), author="iati")
        assert report.errors == [], [str(p) for p in report.errors]
        commit(fresh, report)
        assert figures_of(fresh) == expected, before
        assert fresh.load_plan().root.description.en
