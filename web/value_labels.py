"""The warnings, data problems and stored reasons of measured values in the user's language.

Both are stored or computed as English text (the audit log keeps what was said; the command
line and the API show it as it is): the plausibility warnings a revision is flagged with
(:mod:`indicators.plausibility`) and the reasons a stored value or definition cannot be
counted (:func:`indicators.status.row_problem`, :func:`indicators.status.definition_problems`).
The known forms are translated here, with their numbers in the user's format; any other text
is shown as it is. The reasons the system stores with a revision are codes
(:mod:`indicators.system_notes`), worded here; a person's reason is shown as typed.

>>> value_warning_label("checked by hand") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

from indicators.system_notes import english
from indicators.system_notes import parse as parse_system_note
from web.form_numbers import show_number

__all__ = ["note_label", "problem_label", "value_warning_label"]


def _number(token: str) -> str:
    """A number of a stored message in the user's format, without grouping (as the form
    shows numbers)."""
    try:
        return show_number(float(token))
    except ValueError:
        return token


_WHERE = r"(?P<where>\[[^\]]*\] )?"
_WARNINGS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            _WHERE + r"numerator (?P<num>\S+) is larger than denominator (?P<den>\S+): "
            r"the share is over 100 %"
        ),
        lambda m: (
            (m["where"] or "")
            + _(
                "numerator %(num)s is larger than denominator %(den)s: the share is over 100 %%",
                num=_number(m["num"]),
                den=_number(m["den"]),
            )
        ),
    ),
    (
        re.compile(
            _WHERE + r"value (?P<v>\S+) is negative, while the baseline and targets are not"
        ),
        lambda m: (
            (m["where"] or "")
            + _(
                "value %(value)s is negative, while the baseline and targets are not",
                value=_number(m["v"]),
            )
        ),
    ),
    (
        re.compile(
            r"value (?P<v>\S+) is more than (?P<k>\d+) times the largest planned value "
            r"\((?P<m>\S+)\)"
        ),
        lambda m: _(
            "value %(value)s is more than %(factor)s times the largest planned value (%(largest)s)",
            value=_number(m["v"]),
            factor=m["k"],
            largest=_number(m["m"]),
        ),
    ),
]

_PROBLEMS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"(?P<name>value|numerator|denominator) of (?P<period>\S+) is not a finite number"
        ),
        lambda m: _(
            "the %(field)s of %(period)s is not a finite number",
            field=_field(m["name"]),
            period=m["period"],
        ),
    ),
    (
        re.compile(r"the denominator of (?P<period>\S+) is not above 0"),
        lambda m: _("the denominator of %(period)s is not above 0", period=m["period"]),
    ),
    (
        re.compile(r"the numerator of (?P<period>\S+) is negative"),
        lambda m: _("the numerator of %(period)s is negative", period=m["period"]),
    ),
    (
        re.compile(r"the percentage of (?P<period>\S+) \((?P<ratio>[^)]*)\) is too large to store"),
        lambda m: _(
            "the percentage of %(period)s (%(ratio)s) is too large to store",
            period=m["period"],
            ratio=m["ratio"],
        ),
    ),
    (
        re.compile(r"level (?P<level>.+) of (?P<period>\S+) is not on the scale"),
        lambda m: _(
            "level %(level)s of %(period)s is not on the scale",
            level=m["level"],
            period=m["period"],
        ),
    ),
    (
        re.compile(r"the (?P<name>baseline|end target|target \S+) is not a finite number"),
        lambda m: _("%(point)s is not a finite number", point=_point(m["name"])),
    ),
    (
        re.compile(
            r"the (?P<name>end target|target \S+) (?P<ref>\S+) is (?P<side>below|above) the "
            r"baseline (?P<base>\S+) of an? (?:increase|decrease)"
        ),
        lambda m: (
            _(
                "%(point)s (%(ref)s) is below the baseline (%(base)s) of an increasing indicator",
                point=_point(m["name"]),
                ref=_number(m["ref"]),
                base=_number(m["base"]),
            )
            if m["side"] == "below"
            else _(
                "%(point)s (%(ref)s) is above the baseline (%(base)s) of a decreasing indicator",
                point=_point(m["name"]),
                ref=_number(m["ref"]),
                base=_number(m["base"]),
            )
        ),
    ),
]


def _field(name: str) -> str:
    return {"value": _("value"), "numerator": _("numerator"), "denominator": _("denominator")}[name]


def _point(name: str) -> str:
    if name == "baseline":
        return _("the baseline")
    if name == "end target":
        return _("the end target")
    return _("the target of %(period)s", period=name.removeprefix("target "))


def value_warning_label(text: str) -> str | None:
    """A plausibility warning in the user's language (None when ``text`` is not one)."""
    for pattern, word in _WARNINGS:
        match = pattern.fullmatch(text)
        if match:
            return word(match)
    return None


def problem_label(text: str) -> str:
    """A data problem of an indicator in the user's language (as stored when unknown)."""
    for pattern, word in _PROBLEMS:
        match = pattern.fullmatch(text)
        if match:
            return word(match)
    return text


def note_label(text: str) -> str:
    """A reason stored with a revision in the user's language: the system's notes
    (:mod:`indicators.system_notes`: a code, or an English phrase of an older store) worded,
    a person's text shown as typed.

    >>> note_label("checked by hand")
    'checked by hand'
    """
    note = parse_system_note(text or "")
    if note is None:
        return text
    file = note.arg("file")
    if note.code == "import":
        return _("imported from %(file)s", file=file)
    if note.code == "import_approved":
        return _("imported from %(file)s and approved on import", file=file)
    if note.code == "iati_import":
        activity = note.arg("activity")
        if activity:
            return _("imported from IATI file %(file)s (activity %(activity)s)", file=file,
                     activity=activity)  # fmt: skip
        return _("imported from IATI file %(file)s", file=file)
    if note.code == "conflict":
        texts = {
            "save": _("not saved as a draft: the value had been changed meanwhile"),
            "submit": _("not submitted: the value had been changed meanwhile"),
            "approve": _("not approved: the value had been changed meanwhile"),
            "return": _("not returned: the value had been changed meanwhile"),
        }
        return texts[note.arg("action")]
    return english(note)
