"""Adding and changing indicator definitions (M&E officers and admins).

The form (:mod:`web.definition_form`) is read into the indicator file format and goes through
the same checks as ``toc indicators load``: the definition's own rules
(:func:`indicators.definitions.decode_indicator`), its fit with the plan
(:func:`~indicators.definitions.check_against_plan`) and the protection of recorded values
(:func:`indicators.catalog.protected_changes`: no new type, frequency or fiscal year once
values are recorded). Then the whole set is saved with ``store.save_indicators``, all or
nothing, as a new version of the changed definition. Messages appear next to the fields they
concern; a definition changed meanwhile by someone else is not overwritten unnoticed.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from graphdb.indicator_store import spec_json
from indicators.catalog import protected_changes
from indicators.definitions import check_against_plan, decode_indicator, with_plan_years
from indicators.model import CAUSAL_MEASURABLE, Indicator
from toc.errors import Issue
from toc.version_notes import indicator_note
from web.access import requires
from web.definition_form import DefinitionForm, field_of
from web.definition_issues import definition_issue_text
from web.i18n import current_lang
from web.labels import kind_label
from web.plan_pages import edit_lock
from web.store import current_plan, get_store

__all__ = ["bp"]

bp = Blueprint("definitions", __name__, url_prefix="/plan/indicators")


def _fingerprint(ind: Indicator | None) -> str:
    return "" if ind is None else hashlib.sha256(spec_json(ind).encode()).hexdigest()[:16]


def _form() -> DefinitionForm:
    plan = current_plan()
    lang = current_lang()
    form = DefinitionForm()
    form.label_choices()
    form.measures.choices = [
        (n.id, f"{kind_label(n.kind)} · {n.id} · {n.label(lang)}")
        for kind in reversed(CAUSAL_MEASURABLE)
        for n in sorted(plan.of_kind(kind), key=lambda n: n.id)
    ]
    form.responsible.choices = [("", "—")] + [
        (n.id, n.label(lang)) for n in sorted(plan.of_kind("Partner"), key=lambda n: n.id)
    ]
    return form


def _save(form: DefinitionForm, code: str, new: bool, origin: str = "") -> bool:
    """Check the typed definition and save the set with it; messages go on the form.
    ``origin``: where the stored definition came from (an IATI import), kept as it is."""
    entry = form.entry(code, origin=origin)
    if entry is None:
        return False
    issues: list[Issue] = []
    ind = decode_indicator(entry, issues=issues)
    if ind is None:
        _show(form, issues)
        return False
    store = get_store()
    with edit_lock():
        plan = store.load_plan()
        stored = {i.code: i for i in store.indicators()}
        before = stored.get(code)
        if new and before is not None:
            form.code.errors.append(_("This code is taken."))
            return False
        if not new and before is None:
            form.form_errors.append(_("This indicator was removed meanwhile."))
            return False
        if not new and _fingerprint(before) != form.base.data:
            form.base.data = _fingerprint(before)
            form.form_errors.append(
                _(
                    "Someone else changed this while you were editing it. Your input is kept "
                    "below; check it against the current version and save again to replace it."
                )
            )
            return False
        problems = check_against_plan([ind], plan)
        ind = with_plan_years(ind, plan)
        measured = set(store.revision_frame(columns=["indicator"])["indicator"].unique())
        problems += protected_changes(stored, {**stored, code: ind}, measured)
        if any(p.level == "error" for p in problems):
            _show(form, problems)
            return False
        others = [i for c, i in sorted(stored.items()) if c != code]
        note = indicator_note("added" if new else "changed", code)
        saved = store.save_indicators([*others, ind], author=current_user.username, message=note)
    if saved:
        flash(_("Saved: indicator %(code)s.", code=code), "success")
    else:
        flash(_("Nothing changed."), "info")
    return True


def _show(form: DefinitionForm, issues: list[Issue]) -> None:
    for issue in issues:
        if issue.level != "error":
            continue
        field = field_of(issue.message)  # from the English message, then worded
        text = definition_issue_text(issue.message)
        if field is None:
            form.form_errors.append(text)
        else:
            getattr(form, field).errors.append(text)


@bp.route("/new", methods=["GET", "POST"])
@requires("edit_plan")
def new() -> Response | str:
    """Define a new indicator."""
    form = _form()
    if form.validate_on_submit() and _save(form, (form.code.data or "").strip(), new=True):
        return redirect(url_for("indicators.show", code=(form.code.data or "").strip()))
    return render_template("plan/definition.html", form=form, ind=None)


@bp.route("/<code>", methods=["GET", "POST"])
@requires("edit_plan")
def edit(code: str) -> Response | str:
    """Change an indicator's definition (a new version of it)."""
    ind = get_store().get_indicator(code)
    if ind is None:
        abort(404)
    form = _form()
    del form.code
    if not form.is_submitted():
        form.fill(ind)
        form.base.data = _fingerprint(ind)
    elif form.validate() and _save(form, code, new=False, origin=ind.origin):
        return redirect(url_for("indicators.show", code=code))
    return render_template("plan/definition.html", form=form, ind=ind)
