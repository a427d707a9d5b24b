"""The "to date" figure of an indicator: one rule per kind of indicator, used by every output.

Several periods together (the IPTT's "to date" row, the annual report, the CLI) need one
figure and one reference to compare it with. Which figure is meaningful depends on what the
indicator counts, so the rule is chosen by kind (:func:`rule_of`), and the reference is always
of the same kind as the figure: a total is compared with a total, a level with a level. The
rules (documented in docs/indicators.md, "To date"):

========================  ===========================  ======================================
kind                      figure to date               compared with
========================  ===========================  ======================================
cumulative number         the latest value             the end target, from the baseline
amount per period         the sum of the values        the sum of the expected values of the
                                                       same periods, from as many baselines
ordinal level             the latest level             the end target level, from the baseline
percentage, cumulative    the latest ratio             the end target, from the baseline
percentage, per period    summed numerators over       the end target, from the baseline
                          summed denominators
narrative                 none                         none
========================  ===========================  ======================================

Before this module, amounts per period were summed and the sum compared with the end target,
which is itself one period's amount: five years of 9 trainings against a target of 20 a year
read "45 · 260 %". Sums are exact (:func:`math.fsum`), so 0.1 + 0.2 is 0.3 here.

>>> import datetime as dt
>>> from indicators.model import Period
>>> years = [Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y)) for y in (2027, 2028)]
>>> figure = combine(SUM, [(years[0], 9.0, 10.0), (years[1], 11.0, 12.0)], baseline=8.0)
>>> figure.actual, figure.reference, round(figure.percent_of_reference, 1)
(20.0, 22.0, 66.7)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.model import Indicator, IndicatorType, Period
from indicators.progress import progress_percent

__all__ = [
    "LATEST",
    "LATEST_LEVEL",
    "NONE",
    "POOLED_RATIO",
    "RULES",
    "SUM",
    "ToDate",
    "combine",
    "rule_of",
]

#: The rule names (stable: they are written into data files and the report).
LATEST = "latest"
SUM = "sum"
LATEST_LEVEL = "latest_level"
POOLED_RATIO = "pooled_ratio"
NONE = "none"
RULES = (LATEST, SUM, LATEST_LEVEL, POOLED_RATIO, NONE)


@dataclass(frozen=True)
class ToDate:
    """The figure to date of one indicator and what it is compared with.

    ``actual`` is the figure (None without counted values); ``reference`` the value it is
    compared with (the end target, or for sums the total expected over the counted periods);
    ``percent_of_reference`` the raw share of the way from ``base`` (the baseline, or for sums
    the baseline once per counted period) to ``reference``; ``periods`` the number of periods
    counted; ``last_period`` the latest of them.
    """

    rule: str
    actual: float | None
    reference: float | None
    base: float | None
    percent_of_reference: float | None
    periods: int
    last_period: Period | None = None


def rule_of(indicator: Indicator) -> str:
    """The to-date rule of an indicator.

    >>> from indicators.model import Indicator, IndicatorType
    >>> from indicators.progress import Direction
    >>> from toc.model import Text
    >>> amount = Indicator(
    ...     "i", Text(en="Trainings"), ("o",), IndicatorType.NUMBER, Direction.INCREASE
    ... )
    >>> rule_of(amount)
    'sum'
    >>> from dataclasses import replace
    >>> rule_of(replace(amount, cumulative=True))
    'latest'
    """
    kind = indicator.type
    if kind is IndicatorType.NARRATIVE:
        return NONE
    if kind is IndicatorType.ORDINAL:
        return LATEST_LEVEL
    if kind is IndicatorType.PERCENTAGE:
        return LATEST if indicator.cumulative else POOLED_RATIO
    return LATEST if indicator.cumulative else SUM


def _clean(x: float | None) -> float | None:
    """A finite float without the last-bit noise of binary arithmetic (12 significant digits
    are far beyond what any indicator measures), or None."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.12g}")


def combine(
    rule: str,
    counted: Sequence[tuple[Period, float | None, float | None]],
    *,
    baseline: float | None,
    end_target: float | None = None,
    pooled_ratio: float | None = None,
) -> ToDate:
    """The figure to date by ``rule`` from ``counted``: (period, actual, expected) in period
    order, for the periods with a counted value (an actual of None is skipped).

    ``pooled_ratio`` is the percentage from summed numerators and denominators (rule
    :data:`POOLED_RATIO`, computed by the caller, which holds the raw parts). Pure: no rounding
    beyond float noise, no formatting.

    >>> import datetime as dt
    >>> from indicators.model import Period
    >>> y = Period(dt.date(2027, 1, 1), dt.date(2027, 12, 31), "2027")
    >>> combine(LATEST, [(y, 40.0, 35.0)], baseline=10.0, end_target=70.0).percent_of_reference
    50.0
    >>> combine(SUM, [], baseline=10.0).actual is None
    True
    """
    present = [(p, a, e) for p, a, e in counted if a is not None and math.isfinite(a)]
    last = present[-1][0] if present else None
    if rule == NONE or not present:
        return ToDate(rule, None, None, None, None, len(present), last)
    if rule == SUM:
        actual = _clean(math.fsum(a for _, a, _ in present))
        expected = [e for _, _, e in present]
        if any(e is None or not math.isfinite(e) for e in expected):
            reference = None
        else:
            reference = _clean(math.fsum(e for e in expected if e is not None))
        base = _clean(baseline * len(present)) if baseline is not None else None
    else:
        actual = _clean(pooled_ratio if rule == POOLED_RATIO else present[-1][1])
        reference = _clean(end_target)
        base = _clean(baseline)
    percent = None
    if actual is not None and reference is not None and base is not None:
        percent = _clean(progress_percent(base, reference, actual))
    return ToDate(rule, actual, reference, base, percent, len(present), last)
