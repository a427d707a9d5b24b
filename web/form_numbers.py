"""Numbers typed into forms, read and shown in the chosen language's format (``12,5`` in
Dutch, ``12.5`` in English), as the update form does.

>>> from flask import Flask
>>> from flask_babel import Babel
>>> app = Flask(__name__)
>>> _ = Babel(app, locale_selector=lambda: "nl")
>>> with app.test_request_context():
...     read_number(" 1.234,5 "), show_number(1234.5), read_number("")
(1234.5, '1234,5', None)
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import format_decimal, get_locale

__all__ = ["NotANumber", "read_number", "show_number"]


class NotANumber(ValueError):
    """The text is not a number in the chosen language's format."""


def read_number(text: str | None) -> float | None:
    """The number in ``text`` (None when it is empty); :class:`NotANumber` when it is not a
    finite number."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = parse_decimal(text, locale=str(get_locale() or "en"), strict=True)
    except NumberFormatError:
        raise NotANumber(text) from None
    if not number.is_finite():
        raise NotANumber(text)
    return float(Decimal(number))


def show_number(number: float | None) -> str:
    """A number for a form field, without grouping ("" for None)."""
    if number is None:
        return ""
    return format_decimal(number, format="0.##########")
