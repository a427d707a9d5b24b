"""What only the Neo4j indicator storage has: its constraints as seen in Neo4j Browser, appends
serialised across connections (Neo4j reads committed data only, so the count check needs the
lock), and all-or-nothing appends over several batches. The shared behaviour is in
tests/indicators/test_store.py."""

from __future__ import annotations

import threading

import neo4j
import pytest

from graphdb import neo4j_indicators
from graphdb.indicator_store import RevisionConflict
from graphdb.neo4j_store import Neo4jStore
from indicators.model import MeasurementValue, Revision
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def revisions(period: str, count: int, start: int = 1) -> list[Revision]:
    return [
        Revision("ind.count", period, n, "submitted", MeasurementValue(value=float(n)), "ann", T0)
        for n in range(start, start + count)
    ]


@pytest.fixture
def store(fresh_neo4j_store):
    s = fresh_neo4j_store()
    s.save_plan(small_plan(), author="test")
    s.save_indicators(small_indicators(), author="test", now=T0)
    yield s
    s.close()


@pytest.fixture
def driver(neo4j_server):
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth) as d:
        yield d


def test_codes_and_revision_ids_are_unique_by_constraint(store, driver):
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if "UNIQUE" in r["type"]}
    assert {
        ("Indicator", "code"),
        ("IndicatorVersion", "uid"),
        ("MeasurementRevision", "uid"),
    } <= unique


def test_concurrent_appends_with_the_same_count_let_one_through(store, neo4j_server):
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    store.append_revisions(revisions("2027", 1))
    outcomes: list[str] = []

    def append(target: Neo4jStore, period: str) -> None:
        try:
            target.append_revisions(revisions(period, 500), expected_count=1)
            outcomes.append("written")
        except RevisionConflict:
            outcomes.append("conflict")

    with Neo4jStore(neo4j_server.uri, auth=auth, database=store._database) as other:
        threads = [
            threading.Thread(target=append, args=(store, "2028")),
            threading.Thread(target=append, args=(other, "2029")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["conflict", "written"]
    assert store.revision_count() == 501


def test_a_refused_append_over_several_batches_writes_nothing(store, monkeypatch):
    monkeypatch.setattr(neo4j_indicators, "_BATCH", 100)
    store.append_revisions(revisions("2027", 250), expected_count=0)
    assert store.revision_count() == 250
    clash = revisions("2027", 300, start=201)  # the first 50 exist, found in the first batch
    with pytest.raises(RevisionConflict, match="already exists"):
        store.append_revisions(clash)
    late = revisions("2028", 299) + revisions("2027", 1, start=250)  # found in the last one
    with pytest.raises(RevisionConflict, match=r"ind.count\|2027\|250 already exists"):
        store.append_revisions(late)
    assert store.revision_count() == 250
    assert len(store.revision_frame(period="2027")) == 250


# -- large appends: staged in bounded transactions, published by one -----------------------


@pytest.fixture
def staging(store, monkeypatch):
    """The store with appends of more than 150 rows staged, 100 rows per transaction."""
    monkeypatch.setattr(neo4j_indicators, "_BATCH", 100)
    monkeypatch.setattr(type(store), "stage_above_rows", 150)
    return store


def test_a_staged_append_reads_back_like_a_direct_one(staging):
    direct = revisions("2027", 120)
    staged = revisions("2028", 450)
    staging.append_revisions(direct, expected_count=0)
    assert staging.append_revisions(staged, expected_count=120) == 450
    assert staging.revision_count() == 570
    assert staging.staged_revision_count() == 0
    assert staging.measurement_revisions(period="2028") == staged
    assert staging.measurement_revisions(period="2027") == direct
    keys = staging.query("MATCH (r:MeasurementRevision) UNWIND keys(r) AS k RETURN DISTINCT k")
    assert "batch" not in {row[0] for row in keys.rows}, "a revision has its own fields only"


def test_a_refused_staged_append_leaves_nothing(staging):
    staging.append_revisions(revisions("2027", 10))
    with pytest.raises(RevisionConflict, match="were recorded since"):
        staging.append_revisions(revisions("2028", 400), expected_count=0)
    with pytest.raises(RevisionConflict, match="already exists"):
        staging.append_revisions(revisions("2027", 400, start=10))
    assert staging.revision_count() == 10
    assert staging.staged_revision_count() == 0


def test_reads_never_see_a_running_append_and_a_dead_one_is_cleared(staging, monkeypatch):
    seen: list[int] = []
    publish = neo4j_indicators._check_and_lock

    def look_then_publish(tx, uids, expected_count):
        seen.append(staging.revision_count())  # every row is staged by now
        seen.append(staging.staged_revision_count())
        raise KeyboardInterrupt  # the program stops before it publishes

    monkeypatch.setattr(neo4j_indicators, "_check_and_lock", look_then_publish)
    # killed: no cleanup either
    monkeypatch.setattr(type(staging), "_drop_staged", lambda self, batch: None)
    with pytest.raises(KeyboardInterrupt):
        staging.append_revisions(revisions("2027", 300))
    assert seen == [0, 300]
    assert staging.revision_count() == 0 and len(staging.revision_frame()) == 0
    assert staging.query("MATCH (r:MeasurementRevision) RETURN count(r)").scalar() == 0
    monkeypatch.undo()

    monkeypatch.setattr(neo4j_indicators, "_check_and_lock", publish)
    monkeypatch.setattr(type(staging), "stage_above_rows", 150)
    staging.append_revisions(revisions("2028", 200))  # the dead batch is not stale yet
    assert staging.staged_revision_count() == 300
    monkeypatch.setattr(type(staging), "stale_staging_seconds", 0.0)
    staging.append_revisions(revisions("2029", 200))
    assert staging.staged_revision_count() == 0
    assert staging.revision_count() == 400


def test_an_append_larger_than_a_transaction_may_hold(store):
    """60,000 revisions in one transaction exceed the harness server's 256 MB bound per
    transaction; staged, they go in whole."""
    many = [
        Revision(
            f"ind.{n % 7}",
            "2027",
            n,
            "approved",
            MeasurementValue(value=float(n)),
            "importer",
            T0,
            reason="x" * 200,
        )
        for n in range(1, 60_001)
    ]
    assert store.append_revisions(many, expected_count=0) == 60_000
    assert store.revision_count() == 60_000
    assert store.staged_revision_count() == 0
