"""Reading numbers as their writer meant them, or refusing them (toc.numbers)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toc.numbers import (
    DUTCH,
    ENGLISH,
    PLAIN,
    YAML,
    NumberError,
    excel_error,
    file_number,
    finite_problem,
    format_for,
    read_number,
    reading,
    write_number,
)

finite = st.floats(allow_nan=False, allow_infinity=False)
formats = st.sampled_from([DUTCH, ENGLISH])


@pytest.mark.parametrize(
    "text, fmt, expected",
    [
        ("0,75", DUTCH, 0.75),
        ("1.234,5", DUTCH, 1234.5),
        ("1.234.567", DUTCH, 1234567.0),
        ("-12,5", DUTCH, -12.5),
        ("\u221212,5", DUTCH, -12.5),  # the minus sign of word processors
        ("  7 ", DUTCH, 7.0),
        (",5", DUTCH, 0.5),
        ("1,5e3", DUTCH, 1500.0),
        ("0.75", ENGLISH, 0.75),
        ("1,234.5", ENGLISH, 1234.5),
        ("+3", ENGLISH, 3.0),
        ("1.", ENGLISH, 1.0),
        ("-0", ENGLISH, 0.0),
        ("4.9e-324", ENGLISH, 5e-324),
        ("1_000_000", YAML, 1e6),
        ("12.5", PLAIN, 12.5),
    ],
)
def test_numbers_are_read_in_their_format(text, fmt, expected):
    value = read_number(text, fmt)
    assert value == expected and math.copysign(1, value) == math.copysign(1, expected)


@pytest.mark.parametrize(
    "text, fmt, reason, hint",
    [
        # The reproductions of the issue: never 75, 15 or 125.
        ("0.75", DUTCH, "other_format", "0,75"),
        ("1.5", DUTCH, "other_format", "1,5"),
        ("12,5", ENGLISH, "other_format", "12.5"),
        ("1,234.5", DUTCH, "other_format", "1234,5"),
        ("1.234,5", ENGLISH, "other_format", "1234.5"),
        # Grouping only between groups of exactly three digits, first group not 0.
        ("1.23", DUTCH, "other_format", "1,23"),
        ("12.34.567", DUTCH, "not_a_number", ""),
        ("0.750", DUTCH, "other_format", "0,75"),
        ("1,2345", ENGLISH, "other_format", "1.2345"),
        ("1.234,5", PLAIN, "other_format", "1234.5"),
        ("1 234,5", DUTCH, "not_a_number", ""),
        ("twelve", ENGLISH, "not_a_number", ""),
        ("١٢", ENGLISH, "not_a_number", ""),  # only ASCII digits
        ("inf", ENGLISH, "not_finite", ""),
        ("-Infinity", DUTCH, "not_finite", ""),
        ("nan", ENGLISH, "not_finite", ""),
        ("1e309", ENGLISH, "too_large", ""),
        ("1" + "0" * 400, ENGLISH, "too_large", ""),
        ("1e-400", ENGLISH, "too_small", ""),
        ("#DIV/0!", DUTCH, "excel_error", "#DIV/0!"),
        ("#n/a", ENGLISH, "excel_error", "#N/A"),
        ("9" * 1001, ENGLISH, "too_long", ""),
    ],
)
def test_anything_else_is_refused_with_how_to_write_it(text, fmt, reason, hint):
    with pytest.raises(NumberError) as caught:
        read_number(text, fmt)
    assert (caught.value.reason, caught.value.hint) == (reason, hint)


def test_the_message_says_how_to_write_the_number():
    with pytest.raises(
        NumberError, match=r"^'0\.75' is not a number in the Dutch format: write 0,75 "
    ):
        read_number("0.75", DUTCH)
    with pytest.raises(NumberError, match="the cell holds the Excel error #DIV/0!"):
        read_number("#DIV/0!", ENGLISH)


@pytest.mark.parametrize(
    "text, fmt, value",
    [("1.234", DUTCH, 1234.0), ("1.234", ENGLISH, 1.234), ("1,234", ENGLISH, 1234.0),
     ("1,234", DUTCH, 1.234)],
)  # fmt: skip
def test_text_that_is_another_number_in_the_other_format_is_marked_ambiguous(text, fmt, value):
    found = reading(text, fmt)
    assert found.value == value and found.ambiguous and not found.plain


@pytest.mark.parametrize("text, fmt", [("0,75", DUTCH), ("12.5", ENGLISH), ("1234", DUTCH)])
def test_plainly_written_numbers_are_plain(text, fmt):
    assert reading(text, fmt).plain


def test_the_format_of_a_language():
    assert format_for("nl") is DUTCH and format_for("nl_BE") is DUTCH
    assert format_for("en") is ENGLISH and format_for("fr") is ENGLISH and format_for("") is ENGLISH


@settings(deadline=None)
@given(finite, formats)
def test_a_number_written_in_a_format_reads_back_exactly(x, fmt):
    assert read_number(write_number(x, fmt), fmt) == x + 0.0


def _grouped(x: float, fmt) -> str:
    """``x`` with its thousands grouped, as a spreadsheet in that language shows it."""
    text = write_number(abs(x), PLAIN)
    if "e" in text:
        return write_number(x, fmt)
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if x < 0 else ""
    return sign + fmt.group.join(groups) + (fmt.decimal + frac if frac else "")


@settings(deadline=None)
@given(finite, formats)
def test_a_grouped_number_reads_back_exactly(x, fmt):
    assert read_number(_grouped(x, fmt), fmt) == x + 0.0


@settings(deadline=None)
@given(finite, formats, st.booleans())
def test_a_number_in_the_other_format_is_never_scaled(x, fmt, grouped):
    """Written for one language, read for the other: the same number, refused, or (only
    ``d.ddd`` / ``d,ddd``: a single mark and three digits) a reading marked ambiguous, which
    the form shows for confirmation and an import refuses unless the file tells."""
    other = ENGLISH if fmt is DUTCH else DUTCH
    text = _grouped(x, fmt) if grouped else write_number(x, fmt)
    try:
        found = reading(text, other)
    except NumberError as e:
        assert e.reason in ("other_format", "not_a_number")
        if e.reason == "other_format":
            assert read_number(e.hint, other) == x + 0.0  # the hint is the same number
        return
    assert found.value == x + 0.0 or found.ambiguous


@settings(deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_never_a_crash(text):
    for fmt in (DUTCH, ENGLISH, PLAIN, YAML):
        try:
            value = read_number(text, fmt)
        except NumberError:
            continue
        assert value is None or math.isfinite(value)


def test_finite_problem_of_each_kind_of_number():
    assert finite_problem(1) is None and finite_problem(-0.0) is None
    assert finite_problem(Decimal("1.5")) is None and finite_problem(Fraction(1, 3)) is None
    assert finite_problem(5e-324) is None
    assert finite_problem(math.inf) == "not a finite number"
    assert finite_problem(math.nan) == "not a finite number"
    assert finite_problem(Decimal("Infinity")) == "not a finite number"
    assert finite_problem(10**400) == "too large to store (at most about 1.8e308)"
    assert finite_problem(Decimal("1e400")) == "too large to store (at most about 1.8e308)"
    assert finite_problem(Fraction(1, 10**400)) == "too close to zero to store"
    assert finite_problem(True) == "not a number" and finite_problem("1") == "not a number"
    assert finite_problem(None) == "not a number"


def test_numbers_of_files():
    assert file_number(12) == (12.0, None) and file_number(-0.0) == (0.0, None)
    assert file_number("1.234,5") == (None, "'1.234,5' is text, not a number: write 1234.5")
    assert file_number("lots") == (None, "expected a number, got 'lots'")
    assert file_number(True) == (None, "expected a number, got True")
    assert file_number(10**400) == (None, "too large to store (at most about 1.8e308)")


def test_excel_errors():
    assert excel_error("#VALUE!") == "#VALUE!" and excel_error("#spill!") == "#SPILL!"
    assert excel_error("#GETTING_DATA") == "#GETTING_DATA"
    assert excel_error("#hashtag") is None and excel_error("12") is None
