"""A plan's edge index (edges from, to and assuming a node) agrees with a scan of its edges."""

from __future__ import annotations

import networkx as nx
import pytest

from bench.synthetic import synthetic_plan
from toc.analysis import pathway_graph
from toc.model import Edge, Node, Plan, Text
from toc.planfile import load


@pytest.fixture(scope="module", params=["vvsg", "synthetic"])
def plan(request) -> Plan:
    if request.param == "vvsg":
        return load("examples/vvsg-2027-2036.yaml")
    return synthetic_plan(300, 900, seed=4)


def test_edges_from_to_and_assuming_are_the_edges_a_scan_finds(plan):
    for node in plan.nodes:
        assert plan.edges_from(node.id) == tuple(e for e in plan.edges if e.source == node.id)
        assert plan.edges_to(node.id) == tuple(e for e in plan.edges if e.target == node.id)
        assert plan.edges_assuming(node.id) == tuple(
            e for e in plan.edges if node.id in e.props.get("assumptions", ())
        )
    assert plan.edges_from("no-such-node") == plan.edges_to("no-such-node") == ()


def test_an_assumption_named_twice_on_one_link_lists_the_link_once():
    nodes = [Node("Strategy", "a", Text(en="A")), Node("Objective", "b", Text(en="B")),
             Node("Assumption", "x", Text(en="X"))]  # fmt: skip
    edge = Edge("CONTRIBUTES_TO", "a", "b", {"assumptions": ["x", "x"]})
    assert Plan.of(nodes, [edge]).edges_assuming("x") == (edge,)


def test_the_pathway_graph_is_shared_and_cannot_be_changed(plan):
    g = pathway_graph(plan)
    assert pathway_graph(plan) is g
    with pytest.raises(nx.NetworkXError):
        g.add_edge("a", "b")
    assert pathway_graph(Plan.of(plan.nodes, plan.edges)) is not g  # another plan object
