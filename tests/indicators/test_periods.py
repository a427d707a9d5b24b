"""Periods from a calendar setting: contiguous, complete, stable ids."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.model import Frequency
from indicators.periods import PeriodError, frequency_of, parse_period, periods

calendars = st.tuples(
    st.integers(1990, 2090),
    st.integers(0, 12),
    st.sampled_from([f for f in Frequency if f is not Frequency.CUSTOM]),
    st.integers(1, 12),
)


@given(calendars)
def test_periods_are_contiguous_and_start_inside_the_plan(calendar):
    start, span, frequency, fiscal = calendar
    found = periods(start, start + span, frequency, fiscal)
    per_year = {"year": 1, "semester": 2, "quarter": 4}[frequency.value]
    assert len(found) == (span + 1) * per_year
    for before, after in itertools.pairwise(found):
        assert after.start == before.end + dt.timedelta(days=1)
    assert all(dt.date(start, 1, 1) <= p.start <= dt.date(start + span, 12, 31) for p in found)
    assert all(p.start.day == 1 for p in found)


@given(calendars)
def test_period_ids_are_unique_and_parse_back(calendar):
    start, span, frequency, fiscal = calendar
    found = periods(start, start + span, frequency, fiscal)
    assert len({p.id for p in found}) == len(found)
    for p in found:
        assert parse_period(p.id, fiscal) == p
        assert frequency_of(p.id) is frequency


def test_calendar_and_fiscal_ids():
    assert [p.id for p in periods(2027, 2027, "quarter")] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
    ]
    fy = periods(2027, 2027, "year", fiscal_start=4)
    assert [(p.id, p.start, p.end) for p in fy] == [
        ("FY2027-28", dt.date(2027, 4, 1), dt.date(2028, 3, 31))
    ]
    # The fiscal year that started in the previous calendar year has its last quarter inside.
    assert periods(2027, 2027, "quarter", fiscal_start=10)[0].id == "FY2026-27-Q2"
    assert parse_period("2028-S2").start == dt.date(2028, 7, 1)


@pytest.mark.parametrize(
    ("text", "fiscal"),
    [
        ("2027-Q5", 1),
        ("27", 1),
        ("2027-S3", 1),
        ("FY2027-29", 4),
        ("FY2027-28", 1),
        ("2027", 4),
        ("", 1),
    ],
)
def test_bad_period_ids_are_refused(text, fiscal):
    with pytest.raises(PeriodError):
        parse_period(text, fiscal)


def test_bad_calendars_are_refused():
    with pytest.raises(PeriodError, match="month 1-12"):
        periods(2027, 2028, "year", fiscal_start=13)
    with pytest.raises(PeriodError, match="unknown frequency"):
        periods(2027, 2028, "month")
    with pytest.raises(PeriodError, match="before"):
        periods(2028, 2027, "year")
