"""What the indicator pages, the update form and the review queue show, computed from what the
app already holds: the plan's statuses and the measurement log (no Flask here, no Cypher).

Everything is computed from the append-only measurement log: an indicator's periods with
their status (approved values only count), the revision history of each period, the values
awaiting review, and the latest approved values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.definitions import indicator_periods
from indicators.model import Indicator, Revision, RevisionStatus
from indicators.pathway_status import PlanStatus
from indicators.status import PeriodStatus, end_date, indicator_statuses
from indicators.workflow import latest
from toc.model import Plan
from web.charts import Point, plottable
from web.memo import per_version
from web.scope import concerned
from web.statuses import current_revisions

__all__ = [
    "IndicatorDetail",
    "chart_points",
    "indicator_detail",
    "latest_by_measurement",
    "recent_approved",
    "review_queue",
    "trajectory_ends",
]


@dataclass(frozen=True)
class IndicatorDetail:
    """One indicator with every period's status and revision history.

    ``periods`` has every reporting period (``no_data`` where nothing is approved);
    ``history`` maps a period id to its revisions, newest first, conflict copies included;
    ``scope`` holds the partners, partnerships and countries it concerns.
    """

    indicator: Indicator
    periods: list[PeriodStatus]
    history: dict[str, list[Revision]]
    scope: frozenset[str]

    @property
    def current(self) -> PeriodStatus | None:
        """The latest period with an approved value."""
        counted = [p for p in self.periods if p.revision is not None]
        return counted[-1] if counted else None

    def counted_revision(self, period: str) -> Revision | None:
        """The approved revision that counts for ``period``."""
        status = next((p for p in self.periods if p.period.id == period), None)
        if status is None or status.revision is None:
            return None
        return next(
            (r for r in self.history.get(period, ()) if r.revision == status.revision), None
        )

    def latest(self, period: str) -> Revision | None:
        """The latest revision of ``period``'s review chain (what an editor starts from)."""
        return latest(self.history.get(period, ()))


def indicator_detail(
    result: PlanStatus, revisions: Sequence[Revision], plan: Plan, code: str
) -> IndicatorDetail | None:
    """The detail of indicator ``code`` from the plan's statuses and the indicator's
    revisions, or None when there is no such indicator."""
    status = result.indicators.get(code)
    if status is None:
        return None
    indicator = status.indicator
    periods = indicator_statuses(
        indicator, status.rows, thresholds=result.thresholds, all_periods=True
    )
    history: dict[str, list[Revision]] = {}
    for revision in revisions:
        history.setdefault(revision.period, []).append(revision)
    for revisions in history.values():
        revisions.sort(key=lambda r: r.revision, reverse=True)
    return IndicatorDetail(
        indicator, periods, history, frozenset(concerned(plan, indicator.measures))
    )


def chart_points(
    indicator: Indicator, periods: Sequence[PeriodStatus]
) -> tuple[list[Point], list[Point]]:
    """(period targets, actual values) of an indicator as chart points at period ends; only
    figures a chart can draw (:func:`web.charts.plottable`)."""
    ends = {p.id: p.end for p in indicator_periods(indicator)}
    targets = [
        Point(ends[t.period], value, label=t.period)
        for t in indicator.targets
        if t.period in ends and plottable(value := indicator.number_of(t.value, t.level))
    ]
    actuals = [
        Point(p.period.end, p.actual, p.status.value, label=p.period.id)
        for p in periods
        if plottable(p.actual)
    ]
    return targets, actuals


def trajectory_ends(
    indicator: Indicator,
) -> tuple[dt.date | None, float | None, dt.date | None, float | None]:
    """(baseline date, baseline, end date, end target) of the expected line, the figures only
    when a chart can draw them. The end target's date defaults to the end of the indicator's
    last period (:func:`indicators.status.end_date`), as in the status computation: without it
    most charts drew no expected line at all."""
    base, end = indicator.baseline, indicator.end_target
    start = indicator.number_of(base.value, base.level) if base else None
    goal = indicator.number_of(end.value, end.level) if end else None
    return (
        base.date if base else None,
        start if plottable(start) else None,
        end_date(indicator) if end else None,
        goal if plottable(goal) else None,
    )


def latest_by_measurement(revisions: Sequence[Revision]) -> dict[tuple[str, str], Revision]:
    """The latest revision of each measurement's review chain (:func:`indicators.workflow.latest`
    of each measurement's history, in one pass: the review queue and the overview ask for it
    on a log of 100,000 revisions)."""
    out: dict[tuple[str, str], Revision] = {}
    for revision in revisions:
        if revision.conflict:
            continue
        key = (revision.indicator, revision.period)
        seen = out.get(key)
        if seen is None or revision.revision >= seen.revision:
            out[key] = revision
    return out


def review_queue(revisions: Sequence[Revision]) -> list[Revision]:
    """Measurements whose latest revision awaits review, oldest first."""
    pending = [
        r for r in latest_by_measurement(revisions).values() if r.status is RevisionStatus.SUBMITTED
    ]
    return sorted(pending, key=lambda r: r.recorded_at)


def current_latest() -> dict[tuple[str, str], Revision]:
    """:func:`latest_by_measurement` of this request's log, computed once per log length
    (the log only grows). Shared: do not change it."""
    revisions = current_revisions()
    return per_version("latest", len(revisions), lambda: latest_by_measurement(revisions))


def current_review_queue() -> list[Revision]:
    """:func:`review_queue` of this request's log, computed once per log length. Shared."""
    revisions = current_revisions()

    def compute() -> list[Revision]:
        pending = [r for r in current_latest().values() if r.status is RevisionStatus.SUBMITTED]
        return sorted(pending, key=lambda r: r.recorded_at)

    return per_version("review_queue", len(revisions), compute)


def recent_approved(revisions: Sequence[Revision], limit: int = 8) -> list[Revision]:
    """The most recently approved revisions, newest first."""
    approved = [r for r in revisions if r.status is RevisionStatus.APPROVED and not r.conflict]
    return sorted(approved, key=lambda r: r.recorded_at, reverse=True)[:limit]
