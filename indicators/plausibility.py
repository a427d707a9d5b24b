"""Warnings on values that can be stored but are probably wrong: a share over 100 %, a negative
count, a value far beyond anything the indicator plans. A warning never refuses a value: it
is kept as a flag on the revision, so the reviewer sees it before approving (see
docs/indicators.md, "Plausibility warnings").

The rules come from the indicator's own definition, so an indicator that plans values over
100 % or below zero gets no warning for them:

* **share over 100 %** (percentages): the numerator is larger than the denominator, unless
  the baseline or a target is itself over 100 %.
* **negative value** (numbers, money): below zero, unless the baseline or a target is.
* **far beyond the plan** (numbers, money, totals only): more than :data:`FAR_FACTOR` times
  the largest planned value (baseline, targets, end target; when that is above 0), the usual
  sign of a typing slip or a number read in the wrong unit or format.

The same rules on whole import columns are :func:`limits_of` plus :func:`flag_rows`; both
paths word a warning with the same functions, so the form, the API and an import flag a value
alike.

>>> from indicators.model import Baseline, EndTarget, Text
>>> ind = Indicator("i", Text(en="I"), ("n",), "number", "increase",
...                 baseline=Baseline(value=30.0), end_target=EndTarget(value=34.0))
>>> plausibility_warnings(ind, MeasurementValue(value=-2.0))
['value -2 is negative, while the baseline and targets are not']
>>> plausibility_warnings(ind, MeasurementValue(value=3400.0))
['value 3400 is more than 10 times the largest planned value (34)']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeGuard

import numpy as np

from indicators.import_reasons import Why, why
from indicators.model import Indicator, IndicatorType, MeasurementValue

__all__ = [
    "FAR_FACTOR",
    "Limits",
    "far_text",
    "far_why",
    "flag_rows",
    "limits_of",
    "negative_text",
    "negative_why",
    "plausibility_warnings",
    "share_text",
    "share_why",
]

#: A value more than this many times the largest planned value gets a warning.
FAR_FACTOR = 10


@dataclass(frozen=True)
class Limits:
    """What an indicator's definition makes implausible: a share over 100 %
    (``share_over_100``), a value below zero (``negative``), a total above ``far`` (None: no
    such bound)."""

    share_over_100: bool = False
    negative: bool = False
    far: float | None = None
    largest: float | None = None


def _planned(indicator: Indicator) -> list[float]:
    points: list[float | None] = [t.value for t in indicator.targets]
    for point in (indicator.baseline, indicator.end_target):
        if point is not None:
            points.append(point.value)
    return [float(p) for p in points if p is not None and math.isfinite(p)]


def limits_of(indicator: Indicator) -> Limits:
    """The plausibility limits of an indicator (see the module doc)."""
    kind = indicator.type
    planned = _planned(indicator)
    if kind is IndicatorType.PERCENTAGE:
        return Limits(share_over_100=not any(p > 100 for p in planned))
    if kind not in (IndicatorType.NUMBER, IndicatorType.CURRENCY):
        return Limits()
    largest = max((abs(p) for p in planned), default=0.0)
    far = largest * FAR_FACTOR if largest > 0 else None
    return Limits(negative=not any(p < 0 for p in planned), far=far, largest=largest or None)


def _g(number: float) -> str:
    return f"{number:g}"


def share_why(where: str, numerator: float, denominator: float) -> Why:
    """The warning for a numerator larger than its denominator, as a reason."""
    return why("share_over_100", where=where, numerator=_g(numerator), denominator=_g(denominator))


def negative_why(where: str, value: float) -> Why:
    """The warning for a negative value, as a reason."""
    return why("negative", where=where, value=_g(value))


def far_why(value: float, largest: float) -> Why:
    """The warning for a total far beyond the plan, as a reason."""
    return why("far", value=_g(value), factor=FAR_FACTOR, largest=_g(largest))


def share_text(where: str, numerator: float, denominator: float) -> str:
    """The warning for a numerator larger than its denominator."""
    return share_why(where, numerator, denominator).text


def negative_text(where: str, value: float) -> str:
    """The warning for a negative value."""
    return negative_why(where, value).text


def far_text(value: float, largest: float) -> str:
    """The warning for a total far beyond the plan."""
    return far_why(value, largest).text


def _points(
    value: MeasurementValue,
) -> Iterable[tuple[str, float | None, float | None, float | None]]:
    yield "", value.value, value.numerator, value.denominator
    for part in value.parts:
        label = ", ".join(f"{d}={x}" for d, x in part.dims)
        yield f"[{label}] ", part.value, part.numerator, part.denominator


def plausibility_warnings(indicator: Indicator, value: MeasurementValue) -> list[str]:
    """The warnings for ``value`` (its total and each part), by the rules of the module
    doc; numbers that are missing or not finite get none (they are refused elsewhere)."""
    limits = limits_of(indicator)
    out = []
    for where, number, numerator, denominator in _points(value):
        if indicator.type is IndicatorType.PERCENTAGE:
            if (
                limits.share_over_100
                and _finite(numerator)
                and _finite(denominator)
                and numerator > denominator > 0
            ):
                out.append(share_text(where, numerator, denominator))
            continue
        if not _finite(number):
            continue
        if limits.negative and number < 0:
            out.append(negative_text(where, number))
        if not where and limits.far is not None and abs(number) > limits.far:
            out.append(far_text(number, limits.largest or 0.0))
    return out


def _finite(x: float | None) -> TypeGuard[float]:
    return x is not None and isinstance(x, int | float) and math.isfinite(x)


def flag_rows(
    limits: dict[str, np.ndarray],
    value: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    total: np.ndarray,
    label: Callable[[int], str],
) -> list[tuple[int, Why]]:
    """The warnings of whole import columns, by the same rules and with the same words as
    :func:`plausibility_warnings`: (row position, warning) for each row that gets one.

    ``limits`` holds per row the :class:`Limits` of its indicator as arrays
    (``share_over_100``, ``negative``: bool; ``far``, ``largest``: float, NaN = none);
    ``total`` says which rows are totals; ``label(i)`` is the ``"[sex=f] "`` prefix of a
    part row. NaN numbers get no warning. Python runs only for the rows that get one.
    """
    with np.errstate(invalid="ignore"):
        share = limits["share_over_100"] & (numerator > denominator) & (denominator > 0)
        negative = limits["negative"] & (value < 0)
        far = total & (np.abs(value) > limits["far"])
    out: list[tuple[int, Why]] = []
    for i in np.flatnonzero(share | negative | far).tolist():
        where = "" if total[i] else label(i)
        if share[i]:
            out.append((i, share_why(where, float(numerator[i]), float(denominator[i]))))
        if negative[i]:
            out.append((i, negative_why(where, float(value[i]))))
        if far[i]:
            out.append((i, far_why(float(value[i]), float(limits["largest"][i]))))
    return out
