"""The reasons an import file is refused or warned about: one code per reason, its English
wording and its parameters, so that a page can say each in its own language.

The domain knows no language but English (the command line's); a reason is therefore kept as a
:class:`Why`, a code from :data:`REASONS` with the particulars as text, and worded from it:
:meth:`Why.text` in English here, the web pages in the page language
(:mod:`web.import_reasons`, which has a wording for every code; a test walks this catalogue).

>>> why("unknown_indicator", code=repr("ind.b")).text
"unknown indicator 'ind.b'"
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REASONS", "Why", "why"]

_DECIMAL_FLAG = "(--decimal , or --decimal .)"

REASONS: dict[str, str] = {
    # Cells of the wrong kind.
    "number_in_text": "a number ({value}) where text belongs",
    "other_in_text": "{kind} value {value} where text belongs",
    "text_typed_number": "text {text} where a number belongs: enter it as a number, not as text",
    "text_where_number": "text {text} where a number belongs",
    "other_where_number": "{kind} {value} where a number belongs",
    "number_too_large_cell": "the number is too large to store (at most about 1.8e308) or not "
    "finite",
    "number_not_finite_cell": "{value} is not a finite number",
    "excel_error_number": "the cell holds the Excel error {error}, not a number",
    "excel_error_value": "the cell holds the Excel error {error}, not a value",
    "formula_number": "a formula where a number belongs; enter the value itself",
    "formula_value": "a formula where a value belongs; enter the value itself",
    # Numbers written as text (CSV), after toc.numbers.NumberError.
    "number_not_a_number": "{text} is not a number: write for example {example} ({rules})",
    "number_other_format": "{text} is not a number in the {format} format: write {hint} ({rules})",
    "number_excel_error": "the cell holds the Excel error {hint}, not a number",
    "number_too_large": "{text} is too large to store (at most about 1.8e308)",
    "number_too_small": "{text} is too close to zero to store; write 0 if that is meant",
    "number_not_finite": "{text} is not a finite number",
    "number_too_long": "the text is too long to be a number (more than {most} characters)",
    # The decimal mark of a CSV file.
    "mixed_decimal": "the numbers use both a decimal comma ({comma}) and a decimal point "
    "({point}); write them all one way, or give the decimal mark " + _DECIMAL_FLAG,
    "unknown_decimal": "cannot tell whether {text} has a decimal mark or groups thousands: no "
    "number in the file shows its decimal mark; give it " + _DECIMAL_FLAG,
    # Columns.
    "column_twice": "column {name} appears twice",
    "unknown_column": "unknown column {name}: expected indicator, period, value, numerator, "
    "denominator, level, narrative, comment, evidence or a dimension ({dimensions})",
    "unknown_column_no_dimensions": "unknown column {name}: expected indicator, period, value, "
    "numerator, denominator, level, narrative, comment, evidence or a dimension (none defined)",
    "column_missing": "the {name} column is missing",
    # Rows.
    "comment_without_value": "a comment or evidence without a value",
    "indicator_empty": "the indicator is empty",
    "unknown_indicator": "unknown indicator {code}",
    "period_empty": "the period is empty",
    "period_outside_plan": "period {period} is outside the plan ({first}-{last})",
    "not_a_period": "{period} is not a period of {code}, which reports per {frequency} "
    "({first} .. {last})",
    "no_dimension": "{code} has no dimension {name}; leave it empty",
    "not_a_dimension_value": "{value} is not a value of {name} for {code} ({values})",
    "value_required": "{type} indicator {code}: a value is required",
    "only_value": "{type} indicator {code}: only a value",
    "percentage_needs_both": "percentage {code}: give the numerator and the denominator",
    "denominator_not_positive": "the denominator must be greater than 0",
    "numerator_negative": "the numerator must not be negative",
    "percentage_too_large": "{numerator}/{denominator} as a percentage is too large to store",
    "percentage_mismatch": "{value} % does not match {numerator}/{denominator} = {ratio} %",
    "percentage_no_level": "a percentage has no level or narrative",
    "level_required": "ordinal {code}: a level is required",
    "not_a_level": "{level} is not a level of {code} ({levels})",
    "ordinal_number": "an ordinal indicator records a level, not a number",
    "narrative_required": "a narrative text is required",
    "narrative_text_only": "a narrative indicator records text only",
    "narrative_parts": "a narrative cannot be disaggregated",
    "part_comment": "comments and evidence belong on the total row",
    "illustrative_flag": "illustrative must be true or false, got {value}",
    "duplicate_row": "duplicate row: same indicator, period and dimensions as row {row}",
    "parts_without_total": "disaggregated values of {code} {period} without a total row (a row "
    "with the dimension columns empty)",
    # Warnings: the parts, plausibility, the workflow, the reading.
    "parts_sum_ratio": "parts by {by} add up to {numerator}/{denominator}, not to the total "
    "{total_numerator}/{total_denominator}",
    "parts_sum": "parts by {by} add up to {sum}, not to the total {total}",
    "share_over_100": "{where}numerator {numerator} is larger than denominator {denominator}: "
    "the share is over 100 %",
    "negative": "{where}value {value} is negative, while the baseline and targets are not",
    "far": "value {value} is more than {factor} times the largest planned value ({largest})",
    "returned_unedited": "{code} {period}: returned for a change and not edited; not submitted "
    "again",
    "not_utf8": "the file is not UTF-8 (line {line}); it was read as Windows-1252, the encoding "
    'of Excel\'s CSV on Windows: check the accented letters, or save it as "CSV UTF-8"',
}


@dataclass(frozen=True)
class Why:
    """A reason: its code in :data:`REASONS` and its particulars, as text (quoted values
    already quoted, numbers already written)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The reason in English."""
        return REASONS[self.code].format(**dict(self.params))


def why(reason: str, /, **params: object) -> Why:
    """The reason coded ``reason`` with its particulars; a code outside :data:`REASONS` is a
    programming error (KeyError), so that every reason has its wordings."""
    template = REASONS[reason]
    values = tuple((name, str(value)) for name, value in sorted(params.items()))
    template.format(**dict(values))  # every placeholder given
    return Why(reason, values)
