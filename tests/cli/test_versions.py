"""`toc diff`, `toc restore` and what `toc load` records and shows, against a temporary store."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import small_plan
from toc.model import Plan, Text
from toc.planfile import dump


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.delenv("TOC_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    store = str(tmp_path / "cli.lbug")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", store, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def two_versions(run, tmp_path):
    """Version 1 the small plan, version 2 with a new English title for so1.o1."""
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    plan = small_plan()
    dump(plan, one)
    edited = replace(plan.node("so1.o1"), title=Text("Doel 1.1", "Objective one"))
    dump(Plan.of([edited if n.id == "so1.o1" else n for n in plan.nodes], plan.edges), two)
    assert run("load", str(one), "-m", "first").exit_code == 0
    return run, two


def test_load_records_the_login_name_and_dry_run_names_the_nodes(two_versions):
    run, two = two_versions
    assert "login-name" in run("history").output
    dry = run("load", "--dry-run", str(two))
    assert dry.output.splitlines() == [
        "Dry run: 1 nodes changed",
        "  changed so1.o1 (Objective): title.en",
    ]
    assert run("load", str(two), "--author", "ann").exit_code == 0
    assert "v2" in run("history").output and "ann" in run("history").output


def test_diff_shows_each_field_and_the_versions_between(two_versions):
    run, two = two_versions
    run("load", str(two), "-m", "retitle so1.o1")
    table = run("diff", "1", "2")
    assert table.exit_code == 0
    assert "Plan changes from version 1 to version 2: 1 nodes changed" in table.output
    assert "retitle so1.o1" in table.output and "login-name" in table.output
    assert "title.en  Objective 1.1  Objective one" in table.output
    md = run("diff", "1", "2", "--format", "md").output
    assert (
        "| changed | node | Objective | so1.o1 | title.en | Objective 1.1 | Objective one |" in md
    )
    doc = json.loads(run("diff", "1", "--format", "json").output)
    assert (doc["from"], doc["to"], doc["summary"]["nodes changed"]) == (1, 2, 1)
    assert doc["versions"][0]["message"] == "retitle so1.o1"
    assert doc["changes"]["nodes"]["changed"][0]["fields"] == [
        {"field": "title.en", "before": "Objective 1.1", "after": "Objective one"}
    ]


def test_diff_between_dates(two_versions):
    run, _ = two_versions
    today = dt.datetime.now(dt.UTC).date().isoformat()
    result = run("diff", "--from", today, "--to", today, "--format", "json")
    doc = json.loads(result.output)
    assert (doc["from"], doc["to"], doc["summary"]["nodes added"]) == (0, 1, 12)
    past = json.loads(run("diff", "--from", "2000-01-01", "--to", "2000-12-31", "--format",
                           "json").output)  # fmt: skip
    assert (past["from"], past["to"], past["versions"]) == (0, 0, [])
    wrong = run("diff", "1", "2", "--from", today)
    assert wrong.exit_code == 2 and "not both" in wrong.output


def test_restore_makes_a_new_version(two_versions):
    run, two = two_versions
    run("load", str(two))
    result = run("restore", "1", "-m", "undo the retitle")
    assert result.output.startswith("Restored version 1 as version 3")
    doc = json.loads(run("diff", "1", "3", "--format", "json").output)
    assert doc["versions"][-1]["author"] == "login-name"
    assert json.loads(run("diff", "1", "3", "--format", "json").output)["summary"] == dict.fromkeys(
        ("nodes added", "nodes changed", "nodes removed", "links added", "links changed",
         "links removed"), 0)  # fmt: skip
    again = run("restore", "3", "-m", "twice")
    assert "already equals version 3" in again.output
    missing = run("restore", "9", "-m", "no")
    assert missing.exit_code == 1 and "no plan version 9 (versions 1 to 3)" in missing.output
    assert "Traceback" not in missing.output
    assert run("restore", "1").exit_code == 2  # the why is required
