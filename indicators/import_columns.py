"""The column names of the long import format, in one place: the importer reads them and a
dimension may not be named like one of them (it would be read as that column)."""

from __future__ import annotations

__all__ = ["IGNORED_COLUMNS", "NUMBER_COLUMNS", "RESERVED_COLUMNS", "TEXT_COLUMNS"]

NUMBER_COLUMNS = ("value", "numerator", "denominator")
TEXT_COLUMNS = ("indicator", "period", "level", "narrative", "comment", "evidence", "illustrative")
#: Columns of the measurement export that an import accepts and ignores.
IGNORED_COLUMNS = (
    "title",
    "unit",
    "type",
    "status",
    "revision",
    "author",
    "role",
    "recorded_at",
    "period_start",
    "period_end",
    "flags",
    "reason",
    "review_note",
)
#: Every column name of the format.
RESERVED_COLUMNS = (*TEXT_COLUMNS, *NUMBER_COLUMNS, *IGNORED_COLUMNS)
