"""IATI 2.03 export: the VVSG demo validates against the official XSD (lxml) and passes the
ruleset checks the XSD leaves out; only approved values are actuals; qualitative indicators
carry no values; illustrative data and example identifiers say so. Also the configuration and
`toc iati export`."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from lxml import etree

from cli.iati import iati
from cli.main import cli
from indicators import catalog, importer
from indicators.iati_config import IatiConfigError, load_config, parse_config
from indicators.iati_export import (
    ILLUSTRATIVE_PREFIX,
    IatiExportError,
    build_activities,
    export_bytes,
)
from indicators.iati_rules import check_activities, check_activity
from indicators.model import MeasurementValue, Part
from indicators.workflow import apply_step
from tests.conftest import REPO, VVSG_PLAN
from toc.planfile import load_with_issues

SHARED = REPO.parent / "shared" / "data" / "iati-2.03"
XSD = SHARED / "iati-activities-schema.xsd"
VVSG_CONFIG = REPO / "examples" / "iati-vvsg.toml"
CONFIG = parse_config(
    {
        "activity_identifier": "XM-TEST-ORG-1",
        "reporting_org": {"ref": "XM-TEST-ORG", "type": "22", "name": {"en": "Org", "nl": "Org"}},
    }
)
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"the IATI schema is not at {XSD}")
    return etree.XMLSchema(etree.parse(str(XSD)))


def vvsg_demo(store) -> None:
    """The VVSG plan, its illustrative indicators and values (approved), as `make demo`."""
    plan, _ = load_with_issues(VVSG_PLAN)
    store.save_plan(plan, author="demo")
    catalog.load_definitions(store, REPO / "examples" / "vvsg-indicators.yaml", author="demo")
    importer.import_file(
        store,
        REPO / "examples" / "vvsg-measurements-illustrative.csv",
        author="demo",
        role="me_officer",
        approve=True,
    )


def export_store(store, config=CONFIG, **kw) -> etree._Element:
    data = export_bytes(store.load_plan(), store.indicators(), store.revision_frame(), config, **kw)
    return etree.fromstring(data)


def test_the_vvsg_demo_export_validates_against_the_iati_xsd(store, schema):
    vvsg_demo(store)
    root = export_store(store, load_config(VVSG_CONFIG))
    assert schema.validate(root), schema.error_log
    assert check_activities(root) == []
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-EXAMPLE-VVSG-SP-2027-2036"
    assert activity.find("reporting-org").get("ref") == "XM-EXAMPLE-VVSG"
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "15110")
    goals = [t.get("code") for t in activity.findall("tag[@vocabulary='2']")]
    assert "16" in goals and "17" in goals
    assert {r.get("code") for r in activity.iter("reference") if r.get("vocabulary") == "9"} >= {
        "17.17.1",
        "11.3.2",
    }
    assert {r.get("type") for r in activity.findall("result")} == {"2", "3"}
    assert len(activity.findall("result/indicator")) == 15
    assert len(activity.findall("result/indicator/period/actual[comment]")) == 43
    # Illustrative demo data says so, and so do example identifiers.
    notice = activity.findtext("description[@type='4']/narrative")
    assert "ILLUSTRATIVE DATA" in notice and "EXAMPLE IDENTIFIERS" in notice
    for comment in activity.iterfind("result/indicator/period/actual/comment/narrative"):
        assert comment.text.startswith(ILLUSTRATIVE_PREFIX)
    # The DGD is the funder named in the configuration.
    funders = activity.findall("participating-org[@role='1']")
    assert "XM-DAC-2-10" in {f.get("ref") for f in funders}


def test_the_demo_export_in_dutch_validates_too(istore, schema):
    root = export_store(istore, lang="nl")
    assert schema.validate(root), schema.error_log
    title = root.find("iati-activity/title")
    assert title[0].get("{http://www.w3.org/XML/1998/namespace}lang") is None
    assert title[0].text == "Plan"


def record(store, code, period, value, *, approve=True, now=None):
    apply_step(store, code, period, "submit", author="ann", role="me_officer", value=value, now=now)
    if approve:
        apply_step(store, code, period, "approve", author="me", role="me_officer", now=now)


def test_only_approved_values_are_actuals(istore, schema):
    record(istore, "ind.count", "2027", MeasurementValue(value=12.0), approve=True)
    record(istore, "ind.count", "2028", MeasurementValue(value=13.0), approve=False)
    root = export_store(istore)
    assert schema.validate(root), schema.error_log
    ind = root.xpath("//indicator[reference/@code='ind.count']")[0]
    actuals = {
        p.find("period-start").get("iso-date"): p.find("actual").get("value")
        for p in ind.findall("period")
        if p.find("actual") is not None
    }
    assert actuals == {"2027-01-01": "12"}
    # The 2028 target is still a period of its own, without an actual.
    period = ind.xpath("period[period-start/@iso-date='2028-01-01']")[0]
    assert period.find("target").get("value") == "14" and period.find("actual") is None


def test_as_of_exports_the_values_approved_by_then(istore):
    early = "2027-02-01T00:00:00.000000Z"
    record(istore, "ind.count", "2027", MeasurementValue(value=12.0), now=early)
    record(
        istore, "ind.count", "2027", MeasurementValue(value=15.0), now="2027-06-01T00:00:00.000000Z"
    )
    frame = istore.revision_frame()
    tree = build_activities(
        istore.load_plan(), istore.indicators(), frame, CONFIG, before="2027-03-01T00:00:00.000000Z"
    )
    assert tree.find(".//actual").get("value") == "12"
    tree = build_activities(istore.load_plan(), istore.indicators(), frame, CONFIG)
    assert tree.find(".//actual").get("value") == "15"


def test_values_of_every_type_and_their_parts(istore, schema):
    parts = (Part((("sex", "female"),), 5.0), Part((("sex", "male"),), 7.0))
    record(
        istore,
        "ind.count",
        "2027",
        MeasurementValue(
            value=12.0,
            parts=parts,
            comment="survey",
            evidence=("https://x.org/r.pdf", "notes.docx"),
        ),
    )
    record(istore, "ind.pct", "2027", MeasurementValue(numerator=3.0, denominator=12.0))
    record(istore, "ind.level", "2027", MeasurementValue(level="mid"))
    record(istore, "ind.story", "2027", MeasurementValue(narrative="Things moved."))
    root = export_store(istore)
    assert schema.validate(root), schema.error_log
    assert check_activities(root) == []

    def indicator(code):
        return root.xpath(f"//indicator[reference/@code='{code}']")[0]

    count = indicator("ind.count")
    assert (count.get("measure"), count.get("ascending")) == ("1", "1")
    assert count.find("baseline").get("value") == "10"
    actuals = count.findall("period/actual")
    assert [a.get("value") for a in actuals] == ["12", "5", "7"]
    assert actuals[0].findtext("comment/narrative") == "survey"
    assert actuals[0].find("document-link").get("url") == "https://x.org/r.pdf"
    assert actuals[0].find("document-link").get("format") == "application/pdf"
    assert [(d.get("name"), d.get("value")) for d in actuals[1].findall("dimension")] == [
        ("sex", "female")
    ]
    assert indicator("ind.pct").get("measure") == "2"
    assert indicator("ind.pct").find("period/actual").get("value") == "25"
    level = indicator("ind.level")
    assert level.get("measure") == "4"
    assert level.find("baseline").get("value") == "1"  # low: first level of the scale
    assert level.find("period/actual").get("value") == "2"  # mid
    story = indicator("ind.story")
    assert story.get("measure") == "5" and story.get("ascending") is None
    actual = story.find("period/actual")
    assert actual.get("value") is None  # qualitative: no value, as the rules require
    assert actual.findtext("comment/narrative") == "Things moved."
    assert story.find("baseline") is None


def test_plain_data_has_no_illustrative_notice(istore):
    root = export_store(istore)
    assert root.find("iati-activity/description[@type='4']") is None


def test_an_empty_store_cannot_be_exported(store):
    with pytest.raises(IatiExportError, match="no plan"):
        export_bytes(store.load_plan(), [], store.revision_frame(), CONFIG)


# -- the ruleset checker ---

GOOD = (SHARED / "example-activity.xml").read_bytes() if SHARED.exists() else b""


def broken(old: bytes, new: bytes) -> list[str]:
    assert old in GOOD
    root = etree.fromstring(GOOD.replace(old, new, 1))
    return [p.rule for p in check_activity(root[0], now=NOW)]


@pytest.mark.skipif(not GOOD, reason="no IATI example file")
def test_the_rules_accept_the_official_example():
    assert check_activity(etree.fromstring(GOOD)[0], now=NOW) == []


@pytest.mark.skipif(not GOOD, reason="no IATI example file")
@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        (b'<period-end iso-date="2024-12-31"/>', b'<period-end iso-date="2023-12-31"/>', "8.6.1"),
        (b'<target value="50">', b"<target>", "8.9"),
        (b'<actual value="47">', b'<actual value="forty">', "8.10"),
        (
            b'<baseline year="2023" iso-date="2023-12-31" value="41">',
            b'<baseline year="2023" value="1e3">',
            "8.8",
        ),
        (b'measure="2"', b'measure="5"', "8.8"),
        (b'measure="2"', b'measure="7"', "codelist"),
        (
            b'<result type="2" aggregation-status="1">',
            b'<result type="2"><reference vocabulary="1" code="x"/>',
            "8.11.1",
        ),
        (b'code="16.6.2"', b'code="16.6"', "codelist"),
        (b'percentage="100"/>\n  <tag', b'percentage="90"/>\n  <tag', "percentage"),
        (b"<iati-identifier>XM-DAC-2-10", b"<iati-identifier>XX-1", "identifier"),
        (b'<activity-date type="1"', b'<activity-date type="3"', "date"),
        (b' xml:lang="en"', b"", "language"),
        (
            b'<participating-org role="1" ref="XM-DAC-2-10" type="10"/>',
            b'<participating-org role="1"/>',
            "participating-org",
        ),
        (b'<tag vocabulary="2" code="16"/>', b'<tag vocabulary="2" code="18"/>', "codelist"),
    ],
)
def test_the_rules_find_what_the_schema_lets_through(old, new, rule):
    assert rule in broken(old, new)


def test_two_narratives_in_one_language_break_a_rule():
    xml = (
        b'<iati-activities version="2.03"><iati-activity xml:lang="en"><title>'
        b"<narrative>A</narrative><narrative xml:lang='en'>B</narrative></title>"
        b"</iati-activity></iati-activities>"
    )
    problems = check_activity(etree.fromstring(xml)[0], now=NOW)
    assert any(p.rule == "language" and "2 narratives" in p.message for p in problems)
    assert all(p.line == 1 and p.xpath.startswith("/iati-activities") for p in problems)


# -- configuration ---


def test_the_vvsg_example_configuration_is_marked_as_an_example():
    config = load_config(VVSG_CONFIG)
    assert config.example is True
    assert config.activity_identifier.startswith(config.reporting_org.ref + "-")
    assert "EXAMPLE" in config.reporting_org.ref


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, "activity_identifier is required"),
        ({"activity_identifier": "XM-A-1"}, "reporting_org"),
        (
            {"activity_identifier": "XM-B-1", "reporting_org": {"ref": "XM-A", "name": "A"}},
            "must start with",
        ),
        (
            {"activity_identifier": "XM-A/1", "reporting_org": {"ref": "XM-A", "name": "A"}},
            "may not contain",
        ),
        (
            {
                "activity_identifier": "XM-A-1",
                "reporting_org": {"ref": "XM-A", "name": "A", "type": "99"},
            },
            "OrganisationType",
        ),
        (
            {
                "activity_identifier": "XM-A-1",
                "default_language": "fr",
                "reporting_org": {"ref": "XM-A", "name": "A"},
            },
            "default_language",
        ),
        (
            {
                "activity_identifier": "XM-A-1",
                "colour": "red",
                "reporting_org": {"ref": "XM-A", "name": "A"},
            },
            "unknown key",
        ),
    ],
)
def test_configuration_errors_name_the_key(doc, message):
    with pytest.raises(IatiConfigError, match=message):
        parse_config(doc, "x.toml")


def test_configuration_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("TOC_IATI_CONFIG", raising=False)
    with pytest.raises(IatiConfigError, match="--config"):
        load_config()
    monkeypatch.setenv("TOC_IATI_CONFIG", str(VVSG_CONFIG))
    assert load_config().reporting_org.ref == "XM-EXAMPLE-VVSG"
    bad = tmp_path / "bad.toml"
    bad.write_text("activity_identifier = [", encoding="utf-8")
    with pytest.raises(IatiConfigError, match="not a valid TOML"):
        load_config(bad)


# -- command line ---


def test_iati_commands_have_help_with_an_example():
    runner = CliRunner()
    for args in (["iati"], ["iati", "export"], ["iati", "import"], ["iati", "validate"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0 and "Example: toc iati" in result.output
    assert set(iati.commands) == {"export", "import", "validate"}


def test_toc_iati_export(istore, tmp_path, monkeypatch, schema):
    monkeypatch.delenv("TOC_IATI_CONFIG", raising=False)
    location = istore.location
    if istore.backend != "ladybug":
        pytest.skip("the command line test opens the embedded store by path")
    istore.close()
    runner = CliRunner()
    out = tmp_path / "out.xml"
    args = ["--store", location, "iati", "export", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "--config" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, [*args, "--config", str(VVSG_CONFIG), "--as-of", "soon"])
    assert result.exit_code == 2
    result = runner.invoke(cli, [*args, "--config", str(VVSG_CONFIG), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert "4 indicator(s)" in result.output and "made-up examples" in result.output
    assert schema.validate(etree.parse(str(out))), schema.error_log
