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
* **Data problems**: a stored value that cannot be counted (a number that is not finite, a
  percentage whose ratio is not, a denominator not above 0, a level not on the scale: written
  by an earlier version or directly into the store) does not count; its period has no data
  and says why (:attr:`PeriodStatus.problem`, :func:`row_problem`). A definition whose
  baseline or targets cannot be used (:func:`definition_problems`) gives no statuses. Nothing
  here raises on stored data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from indicators.definitions import indicator_periods
from indicators.model import Indicator, IndicatorType, Period, RevisionStatus
from indicators.progress import (
    DEFAULT_THRESHOLDS,
    Assessment,
    Direction,
    Status,
    Thresholds,
    aggregate_ratio,
    assess,
    assess_ordinal,
    progress_percent,
)
from indicators.to_date import POOLED_RATIO, ToDate, combine, rule_of

__all__ = [
    "STATUS_COLUMNS",
    "CountingRow",
    "PeriodStatus",
    "assess_period",
    "counting_frame",
    "definition_problems",
    "end_date",
    "indicator_statuses",
    "row_problem",
    "to_date",
    "to_date_figure",
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
    problem: str = ""


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _finite_or_none(x: float | None) -> float | None:
    return x if x is not None and _finite(x) else None


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


class CountingRow(Protocol):
    """A counting revision as the functions here read it: a record of
    :func:`counting_frame` (pandas keys it by column label) or any mapping with its columns
    (``period``, ``value``, ``numerator``, ``denominator``, ``level``, ``revision``, ...)."""

    def get(self, key: str, default: Any = None, /) -> Any: ...

    def __getitem__(self, key: str, /) -> Any: ...


def row_problem(indicator: Indicator, row: CountingRow) -> str:
    """Why a stored (counting) row cannot be counted, or "" when it can: its numbers must be
    finite, a percentage's denominator above 0, its numerator not negative and its ratio
    finite; a level must be on the scale. NaN is a missing number, not a problem.

    >>> from indicators.model import Text
    >>> ind = Indicator("i", Text(en="I"), ("n",), "number", "increase")
    >>> row_problem(ind, {"period": "2029", "value": float("inf")})
    'value of 2029 is not a finite number'
    """
    period = row.get("period", "")
    kind = indicator.type
    for name in ("value", "numerator", "denominator"):
        x = row.get(name)
        if not _missing(x) and not _finite(x):
            return f"{name} of {period} is not a finite number"
    if kind is IndicatorType.PERCENTAGE:
        num, den = row.get("numerator"), row.get("denominator")
        if _missing(num) or _missing(den):
            return ""
        if den <= 0:
            return f"the denominator of {period} is not above 0"
        if num < 0:
            return f"the numerator of {period} is negative"
        if not math.isfinite(num / den * 100.0):
            return f"the percentage of {period} ({num:g}/{den:g}) is too large to store"
    if kind is IndicatorType.ORDINAL:
        level = row.get("level") or None
        if level is not None and indicator.level_index(level) is None:
            return f"level {level!r} of {period} is not on the scale"
    return ""


def definition_problems(indicator: Indicator) -> list[str]:
    """Why an indicator's baseline or targets cannot be used for statuses (a stored
    definition written by an earlier version or directly): numbers that are not finite,
    targets on the wrong side of the baseline for the direction. Empty when they can."""
    problems = []
    points = []
    if indicator.baseline is not None:
        points.append(("baseline", indicator.baseline.value))
    points += [(f"target {t.period}", t.value) for t in indicator.targets]
    if indicator.end_target is not None:
        points.append(("end target", indicator.end_target.value))
    for name, value in points:
        if value is not None and not _finite(value):
            problems.append(f"the {name} is not a finite number")
    if problems or indicator.baseline is None:
        return problems
    b = indicator.baseline
    base = indicator.number_of(b.value, b.level)
    if base is None:
        return problems
    refs = [
        (f"target {t.period}", indicator.number_of(t.value, t.level)) for t in indicator.targets
    ]
    if indicator.end_target is not None:
        end = indicator.end_target
        refs.append(("end target", indicator.number_of(end.value, end.level)))
    for name, ref in refs:
        if ref is None:
            continue
        if indicator.direction is Direction.INCREASE and ref < base:
            problems.append(f"the {name} {ref:g} is below the baseline {base:g} of an increase")
        if indicator.direction is Direction.DECREASE and ref > base:
            problems.append(f"the {name} {ref:g} is above the baseline {base:g} of a decrease")
    return problems


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
    without baseline and target (narratives) and for definitions that cannot be used
    (:func:`definition_problems`)."""
    if definition_problems(indicator):
        return None
    return _assess(indicator, period, actual, thresholds, periods)


def _assess(
    indicator: Indicator,
    period: Period,
    actual: float | None,
    thresholds: Thresholds,
    periods: Sequence[Period] | None,
) -> Assessment | None:
    """:func:`assess_period` for a definition known to be usable."""
    b, t = indicator.baseline, indicator.end_target
    if b is None or t is None or b.date is None:
        return None
    if actual is not None and not _finite(actual):
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


def _actual(indicator: Indicator, row: CountingRow) -> float | None:
    """The number a counting row gives for progress; None when it has none or cannot be
    counted (:func:`row_problem`)."""
    if row_problem(indicator, row):
        return None
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
    rows: Iterable[CountingRow],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    all_periods: bool = False,
) -> list[PeriodStatus]:
    """Statuses of one indicator from its counting rows (see :func:`counting_frame`, as
    records). Only periods with a counted value unless ``all_periods``. In period order."""
    periods = indicator_periods(indicator)
    usable = not definition_problems(indicator)
    by_period = {row["period"]: row for row in rows}
    b, t = indicator.baseline, indicator.end_target
    base = indicator.number_of(b.value, b.level) if b else None
    goal = indicator.number_of(t.value, t.level) if t else None
    out = []
    for period in periods:
        row = by_period.get(period.id)
        if row is None and not all_periods:
            continue
        problem = row_problem(indicator, row) if row is not None else ""
        actual = _actual(indicator, row) if row is not None else None
        target = indicator.target_for(period.id)
        assessment = _assess(indicator, period, actual, thresholds, periods) if usable else None
        status = assessment.status if assessment else Status.NO_DATA
        expected = assessment.expected if assessment else None
        progress = (
            progress_percent(base, goal, actual)
            if usable and base is not None and goal is not None
            else None
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
                target=_finite_or_none(indicator.number_of(target.value, target.level))
                if target
                else None,
                expected=expected,
                progress_percent=progress,
                percent_of_target=of_target,
                revision=int(row["revision"]) if row is not None else None,
                illustrative=bool(row.get("illustrative")) if row is not None else False,
                level=(row.get("level") or None) if row is not None else None,
                flags=flags,
                problem=problem,
            )
        )
    return out


def to_date_figure(
    indicator: Indicator,
    rows: Sequence[CountingRow],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ToDate:
    """The figure to date of ``indicator`` from its counting rows, by the rule of its kind
    (:mod:`indicators.to_date`): rows of other periods, without a value or with a data
    problem do not count. Never raises on stored data."""
    rule = rule_of(indicator)
    periods = indicator_periods(indicator)
    by_period = {row["period"]: row for row in rows}
    usable = not definition_problems(indicator)
    counted: list[tuple[Period, float | None, float | None]] = []
    parts: list[tuple[float, float]] = []
    for period in periods:
        row = by_period.get(period.id)
        if row is None or row_problem(indicator, row):
            continue
        actual = _actual(indicator, row)
        if actual is None:
            continue
        assessment = _assess(indicator, period, None, thresholds, periods) if usable else None
        counted.append((period, actual, assessment.expected if assessment else None))
        if indicator.type is IndicatorType.PERCENTAGE:
            parts.append((row["numerator"], row["denominator"]))
    b, t = indicator.baseline, indicator.end_target
    pooled = None
    if rule == POOLED_RATIO:
        ratio = aggregate_ratio(parts)
        pooled = None if ratio is None else ratio * 100.0
    return combine(
        rule,
        counted,
        baseline=_finite_or_none(indicator.number_of(b.value, b.level)) if b and usable else None,
        end_target=_finite_or_none(indicator.number_of(t.value, t.level)) if t and usable else None,
        pooled_ratio=pooled,
    )


def to_date(indicator: Indicator, rows: Sequence[CountingRow]) -> float | None:
    """The value to date (:func:`to_date_figure`): the latest value of cumulative indicators
    and ordinal levels, the sum of amounts per period, percentages from summed numerators and
    denominators (cumulative: the latest ratio)."""
    return to_date_figure(indicator, rows).actual
