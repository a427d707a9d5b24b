"""Why a node has its status, in figures a page can put into words: how many of its own
indicators have data and how they stand, the latest actual against the expected value when one
indicator decides, what contributes to it, and whether it is an "assumption to test".

Pure functions over a :class:`indicators.pathway_status.PlanStatus`; the web pages, the
diagram's tooltips and the start page word the result (they do not recompute statuses).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from indicators.pathway_status import PlanStatus
from indicators.progress import Status

__all__ = ["StatusExplanation", "explain_status", "nodes_by_status"]


@dataclass(frozen=True)
class StatusExplanation:
    """The figures behind one node's status.

    ``indicators`` is how many indicators measure the node, ``with_data`` how many of them have
    an approved value that counts, ``by_status`` how many of those have each status.
    ``actual``/``expected``/``period`` are those of the single indicator with data (None when
    none or several decide). ``source`` says where the shown (combined) status comes from:
    ``"own"`` (its indicators), ``"contributions"`` (no own data: what contributes to it) or
    ``"none"``. ``contributors`` counts the nodes contributing to it.
    """

    node: str
    combined: Status
    own: Status
    contributions: Status
    assumption_to_test: bool
    indicators: int
    with_data: int
    by_status: Mapping[Status, int]
    source: str
    contributors: int
    actual: float | None = None
    expected: float | None = None
    period: str | None = None
    indicator: str | None = None


def explain_status(
    result: PlanStatus, node: str, contributors: Sequence[str] = ()
) -> StatusExplanation:
    """Why ``node`` has its status in ``result``; ``contributors`` are the ids of the nodes
    contributing to it (from the plan's links).

    Examples
    --------
    >>> from indicators.pathway_status import PlanStatus
    >>> from indicators.rollup import NodeRollup
    >>> off, on, none = Status.OFF_TRACK, Status.ON_TRACK, Status.NO_DATA
    >>> r = PlanStatus(nodes={"so1": NodeRollup(off, on, off, True)}, indicators={},
    ...                measured_by={})
    >>> e = explain_status(r, "so1", ["so1.o1", "so1.o2"])
    >>> (e.source, e.assumption_to_test, e.indicators, e.contributors)
    ('own', True, 0, 2)
    """
    rollup = result.nodes.get(node)
    codes = result.measured_by.get(node, ())
    statuses = [result.indicators[c] for c in codes if c in result.indicators]
    with_data = [s for s in statuses if s.current is not None and s.status != Status.NO_DATA]
    counts = Counter(s.status for s in with_data)
    own = rollup.own if rollup else Status.NO_DATA
    combined = rollup.combined if rollup else Status.NO_DATA
    contributions = rollup.contributions if rollup else Status.NO_DATA
    if own != Status.NO_DATA:
        source = "own"
    elif contributions != Status.NO_DATA:
        source = "contributions"
    else:
        source = "none"
    single = with_data[0].current if len(with_data) == 1 else None
    return StatusExplanation(
        node=node,
        combined=combined,
        own=own,
        contributions=contributions,
        assumption_to_test=bool(rollup and rollup.assumption_to_test),
        indicators=len(statuses),
        with_data=len(with_data),
        by_status=dict(counts),
        source=source,
        contributors=len(contributors),
        actual=single.actual if single else None,
        expected=single.expected if single else None,
        period=single.period.id if single else None,
        indicator=with_data[0].indicator.code if single else None,
    )


def nodes_by_status(statuses: Mapping[str, str], status: str) -> list[str]:
    """The node ids with ``status``, in the order of ``statuses``.

    >>> nodes_by_status({"a": "on_track", "b": "off_track", "c": "on_track"}, "on_track")
    ['a', 'c']
    """
    return [n for n, s in statuses.items() if s == status]
