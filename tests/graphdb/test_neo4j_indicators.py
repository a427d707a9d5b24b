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
