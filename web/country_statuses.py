"""What a page filtered by country says of its statuses: per indicator of the nodes shown,
the country's latest figure where values are disaggregated by country, and that the statuses
are those of the whole plan (:mod:`indicators.country_status` says why: the definitions set
targets for the plan, not per country).

Views call :func:`country_notice` with the filter's country and the nodes they show; the
template ``_country_notice.html`` words the result in the page language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indicators.country_status import CountryFigure, CountryKind, country_status
from indicators.model import Indicator, MeasurementValue
from indicators.status import STATUS_COLUMNS
from web.statuses import current_plan_status
from web.store import get_store

__all__ = ["CountryNotice", "Reported", "country_notice"]


@dataclass(frozen=True)
class Reported:
    """One indicator with a figure for the country: its definition and latest figure (also
    as a value, for the templates' value wording)."""

    indicator: Indicator
    figure: CountryFigure

    @property
    def value(self) -> MeasurementValue:
        f = self.figure
        return MeasurementValue(
            value=f.value, numerator=f.numerator, denominator=f.denominator, level=f.level
        )


@dataclass(frozen=True)
class CountryNotice:
    """For the indicators of the nodes shown: those reported for the country (with the
    figure) and those without values by country, whose figures are the plan's."""

    country: str
    reported: tuple[Reported, ...]
    plan_wide: tuple[Indicator, ...]


def country_notice(country: str | None, nodes: Iterable[str]) -> CountryNotice | None:
    """What to say of the statuses of ``nodes`` under the filter ``country`` (a plan node
    id; None: no country filter, nothing to say)."""
    if not country:
        return None
    result = current_plan_status()
    codes = list(
        dict.fromkeys(
            c for n in nodes for c in result.measured_by.get(n, ()) if c in result.indicators
        )
    )
    definitions = [result.indicators[c].indicator for c in codes]
    frame = get_store().revision_frame(status="approved", columns=(*STATUS_COLUMNS, "parts"))
    found = country_status(definitions, frame, country, before=result.before)
    reported = []
    for ind in definitions:
        figure = found.latest(ind.code)
        if found.kinds[ind.code] is CountryKind.REPORTED and figure is not None:
            reported.append(Reported(ind, figure))
    plan_wide = tuple(i for i in definitions if found.kinds[i.code] is CountryKind.PLAN_WIDE)
    return CountryNotice(country, tuple(reported), plan_wide)
