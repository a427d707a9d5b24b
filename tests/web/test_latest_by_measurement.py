"""The one-pass latest revision per measurement agrees with the review chain's definition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indicators.model import CONFLICT, MeasurementValue, Revision, RevisionStatus
from indicators.workflow import latest
from web.measurements import latest_by_measurement, review_queue

_revision = st.builds(
    lambda code, period, number, status, conflict, minute: Revision(
        code,
        period,
        number,
        status,
        MeasurementValue(float(number)),
        "ana",
        f"2029-01-01T00:{minute:02d}:00Z",
        flags=(CONFLICT,) if conflict else (),
    ),
    st.sampled_from(["a", "b"]),
    st.sampled_from(["2028", "2029"]),
    st.integers(1, 4),
    st.sampled_from(list(RevisionStatus)),
    st.booleans(),
    st.integers(0, 59),
)


@given(st.lists(_revision, max_size=30))
def test_the_latest_of_each_measurement_is_the_last_of_its_review_chain(revisions):
    found = latest_by_measurement(revisions)
    keys = {r.key for r in revisions}
    expected = {k: latest([r for r in revisions if r.key == k]) for k in keys}
    assert found == {k: r for k, r in expected.items() if r is not None}
    assert all(found[k] is expected[k] for k in found)  # the same object, ties included


@given(st.lists(_revision, max_size=30))
def test_the_queue_holds_the_measurements_whose_latest_revision_awaits_review(revisions):
    queue = review_queue(revisions)
    assert {r.key for r in queue} == {
        k for k, r in latest_by_measurement(revisions).items() if r.status.value == "submitted"
    }
    assert [r.recorded_at for r in queue] == sorted(r.recorded_at for r in queue)
