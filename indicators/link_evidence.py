"""Evidence on causal links derived from indicator data: the trends of a link's source and
target count as one ``indicator_trend`` item, computed, never typed in.

For a link ``source -> target`` the rule reads each end's **own** status (from the indicators
measuring that node, rolled up as :mod:`indicators.pathway_status` does; never the status of
what contributes to it, which would let the source vouch for itself):

=====================  =====================  ==========================================
source                 target                 item
=====================  =====================  ==========================================
no data                any                    none: nothing observed
any                    no data                none: nothing observed
at risk or off track   with data              none: the cause did not happen as planned,
                                              so the trend says nothing about the link
on track               on track               supports
on track               at risk or off track   contradicts
=====================  =====================  ==========================================

Strength grows with the basis: ``indicators`` is the smaller of the numbers of indicators with
data at the two ends, ``periods`` the smaller of the two ends' longest series of counted
periods. Supporting: **strong** with at least 2 indicators and 3 periods, **moderate** with 2
indicators or 2 periods, else **weak**. Contradicting: **moderate** when the target is off
track over at least 2 periods, else **weak**: a target that lags may still catch up, so a lag
alone is never strong evidence against the link.

The item is dated on the day its latest counted value was recorded (so confidence "as of" a
date counts it only once it was known), is ``illustrative`` when any indicator or value used
is, and has the id ``indicators:SOURCE:TARGET``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from indicators.pathway_status import IndicatorStatus, PlanStatus
from indicators.progress import Status
from toc.causal import CAUSAL_LINK_KINDS, Link
from toc.evidence import Evidence, EvidenceKind, Says, Strength
from toc.model import Plan

__all__ = ["DERIVED_AUTHOR", "derived_evidence", "link_trend"]

#: The author of every derived item.
DERIVED_AUTHOR = "indicators (derived)"


def _end(status: PlanStatus, node_id: str) -> tuple[Status, list[IndicatorStatus]]:
    rollup = status.nodes.get(node_id)
    own = rollup.own if rollup is not None else Status.NO_DATA
    used = [
        status.indicators[code]
        for code in status.measured_by.get(node_id, ())
        if code in status.indicators and status.indicators[code].status.has_data
    ]
    return own, used


def _recorded(used: Sequence[IndicatorStatus]) -> dt.date | None:
    days = []
    for s in used:
        stamp = (s.latest or {}).get("recorded_at")
        if isinstance(stamp, str) and len(stamp) >= 10:
            try:
                days.append(dt.date.fromisoformat(stamp[:10]))
                continue
            except ValueError:
                pass
        if s.current is not None:
            days.append(s.current.period.end)
    return max(days) if days else None


def _describe(node_id: str, own: Status, used: Sequence[IndicatorStatus]) -> str:
    parts = ", ".join(f"{s.indicator.code} {s.status.value}" for s in used)
    return f"{node_id} {own.value} ({parts})"


def link_trend(status: PlanStatus, link: Link) -> Evidence | None:
    """The derived item of one link, or None when the trends say nothing about it.

    Examples
    --------
    See :func:`derived_evidence`.
    """
    source_status, source_used = _end(status, link.source)
    target_status, target_used = _end(status, link.target)
    if not (source_status.has_data and target_status.has_data):
        return None
    if source_status is not Status.ON_TRACK:
        return None
    indicators = min(len(source_used), len(target_used))
    periods = min(
        max((len(s.periods) for s in source_used), default=0),
        max((len(s.periods) for s in target_used), default=0),
    )
    if target_status is Status.ON_TRACK:
        says = Says.SUPPORTS
        if indicators >= 2 and periods >= 3:
            strength = Strength.STRONG
        elif indicators >= 2 or periods >= 2:
            strength = Strength.MODERATE
        else:
            strength = Strength.WEAK
    else:
        says = Says.CONTRADICTS
        off = target_status is Status.OFF_TRACK and periods >= 2
        strength = Strength.MODERATE if off else Strength.WEAK
    used = [*source_used, *target_used]
    day = _recorded(used)
    if day is None:  # a status with data always has a counted period; defensive
        return None
    text = (
        f"{_describe(link.source, source_status, source_used)} -> "
        f"{_describe(link.target, target_status, target_used)}; "
        f"{indicators} indicator(s), {periods} period(s)"
    )
    return Evidence(
        id=f"indicators:{link.source}:{link.target}",
        kind=EvidenceKind.INDICATOR_TREND,
        says=says,
        strength=strength,
        source_text=text,
        date=day,
        author=DERIVED_AUTHOR,
        link=link,
        illustrative=any(s.illustrative for s in used),
    )


def derived_evidence(plan: Plan, status: PlanStatus) -> list[Evidence]:
    """The derived item of every causal link of ``plan`` that its trends bear on, in plan
    order. ``status`` is the plan's status at the moment wanted
    (:func:`indicators.pathway_status.compute_plan_status` or ``plan_status``).

    Examples
    --------
    >>> import pandas as pd
    >>> from indicators.definitions import decode_indicator
    >>> from indicators.model import MeasurementValue, Revision
    >>> from indicators.pathway_status import compute_plan_status
    >>> from indicators.records import revisions_to_frame
    >>> from toc.model import Edge, Node, Text
    >>> plan = Plan.of([Node("Strategy", "s", Text(en="S")), Node("Output", "x", Text(en="X"))],
    ...                [Edge("CONTRIBUTES_TO", "s", "x")])
    >>> def ind(code, node):
    ...     return decode_indicator({"code": code, "measures": [node], "title": {"en": code},
    ...         "type": "number", "direction": "increase", "start_year": 2027,
    ...         "end_year": 2030, "baseline": {"value": 0, "date": "2026-12-31"},
    ...         "end_target": {"value": 40}})
    >>> log = [Revision(code, "2027", 1, "approved", MeasurementValue(value=10), author="a",
    ...                 recorded_at="2028-01-15T00:00:00.000000Z") for code in ("i.s", "i.x")]
    >>> status = compute_plan_status(plan, [ind("i.s", "s"), ind("i.x", "x")],
    ...                              revisions_to_frame(log))
    >>> [(e.id, e.says.value, e.strength.value, str(e.date)) for e in
    ...  derived_evidence(plan, status)]
    [('indicators:s:x', 'supports', 'weak', '2028-01-15')]
    """
    out = []
    for edge in plan.edges:
        if edge.kind in CAUSAL_LINK_KINDS:
            item = link_trend(status, Link(edge.source, edge.target, edge.kind))
            if item is not None:
                out.append(item)
    return out
