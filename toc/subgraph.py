"""The part of a plan that connects a set of nodes: everything on a directed path from one of
them to another, so that a drawing of the set shows how its members are linked instead of
loose boxes.

Every link of the plan counts, in its own direction (a partner ``PARTNERS_IN`` a strategy, a
strategy ``CONTRIBUTES_TO`` an objective, an objective ``ALIGNS_WITH`` an SDG, ...), so that
partners and SDGs named by a query are joined through the strategies and objectives between
them. Preconditions: node ids not in the plan are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from toc.model import Plan

__all__ = ["connecting_nodes"]


def connecting_nodes(plan: Plan, ids: Iterable[str]) -> set[str]:
    """``ids`` (those in the plan) and every node on a directed path between two of them.

    A node is kept when it is reachable from one member and leads to another, so a member
    that is linked to no other member stays alone.

    Examples
    --------
    >>> from toc.model import Edge, Node, Plan, Text
    >>> t = Text("x", "x")
    >>> plan = Plan.of([Node("Partner", "p", t), Node("Strategy", "s", t),
    ...                 Node("Objective", "o", t), Node("SDG", "g", t),
    ...                 Node("Strategy", "other", t)],
    ...                [Edge("PARTNERS_IN", "p", "s"), Edge("CONTRIBUTES_TO", "s", "o"),
    ...                 Edge("ALIGNS_WITH", "o", "g"), Edge("CONTRIBUTES_TO", "other", "o")])
    >>> sorted(connecting_nodes(plan, ["p", "g"]))
    ['g', 'o', 'p', 's']
    >>> sorted(connecting_nodes(plan, ["g"]))
    ['g']
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in plan.nodes)
    graph.add_edges_from((e.source, e.target) for e in plan.edges)
    members = {i for i in ids if i in graph}
    reached: set[str] = set()
    leads: set[str] = set()
    for member in members:
        reached |= nx.descendants(graph, member)
        leads |= nx.ancestors(graph, member)
    return members | (reached & leads)
