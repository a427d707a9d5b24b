"""What-if: take strategies, partners, partnerships, countries or funding out of the plan and see
which objectives lose their pathways, which indicators lose what they measure, and which
funding is attached to what goes.

Definitions
-----------
pathway
    A path of causal links (``CONTRIBUTES_TO``, see :mod:`toc.causal`) from a ``Strategy`` to
    a node. The **pathways of a node** are all such paths into it; a strategy is one pathway
    into itself. They are counted by dynamic programming over the topological order
    (:func:`toc.causal.pathway_counts`), never enumerated: linear in nodes and links.
removed
    The nodes named, and every node that **depends on removed nodes alone**. Three links of
    the plan say that one node needs another to do its work, and each is read as "needs at
    least one of them":

    * ``Partner -PARTNERS_IN-> Strategy``: a strategy carried out with partners goes when all
      its partners go;
    * ``X -WORKS_IN-> Country`` (X a strategy, partner or partnership): X goes when every
      country it works in goes;
    * ``Partner -PARTICIPATES_IN-> Partnership``: a partnership goes when all its
      participants go.

    This runs to a fixed point (a country takes its partners, which may take a strategy).
    A strategy with no partners, or no countries, does not depend on them. ``PARTNERS_IN`` to
    an objective or an outcome is help in reaching it, not what carries its pathways (the
    strategies do), so it removes nothing. No pathway runs through a partnership in the
    plan's model (a partnership links partners and a country), so removing one only removes
    what depends on it.
lost, weakened
    An ``Objective`` or ``StrategicObjective`` (not removed itself) is **lost** when it had
    at least one pathway and has none left; **weakened** when it keeps some but fewer, with
    the counts before and after. A removed causal node (an output, an objective) carries no
    pathway.
indicators
    Given the codes of the indicators and the node ids each measures, an indicator is listed
    with the nodes it measures that had a pathway and have none left (removed causal nodes
    included). Node ids that are not causal nodes of the plan are left out.
funding
    Every node a removed node funds (``FUNDS``: budget lines, funding records, the plan),
    and every removed ``BudgetLine`` or ``Funding`` node, with its amount, year or period
    and the removed funders it comes from. No total is given: budget lines overlap (cost
    categories and their total, years and their periods). The plan does not say which
    pathway a budget line pays for, so funding removes no pathway.

>>> from toc.model import Edge, Node, Plan, Text
>>> T = Text(en="x")
>>> plan = Plan.of(
...     [Node("Strategy", "s1", T), Node("Strategy", "s2", T), Node("Partner", "p", T),
...      Node("Objective", "o1", T), Node("Objective", "o2", T),
...      Node("StrategicObjective", "so", T)],
...     [Edge("CONTRIBUTES_TO", "s1", "o1"), Edge("CONTRIBUTES_TO", "s2", "o1"),
...      Edge("CONTRIBUTES_TO", "s2", "o2"), Edge("CONTRIBUTES_TO", "o1", "so"),
...      Edge("CONTRIBUTES_TO", "o2", "so"), Edge("PARTNERS_IN", "p", "s2")])
>>> result = what_if(plan, ["p"], {"ind.o2": ["o2"]})
>>> result.to_dict()["lost"], result.to_dict()["indicators"]
([{'node': 'o2', 'kind': 'Objective', 'before': 1}], [{'indicator': 'ind.o2', 'nodes': ['o2']}])
>>> result.to_dict()["weakened"]
[{'node': 'so', 'kind': 'StrategicObjective', 'before': 3, 'after': 1}, {'node': 'o1', \
'kind': 'Objective', 'before': 2, 'after': 1}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toc.analysis import NodeNotFound
from toc.causal import CausalIndex, causal_index, pathway_counts
from toc.errors import PlanError
from toc.model import Plan

__all__ = [
    "ASSESSED_KINDS",
    "REMOVABLE_KINDS",
    "Change",
    "FundingLoss",
    "IndicatorLoss",
    "Removal",
    "WhatIf",
    "WhatIfError",
    "what_if",
]

#: Kinds a what-if may remove.
REMOVABLE_KINDS: tuple[str, ...] = (
    "Strategy",
    "Partner",
    "Partnership",
    "Country",
    "Funding",
    "BudgetLine",
    "Output",
    "Outcome",
    "Objective",
    "StrategicObjective",
)

#: Kinds reported as lost or weakened, highest level first.
ASSESSED_KINDS: tuple[str, ...] = ("StrategicObjective", "Objective")

# (edge kind, which end depends, dependant kinds, reason): "needs at least one of them".
_NEEDS = (
    ("PARTNERS_IN", "target", ("Strategy",), "partners"),
    ("PARTICIPATES_IN", "target", ("Partnership",), "participants"),
    ("WORKS_IN", "source", ("Strategy", "Partner", "Partnership"), "countries"),
)


class WhatIfError(PlanError):
    """A what-if that cannot be computed: nothing to remove, or a kind that cannot go."""


@dataclass(frozen=True)
class Removal:
    """A removed node: named (``reason`` ``"named"``) or gone with what it needs (``reason``
    ``"partners"``, ``"countries"`` or ``"participants"``, ``because`` the removed nodes)."""

    node: str
    kind: str
    reason: str = "named"
    because: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "kind": self.kind,
            "reason": self.reason,
            "because": list(self.because),
        }


@dataclass(frozen=True)
class Change:
    """The pathway counts of one objective before and after."""

    node: str
    kind: str
    before: int
    after: int

    def to_dict(self, *, with_after: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"node": self.node, "kind": self.kind, "before": self.before}
        if with_after:
            out["after"] = self.after
        return out


@dataclass(frozen=True)
class IndicatorLoss:
    """An indicator and the nodes it measures that lost every pathway."""

    indicator: str
    nodes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "nodes": list(self.nodes)}


@dataclass(frozen=True)
class FundingLoss:
    """A funding node attached to what is removed (``funders``: the removed nodes funding
    it, empty when it was named itself)."""

    node: str
    kind: str
    amount: float | None
    year: int | None = None
    period: str | None = None
    category: str | None = None
    funders: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"node": self.node, "kind": self.kind, "amount": self.amount}
        for name in ("year", "period", "category"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        out["funders"] = list(self.funders)
        return out


@dataclass(frozen=True)
class WhatIf:
    """The effect of removing nodes (see the module docstring for every term)."""

    removed: tuple[Removal, ...]
    lost: tuple[Change, ...] = ()
    weakened: tuple[Change, ...] = ()
    indicators: tuple[IndicatorLoss, ...] = ()
    funding: tuple[FundingLoss, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: keys ``removed``, ``lost``, ``weakened``, ``indicators``, ``funding``."""
        return {
            "removed": [r.to_dict() for r in self.removed],
            "lost": [c.to_dict(with_after=False) for c in self.lost],
            "weakened": [c.to_dict() for c in self.weakened],
            "indicators": [i.to_dict() for i in self.indicators],
            "funding": [f.to_dict() for f in self.funding],
        }


def _removals(plan: Plan, named: Sequence[str]) -> dict[str, Removal]:
    """The named nodes and, to a fixed point, the nodes that need removed nodes alone."""
    needs: dict[tuple[str, str], set[str]] = {}
    needed_by: dict[str, list[tuple[str, str]]] = {}
    rules = {kind: (end, dependants, reason) for kind, end, dependants, reason in _NEEDS}
    for e in plan.edges:
        rule = rules.get(e.kind)
        if rule is None:
            continue
        end, dependants, reason = rule
        dependant, carrier = (e.target, e.source) if end == "target" else (e.source, e.target)
        node = plan.get(dependant)
        if node is None or node.kind not in dependants:
            continue
        needs.setdefault((dependant, reason), set()).add(carrier)
        needed_by.setdefault(carrier, []).append((dependant, reason))
    removed = {n: Removal(n, plan.node(n).kind) for n in named}
    left = {key: len(carriers) for key, carriers in needs.items()}
    stack = list(named)
    while stack:
        carrier = stack.pop()
        for key in needed_by.get(carrier, ()):
            left[key] -= 1
            dependant, reason = key
            if left[key] == 0 and dependant not in removed:
                because = tuple(sorted(needs[key]))
                removed[dependant] = Removal(dependant, plan.node(dependant).kind, reason, because)
                stack.append(dependant)
    return removed


def _funding(plan: Plan, removed: Mapping[str, Removal]) -> list[FundingLoss]:
    funders: dict[str, list[str]] = {}
    for e in plan.edges:
        if e.kind == "FUNDS" and e.source in removed:
            funders.setdefault(e.target, []).append(e.source)
    for node_id, r in removed.items():
        if r.kind in ("Funding", "BudgetLine"):
            funders.setdefault(node_id, [])
    out = []
    for node_id, sources in funders.items():
        node = plan.node(node_id)
        amount = node.props.get("amount")
        out.append(
            FundingLoss(
                node=node_id,
                kind=node.kind,
                amount=float(amount) if isinstance(amount, int | float) else None,
                year=node.props.get("year"),
                period=node.props.get("period"),
                category=node.props.get("category") or node.props.get("row"),
                funders=tuple(sorted(sources)),
            )
        )
    return sorted(out, key=lambda f: (f.kind, f.node))


def what_if(
    plan: Plan,
    without: Iterable[str],
    measures: Mapping[str, Sequence[str]] | None = None,
    *,
    index: CausalIndex | None = None,
) -> WhatIf:
    """The effect of removing the nodes ``without`` from ``plan``.

    Parameters
    ----------
    plan : Plan
        A valid plan.
    without : iterable of str
        Ids of the nodes to remove (kinds in :data:`REMOVABLE_KINDS`); repeats count once.
    measures : mapping of str to sequence of str, optional
        Indicator code to the ids of the nodes it measures.
    index : CausalIndex, optional
        The plan's :func:`~toc.causal.causal_index`, when the caller already has it.

    Raises
    ------
    NodeNotFound
        An id that is not in the plan.
    WhatIfError
        Nothing to remove, a node of a kind that cannot be removed, or ids given as one
        text instead of a list.
    """
    if isinstance(without, str):
        raise WhatIfError("give the ids to remove as a list, not one text")
    named = list(dict.fromkeys(without))
    if not named:
        raise WhatIfError("name at least one node to remove")
    for node_id in named:
        node = plan.get(node_id)
        if node is None:
            raise NodeNotFound(node_id)
        if node.kind not in REMOVABLE_KINDS:
            raise WhatIfError(
                f"{node_id} is of kind {node.kind}; a what-if removes {', '.join(REMOVABLE_KINDS)}"
            )
    index = index if index is not None else causal_index(plan)
    removed = _removals(plan, named)
    before = pathway_counts(index)
    after = pathway_counts(index, removed)
    lost, weakened = [], []
    rank = {kind: i for i, kind in enumerate(ASSESSED_KINDS)}
    for node_id in index.order:
        kind = index.kinds[node_id]
        if kind not in rank or node_id in removed:
            continue
        b, a = before[node_id], after[node_id]
        if b > 0 and a == 0:
            lost.append(Change(node_id, kind, b, a))
        elif a < b:
            weakened.append(Change(node_id, kind, b, a))
    order = lambda c: (rank[c.kind], c.node)  # noqa: E731
    indicators = []
    for code, nodes in sorted((measures or {}).items()):
        if isinstance(nodes, str):
            raise WhatIfError(f"the nodes {code} measures must be a list of ids, not one text")
        gone = tuple(sorted({n for n in nodes if before.get(n, 0) > 0 and after.get(n, 0) == 0}))
        if gone:
            indicators.append(IndicatorLoss(code, gone))
    return WhatIf(
        removed=tuple(sorted(removed.values(), key=lambda r: (r.reason != "named", r.node))),
        lost=tuple(sorted(lost, key=order)),
        weakened=tuple(sorted(weakened, key=order)),
        indicators=tuple(indicators),
        funding=tuple(_funding(plan, removed)),
    )
