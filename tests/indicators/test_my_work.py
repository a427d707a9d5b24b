"""A contributor's to-do list (indicators.my_work): returned values with their note, drafts,
and periods that ended without a value, only in scope."""

from __future__ import annotations

import datetime as dt

from indicators.definitions import loads
from indicators.model import MeasurementValue, Revision, RevisionStatus
from indicators.my_work import my_work

DEFS = """
format: toc-indicators/1
indicators:
  - code: ind.a
    measures: [so1.o1]
    title: {nl: A, en: A}
    type: number
    direction: increase
    frequency: year
    baseline: {value: 0, date: 2026-12-31}
    end_target: {value: 10, date: 2031-12-31}
  - code: ind.b
    measures: [so1.o2]
    title: {nl: B, en: B}
    type: number
    direction: increase
    frequency: year
    baseline: {value: 0, date: 2026-12-31}
    end_target: {value: 10, date: 2031-12-31}
"""


def rev(code, period, status, when, note=""):
    return Revision(code, period, 1, status, MeasurementValue(1.0), "ana", when, review_note=note)


def test_returned_drafts_and_due_in_scope(plan):
    defs = {i.code: i for i in loads(DEFS, plan=plan).indicators}
    latest = {
        ("ind.a", "2027"): rev("ind.a", "2027", RevisionStatus.RETURNED, "2028-02-01", "Add proof"),
        ("ind.a", "2028"): rev("ind.a", "2028", RevisionStatus.DRAFT, "2029-01-05"),
        ("ind.b", "2027"): rev("ind.b", "2027", RevisionStatus.RETURNED, "2028-02-02", "Other"),
    }
    work = my_work(latest, defs, {"ind.a"}, dt.date(2030, 3, 1))
    assert [(r.key, r.review_note) for r in work.returned] == [(("ind.a", "2027"), "Add proof")]
    assert [r.key for r in work.drafts] == [("ind.a", "2028")]
    assert [(d.indicator, d.period.id) for d in work.due] == [("ind.a", "2029")]
    assert not work.empty


def test_nothing_due_before_a_period_ends_or_out_of_scope(plan):
    defs = {i.code: i for i in loads(DEFS, plan=plan).indicators}
    assert my_work({}, defs, {"ind.a"}, dt.date(2027, 12, 31)).empty
    assert my_work({}, defs, set(), dt.date(2035, 1, 1)).empty
    assert [d.period.id for d in my_work({}, defs, {"ind.b"}, dt.date(2035, 1, 1)).due] == ["2034"]
