"""``toc iati validate`` and :mod:`indicators.iati_validate`: any file checked against the
shipped IATI 2.03 schema and the ruleset rules, each problem with line and XPath; the export
checks what it writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import cli
from indicators.iati_export import IatiExportError, build_activities
from indicators.iati_validate import schema, validate_bytes, validate_file

FILES = Path(__file__).parent / "iati_files"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "iati-2.03"


def test_the_shipped_schema_is_the_published_one():
    shipped = Path(__file__).resolve().parents[2] / "indicators" / "iati_schema"
    for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"):
        if (SHARED / name).exists():
            assert (shipped / name).read_bytes() == (SHARED / name).read_bytes()
    assert schema() is schema()  # parsed once


def test_every_fixture_is_schema_valid_and_ruleset_problems_are_named():
    for path in sorted(FILES.glob("*.xml")):
        problems = validate_file(path)
        assert [p for p in problems if p.rule == "xsd"] == [], path
    (problem,) = validate_file(FILES / "shape6-references-both-levels.xml")
    assert (problem.rule, problem.line) == ("8.11.1", 18)
    assert problem.xpath == "/iati-activities/iati-activity/result/indicator"


def test_schema_errors_have_line_and_xpath():
    data = (FILES / "shape5-same-code-twice.xml").read_bytes()
    data = data.replace(b'<reporting-org ref="AA-AAA-123456789" type="40">', b"<reporting-org>")
    data = data.replace(b'<actual value="5"/>', b'<actual value="5"/><remark/>')
    problems = validate_bytes(data)
    xsd = [p for p in problems if p.rule == "xsd"]
    assert any(p.xpath == "/iati-activities/iati-activity/reporting-org" and p.line == 7
               for p in xsd), problems  # fmt: skip
    assert any("remark" in p.message and p.xpath.endswith("period/remark") for p in xsd)
    assert all(p.line > 0 for p in problems)


def test_hostile_and_broken_files_are_reported():
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    problems = validate_bytes(entity + b"<iati-activities version='2.03'>&e;</iati-activities>")
    assert [(p.rule, p.message) for p in problems] == [
        ("xml", "a DOCTYPE is not allowed in an IATI file")
    ]
    (broken,) = validate_bytes(b"<iati-activities>\n<iati-activity>\n</iati-activities>")
    assert (broken.rule, broken.line) == ("xml", 3)


def test_toc_iati_validate(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["iati", "validate", str(FILES / "shape1-custom-periods.xml")])
    assert ok.exit_code == 0 and "valid IATI 2.03" in ok.output, ok.output
    bad = runner.invoke(cli, ["iati", "validate", str(FILES / "shape6-references-both-levels.xml")])
    assert bad.exit_code == 1
    where = "/iati-activities/iati-activity/result/indicator"
    assert f"shape6-references-both-levels.xml:18: {where}: [8.11.1]" in bad.output
    missing = runner.invoke(cli, ["iati", "validate", str(tmp_path / "no.xml")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_the_export_refuses_to_write_a_schema_invalid_file():
    from indicators.iati_config import parse_config
    from indicators.iati_export import export_bytes
    from tests.conftest import small_plan

    config = parse_config(
        {"activity_identifier": "XM-T-1", "reporting_org": {"ref": "XM-T", "name": {"en": "T"}}}
    )
    # Without a type the reporting-org breaks the schema (no ruleset rule sees it): refused.
    with pytest.raises(IatiExportError, match=r"(?s)not valid IATI 2\.03.*'type' is required"):
        build_activities(small_plan(), [], pd.DataFrame(), config)
    typed = parse_config(
        {
            "activity_identifier": "XM-T-1",
            "reporting_org": {"ref": "XM-T", "type": "22", "name": {"en": "T"}},
        }
    )
    assert validate_bytes(export_bytes(small_plan(), [], pd.DataFrame(), typed)) == []
