"""Progress and status of each indicator per period, from the approved revisions as known at a
given moment. Pure functions over definitions and revision frames (pandas for the log).

Rules (documented in docs/indicators.md):

* Only **approved** revisions count: per measurement, the latest approved revision recorded
  before the cutoff (``before``: an "as of" timestamp, see :func:`indicators.model.stamp_cutoff`).
  A correction under review leaves the approved value counting.
* The **actual** of a period is its own recorded value: the number, the percentage from
  numerator and denominator, or the level's index on an ordinal scale. Narratives have none.
* The **expected** value at the end of a period is the period's own target when the definition
  sets one, otherwise the point on the straight line from the baseline (at its date) to the end
  target (at its date, by default the end of the last period).
* The **status** compares the actual with that reference using
  :func:`indicators.progress.assess` (or :func:`~indicators.progress.assess_ordinal`) with the
  configured :class:`~indicators.progress.Thresholds`: progress from the baseline must be at
  least 90 % (on track) or 70 % (at risk) of the expected progress; ``maintain`` indicators use
  a tolerance band. No approved value: no data.
* **To date** (several periods together): cumulative indicators take the latest value, others
  the sum (:func:`~indicators.progress.aggregate_period_values`); percentages sum numerators
  and denominators (:func:`~indicators.progress.aggregate_ratio`), never average percentages.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.definitions import indicator_periods
from indicators.model import Indicator, IndicatorType, Period, RevisionStatus
from indicators.progress import (
    DEFAULT_THRESHOLDS,
    Assessment,
    Status,
    Thresholds,
    aggregate_period_values,
    aggregate_ratio,
    assess,
    assess_ordinal,
    progress_percent,
)

__all__ = [
    "STATUS_COLUMNS",
    "PeriodStatus",
    "assess_period",
    "counting_frame",
    "end_date",
    "indicator_statuses",
    "to_date",
]

#: The revision columns the status computation reads.
STATUS_COLUMNS = (
    "indicator",
    "period",
    "revision",
    "status",
    "value",
    "numerator",
    "denominator",
    "level",
    "recorded_at",
    "illustrative",
    "flags",
)


@dataclass(frozen=True)
class PeriodStatus:
    """Progress of one indicator in one period.

    ``actual`` is the number progress is computed on (a percent for percentages, a level index
    for ordinal scales); ``target`` is the period's own target (None when the definition sets
    none); ``expected`` the reference value at the period end (that target, or the trajectory);
    ``progress_percent`` the raw share of the way from baseline to the end target;
    ``percent_of_target`` the raw share of the way from baseline to ``expected`` (the IPTT's
    "% of target"). ``revision`` is the counted revision; ``illustrative`` marks demo values.
    """

    indicator: str
    period: Period
    status: Status
    actual: float | None = None
    target: float | None = None
    expected: float | None = None
    progress_percent: float | None = None
    percent_of_target: float | None = None
    revision: int | None = None
    illustrative: bool = False
    level: str | None = None
    flags: tuple[str, ...] = ()


def end_date(indicator: Indicator, periods: Sequence[Period] | None = None) -> dt.date:
    """The date of the end target: its own date, else the end of the last period."""
    if indicator.end_target is not None and indicator.end_target.date is not None:
        return indicator.end_target.date
    periods = periods if periods is not None else indicator_periods(indicator)
    return periods[-1].end


def assess_period(
    indicator: Indicator,
    period: Period,
    actual: float | None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    periods: Sequence[Period] | None = None,
) -> Assessment | None:
    """The assessment of ``actual`` (None: no data) for one period, or None for indicators
    without baseline and target (narratives)."""
    b, t = indicator.baseline, indicator.end_target
    if b is None or t is None or b.date is None:
        return None
    base = indicator.number_of(b.value, b.level)
    goal = indicator.number_of(t.value, t.level)
    if base is None or goal is None:
        return None
    target = indicator.target_for(period.id)
    ref_value = indicator.number_of(target.value, target.level) if target else None
    if ref_value is not None and period.end > b.date:
        ref, ref_date = ref_value, period.end
    else:
        ref, ref_date = goal, max(end_date(indicator, periods), b.date)
    if indicator.type is IndicatorType.ORDINAL:
        return assess_ordinal(
            int(base),
            int(ref),
            None if actual is None else int(actual),
            baseline_date=b.date,
            target_date=ref_date,
            at=period.end,
            direction=indicator.direction,
            n_levels=len(indicator.scale),
            thresholds=thresholds,
        )
    return assess(
        base,
        ref,
        actual,
        indicator.direction,
        baseline_date=b.date,
        target_date=ref_date,
        at=period.end,
        thresholds=thresholds,
    )


def counting_frame(frame: pd.DataFrame, before: str | None = None) -> pd.DataFrame:
    """The counting revision of each measurement: the latest approved one recorded before
    ``before`` (all when None). One row per (indicator, period)."""
    keep = frame["status"] == RevisionStatus.APPROVED.value
    if before is not None:
        keep &= frame["recorded_at"] < before
    approved = frame.loc[keep]
    if approved.empty:
        return approved.reset_index(drop=True)
    approved = approved.sort_values(["indicator", "period", "revision"], kind="stable")
    return approved.drop_duplicates(["indicator", "period"], keep="last").reset_index(drop=True)


def _actual(indicator: Indicator, row: dict) -> float | None:
    kind = indicator.type
    if kind is IndicatorType.PERCENTAGE:
        num, den = row.get("numerator"), row.get("denominator")
        if num is None or den is None or math.isnan(num) or math.isnan(den) or den == 0:
            return None
        ratio = aggregate_ratio([(num, den)])
        return None if ratio is None else ratio * 100.0
    if kind is IndicatorType.ORDINAL:
        index = indicator.level_index(row.get("level") or None)
        return None if index is None else float(index)
    if kind is IndicatorType.NARRATIVE:
        return None
    value = row.get("value")
    return None if value is None or math.isnan(value) else float(value)


def indicator_statuses(
    indicator: Indicator,
    rows: Iterable[dict],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    all_periods: bool = False,
) -> list[PeriodStatus]:
    """Statuses of one indicator from its counting rows (see :func:`counting_frame`, as
    records). Only periods with a counted value unless ``all_periods``. In period order."""
    periods = indicator_periods(indicator)
    by_period = {row["period"]: row for row in rows}
    b, t = indicator.baseline, indicator.end_target
    base = indicator.number_of(b.value, b.level) if b else None
    goal = indicator.number_of(t.value, t.level) if t else None
    out = []
    for period in periods:
        row = by_period.get(period.id)
        if row is None and not all_periods:
            continue
        actual = _actual(indicator, row) if row is not None else None
        target = indicator.target_for(period.id)
        assessment = assess_period(
            indicator, period, actual, thresholds=thresholds, periods=periods
        )
        status = assessment.status if assessment else Status.NO_DATA
        expected = assessment.expected if assessment else None
        progress = (
            progress_percent(base, goal, actual) if base is not None and goal is not None else None
        )
        of_target = (
            progress_percent(base, expected, actual)
            if base is not None and expected is not None
            else None
        )
        flags = tuple(json.loads(row["flags"])) if row is not None and row.get("flags") else ()
        out.append(
            PeriodStatus(
                indicator=indicator.code,
                period=period,
                status=status,
                actual=actual,
                target=indicator.number_of(target.value, target.level) if target else None,
                expected=expected,
                progress_percent=progress,
                percent_of_target=of_target,
                revision=int(row["revision"]) if row is not None else None,
                illustrative=bool(row.get("illustrative")) if row is not None else False,
                level=(row.get("level") or None) if row is not None else None,
                flags=flags,
            )
        )
    return out


def to_date(indicator: Indicator, rows: Sequence[dict]) -> float | None:
    """The value to date from counting rows in period order: the latest value for
    cumulative indicators (and ordinal levels), the sum otherwise; percentages from summed
    numerators and denominators (cumulative: the latest ratio)."""
    kind = indicator.type
    if kind is IndicatorType.NARRATIVE or not rows:
        return None
    if kind is IndicatorType.PERCENTAGE:
        parts = [
            (row["numerator"], row["denominator"])
            for row in rows
            if not (math.isnan(row["numerator"]) or math.isnan(row["denominator"]))
        ]
        if indicator.cumulative:
            parts = parts[-1:]
        ratio = aggregate_ratio(parts)
        return None if ratio is None else ratio * 100.0
    values = [_actual(indicator, row) for row in rows]
    cumulative = indicator.cumulative or kind is IndicatorType.ORDINAL
    result = aggregate_period_values(values, cumulative=cumulative)
    return None if result is None else float(result)
