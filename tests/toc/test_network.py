"""Network analysis: reach, single points of failure, objectives reached by one strategy."""

from __future__ import annotations

from tests.conftest import VVSG_PLAN
from toc.model import Edge, Node, Plan, Text
from toc.network import single_points_of_failure, single_strategy_objectives, strategy_reach
from toc.planfile import load


def _plan(nodes: dict[str, str], links: list[tuple[str, str]]) -> Plan:
    built = [
        Node(kind, i, Text(en=i), props={"number": 1} if "Objective" in kind else {})
        for i, kind in nodes.items()
    ]
    return Plan.of(built, [Edge("CONTRIBUTES_TO", s, t) for s, t in links])


DIAMOND = _plan(
    {"s1": "Strategy", "s2": "Strategy", "o1": "Objective", "o2": "Objective",
     "o3": "Objective", "so1": "StrategicObjective"},
    [("s1", "o1"), ("s2", "o2"), ("o1", "so1"), ("o2", "so1"), ("s1", "o3")],
)  # fmt: skip


def test_empty_plan():
    empty = Plan.of([], [])
    assert strategy_reach(empty) == {}
    assert single_points_of_failure(empty) == {}
    assert single_strategy_objectives(empty) == {}


def test_reach_is_sorted_by_breadth():
    assert strategy_reach(DIAMOND) == {"s1": ["o1", "o3", "so1"], "s2": ["o2", "so1"]}


def test_two_independent_pathways_have_no_single_point_of_failure():
    assert "so1" not in single_points_of_failure(DIAMOND)


def test_a_bottleneck_is_a_single_point_of_failure():
    chain = _plan(
        {"s1": "Strategy", "s2": "Strategy", "o1": "Objective", "o2": "Objective",
         "so1": "StrategicObjective"},
        [("s1", "o1"), ("s2", "o1"), ("o1", "o2"), ("o2", "so1")],
    )  # fmt: skip
    assert single_points_of_failure(chain) == {"o2": ["o1"], "so1": ["o1", "o2"]}


def test_unreached_objectives_are_left_out():
    plan = _plan({"s1": "Strategy", "o1": "Objective", "o2": "Objective"}, [("s1", "o1")])
    assert single_points_of_failure(plan) == {}
    assert single_strategy_objectives(plan) == {"o1": "s1"}


def test_single_strategy_objectives():
    assert single_strategy_objectives(DIAMOND) == {"o1": "s1", "o2": "s2", "o3": "s1"}


def test_vvsg_plan():
    plan = load(VVSG_PLAN)
    reach = strategy_reach(plan)
    assert len(reach) == 7
    assert all(objectives for objectives in reach.values()), "every strategy feeds something"
    single = single_strategy_objectives(plan)
    assert all(plan.node(s).kind == "Strategy" for s in single.values())
    assert "so3" in single  # SO3 is reached only through the umbrella-associations strategy
