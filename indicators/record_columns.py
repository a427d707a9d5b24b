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
    #: The value's attached files: JSON, a list of :class:`toc.attachments.Attachment` mappings
    #: (``""`` when none; a store made before files were kept has no such column or property,
    #: read as ``""``). Last, because an older embedded store gains it as its
    #: last column, and a bulk copy into the table matches columns by position.
    "files": "str",
}
NUMBER_COLUMNS = ("value", "numerator", "denominator")
#: The columns that make up a measured value: equal in these means the same value. ``files``
#: is not one of them: a sheet cannot carry files, so an import keeps the files of the value
#: it follows (:mod:`indicators.import_build`) and a value sent again unchanged stays unchanged.
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
