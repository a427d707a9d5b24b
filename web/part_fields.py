"""Disaggregated values in the update form: one row per allowed value of each dimension.

An indicator disaggregated by ``sex`` (female, male) and ``country`` (BJ, SN) gets a small
table per dimension; each row takes the part's number (or numerator and denominator, or
level, as the total does). Empty rows are no parts. Parts by a combination of dimensions
(e.g. sex x country, which an import can bring) do not fit these tables: the form keeps them
as they are and says so, so saving a value never drops parts silently.

Field names use positions, not the dimension values, so any value text is safe in a name:
``part-<dimension index>-<value index>-<field>``.

>>> from indicators.model import Dimension, Indicator, Text
>>> ind = Indicator("i", Text(en="I"), ("n",), "number", "increase",
...                 dimensions=(Dimension("sex", ("female", "male")),))
>>> grid = read_grid(ind, {"part-0-0-value": "4", "part-0-1-value": ""}, (), float)
>>> grid.parts()
(Part(dims=(('sex', 'female'),), value=4.0, numerator=None, denominator=None, level=None),)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from indicators.model import Indicator, IndicatorType, Part

__all__ = ["PartGrid", "PartRow", "grid_for", "part_keys", "read_grid"]

#: Reads a number typed by the user; raises ValueError when the text is not one.
NumberReader = Callable[[str], "float | None"]
#: Shows a stored number in the user's format.
NumberWriter = Callable[[float], str]


def part_keys(indicator: Indicator) -> tuple[str, ...]:
    """The fields a part has for this indicator's type (none for narratives)."""
    kind = indicator.type
    if kind is IndicatorType.PERCENTAGE:
        return ("numerator", "denominator")
    if kind is IndicatorType.ORDINAL:
        return ("level",)
    if kind is IndicatorType.NARRATIVE:
        return ()
    return ("value",)


@dataclass
class PartRow:
    """One allowed value of a dimension: its form fields, the text in them, any messages."""

    prefix: str
    dimension: str
    value: str
    text: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return f"{self.prefix}-{key}"

    @property
    def filled(self) -> bool:
        return any(t.strip() for t in self.text.values())


@dataclass
class PartGrid:
    """The rows of every dimension, plus the combined-dimension parts kept unchanged."""

    indicator: Indicator
    dimensions: list[tuple[str, list[PartRow]]]
    kept: tuple[Part, ...] = ()
    _parsed: dict[str, dict[str, float | str | None]] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(row.errors for _, rows in self.dimensions for row in rows)

    def parts(self) -> tuple[Part, ...]:
        """The parts typed in (rows with no errors and something filled in) and the kept ones."""
        out = list(self.kept)
        for _, rows in self.dimensions:
            for row in rows:
                numbers = self._parsed.get(row.prefix)
                if numbers is None:
                    continue
                out.append(Part(((row.dimension, row.value),), **numbers))  # type: ignore[arg-type]
        return tuple(out)


def _rows(indicator: Indicator) -> list[tuple[str, list[PartRow]]]:
    return [
        (
            dim.name,
            [PartRow(f"part-{d}-{v}", dim.name, value) for v, value in enumerate(dim.values)],
        )
        for d, dim in enumerate(indicator.dimensions)
    ]


def _single(part: Part) -> tuple[str, str] | None:
    return part.dims[0] if len(part.dims) == 1 else None


def grid_for(indicator: Indicator, parts: Sequence[Part], show_number: NumberWriter) -> PartGrid:
    """The grid filled in from stored parts (what the form shows before any input)."""
    dimensions = _rows(indicator) if part_keys(indicator) else []
    by_key = {row_key: row for _, rows in dimensions for row in rows
              for row_key in [(row.dimension, row.value)]}  # fmt: skip
    kept = []
    for part in parts:
        row = by_key.get(_single(part))  # type: ignore[arg-type]
        if row is None:
            kept.append(part)
            continue
        for key in part_keys(indicator):
            stored = getattr(part, key)
            if key == "level":
                row.text[key] = stored or ""
            else:
                row.text[key] = "" if stored is None else show_number(stored)
    return PartGrid(indicator, dimensions, tuple(kept))


def read_grid(
    indicator: Indicator,
    form: Mapping[str, str],
    kept: Sequence[Part],
    read_number: NumberReader,
    messages: Mapping[str, str] | None = None,
) -> PartGrid:
    """The grid as submitted, with a message on every field that cannot be used.

    ``kept`` are the stored parts the grid cannot show (combined dimensions); ``messages``
    gives the texts of the messages (``number``, ``level``, ``both``, ``denominator``,
    ``negative``, ``ratio``) in the user's language, and ``number_error`` may be a function
    that words the error ``read_number`` raised (how to write the number).
    """
    say = {
        "number": "Enter a number.",
        "level": "Choose one of the levels.",
        "both": "Enter both the numerator and the denominator.",
        "denominator": "The denominator must be more than 0.",
        "negative": "The numerator must be 0 or more.",
        "ratio": "The share of these two numbers is too large to store.",
        **(messages or {}),
    }
    keys = part_keys(indicator)
    grid = PartGrid(indicator, _rows(indicator) if keys else [],
                    tuple(p for p in kept if _single(p) is None))  # fmt: skip
    levels = {lv.code for lv in indicator.scale}
    for _, rows in grid.dimensions:
        for row in rows:
            row.text = {key: str(form.get(row.name(key), "") or "") for key in keys}
            if not row.filled:
                continue
            numbers: dict[str, float | str | None] = {}
            for key in keys:
                text = row.text[key].strip()
                if key == "level":
                    if text not in levels:
                        row.errors[key] = say["level"]
                    numbers[key] = text
                    continue
                try:
                    numbers[key] = read_number(text) if text else None
                except ValueError as e:
                    word = (messages or {}).get("number_error")
                    row.errors[key] = word(e) if callable(word) else say["number"]
            if indicator.type is IndicatorType.PERCENTAGE and not row.errors:
                num, den = numbers.get("numerator"), numbers.get("denominator")
                if num is None or den is None:
                    row.errors["numerator" if num is None else "denominator"] = say["both"]
                elif den <= 0:  # type: ignore[operator]
                    row.errors["denominator"] = say["denominator"]
                elif num < 0:  # type: ignore[operator]
                    row.errors["numerator"] = say["negative"]
                elif not math.isfinite(num / den * 100.0):  # type: ignore[operator]
                    row.errors["denominator"] = say["ratio"]
            if not row.errors:
                grid._parsed[row.prefix] = numbers
    return grid
