"""Plain-text tables for the command line: one printer for every command that prints rows
(`toc cypher`, `toc query run|cypher`), so cells read the same everywhere.

* an empty cell (null) is shown as ``—``, never as blank space that reads as "nothing there";
* a cell cut to the column width ends in ``…``, so a cut is visible;
* numbers follow the language: a whole float (an amount such as ``1379829.0``) is shown as a
  whole number with grouping (``1,379,829`` in English, ``1.379.829`` in Dutch), other floats
  with at most two decimals (``13.5`` / ``13,5``; four below 1, for shares such as
  ``0.1186``); integers (years, counts) as they are.

Data formats (CSV, JSON) are written elsewhere, as plain machine values.

>>> print("\\n".join(table_lines(["budget", "note"], [(1379829.0, None), (0.25, "x" * 50)])))
budget     note
---------  ----------------------------------------
1,379,829  —
0.25       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
(2 rows)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from babel.numbers import format_decimal

__all__ = ["ELLIPSIS", "NULL", "cell_text", "cut", "number_text", "table_lines"]

#: What a null cell shows.
NULL = "—"
#: The mark at the end of a cut cell.
ELLIPSIS = "…"


def cell_text(value: Any, lang: str = "en") -> str:
    """One cell as text (see the module for the rules).

    >>> cell_text(1379829.0, "nl"), cell_text(13.5, "nl"), cell_text(2027), cell_text(None)
    ('1.379.829', '13,5', '2027', '—')
    """
    if value is None:
        return NULL
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    pattern = "#,##0" if value.is_integer() else "#,##0.##" if abs(value) >= 1 else "0.####"
    return format_decimal(value, format=pattern, locale=lang)


def number_text(value: float, places: int | None = None, lang: str = "en") -> str:
    """A number on screen: with exactly ``places`` decimals (an indicator's precision, see
    :mod:`indicators.precision`), or by the rules of :func:`cell_text` when None.

    >>> number_text(48.568075117370896, 1), number_text(1379829, 0, "nl"), number_text(2.5)
    ('48.6', '1.379.829', '2.5')
    """
    if not math.isfinite(value):
        return str(value)
    if places is None:
        return cell_text(float(value), lang)
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(value, format=pattern, locale=lang)


def cut(text: str, width: int) -> str:
    """``text`` at most ``width`` characters, ending in :data:`ELLIPSIS` when it was cut.

    >>> cut("abcdef", 4), cut("abc", 4)
    ('abc…', 'abc')
    """
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def table_lines(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    lang: str = "en",
    width: int = 40,
) -> list[str]:
    """The table as lines: a header, a rule, the rows (cells at most ``width`` characters)
    and a row count."""
    body = [[cut(cell_text(v, lang), width) for v in row] for row in rows]
    cells = [[cut(str(c), width) for c in columns], *body]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return lines
