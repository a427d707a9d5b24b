"""Numbers typed into forms, read and shown in the chosen language's format (``12,5`` in
Dutch, ``12.5`` in English): the web face of :mod:`toc.numbers`, with its messages in the
user's language.

Every form reads its numbers here (the update form and its disaggregation rows, the
definition and plan forms), so they all follow the same rules: the language's decimal mark,
grouping only between groups of three digits, and anything else refused with a message that
says how to write the number (``0.75`` in Dutch: "write 0,75"). Numbers are shown back
exactly, without grouping (:func:`show_number`), so a form saved unchanged stores the same
numbers.

>>> from flask import Flask
>>> from flask_babel import Babel
>>> app = Flask(__name__)
>>> _ = Babel(app, locale_selector=lambda: "nl")
>>> with app.test_request_context():
...     read_number(" 1.234,5 "), show_number(1234.5), read_number(""), echo_number(0.75)
(1234.5, '1234,5', None, '0,75')
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from indicators.precision import decimals
from toc.numbers import NumberError, NumberFormat, Reading, format_for, reading, write_number
from web.number_format import format_decimal

__all__ = [
    "NotANumber",
    "echo_number",
    "init_app",
    "number_message",
    "read_number",
    "read_typed",
    "safe_decimal",
    "show_number",
    "user_format",
]


class NotANumber(NumberError):
    """The text is not a number in the chosen language's format (a :class:`NumberError`
    with the reason, so :func:`number_message` can word it)."""


def user_format() -> NumberFormat:
    """The number format of this request's language."""
    return format_for(str(get_locale() or "en"))


def read_typed(text: str | None) -> Reading | None:
    """The number typed in ``text`` with how it was written (None when it is empty);
    :class:`NotANumber` when it is not a number that can be stored."""
    text = (text or "").strip()
    if not text:
        return None
    fmt = user_format()
    try:
        return reading(text, fmt)
    except NumberError as e:
        raise NotANumber(e.text, e.reason, e.format, e.hint) from None


def read_number(text: str | None) -> float | None:
    """The number in ``text`` (None when it is empty); :class:`NotANumber` when it is not
    a number in the user's format (see :func:`read_typed`)."""
    found = read_typed(text)
    return None if found is None else found.value


def show_number(number: float | None) -> str:
    """A number for a form field, exactly and without grouping ("" for None)."""
    if number is None:
        return ""
    if not math.isfinite(number):
        return safe_decimal(number)
    return write_number(number, user_format())


def echo_number(number: float) -> str:
    """How a number was read, for the confirmation of a form: exactly, without grouping."""
    return show_number(number)


def number_message(error: NumberError) -> str:
    """Why a typed text is refused, in the user's language, with how to write it."""
    example = write_number(12.5, user_format())
    if error.reason == "other_format":
        return _(
            "“%(text)s” is not written the way numbers are written here: write %(hint)s "
            "(decimals after a %(mark)s; %(group)s only between groups of three digits, as "
            "in %(sample)s).",
            text=error.text,
            hint=error.hint,
            **_marks(),
        )
    if error.reason == "too_large":
        return _("“%(text)s” is too large to store.", text=error.text)
    if error.reason == "too_small":
        return _("“%(text)s” is too close to zero to store; enter 0 if that is meant.",
                 text=error.text)  # fmt: skip
    if error.reason == "not_finite":
        return _("“%(text)s” is not a finite number; enter a number.", text=error.text)
    if error.reason == "too_long":
        return _("This text is too long to be a number.")
    if error.reason == "excel_error":
        return _("%(error)s is a spreadsheet error, not a number.", error=error.hint)
    return _(
        "Enter a number, for example %(example)s (decimals after a %(mark)s; %(group)s only "
        "between groups of three digits, as in %(sample)s).",
        example=example,
        **_marks(),
    )


def _marks() -> dict[str, str]:
    fmt = user_format()
    names = {",": _("comma"), ".": _("point")}
    return {
        "mark": names[fmt.decimal],
        "group": _("a comma") if fmt.group == "," else _("a point"),
        "sample": f"1{fmt.group}234{fmt.decimal}5",
    }


def safe_decimal(number: object, format: str | None = None) -> str:
    """Flask-Babel's ``format_decimal`` that never fails on a stored number: one that is not
    finite (a bad stored value) is shown as ``∞``, ``-∞`` or ``NaN``, and one too large for
    the pattern's precision (Babel cannot round 1e30 to one decimal) exactly, as the form
    shows it. No number (None: nothing counted) is a dash."""
    if number is None:
        return "—"
    if not isinstance(number, bool) and isinstance(number, int | float | Decimal):
        try:
            as_float = float(number)
        except (OverflowError, ValueError):
            as_float = math.nan
        if not math.isfinite(as_float) and not isinstance(number, int):
            if math.isnan(as_float):
                return "NaN"
            return "∞" if as_float > 0 else "-∞"
    try:
        shown = number if isinstance(number, int | float | Decimal | str) else str(number)
        return format_decimal(shown, format, get_locale() or "en")
    except (InvalidOperation, ValueError, OverflowError):
        if isinstance(number, int | float | Decimal) and not isinstance(number, bool):
            return write_number(float(number), user_format())
        raise


def init_app(app: Flask) -> None:
    """Templates format numbers with :func:`safe_decimal` (the ``decimalformat`` filter) and
    show a number exactly as it was read with ``exactnumber`` (:func:`show_number`)."""
    app.jinja_env.filters["decimalformat"] = safe_decimal
    app.jinja_env.filters["exactnumber"] = show_number
    app.jinja_env.globals["indicator_places"] = decimals
