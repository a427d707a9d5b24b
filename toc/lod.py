"""Level of detail of a pathway diagram: which nodes to draw and which branches to fold into
summary boxes, so that a plan of 20,000 nodes is drawn in parts a reader can follow.

A plan small enough (at most :data:`WHOLE_BUDGET` nodes to draw) is drawn whole, as before.
A larger one starts at strategic objectives and SDGs, with their objectives when they fit in
:data:`BASE_BUDGET`; every drawn node whose contributors are not drawn gets one summary box
counting them by kind and status. Expanding a drawn node draws its direct contributors;
focusing on a node draws its neighbourhood to a depth. Everything is bounded by
:data:`MAX_DRAWN`, so no query string can ask for more drawing than that.

Pure functions on a networkx graph (:func:`toc.analysis.pathway_graph`); preconditions: the
candidate ids are nodes of the graph.

>>> import networkx as nx

from toc.model import Node
>>> g = nx.DiGraph([("out1", "oc1"), ("out2", "oc1"), ("oc1", "o1"), ("o1", "so1")])
>>> kinds = {"out1": "Output", "out2": "Output", "oc1": "Outcome", "o1": "Objective",
...          "so1": "StrategicObjective"}
>>> view = level_of_detail(g, kinds, set(kinds), ViewSpec(), whole_budget=2)
>>> sorted(view.drawn), [(s.anchor, s.kinds) for s in view.summaries]
(['o1', 'so1'], [('o1', (('Outcome', 1), ('Output', 2)))])
>>> view = level_of_detail(g, kinds, set(kinds), ViewSpec(expand=("o1",)), whole_budget=2)
>>> sorted(view.drawn), [s.anchor for s in view.summaries]
(['o1', 'oc1', 'so1'], ['oc1'])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from toc.model import Node

__all__ = [
    "BASE_BUDGET",
    "MAX_DEPTH",
    "MAX_DRAWN",
    "MAX_EXPAND",
    "WHOLE_BUDGET",
    "LodView",
    "Summary",
    "ViewSpec",
    "level_of_detail",
    "search_nodes",
    "summarise",
]

#: A diagram of at most this many nodes is drawn whole (the VVSG plan has about 150).
WHOLE_BUDGET = 300
#: The default view draws objectives too when strategic objectives, SDGs and objectives are
#: at most this many; otherwise objectives start folded into their strategic objective.
BASE_BUDGET = 120
#: At most this many nodes are drawn in one view, whatever is expanded or focused.
MAX_DRAWN = 400
#: At most this many expanded branches in one view, and the deepest focus.
MAX_EXPAND = 40
MAX_DEPTH = 4
#: Kinds that fold into summary boxes, from the top; SDGs are always drawn.
_TOP = ("StrategicObjective", "SDG")
_FOLDING = ("StrategicObjective", "Objective", "Outcome", "Output")


@dataclass(frozen=True)
class ViewSpec:
    """What the reader asked to see: expanded node ids, a focus node and its depth."""

    expand: tuple[str, ...] = ()
    focus: str | None = None
    depth: int | None = None


@dataclass(frozen=True)
class Summary:
    """A folded branch: the hidden contributors of ``anchor``, counted by kind and status."""

    anchor: str
    kinds: tuple[tuple[str, int], ...]
    statuses: tuple[tuple[str, int], ...]
    hidden: int


@dataclass(frozen=True)
class LodView:
    """The nodes to draw, the summary boxes, and what was asked but not drawn."""

    drawn: frozenset[str]
    summaries: tuple[Summary, ...] = ()
    whole: bool = True
    #: Expanded ids that were not drawn (unknown, not in view, or over :data:`MAX_DRAWN`).
    not_expanded: tuple[str, ...] = ()
    expanded: tuple[str, ...] = field(default=())


def summarise(
    anchor: str, hidden: Collection[str], kinds: Mapping[str, str], statuses: Mapping[str, str]
) -> Summary:
    """The summary box of ``hidden`` nodes under ``anchor``: counts by kind and by status
    (``no_data`` for a node without one).

    >>> s = summarise("o1", ["a", "b", "c"], {"a": "Output", "b": "Output", "c": "Outcome"},
    ...               {"a": "on_track"})
    >>> s.kinds, s.statuses, s.hidden
    ((('Outcome', 1), ('Output', 2)), (('no_data', 2), ('on_track', 1)), 3)
    """
    by_kind = Counter(kinds[h] for h in hidden)
    by_status = Counter(statuses.get(h, "no_data") for h in hidden)
    return Summary(anchor, tuple(sorted(by_kind.items())), tuple(sorted(by_status.items())),
                   len(hidden))  # fmt: skip


def _hidden_branch(
    g: nx.DiGraph, anchor: str, drawn: Collection[str], scope: Collection[str]
) -> set[str]:
    """The contributors of ``anchor`` reached through undrawn nodes only."""
    seen: set[str] = set()
    todo = [p for p in g.predecessors(anchor) if p in scope and p not in drawn]
    seen.update(todo)
    while todo:
        node = todo.pop()
        for p in g.predecessors(node):
            if p in scope and p not in drawn and p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def _neighbourhood(g: nx.DiGraph, focus: str, depth: int, scope: Collection[str]) -> list[str]:
    """``focus`` and the nodes within ``depth`` links of it, up and down, nearest first."""
    order = [focus]
    seen = {focus}
    layer = [focus]
    for _ in range(depth):
        nxt: list[str] = []
        for node in layer:
            for other in (*g.predecessors(node), *g.successors(node)):
                if other in scope and other not in seen:
                    seen.add(other)
                    nxt.append(other)
        order.extend(sorted(nxt))
        layer = nxt
    return order


def level_of_detail(
    g: nx.DiGraph,
    kinds: Mapping[str, str],
    candidates: Collection[str],
    spec: ViewSpec,
    statuses: Mapping[str, str] | None = None,
    whole_budget: int = WHOLE_BUDGET,
    base_budget: int = BASE_BUDGET,
    max_drawn: int = MAX_DRAWN,
) -> LodView:
    """The view of ``candidates`` (the nodes the page's filters leave) to draw for ``spec``.

    ``kinds`` maps node ids to their kind; ``statuses`` node ids to a status for the summary
    boxes. The plan is drawn whole when it has at most ``whole_budget`` candidates and no focus
    depth is asked for; otherwise at most ``max_drawn`` nodes are drawn.
    """
    scope = set(candidates)
    expand = tuple(dict.fromkeys(spec.expand))[:MAX_EXPAND]
    if len(scope) <= whole_budget and spec.depth is None:
        return LodView(frozenset(scope), expanded=tuple(e for e in expand if e in scope))
    drawn: set[str] = {i for i in scope if kinds[i] in _TOP}
    objectives = sorted(i for i in scope if kinds[i] == "Objective")
    if len(drawn) + len(objectives) <= base_budget:
        drawn.update(objectives)
    if spec.focus in scope:
        depth = min(max(spec.depth if spec.depth is not None else 2, 0), MAX_DEPTH)
        for node in _neighbourhood(g, spec.focus, depth, scope):
            if len(drawn) >= max_drawn:
                break
            drawn.add(node)
    applied: list[str] = []
    pending = [e for e in expand if e in scope]
    progress = True
    while pending and progress:
        progress = False
        for node in list(pending):
            if node not in drawn:
                continue
            new = sorted(p for p in g.predecessors(node) if p in scope and p not in drawn)
            if len(drawn) + len(new) > max_drawn:
                continue
            drawn.update(new)
            applied.append(node)
            pending.remove(node)
            progress = True
    not_expanded = tuple(e for e in expand if e not in applied)
    summaries = []
    for anchor in sorted(drawn):
        if kinds[anchor] not in _FOLDING:
            continue
        hidden = _hidden_branch(g, anchor, drawn, scope)
        if hidden:
            summaries.append(summarise(anchor, hidden, kinds, statuses or {}))
    return LodView(frozenset(drawn), tuple(summaries), False, not_expanded, tuple(applied))


def search_nodes(
    nodes: Iterable[Node], query: str, kinds: Collection[str], limit: int = 20
) -> list[str]:
    """Ids of ``nodes`` of ``kinds`` whose id or title (either language) holds every word of
    ``query``, case-insensitive: exact id first, then in the given order; at most ``limit``.

    >>> from toc.model import Node, Text
    >>> nodes = [Node("Objective", "so1.o1", Text("Water voor iedereen", "Water for all")),
    ...          Node("Objective", "so1.o2", Text("Scholen", "Schools"))]
    >>> search_nodes(nodes, "WATER", ["Objective"]), search_nodes(nodes, "so1.o2", ["Objective"])
    (['so1.o1'], ['so1.o2'])
    >>> search_nodes(nodes, "   ", ["Objective"])
    []
    """
    words = query.casefold().split()[:10]
    if not words:
        return []
    exact: list[str] = []
    hits: list[str] = []
    for n in nodes:
        if n.kind not in kinds:
            continue
        if n.id.casefold() == query.strip().casefold():
            exact.append(n.id)
            continue
        text = " ".join((n.id, n.title.en, n.title.nl)).casefold()
        if all(w in text for w in words):
            hits.append(n.id)
            if len(hits) >= limit:
                break
    return (exact + hits)[:limit]
