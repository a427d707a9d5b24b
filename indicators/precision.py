"""How many decimals an indicator's figures deserve, and figures rounded for a data file.

Computed figures carry float noise (``434.99999999999994``) and spurious precision
(``48.568075117370896`` %): nobody measured them to fifteen digits. The precision of an
indicator is derived from its definition, so no one has to state it:

* ordinal indicators and narratives have no figures to round: 0;
* percentages: 1 decimal (``48.6 %``);
* otherwise whole numbers when the baseline and every target are whole (counts, euros), else
  the most decimals the definition's own figures use (a target of ``2.25`` gives 2), at most
  :data:`MAX_DECIMALS`.

Screens show a figure at this precision in the reader's locale (``web.numbers``,
``toc.cli_table``). Data files (CSV, XLSX) get plain numbers, dot decimal and no grouping,
rounded to the precision plus :data:`DATA_EXTRA_DIGITS` more digits: enough to recompute a
percentage or a sum without the float noise, and whole numbers stay whole. Values a person
entered are written as stored; only figures the tool computes are rounded. The API's JSON keeps
full machine values.

>>> from indicators.model import Baseline, EndTarget, Indicator
>>> ind = Indicator("i", None, ("n",), "number", "increase", baseline=Baseline(10),
...                 end_target=EndTarget(20.5))
>>> decimals(ind), data_number(434.99999999999994, ind), data_number(48.568075117370896, ind)
(1, 435, 48.568)
"""

from __future__ import annotations

import math
from decimal import Decimal

from indicators.model import Indicator, IndicatorType

__all__ = [
    "DATA_EXTRA_DIGITS",
    "MAX_DECIMALS",
    "PERCENT_DECIMALS",
    "data_number",
    "data_percent",
    "decimals",
    "figure_decimals",
]

#: Most decimals derived from a definition's figures.
MAX_DECIMALS = 4
#: Digits beyond the indicator's precision kept in data files.
DATA_EXTRA_DIGITS = 2
#: Decimals of a percentage (of an indicator, or of progress towards a target) on screen.
PERCENT_DECIMALS = 1


def figure_decimals(value: float) -> int:
    """The decimals a figure is written with (its shortest exact form), at most
    :data:`MAX_DECIMALS`.

    >>> figure_decimals(20.0), figure_decimals(2.25), figure_decimals(0.1 + 0.2)
    (0, 2, 4)
    """
    if not math.isfinite(value):
        return 0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(MAX_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def decimals(indicator: Indicator) -> int:
    """The indicator's precision: decimals its figures are shown with (see the module)."""
    if indicator.type in (IndicatorType.ORDINAL, IndicatorType.NARRATIVE):
        return 0
    if indicator.type is IndicatorType.PERCENTAGE:
        return PERCENT_DECIMALS
    figures = [t.value for t in indicator.targets]
    if indicator.baseline is not None:
        figures.append(indicator.baseline.value)
    if indicator.end_target is not None:
        figures.append(indicator.end_target.value)
    return max((figure_decimals(f) for f in figures if f is not None), default=0)


def data_number(value: float | None, indicator: Indicator | None = None) -> float | int | None:
    """``value`` for a data file: rounded to the indicator's precision plus
    :data:`DATA_EXTRA_DIGITS` (plain :data:`MAX_DECIMALS` without an indicator), a whole
    result as an ``int``; None, and a figure that is not finite, as they are.

    >>> data_number(1379829.0), data_number(None), data_number(0.30000000000000004)
    (1379829, None, 0.3)
    """
    places = MAX_DECIMALS if indicator is None else decimals(indicator) + DATA_EXTRA_DIGITS
    return _round(value, places)


def data_percent(value: float | None) -> float | int | None:
    """A computed percentage (such as % of target) for a data file: :data:`PERCENT_DECIMALS`
    plus :data:`DATA_EXTRA_DIGITS` decimals.

    >>> data_percent(259.99999999999997), data_percent(48.568075117370896)
    (260, 48.568)
    """
    return _round(value, PERCENT_DECIMALS + DATA_EXTRA_DIGITS)


def _round(value: float | None, places: int) -> float | int | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not math.isfinite(value):
        return value
    rounded = round(float(value), places)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
