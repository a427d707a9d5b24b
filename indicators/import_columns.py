"""The column names of the long import format, in one place: the importer reads them and a
dimension may not be named like one of them (it would be read as that column)."""

from __future__ import annotations

__all__ = [
    "COLUMN_ALIASES",
    "IGNORED_COLUMNS",
    "NUMBER_COLUMNS",
    "RESERVED_COLUMNS",
    "TEXT_COLUMNS",
    "canonical_column",
]

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
#: The Dutch headers of a template downloaded in Dutch, read as the column they name.
COLUMN_ALIASES = {
    "periode": "period",
    "waarde": "value",
    "teller": "numerator",
    "noemer": "denominator",
    "niveau": "level",
    "verhaal": "narrative",
    "opmerking": "comment",
    "bewijs": "evidence",
    "illustratief": "illustrative",
}
#: Every column name of the format.
RESERVED_COLUMNS = (*TEXT_COLUMNS, *NUMBER_COLUMNS, *IGNORED_COLUMNS, *COLUMN_ALIASES)


def canonical_column(header: object) -> str:
    """The column a header names: stripped, lower case, a Dutch alias read as its column.

    >>> canonical_column(" Waarde "), canonical_column("sex")
    ('value', 'sex')
    """
    name = str(header).strip().lower()
    return COLUMN_ALIASES.get(name, name)
