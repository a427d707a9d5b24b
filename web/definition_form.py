"""The indicator definition form: every field of the indicator file format
(:mod:`indicators.definitions`), filled from a stored definition and read back into the
mapping :func:`indicators.definitions.decode_indicator` checks. Numbers are typed in the
chosen language's format; lists are one item per line:

* targets: ``2027: 30`` (a level code for ordinal indicators);
* the scale of an ordinal indicator, worst first: ``low | laag | low``
  (code | Dutch label | English label);
* dimensions: ``sex: female, male``.

What an IATI import brings and the form has no line-based field for is kept too: the comment
of each period's target (one text field per target), the title and definition in languages
other than Dutch and English (one field per text, emptied to drop it), a baseline known by its
year only (the date field shows and takes ``YYYY``) and the origin (shown, never typed: the
page passes the stored one back in).

Problems found by the checks come back as messages; :func:`field_of` says which field each
concerns.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from indicators.definitions import CODE, encode_indicator
from indicators.model import Frequency, Indicator, IndicatorType
from indicators.progress import Direction
from web.form_numbers import NotANumber, number_message, read_number, show_number
from web.labels import field_value
from web.plan_forms import Checkboxes

__all__ = ["DefinitionForm", "field_of"]

_TEXT = 500
_LONG = 10_000
#: Most target comments or other-language texts one definition's form takes.
_MANY = 500
#: A baseline date of four digits is a year only (IATI's ``baseline year`` without a date).
_YEAR = re.compile(r"^\d{4}$")


class TargetComment(Form):
    """The comment on one period's target (IATI ``target/comment``)."""

    period = HiddenField(validators=[Length(max=40)])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=_LONG)], render_kw={"rows": 2})


class OtherLanguage(Form):
    """The title or definition in a language other than Dutch and English."""

    part = HiddenField(validators=[Length(max=20)])
    lang = HiddenField(validators=[Length(max=20)])
    text = TextAreaField(_l("Text"), validators=[Length(max=_LONG)], render_kw={"rows": 2})


class DefinitionForm(FlaskForm):
    """An indicator definition (see the module docstring)."""

    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(_l("Give a code.")),
            Length(max=100),
            Regexp(
                CODE, message=_l("Use letters, digits and . _ -, starting with a letter or digit.")
            ),
        ],
    )
    title_nl = StringField(_l("Title (Dutch)"), validators=[Length(max=_TEXT)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=_TEXT)])
    definition_nl = TextAreaField(_l("Definition (Dutch)"), validators=[Length(max=_LONG)])
    definition_en = TextAreaField(_l("Definition (English)"), validators=[Length(max=_LONG)])
    measures = Checkboxes(_l("Measures"), choices=[])
    type = SelectField(_l("Type"), choices=[])
    unit = StringField(_l("Unit (English)"), validators=[Length(max=60)])
    unit_nl = StringField(_l("Unit (Dutch)"), validators=[Length(max=60)])
    direction = SelectField(_l("Direction"), choices=[])
    frequency = SelectField(_l("Reported"), choices=[])
    periods = TextAreaField(_l("Custom periods"), validators=[Length(max=_LONG)])
    fiscal_year_start = IntegerField(
        _l("First month of the reporting year"),
        default=1,
        validators=[
            InputRequired(_l("A month number 1-12.")),
            NumberRange(1, 12, _l("A month number 1-12.")),
        ],
    )
    start_year = IntegerField(
        _l("First year"),
        validators=[Optional(), NumberRange(1900, 2200, _l("A year from 1900 to 2200."))],
    )
    end_year = IntegerField(
        _l("Last year"),
        validators=[Optional(), NumberRange(1900, 2200, _l("A year from 1900 to 2200."))],
    )
    baseline_value = StringField(_l("Baseline"), validators=[Length(max=60)])
    baseline_date = StringField(_l("Baseline date"), validators=[Length(max=10)])
    baseline_source = StringField(_l("Source of the baseline"), validators=[Length(max=_TEXT)])
    targets = TextAreaField(_l("Targets per period"), validators=[Length(max=_LONG)])
    target_comments = FieldList(FormField(TargetComment), max_entries=_MANY)
    other_languages = FieldList(FormField(OtherLanguage), max_entries=_MANY)
    end_value = StringField(_l("End target"), validators=[Length(max=60)])
    end_date = StringField(_l("End target date"), validators=[Length(max=10)])
    scale = TextAreaField(_l("Levels (ordinal scale)"), validators=[Length(max=_LONG)])
    dimensions = TextAreaField(_l("Disaggregation"), validators=[Length(max=_LONG)])
    cumulative = BooleanField(_l("Cumulative (the latest value is the value to date)"))
    numerator_nl = StringField(_l("Numerator (Dutch)"), validators=[Length(max=_TEXT)])
    numerator_en = StringField(_l("Numerator (English)"), validators=[Length(max=_TEXT)])
    denominator_nl = StringField(_l("Denominator (Dutch)"), validators=[Length(max=_TEXT)])
    denominator_en = StringField(_l("Denominator (English)"), validators=[Length(max=_TEXT)])
    sdg_indicators = StringField(_l("SDG indicators"), validators=[Length(max=_TEXT)])
    responsible = SelectField(_l("Responsible partner"), choices=[], validate_choice=False)
    data_source = StringField(_l("Data source"), validators=[Length(max=_TEXT)])
    verification = StringField(_l("Means of verification"), validators=[Length(max=_TEXT)])
    weight = StringField(_l("Weight in the roll-up"), validators=[Length(max=40)])
    illustrative = BooleanField(_l("Illustrative (demo data, not real monitoring data)"))
    note = TextAreaField(_l("Note"), validators=[Length(max=_LONG)])
    base = HiddenField()

    def label_choices(self) -> None:
        """The fixed choices, with translated labels."""
        for field, enum in (
            (self.type, IndicatorType),
            (self.direction, Direction),
            (self.frequency, Frequency),
        ):
            field.choices = [(e.value, str(field_value(e.value))) for e in enum]

    # -- from a definition ------------------------------------------------------------------

    def fill(self, ind: Indicator) -> None:
        doc = encode_indicator(ind)
        texts = {
            "title": ind.title,
            "definition": ind.definition,
            "numerator": ind.numerator,
            "denominator": ind.denominator,
        }
        for name, text in texts.items():
            getattr(self, f"{name}_nl").data = text.nl
            getattr(self, f"{name}_en").data = text.en
        if self.code is not None:
            self.code.data = ind.code
        self.measures.data = list(ind.measures)
        self.type.data, self.direction.data = ind.type.value, ind.direction.value
        self.frequency.data, self.fiscal_year_start.data = (
            ind.frequency.value,
            ind.fiscal_year_start,
        )
        self.start_year.data, self.end_year.data = ind.start_year, ind.end_year
        self.periods.data = "\n".join(p.id for p in ind.periods)
        self.unit.data, self.unit_nl.data = ind.unit, ind.unit_nl
        if ind.baseline is not None:
            b = ind.baseline
            self.baseline_value.data = _point(b.value, b.level)
            self.baseline_date.data = b.when
            self.baseline_source.data = b.source
        if ind.end_target is not None:
            e = ind.end_target
            self.end_value.data = _point(e.value, e.level)
            self.end_date.data = e.date.isoformat() if e.date else ""
        self.targets.data = "\n".join(
            f"{t.period}: {_point(t.value, t.level)}" for t in ind.targets
        )
        for t in ind.targets:
            self.target_comments.append_entry({"period": t.period, "comment": t.comment})
        for field_name, lang, other in ind.other_languages:
            self.other_languages.append_entry({"part": field_name, "lang": lang, "text": other})
        self.scale.data = "\n".join(
            f"{lv.code} | {lv.label.nl} | {lv.label.en}" for lv in ind.scale
        )
        self.dimensions.data = "\n".join(f"{d.name}: {', '.join(d.values)}" for d in ind.dimensions)
        self.cumulative.data, self.illustrative.data = ind.cumulative, ind.illustrative
        self.sdg_indicators.data = ", ".join(ind.sdg_indicators)
        self.responsible.data = ind.responsible
        self.data_source.data, self.verification.data = ind.data_source, ind.verification
        self.weight.data = show_number(ind.weight) if doc.get("weight") != 1 else ""
        self.note.data = ind.note

    # -- to the file format ---------------------------------------------------------------------

    def entry(self, code: str, origin: str = "") -> dict[str, Any] | None:
        """The definition as a mapping of the file format, or None when a field could not
        be read (its message is on the field). ``origin``: the stored definition's, kept."""
        ordinal = self.type.data == IndicatorType.ORDINAL.value
        ok = True

        def point(field: Field) -> Any:
            nonlocal ok
            text = (field.data or "").strip()
            if not text or ordinal:
                return text or None
            try:
                return read_number(text)
            except NotANumber as e:
                field.errors.append(number_message(e))
                ok = False
                return None

        entry: dict[str, Any] = {
            "code": code,
            "measures": list(self.measures.data or ()),
            "type": self.type.data,
            "direction": self.direction.data,
            "frequency": self.frequency.data,
            "fiscal_year_start": self.fiscal_year_start.data,
            "cumulative": bool(self.cumulative.data),
            "illustrative": bool(self.illustrative.data),
        }
        for name in ("title", "definition", "numerator", "denominator"):
            text = _text(getattr(self, f"{name}_nl").data, getattr(self, f"{name}_en").data)
            if text:
                entry[name] = text
        for name in ("unit", "unit_nl", "data_source", "verification", "note", "responsible"):
            value = (getattr(self, name).data or "").strip()
            if value:
                entry[name] = value
        periods = _lines(self.periods.data)
        if periods:
            entry["periods"] = periods
        for name in ("start_year", "end_year"):
            if getattr(self, name).data is not None:
                entry[name] = getattr(self, name).data
        when = (self.baseline_date.data or "").strip()
        baseline = {
            "value": point(self.baseline_value),
            "date": None if _YEAR.match(when) else when or None,
            "year": int(when) if _YEAR.match(when) else None,
            "source": (self.baseline_source.data or "").strip() or None,
        }
        if any(v is not None for v in baseline.values()):
            entry["baseline"] = {k: v for k, v in baseline.items() if v is not None}
        end = {"value": point(self.end_value), "date": (self.end_date.data or "").strip() or None}
        if any(v is not None for v in end.values()):
            entry["end_target"] = {k: v for k, v in end.items() if v is not None}
        targets: dict[str, Any] = {}
        for line in _lines(self.targets.data):
            period, sep, value = line.partition(":")
            if not sep or not period.strip() or not value.strip():
                self.targets.errors.append(_l("Write one target per line: period: value."))
                ok = False
                continue
            if ordinal:
                targets[period.strip()] = value.strip()
                continue
            try:
                targets[period.strip()] = read_number(value)
            except NotANumber as e:
                self.targets.errors.append(f"{period.strip()}: {number_message(e)}")
                ok = False
        if targets:
            entry["targets"] = targets
        comments = {
            c["period"]: c["comment"].strip()
            for c in self.target_comments.data
            if c["period"] in targets and (c["comment"] or "").strip()
        }
        if comments:
            entry["target_comments"] = comments
        others: dict[str, dict[str, str]] = {}
        for o in self.other_languages.data:
            if (o["text"] or "").strip():
                others.setdefault(o["part"], {})[o["lang"]] = o["text"].strip()
        if others:
            entry["other_languages"] = others
        if origin:
            entry["origin"] = origin
        scale = []
        for line in _lines(self.scale.data):
            code_, *labels = [part.strip() for part in line.split("|")]
            nl, en = [*labels, "", ""][:2]
            level: dict[str, Any] = {"code": code_}
            if nl or en:
                level["label"] = _text(nl, en)
            scale.append(level)
        if scale:
            entry["scale"] = scale
        dimensions = {}
        for line in _lines(self.dimensions.data):
            name, sep, values = line.partition(":")
            items = [v.strip() for v in values.split(",") if v.strip()]
            if not sep or not name.strip() or not items:
                self.dimensions.errors.append(
                    _l("Write one dimension per line: name: value, value.")
                )
                ok = False
                continue
            dimensions[name.strip()] = items
        if dimensions:
            entry["dimensions"] = dimensions
        sdgs = [s.strip() for s in (self.sdg_indicators.data or "").split(",") if s.strip()]
        if sdgs:
            entry["sdg_indicators"] = sdgs
        try:
            weight_value = read_number(self.weight.data)
        except NotANumber as e:
            self.weight.errors.append(number_message(e))
            ok = False
        else:
            if weight_value is not None:
                entry["weight"] = weight_value
        return entry if ok else None


def _text(nl: str | None, en: str | None) -> dict[str, str]:
    return {k: v.strip() for k, v in (("nl", nl or ""), ("en", en or "")) if v.strip()}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _point(value: float | None, level: str | None) -> str:
    if level is not None:
        return level
    return show_number(value)


#: (pattern at the start of a message, field), checked in order.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), f)
    for p, f in (
        (r"^code\b", "code"),
        (r"^title\b", "title_en"),
        (r"^measures\b", "measures"),
        (r"^type\b", "type"),
        (r"^direction\b", "direction"),
        (r"^frequency custom\b", "periods"),
        (r"^periods?\b", "periods"),
        (r"^frequency\b", "frequency"),
        (r"^fiscal_year_start\b", "fiscal_year_start"),
        (r"^end_year\b", "end_year"),
        (r"^(start_year|start_year/end_year)\b", "start_year"),
        (r"^the indicator's last period", "baseline_date"),
        (r"^baseline date\b", "baseline_date"),
        (r"^baseline\b", "baseline_value"),
        (r"^end target date\b", "end_date"),
        (r"^(end_target|end target)\b", "end_value"),
        (r"^(targets?|target period)\b", "targets"),
        (r"^(narrative indicators have no targets)", "targets"),
        (r"^(scale|ordinal)\b", "scale"),
        (r"^dimensions?\b", "dimensions"),
        (r"^(numerator|denominator|a percentage needs)\b", "numerator_en"),
        (r"^sdg_indicators\b", "sdg_indicators"),
        (r"^responsible\b", "responsible"),
        (r"^weight\b", "weight"),
        (r"^cumulative\b", "cumulative"),
        (r"^has recorded measurements; its type\b", "type"),
        (r"^has recorded measurements; its frequency\b", "frequency"),
        (r"^has recorded measurements; its custom periods\b", "periods"),
        (r"^has recorded measurements; its fiscal_year_start\b", "fiscal_year_start"),
    )
]


def field_of(message: str) -> str | None:
    """The form field a check's message concerns (None: the definition as a whole).

    >>> field_of("baseline: value and date are required for this type"), field_of("odd")
    ('baseline_value', None)
    """
    for pattern, field in _RULES:
        if pattern.search(message):
            return field
    return None
