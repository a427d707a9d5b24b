"""The remembered number formatting writes every figure exactly as Babel does."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal as babel_format_decimal
from hypothesis import given
from hypothesis import strategies as st

from web.number_format import format_decimal

_numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(-(10**12), 10**12),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
)


@given(
    st.lists(_numbers, max_size=20),
    st.sampled_from([None, "#,##0", "#,##0.#", "#,##0.0"]),
    st.sampled_from(["en", "nl"]),
)
def test_figures_are_written_as_babel_writes_them_whatever_was_written_before(numbers, fmt, lang):
    for number in [*numbers, *numbers]:  # the second time from the memo
        assert format_decimal(number, fmt, lang) == babel_format_decimal(
            number, format=fmt, locale=lang
        )


def test_equal_numbers_that_babel_writes_differently_are_kept_apart():
    assert (format_decimal(0.0, None, "en"), format_decimal(-0.0, None, "en")) == ("0", "-0")
    assert format_decimal(Decimal("1.50"), "#,##0.00", "nl") == "1,50"
    assert format_decimal(1.5, "#,##0.00", "nl") == "1,50"
    assert format_decimal(1, None, "nl") == babel_format_decimal(1, locale="nl")
