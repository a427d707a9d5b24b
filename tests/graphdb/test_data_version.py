"""The store's data version grows with every write of each part, on both engines, and a plan
save based on an older version than the stored one writes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphdb.errors import PlanSavedMeanwhile
from graphdb.store import DataVersion, StoreError
from indicators.model import IndicatorType, MeasurementValue
from indicators.workflow import Action, apply_step
from tests.conftest import REPO, VVSG_PLAN
from toc.errors import PlanConflict
from toc.learning_file import load_learning
from toc.model import Plan, Text
from toc.planfile import load


def _retitled(plan: Plan, node_id: str) -> Plan:
    nodes = [replace(n, title=Text("Nieuw", "New")) if n.id == node_id else n for n in plan.nodes]
    return Plan.of(nodes, list(plan.edges))


def test_each_write_moves_its_part_of_the_version(store):
    from indicators import catalog

    assert store.data_version() == DataVersion(0, 0, 0, 0)
    store.save_plan(load(VVSG_PLAN), author="t")
    assert store.data_version() == DataVersion(1, 0, 0, 0)
    catalog.load_definitions(store, REPO / "examples" / "vvsg-indicators.yaml", author="t")
    after_definitions = store.data_version()
    assert after_definitions.plan == 1 and after_definitions.definitions > 0
    code = next(i.code for i in store.indicators() if i.type is IndicatorType.NUMBER)
    apply_step(store, code, "2028", Action.SUBMIT, author="ana", role="me_officer",
               value=MeasurementValue(value=3.0))  # fmt: skip
    assert store.data_version() == after_definitions._replace(revisions=1)
    assert store.revision_count(status="approved") == 0
    apply_step(store, code, "2028", Action.APPROVE, author="bo", role="me_officer")
    assert store.revision_count(status="approved") == 1 == store.revision_count() - 1
    evidence, outcomes = load_learning(REPO / "examples" / "vvsg-evidence-illustrative.yaml")
    store.add_learning(evidence, outcomes, author="t")
    learned = len(store.learning_log())
    assert learned > 0
    assert store.data_version() == DataVersion(1, after_definitions.definitions, 2, learned)


def test_a_save_based_on_an_older_version_writes_nothing(store, plan):
    store.save_plan(plan, author="a")
    version, read = store.versioned_plan()
    assert (version, read) == (1, plan)
    first = _retitled(plan, "s1")
    store.save_plan(first, author="a", based_on=version)  # someone else, from the same read
    second = _retitled(plan, "s2")
    with pytest.raises(PlanSavedMeanwhile) as caught:
        store.save_plan(second, author="b", based_on=version)
    assert isinstance(caught.value, PlanConflict) and isinstance(caught.value, StoreError)
    assert caught.value.stored == 2
    assert store.load_plan() == first and store.plan_version() == 2
