"""Copying a whole store into another (``toc migrate``), to each engine and back."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb import StoreError
from graphdb.account_store import Account
from graphdb.ladybug_store import LadybugStore
from graphdb.migrate import migrate, verify
from indicators.model import Baseline, EndTarget, Indicator, MeasurementValue, Revision, now_stamp
from tests.conftest import small_plan
from toc.model import Plan, Text


def fill(store) -> None:
    """Two plan versions and an account."""
    plan = small_plan()
    store.save_plan(plan, author="ann", message="first")
    renamed = replace(plan.node("so1"), title=Text("Nieuw", "New"))
    store.save_plan(Plan.of([renamed, *(n for n in plan.nodes if n.id != "so1")], plan.edges),
                    author="bob", message="second")  # fmt: skip
    store.add_account(Account("ana", "hash", "contributor", partners=("enabel",)))


def add_indicators(store) -> None:
    """One indicator with one measurement."""
    indicator = Indicator("ind.a", Text(en="Twinnings"), measures=("so1.o1",), type="number",
                          direction="increase", baseline=Baseline(0.0, date=dt.date(2026, 1, 1)),
                          end_target=EndTarget(10.0))  # fmt: skip
    store.save_indicators([indicator], author="ann", message="indicators")
    store.append_revisions([Revision("ind.a", "2027", 1, "draft", MeasurementValue(value=3.0),
                                     "ann", now_stamp())])  # fmt: skip


@pytest.fixture
def source(tmp_path):
    s = LadybugStore(tmp_path / "source.lbug")
    fill(s)
    yield s
    s.close()


def test_migrate_copies_the_plan_history_and_accounts(source, store):
    report = migrate(source, store)
    assert report.ok, report.differences
    assert store.load_plan() == source.load_plan()
    assert store.revisions() == source.revisions()  # the times of saving too
    assert store.accounts() == source.accounts()
    assert report.copied["plan revisions"] == 2
    assert report.copied["accounts"] == 1
    assert "Verified: both stores hold the same." in report.lines()


def test_and_back_again(source, store, tmp_path):
    migrate(source, store)
    with LadybugStore(tmp_path / "back.lbug") as back:
        assert migrate(store, back).ok
        assert verify(source, back) == []
        assert back.diff_versions(1, 2) == source.diff_versions(1, 2)  # contents came along


def test_a_target_that_is_not_empty_is_refused_untouched(source, store):
    store.save_plan(small_plan(), message="already here")
    with pytest.raises(StoreError, match="not empty"):
        migrate(source, store)
    assert [r.message for r in store.revisions()] == ["already here"]
    assert store.accounts() == []


def test_verify_names_each_difference(source, store):
    migrate(source, store)
    plan = store.load_plan()
    renamed = replace(plan.node("r1"), title=Text(en="Renamed"))
    store.save_plan(Plan.of([renamed, *(n for n in plan.nodes if n.id != "r1")], plan.edges))
    assert verify(source, store) == [
        "node r1: differs",
        "plan revision 3: only in the target",
        "plan version content 3: only in the target",
    ]


def test_indicators_and_measurements_are_copied(source, tmp_path):
    add_indicators(source)
    with LadybugStore(tmp_path / "copy.lbug") as target:
        report = migrate(source, target)
        assert report.ok, report.differences
        assert report.copied["indicator versions"] == 1
        assert report.copied["measurement revisions"] == 1
        assert target.indicator_history() == source.indicator_history()
        assert target.measurement_revisions() == source.measurement_revisions()


def test_evidence_files_are_copied_and_verified(source, tmp_path):
    kept = source.attachment_files.put(b"%PDF-1.4 bewijs", "a.pdf", who="ann", when="t")
    with LadybugStore(tmp_path / "copy.lbug") as target:
        report = migrate(source, target)
        assert report.ok, report.differences
        assert report.copied["evidence files"] == 1
        assert (tmp_path / "copy.lbug.files" / kept.sha256).read_bytes() == b"%PDF-1.4 bewijs"
        target.attachment_files.path(kept.sha256).unlink()
        assert verify(source, target) == [f"evidence file {kept.sha256} is missing in the target"]


def test_a_tampered_evidence_file_stops_the_migration(source, tmp_path):
    kept = source.attachment_files.put(b"%PDF-1.4 bewijs", "a.pdf", who="ann", when="t")
    source.attachment_files.path(kept.sha256).write_bytes(b"%PDF-other")
    with (
        LadybugStore(tmp_path / "copy.lbug") as target,
        pytest.raises(StoreError, match=r"copying evidence files failed.*does not match its hash"),
    ):
        migrate(source, target)


@pytest.mark.neo4j
@pytest.mark.slow
def test_indicators_and_measurements_are_copied_to_neo4j(source, fresh_neo4j_store):
    add_indicators(source)
    with fresh_neo4j_store() as target:
        report = migrate(source, target)
        assert report.ok, report.differences
        assert target.indicator_history() == source.indicator_history()
        assert target.measurement_revisions() == source.measurement_revisions()


@pytest.mark.neo4j
@pytest.mark.slow
def test_toc_migrate_to_neo4j_and_back(source, neo4j_server, fresh_neo4j_store, tmp_path):
    fresh_neo4j_store().close()  # empties the test database
    url = neo4j_server.uri
    runner = CliRunner(env={"NEO4J_USER": neo4j_server.user,
                            "NEO4J_PASSWORD": neo4j_server.password})  # fmt: skip
    location = source.location
    source.close()  # a second process must be able to open it
    there = runner.invoke(cli, ["migrate", "--from", location, "--to", url])
    assert there.exit_code == 0, there.output
    assert "Verified: both stores hold the same." in there.output
    back = str(tmp_path / "back.lbug")
    again = runner.invoke(cli, ["migrate", "--from", url, "--to", back])
    assert again.exit_code == 0, again.output
    refused = runner.invoke(cli, ["migrate", "--from", location, "--to", back])
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    assert "Traceback" not in refused.output


def test_accounts_travel_between_credential_stores_and_are_compared(source, store):
    migrate(source, store)
    assert store.credentials.accounts() == source.credentials.accounts() != []
    kinds = {node["_kind"] for (node,) in store.query("MATCH (n) RETURN n").rows}
    assert "Account" not in kinds, "accounts never enter the target's graph"
    store.set_role("ana", "admin")
    assert verify(source, store) == ["account ana: differs"]
