"""Network analysis of a theory of change: where the pathways are broad, and where they are thin.

Three questions evaluators ask of the structure itself, before any indicator:

- which strategies feed the most objectives (:func:`strategy_reach`);
- which nodes every pathway to an objective must pass through, so that if they fail the
  objective is cut off from all strategies (:func:`single_points_of_failure`);
- which objectives are reached by only one strategy (:func:`single_strategy_objectives`).

Precondition: CONTRIBUTES_TO has no cycle (validated plans never do).

>>> from toc.model import Edge, Node, Plan, Text
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text(en="S1")), Node("Strategy", "s2", Text(en="S2")),
...      Node("Objective", "o1", Text(en="O1"), props={"number": 1}),
...      Node("StrategicObjective", "so1", Text(en="SO1"), props={"number": 1})],
...     [Edge("CONTRIBUTES_TO", "s1", "o1"), Edge("CONTRIBUTES_TO", "s2", "o1"),
...      Edge("CONTRIBUTES_TO", "o1", "so1")])
>>> strategy_reach(plan)
{'s1': ['o1', 'so1'], 's2': ['o1', 'so1']}
>>> single_points_of_failure(plan)
{'so1': ['o1']}
"""

from __future__ import annotations

import networkx as nx

from toc.graph import causal_graph
from toc.model import Plan

__all__ = ["single_points_of_failure", "single_strategy_objectives", "strategy_reach"]

_OBJECTIVE_KINDS = ("Objective", "StrategicObjective", "Outcome", "Output")
_TARGET_KINDS = ("Objective", "StrategicObjective")
_SOURCE = ("__all_strategies__",)  # a tuple: never equal to a node id, which is a string


def _strategies(g: nx.DiGraph) -> list[str]:
    return sorted(n for n, kind in g.nodes(data="kind") if kind == "Strategy")


def strategy_reach(plan: Plan) -> dict[str, list[str]]:
    """For each strategy, the objectives (5-year and strategic) it feeds, sorted; strategies
    ordered by how many they feed, most first, then by id."""
    g = causal_graph(plan)
    reach = {
        s: sorted(d for d in nx.descendants(g, s) if g.nodes[d]["kind"] in _TARGET_KINDS)
        for s in _strategies(g)
    }
    return dict(sorted(reach.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def single_points_of_failure(plan: Plan) -> dict[str, list[str]]:
    """For each objective reached by some strategy, the nodes that lie on *every* pathway
    from every strategy to it (its dominators, strategies and itself excluded).

    A strategy that alone reaches an objective is reported by
    :func:`single_strategy_objectives` instead. Objectives with no such node are left out.
    """
    g = causal_graph(plan)
    strategies = _strategies(g)
    if not strategies:
        return {}
    h = g.copy()
    h.add_edges_from((_SOURCE, s) for s in strategies)
    idom = nx.immediate_dominators(h, _SOURCE)
    out: dict[str, list[str]] = {}
    for node, kind in g.nodes(data="kind"):
        if kind not in _TARGET_KINDS or node not in idom:
            continue
        chain, current = [], idom[node]
        while current != _SOURCE:
            if g.nodes[current]["kind"] != "Strategy":
                chain.append(current)
            current = idom[current]
        if chain:
            out[node] = sorted(chain)
    return dict(sorted(out.items()))


def single_strategy_objectives(plan: Plan) -> dict[str, str]:
    """Objectives (5-year and strategic) that exactly one strategy reaches: objective -> that
    strategy."""
    g = causal_graph(plan)
    out = {}
    for node, kind in g.nodes(data="kind"):
        if kind not in _TARGET_KINDS:
            continue
        feeding = [a for a in nx.ancestors(g, node) if g.nodes[a]["kind"] == "Strategy"]
        if len(feeding) == 1:
            out[node] = feeding[0]
    return dict(sorted(out.items()))
