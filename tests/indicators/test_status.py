"""Progress per indicator and period, to-date aggregation, as-of reproducibility and the
pathway roll-up with the assumption-to-test signal."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.definitions import decode_indicator, indicator_periods
from indicators.model import MeasurementValue, Revision
from indicators.pathway_status import compute_plan_status, plan_status
from indicators.progress import Status, aggregate_ratio
from indicators.records import revisions_to_frame
from indicators.rollup import RollupRule
from indicators.status import assess_period, counting_frame, indicator_statuses, to_date
from indicators.workflow import apply_step
from tests.conftest import small_plan
from tests.indicators.conftest import small_indicators

numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3))


def number_indicator(direction, base, goal, cumulative=True, targets=None):
    return decode_indicator(
        {
            "code": "ind.x",
            "measures": ["so1"],
            "title": {"en": "X"},
            "type": "number",
            "direction": direction,
            "cumulative": cumulative,
            "start_year": 2027,
            "end_year": 2031,
            "baseline": {"value": base, "date": "2026-12-31"},
            "end_target": {"value": goal},
            "targets": targets or {},
        }
    )


@settings(max_examples=300)
@given(numbers, numbers, numbers, st.integers(0, 4))
def test_direction_symmetry(base, goal, actual, index):
    """Mirroring every number turns an increase into a decrease with the same status."""
    assume(goal >= base)
    up = number_indicator("increase", base, goal)
    down = number_indicator("decrease", -base, -goal)
    period = indicator_periods(up)[index]
    a, b = assess_period(up, period, actual), assess_period(down, period, -actual)
    assert a.status is b.status
    assert (a.progress_percent is None) == (b.progress_percent is None)
    if a.progress_percent is not None:
        assert math.isclose(a.progress_percent, b.progress_percent, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=300)
@given(
    numbers, numbers, numbers, numbers, st.integers(0, 4), st.sampled_from(["increase", "decrease"])
)
def test_a_better_value_never_gets_a_worse_status(base, goal, low, high, index, direction):
    assume(goal >= base if direction == "increase" else goal <= base)
    low, high = sorted((low, high))
    if direction == "decrease":
        low, high = high, low  # for a decrease, the lower number is the better one
    ind = number_indicator(direction, base, goal)
    period = indicator_periods(ind)[index]
    worse = assess_period(ind, period, low).status.severity
    better = assess_period(ind, period, high).status.severity
    assert better <= worse


def test_a_period_target_is_the_expected_value_of_its_period():
    ind = number_indicator("increase", 10, 20, targets={"2028": 12})
    p2027, p2028 = indicator_periods(ind)[:2]
    assert assess_period(ind, p2028, 12).expected == 12
    assert assess_period(ind, p2028, 11.7).status is Status.AT_RISK  # 85 % of the way to 12
    assert assess_period(ind, p2027, 12).expected == pytest.approx(12, abs=0.01)  # the line
    assert assess_period(ind, p2027, None).status is Status.NO_DATA


def rows(pairs):
    return [
        {
            "period": str(2027 + i),
            "numerator": float(n),
            "denominator": float(d),
            "value": float("nan"),
            "revision": 1,
            "level": "",
            "illustrative": False,
            "flags": "",
        }
        for i, (n, d) in enumerate(pairs)
    ]


ratios = st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=5)


@given(ratios)
def test_percentages_to_date_sum_numerators_and_denominators(pairs):
    pct = next(i for i in small_indicators() if i.code == "ind.pct")
    expected = aggregate_ratio(pairs) * 100
    assert math.isclose(to_date(pct, rows(pairs)), expected)
    assert math.isclose(
        to_date(replace(pct, cumulative=True), rows(pairs)), pairs[-1][0] / pairs[-1][1] * 100
    )
    if len(pairs) == 2 and pairs == [(1, 1), (0, 9)]:
        assert to_date(pct, rows(pairs)) == 10.0  # not the mean of 100 % and 0 %


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=5))
def test_cumulative_indicators_use_the_latest_value_others_the_sum(values):
    records = [{"period": str(2027 + i), "value": float(x)} for i, x in enumerate(values)]
    assert to_date(number_indicator("increase", 0, 10, cumulative=True), records) == values[-1]
    assert to_date(number_indicator("increase", 0, 10, cumulative=False), records) == sum(values)


def revision(period, value, number, status, at, indicator="ind.count"):
    return Revision(
        indicator, period, number, status, MeasurementValue(value=value), author="a", recorded_at=at
    )


def test_only_approved_values_count_and_as_of_uses_the_history():
    log = [
        revision("2027", 11, 1, "submitted", "2028-01-10T00:00:00.000000Z"),
        revision("2027", 11, 2, "approved", "2028-01-20T00:00:00.000000Z"),
        revision("2027", 13, 3, "submitted", "2028-03-01T00:00:00.000000Z"),
        revision("2027", 13, 4, "approved", "2028-03-05T00:00:00.000000Z"),
        revision("2028", 9, 1, "submitted", "2029-01-10T00:00:00.000000Z"),
    ]
    frame = revisions_to_frame(log)
    assert counting_frame(frame)["value"].tolist() == [13.0]
    assert counting_frame(frame, "2028-03-01T00:00:00.000000Z")["value"].tolist() == [11.0]
    assert counting_frame(frame, "2028-01-15T00:00:00.000000Z").empty


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2027", "2028", "2029"]),
            st.integers(0, 40),
            st.sampled_from(["submitted", "approved", "returned"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 12),
)
def test_a_report_as_of_a_date_is_reproduced_whatever_came_later(entries, cut):
    """Statuses as of a moment depend only on revisions recorded before it."""
    numbers: dict[str, int] = {}
    log = []
    for i, (period, value, status) in enumerate(entries):
        numbers[period] = numbers.get(period, 0) + 1
        log.append(
            revision(
                period, value, numbers[period], status, f"2030-01-{i + 1:02d}T00:00:00.000000Z"
            )
        )
    cutoff = f"2030-01-{min(cut, len(log)) + 1:02d}T00:00:00.000000Z"
    plan, indicators = small_plan(), small_indicators()
    everything = compute_plan_status(plan, indicators, revisions_to_frame(log), before=cutoff)
    known = [r for r in log if r.recorded_at < cutoff]
    frame = revisions_to_frame(known) if known else revisions_to_frame(log).iloc[0:0]
    then = compute_plan_status(plan, indicators, frame, before=cutoff)
    assert everything.nodes == then.nodes
    assert {c: s.periods for c, s in everything.indicators.items()} == {
        c: s.periods for c, s in then.indicators.items()
    }


def test_indicator_statuses_per_period():
    count = small_indicators()[0]
    frame = counting_frame(
        revisions_to_frame(
            [revision("2027", 12, 1, "approved", "t"), revision("2028", 14, 1, "approved", "t")]
        )
    )
    statuses = indicator_statuses(count, frame.to_dict("records"))
    assert [(s.period.id, s.actual, s.status) for s in statuses] == [
        ("2027", 12.0, Status.ON_TRACK),
        ("2028", 14.0, Status.ON_TRACK),
    ]
    assert statuses[1].target == 14 and statuses[1].percent_of_target == 100.0
    everything = indicator_statuses(count, frame.to_dict("records"), all_periods=True)
    assert [s.status for s in everything[2:]] == [Status.NO_DATA] * 3


def test_the_assumption_to_test_signal(istore):
    """Both objectives on track while the strategic objective they feed is off track."""

    def record(code, period, value):
        apply_step(istore, code, period, "submit", author="a", role="me_officer", value=value)
        apply_step(istore, code, period, "approve", author="b", role="me_officer")

    record("ind.count", "2027", MeasurementValue(value=12))
    record("ind.level", "2027", MeasurementValue(level="mid"))
    record("ind.pct", "2027", MeasurementValue(numerator=1, denominator=10))
    result = plan_status(istore)
    assert result.indicators["ind.count"].status is Status.ON_TRACK
    assert result.nodes["so1.o1"].own is Status.ON_TRACK
    assert result.nodes["so1"].own is Status.OFF_TRACK
    assert result.nodes["so1"].contributions is Status.ON_TRACK
    assert result.assumptions_to_test() == ["so1"]
    assert result.nodes["s1"].own is Status.NO_DATA
    weighted = plan_status(istore, rule="weighted_mean")
    assert weighted.rule == RollupRule("weighted_mean")
    # Nothing approved as of a day before the first value was recorded.
    assert plan_status(istore, as_of="2000-01-01").nodes["so1"].combined is Status.NO_DATA


def test_an_empty_log_gives_no_data_everywhere():
    result = compute_plan_status(small_plan(), small_indicators(), revisions_to_frame([]))
    assert {r.combined for r in result.nodes.values()} == {Status.NO_DATA}
    assert not result.illustrative
    assert isinstance(counting_frame(revisions_to_frame([])), pd.DataFrame)
