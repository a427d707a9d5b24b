"""The causal index: link kinds, topological order, pathway counts, links on pathways."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings

from tests.toc.learning_plans import contrib, dags, ladder, node
from toc.causal import (
    CAUSAL_LINK_KINDS,
    Link,
    ancestors,
    causal_index,
    pathway_counts,
    pathway_links,
)
from toc.errors import PlanError
from toc.model import Plan


def test_contributes_to_is_the_only_causal_link_kind():
    assert CAUSAL_LINK_KINDS == ("CONTRIBUTES_TO",)


def test_the_order_puts_every_node_after_its_parents():
    index = causal_index(ladder())
    position = {n: i for i, n in enumerate(index.order)}
    assert set(index.order) == {"s1", "s2", "o1", "o2", "o3", "so"}
    for link in index.links:
        assert position[link.source] < position[link.target]
    assert index.strategies == ("s1", "s2")


def test_pathway_counts_of_the_ladder():
    counts = pathway_counts(causal_index(ladder()))
    assert counts == {"s1": 1, "s2": 1, "o1": 2, "o2": 1, "o3": 0, "so": 4}


def test_a_disabled_node_carries_no_pathway():
    index = causal_index(ladder())
    assert pathway_counts(index, {"s2"})["so"] == 2
    assert pathway_counts(index, {"o1"}) == {"s1": 1, "s2": 1, "o1": 0, "o2": 1, "o3": 0, "so": 2}
    assert pathway_counts(index, {"s1", "s2"})["so"] == 0


def test_counts_are_exact_however_many_pathways():
    """100 layers of two nodes, each linked to both above: 2**100 pathways, counted in a blink."""
    nodes = [node("Strategy", "a0"), node("Strategy", "b0")]
    edges = []
    for level in range(1, 101):
        nodes += [node("Output", f"a{level}"), node("Output", f"b{level}")]
        for low in ("a", "b"):
            for high in ("a", "b"):
                edges.append(contrib(f"{low}{level - 1}", f"{high}{level}"))
    counts = pathway_counts(causal_index(Plan.of(nodes, edges)))
    assert counts["a100"] == 2**100


def test_a_cycle_is_refused():
    plan = Plan.of(
        [node("Output", "x"), node("Outcome", "y"), node("Strategy", "s")],
        [contrib("x", "y"), contrib("y", "x"), contrib("s", "x")],
    )
    with pytest.raises(PlanError, match="cycle through x, y"):
        causal_index(plan)


def test_an_empty_plan():
    index = causal_index(Plan.of([], []))
    assert pathway_counts(index) == {} and index.order == () and index.links == {}


def test_ancestors_and_pathway_links():
    index = causal_index(ladder())
    assert ancestors(index, "so") == {"s1", "s2", "o1", "o2", "o3"}
    assert ancestors(index, "s1") == set()
    # o3 -> so is not on a pathway: no strategy reaches o3.
    assert pathway_links(index, "so") == [
        Link("s1", "o1"),
        Link("s2", "o1"),
        Link("s2", "o2"),
        Link("o1", "so"),
        Link("o2", "so"),
        Link("s1", "so"),
    ]
    assert pathway_links(index, "o2") == [Link("s2", "o2")]
    assert pathway_links(index, "o3") == []


@settings(max_examples=150, deadline=None)
@given(dags())
def test_counts_equal_the_number_of_simple_paths_from_strategies(plan):
    index = causal_index(plan)
    g = nx.DiGraph([(link.source, link.target) for link in index.links])
    g.add_nodes_from(index.kinds)
    counts = pathway_counts(index)
    for target in index.kinds:
        expected = sum(
            1 if s == target else len(list(nx.all_simple_paths(g, s, target)))
            for s in index.strategies
        )
        assert counts[target] == expected


def test_the_index_is_kept_while_its_plan_lives():
    import gc

    from toc import causal

    plan = ladder()
    assert causal_index(plan) is causal_index(plan)
    twin = Plan(plan.nodes, plan.edges)  # equal, but another object: indexed anew
    assert causal_index(twin) is not causal_index(plan)
    assert causal_index(twin).order == causal_index(plan).order
    key = id(twin)
    del twin
    gc.collect()
    assert key not in causal._CACHE


@given(dags())
def test_the_links_at_a_node_are_those_that_touch_it_in_plan_order(plan):
    index = causal_index(plan)
    for node_id in index.kinds:
        touching = [link for link in index.links if node_id in (link.source, link.target)]
        assert index.links_at.get(node_id, []) == touching
