"""Numbers of import files read column-wise (indicators.numbers): exactly the rules of
toc.numbers, and the decimal mark of a file told from its numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.numbers import detect_decimal, ratio_percent, read_texts
from toc.numbers import DUTCH, ENGLISH, PLAIN, YAML, NumberError, reading, write_number

#: Texts that look like numbers: digits, marks, signs, exponents, spaces and a few words.
number_like = st.lists(
    st.sampled_from([*"0123456789.,-+eE _", "\u2212", "inf", "nan", "#N/A", "000"]),
    max_size=14,
).map("".join)


def _scalar(text: str, fmt) -> float | None:
    """What the one-number reader makes of a text: its value, NaN for empty, None refused."""
    try:
        value = reading(text, fmt).value if text else math.nan
    except NumberError:
        return None
    return value


@settings(deadline=None)
@given(
    st.lists(number_like | st.floats().map(repr), max_size=20),
    st.sampled_from([DUTCH, ENGLISH, PLAIN, YAML]),
)
def test_a_column_is_read_exactly_as_each_of_its_texts(texts, fmt):
    texts = [t.strip() for t in texts]
    values, refused = read_texts(np.array(texts, dtype=object), fmt)
    for text, value, bad in zip(texts, values.tolist(), refused.tolist(), strict=True):
        expected = _scalar(text, fmt)
        if expected is None:
            assert bad and math.isnan(value), text
        else:
            assert not bad, text
            assert value == expected or (math.isnan(value) and math.isnan(expected)), text


@settings(deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_numbers_written_in_dutch_are_read_back_exactly(xs):
    texts = np.array([write_number(x, DUTCH) for x in xs], dtype=object)
    values, refused = read_texts(texts, DUTCH)
    assert not refused.any() and values.tolist() == [x + 0.0 for x in xs]


def test_unstorable_numbers_are_refused():
    texts = np.array(["1e309", "1" + "0" * 400, "1e-400", "5e-324", "-0", "0e-999"], dtype=object)
    values, refused = read_texts(texts, ENGLISH)
    assert refused.tolist() == [True, True, True, False, False, False]
    assert values[3] == 5e-324 and values[4] == 0.0 and math.copysign(1, values[4]) == 1


@pytest.mark.parametrize(
    "texts, name, reason, examples",
    [
        (["12,5", "3", "1.234,5"], "Dutch", "", ()),
        (["0.75", "3", "1,234.5"], "English", "", ()),
        (["3", "4", "-7"], "English", "", ()),  # nothing to tell: both agree
        ([], "English", "", ()),
        (["12,5", "0.75"], None, "mixed", ("12,5", "0.75")),
        (["1.234", "7"], None, "ambiguous", ("1.234",)),
        (["1,234", "12"], None, "ambiguous", ("1,234",)),
        (["1.234", "12,5"], "Dutch", "", ()),  # the comma tells: 1.234 groups thousands
        (["1,234", "0.5"], "English", "", ()),
        (["x", "#DIV/0!", "1.5"], "English", "", ()),  # text that is no number says nothing
    ],
)
def test_the_decimal_mark_of_a_file(texts, name, reason, examples):
    found = detect_decimal(np.array(texts, dtype=object))
    assert (found.format.name if found.format else None, found.reason, found.examples) == (
        name,
        reason,
        examples,
    )


def test_ratios_beyond_the_float_range_are_infinite_for_the_caller_to_refuse():
    num = np.array([1e308, 3.0, 1.0, np.nan, 2.0])
    den = np.array([1e-320, 4.0, 0.0, 1.0, -1.0])
    ratio = ratio_percent(num, den)
    assert math.isinf(ratio[0]) and ratio[1] == 75.0
    assert np.isnan(ratio[2:]).all()
