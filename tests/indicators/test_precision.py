"""An indicator's precision and figures for data files (indicators/precision.py)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from indicators.model import Baseline, EndTarget, Indicator, PeriodTarget
from indicators.precision import (
    DATA_EXTRA_DIGITS,
    data_number,
    data_percent,
    decimals,
    figure_decimals,
)
from toc.model import Text


def _ind(kind: str = "number", base=10.0, end=20.0, *targets: float) -> Indicator:
    periods = tuple(PeriodTarget(str(2027 + i), t) for i, t in enumerate(targets))
    return Indicator("i", Text("i", "i"), ("n",), kind, "increase", baseline=Baseline(base),
                     end_target=EndTarget(end), targets=periods)  # fmt: skip


def test_the_precision_comes_from_the_definition():
    assert decimals(_ind("number", 10.0, 20.0, 12.0)) == 0  # whole counts
    assert decimals(_ind("currency", 1000.0, 1500.0)) == 0  # whole euros
    assert decimals(_ind("percentage", 10.0, 20.0)) == 1
    assert decimals(_ind("number", 1.5, 2.25)) == 2  # the figures' own decimals
    assert decimals(_ind("number", 1.5, 2.0, 1.75)) == 2
    assert decimals(_ind("ordinal", None, None)) == 0


def test_data_figures_lose_the_float_noise_and_keep_whole_numbers_whole():
    count, pct = _ind(), _ind("percentage")
    assert data_number(434.99999999999994, count) == 435
    assert isinstance(data_number(435.0, count), int)
    assert data_number(48.568075117370896, pct) == 48.568
    assert data_percent(259.99999999999997) == 260
    assert data_number(None, count) is None and math.isnan(data_number(math.nan, count))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.sampled_from(
    ["number", "percentage", "currency"]))  # fmt: skip
def test_a_data_figure_is_within_half_a_unit_of_its_last_digit(value, kind):
    ind = _ind(kind, 1.5 if kind == "number" else 10.0)
    places = decimals(ind) + DATA_EXTRA_DIGITS
    written = data_number(value, ind)
    assert abs(written - value) <= 0.5 * 10**-places + abs(value) * 1e-15
    assert figure_decimals(float(written)) <= places
