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

import weakref
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
    into : dict of str to list of Edge
        The causal links' edges into each node that has any.
    children : dict of str to list of str
        The targets of the causal links out of each node that has any.
    order : tuple of str
        Every causal node, each after all the sources of its links (ties in plan order).
    edges : tuple of Edge
        Every causal link's edge, in plan order.
    """

    kinds: dict[str, str]
    into: dict[str, list[Edge]]
    children: dict[str, list[str]]
    order: tuple[str, ...]
    edges: tuple[Edge, ...]

    @property
    def strategies(self) -> tuple[str, ...]:
        """The strategies, in plan order."""
        return tuple(n for n, k in self.kinds.items() if k == "Strategy")

    @cached_property
    def links(self) -> dict[Link, Edge]:
        """Every causal link with its edge, in plan order."""
        new = tuple.__new__  # a NamedTuple's own constructor is a Python function: slower
        return {new(Link, (e.source, e.target, e.kind)): e for e in self.edges}

    @cached_property
    def links_at(self) -> dict[str, list[Link]]:
        """The causal links into and out of each node that has any, in plan order: what a node
        page shows without scanning every link of the plan (25,000 on a 20,000-node plan)."""
        at: dict[str, list[Link]] = {}
        for link in self.links:
            at.setdefault(link.source, []).append(link)
            if link.target != link.source:
                at.setdefault(link.target, []).append(link)
        return at

    @cached_property
    def parents(self) -> dict[str, list[str]]:
        """The sources of the causal links into each node that has any."""
        return {n: [e.source for e in edges] for n, edges in self.into.items()}


_CACHE: dict[int, tuple[weakref.ref[Plan], CausalIndex]] = {}


def causal_index(plan: Plan) -> CausalIndex:
    """Index the causal nodes and links of ``plan``.

    A plan is immutable, so its index is kept while the plan object lives: the stories of
    every strategic objective, or a what-if after a story, index the plan once.

    Raises
    ------
    PlanError
        When the causal links form a cycle (the plan is not valid).
    """
    key = id(plan)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is plan:
        return hit[1]
    index = _build(plan)

    def forget(_: object, key: int = key) -> None:
        _CACHE.pop(key, None)

    _CACHE[key] = (weakref.ref(plan, forget), index)
    return index


def _build(plan: Plan) -> CausalIndex:
    kinds = {n.id: n.kind for n in plan.nodes if n.kind in CAUSAL_KINDS}
    causal = CAUSAL_LINK_KINDS
    edges = tuple(
        e for e in plan.edges if e.kind in causal and e.source in kinds and e.target in kinds
    )
    into: dict[str, list[Edge]] = {}
    children: dict[str, list[str]] = {}
    for e in edges:
        found = into.get(e.target)
        if found is None:
            into[e.target] = [e]
        else:
            found.append(e)
        below = children.get(e.source)
        if below is None:
            children[e.source] = [e.target]
        else:
            below.append(e.target)
    waiting = {n: len(found) for n, found in into.items()}
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
    return CausalIndex(kinds, into, children, tuple(order), edges)


def pathway_counts(
    index: CausalIndex, disabled: Collection[str] = (), among: Collection[str] | None = None
) -> dict[str, int]:
    """The number of pathways (strategy-to-node paths of causal links) into every causal node,
    or into the nodes ``among`` (which must hold every ancestor of each of them).

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
    kinds, into, none = index.kinds, index.into, ()
    order = index.order if among is None else [n for n in index.order if n in among]
    for node in order:
        if node in disabled:
            counts[node] = 0
        elif kinds[node] == "Strategy":
            counts[node] = 1
        else:
            counts[node] = sum([counts[e.source] for e in into.get(node, none)])
    return counts


def ancestors(index: CausalIndex, node_id: str) -> set[str]:
    """Every causal node with a path of causal links to ``node_id`` (not the node itself)."""
    seen: set[str] = set()
    stack = [node_id]
    into, none = index.into, ()
    while stack:
        for e in into.get(stack.pop(), none):
            if e.source not in seen:
                seen.add(e.source)
                stack.append(e.source)
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
