"""Questions an evaluator asks of the evidence, as pure functions over the plan and its
evidence items (both storage engines answer them the same way, through these functions):
the weakest links on the pathways to each strategic objective, the links with no evidence,
the links whose confidence fell between two dates, and evidence whose link or assumption is
no longer in the plan.

Confidence is that of :mod:`toc.confidence`; "on the pathways to" a node means on some
strategy-to-node path of causal links (:func:`toc.causal.pathway_links`).

>>> import datetime as dt
>>> from toc.evidence import Evidence
>>> from toc.model import Edge, Node, Plan, Text
>>> T = Text(en="x")
>>> plan = Plan.of(
...     [Node("Strategy", "s", T), Node("Objective", "o", T, props={"number": 1}),
...      Node("StrategicObjective", "so", T, props={"number": 1})],
...     [Edge("CONTRIBUTES_TO", "s", "o"), Edge("CONTRIBUTES_TO", "o", "so")])
>>> late = Evidence("e1", "evaluation", "contradicts", "strong", "x", dt.date(2031, 1, 1), "a",
...                 link=Link("o", "so"))
>>> links_without_evidence(plan, [late])
[Link(source='s', target='o', kind='CONTRIBUTES_TO')]
>>> [(str(c.link), round(c.before, 2), round(c.after, 2)) for c in
...  confidence_fell(plan, [late], dt.date(2030, 1, 1), dt.date(2032, 1, 1))]
[('o -> so', 0.5, 0.11)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from toc.causal import CausalIndex, Link, causal_index, pathway_counts, pathway_links
from toc.confidence import Confidence, ConfidenceError, link_confidences
from toc.evidence import Evidence
from toc.model import Plan

__all__ = [
    "ConfidenceChange",
    "confidence_fell",
    "links_without_evidence",
    "orphaned_evidence",
    "weakest_links",
]


def _index(plan: Plan | CausalIndex) -> CausalIndex:
    return plan if isinstance(plan, CausalIndex) else causal_index(plan)


def weakest_links(
    plan: Plan | CausalIndex,
    evidence: Iterable[Evidence],
    *,
    priors: Mapping[Link, float] | None = None,
    as_of: dt.date | None = None,
    per_objective: int = 3,
) -> dict[str, list[Confidence]]:
    """For each strategic objective (in plan order), its ``per_objective`` weakest links: the
    links on its pathways with the lowest posterior (ties: fewer items first, then the link).

    Examples
    --------
    See the module docstring; a strategic objective no strategy reaches has an empty list.
    """
    if isinstance(per_objective, bool) or not isinstance(per_objective, int) or per_objective < 1:
        raise ConfidenceError("per_objective must be a whole number of at least 1")
    index = _index(plan)
    confidences = link_confidences(index, evidence, priors, as_of)
    counts = pathway_counts(index)
    out: dict[str, list[Confidence]] = {}
    for node_id, kind in index.kinds.items():
        if kind != "StrategicObjective":
            continue
        found = [confidences[link] for link in pathway_links(index, node_id, counts)]
        found.sort(key=lambda c: (c.posterior, len(c.weights), c.subject))
        out[node_id] = found[:per_objective]
    return out


def links_without_evidence(
    plan: Plan | CausalIndex, evidence: Iterable[Evidence], *, as_of: dt.date | None = None
) -> list[Link]:
    """The causal links with no evidence item (dated up to ``as_of``), in plan order."""
    index = _index(plan)
    covered = {
        item.link
        for item in evidence
        if item.link is not None and (as_of is None or item.date <= as_of)
    }
    return [link for link in index.links if link not in covered]


@dataclass(frozen=True)
class ConfidenceChange:
    """The posterior of a link at two dates."""

    link: Link
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


def confidence_fell(
    plan: Plan | CausalIndex,
    evidence: Iterable[Evidence],
    start: dt.date,
    end: dt.date,
    *,
    priors: Mapping[Link, float] | None = None,
) -> list[ConfidenceChange]:
    """The links whose posterior as of ``end`` is lower than as of ``start`` (evidence dated
    up to each day counts), the largest fall first (ties by link).

    Raises
    ------
    ConfidenceError
        When ``start`` is after ``end``.
    """
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
        raise ConfidenceError("the two dates must be dates")
    if start > end:
        raise ConfidenceError(f"the first date ({start}) is after the second ({end})")
    index = _index(plan)
    items = list(evidence)
    then = link_confidences(index, items, priors, start)
    now = link_confidences(index, items, priors, end)
    fell = [
        ConfidenceChange(link, then[link].posterior, now[link].posterior)
        for link in index.links
        if now[link].posterior < then[link].posterior
    ]
    return sorted(fell, key=lambda c: (c.change, c.link))


def orphaned_evidence(plan: Plan, evidence: Iterable[Evidence]) -> list[Evidence]:
    """Items whose link or assumption is no longer in the plan (after a plan was reloaded):
    they count nowhere until they are moved or removed. By id."""
    links = {(e.source, e.target, e.kind) for e in plan.edges}
    assumptions = {n.id for n in plan.nodes if n.kind == "Assumption"}
    found = [
        item
        for item in evidence
        if (item.link is not None and tuple(item.link) not in links)
        or (item.assumption is not None and item.assumption not in assumptions)
    ]
    return sorted(found, key=lambda item: item.id)
