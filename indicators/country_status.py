"""What the plan's statuses are for one country: each indicator's figures for the country,
taken from the parts of its approved values that are disaggregated by ``country``, and per
indicator whether its status can be the country's. Pure functions over definitions and a
revision frame that has the ``parts`` column.

The rules (documented in docs/indicators.md, "By country"):

* A **country's figure** for a period comes from the parts of the counted value whose
  ``country`` is that country (its plan node id ``country.bj`` or its code ``bj``):

  - a part for the country alone (dimensions ``country`` only) is the figure as it is;
  - otherwise parts that split the country by further dimensions (``country`` x ``sex``) are
    added up, but only for a kind whose parts add up (numbers, money; a percentage by its
    numerators and denominators, each part having both) and only when they cover every
    combination of the values the definition allows for those dimensions, once each: a missing
    cell is not read as zero, so nothing is invented;
  - an ordinal level or a narrative is never added up; no parts for the country: no figure.

* A **status for the country** needs a reference for the country. Targets are set for the
  whole plan, and a share of a plan-wide target is not a country's target unless the
  definition says so; the definitions have no targets by country, so a country's figure is
  shown as *reported for the country* while the status stays the plan-wide one
  (:attr:`CountryKind.REPORTED`). An indicator without values by country keeps the plan-wide
  status and is marked so (:attr:`CountryKind.PLAN_WIDE`). Node statuses under a country
  filter are therefore those of the plan, and :class:`CountryStatus` says per indicator which
  figures are the country's, so a page can say so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from indicators.definitions import indicator_periods
from indicators.model import Indicator, IndicatorType, Part
from indicators.periods import PeriodError
from indicators.records import parts_from_json
from indicators.status import counting_frame

__all__ = [
    "COUNTRY",
    "CountryFigure",
    "CountryKind",
    "CountryStatus",
    "country_codes",
    "country_figure",
    "country_figures",
    "country_status",
]

#: The dimension name of values disaggregated by country.
COUNTRY = "country"

#: The prefix of the plan's country node ids (``country.bj``); parts may name the code alone.
_NODE_PREFIX = "country."


def country_codes(country: str) -> frozenset[str]:
    """The dimension values that name the plan's country ``country``: its node id and, for an
    id ``country.<code>``, the code.

    >>> sorted(country_codes("country.bj"))
    ['bj', 'country.bj']
    >>> sorted(country_codes("bj"))
    ['bj']
    """
    codes = {country}
    if country.startswith(_NODE_PREFIX) and len(country) > len(_NODE_PREFIX):
        codes.add(country[len(_NODE_PREFIX) :])
    return frozenset(codes)


@dataclass(frozen=True)
class CountryFigure:
    """A country's figure for one period: what was recorded for it (``value``, or
    ``numerator`` and ``denominator``, or ``level``) and ``actual``, the number progress is
    read on (a percent for percentages, a level's index for ordinal scales). ``parts`` is how
    many parts it was made of (1: recorded for the country alone)."""

    period: str
    actual: float
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    level: str | None = None
    parts: int = 1


def _finite(x: float | None) -> bool:
    return x is not None and not isinstance(x, bool) and math.isfinite(x)


def _ratio_ok(num: float | None, den: float | None) -> bool:
    return _finite(num) and _finite(den) and den > 0 and num >= 0  # type: ignore[operator]


def _one(indicator: Indicator, period: str, part: Part) -> CountryFigure | None:
    """The figure of a part recorded for the country alone."""
    kind = indicator.type
    if kind is IndicatorType.PERCENTAGE:
        if part.numerator is not None or part.denominator is not None:
            if not _ratio_ok(part.numerator, part.denominator):
                return None
            num, den = float(part.numerator), float(part.denominator)  # type: ignore[arg-type]
            actual = num / den * 100.0
            return CountryFigure(period, actual, None, num, den) if math.isfinite(actual) else None
        if _finite(part.value):
            return CountryFigure(period, float(part.value), float(part.value))  # type: ignore[arg-type]
        return None
    if kind is IndicatorType.ORDINAL:
        index = indicator.level_index(part.level)
        return None if index is None else CountryFigure(period, float(index), level=part.level)
    if kind.quantitative and _finite(part.value):
        return CountryFigure(period, float(part.value), float(part.value))  # type: ignore[arg-type]
    return None


def _covers(indicator: Indicator, others: tuple[str, ...], parts: Sequence[Part]) -> bool:
    """Whether ``parts`` hold every combination of the allowed values of the dimensions
    ``others`` exactly once (and nothing else)."""
    allowed = [indicator.dimension(name) for name in others]
    if any(d is None for d in allowed):
        return False
    wanted = set(itertools.product(*(d.values for d in allowed if d is not None)))
    seen = [tuple(dict(p.dims)[name] for name in others) for p in parts]
    return len(seen) == len(set(seen)) and set(seen) == wanted


def _summed(indicator: Indicator, period: str, parts: Sequence[Part]) -> CountryFigure | None:
    """The figure of parts that split the country further, added up (see the module)."""
    if indicator.type is IndicatorType.PERCENTAGE:
        if not all(_ratio_ok(p.numerator, p.denominator) for p in parts):
            return None
        num = math.fsum(float(p.numerator) for p in parts)  # type: ignore[arg-type]
        den = math.fsum(float(p.denominator) for p in parts)  # type: ignore[arg-type]
        if den <= 0 or not math.isfinite(num / den * 100.0):
            return None
        return CountryFigure(period, num / den * 100.0, None, num, den, parts=len(parts))
    if not all(_finite(p.value) for p in parts):
        return None
    total = math.fsum(float(p.value) for p in parts)  # type: ignore[arg-type]
    if not math.isfinite(total):
        return None
    return CountryFigure(period, total, total, parts=len(parts))


def country_figure(
    indicator: Indicator, period: str, parts: Iterable[Part], country: str
) -> CountryFigure | None:
    """The figure of ``country`` (a plan node id or a code, see :func:`country_codes`) in the
    parts of one counted value of ``indicator``, or None when the parts give none.

    >>> from indicators.model import Dimension, Text
    >>> ind = Indicator("i", Text(en="I"), ("n",), "number", "increase",
    ...                 dimensions=(Dimension("country", ("bj", "sn")),
    ...                             Dimension("sex", ("f", "m"))))
    >>> parts = [Part((("country", "bj"), ("sex", "f")), 2.0),
    ...          Part((("country", "bj"), ("sex", "m")), 3.0),
    ...          Part((("country", "sn"), ("sex", "f")), 4.0)]
    >>> country_figure(ind, "2027", parts, "country.bj").actual
    5.0
    >>> country_figure(ind, "2027", parts, "country.sn") is None  # no figure for the men
    True
    """
    codes = country_codes(country)
    mine = [p for p in parts if dict(p.dims).get(COUNTRY) in codes]
    if not mine or indicator.type is IndicatorType.NARRATIVE:
        return None
    alone = [p for p in mine if p.dimension_names == (COUNTRY,)]
    if len(alone) == 1:
        return _one(indicator, period, alone[0])
    if alone or not indicator.type.summable:
        return None
    by_others: dict[tuple[str, ...], list[Part]] = {}
    for p in mine:
        others = tuple(name for name in p.dimension_names if name != COUNTRY)
        by_others.setdefault(others, []).append(p)
    # The split by the fewest further dimensions first: it adds up the fewest numbers.
    for others in sorted(by_others, key=lambda names: (len(names), names)):
        group = by_others[others]
        if _covers(indicator, others, group):
            figure = _summed(indicator, period, group)
            if figure is not None:
                return figure
    return None


def country_figures(
    indicator: Indicator, rows: Iterable[Mapping], country: str
) -> tuple[CountryFigure, ...]:
    """The figures of ``country`` per period from counting rows of ``indicator`` (records
    with ``period`` and ``parts``, see :func:`indicators.status.counting_frame`), in the
    indicator's period order; periods without a figure are left out."""
    try:
        order = {p.id: i for i, p in enumerate(indicator_periods(indicator))}
    except PeriodError:
        return ()  # reporting years not known: no period can be placed
    found = []
    for row in rows:
        text = row.get("parts") or ""
        if f'"{COUNTRY}"' not in text:
            continue
        try:
            parts = parts_from_json(text)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # stored text that cannot be read gives no figure, never an error
        figure = country_figure(indicator, str(row["period"]), parts, country)
        if figure is not None and figure.period in order:
            found.append(figure)
    return tuple(sorted(found, key=lambda f: order[f.period]))


class CountryKind(StrEnum):
    """What a country filter can say of one indicator."""

    #: Values by country exist: the country's figures are shown, the status is plan-wide
    #: (there is no target for the country to judge them against).
    REPORTED = "reported"
    #: No value of the indicator is split by this country: the figures and the status are
    #: those of the whole plan.
    PLAN_WIDE = "plan_wide"


@dataclass(frozen=True)
class CountryStatus:
    """What the plan's statuses are for one country: per indicator code its kind and, for
    those reported for the country, its figures per period (the latest last)."""

    country: str
    kinds: dict[str, CountryKind]
    figures: dict[str, tuple[CountryFigure, ...]] = field(default_factory=dict)

    def latest(self, code: str) -> CountryFigure | None:
        """The country's figure of the latest period with one."""
        found = self.figures.get(code, ())
        return found[-1] if found else None

    def of_kind(self, kind: CountryKind, codes: Iterable[str] | None = None) -> list[str]:
        """The indicator codes (of ``codes``, default all) of ``kind``, in order."""
        chosen = self.kinds if codes is None else dict.fromkeys(codes)
        return [c for c in chosen if self.kinds.get(c) is kind]


def country_status(
    indicators: Sequence[Indicator],
    revisions: pd.DataFrame,
    country: str,
    *,
    before: str | None = None,
) -> CountryStatus:
    """What can be said for ``country`` of each indicator, from a revision frame with the
    ``parts`` column (the counting revisions are taken from it, see
    :func:`indicators.status.counting_frame`)."""
    counted = counting_frame(revisions, before)
    rows: dict[str, list[dict]] = {}
    if not counted.empty and "parts" in counted:
        split = counted.loc[counted["parts"].str.contains(f'"{COUNTRY}"', regex=False)]
        for row in split.to_dict("records"):
            rows.setdefault(row["indicator"], []).append(row)
    kinds: dict[str, CountryKind] = {}
    figures: dict[str, tuple[CountryFigure, ...]] = {}
    for ind in indicators:
        found = country_figures(ind, rows.get(ind.code, ()), country) if ind.code in rows else ()
        if found:
            kinds[ind.code] = CountryKind.REPORTED
            figures[ind.code] = found
        else:
            kinds[ind.code] = CountryKind.PLAN_WIDE
    return CountryStatus(country, kinds, figures)
