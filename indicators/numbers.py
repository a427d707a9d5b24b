"""The numbers of import files, read column-wise with the rules of :mod:`toc.numbers`: the
distinct texts of a column in one Arrow pass (a file may hold a million distinct numbers), the
decimal mark of a CSV file told from its numbers, and the ratio of a percentage checked.

Only the texts that are refused go through Python, to word their message (with the hint of
:func:`toc.numbers.reading`).

>>> import numpy as np
>>> values, bad = read_texts(np.array(["1.234,5", "0,75", "0.75", ""], dtype=object), DUTCH)
>>> values.tolist()[:2], bad.tolist()
([1234.5, 0.75], [False, False, True, False])
>>> detect_decimal(np.array(["12,5", "3"], dtype=object)).format.name
'Dutch'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from toc.numbers import DUTCH, ENGLISH, MAX_TEXT, NumberFormat

__all__ = ["DUTCH", "ENGLISH", "Detected", "detect_decimal", "ratio_percent", "read_texts"]

_MINUS = "\u2212"


def _arrow_pattern(fmt: NumberFormat) -> str:
    """The format's pattern for Arrow (RE2): the same, with the minus sign written out."""
    return fmt.pattern.replace("\\u2212", _MINUS)


def read_texts(texts: np.ndarray, fmt: NumberFormat) -> tuple[np.ndarray, np.ndarray]:
    """Each (stripped) text read in ``fmt``: (floats, refused). Empty text is NaN and not
    refused; text that is not a number of the format, or a number that cannot be stored
    (too large, too close to zero), is NaN and refused. Exactly the rules of
    :func:`toc.numbers.reading`, on whole columns."""
    cells = pa.array(texts.tolist(), pa.string())
    empty = pc.equal(pc.utf8_length(cells), 0)
    valid = pc.and_(
        pc.match_substring_regex(cells, _arrow_pattern(fmt)),
        pc.less_equal(pc.utf8_length(cells), MAX_TEXT),
    )
    canonical = pc.if_else(valid, cells, pa.scalar(None, pa.string()))
    if fmt.group and pc.any(pc.match_substring(canonical, fmt.group)).as_py():
        canonical = pc.replace_substring(canonical, fmt.group, "")
    if fmt.decimal != ".":
        canonical = pc.replace_substring(canonical, fmt.decimal, ".")
    if pc.any(pc.match_substring(canonical, _MINUS)).as_py():
        canonical = pc.replace_substring(canonical, _MINUS, "-")
    parsed = pc.cast(canonical, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
    nonzero = pc.match_substring_regex(canonical, "^[^eE]*[1-9]")
    nonzero_np = nonzero.to_numpy(zero_copy_only=False)
    valid_np = valid.to_numpy(zero_copy_only=False).astype(bool)
    empty_np = empty.to_numpy(zero_copy_only=False).astype(bool)
    with np.errstate(invalid="ignore"):
        unstorable = valid_np & (np.isinf(parsed) | ((parsed == 0) & (nonzero_np == True)))  # noqa: E712
    refused = (~valid_np & ~empty_np) | unstorable
    values = np.where(refused | empty_np, np.nan, parsed + 0.0)  # + 0.0: -0 is stored as 0
    return values, refused


@dataclass(frozen=True)
class Detected:
    """The decimal mark of a file, as told by its numbers: ``format`` (None when they do not
    tell), and when they do not, ``reason`` ("mixed" or "ambiguous") with the texts that
    show it (``examples``: for "mixed" one with a comma and one with a point)."""

    format: NumberFormat | None
    reason: str = ""
    examples: tuple[str, ...] = ()


def detect_decimal(texts: np.ndarray) -> Detected:
    """The decimal mark of the distinct (stripped) number texts of a file.

    A text that is a number only in the Dutch format (``12,5``, ``1.234,5``) says "comma";
    one that is a number only in English (``0.75``, ``1,234.5``) says "point". Texts that are
    numbers in both with the same value (``12``) say nothing. Texts that are numbers in both
    with different values (``1.234`` is 1.234 or 1234) are ambiguous: when nothing else in
    the file says which mark it uses, the file's mark cannot be told. A file whose texts say
    both is "mixed". A file without any number text is English (nothing to read).
    """
    cells = pa.array(texts.tolist(), pa.string())
    marked = pc.or_(pc.match_substring(cells, "."), pc.match_substring(cells, ","))
    texts = texts[marked.to_numpy(zero_copy_only=False).astype(bool)]
    if len(texts) == 0:  # no decimal mark nor group mark anywhere: both formats agree
        return Detected(ENGLISH)
    nl, nl_bad = read_texts(texts, DUTCH)
    en, en_bad = read_texts(texts, ENGLISH)
    nl_ok, en_ok = ~nl_bad & ~np.isnan(nl), ~en_bad & ~np.isnan(en)
    says_comma = np.flatnonzero(nl_ok & ~en_ok)
    says_point = np.flatnonzero(en_ok & ~nl_ok)
    if len(says_comma) and len(says_point):
        return Detected(None, "mixed", (texts[says_comma[0]], texts[says_point[0]]))
    if len(says_comma):
        return Detected(DUTCH)
    if len(says_point):
        return Detected(ENGLISH)
    ambiguous = np.flatnonzero(nl_ok & en_ok & (nl != en))
    if len(ambiguous):
        return Detected(None, "ambiguous", (texts[ambiguous[0]],))
    return Detected(ENGLISH)


def ratio_percent(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator * 100`` per row; NaN where the denominator is not above 0
    or a number is missing, and ``inf`` where the ratio is beyond the float range (a huge
    numerator over a tiny denominator), for the caller to refuse."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return numerator / np.where(denominator > 0, denominator, np.nan) * 100.0
