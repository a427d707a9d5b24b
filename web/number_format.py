"""Babel's number formatting, with the figures already written kept: a page of a quarterly
indicator writes hundreds of figures (chart ticks, values, targets), each costing Babel
about 25 µs to parse its pattern and round, and most of them recur from page to page.

>>> format_decimal(12500.5, "#,##0.#", "nl"), format_decimal(-0.0, None, "en")
('12.500,5', '-0')
"""

from __future__ import annotations

import threading
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal as _babel_format_decimal

__all__ = ["format_decimal"]

#: Most figures kept; the memo is emptied when it is full (figures recur, so it fills again).
MAX_KEPT = 50_000

_kept: dict[tuple[type, str, str | None, str], str] = {}
_lock = threading.Lock()


def format_decimal(number: float | Decimal | str, format: str | None, locale: Locale | str) -> str:
    """``babel.numbers.format_decimal(number, format=format, locale=locale)``, remembered.

    The memo's key holds the number's type and ``repr``: equal numbers that Babel writes
    differently (``-0.0`` and ``0.0``, ``Decimal("1.50")`` and ``1.5``) are kept apart.
    Errors (a number the pattern cannot round) are raised as Babel raises them, not kept.
    """
    key = (type(number), repr(number), format, str(locale))
    found = _kept.get(key)
    if found is not None:
        return found
    text: str = _babel_format_decimal(number, format=format, locale=locale)
    with _lock:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = text
    return text
