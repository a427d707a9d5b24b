"""The store's unit of work, on both engines: every write inside is one transaction, committed
at the end or rolled back all of it; nested units join the outer one; on Neo4j, a unit is
its thread's own (another thread's writes are not in it)."""

from __future__ import annotations

import threading

import pytest

from indicators.model import MeasurementValue, Revision
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from toc.model import Node, Plan, Text


def _bigger() -> Plan:
    plan = small_plan()
    return Plan.of([*plan.nodes, Node("Strategy", "s9", Text("Strategie 9", "Strategy 9"))],
                   plan.edges)  # fmt: skip


def _value(period: str) -> Revision:
    code = small_indicators()[0].code
    return Revision(code, period, 1, "approved", MeasurementValue(value=3.0), author="t",
                    recorded_at=T0)  # fmt: skip


@pytest.fixture
def loaded(store):
    store.save_plan(small_plan(), author="t")
    store.save_indicators(small_indicators(), author="t")
    return store


def test_everything_inside_commits_together(loaded):
    with loaded.unit_of_work():
        loaded.save_plan(_bigger(), author="t")
        loaded.append_revisions([_value("2028")])
        with loaded.unit_of_work():  # joins the outer unit
            loaded.append_revisions([_value("2029")])
    assert loaded.plan_version() == 2
    assert loaded.revision_count() == 2


def test_a_failure_inside_rolls_back_every_write(loaded):
    with pytest.raises(RuntimeError, match="stop"), loaded.unit_of_work():
        loaded.save_plan(_bigger(), author="t")
        loaded.append_revisions([_value("2028")])
        raise RuntimeError("stop")
    assert loaded.plan_version() == 1
    assert loaded.get_node("s9") is None
    assert loaded.revision_count() == 0
    assert [r.version for r in loaded.revisions()] == [1]


@pytest.mark.parametrize("store", ["neo4j"], indirect=True)
def test_on_neo4j_another_threads_writes_are_not_in_the_unit(loaded):
    inside, release, done = threading.Event(), threading.Event(), threading.Event()

    def import_that_fails() -> None:
        try:
            with loaded.unit_of_work():
                loaded.save_plan(_bigger(), author="t")
                inside.set()
                release.wait(10)
                raise RuntimeError("the import fails")
        except RuntimeError:
            pass

    def other_user() -> None:
        loaded.append_revisions([_value("2028")])
        done.set()

    first = threading.Thread(target=import_that_fails)
    first.start()
    try:
        assert inside.wait(10)
        second = threading.Thread(target=other_user)
        second.start()
        assert done.wait(10), "the other thread writes in its own transaction, not waiting"
        second.join(10)
    finally:
        release.set()
        first.join(10)
    assert loaded.plan_version() == 1, "the failed unit left nothing"
    assert loaded.revision_count() == 1, "the other thread's write is committed on its own"
