"""`toc indicators ...` and `toc status`, driven with click's CliRunner on the VVSG demo."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from cli.indicators import indicators_group
from cli.main import cli
from tests.conftest import REPO, VVSG_PLAN

EXAMPLES = REPO / "examples"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A store with the VVSG plan and the illustrative demo, loaded as `make demo` does."""
    store = str(tmp_path_factory.mktemp("cli") / "demo.lbug")
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(cli, ["--store", store, *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    run("load", str(VVSG_PLAN))
    run("indicators", "load", str(EXAMPLES / "vvsg-indicators.yaml"), "--author", "demo")
    run(
        "indicators",
        "import",
        str(EXAMPLES / "vvsg-measurements-illustrative.csv"),
        "--approve",
        "--author",
        "demo",
    )
    run(
        "indicators",
        "import",
        str(EXAMPLES / "vvsg-measurements-2029-partners-illustrative.csv"),
        "--role",
        "contributor",
        "--author",
        "partner",
    )
    run(
        "indicators",
        "return",
        "ind.so3.o1.sister-associations",
        "2029",
        "--note",
        "evidence?",
        "--author",
        "demo",
    )
    return run


def test_every_indicator_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in indicators_group.commands.items():
        result = runner.invoke(cli, ["indicators", name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in (command.help or ""), name
    assert "Example:" in runner.invoke(cli, ["status", "--help"]).output


def test_the_demo_loads_idempotently(demo):
    again = demo(
        "indicators",
        "import",
        str(EXAMPLES / "vvsg-measurements-illustrative.csv"),
        "--approve",
        "--author",
        "demo",
    )
    assert "Imported 0 value(s)" in again.output and "43 unchanged" in again.output
    returned = demo(
        "indicators", "return", "ind.so3.o1.sister-associations", "2029", "--note", "evidence?"
    )
    assert "unchanged" in returned.output
    assert "no changes" in demo("indicators", "load", str(EXAMPLES / "vvsg-indicators.yaml")).output


def test_status_shows_the_mix_and_the_assumption_to_test(demo):
    out = demo("status").output
    assert "ILLUSTRATIVE DEMO DATA" in out
    for status in ("on_track", "at_risk", "off_track", "no_data"):
        assert status in out
    assert "so1      off_track  on_track" in out and "<< assumption to test" in out
    data = json.loads(demo("status", "--format", "json", "--rule", "weighted_mean").output)
    assert data["illustrative"] and data["rule"] == "weighted_mean"
    flagged = [n["node"] for n in data["nodes"] if n["assumption_to_test"]]
    assert flagged == ["so1"]
    assert demo("status", "--format", "csv").output.startswith("node,kind,title,own")
    past = demo("status", "--as-of", "2000-01-01", "--format", "json").output
    assert {n["combined"] for n in json.loads(past)["nodes"]} == {"no_data"}


def test_list_show_history(demo):
    listed = demo("indicators", "list").output
    assert "(15 indicators)" in listed and "[ILLUSTRATIVE]" in listed and "Notice:" in listed
    assert "ind.so1.o1" in demo("indicators", "list", "--node", "so1.o1").output
    shown = demo("indicators", "show", "ind.so1.share-lg", "--lang", "nl").output
    assert "Aandeel Vlaamse lokale besturen" in shown and "off_track" in shown
    assert "§3 SO1 O2" in shown
    history = demo("indicators", "history", "ind.so3.o1.sister-associations", "2029").output
    assert "returned" in history and "review note: evidence?" in history
    assert "why: imported from vvsg-measurements-2029-partners-illustrative.csv\n" in history
    assert "§pathways:" not in history  # the system's note in English words, not its code
    assert "no values recorded" in demo("indicators", "history", "ind.so1.share-lg", "2031").output
    assert demo("indicators", "show", "ind.nope", ok=False).exit_code == 1


def test_record_approve_return_and_conflict(demo):
    code = "ind.so4.o3.knowledge-products"
    out = demo(
        "indicators",
        "record",
        code,
        "2030",
        "--value",
        "12",
        "--comment",
        "c",
        "--evidence",
        "list.pdf",
        "--role",
        "contributor",
        "--author",
        "p",
    ).output
    assert "revision 1 (submitted)" in out and "[ILLUSTRATIVE]" in out
    stale = demo("indicators", "record", code, "2030", "--value", "13", "--base", "0", ok=False)
    assert (
        stale.exit_code == 1 and "conflict" in stale.output and "kept as revision 2" in stale.output
    )
    assert "revision 3 (approved)" in demo("indicators", "approve", code, "2030").output
    pct = demo(
        "indicators",
        "record",
        "ind.so1.share-lg",
        "2030",
        "--numerator",
        "31",
        "--denominator",
        "285",
        "--draft",
    ).output
    assert "(draft)" in pct
    denied = demo("indicators", "approve", code, "2030", "--role", "contributor", ok=False)
    assert denied.exit_code == 1
    parts = demo(
        "indicators",
        "record",
        "ind.so2.o3.trained",
        "2030",
        "--value",
        "10",
        "--part",
        "sex=female:4",
        "--part",
        "sex=male:5",
    ).output
    assert "warning: parts by sex add up to 9, not to the total 10" in parts
    bad = demo("indicators", "record", code, "2099", "--value", "1", ok=False)
    assert bad.exit_code == 1 and "not one of this indicator's periods" in bad.output


def test_template_import_export_iptt(demo, tmp_path):
    template = tmp_path / "t.xlsx"
    out = demo(
        "indicators",
        "template",
        "-o",
        str(template),
        "--from",
        "2030",
        "--to",
        "2030",
        "--node",
        "so1.o2",
    ).output
    assert "2 indicator(s)" in out and "Notice:" in out
    wb = openpyxl.load_workbook(template)
    assert "ILLUSTRATIVE" in [c.value for c in wb["Indicators"]["V"]]
    assert any("NOTICE" in (row[0].value or "") for row in wb["About"].iter_rows())
    data = wb["Data"]
    header = [c.value for c in data[1]]
    data.cell(2, header.index("value") + 1, "lots")  # text in the value column of row 2
    wb.save(template)
    failed = demo("indicators", "import", str(template), "--dry-run", ok=False)
    assert failed.exit_code == 1
    assert "Data row 2, column" in failed.output and "text 'lots' where a number belongs" in (
        failed.output
    )
    assert "nothing was imported" in failed.output

    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"m.{suffix}"
        assert "row(s)" in demo("indicators", "export", "-o", str(path)).output
        dry = demo("indicators", "import", str(path), "--dry-run").output
        assert "Would import" in dry
    assert (
        "Wrote"
        in demo(
            "indicators",
            "export",
            "-o",
            str(tmp_path / "h.csv"),
            "--history",
            "--as-of",
            "2100-01-01",
        ).output
    )

    table = demo("indicators", "iptt", "so1").output
    assert "ind.so1.o1.partnership-agreements" in table and "to date" in table
    iptt = tmp_path / "iptt.xlsx"
    assert "objective(s)" in demo("indicators", "iptt", "-o", str(iptt)).output
    assert "so1" in openpyxl.load_workbook(iptt).sheetnames
    assert demo("indicators", "iptt", "nowhere", ok=False).exit_code == 1


def test_load_errors_are_one_line_each(demo, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: toc-indicators/1\nindicators:\n  - code: x\n", encoding="utf-8")
    result = demo("indicators", "load", str(bad), ok=False)
    assert result.exit_code == 1 and "bad.yaml:3: error: [x]" in result.output
    assert "nothing was changed" in result.output


def test_approving_ones_own_submission_warns_or_is_refused(demo, monkeypatch):
    code, period = "ind.so4.o3.knowledge-products", "2031"
    demo("indicators", "record", code, period, "--value", "3", "--author", "ann")
    monkeypatch.setenv("TOC_FOUR_EYES", "refuse")
    refused = demo("indicators", "approve", code, period, "--author", "ann", ok=False)
    assert refused.exit_code == 1
    assert "ann submitted this value; another reviewer must approve it" in refused.output
    monkeypatch.delenv("TOC_FOUR_EYES")
    warned = demo("indicators", "approve", code, period, "--author", "ann").output
    assert "(approved)" in warned
    assert "warning: approved by the person who submitted it (four-eyes rule)" in warned
    demo("indicators", "record", code, period, "--value", "4", "--author", "ann")  # a correction
    other = demo("indicators", "approve", code, period, "--author", "bo").output
    assert "(approved)" in other and "four-eyes" not in other


def test_iptt_figures_are_rounded_to_the_indicators_precision(demo, tmp_path):
    import csv

    path = tmp_path / "iptt.csv"
    demo("indicators", "iptt", "so1", "-o", str(path))
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    share = [r for r in rows if r["indicator"] == "ind.so1.share-lg"]
    # a percentage: 1 decimal, plus 2 in a data file; whole numbers without ".0"
    assert share[0]["actual"] == "10.175" and share[0]["percent_of_target"] == "14.045"
    assert {r["target"] for r in share} >= {"12", "15"}
    figures = [r[k] for r in rows for k in ("baseline", "target", "expected", "actual")]
    assert all(len(f.partition(".")[2]) <= 3 for f in figures if f), "no float noise"
    screen = demo("indicators", "iptt", "so1").output
    assert "actual 10.2    14.0%" in screen and "target —" in screen
