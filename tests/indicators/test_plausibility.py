"""Plausibility warnings (indicators.plausibility): which values are flagged, the same on the
form, the API and an import, and never a refusal."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.definitions import decode_indicator
from indicators.model import MeasurementValue, Part
from indicators.plausibility import flag_rows, limits_of, plausibility_warnings
from indicators.workflow import step

BASE = {"measures": ["o1"], "title": {"en": "I"}, "frequency": "year", "start_year": 2027,
        "end_year": 2030}  # fmt: skip
COUNT = decode_indicator({**BASE, "code": "ind.count", "type": "number", "direction": "increase",
                          "baseline": {"value": 30, "date": "2026-12-31"},
                          "targets": {2028: 32}, "end_target": {"value": 34}})  # fmt: skip
CHANGE = decode_indicator({**BASE, "code": "ind.change", "type": "number", "direction": "increase",
                           "baseline": {"value": -5, "date": "2026-12-31"},
                           "end_target": {"value": 5}})  # fmt: skip
SHARE = decode_indicator({**BASE, "code": "ind.share", "type": "percentage",
                          "direction": "increase", "numerator": {"en": "n"},
                          "denominator": {"en": "d"}, "dimensions": {"sex": ["f", "m"]},
                          "baseline": {"value": 20, "date": "2026-12-31"},
                          "end_target": {"value": 60}})  # fmt: skip
BUDGET = decode_indicator({**BASE, "code": "ind.rate", "type": "percentage",
                           "direction": "increase", "numerator": {"en": "spent"},
                           "denominator": {"en": "budget"},
                           "baseline": {"value": 90, "date": "2026-12-31"},
                           "end_target": {"value": 105}})  # fmt: skip


@pytest.mark.parametrize(
    "indicator, value, expected",
    [
        (COUNT, MeasurementValue(value=31.0), []),
        (COUNT, MeasurementValue(value=0.0), []),
        (COUNT, MeasurementValue(value=-3.0),
         ["value -3 is negative, while the baseline and targets are not"]),
        (COUNT, MeasurementValue(value=340.0), []),  # ten times is still fine
        (COUNT, MeasurementValue(value=341.0),
         ["value 341 is more than 10 times the largest planned value (34)"]),
        (COUNT, MeasurementValue(value=-400.0),
         ["value -400 is negative, while the baseline and targets are not",
          "value -400 is more than 10 times the largest planned value (34)"]),
        (COUNT, MeasurementValue(value=31.0, parts=(Part((("sex", "f"),), -1.0),)),
         ["[sex=f] value -1 is negative, while the baseline and targets are not"]),
        (CHANGE, MeasurementValue(value=-2.0), []),  # the plan itself goes below zero
        (SHARE, MeasurementValue(numerator=12.0, denominator=10.0),
         ["numerator 12 is larger than denominator 10: the share is over 100 %"]),
        (SHARE, MeasurementValue(numerator=10.0, denominator=10.0), []),
        (SHARE, MeasurementValue(numerator=3.0, denominator=10.0,
                                 parts=(Part((("sex", "m"),), numerator=5.0, denominator=4.0),)),
         ["[sex=m] numerator 5 is larger than denominator 4: the share is over 100 %"]),
        (BUDGET, MeasurementValue(numerator=110.0, denominator=100.0), []),  # plans over 100 %
        (COUNT, MeasurementValue(value=float("inf")), []),  # refused elsewhere, not flagged
    ],
)  # fmt: skip
def test_warnings(indicator, value, expected):
    assert plausibility_warnings(indicator, value) == expected


def test_a_warning_is_a_flag_for_the_reviewer_never_a_refusal():
    revision = step([], SHARE, "2028", "submit", author="a", role="contributor",
                    now="2028-01-01T00:00:00.000000Z", base_revision=0,
                    value=MeasurementValue(numerator=12.0, denominator=10.0))  # fmt: skip
    assert revision is not None and revision.status.value == "submitted"
    assert revision.flags == (
        "numerator 12 is larger than denominator 10: the share is over 100 %",
    )
    assert revision.value.value == 120.0


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([COUNT, CHANGE, SHARE, BUDGET]),
            st.floats(-1e4, 1e4),
            st.floats(0, 1e3),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_an_import_column_is_flagged_exactly_as_each_value(rows):
    """flag_rows on whole columns says what plausibility_warnings says of each value."""
    n = len(rows)
    limits = [limits_of(ind) for ind, *_ in rows]
    arrays = {
        "share_over_100": np.array([lim.share_over_100 for lim in limits]),
        "negative": np.array([lim.negative for lim in limits]),
        "far": np.array([np.nan if lim.far is None else lim.far for lim in limits]),
        "largest": np.array([np.nan if lim.largest is None else lim.largest for lim in limits]),
    }
    pct = np.array([ind.type.value == "percentage" for ind, *_ in rows])
    a = np.array([r[1] for r in rows])
    b = np.array([r[2] for r in rows])
    total = ~np.array([r[3] for r in rows])
    value = np.where(pct, np.nan, a)
    numerator = np.where(pct, np.abs(a), np.nan)
    denominator = np.where(pct, b, np.nan)
    found = flag_rows(arrays, value, numerator, denominator, total, lambda i: "[sex=f] ")
    for i, (ind, *_rest) in enumerate(rows):
        dims = () if total[i] else ((("sex", "f"),))
        if pct[i]:
            point = {"numerator": float(numerator[i]), "denominator": float(denominator[i])}
        else:
            point = {"value": float(value[i])}
        if total[i]:
            measured = MeasurementValue(**point)
        else:
            measured = MeasurementValue(parts=(Part(dims, **point),))
        assert [w.text for j, w in found if j == i] == plausibility_warnings(ind, measured)
    assert all(0 <= j < n for j, _ in found)
