"""Everything a node's page shows about it, gathered from the plan (pure, no I/O).

For a node of the causal chain: what contributes to it and what it contributes to (with the
assumptions and rationale on each link), the SDGs it aligns with, the partners and countries
involved, directly or through what feeds it, and the language variances that concern it. For
any node: all its links, grouped by kind and direction.

>>> from toc.model import Text
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text(en="S")), Node("Objective", "o1", Text(en="O")),
...      Node("Assumption", "a1", Text(en="A")), Node("Partner", "p1", Text(en="P")),
...      Node("SDG", "sdg16", Text(en="16"))],
...     [Edge("CONTRIBUTES_TO", "s1", "o1", {"assumptions": ("a1",)}),
...      Edge("PARTNERS_IN", "p1", "s1"), Edge("ALIGNS_WITH", "o1", "sdg16")])
>>> ctx = node_context(plan, "o1")
>>> [link.node.id for link in ctx.contributed_by], [a.id for a in ctx.contributed_by[0].assumptions]
(['s1'], ['a1'])
>>> [n.id for n in ctx.partners_via], [link.node.id for link in ctx.sdgs]
(['p1'], ['sdg16'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from toc.analysis import NodeNotFound, pathway_graph
from toc.model import Edge, Node, Plan
from web.memo import per_plan

__all__ = ["Link", "NodeContext", "node_context", "shared_node_context"]


@dataclass(frozen=True)
class Link:
    """One link seen from the node: the edge, the node at its other end, and the Assumption
    nodes the edge relies on."""

    edge: Edge
    node: Node
    assumptions: tuple[Node, ...] = ()


@dataclass(frozen=True)
class NodeContext:
    """The neighbourhood of one node; lists are sorted by the other node's kind and id."""

    node: Node
    contributes_to: list[Link] = field(default_factory=list)
    contributed_by: list[Link] = field(default_factory=list)
    sdgs: list[Link] = field(default_factory=list)
    sdgs_via: list[Node] = field(default_factory=list)
    partners: list[Link] = field(default_factory=list)
    partners_via: list[Node] = field(default_factory=list)
    countries: list[Link] = field(default_factory=list)
    countries_via: list[Node] = field(default_factory=list)
    variances: list[Node] = field(default_factory=list)
    relied_on_by: list[Link] = field(default_factory=list)
    other_links: list[tuple[str, Link]] = field(default_factory=list)


_SHOWN = {
    ("out", "CONTRIBUTES_TO"),
    ("in", "CONTRIBUTES_TO"),
    ("out", "ALIGNS_WITH"),
    ("in", "PARTNERS_IN"),
    ("out", "WORKS_IN"),
    ("in", "CONCERNS"),
}


def shared_node_context(plan: Plan, node_id: str) -> NodeContext:
    """:func:`node_context`, computed once per plan object (the result is shared: do not
    change it)."""
    return per_plan(plan, ("node_context", node_id), lambda: node_context(plan, node_id))


def node_context(plan: Plan, node_id: str) -> NodeContext:
    """The page context of ``node_id``; :class:`toc.analysis.NodeNotFound` when absent."""
    node = plan.get(node_id)
    if node is None:
        raise NodeNotFound(node_id)
    links: dict[tuple[str, str], list[Link]] = {}
    for direction, edges in (("out", plan.edges_from(node_id)), ("in", plan.edges_to(node_id))):
        for e in edges:
            far = plan.get(e.target if direction == "out" else e.source)
            if far is not None:
                assumptions = tuple(
                    a for a in (plan.get(i) for i in e.props.get("assumptions", ())) if a
                )
                links.setdefault((direction, e.kind), []).append(Link(e, far, assumptions))
    for group in links.values():
        group.sort(key=lambda link: (link.node.kind, link.node.id))

    def got(direction: str, kind: str) -> list[Link]:
        return links.get((direction, kind), [])

    g = per_plan(plan, "pathway_graph", lambda: pathway_graph(plan))
    upstream = nx.ancestors(g, node_id) if node_id in g else set()
    downstream = nx.descendants(g, node_id) if node_id in g else set()
    direct_sdgs = {link.node.id for link in got("out", "ALIGNS_WITH")}
    sdgs_via = [plan.node(i) for i in downstream if plan.node(i).kind == "SDG"]
    partners_via = {
        e.source
        for up in upstream
        for e in plan.edges_to(up)
        if e.kind == "PARTNERS_IN" and plan.node(e.source).kind == "Partner"
    }
    direct_partners = {link.node.id for link in got("in", "PARTNERS_IN")}
    countries_via = {
        e.target
        for source in upstream | partners_via
        for e in plan.edges_from(source)
        if e.kind == "WORKS_IN"
    }
    direct_countries = {link.node.id for link in got("out", "WORKS_IN")}
    relied_on_by = [
        Link(e, plan.node(e.target))
        for e in plan.edges_assuming(node_id)
        if plan.get(e.target) is not None
    ]
    other = [
        (direction, link)
        for (direction, kind), group in sorted(links.items())
        if (direction, kind) not in _SHOWN
        for link in group
    ]
    return NodeContext(
        node=node,
        contributes_to=got("out", "CONTRIBUTES_TO"),
        contributed_by=got("in", "CONTRIBUTES_TO"),
        sdgs=got("out", "ALIGNS_WITH"),
        sdgs_via=_sorted(n for n in sdgs_via if n.id not in direct_sdgs),
        partners=got("in", "PARTNERS_IN"),
        partners_via=_sorted(plan.node(i) for i in partners_via - direct_partners),
        countries=got("out", "WORKS_IN"),
        countries_via=_sorted(plan.node(i) for i in countries_via - direct_countries),
        variances=[link.node for link in got("in", "CONCERNS")],
        relied_on_by=relied_on_by,
        other_links=other,
    )


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (n.kind, n.props.get("number", 0), n.id))
