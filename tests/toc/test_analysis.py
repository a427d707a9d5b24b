"""Pathway analysis: pathways, upstream/downstream sets and structural gaps."""

from __future__ import annotations

import pytest

from toc.analysis import (
    Gaps,
    NodeNotFound,
    downstream,
    find_gaps,
    pathway_graph,
    pathways,
    upstream,
)
from toc.errors import PlanError
from toc.model import Edge, Node, Plan, Text

T = Text("x", "x")


def node(kind: str, node_id: str, **props) -> Node:
    return Node(kind, node_id, T, props=props)


def contrib(source: str, target: str) -> Edge:
    return Edge("CONTRIBUTES_TO", source, target)


def aligns(source: str, target: str, priority: str = "primary") -> Edge:
    return Edge("ALIGNS_WITH", source, target, {"priority": priority})


def diamond() -> Plan:
    """s -> {oz, oa} -> so1 -> sdg5: two pathways through different objectives.

    The objective ids sort in the other order than they were added, to check sorting.
    """
    nodes = [
        node("Strategy", "s"),
        node("Objective", "oz", number=1),
        node("Objective", "oa", number=2),
        node("StrategicObjective", "so1", number=1),
        node("SDG", "sdg5", number=5),
    ]
    edges = [contrib("s", "oz"), contrib("s", "oa"), contrib("oz", "so1"), contrib("oa", "so1")]
    return Plan.of(nodes, [*edges, aligns("so1", "sdg5")])


def wide_diamond() -> Plan:
    """s -> o1 -> so1 -> sdg5 and s -> o2 -> so2 -> sdg5, and s -> so2 directly."""
    nodes = [
        node("Strategy", "s"),
        node("Objective", "o1", number=1),
        node("Objective", "o2", number=1),
        node("StrategicObjective", "so1", number=1),
        node("StrategicObjective", "so2", number=2),
        node("SDG", "sdg5", number=5),
    ]
    edges = [
        contrib("s", "o1"),
        contrib("s", "o2"),
        contrib("s", "so2"),
        contrib("o1", "so1"),
        contrib("o2", "so2"),
        aligns("so1", "sdg5"),
        aligns("so2", "sdg5", "secondary"),
    ]
    return Plan.of(nodes, edges)


# Pathways


def test_pathways_to_every_endpoint(plan):
    assert pathways(plan, "s1") == [["s1", "so1.o1", "so1"], ["s1", "so1.o1", "so1", "sdg16"]]
    assert pathways(plan, "s2") == [["s2", "so1.o2", "so1"], ["s2", "so1.o2", "so1", "sdg16"]]


def test_pathways_from_an_objective(plan):
    assert pathways(plan, "so1.o1") == [["so1.o1", "so1"], ["so1.o1", "so1", "sdg16"]]
    assert pathways(plan, "so1") == [["so1", "sdg16"]]


def test_pathways_to_a_given_target(plan):
    assert pathways(plan, "s1", "sdg16") == [["s1", "so1.o1", "so1", "sdg16"]]
    assert pathways(plan, "s1", "so1") == [["s1", "so1.o1", "so1"]]


def test_pathways_to_a_target_that_is_not_an_endpoint(plan):
    assert pathways(plan, "s1", "so1.o1") == [["s1", "so1.o1"]]


@pytest.mark.parametrize(
    "source, target",
    [
        ("s1", "so1.o2"),  # a sibling objective
        ("s1", "sdg11"),  # only the plan itself aligns with SDG 11
        ("so1", "s1"),  # against the direction of the links
        ("s1", "r1"),  # PERFORMED_THROUGH is not a pathway link
        ("enabel", "so1"),  # nor is PARTNERS_IN
    ],
)
def test_no_pathway(plan, source, target):
    assert pathways(plan, source, target) == []


@pytest.mark.parametrize("source", ["sdg16", "sdg11", "r1", "a1", "be"])
def test_nodes_with_no_pathway_upward(plan, source):
    assert pathways(plan, source) == []


def test_pathways_from_the_plan_node(plan):
    assert pathways(plan, "p") == [["p", "sdg11"]]


def test_diamond_has_two_pathways_through_different_objectives():
    plan = diamond()
    assert pathways(plan, "s", "so1") == [["s", "oa", "so1"], ["s", "oz", "so1"]]
    assert pathways(plan, "s") == [
        ["s", "oa", "so1"],
        ["s", "oz", "so1"],
        ["s", "oa", "so1", "sdg5"],
        ["s", "oz", "so1", "sdg5"],
    ]


def test_pathways_are_sorted_by_length_then_ids():
    assert pathways(wide_diamond(), "s") == [
        ["s", "so2"],
        ["s", "o1", "so1"],
        ["s", "o2", "so2"],
        ["s", "so2", "sdg5"],
        ["s", "o1", "so1", "sdg5"],
        ["s", "o2", "so2", "sdg5"],
    ]
    assert pathways(wide_diamond(), "s", "sdg5") == [
        ["s", "so2", "sdg5"],
        ["s", "o1", "so1", "sdg5"],
        ["s", "o2", "so2", "sdg5"],
    ]


def test_pathways_through_outputs_and_outcomes():
    nodes = [
        node("Strategy", "s"),
        node("Output", "out"),
        node("Outcome", "oc"),
        node("Objective", "o", number=1),
        node("StrategicObjective", "so", number=1),
        node("SDGTarget", "t16.6", code="16.6"),
    ]
    edges = [contrib("s", "out"), contrib("out", "oc"), contrib("oc", "o"), contrib("o", "so")]
    plan = Plan.of(nodes, [*edges, aligns("oc", "t16.6")])
    assert pathways(plan, "s") == [
        ["s", "out", "oc", "t16.6"],
        ["s", "out", "oc", "o", "so"],
    ]


# Upstream and downstream


def test_upstream(plan):
    assert upstream(plan, "so1") == {"s1", "s2", "so1.o1", "so1.o2"}
    assert upstream(plan, "sdg16") == {"s1", "s2", "so1.o1", "so1.o2", "so1"}
    assert upstream(plan, "so1.o1") == {"s1"}
    assert upstream(plan, "sdg11") == {"p"}


def test_downstream(plan):
    assert downstream(plan, "s1") == {"so1.o1", "so1", "sdg16"}
    assert downstream(plan, "so1.o2") == {"so1", "sdg16"}
    assert downstream(plan, "p") == {"sdg11"}


@pytest.mark.parametrize("node_id", ["s1", "r1", "be", "enabel", "a1"])
def test_nothing_upstream_of_strategies_and_non_causal_nodes(plan, node_id):
    assert upstream(plan, node_id) == set()


@pytest.mark.parametrize("node_id", ["sdg16", "sdg11", "r1", "be", "enabel", "a1"])
def test_nothing_downstream_of_sdgs_and_non_causal_nodes(plan, node_id):
    assert downstream(plan, node_id) == set()


def test_upstream_and_downstream_of_a_diamond():
    plan = diamond()
    assert upstream(plan, "sdg5") == {"s", "oa", "oz", "so1"}
    assert downstream(plan, "s") == {"oa", "oz", "so1", "sdg5"}
    assert upstream(plan, "oa") == {"s"}


def test_pathway_graph_keeps_only_pathway_links(plan):
    g = pathway_graph(plan)
    assert set(g.nodes) == {n.id for n in plan.nodes}
    assert sorted(g.edges) == [
        ("p", "sdg11"),
        ("s1", "so1.o1"),
        ("s2", "so1.o2"),
        ("so1", "sdg16"),
        ("so1.o1", "so1"),
        ("so1.o2", "so1"),
    ]
    assert g.nodes["s1"]["kind"] == "Strategy"
    assert g.edges["so1", "sdg16"]["kind"] == "ALIGNS_WITH"


# Unknown ids


@pytest.mark.parametrize(
    "call",
    [
        lambda p: pathways(p, "nope"),
        lambda p: pathways(p, "s1", "nope"),
        lambda p: upstream(p, "nope"),
        lambda p: downstream(p, "nope"),
    ],
    ids=["pathways-source", "pathways-target", "upstream", "downstream"],
)
def test_unknown_id_raises_node_not_found(plan, call):
    with pytest.raises(NodeNotFound) as e:
        call(plan)
    assert str(e.value) == "no node with id 'nope' in the plan"
    assert e.value.node_id == "nope"
    assert isinstance(e.value, PlanError)


def test_unknown_source_is_reported_before_unknown_target(plan):
    with pytest.raises(NodeNotFound, match="'first'"):
        pathways(plan, "first", "second")


# Gaps


def test_small_plan_gaps(plan):
    # Only the Plan node aligns with SDG 11; assumption a1 is attached to a link, not isolated.
    assert find_gaps(plan) == Gaps(sdgs_without_objective=["sdg11"])


def test_clean_plan_has_no_gaps(plan):
    clean = Plan.of(plan.nodes, [*plan.edges, aligns("so1.o2", "sdg11", "secondary")])
    gaps = find_gaps(clean)
    assert not gaps
    assert gaps == Gaps()


def test_every_kind_of_gap():
    nodes = [
        Node("Plan", "p", T, props={
            "organisation": "Org", "start_year": 2027, "end_year": 2036, "currency": "EUR"}),
        node("Strategy", "s1"),
        node("Strategy", "s_idle"),  # works in a country but contributes to nothing
        node("Objective", "so1.o1", number=1),
        node("Objective", "so1.o2", number=2),  # reached, but feeds no strategic objective
        node("Objective", "so2.o1", number=1),  # feeds so2, but no strategy reaches it
        node("StrategicObjective", "so1", number=1),
        node("StrategicObjective", "so2", number=2),
        node("SDG", "sdg5", number=5),  # only a strategy aligns with it
        node("SDG", "sdg13", number=13),  # nothing at all
        node("SDG", "sdg16", number=16),
        node("Country", "be", iso2="BE"),
        node("Role", "r1"),  # isolated
        node("Assumption", "a_unused"),  # isolated: no link relies on it
    ]  # fmt: skip
    edges = [
        contrib("s1", "so1.o1"),
        contrib("s1", "so1.o2"),
        contrib("so1.o1", "so1"),
        contrib("so2.o1", "so2"),
        aligns("so1", "sdg16"),
        aligns("s1", "sdg5"),
        Edge("WORKS_IN", "s_idle", "be"),
    ]
    gaps = find_gaps(Plan.of(nodes, edges))
    assert gaps == Gaps(
        objectives_without_strategy=["so2", "so2.o1"],
        objectives_not_contributing=["so1.o2"],
        strategies_without_objective=["s_idle"],
        sdgs_without_objective=["sdg13", "sdg5"],
        isolated_nodes=["a_unused", "r1", "sdg13"],
    )
    assert gaps
    assert [name for name, _ in gaps.items()] == [
        "objectives_without_strategy",
        "objectives_not_contributing",
        "strategies_without_objective",
        "sdgs_without_objective",
        "objectives_without_indicators",
        "isolated_nodes",
    ]


def test_objective_contributing_through_another_objective_is_not_a_gap():
    nodes = [
        node("Strategy", "s"),
        node("Objective", "o1", number=1),
        node("Objective", "o2", number=2),
        node("StrategicObjective", "so", number=1),
        node("SDG", "sdg1", number=1),
    ]
    edges = [contrib("s", "o1"), contrib("o1", "o2"), contrib("o2", "so"), aligns("o1", "sdg1")]
    assert find_gaps(Plan.of(nodes, edges)) == Gaps()


def test_sdg_aligned_from_an_output_or_outcome_is_not_a_gap():
    nodes = [
        node("Strategy", "s"),
        node("Output", "out"),
        node("Outcome", "oc"),
        node("StrategicObjective", "so", number=1),
        node("SDG", "sdg1", number=1),
        node("SDG", "sdg2", number=2),
    ]
    edges = [contrib("s", "out"), contrib("out", "oc"), contrib("oc", "so")]
    edges += [aligns("out", "sdg1"), aligns("oc", "sdg2")]
    assert find_gaps(Plan.of(nodes, edges)) == Gaps()


def test_gaps_of_a_diamond():
    assert find_gaps(diamond()) == Gaps()


# Empty and tiny plans


def test_empty_plan_has_no_gaps():
    gaps = find_gaps(Plan.of([], []))
    assert gaps == Gaps()
    assert not gaps


def test_plan_node_alone_is_not_isolated():
    props = {"organisation": "Org", "start_year": 2027, "end_year": 2036, "currency": "EUR"}
    root = Node("Plan", "p", T, props=props)
    assert find_gaps(Plan.of([root], [])) == Gaps()


def test_lone_strategy():
    plan = Plan.of([node("Strategy", "s")], [])
    assert pathways(plan, "s") == []
    assert upstream(plan, "s") == set()
    assert downstream(plan, "s") == set()
    assert find_gaps(plan) == Gaps(strategies_without_objective=["s"], isolated_nodes=["s"])


def test_lone_objective():
    plan = Plan.of([node("Objective", "o", number=1)], [])
    assert find_gaps(plan) == Gaps(
        objectives_without_strategy=["o"],
        objectives_not_contributing=["o"],
        isolated_nodes=["o"],
    )


def test_empty_plan_has_no_nodes_to_analyse():
    empty = Plan.of([], [])
    with pytest.raises(NodeNotFound):
        pathways(empty, "s1")
    with pytest.raises(NodeNotFound):
        upstream(empty, "s1")
    with pytest.raises(NodeNotFound):
        downstream(empty, "s1")


def test_objectives_without_indicators_need_to_know_the_indicators(plan):
    assert find_gaps(plan).objectives_without_indicators == []  # not known: not claimed
    gaps = find_gaps(plan, measured={"so1.o1", "s1"})
    assert gaps.objectives_without_indicators == ["so1", "so1.o2"]
    assert find_gaps(plan, measured=set()).objectives_without_indicators == [
        "so1",
        "so1.o1",
        "so1.o2",
    ]


def test_plan_data_is_never_an_isolated_node(plan):
    figures = [
        node("Funding", "f.total", year=2024, amount=5.0, row="total"),
        node("BudgetLine", "b.total", category="total", year=2027, amount=5.0),
        node("GoverningBody", "gov.board", body_type="governance"),
        node("StaffFigure", "staff.team", scope="team", people=7),
        node("RevenueShare", "rev.fees", revenue_source="membership_fees", share=100.0),
        node("Claim", "claim.x", measure="administration_cost_share", direction="falls"),
    ]
    with_figures = Plan.of([*plan.nodes, *figures, node("Role", "r_alone")], plan.edges)
    assert find_gaps(with_figures).isolated_nodes == ["r_alone"]
