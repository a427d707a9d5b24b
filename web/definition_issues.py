"""The reasons an indicator definition typed in the form is refused, in the user's language.

The definition checks (:func:`indicators.definitions.decode_indicator`,
:func:`indicators.definitions.check_against_plan`, :func:`indicators.catalog.protected_changes`)
speak English and name fields as the indicator file does (``weight must be >= 0``,
``end_target: a value is required for this type``), for the command line and the file's
author. The form shows a reason beside its field (:func:`web.definition_form.field_of`), so
the wording here says what is wrong without the file's field name, in the page language. The
forms a form can give are worded; any other message is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

__all__ = ["definition_issue_text"]


def _point(name: str) -> str:
    """A target named by the check (``target 2028``, ``end target``) in words."""
    if name.startswith("target "):
        return _("The target for %(period)s", period=name.removeprefix("target "))
    return _("The end target")


_Word = Callable[[re.Match[str]], str]
_FORMS: list[tuple[str, _Word]] = [
    (
        r"end_year (?P<end>-?\d+) is before start_year (?P<start>-?\d+)",
        lambda m: _(
            "The last year (%(end)s) is before the first year (%(start)s).",
            end=m["end"],
            start=m["start"],
        ),
    ),
    (
        r"title is required \(nl and/or en\)",
        lambda m: _("A title is required, in Dutch, in English or in both."),
    ),
    (r"measures: a list of node ids .* is required", lambda m: _("Choose what it measures.")),
    (r"fiscal_year_start: a month number 1-12", lambda m: _("Give a month number, 1 to 12.")),
    (
        r"scale: an ordinal indicator needs at least two levels",
        lambda m: _("An ordinal scale needs at least two levels."),
    ),
    (
        r"scale: level codes must be unique and not empty",
        lambda m: _("Each level needs a code of its own."),
    ),
    (
        r"scale: each level needs a code and a label",
        lambda m: _("Each level needs a code and a name."),
    ),
    (
        r"scale: only ordinal indicators have a scale",
        lambda m: _("Only an ordinal scale has levels; leave this empty."),
    ),
    (
        r"dimensions?: expected a mapping name -> list of allowed values",
        lambda m: _("Write one dimension a line: name: value, value."),
    ),
    (
        r"dimension '?(?P<name>[^:']*)'?: values must be unique, non-empty text",
        lambda m: _("Dimension %(name)s: each value once, none empty.", name=m["name"]),
    ),
    (
        r"dimension '?(?P<name>[^:']*)'?: lower-case letters, digits and _",
        lambda m: _(
            "Dimension %(name)s: use lower-case letters, digits and _ only.", name=m["name"]
        ),
    ),
    (
        r"dimension '?(?P<name>[^:']*)'?: the name is a column of the import format",
        lambda m: _(
            "Dimension %(name)s: that name is a column of the import file; choose another.",
            name=m["name"],
        ),
    ),
    (
        r"dimension '?(?P<name>[^:']*)'?: a list of allowed values is required",
        lambda m: _("Dimension %(name)s: list its values.", name=m["name"]),
    ),
    (
        r"a percentage needs numerator and denominator labels",
        lambda m: _("A percentage needs a numerator and a denominator."),
    ),
    (
        r"numerator and denominator belong to percentage indicators only",
        lambda m: _("Only a percentage has a numerator and a denominator; leave them empty."),
    ),
    (
        r"sdg_indicators: a list of SDG indicator codes like '16.6.2' \(quoted\)",
        lambda m: _("Write SDG indicator codes like 16.6.2, separated by commas."),
    ),
    (r"weight must be >= 0", lambda m: _("The weight cannot be negative.")),
    (
        r"baseline: value and date are required for this type",
        lambda m: _("This type needs a baseline value and its date."),
    ),
    (
        r"end_target: a value is required for this type",
        lambda m: _("This type needs an end target."),
    ),
    (
        r"(?:baseline|end_target|targets? \S+): (?P<level>'.*') is not a level of the scale",
        lambda m: _("%(level)s is not a level of the scale.", level=m["level"]),
    ),
    (
        r"narrative indicators have no targets",
        lambda m: _("A narrative indicator has no targets; leave this empty."),
    ),
    (
        r"periods are listed only for frequency custom",
        lambda m: _("List periods only for an indicator that reports in periods of its own."),
    ),
    (
        r"frequency custom: list the periods, e\.g\. .*",
        lambda m: _("List its own periods, for example 2020-07-06..2020-09-06."),
    ),
    (
        r"periods: (?P<item>'.*') is not start\.\.end, e\.g\. 2020-07-06\.\.2020-09-06",
        lambda m: _(
            "%(item)s is not start..end, for example 2020-07-06..2020-09-06.", item=m["item"]
        ),
    ),
    (
        r"periods: (?P<period>\S+) is listed twice",
        lambda m: _("Period %(period)s is listed twice.", period=m["period"]),
    ),
    (
        r"periods (?P<a>\S+) and (?P<b>\S+) overlap; periods may not overlap",
        lambda m: _(
            "Periods %(a)s and %(b)s overlap; periods may not overlap.", a=m["a"], b=m["b"]
        ),
    ),
    (
        r"[\w .]+: expected an ISO date like 2024-12-31, got (?P<value>.+)",
        lambda m: _(
            "Write the date as YYYY-MM-DD, for example 2024-12-31 (not %(value)s).",
            value=m["value"],
        ),
    ),
    (
        r"target period (?P<period>'.*') is not one of this indicator's \w+ periods "
        r"\((?P<first>.+) \.\. (?P<last>.+)\)",
        lambda m: _(
            "%(period)s is not one of its periods (%(first)s .. %(last)s).",
            period=m["period"],
            first=m["first"],
            last=m["last"],
        ),
    ),
    (
        r"end target date is before the baseline date",
        lambda m: _("The end target's date is before the baseline's date."),
    ),
    (
        r"the indicator's last period ends before its baseline date",
        lambda m: _("Its last period ends before the baseline's date."),
    ),
    (
        r"(?P<name>target \S+|end target) (?P<value>\S+) is below the baseline (?P<base>\S+) "
        r"of an increase",
        lambda m: _(
            "%(point)s (%(value)s) is below the baseline (%(base)s), while higher is better.",
            point=_point(m["name"]),
            value=m["value"],
            base=m["base"],
        ),
    ),
    (
        r"(?P<name>target \S+|end target) (?P<value>\S+) is above the baseline (?P<base>\S+) "
        r"of a decrease",
        lambda m: _(
            "%(point)s (%(value)s) is above the baseline (%(base)s), while lower is better.",
            point=_point(m["name"]),
            value=m["value"],
            base=m["base"],
        ),
    ),
    (
        r"start_year/end_year: not set and the plan has no years",
        lambda m: _("Give the first and the last year: the plan has no years."),
    ),
    (
        r"has recorded measurements; its (?:type|frequency|fiscal_year_start) cannot change .*",
        lambda m: _("Values are recorded for it, so this can no longer change."),
    ),
    (
        r"has recorded measurements; its custom periods can be added to, not removed or "
        r"changed \((?P<periods>.+)\)",
        lambda m: _(
            "Values are recorded for it: periods can be added, not removed or changed "
            "(%(periods)s).",
            periods=m["periods"],
        ),
    ),
]
_COMPILED = [(re.compile(pattern), word) for pattern, word in _FORMS]


def definition_issue_text(message: str) -> str:
    """``message`` of a definition check in the user's language (as it is when its form is
    not known here).

    >>> definition_issue_text("something else")
    'something else'
    """
    for pattern, word in _COMPILED:
        match = pattern.fullmatch(message)
        if match is not None:
            return word(match)
    return message
