"""The columns of the flat revision record (see :mod:`indicators.records`), in a module of
its own so the stores' schema code can use them without importing pandas."""

from __future__ import annotations

__all__ = ["COLUMNS", "NUMBER_COLUMNS", "VALUE_COLUMNS"]

#: Column name -> kind ("str", "int", "float", "bool") of the revision record.
COLUMNS: dict[str, str] = {
    "uid": "str",
    "indicator": "str",
    "period": "str",
    "revision": "int",
    "status": "str",
    "value": "float",
    "numerator": "float",
    "denominator": "float",
    "level": "str",
    "narrative": "str",
    "parts": "str",
    "comment": "str",
    "evidence": "str",
    "author": "str",
    "role": "str",
    "recorded_at": "str",
    "reason": "str",
    "review_note": "str",
    "base_revision": "int",
    "illustrative": "bool",
    "flags": "str",
}
NUMBER_COLUMNS = ("value", "numerator", "denominator")
#: The columns that make up a measured value: equal in these means the same value.
VALUE_COLUMNS = (
    "value",
    "numerator",
    "denominator",
    "level",
    "narrative",
    "parts",
    "comment",
    "evidence",
)
