"""Forms for a node or link of any kind, built from the kind registry (see
:mod:`web.kind_fields` for the pure conversion): one WTForms field per input, labelled in the
page language. Values are checked against the plan when it is saved, as a plan file is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Regexp

from toc.document import ID_PATTERN
from toc.limits import MAX_ID_LENGTH, str_limit, text_limit
from web.form_numbers import NotANumber, read_number, show_number
from web.kind_fields import Input, Value, edge_inputs, node_inputs
from web.labels import VALUES, field_label
from web.plan_forms import Checkboxes

__all__ = ["KindForm", "kind_form", "problem_text", "read_float", "show_float"]

#: Text fields long enough for several lines.
_LONG = frozenset({"description", "rationale", "vision", "mission", "note"})
_LANG = {"nl": _l("%(field)s (Dutch)"), "en": _l("%(field)s (English)")}


class KindForm(FlaskForm):
    """A form of one node or link kind; ``inputs`` are its registry-driven fields."""

    base = HiddenField()
    inputs: Sequence[Input] = ()

    def input_fields(self) -> list[Field]:
        return [self[i.name] for i in self.inputs]

    def show(self, values: dict[str, Value]) -> None:
        for i in self.inputs:
            self[i.name].data = values.get(i.name)

    def typed(self) -> dict[str, Value]:
        return {i.name: self[i.name].data for i in self.inputs}


def _choice_label(value: str) -> str:
    return str(VALUES.get(value, value))


def _field(i: Input) -> Field:
    spec = i.spec
    name = field_label(i.field)
    if i.lang is not None:
        label = _LANG[i.lang] % {"field": name}
        limit = [Length(max=text_limit(i.field))]
        if i.field in _LONG:
            return TextAreaField(label, validators=limit, render_kw={"rows": 3})
        return StringField(label, validators=limit)
    if spec.type == "bool":
        return BooleanField(name)
    if spec.type == "strings":
        if spec.choices:
            return Checkboxes(name, choices=[], validate_choice=False)
        return TextAreaField(name, render_kw={"rows": 3}, description=_l("One per line."))
    if spec.choices:
        return SelectField(name, choices=[], validate_choice=False)
    render: dict[str, Any] = {}
    if spec.type in ("int", "float"):
        render["inputmode"] = "numeric" if spec.type == "int" else "decimal"
    if spec.type == "date":
        render["type"] = "date"
    if i.field in _LONG:
        return TextAreaField(
            name, validators=[Length(max=str_limit(i.field))], render_kw={"rows": 3}
        )
    return StringField(name, validators=[Length(max=str_limit(i.field))], render_kw=render)


_ID = [
    InputRequired(_l("Give an id.")),
    Length(max=MAX_ID_LENGTH),
    Regexp(
        ID_PATTERN, message=_l("Use letters, digits and . _ -, starting with a letter or digit.")
    ),
]


def kind_form(
    node_kind: str | None = None,
    edge_kind: str | None = None,
    new_id: bool = False,
    ends: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None,
) -> KindForm:
    """The form of a node of ``node_kind`` (with an id input when ``new_id``) or a link of
    ``edge_kind`` (with choices of its ``ends``, source and target, when it is new)."""
    inputs = node_inputs(node_kind) if node_kind else edge_inputs(edge_kind or "")
    attrs: dict[str, Any] = {"inputs": tuple(inputs)}
    if new_id:
        attrs["node_id"] = StringField(_l("Id"), validators=_ID)
    if ends is not None:
        required = [InputRequired(_l("Choose one."))]
        attrs["source"] = SelectField(
            _l("From"), choices=[], validate_choice=False, validators=required
        )
        attrs["target"] = SelectField(
            _l("To"), choices=[], validate_choice=False, validators=required
        )
    for i in inputs:
        attrs[i.name] = _field(i)
    form_class = type("KindFormOf" + (node_kind or edge_kind or ""), (KindForm,), attrs)
    form: KindForm = form_class()
    # Choices are given to the fields made (WTForms warns of tuples given to the class).
    if ends is not None:
        form["source"].choices, form["target"].choices = ends
    for i in inputs:
        if i.spec.choices and i.spec.type in ("str", "strings"):
            listed = [(c, _choice_label(c)) for c in i.spec.choices]
            form[i.name].choices = listed if i.spec.type == "strings" else [("", "—"), *listed]
    return form


def read_float(text: str) -> float:
    """A number in the user's format (ValueError when it is none)."""
    try:
        number = read_number(text)
    except NotANumber as e:
        raise ValueError(text) from e
    if number is None:
        raise ValueError(text)
    return number


def show_float(number: float) -> str:
    """A number as an input shows it, in the user's format."""
    return show_number(number)


def problem_text(code: str) -> str:
    """The message for a problem code of :mod:`web.kind_fields`."""
    messages = {
        "whole_number": _("Give a whole number, such as 3."),
        "number": _("Give a number, such as 1250.5."),
        "date": _("Give a date as YYYY-MM-DD."),
    }
    return messages.get(code, code)
