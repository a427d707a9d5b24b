"""The problems of an import file in the user's language.

The importer gives each problem a code of :data:`indicators.import_reasons.REASONS` and its
particulars; this module has a wording for every code (``tests/web/test_import_reasons.py``
walks the catalogue and fails on a code without one, or without its Dutch). The wordings are
for web users: where the command line says ``--decimal``, the page names its own field. A
problem without a code (one the web layer worded itself) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from indicators.errors import ImportProblem
from indicators.importer import ImportReport
from web.dimension_labels import dimension_label, dimension_value_label

__all__ = ["WORDINGS", "init_app", "problem_text", "reading_text"]

Params = dict[str, str]

_FREQUENCIES = {
    "year": _l("year"),
    "semester": _l("semester"),
    "quarter": _l("quarter"),
    "custom": _l("period of its own"),
}
_TYPES = {"number": _l("number"), "currency": _l("currency")}
_MARKS = {".": _l("a decimal point"), ",": _l("a decimal comma")}
_GROUPS = {".": _l("a point"), ",": _l("a comma")}


def _rules(p: Params) -> str:
    """How the file's numbers are written, in words (after :meth:`NumberFormat.describe`)."""
    mark = str(_MARKS.get(p["decimal"], p["decimal"]))
    if not p.get("group"):
        return mark
    return _(
        "%(mark)s; %(group)s only between groups of three digits, as in %(sample)s",
        mark=mark,
        group=str(_GROUPS.get(p["group"], p["group"])),
        sample=f"1{p['group']}234{p['decimal']}5",
    )


def _format_name(name: str) -> str:
    return {"English": _("English"), "Dutch": _("Dutch")}.get(name, name)


WORDINGS: dict[str, Callable[[Params], str]] = {
    "number_in_text": lambda p: _("a number (%(value)s) where text belongs", **p),
    "other_in_text": lambda p: _("a value of type %(kind)s (%(value)s) where text belongs", **p),
    "text_typed_number": lambda p: _(
        "text %(text)s where a number belongs: enter it as a number, not as text", **p
    ),
    "text_where_number": lambda p: _("text %(text)s where a number belongs", **p),
    "other_where_number": lambda p: _(
        "a value of type %(kind)s (%(value)s) where a number belongs", **p
    ),
    "number_too_large_cell": lambda p: _(
        "the number is too large to store (at most about 1.8e308) or not finite"
    ),
    "number_not_finite_cell": lambda p: _("%(value)s is not a finite number", **p),
    "excel_error_number": lambda p: _(
        "the cell holds the Excel error %(error)s, not a number", **p
    ),
    "excel_error_value": lambda p: _("the cell holds the Excel error %(error)s, not a value", **p),
    "formula_number": lambda p: _("a formula where a number belongs; enter the value itself"),
    "formula_value": lambda p: _("a formula where a value belongs; enter the value itself"),
    "number_not_a_number": lambda p: _(
        "%(text)s is not a number: write for example %(example)s (%(rules)s)",
        text=p["text"],
        example=p["example"],
        rules=_rules(p),
    ),
    "number_other_format": lambda p: _(
        "%(text)s is not a number in the %(format)s format: write %(hint)s (%(rules)s)",
        text=p["text"],
        format=_format_name(p["format"]),
        hint=p["hint"],
        rules=_rules(p),
    ),
    "number_excel_error": lambda p: _(
        "the cell holds the Excel error %(error)s, not a number", error=p["hint"]
    ),
    "number_too_large": lambda p: _(
        "%(text)s is too large to store (at most about 1.8e308)", text=p["text"]
    ),
    "number_too_small": lambda p: _(
        "%(text)s is too close to zero to store; write 0 if that is meant", text=p["text"]
    ),
    "number_not_finite": lambda p: _("%(value)s is not a finite number", value=p["text"]),
    "number_too_long": lambda p: _(
        "the text is too long to be a number (more than %(most)s characters)", most=p["most"]
    ),
    "mixed_decimal": lambda p: _(
        "the numbers use both a decimal comma (%(comma)s) and a decimal point (%(point)s): "
        "write them all one way, or choose the decimal mark under “CSV: decimal mark” and "
        "check the file again",
        **p,
    ),
    "unknown_decimal": lambda p: _(
        "cannot tell whether %(text)s has a decimal mark or groups thousands: no number in "
        "the file shows its decimal mark; choose it under “CSV: decimal mark” and check the "
        "file again",
        **p,
    ),
    "column_twice": lambda p: _("column %(name)s appears twice", **p),
    "unknown_column": lambda p: _(
        "unknown column %(name)s: expected indicator, period, value, numerator, denominator, "
        "level, narrative, comment, evidence or a dimension (%(dimensions)s)",
        **p,
    ),
    "unknown_column_no_dimensions": lambda p: _(
        "unknown column %(name)s: expected indicator, period, value, numerator, denominator, "
        "level, narrative, comment or evidence (no dimensions are defined)",
        **p,
    ),
    "column_missing": lambda p: _("the %(name)s column is missing", **p),
    "comment_without_value": lambda p: _("a comment or evidence without a value"),
    "indicator_empty": lambda p: _("the indicator is empty"),
    "unknown_indicator": lambda p: _("unknown indicator %(code)s", **p),
    "period_empty": lambda p: _("the period is empty"),
    "period_outside_plan": lambda p: _(
        "period %(period)s is outside the plan (%(first)s-%(last)s)", **p
    ),
    "not_a_period": lambda p: _(
        "%(period)s is not a period of %(code)s, which reports per %(frequency)s "
        "(%(first)s .. %(last)s)",
        period=p["period"],
        code=p["code"],
        frequency=str(_FREQUENCIES.get(p["frequency"], p["frequency"])),
        first=p["first"],
        last=p["last"],
    ),
    "no_dimension": lambda p: _("%(code)s has no dimension %(name)s; leave it empty", **p),
    "not_a_dimension_value": lambda p: _dimension_value(p),
    "value_required": lambda p: _(
        "%(code)s (%(type)s): a value is required",
        code=p["code"],
        type=str(_TYPES.get(p["type"], p["type"])),
    ),
    "only_value": lambda p: _(
        "%(code)s (%(type)s): only a value, no numerator, denominator, level or text",
        code=p["code"],
        type=str(_TYPES.get(p["type"], p["type"])),
    ),
    "percentage_needs_both": lambda p: _(
        "percentage %(code)s: give the numerator and the denominator", **p
    ),
    "denominator_not_positive": lambda p: _("the denominator must be greater than 0"),
    "numerator_negative": lambda p: _("the numerator must not be negative"),
    "percentage_too_large": lambda p: _(
        "%(numerator)s/%(denominator)s as a percentage is too large to store", **p
    ),
    "percentage_mismatch": lambda p: _(
        "%(value)s %% does not match %(numerator)s/%(denominator)s = %(ratio)s %%", **p
    ),
    "percentage_no_level": lambda p: _("a percentage has no level or narrative"),
    "level_required": lambda p: _("ordinal %(code)s: a level is required", **p),
    "not_a_level": lambda p: _("%(level)s is not a level of %(code)s (%(levels)s)", **p),
    "ordinal_number": lambda p: _("an ordinal indicator records a level, not a number"),
    "narrative_required": lambda p: _("a narrative text is required"),
    "narrative_text_only": lambda p: _("a narrative indicator records text only"),
    "narrative_parts": lambda p: _("a narrative cannot be disaggregated"),
    "part_comment": lambda p: _("comments and evidence belong on the total row"),
    "illustrative_flag": lambda p: _("illustrative must be true or false, got %(value)s", **p),
    "duplicate_row": lambda p: _(
        "duplicate row: same indicator, period and dimensions as row %(row)s", **p
    ),
    "parts_without_total": lambda p: _(
        "disaggregated values of %(code)s %(period)s without a total row (a row with the "
        "dimension columns empty)",
        **p,
    ),
    "parts_sum_ratio": lambda p: _(
        "parts by %(by)s add up to %(numerator)s/%(denominator)s, not to the total "
        "%(total_numerator)s/%(total_denominator)s",
        **p,
    ),
    "parts_sum": lambda p: _("parts by %(by)s add up to %(sum)s, not to the total %(total)s", **p),
    "share_over_100": lambda p: (
        p["where"]
        + _(
            "numerator %(num)s is larger than denominator %(den)s: the share is over 100 %%",
            num=p["numerator"],
            den=p["denominator"],
        )
    ),
    "negative": lambda p: (
        p["where"]
        + _("value %(value)s is negative, while the baseline and targets are not", value=p["value"])
    ),
    "far": lambda p: _(
        "value %(value)s is more than %(factor)s times the largest planned value (%(largest)s)",
        **p,
    ),
    "returned_unedited": lambda p: _(
        "%(code)s %(period)s: returned for a change and not edited; not submitted again", **p
    ),
    "not_utf8": lambda p: _(
        "the file is not UTF-8 (line %(line)s); it was read as Windows-1252, the encoding of "
        "Excel's CSV on Windows: check the accented letters, or save it as “CSV UTF-8”",
        **p,
    ),
}


def _dimension_value(p: Params) -> str:
    """A dimension value the indicator does not have: the codes the file may hold, each with
    its name in the user's language where it has one ("bj (Benin)", "female (vrouwen)"), and
    the dimension's name after the column's."""
    name = p["name"]
    listed = [v for v in p["values"].split(", ") if v]
    named = ", ".join(
        f"{v} ({label})" if (label := dimension_value_label(name, v)) != v else v for v in listed
    )
    label = dimension_label(name)
    return _(
        "%(value)s is not a value of the column %(name)s%(label)s for %(code)s; allowed: "
        "%(values)s",
        value=p["value"],
        name=name,
        label=f" ({label})" if label != name else "",
        code=p["code"],
        values=named,
    )


def problem_text(problem: ImportProblem) -> str:
    """Why ``problem`` is a problem, in the user's language (its stored text when it has no
    code, e.g. a reason the web layer worded itself)."""
    wording = WORDINGS.get(problem.code)
    if wording is None:
        return problem.reason
    return wording(dict(problem.params))


_SEPARATORS = {
    ",": _l("separated by commas"),
    ";": _l("separated by semicolons"),
    "\t": _l("separated by tabs"),
    "|": _l("separated by vertical bars"),
}
_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": _l("UTF-8 (with byte order mark)"),
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}


def reading_text(report: ImportReport) -> str:
    """How a CSV file was read, in the user's language ("" for a workbook)."""
    delimiter, encoding, decimal, given = report.read_as
    if not delimiter:
        return ""
    mark = str(_MARKS.get(decimal, decimal))
    return ", ".join(
        [
            str(_SEPARATORS.get(delimiter, repr(delimiter))),
            str(_ENCODINGS.get(encoding, encoding)),
            _("%(mark)s (given)", mark=mark) if given else mark,
        ]
    )


def init_app(app: Flask) -> None:
    """Make :func:`problem_text` and :func:`reading_text` available in templates."""
    app.add_template_global(problem_text)
    app.add_template_global(reading_text)
