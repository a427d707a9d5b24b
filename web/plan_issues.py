"""The reasons a plan edit is refused, in the user's language and with the form's own names.

Plan validation (:mod:`toc.validate`) speaks English and names fields as the plan file does
(``start_year 2040 lies outside the plan (2027-2036)``), for the command line and the plan
file's author. A form shows the same reason beside the field, by the field's label in the page
language ("Tot (jaar): 2040 valt buiten het plan (2027-2036)"). The known forms are worded
here; any other message is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

from web.labels import field_label

__all__ = ["issue_text"]

Label = Callable[[str], str]

_FORMS: list[tuple[re.Pattern[str], Callable[[re.Match[str], Label], str]]] = [
    (
        re.compile(
            r"(?P<name>\w+) (?P<year>-?\d+) lies outside the plan \((?P<a>\d+)-(?P<b>\d+)\)"
        ),
        lambda m, label: _(
            "%(field)s: %(year)s lies outside the plan (%(first)s-%(last)s)",
            field=label(m["name"]),
            year=m["year"],
            first=m["a"],
            last=m["b"],
        ),
    ),
    (
        re.compile(r"start_year (?P<start>-?\d+) is after end_year (?P<end>-?\d+)"),
        lambda m, label: _(
            "%(start_field)s (%(start)s) is after %(end_field)s (%(end)s)",
            start_field=label("start_year"),
            start=m["start"],
            end_field=label("end_year"),
            end=m["end"],
        ),
    ),
    (
        re.compile(r"required field '(?P<name>\w+)' is missing"),
        lambda m, label: _("%(field)s is required", field=label(m["name"])),
    ),
    (
        re.compile(r"period (?P<period>'.*') must look like 2027-2031"),
        lambda m, label: _(
            "%(field)s %(period)s must look like 2027-2031",
            field=label("period"),
            period=m["period"],
        ),
    ),
    (
        re.compile(r"a title is required \(in nl, en or both\)"),
        lambda m, label: _("A title is required, in Dutch, in English or in both."),
    ),
]


def issue_text(message: str, label: Label | None = None) -> str:
    """``message`` in the user's language, naming fields by ``label(name)`` (by default the
    plan field's translated name, :func:`web.labels.field_label`).

    >>> issue_text("something else")
    'something else'
    """
    name_of = label or field_label
    for pattern, word in _FORMS:
        match = pattern.fullmatch(message)
        if match is not None:
            return word(match, name_of)
    return message
