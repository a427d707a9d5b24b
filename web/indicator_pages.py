"""Indicator pages and the update form.

Everyone signed in reads the indicators: the list, and each indicator's chart, periods,
disaggregation, evidence and full revision history. Contributors enter values for indicators
in their scope (:mod:`web.scope`), M&E officers and admins for every indicator: save as a
draft or submit for review. The form carries the revision it started from; when someone else
added one meanwhile, the step is refused, the typed input is kept (in the form and as a
conflict copy in the log) and both values are shown.

Numbers are read by :mod:`web.form_numbers` (the rules of :mod:`toc.numbers`: the language's
decimal mark, grouping only between groups of three digits, a number in the other language's
format refused with how to write it). When a number was written in a way that could be misread
(with a group mark, an exponent, or as text that is another number in the other format) or the
value
raises a plausibility warning (:mod:`indicators.plausibility`), the form is shown again with
how each number was read and the warnings, and saves only when sent again unchanged (the
``confirmed`` field carries what was confirmed): no JavaScript is needed.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import Field, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from indicators.errors import ConflictError, PermissionDenied, WorkflowError
from indicators.model import Indicator, IndicatorType, MeasurementValue, Revision
from indicators.plausibility import plausibility_warnings
from indicators.status import PeriodStatus
from indicators.system_notes import parse as parse_system_note
from indicators.workflow import Action, apply_step
from toc.attachments import Attachment
from web.access import requires
from web.attachments import ACCEPT, attachment_response
from web.charts import line_chart
from web.form_numbers import NotANumber, echo_number, number_message, read_typed, show_number
from web.i18n import current_lang
from web.labels import flag_label, workflow_text
from web.measurements import IndicatorDetail, chart_points, indicator_detail, trajectory_ends
from web.page_cache import render_cached
from web.part_fields import PartGrid, grid_for, part_keys, read_grid
from web.scope import concerned
from web.statuses import current_plan_status, data_version, indicator_revisions
from web.store import current_plan, get_store
from web.value_files import (
    MAX_FILES,
    chosen,
    fetch_rule,
    held_token,
    keep_uploads,
    may_fetch,
    read_held,
    refusal_text,
)

__all__ = ["bp", "indicator_chart"]

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


def _not_a_system_note(form: FlaskForm, field: Field) -> None:
    """A person's reason must not read as the system's note, or it would be shown reworded."""
    if parse_system_note((field.data or "").strip()) is not None:
        raise ValidationError(
            _(
                "The reason reads as a note the system writes (such as an import's); word it "
                "differently."
            )
        )


class ValueForm(FlaskForm):
    """A value for one period; which fields count depends on the indicator's type."""

    value = StringField(_l("Value"), validators=[Length(max=40)])
    numerator = StringField(_l("Numerator"), validators=[Length(max=40)])
    denominator = StringField(_l("Denominator"), validators=[Length(max=40)])
    level = SelectField(_l("Level"), choices=[], validate_choice=False)
    narrative = TextAreaField(_l("Narrative"), validators=[Length(max=10_000)])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2_000)])
    evidence = TextAreaField(_l("Evidence (one link or file name per line)"),
                             validators=[Length(max=4_000)])  # fmt: skip
    files = MultipleFileField(
        _l("Attach files (PDF, image, office document, CSV or text; 10 MB each, 5 at most)"),
        render_kw={"accept": ACCEPT, "multiple": True},
    )
    #: The files the value holds so far, signed (:func:`web.value_files.held_token`).
    held_files = HiddenField()
    reason = StringField(_l("Why this change"), validators=[Length(max=500), _not_a_system_note])
    base_revision = HiddenField()
    confirmed = HiddenField()
    save = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))


def indicator_chart(
    indicator: Indicator, periods: Sequence[PeriodStatus], *, small: bool = False
) -> Markup:
    """The chart of an indicator: baseline, target trajectory, actual values."""
    targets, actuals = chart_points(indicator, periods)
    return line_chart(
        *trajectory_ends(indicator),
        targets,
        actuals,
        title=indicator.title.get(current_lang()),
        small=small,
        width=240 if small else 720,
        height=70 if small else 280,
        labels={
            "baseline": _("Baseline"),
            "target": _("Target"),
            "actual": _("Actual"),
            "trajectory": _("Baseline and targets"),
            "values": _("Approved values, by status"),
        },
        lang=current_lang(),
    )


def may_submit(indicator: Indicator) -> bool:
    """Whether the signed-in user may enter values for ``indicator``."""
    return current_user.can("submit") and current_user.in_scope(
        concerned(current_plan(), indicator.measures)
    )


@bp.route("")
@requires("read")
def index() -> str:
    """Every indicator with its current status; a contributor's own ones first."""
    result = current_plan_status()
    statuses = result.indicators.values()
    rows = [(status, may_submit(status.indicator)) for status in statuses]
    rows.sort(key=lambda row: (not row[1], row[0].indicator.code))
    return render_template("indicators/index.html", rows=rows, plan=current_plan())


def _indicator(code: str) -> Indicator:
    """The indicator ``code`` (404 when there is none)."""
    result = current_plan_status()
    status = result.indicators.get(code)
    if status is None:
        abort(404)
    return status.indicator


def _detail(code: str) -> IndicatorDetail:
    result = current_plan_status()
    detail = indicator_detail(result, indicator_revisions(code), current_plan(), code)
    if detail is None:
        abort(404)
    return detail


@bp.route("/<code>")
@requires("read")
def show(code: str) -> str:
    """One indicator: chart, periods, disaggregation, evidence, revision history."""
    mine = may_submit(_indicator(code))
    # the page shows every revision of the indicator, approved or not: their number is part
    # of the key (the statuses in the cache's data version count approved values only)
    logged = len(indicator_revisions(code))
    return render_cached(
        "indicators/show.html",
        ("indicator", code, mine, logged),
        lambda: _show_context(code, mine),
    )


def _show_context(code: str, mine: bool) -> dict:
    detail = _detail(code)
    current = detail.current
    counted = detail.counted_revision(current.period.id) if current else None
    result = current_plan_status()
    return dict(
        detail=detail,
        ind=detail.indicator,
        problems=result.indicators[code].problems,
        chart=indicator_chart(detail.indicator, detail.periods),
        counted=counted,
        plan=current_plan(),
        may_submit=mine,
        fetchable=fetch_rule(detail.indicator),
        # a row of the revision history shows one revision, which never changes, as the
        # definitions say (unit, decimals): kept as a fragment, so a value added to a long
        # history renders one row, not all of them
        row_version=data_version(),
        partners=_names(detail.scope, "Partner"),
        countries=_names(detail.scope, "Country"),
    )


def _names(ids: frozenset[str], kind: str) -> list[str]:
    plan = current_plan()
    nodes = (plan.get(i) for i in ids)
    return sorted(n.label(current_lang()) for n in nodes if n is not None and n.kind == kind)


@bp.route("/<code>/<period>/edit", methods=["GET", "POST"])
@requires("submit")
def edit(code: str, period: str) -> Response | str:
    """Enter or edit the value of one period."""
    detail = _detail(code)
    ind = detail.indicator
    if not may_submit(ind):
        abort(403)
    status = next((p for p in detail.periods if p.period.id == period), None)
    if status is None:
        abort(404)
    latest = detail.latest(period)
    form = ValueForm()
    form.level.choices = [("", "—")] + [(lv.code, lv.label.get(current_lang())) for lv in ind.scale]
    conflict: ConflictError | None = None
    error = ""
    stored_parts = latest.value.parts if latest else ()
    grid = grid_for(ind, stored_parts, show_number)
    echo: list[tuple[str, str]] = []
    doubts: list[str] = []
    if form.is_submitted():
        found = read_held(form.held_files.data or "", code, period)
        if found is None:
            abort(400)
        held = list(found)
    else:
        held = list(latest.value.files if latest else ())
    removed = set(request.form.getlist("remove_file"))
    if form.validate_on_submit():
        readings = _Readings()
        grid = read_grid(ind, request.form, stored_parts, readings.read, _part_messages())
        value = _value_from(form, ind, grid, readings)
        files = _files_from(form, held, removed)
        if value is not None and form.files.errors:
            value = None
        if value is not None:
            value = replace(value, files=files)
        if value is not None:
            doubts = [flag_label(w) for w in plausibility_warnings(ind, value)]
            fingerprint = _fingerprint(value)
            if (readings.unusual or doubts) and form.confirmed.data != fingerprint:
                form.confirmed.data = fingerprint
                echo = _echo(ind, value)
                value = None  # shown for confirmation first
        if value is not None:
            action = Action.SUBMIT if form.submit.data else Action.SAVE
            try:
                revision = apply_step(
                    get_store(),
                    code,
                    period,
                    action,
                    author=current_user.username,
                    role=current_user.role,
                    base_revision=int(form.base_revision.data or 0),
                    value=value,
                    reason=(form.reason.data or "").strip(),
                )
            except PermissionDenied:
                abort(403)
            except ConflictError as e:
                conflict = e
                form.base_revision.data = str(e.latest.revision if e.latest else 0)
            except WorkflowError as e:
                error = workflow_text(e)
            else:
                if revision is None:
                    flash(_("Nothing changed: the value was already saved."), "info")
                elif action is Action.SUBMIT:
                    flash(_("Value for %(period)s submitted for review.", period=period), "success")
                else:
                    flash(_("Draft for %(period)s saved.", period=period), "success")
                for flag in (
                    revision.flags if revision is not None and not revision.conflict else ()
                ):
                    flash(
                        _("Flagged for the reviewer: %(flag)s.", flag=flag_label(flag)), "warning"
                    )
                return redirect(url_for("indicators.show", code=code))
    elif not form.is_submitted():
        _fill(form, latest)
    form.held_files.data = held_token(held, code, period)
    return render_template(
        "indicators/edit.html",
        detail=detail,
        ind=ind,
        period=status.period,
        status=status,
        latest=latest,
        form=form,
        grid=grid,
        grid_keys=part_keys(ind),
        key_labels={
            "value": _("Value"),
            "numerator": _("Numerator"),
            "denominator": _("Denominator"),
            "level": _("Level"),
        },
        conflict=conflict,
        error=error,
        held=held,
        removed=removed,
        kind=ind.type.value,
        echo=echo,
        doubts=doubts,
        number_hint=_number_hint(),
    )


def _files_from(
    form: ValueForm, held: list[Attachment], removed: set[str]
) -> tuple[Attachment, ...]:
    """The files of the value being sent: those held, less those ticked for removal, with the
    ones chosen now (kept beside the store, and added to ``held`` so that a form shown again
    still has them). A refused file, or too many, is an error on the field; then none of the
    chosen files is kept."""
    uploads = form.files.data or []
    if len(chosen(uploads)) > MAX_FILES:
        form.files.errors = [_("Attach at most %(num)d files to one value.", num=MAX_FILES)]
        return ()
    new, refusals = keep_uploads(uploads, current_user.username)
    if refusals:
        form.files.errors = [
            *(refusal_text(r) for r in refusals),
            _("Nothing was saved. Choose the files to attach again, without the refused ones."),
        ]
        return ()
    for kept in new:
        if all(f.sha256 != kept.sha256 for f in held):
            held.append(kept)
    files = tuple(f for f in held if f.sha256 not in removed)
    if len(files) > MAX_FILES:
        form.files.errors = [
            _(
                "A value carries at most %(num)d files: tick the ones to remove.",
                num=MAX_FILES,
            )
        ]
        return ()
    return files


@bp.route("/<code>/<period>/<int:revision>/files/<sha256>")
@requires("read")
def value_file(code: str, period: str, revision: int, sha256: str) -> Response:
    """A file attached to one revision of a value, to whoever may see it
    (:func:`web.value_files.may_fetch`: an approved value's to every reader, any other's to
    those who may enter values for the indicator). Sent as a download in its stored media
    type, never rendered by the browser; 404 for a file the revision does not carry."""
    ind = _indicator(code)
    found = next(
        (r for r in indicator_revisions(code) if r.period == period and r.revision == revision),
        None,
    )
    record = next((f for f in found.value.files if f.sha256 == sha256), None) if found else None
    if found is None or record is None:
        abort(404)
    if not may_fetch(found, ind):
        abort(403)
    try:
        data = get_store().attachment_files.read(record.sha256)
    except FileNotFoundError:
        abort(404)
    return attachment_response(data, record)


class _Readings:
    """Reads the numbers of one submission, noting whether any was written in a way that
    could be misread (:attr:`toc.numbers.Reading.plain`)."""

    def __init__(self) -> None:
        self.unusual = False

    def read(self, text: str | None) -> float | None:
        found = read_typed(text)
        if found is None:
            return None
        self.unusual |= not found.plain
        return found.value


def _fingerprint(value: MeasurementValue) -> str:
    """What a confirmation confirms: the numbers (and levels) read, exactly."""
    # The total's figures, then each part's with its dimensions; only their repr is hashed.
    points: list[tuple[object, ...]] = [
        (value.value, value.numerator, value.denominator, value.level)
    ]
    points += [(p.dims, p.value, p.numerator, p.denominator, p.level) for p in value.parts]
    return hashlib.sha256(repr(points).encode()).hexdigest()[:32]


def _echo(ind: Indicator, value: MeasurementValue) -> list[tuple[str, str]]:
    """How each number of a value was read: (what, number as read), for the confirmation."""
    out = []
    for name, label in (("value", _("Value")), ("numerator", _("Numerator")),
                        ("denominator", _("Denominator"))):  # fmt: skip
        number = getattr(value, name)
        if number is not None:
            out.append((label, echo_number(number)))
    if ind.type is IndicatorType.PERCENTAGE and value.numerator is not None and value.denominator:
        out.append((_("Share"), echo_number(value.numerator / value.denominator * 100) + " %"))
    for part in value.parts:
        where = ", ".join(v for _, v in part.dims)
        for name in ("value", "numerator", "denominator"):
            number = getattr(part, name)
            if number is not None:
                out.append((f"{where}: {_field_name(name)}", echo_number(number)))
    return out


def _field_name(name: str) -> str:
    return {"value": _("value"), "numerator": _("numerator"), "denominator": _("denominator")}[name]


def _number_hint() -> str:
    """How to write numbers in this language, shown above the form."""
    return _(
        "Write numbers as %(example)s: decimals after a %(mark)s; group thousands only in "
        "groups of three, as in %(sample)s, or not at all.",
        example=show_number(1234.5),
        mark=_("comma") if show_number(0.5) == "0,5" else _("point"),
        sample="1.234,5" if show_number(0.5) == "0,5" else "1,234.5",
    )


def _part_messages() -> dict[str, str]:
    return {
        "number": _("Enter a number, for example %(example)s.", example=show_number(12.5)),
        "number_error": number_message,
        "level": _("Choose one of the levels."),
        "both": _("Enter both the numerator and the denominator."),
        "denominator": _("The denominator must be more than 0."),
        "negative": _("The numerator must be 0 or more."),
        "ratio": _("The share of these two numbers is too large to store."),
    }


def _fill(form: ValueForm, latest: Revision | None) -> None:
    form.base_revision.data = str(latest.revision if latest else 0)
    if latest is None:
        return
    v = latest.value
    for name in ("value", "numerator", "denominator"):
        number = getattr(v, name)
        getattr(form, name).data = "" if number is None else show_number(number)
    form.level.data = v.level or ""
    form.narrative.data = v.narrative or ""
    form.comment.data = v.comment
    form.evidence.data = "\n".join(v.evidence)


def _number(field: StringField, required: bool, readings: _Readings) -> float | None:
    text = (field.data or "").strip()
    if not text:
        if required:
            field.errors.append(_("Enter a number."))
        return None
    try:
        return readings.read(text)
    except NotANumber as e:
        field.errors.append(number_message(e))
        return None


def _value_from(
    form: ValueForm, ind: Indicator, grid: PartGrid, readings: _Readings
) -> MeasurementValue | None:
    """The value typed in the form, or None (with messages on the fields) when it is not
    usable for the indicator's type. ``grid`` holds the disaggregated parts typed in."""
    kind = ind.type
    value = numerator = denominator = None
    level = narrative = None
    if kind in (IndicatorType.NUMBER, IndicatorType.CURRENCY):
        value = _number(form.value, True, readings)
    elif kind is IndicatorType.PERCENTAGE:
        numerator = _number(form.numerator, True, readings)
        denominator = _number(form.denominator, True, readings)
        if denominator is not None and denominator <= 0:
            form.denominator.errors.append(_("The denominator must be more than 0."))
        if numerator is not None and numerator < 0:
            form.numerator.errors.append(_("The numerator must be 0 or more."))
        if (
            numerator is not None
            and denominator
            and denominator > 0
            and not form.denominator.errors
            and not math.isfinite(numerator / denominator * 100.0)
        ):
            form.denominator.errors.append(
                _("The share of these two numbers is too large to store.")
            )
    elif kind is IndicatorType.ORDINAL:
        level = form.level.data or None
        if level is None:
            form.level.errors.append(_("Choose a level."))
        elif ind.level_index(level) is None:
            form.level.errors.append(_("Choose one of the levels."))
    else:
        narrative = (form.narrative.data or "").strip() or None
        if narrative is None:
            form.narrative.errors.append(_("Write the narrative."))
    if any(f.errors for f in (form.value, form.numerator, form.denominator, form.level,
                              form.narrative)) or grid.has_errors:  # fmt: skip
        return None
    evidence = tuple(
        line.strip() for line in (form.evidence.data or "").splitlines() if line.strip()
    )
    return MeasurementValue(
        value=value,
        numerator=numerator,
        denominator=denominator,
        level=level,
        narrative=narrative,
        parts=grid.parts(),
        comment=(form.comment.data or "").strip(),
        evidence=evidence,
    )
