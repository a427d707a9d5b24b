"""Which partners, partnerships and countries an indicator concerns: the scope a contributor
must share with it to submit values for it (pure, over the plan).

An indicator concerns the nodes it measures and everything that contributes to them. Its
partners are those helping with any of these nodes (``PARTNERS_IN``); its partnerships those
its partners take part in (``PARTICIPATES_IN``); its countries those where these partners,
partnerships or the contributing strategies work (``WORKS_IN``).

>>> from toc.model import Edge, Node, Plan, Text
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text(en="S")), Node("Objective", "o1", Text(en="O")),
...      Node("Partner", "p1", Text(en="P")), Node("Country", "bj", Text(en="Benin"))],
...     [Edge("CONTRIBUTES_TO", "s1", "o1"), Edge("PARTNERS_IN", "p1", "s1"),
...      Edge("WORKS_IN", "p1", "bj")])
>>> sorted(concerned(plan, ["o1"]))
['bj', 'p1']
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from toc.analysis import pathway_graph
from toc.model import Plan
from web.memo import per_plan

__all__ = ["concerned"]


def concerned(plan: Plan, measured: Iterable[str]) -> set[str]:
    """Ids of the partners, partnerships and countries concerned by the nodes ``measured``
    (computed once per plan and set of nodes)."""
    measured = tuple(sorted(set(measured)))
    return set(per_plan(plan, ("concerned", measured), lambda: _concerned(plan, measured)))


def _concerned(plan: Plan, measured: tuple[str, ...]) -> frozenset[str]:
    g = per_plan(plan, "pathway_graph", lambda: pathway_graph(plan))
    nodes: set[str] = set()
    for node_id in measured:
        if node_id in g:
            nodes |= {node_id} | nx.ancestors(g, node_id)
    partners = {e.source for n in nodes for e in plan.edges_to(n) if e.kind == "PARTNERS_IN"}
    partnerships = {
        e.target for p in partners for e in plan.edges_from(p) if e.kind == "PARTICIPATES_IN"
    }
    workers = nodes | partners | partnerships
    countries = {e.target for w in workers for e in plan.edges_from(w) if e.kind == "WORKS_IN"}
    return frozenset(partners | partnerships | countries)
