"""The forms of the plan pages: outcomes and outputs, links, assumptions. Each form knows how to
fill itself from a node or link and how to build one from what was typed; checking the result
against the rest of the plan is left to ``store.save_plan`` (see :mod:`web.plan_pages`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from toc.document import ID_PATTERN
from toc.limits import MAX_ID_LENGTH, text_limit
from toc.model import Edge, Node, Text
from web.form_numbers import NotANumber, number_message, read_number, show_number

__all__ = ["AssumptionForm", "Checkboxes", "LinkForm", "NodeForm"]

# The limits every saved plan is checked against (toc.limits), so a form never refuses a text
# a plan file may hold, nor accepts one that saving would refuse.
_TEXT = text_limit("title")
_LONG = text_limit("description")


class Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(nl: str | None, en: str | None) -> Text:
    return Text(nl=(nl or "").strip(), en=(en or "").strip())


class _Texts(FlaskForm):
    """Title and description in both languages, and the fingerprint of what was shown."""

    title_nl = StringField(_l("Title (Dutch)"), validators=[Length(max=_TEXT)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=_TEXT)])
    description_nl = TextAreaField(
        _l("Description (Dutch)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )
    base = HiddenField()

    def validate(
        self, extra_validators: Mapping[str, Sequence[Callable[..., object]]] | None = None
    ) -> bool:
        """WTForms' checks (``extra_validators``: more validators per field name), then a
        title in at least one language."""
        ok = super().validate(extra_validators)
        if not (self.title_nl.data or "").strip() and not (self.title_en.data or "").strip():
            self.title_en.errors.append(_l("Give a title in Dutch, English or both."))
            ok = False
        return ok

    def fill_texts(self, node: Node) -> None:
        self.title_nl.data, self.title_en.data = node.title.nl, node.title.en
        self.description_nl.data = node.description.nl
        self.description_en.data = node.description.en

    def title(self) -> Text:
        return _text(self.title_nl.data, self.title_en.data)

    def description(self) -> Text:
        return _text(self.description_nl.data, self.description_en.data)


_ID = [
    InputRequired(_l("Give an id.")),
    Length(max=MAX_ID_LENGTH),
    Regexp(
        ID_PATTERN, message=_l("Use letters, digits and . _ -, starting with a letter or digit.")
    ),
]


class NodeForm(_Texts):
    """An outcome or an output. A new one also gets the link to what it contributes to."""

    node_id = StringField(_l("Id"), validators=_ID)
    start_year = IntegerField(
        _l("From (year)"),
        validators=[Optional(), NumberRange(1900, 2200, _l("A year from 1900 to 2200."))],
    )
    end_year = IntegerField(
        _l("Until (year)"),
        validators=[Optional(), NumberRange(1900, 2200, _l("A year from 1900 to 2200."))],
    )
    contributes_to = SelectField(_l("Contributes to"), choices=[], validate_choice=False)
    rationale_nl = TextAreaField(
        _l("Why (Dutch)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )
    rationale_en = TextAreaField(
        _l("Why (English)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )

    def fill(self, node: Node) -> None:
        self.fill_texts(node)
        self.start_year.data = node.props.get("start_year")
        self.end_year.data = node.props.get("end_year")

    def node(self, kind: str, before: Node | None) -> Node:
        """The node as typed; what the form does not show is kept from ``before``."""
        props = dict(before.props) if before else {}
        props["start_year"] = self.start_year.data
        props["end_year"] = self.end_year.data
        node_id = before.id if before else (self.node_id.data or "").strip()
        if before is None:
            return Node(kind, node_id, self.title(), self.description(), props=props)
        return Node(
            kind,
            node_id,
            self.title(),
            self.description(),
            source=before.source,
            stated_in=before.stated_in,
            note=before.note,
            props=props,
        )

    def link(self, node_id: str) -> Edge:
        """The new node's contribution link."""
        rationale = _text(self.rationale_nl.data, self.rationale_en.data)
        return Edge(
            "CONTRIBUTES_TO", node_id, self.contributes_to.data or "", {"rationale": rationale}
        )


class LinkForm(FlaskForm):
    """A ``CONTRIBUTES_TO`` link (rationale, assumptions, weight) or an ``ALIGNS_WITH`` link
    (rationale, priority). Kind and ends are chosen when the link is added."""

    source = SelectField(
        _l("From"), choices=[], validate_choice=False, validators=[InputRequired(_l("Choose one."))]
    )
    target = SelectField(
        _l("To"), choices=[], validate_choice=False, validators=[InputRequired(_l("Choose one."))]
    )
    rationale_nl = TextAreaField(
        _l("Why (Dutch)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )
    rationale_en = TextAreaField(
        _l("Why (English)"), validators=[Length(max=_LONG)], render_kw={"rows": 4}
    )
    assumptions = Checkboxes(_l("Assumptions this link relies on"), choices=[])
    weight = StringField(_l("Weight in the roll-up"), validators=[Length(max=40)])
    priority = SelectField(_l("Priority"), choices=[])
    base = HiddenField()

    def only(self, kind: str, ends: bool) -> None:
        """Keep the fields of links of ``kind``; ``ends``: the source and target too."""
        unused = ["priority"] if kind == "CONTRIBUTES_TO" else ["assumptions", "weight"]
        if not ends:
            unused += ["source", "target"]
        for name in unused:
            delattr(self, name)
        if "priority" in self:
            self.priority.choices = [("primary", _l("primary")), ("secondary", _l("secondary"))]

    def fill(self, edge: Edge) -> None:
        rationale = edge.props.get("rationale") or Text()
        self.rationale_nl.data, self.rationale_en.data = rationale.nl, rationale.en
        if "assumptions" in self:
            self.assumptions.data = list(edge.props.get("assumptions", ()))
            weight = edge.props.get("weight")
            self.weight.data = show_number(weight) if weight is not None else ""
        if "priority" in self:
            self.priority.data = edge.props.get("priority", "primary")

    def edge(self, kind: str, source: str, target: str, before: Edge | None) -> Edge | None:
        """The link as typed (None, with a message on the field, when the weight is not a
        number); fields the form does not show are kept from ``before``."""
        props = dict(before.props) if before else {}
        props["rationale"] = _text(self.rationale_nl.data, self.rationale_en.data)
        if kind == "CONTRIBUTES_TO":
            props["assumptions"] = tuple(self.assumptions.data or ()) or None
            try:
                weight = read_number(self.weight.data)
            except NotANumber as e:
                self.weight.errors.append(number_message(e))
                return None
            if weight is not None and weight < 0:
                self.weight.errors.append(_l("The weight must be 0 or more."))
                return None
            props["weight"] = weight
        else:
            props["priority"] = self.priority.data
        return Edge(kind, source, target, props)


class AssumptionForm(_Texts):
    """An assumption and the contribution links that rely on it."""

    node_id = StringField(_l("Id"), validators=_ID)
    links = Checkboxes(_l("Links that rely on it"), choices=[])

    def fill(self, node: Node, links: Sequence[Edge]) -> None:
        self.fill_texts(node)
        self.links.data = [f"{e.source}|{e.target}" for e in links]

    def node(self, before: Node | None) -> Node:
        node_id = before.id if before else (self.node_id.data or "").strip()
        if before is None:
            return Node("Assumption", node_id, self.title(), self.description())
        return Node(
            "Assumption",
            node_id,
            self.title(),
            self.description(),
            source=before.source,
            stated_in=before.stated_in,
            note=before.note,
            props=before.props,
        )

    def link_keys(self) -> list[tuple[str, str, str]]:
        keys = []
        for value in self.links.data or ():
            source, _, target = value.partition("|")
            keys.append(("CONTRIBUTES_TO", source, target))
        return keys
