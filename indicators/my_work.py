"""A contributor's to-do list: values returned with a note, drafts not yet submitted, and
periods that have ended without a value, for the indicators in the contributor's scope.

Pure: over the latest revision of each measurement, the indicator definitions, the codes in
scope and a date (today, in the app).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from indicators.definitions import indicator_periods
from indicators.model import Indicator, Period, Revision, RevisionStatus
from indicators.periods import PeriodError

__all__ = ["Due", "MyWork", "my_work"]


@dataclass(frozen=True)
class Due:
    """A period of an indicator that has ended and has no value yet."""

    indicator: str
    period: Period


@dataclass(frozen=True)
class MyWork:
    """Returned revisions (newest first; each carries its ``review_note``), drafts (newest
    first) and due periods (the latest ended period without a value, per indicator)."""

    returned: tuple[Revision, ...]
    drafts: tuple[Revision, ...]
    due: tuple[Due, ...]

    @property
    def empty(self) -> bool:
        return not (self.returned or self.drafts or self.due)


def my_work(
    latest: Mapping[tuple[str, str], Revision],
    indicators: Mapping[str, Indicator],
    in_scope: Collection[str],
    today: dt.date,
) -> MyWork:
    """What waits for the holder of ``in_scope`` (indicator codes) on ``today``.

    Examples
    --------
    >>> from indicators.model import MeasurementValue
    >>> r = Revision("a", "2028", 2, RevisionStatus.RETURNED, MeasurementValue(1.0), "me",
    ...              "2029-02-01T00:00:00Z", review_note="Attach the report")
    >>> work = my_work({("a", "2028"): r}, {}, {"a"}, dt.date(2029, 3, 1))
    >>> [(x.key, x.review_note) for x in work.returned], work.drafts, work.due
    ([(('a', '2028'), 'Attach the report')], (), ())
    """
    mine = [r for r in latest.values() if r.indicator in in_scope]
    newest = sorted(mine, key=lambda r: r.recorded_at, reverse=True)
    returned = tuple(r for r in newest if r.status is RevisionStatus.RETURNED)
    drafts = tuple(r for r in newest if r.status is RevisionStatus.DRAFT)
    due = []
    for code in sorted(in_scope):
        indicator = indicators.get(code)
        if indicator is None:
            continue
        try:
            periods = indicator_periods(indicator)
        except PeriodError:
            continue
        ended = [p for p in periods if p.end < today]
        if ended and (code, ended[-1].id) not in latest:
            due.append(Due(code, ended[-1]))
    return MyWork(returned, drafts, tuple(due))
