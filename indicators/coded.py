"""A text column as a code per row into the table of its distinct values.

Import files repeat the same few texts a million times (indicator codes, periods, dimension
values, levels, and often the numbers too), so a check is done once per distinct value and
spread to the rows with one NumPy take: ``column.where(lambda v: v in allowed)`` looks at 2,000
codes, not at 1,000,000 cells.

>>> import pyarrow as pa
>>> c = Coded.of(pa.array([" a", "b", "a ", ""]))
>>> c.values.tolist(), c.codes.tolist()
(['a', 'b', ''], [0, 1, 0, 2])
>>> c.where(lambda v: v != "").tolist()
[True, True, True, False]
>>> c[1], c.take([0, 3]).strings()
('b', ['a', ''])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Coded", "pack", "pair_ids"]


@dataclass(frozen=True)
class Coded:
    """``values[codes[i]]`` is the text of row ``i``; the values are distinct."""

    codes: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, column: pa.Array | pa.ChunkedArray, strip: bool = True) -> Coded:
        """Encode a text column (missing cells become ``""``), stripping surrounding
        whitespace from every value unless ``strip`` is false."""
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(pc.fill_null(column.cast(pa.string()), ""))
        values = np.array(column.dictionary.to_pylist(), dtype=object)
        codes = column.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        if strip:
            stripped = np.array([v.strip() for v in values], dtype=object)
            if (stripped != values).any():
                return cls.from_values(stripped[codes] if len(codes) else stripped[:0])
        return cls(codes, values)

    @classmethod
    def of_column(cls, column: pd.Series, strip: bool = True) -> Coded:
        """Encode a pandas text column (pandas' Arrow-backed text is not copied)."""
        if isinstance(column.dtype, pd.StringDtype):
            return cls.of(pa.array(column.array), strip)
        cells = column.astype(object).where(column.notna(), "").astype(str).tolist()
        return cls.of(pa.array(cells, pa.string()), strip)

    @classmethod
    def from_values(cls, cells: Sequence[str] | np.ndarray) -> Coded:
        """Encode a sequence of texts."""
        seen: dict[str, int] = {}
        codes = np.fromiter(
            (seen.setdefault(c, len(seen)) for c in cells), dtype=np.int64, count=len(cells)
        )
        return cls(codes, np.array(list(seen), dtype=object))

    @classmethod
    def blank(cls, size: int) -> Coded:
        """A column of ``size`` empty cells."""
        return cls(np.zeros(size, dtype=np.int64), np.array([""], dtype=object))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> str:
        return self.values[self.codes[row]]

    def where(self, predicate: Callable[[str], bool]) -> np.ndarray:
        """A row mask: ``predicate`` applied to each distinct value."""
        per_value = np.fromiter(map(predicate, self.values), dtype=bool, count=len(self.values))
        return per_value[self.codes]

    def filled(self) -> np.ndarray:
        """Which rows are not empty."""
        return self.where(bool)

    def lookup(self, mapping: Mapping[str, Any], default: Any = None) -> np.ndarray:
        """``mapping[text]`` per row (``default`` where the text is not in it)."""
        per_value = np.empty(len(self.values), dtype=object)
        per_value[:] = [mapping.get(v, default) for v in self.values]
        return per_value[self.codes]

    def mapped(self, fn: Callable[[str], str]) -> Coded:
        """Every text through ``fn``, called once per distinct value; values that become
        equal are merged, so the values stay distinct."""
        new = np.array([fn(v) for v in self.values], dtype=object)
        if len(new) == 0 or (new == self.values).all():
            return self
        return Coded.from_values(new[self.codes] if len(self.codes) else new[:0])

    def take(self, rows: np.ndarray | Sequence[int]) -> Coded:
        """The rows at the given positions (same values)."""
        return Coded(self.codes[np.asarray(rows, dtype=np.int64)], self.values)

    def strings(self) -> list[str]:
        """The text of every row."""
        return self.values[self.codes].tolist() if len(self.codes) else []


def pair_ids(first: Coded, second: Coded) -> tuple[np.ndarray, np.ndarray]:
    """A dense number per distinct (first, second) pair of rows, and per number the pair
    as (first value code, second value code) rows of a 2-column array."""
    width = max(len(second.values), 1)
    ids, unique = pd.factorize(first.codes * width + second.codes)
    pairs = np.stack(np.divmod(np.asarray(unique, dtype=np.int64), width), axis=1)
    return ids.astype(np.int64), pairs.reshape(-1, 2)


def pack(columns: Sequence[np.ndarray], widths: Sequence[int]) -> np.ndarray:
    """One integer per row for its tuple of codes (``columns[i]`` holds codes ``0 ..
    widths[i] - 1``), ordered like the tuples: mixed-radix digits when the product of the
    widths fits in 62 bits, else the rank of each distinct tuple.

    >>> pack([np.array([1, 0, 1]), np.array([2, 5, 0])], [2, 6]).tolist()
    [8, 5, 6]
    """
    widths = [max(int(w), 1) for w in widths]
    if math.prod(widths) < 2**62:
        packed = np.zeros(len(columns[0]), dtype=np.int64)
        for column, width in zip(columns, widths, strict=True):
            packed = packed * width + column
        return packed
    ranks = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)[1]
    return ranks.reshape(-1).astype(np.int64)
