"""Reporting periods generated from a calendar setting: years, semesters or quarters of a
calendar year or of a fiscal year starting in a given month. Pure functions.

Period ids are stable text:

==========================  =================  ==================================
frequency                   January start      fiscal year starting in April (4)
==========================  =================  ==================================
year                        ``2027``           ``FY2027-28`` (2027-04-01..2028-03-31)
semester                    ``2027-S1``        ``FY2027-28-S1``
quarter                     ``2027-Q1``        ``FY2027-28-Q1``
==========================  =================  ==================================

A custom period (frequency ``custom``: project windows, two- or five-year periods, one
whole-project period) is any ``start..end`` of ISO dates, both inclusive, start not after
end: ``2020-07-06..2020-09-06``. An indicator lists its custom periods; they may not overlap.

A fiscal year is named by the calendar years it spans. The periods of a plan are those whose
start date falls within the plan's years (``start_year``-01-01 .. ``end_year``-12-31).

>>> [p.id for p in periods(2027, 2027, "semester")]
['2027-S1', '2027-S2']
>>> p = parse_period("FY2027-28-Q4", fiscal_start=4)
>>> p.start, p.end
(datetime.date(2028, 1, 1), datetime.date(2028, 3, 31))
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from indicators.model import Frequency, Period

__all__ = [
    "PeriodError",
    "custom_period",
    "frequency_of",
    "month_start",
    "overlaps",
    "parse_period",
    "period_of",
    "periods",
]

_MONTHS = {Frequency.YEAR: 12, Frequency.SEMESTER: 6, Frequency.QUARTER: 3}
_SUFFIX = {Frequency.SEMESTER: "S", Frequency.QUARTER: "Q"}
_ID = re.compile(r"^(?:(\d{4})|FY(\d{4})-(\d{2}))(?:-([SQ])(\d))?$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period id or calendar setting is not valid; the message says which."""


def month_start(year: int, month: int) -> dt.date:
    """The first day of a month, with months past 12 rolling into later years."""
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _check(frequency: Frequency | str, fiscal_start: int) -> Frequency:
    try:
        frequency = Frequency(frequency)
    except ValueError:
        raise PeriodError(
            f"unknown frequency {frequency!r}; use {', '.join(f.value for f in Frequency)}"
        ) from None
    if isinstance(fiscal_start, bool) or not isinstance(fiscal_start, int):
        raise PeriodError(f"fiscal year start must be a month number, got {fiscal_start!r}")
    if not 1 <= fiscal_start <= 12:
        raise PeriodError(f"fiscal year start must be a month 1-12, got {fiscal_start}")
    return frequency


def _generated(frequency: Frequency | str, fiscal_start: int) -> Frequency:
    frequency = _check(frequency, fiscal_start)
    if frequency is Frequency.CUSTOM:
        raise PeriodError("custom periods are listed on the indicator, not generated")
    return frequency


def period_of(
    fiscal_year: int, index: int, frequency: Frequency | str, fiscal_start: int = 1
) -> Period:
    """The ``index``-th (1-based) period of the fiscal year that starts in ``fiscal_year``.

    >>> period_of(2027, 3, "quarter")
    Period(start=datetime.date(2027, 7, 1), end=datetime.date(2027, 9, 30), id='2027-Q3')
    """
    frequency = _generated(frequency, fiscal_start)
    months = _MONTHS[frequency]
    count = 12 // months
    if not 1 <= index <= count:
        raise PeriodError(f"a year has {count} {frequency.value} period(s); got number {index}")
    start = month_start(fiscal_year, fiscal_start + (index - 1) * months)
    end = month_start(start.year, start.month + months) - dt.timedelta(days=1)
    name = (
        f"FY{fiscal_year}-{(fiscal_year + 1) % 100:02d}" if fiscal_start != 1 else str(fiscal_year)
    )
    if frequency is not Frequency.YEAR:
        name += f"-{_SUFFIX[frequency]}{index}"
    return Period(start, end, name)


def periods(
    start_year: int, end_year: int, frequency: Frequency | str, fiscal_start: int = 1
) -> list[Period]:
    """All periods of ``frequency`` whose start date lies within ``start_year``..``end_year``,
    in order. Fiscal years starting in month ``fiscal_start`` (1 = calendar years).

    >>> [p.id for p in periods(2027, 2028, "year", fiscal_start=7)]
    ['FY2027-28', 'FY2028-29']
    """
    return list(_periods(start_year, end_year, _generated(frequency, fiscal_start), fiscal_start))


@lru_cache(maxsize=4096)
def _periods(
    start_year: int, end_year: int, frequency: Frequency, fiscal_start: int
) -> tuple[Period, ...]:
    if end_year < start_year:
        raise PeriodError(f"end year {end_year} is before start year {start_year}")
    first, last = dt.date(start_year, 1, 1), dt.date(end_year, 12, 31)
    count = 12 // _MONTHS[frequency]
    out = []
    # The fiscal year that starts before January of start_year may have periods inside.
    for fiscal_year in range(start_year - 1, end_year + 1):
        for index in range(1, count + 1):
            period = period_of(fiscal_year, index, frequency, fiscal_start)
            if first <= period.start <= last:
                out.append(period)
    return tuple(out)


def custom_period(start: dt.date, end: dt.date) -> Period:
    """The custom period ``start..end`` (both inclusive; a one-day period has start = end).

    >>> custom_period(dt.date(2020, 7, 6), dt.date(2020, 9, 6)).id
    '2020-07-06..2020-09-06'
    """
    if end < start:
        raise PeriodError(f"period {start}..{end} ends before it starts")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _custom(period_id: str) -> Period | None:
    match = _CUSTOM.match(period_id.strip())
    if not match:
        return None
    try:
        start, end = (dt.date.fromisoformat(match.group(i)) for i in (1, 2))
    except ValueError:
        raise PeriodError(f"{period_id!r}: not a valid pair of dates") from None
    return custom_period(start, end)


def overlaps(items: list[Period] | tuple[Period, ...]) -> list[tuple[Period, Period]]:
    """The pairs of periods that share at least one day, each pair once (sorted by start).

    >>> [(a.id, b.id) for a, b in overlaps([parse_period("2020-01-01..2020-06-30"),
    ...                                     parse_period("2020-06-30..2020-12-31")])]
    [('2020-01-01..2020-06-30', '2020-06-30..2020-12-31')]
    """
    ordered = sorted(items, key=lambda p: (p.start, p.end))
    found = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start > first.end:
                break
            found.append((first, second))
    return found


def parse_period(period_id: str, fiscal_start: int = 1) -> Period:
    """The period a period id names, in a calendar whose fiscal year starts in month
    ``fiscal_start``; :class:`PeriodError` when the id is not valid in that calendar.

    >>> parse_period("2028-S2").end
    datetime.date(2028, 12, 31)
    >>> parse_period("FY2027-28", fiscal_start=4).end
    datetime.date(2028, 3, 31)
    """
    if not isinstance(period_id, str):
        raise PeriodError(f"a period id is text like 2027 or 2027-Q1, got {period_id!r}")
    _check(Frequency.YEAR, fiscal_start)
    custom = _custom(period_id)
    if custom is not None:
        return custom
    match = _ID.match(period_id.strip())
    if not match:
        raise PeriodError(
            f"{period_id!r} is not a period; use e.g. 2027, 2027-S1, 2027-Q1, FY2027-28 or "
            "2020-07-06..2020-09-06"
        )
    year_text, fy_text, fy_next, kind, number = match.groups()
    frequency = {None: Frequency.YEAR, "S": Frequency.SEMESTER, "Q": Frequency.QUARTER}[kind]
    index = int(number) if number else 1
    if year_text:
        if fiscal_start != 1:
            raise PeriodError(
                f"{period_id!r} is a calendar-year period; this calendar's fiscal year starts "
                f"in month {fiscal_start} (ids like FY{year_text}-{(int(year_text) + 1) % 100:02d})"
            )
        return period_of(int(year_text), index, frequency, 1)
    year = int(fy_text)
    if int(fy_next) != (year + 1) % 100:
        raise PeriodError(f"{period_id!r}: a fiscal year spans two consecutive years")
    if fiscal_start == 1:
        raise PeriodError(
            f"{period_id!r} is a fiscal-year period; this calendar uses calendar years"
        )
    return period_of(year, index, frequency, fiscal_start)


def frequency_of(period_id: str) -> Frequency:
    """The frequency a period id belongs to.

    >>> frequency_of("FY2027-28-Q2")
    <Frequency.QUARTER: 'quarter'>
    """
    if isinstance(period_id, str) and _CUSTOM.match(period_id.strip()):
        return Frequency.CUSTOM
    match = _ID.match(period_id.strip()) if isinstance(period_id, str) else None
    if not match:
        raise PeriodError(f"{period_id!r} is not a period id")
    return {None: Frequency.YEAR, "S": Frequency.SEMESTER, "Q": Frequency.QUARTER}[match.group(4)]
