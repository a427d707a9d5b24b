"""What a what-if does to confidence: the most credible pathway of each weakened objective
before and after the removal, from the same evidence.

A what-if (:func:`toc.whatif.what_if`) counts pathways; losing two of six matters more when
the two were the credible ones. This module compares, for each objective the what-if
weakens, the confidence of its most credible pathway (:func:`toc.story.contribution_story`,
one pathway) in the plan and in the plan without the removed nodes. Pure: plan, result and
evidence in, numbers out.

>>> import datetime as dt
>>> from toc.planfile import load
>>> from toc.whatif import what_if
>>> plan = load("examples/vvsg-2027-2036.yaml")
>>> review = Evidence("ev1", "evaluation", "supports", "strong", "Mid-term review",
...                   dt.date(2029, 6, 30), "me", link=Link("s1", "so1.o1"))
>>> result = what_if(plan, ["s1"])
>>> before, after = best_pathway_confidence(plan, result, [review])["so1.o1"]
>>> round(before, 2), after  # the credible pathway goes with s1; the others rest on priors
(0.89, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from toc.causal import Link
from toc.evidence import Evidence
from toc.model import Plan
from toc.story import contribution_story
from toc.whatif import WhatIf

__all__ = ["best_pathway_confidence", "without_removed"]


def without_removed(plan: Plan, result: WhatIf) -> Plan:
    """``plan`` without the nodes the what-if removed and the links that touch them."""
    gone = {r.node for r in result.removed}
    return Plan.of(
        [n for n in plan.nodes if n.id not in gone],
        [e for e in plan.edges if e.source not in gone and e.target not in gone],
    )


def best_pathway_confidence(
    plan: Plan,
    result: WhatIf,
    evidence: Iterable[Evidence],
    priors: Mapping[Link | str, float] | None = None,
) -> dict[str, tuple[float | None, float | None]]:
    """For each weakened node: (confidence of its most credible pathway before, after)."""
    items = list(evidence)
    reduced = without_removed(plan, result)
    out: dict[str, tuple[float | None, float | None]] = {}
    for change in result.weakened:
        before = contribution_story(plan, change.node, items, priors=priors, limit=1)
        after = contribution_story(reduced, change.node, items, priors=priors, limit=1)
        out[change.node] = (before.confidence, after.confidence)
    return out
