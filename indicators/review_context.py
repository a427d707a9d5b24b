"""What a reviewer needs to decide on a submitted value, as figures: the period's target and
expected value, the value counted now for that period (a resubmission) and the previous
period's, the indicator's status now and the status the period would get if the value were
approved.

Pure: computed from the indicator's :class:`indicators.pathway_status.IndicatorStatus` (its
approved periods) and the submitted :class:`indicators.model.Revision`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.definitions import indicator_periods
from indicators.model import Revision
from indicators.pathway_status import IndicatorStatus
from indicators.periods import PeriodError
from indicators.progress import Status
from indicators.status import PeriodStatus, assess_period

__all__ = ["ReviewContext", "review_context"]


@dataclass(frozen=True)
class ReviewContext:
    """The figures beside one submitted value (None where there is none)."""

    actual: float | None
    expected: float | None
    target: float | None
    counted_now: PeriodStatus | None
    previous: PeriodStatus | None
    status_now: Status
    status_if_approved: Status | None


def _submitted_actual(status: IndicatorStatus, revision: Revision) -> float | None:
    """The number progress would be computed on for the submitted value."""
    v = revision.value
    kind = status.indicator.type.value
    if kind == "percentage":
        if v.numerator is None or v.denominator in (None, 0):
            return None
        return v.numerator / v.denominator * 100.0
    if kind == "ordinal":
        index = status.indicator.level_index(v.level or None)
        return None if index is None else float(index)
    if kind == "narrative" or v.value is None or not math.isfinite(v.value):
        return None
    return float(v.value)


def review_context(status: IndicatorStatus, revision: Revision) -> ReviewContext:
    """The figures a reviewer of ``revision`` sees beside it (see :class:`ReviewContext`)."""
    indicator = status.indicator
    try:
        known = indicator_periods(indicator)
    except PeriodError:  # a definition without years: no period to compare with
        known = []
    period = next((p for p in known if p.id == revision.period), None)
    counted = {p.period.id: p for p in status.periods}
    actual = _submitted_actual(status, revision)
    expected = after = target = None
    previous = None
    if period is not None:
        assessment = assess_period(indicator, period, actual, thresholds=status.thresholds)
        if assessment is not None:
            expected, after = assessment.expected, assessment.status
            after = after if actual is not None else None
        goal = indicator.target_for(period.id)
        target = indicator.number_of(goal.value, goal.level) if goal else None
        earlier = [
            p for p in status.periods if p.period.end < period.start and p.actual is not None
        ]
        previous = earlier[-1] if earlier else None
    return ReviewContext(
        actual=actual,
        expected=expected,
        target=target,
        counted_now=counted.get(revision.period),
        previous=previous,
        status_now=status.status,
        status_if_approved=after,
    )
