"""Tests for indicators.progress: exact small cases, edge cases and hypothesis properties."""

import doctest
import math
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators import progress
from indicators.progress import (
    DEFAULT_THRESHOLDS,
    Direction,
    Status,
    Thresholds,
    aggregate_period_values,
    aggregate_ratio,
    assess,
    assess_ordinal,
    band_status,
    clamp_percent,
    elapsed_fraction,
    expected_value,
    narrative_status,
    progress_percent,
    status_from_progress,
)

D0 = date(2024, 1, 1)
D_MID = date(2024, 1, 6)
D1 = date(2024, 1, 11)  # 10 days after D0, D_MID is half way


def assess_mid(baseline, target, actual, direction, at=D_MID, **kw):
    return assess(
        baseline, target, actual, direction, baseline_date=D0, target_date=D1, at=at, **kw
    )


def test_doctests_pass():
    result = doctest.testmod(progress)
    assert result.attempted > 10
    assert result.failed == 0


# ----------------------------------------------------------------------------- Status / enums


def test_status_values_and_severity():
    assert [s.value for s in Status] == ["on_track", "at_risk", "off_track", "no_data"]
    assert (
        Status.NO_DATA.severity
        < Status.ON_TRACK.severity
        < Status.AT_RISK.severity
        < Status.OFF_TRACK.severity
    )
    assert not Status.NO_DATA.has_data
    assert all(s.has_data for s in Status if s is not Status.NO_DATA)
    assert Status("off_track") is Status.OFF_TRACK
    assert Direction("maintain") is Direction.MAINTAIN


def test_thresholds_validation():
    assert Thresholds(0.9, 0.7, 0.05, 0.15) == DEFAULT_THRESHOLDS
    with pytest.raises(ValueError):
        Thresholds(on_track_ratio=0.6, at_risk_ratio=0.7)
    with pytest.raises(ValueError):
        Thresholds(on_track_band=0.2, at_risk_band=0.1)
    with pytest.raises(ValueError):
        Thresholds(at_risk_ratio=-0.1)
    with pytest.raises(TypeError):
        Thresholds(on_track_ratio="0.9")
    with pytest.raises(AttributeError):
        DEFAULT_THRESHOLDS.on_track_ratio = 0.5  # frozen


# ----------------------------------------------------------------------------- building blocks


def test_progress_percent_exact():
    assert progress_percent(0, 100, 50) == 50.0
    assert progress_percent(50, 30, 40) == 50.0  # decrease: a drop is progress
    assert progress_percent(50, 30, 60) == -50.0  # wrong way: negative, not clamped
    assert progress_percent(0, 10, 15) == 150.0  # overshoot: not clamped
    assert progress_percent(0, 100, None) is None
    assert progress_percent(7, 7, 7) is None  # baseline == target: undefined
    assert progress_percent(Decimal("0.5"), Decimal("1.5"), Decimal("1.0")) == 50.0
    assert progress_percent(Fraction(1, 3), Fraction(2, 3), Fraction(1, 2)) == pytest.approx(50.0)
    # a subnormal distance overflows the float range: +/-inf, never an exception or NaN
    assert progress_percent(0.0, 5e-324, 1.0) == math.inf
    assert progress_percent(0.0, 5e-324, -1.0) == -math.inf
    assert status_from_progress(math.inf, 50.0) is Status.ON_TRACK
    assert status_from_progress(-math.inf, 50.0) is Status.OFF_TRACK
    with pytest.raises(ValueError):
        status_from_progress(math.nan, 50.0)


@pytest.mark.parametrize(
    ("value", "error"),
    [("50", TypeError), (True, TypeError), (b"1", TypeError), (float("nan"), ValueError),
     (float("inf"), ValueError), (Decimal("NaN"), ValueError), ([1], TypeError)],
)  # fmt: skip
def test_non_numbers_rejected(value, error):
    with pytest.raises(error):
        progress_percent(0, 100, value)
    with pytest.raises(error):
        progress_percent(value, 100, 1)
    with pytest.raises(error):
        aggregate_ratio([(value, 1)])
    with pytest.raises(error):
        aggregate_period_values([1, value], cumulative=False)


def test_clamp_percent():
    assert clamp_percent(150.0) == 100.0
    assert clamp_percent(-20.0) == 0.0
    assert clamp_percent(0.0) == 0.0
    assert clamp_percent(55.5) == 55.5
    assert clamp_percent(None) is None


def test_elapsed_fraction_and_expected_value():
    assert elapsed_fraction(D0, D1, D_MID) == 0.5
    assert elapsed_fraction(D0, D1, D0) == 0.0
    assert elapsed_fraction(D0, D1, D1) == 1.0
    assert elapsed_fraction(D0, D1, date(2020, 1, 1)) == 0.0  # before baseline
    assert elapsed_fraction(D0, D1, date(2030, 1, 1)) == 1.0  # after target
    assert elapsed_fraction(D0, D1, datetime(2024, 1, 6, 23, 59)) == 0.5  # time of day ignored
    assert elapsed_fraction(D0, D0, D0) == 1.0  # same dates: a step
    assert elapsed_fraction(D0, D0, D0 - timedelta(days=1)) == 0.0
    with pytest.raises(ValueError):
        elapsed_fraction(D1, D0, D_MID)
    with pytest.raises(TypeError):
        elapsed_fraction("2024-01-01", D1, D_MID)

    assert expected_value(0, 100, D0, D1, D_MID) == 50.0
    assert expected_value(100, 60, D0, D1, D_MID) == 80.0
    assert expected_value(0.1, 0.3, D0, D1, D1) == 0.3  # endpoints exact
    assert expected_value(0.1, 0.3, D0, D1, date(1999, 1, 1)) == 0.1
    assert expected_value(5, 5, D0, D1, D_MID) == 5.0


def test_status_from_progress_boundaries():
    assert status_from_progress(45.0, 50.0) is Status.ON_TRACK  # exactly 90 %
    assert status_from_progress(44.9, 50.0) is Status.AT_RISK
    assert status_from_progress(35.0, 50.0) is Status.AT_RISK  # exactly 70 %
    assert status_from_progress(34.9, 50.0) is Status.OFF_TRACK
    assert status_from_progress(None, 50.0) is Status.NO_DATA
    assert status_from_progress(0.0, 0.0) is Status.ON_TRACK  # nothing expected yet
    assert status_from_progress(-0.1, 0.0) is Status.OFF_TRACK  # moved away before start
    strict = Thresholds(on_track_ratio=1.0, at_risk_ratio=0.95)
    assert status_from_progress(45.0, 50.0, strict) is Status.OFF_TRACK
    assert status_from_progress(48.0, 50.0, strict) is Status.AT_RISK


def test_band_status_exact():
    assert band_status(100, 100) is Status.ON_TRACK
    assert band_status(105, 100) is Status.ON_TRACK  # +5 % inclusive
    assert band_status(95, 100) is Status.ON_TRACK
    assert band_status(106, 100) is Status.AT_RISK
    assert band_status(85, 100) is Status.AT_RISK  # -15 % inclusive
    assert band_status(84, 100) is Status.OFF_TRACK
    assert band_status(-104, -100) is Status.ON_TRACK  # relative to |target|
    assert band_status(0, 0) is Status.ON_TRACK  # target 0: exact only
    assert band_status(0.001, 0) is Status.OFF_TRACK
    assert band_status(None, 100) is Status.NO_DATA
    assert band_status(200, 100, Direction.INCREASE) is Status.ON_TRACK  # beyond: fine
    assert band_status(200, 100, Direction.DECREASE) is Status.OFF_TRACK
    assert band_status(50, 100, Direction.DECREASE) is Status.ON_TRACK


# ----------------------------------------------------------------------------- assess


def test_assess_increase_exact():
    a = assess_mid(0, 100, 50, "increase")
    assert a.status is Status.ON_TRACK
    assert a.actual == 50.0
    assert a.expected == 50.0
    assert a.expected_progress_percent == 50.0
    assert a.progress_percent == 50.0
    assert a.progress_percent_clamped == 50.0
    assert a.achievement_ratio == 1.0
    assert a.deviation_percent == -50.0
    assert assess_mid(0, 100, 40, "increase").status is Status.AT_RISK
    assert assess_mid(0, 100, 30, "increase").status is Status.OFF_TRACK
    assert assess_mid(0, 100, 45, Direction.INCREASE).status is Status.ON_TRACK


def test_assess_decrease_exact():
    a = assess_mid(80, 40, 60, "decrease")  # expected 60 at mid-point
    assert (a.status, a.expected, a.progress_percent) == (Status.ON_TRACK, 60.0, 50.0)
    b = assess_mid(80, 40, 70, "decrease")  # dropped only 10 of the 20 expected
    assert (b.status, b.progress_percent, b.achievement_ratio) == (Status.OFF_TRACK, 25.0, 0.5)
    c = assess_mid(80, 40, 90, "decrease")  # went up: negative progress
    assert c.progress_percent == -25.0
    assert c.progress_percent_clamped == 0.0
    assert c.status is Status.OFF_TRACK


def test_assess_clamped_vs_raw():
    a = assess_mid(0, 100, 150, "increase", at=D1)
    assert a.progress_percent == 150.0
    assert a.progress_percent_clamped == 100.0
    assert a.status is Status.ON_TRACK
    b = assess_mid(0, 100, -20, "increase")
    assert (b.progress_percent, b.progress_percent_clamped) == (-20.0, 0.0)


def test_assess_no_data():
    a = assess_mid(0, 100, None, "increase")
    assert a.status is Status.NO_DATA
    assert a.actual is None
    assert a.expected == 50.0  # still useful for charts
    assert a.progress_percent is None
    assert a.progress_percent_clamped is None
    assert a.achievement_ratio is None
    assert a.deviation_percent is None
    assert assess_mid(5, 5, None, "maintain").status is Status.NO_DATA


def test_assess_before_baseline_date():
    before = date(2023, 12, 1)
    a = assess_mid(10, 20, 10, "increase", at=before)
    assert a.expected == 10.0
    assert a.expected_progress_percent == 0.0
    assert a.achievement_ratio is None  # nothing expected yet
    assert a.status is Status.ON_TRACK
    assert assess_mid(10, 20, 12, "increase", at=before).status is Status.ON_TRACK
    assert assess_mid(10, 20, 9, "increase", at=before).status is Status.OFF_TRACK


def test_assess_after_target_date():
    after = date(2026, 1, 1)
    a = assess_mid(10, 20, 19, "increase", at=after)
    assert (a.expected, a.expected_progress_percent) == (20.0, 100.0)
    assert a.status is Status.ON_TRACK  # 90 % of the way
    assert assess_mid(10, 20, 18, "increase", at=after).status is Status.AT_RISK
    assert assess_mid(10, 20, 16, "increase", at=after).status is Status.OFF_TRACK
    assert assess_mid(10, 20, 25, "increase", at=after).progress_percent == 150.0


def test_assess_baseline_equals_target():
    a = assess_mid(50, 50, 60, "increase")
    assert a.progress_percent is None  # no division by zero
    assert a.progress_percent_clamped is None
    assert a.achievement_ratio is None
    assert a.expected == 50.0
    assert a.status is Status.ON_TRACK  # above target for an increase
    assert assess_mid(50, 50, 48, "increase").status is Status.ON_TRACK  # -4 %
    assert assess_mid(50, 50, 45, "increase").status is Status.AT_RISK  # -10 %
    assert assess_mid(50, 50, 40, "increase").status is Status.OFF_TRACK  # -20 %
    assert assess_mid(50, 50, 40, "decrease").status is Status.ON_TRACK
    assert assess_mid(50, 50, 60, "decrease").status is Status.OFF_TRACK
    assert assess_mid(0, 0, 0, "increase").status is Status.ON_TRACK
    assert assess_mid(0, 0, -1, "increase").status is Status.OFF_TRACK


def test_assess_maintain():
    assert assess_mid(100, 100, 104, "maintain").status is Status.ON_TRACK
    assert assess_mid(100, 100, 96, "maintain").status is Status.ON_TRACK
    assert assess_mid(100, 100, 110, "maintain").status is Status.AT_RISK
    assert assess_mid(100, 100, 80, "maintain").status is Status.OFF_TRACK
    m = assess_mid(90, 100, 104, "maintain")  # band is around the target, not the trajectory
    assert m.status is Status.ON_TRACK
    assert m.deviation_percent == pytest.approx(4.0)
    wide = Thresholds(on_track_band=0.2, at_risk_band=0.5)
    assert assess_mid(100, 100, 80, "maintain", thresholds=wide).status is Status.ON_TRACK


def test_assess_validation():
    with pytest.raises(ValueError, match="increase"):
        assess_mid(100, 0, 50, "increase")
    with pytest.raises(ValueError, match="decrease"):
        assess_mid(0, 100, 50, "decrease")
    with pytest.raises(ValueError):
        assess_mid(0, 100, 50, "sideways")
    with pytest.raises(ValueError):
        assess(0, 100, 50, "increase", baseline_date=D1, target_date=D0, at=D_MID)
    with pytest.raises(TypeError):
        assess_mid("0", 100, 50, "increase")
    assert assess_mid(Decimal("0"), Decimal("100"), Decimal("50"), "increase").status is (
        Status.ON_TRACK
    )


def test_assess_ordinal():
    a = assess_ordinal(0, 4, 2, baseline_date=D0, target_date=D1, at=D_MID, n_levels=5)
    assert (a.expected, a.progress_percent, a.status) == (2.0, 50.0, Status.ON_TRACK)
    b = assess_ordinal(0, 4, 1, baseline_date=D0, target_date=D1, at=D_MID)
    assert b.status is Status.OFF_TRACK
    c = assess_ordinal(0, 4, 4, baseline_date=D0, target_date=D1, at=D1)
    assert c.status is Status.ON_TRACK
    d = assess_ordinal(0, 4, None, baseline_date=D0, target_date=D1, at=D1)
    assert d.status is Status.NO_DATA
    e = assess_ordinal(3, 1, 2, baseline_date=D0, target_date=D1, at=D_MID, direction="decrease")
    assert e.status is Status.ON_TRACK
    with pytest.raises(ValueError):
        assess_ordinal(0, 5, 1, baseline_date=D0, target_date=D1, at=D_MID, n_levels=5)
    with pytest.raises(ValueError):
        assess_ordinal(-1, 2, 1, baseline_date=D0, target_date=D1, at=D_MID)
    with pytest.raises(TypeError):
        assess_ordinal(0, 2, 1.5, baseline_date=D0, target_date=D1, at=D_MID)
    with pytest.raises(TypeError):
        assess_ordinal(0, 2, "good", baseline_date=D0, target_date=D1, at=D_MID)


def test_narrative_status():
    assert narrative_status() is Status.NO_DATA
    assert narrative_status(None) is Status.NO_DATA
    assert narrative_status(Status.OFF_TRACK) is Status.OFF_TRACK
    assert narrative_status("on_track") is Status.ON_TRACK
    with pytest.raises(ValueError):
        narrative_status("great")


# ----------------------------------------------------------------------------- aggregation


def test_aggregate_ratio_exact():
    assert aggregate_ratio([(30, 100), (10, 100)]) == 0.2
    assert aggregate_ratio([(1, 1), (0, 9)]) == 0.1
    assert aggregate_ratio([(0, 0), (3, 4)]) == 0.75  # single zero denominator is fine
    assert aggregate_ratio([]) is None
    assert aggregate_ratio([(0, 0)]) is None
    assert aggregate_ratio([(5, 0), (1, 0)]) is None
    assert aggregate_ratio([(2.0, 5e-324)]) == math.inf  # beyond the float range
    assert aggregate_ratio(iter([(Decimal("0.1"), Decimal("0.3"))])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        aggregate_ratio([(1, -2)])


def test_aggregate_ratio_differs_from_mean_of_percentages():
    parts = [(1, 1), (0, 9)]
    mean_of_percentages = sum(n / d for n, d in parts) / len(parts)
    assert mean_of_percentages == 0.5
    assert aggregate_ratio(parts) == 0.1


def test_aggregate_period_values_exact():
    assert aggregate_period_values([10, 25, 40], cumulative=True) == 40
    assert aggregate_period_values([10, 25, 40], cumulative=False) == 75
    assert aggregate_period_values([10, 25, None], cumulative=True) == 25  # latest reported
    assert aggregate_period_values([], cumulative=True) is None
    assert aggregate_period_values([None, None], cumulative=False) is None
    total = aggregate_period_values([Decimal("0.1"), Decimal("0.2")], cumulative=False)
    assert total == Decimal("0.3")
    assert isinstance(total, Decimal)
    assert aggregate_period_values((v for v in [1, 2, 3]), cumulative=False) == 6
    with pytest.raises(TypeError):
        aggregate_period_values([Decimal("1"), 1.5], cumulative=False)


# ----------------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
small_ints = st.integers(min_value=-(10**6), max_value=10**6)
numbers_ = finite | small_ints
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def increase_cases(draw):
    """A consistent increase indicator with dates, actual and evaluation date."""
    baseline = draw(numbers_)
    target = draw(numbers_)
    assume(target >= baseline)
    d0 = draw(dates)
    d1 = draw(st.dates(min_value=d0, max_value=date(2041, 1, 1)))
    at = draw(dates)
    actual = draw(st.none() | numbers_)
    return baseline, target, actual, d0, d1, at


@settings(deadline=None)
@given(increase_cases())
def test_direction_symmetry(case):
    """Mirroring an increase indicator (x -> -x) into a decrease one keeps progress and status."""
    baseline, target, actual, d0, d1, at = case
    up = assess(baseline, target, actual, "increase", baseline_date=d0, target_date=d1, at=at)
    mirrored_actual = None if actual is None else -actual
    down = assess(
        -baseline, -target, mirrored_actual, "decrease", baseline_date=d0, target_date=d1, at=at
    )
    assert down.status is up.status
    assert down.progress_percent == up.progress_percent
    assert down.progress_percent_clamped == up.progress_percent_clamped
    assert down.expected_progress_percent == up.expected_progress_percent
    assert down.achievement_ratio == up.achievement_ratio
    assert down.expected == -up.expected
    # maintain is symmetric under the same mirror too
    m_up = assess(baseline, target, actual, "maintain", baseline_date=d0, target_date=d1, at=at)
    m_down = assess(
        -baseline, -target, mirrored_actual, "maintain", baseline_date=d0, target_date=d1, at=at
    )
    assert m_down.status is m_up.status


@settings(deadline=None)
@given(increase_cases(), numbers_, numbers_, st.sampled_from(["increase", "decrease"]))
def test_monotonicity(case, x, y, direction):
    """A better actual (further in the indicator's direction) never gives a worse status."""
    baseline, target, _, d0, d1, at = case
    if direction == "decrease":
        baseline, target = -baseline, -target
    worse, better = sorted([x, y]) if direction == "increase" else sorted([x, y], reverse=True)
    kw = {"baseline_date": d0, "target_date": d1, "at": at}
    s_worse = assess(baseline, target, worse, direction, **kw)
    s_better = assess(baseline, target, better, direction, **kw)
    assert s_better.status.severity <= s_worse.status.severity
    if s_worse.progress_percent is not None:
        assert s_better.progress_percent >= s_worse.progress_percent


@settings(deadline=None)
@given(numbers_, numbers_, numbers_)
def test_maintain_monotonicity(target, x, y):
    """For maintain, being closer to the target never gives a worse status."""
    closer, further = sorted([x, y], key=lambda v: abs(v - target))
    kw = {"baseline_date": D0, "target_date": D1, "at": D_MID}
    s_closer = assess(target, target, closer, "maintain", **kw).status
    s_further = assess(target, target, further, "maintain", **kw).status
    assert s_closer.severity <= s_further.severity


@settings(deadline=None)
@given(increase_cases())
def test_status_consistent_with_thresholds_and_clamp(case):
    baseline, target, actual, d0, d1, at = case
    a = assess(baseline, target, actual, "increase", baseline_date=d0, target_date=d1, at=at)
    assert 0.0 <= a.expected_progress_percent <= 100.0
    assert min(baseline, target) <= a.expected <= max(baseline, target)
    if actual is None:
        assert a.status is Status.NO_DATA
        return
    assert a.status.has_data
    if a.progress_percent is None:
        assert baseline == target
    else:
        assert 0.0 <= a.progress_percent_clamped <= 100.0
        assert a.progress_percent_clamped == min(100.0, max(0.0, a.progress_percent))
        assert a.status is status_from_progress(a.progress_percent, a.expected_progress_percent)


parts_strategy = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))
    | st.tuples(
        st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
        st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    ),
    max_size=30,
)


@given(parts_strategy, st.randoms(use_true_random=False))
def test_aggregate_ratio_sum_over_sum_and_order_independent(parts, rnd):
    total_num = sum(Fraction(n) for n, _ in parts)
    total_den = sum(Fraction(d) for _, d in parts)
    result = aggregate_ratio(parts)
    if total_den == 0:
        assert result is None
    else:
        exact = total_num / total_den
        if exact > Fraction(sys.float_info.max):
            assert result == math.inf
        else:
            assert result == float(exact)
            assert result == pytest.approx(
                sum(float(n) for n, _ in parts) / sum(float(d) for _, d in parts)
            )
    shuffled = list(parts)
    rnd.shuffle(shuffled)
    assert aggregate_ratio(shuffled) == result  # exactly, not approximately


@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=10),
    st.lists(st.integers(1, 1000), min_size=1, max_size=10),
)
def test_ratio_of_sums_is_between_part_ratios(nums, dens):
    """Sum-over-sum is a weighted mean of the part ratios (weights = denominators)."""
    parts = list(zip(nums, dens, strict=False))
    ratios = [n / d for n, d in parts]
    result = aggregate_ratio(parts)
    assert min(ratios) - 1e-12 <= result <= max(ratios) + 1e-12
    if len(set(dens)) == 1:  # equal denominators: the plain mean of ratios agrees
        assert result == pytest.approx(sum(ratios) / len(ratios))


@given(st.lists(st.none() | small_ints | finite, max_size=30))
def test_cumulative_is_last_value_and_sum_otherwise(values):
    present = [v for v in values if v is not None]
    last = aggregate_period_values(values, cumulative=True)
    total = aggregate_period_values(values, cumulative=False)
    if not present:
        assert last is None
        assert total is None
    else:
        assert last == present[-1]
        assert total == pytest.approx(sum(present))
