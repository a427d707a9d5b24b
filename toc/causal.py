"""The causal links of a plan as plain adjacency lists in topological order: the shared index of
confidence, what-if, contribution stories and the evidence queries.

A **causal link** is an edge whose kind connects causal nodes only (:data:`CAUSAL_LINK_KINDS`,
derived from :mod:`toc.kinds`: today ``CONTRIBUTES_TO`` alone). ``ALIGNS_WITH`` is a claim of
alignment with an SDG, not of cause, so evidence and confidence do not apply to it.

A **pathway** to a node is a path of causal links from a ``Strategy`` to that node. Pathways are
counted, never enumerated: :func:`pathway_counts` is one pass of dynamic programming over the
topological order, linear in nodes + links, so a plan with millions of pathways costs the same
as one with ten.

Precondition: the causal links have no cycle (a valid plan, see :mod:`toc.validate`);
:func:`causal_index` raises :class:`~toc.errors.PlanError` on one.

>>> from toc.model import Edge, Node, Plan, Text
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text(en="S1")), Node("Strategy", "s2", Text(en="S2")),
...      Node("Objective", "o1", Text(en="O")), Node("StrategicObjective", "so1", Text(en="SO"))],
...     [Edge("CONTRIBUTES_TO", "s1", "o1"), Edge("CONTRIBUTES_TO", "s2", "o1"),
...      Edge("CONTRIBUTES_TO", "o1", "so1"), Edge("CONTRIBUTES_TO", "s1", "so1")])
>>> index = causal_index(plan)
>>> pathway_counts(index)["so1"]
3
>>> pathway_counts(index, disabled={"s1"})["so1"]
1
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from toc.errors import PlanError
from toc.kinds import CAUSAL_KINDS, EDGE_KINDS
from toc.model import Edge, Plan

__all__ = [
    "CAUSAL_LINK_KINDS",
    "CausalIndex",
    "Link",
    "ancestors",
    "causal_index",
    "pathway_counts",
    "pathway_links",
]

#: Edge kinds whose every allowed source and target is a causal node kind.
CAUSAL_LINK_KINDS: tuple[str, ...] = tuple(
    name
    for name, kind in EDGE_KINDS.items()
    if set(kind.sources) <= set(CAUSAL_KINDS) and set(kind.targets) <= set(CAUSAL_KINDS)
)


class Link(NamedTuple):
    """A causal link: source id, target id and edge kind (sorts by source, then target).

    >>> Link("s1", "o1")
    Link(source='s1', target='o1', kind='CONTRIBUTES_TO')
    >>> str(Link("s1", "o1"))
    's1 -> o1'
    """

    source: str
    target: str
    kind: str = "CONTRIBUTES_TO"

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclass(frozen=True)
class CausalIndex:
    """The causal part of a plan, for linear-time passes. Read it, never change it.

    Attributes
    ----------
    kinds : dict of str to str
        Causal node id to its kind, in plan order.
    parents, children : dict of str to list of str
        Sources of the causal links into a node, targets of those out of it (nodes without
        any have no entry).
    order : tuple of str
        Every causal node, each after all its parents (ties in plan order).
    edges : tuple of Edge
        Every causal link's edge, in plan order.
    into : dict of str to list of Edge
        The causal links' edges into each node that has any.
    """

    kinds: dict[str, str]
    parents: dict[str, list[str]]
    children: dict[str, list[str]]
    order: tuple[str, ...]
    edges: tuple[Edge, ...]
    into: dict[str, list[Edge]]

    @property
    def strategies(self) -> tuple[str, ...]:
        """The strategies, in plan order."""
        return tuple(n for n, k in self.kinds.items() if k == "Strategy")

    @cached_property
    def links(self) -> dict[Link, Edge]:
        """Every causal link with its edge, in plan order."""
        return {Link(e.source, e.target, e.kind): e for e in self.edges}


def causal_index(plan: Plan) -> CausalIndex:
    """Index the causal nodes and links of ``plan``.

    Raises
    ------
    PlanError
        When the causal links form a cycle (the plan is not valid).
    """
    kinds = {n.id: n.kind for n in plan.nodes if n.kind in CAUSAL_KINDS}
    edges = tuple(
        e
        for e in plan.edges
        if e.kind in CAUSAL_LINK_KINDS and e.source in kinds and e.target in kinds
    )
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    into: dict[str, list[Edge]] = {}
    for e in edges:
        into.setdefault(e.target, []).append(e)
        parents.setdefault(e.target, []).append(e.source)
        children.setdefault(e.source, []).append(e.target)
    waiting = {n: len(p) for n, p in parents.items()}
    order = [n for n in kinds if n not in waiting]
    none: list[str] = []
    for node in order:  # grows while it is read: Kahn's algorithm, breadth first
        for child in children.get(node, none):
            waiting[child] -= 1
            if waiting[child] == 0:
                order.append(child)
    if len(order) != len(kinds):
        stuck = sorted(n for n, count in waiting.items() if count > 0)
        raise PlanError(f"the causal links form a cycle through {', '.join(stuck[:5])}")
    return CausalIndex(kinds, parents, children, tuple(order), edges, into)


def pathway_counts(index: CausalIndex, disabled: Collection[str] = ()) -> dict[str, int]:
    """The number of pathways (strategy-to-node paths of causal links) into every causal node.

    A strategy counts as one pathway into itself. A ``disabled`` node carries none: it has 0
    and passes nothing on. Exact integers, whatever their size.

    Examples
    --------
    >>> from toc.model import Edge, Node, Plan, Text
    >>> plan = Plan.of([Node("Strategy", "s", Text(en="S")), Node("Output", "x", Text(en="X"))],
    ...                [Edge("CONTRIBUTES_TO", "s", "x")])
    >>> pathway_counts(causal_index(plan))
    {'s': 1, 'x': 1}
    """
    counts: dict[str, int] = {}
    kinds, parents, none = index.kinds, index.parents, ()
    for node in index.order:
        if node in disabled:
            counts[node] = 0
        elif kinds[node] == "Strategy":
            counts[node] = 1
        else:
            counts[node] = sum([counts[p] for p in parents.get(node, none)])
    return counts


def ancestors(index: CausalIndex, node_id: str) -> set[str]:
    """Every causal node with a path of causal links to ``node_id`` (not the node itself)."""
    seen: set[str] = set()
    stack = [node_id]
    parents = index.parents
    while stack:
        for p in parents.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def pathway_links(
    index: CausalIndex, node_id: str, counts: dict[str, int] | None = None
) -> list[Link]:
    """The causal links that lie on some pathway into ``node_id``, in topological order.

    A link ``u -> v`` lies on a pathway into the node when some strategy reaches ``u`` and
    ``v`` is the node or one of its ancestors. ``counts`` (from :func:`pathway_counts`) is
    computed when not given.
    """
    counts = counts if counts is not None else pathway_counts(index)
    up = ancestors(index, node_id)
    up.add(node_id)
    return [
        Link(e.source, e.target, e.kind)
        for v in index.order
        if v in up
        for e in index.into.get(v, ())
        if counts.get(e.source, 0) > 0
    ]
