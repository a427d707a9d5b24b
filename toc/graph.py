"""The plan as a networkx graph: the common input of every analysis."""

from __future__ import annotations

import networkx as nx

from toc.model import Plan

__all__ = ["causal_graph", "plan_to_networkx"]


def plan_to_networkx(plan: Plan) -> nx.MultiDiGraph:
    """A networkx view of a plan (shared by stores and the analysis code)."""
    g = nx.MultiDiGraph()
    for n in plan.nodes:
        g.add_node(n.id, kind=n.kind, node=n)
    for e in plan.edges:
        g.add_edge(e.source, e.target, key=e.kind, kind=e.kind, edge=e)
    return g


def causal_graph(plan: Plan) -> nx.DiGraph:
    """Only the CONTRIBUTES_TO links, as a simple directed graph over every causal node."""
    from toc.kinds import CAUSAL_KINDS

    g = nx.DiGraph()
    g.add_nodes_from(
        (n.id, {"kind": n.kind, "node": n}) for n in plan.nodes if n.kind in CAUSAL_KINDS
    )
    g.add_edges_from(
        (e.source, e.target, {"edge": e}) for e in plan.edges if e.kind == "CONTRIBUTES_TO"
    )
    return g
