"""Property tests: random plans survive files and stores unchanged; broken ones change nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import BACKENDS, new_store
from tests.strategies import invalid_plans, valid_plans
from toc.errors import PlanInvalid
from toc.planfile import dumps, loads
from toc.validate import validate

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(valid_plans())
def test_random_valid_plans_are_valid(plan):
    assert [i for i in validate(plan) if i.level == "error"] == []


@SETTINGS
@given(valid_plans())
def test_yaml_round_trip(plan):
    text = dumps(plan)
    assert loads(text) == plan
    assert dumps(loads(text)) == text


@pytest.fixture(scope="module", params=BACKENDS)
def shared_store(request, tmp_path_factory):
    """One store per engine for the module: examples replace each other's plans."""
    s = new_store(request, request.param, tmp_path_factory.mktemp("props"))
    yield s
    s.close()


@SETTINGS
@given(valid_plans())
def test_store_round_trip(shared_store, plan):
    """Each example replaces the previous one, so updates and deletions are exercised too."""
    shared_store.save_plan(plan)
    assert shared_store.load_plan() == plan


@SETTINGS
@given(invalid_plans())
def test_invalid_plans_are_rejected_and_change_nothing(shared_store, plan):
    before = shared_store.load_plan()
    version = shared_store.plan_version()
    with pytest.raises(PlanInvalid):
        shared_store.save_plan(plan)
    assert shared_store.plan_version() == version
    assert shared_store.load_plan() == before


@SETTINGS
@given(invalid_plans())
def test_invalid_plan_files_are_rejected(plan):
    with pytest.raises(PlanInvalid):
        loads(dumps(plan))
