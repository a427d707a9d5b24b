"""Paging and filtering the review queue (indicators.review_queue) and the figures beside a
submitted value (indicators.review_context)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.model import MeasurementValue, Revision, RevisionStatus
from indicators.review_queue import queue_page


def rev(code: str, period: str) -> Revision:
    return Revision(code, period, 1, RevisionStatus.SUBMITTED, MeasurementValue(1.0), "ana",
                    "2029-01-01T00:00:00Z")  # fmt: skip


queues = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["2028", "2029", "2030"])),
    unique=True,
).map(lambda keys: [rev(c, p) for c, p in keys])


@settings(deadline=None)  # a loaded machine must not make it flaky
@given(queues, st.integers(1, 7), st.sampled_from([None, "a", "b"]))
def test_the_pages_split_the_filtered_queue_in_order(queue, size, indicator):
    first = queue_page(queue, 1, indicator=indicator, size=size)
    seen = [r for n in range(1, first.pages + 1)
            for r in queue_page(queue, n, indicator=indicator, size=size).items]  # fmt: skip
    assert seen == [r for r in queue if indicator is None or r.indicator == indicator]
    assert first.total == len(seen)
    assert all(len(queue_page(queue, n, indicator=indicator, size=size).items) <= size
               for n in range(1, first.pages + 1))  # fmt: skip


@settings(deadline=None)
@given(queues, st.integers(-5, 50))
def test_a_page_out_of_range_gives_the_nearest_page(queue, number):
    page = queue_page(queue, number, size=2)
    assert 1 <= page.page <= page.pages
    assert page.pages == max(1, -(-len(queue) // 2))


def test_filters_combine():
    queue = [rev("a", "2028"), rev("b", "2028"), rev("a", "2029"), rev("c", "2029")]
    assert [r.key for r in queue_page(queue, period="2029", codes={"a", "b"}).items] == [
        ("a", "2029")
    ]
    assert queue_page(queue, codes=set()).total == 0
    assert queue_page([], 3).items == () and queue_page([], 3).pages == 1


def test_a_page_has_room_for_one_value_at_least():
    with pytest.raises(ValueError, match="at least one"):
        queue_page([], size=0)
