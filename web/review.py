"""The review queue of the M&E officer: values submitted for review, approved or returned with
a note. An approved value counts from then on, so statuses and the diagram change at once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from indicators.errors import ConflictError, UnknownIndicator, WorkflowError
from indicators.model import Revision
from indicators.review_context import review_context
from indicators.review_queue import queue_page
from indicators.workflow import SELF_APPROVED, Action, apply_step, number_problems
from web.access import requires
from web.i18n import current_lang
from web.labels import workflow_text
from web.measurements import current_review_queue
from web.memo import per_version
from web.scope import concerned
from web.statuses import current_plan_status, current_revisions, data_version
from web.store import current_plan, get_store

__all__ = ["bp"]

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("")
@requires("review")
def index() -> str:
    """Values awaiting review, oldest first, one page at a time (``page``), filtered by
    ``indicator``, ``partner`` (the indicators concerning that partner) and ``period``."""
    plan = current_plan()
    result = current_plan_status()
    indicators = {c: s.indicator for c, s in result.indicators.items()}
    queue = current_review_queue()
    chosen = {
        k: (request.args.get(k) or "").strip()[:200] for k in ("indicator", "partner", "period")
    }
    partner = plan.get(chosen["partner"]) if chosen["partner"] else None
    if partner is None or partner.kind != "Partner":
        chosen["partner"] = ""
    codes = None
    if chosen["partner"]:
        codes = {
            c for c, ind in indicators.items() if chosen["partner"] in concerned(plan, ind.measures)
        }
    try:
        number = int(request.args.get("page") or "1")
    except ValueError:
        number = 1
    page = queue_page(
        queue,
        number,
        indicator=chosen["indicator"] or None,
        period=chosen["period"] or None,
        codes=codes,
    )
    # Each card shows the value with what a reviewer weighs it against (target, expected and
    # previous values, the status now and if approved): rendered once per revision and data
    # version (plan, definitions, approved values), so a new submission renders one card,
    # not the page. What a card needs is computed only when it is rendered.
    card_version = data_version()

    def card(r: Revision) -> dict[str, Any]:
        status = result.indicators.get(r.indicator)
        return {
            "ind": status.indicator if status is not None else None,
            "ctx": review_context(status, r) if status is not None else None,
            # A value stored by an earlier version (or directly) may hold numbers that cannot
            # be counted: approving it is refused, and the queue says why beforehand.
            "problems": number_problems(r.value),
        }

    # The filter form lists every indicator, period and partner (thousands of options on a
    # large plan): rendered once per log length, data version, language and filter choice.
    lang = current_lang()
    version = (len(current_revisions()), data_version(), lang)

    def choices() -> dict[str, list[Any]]:
        return {
            "indicator_choices": sorted({r.indicator for r in queue}),
            "period_choices": sorted({r.period for r in queue}),
            "partner_choices": sorted(plan.of_kind("Partner"), key=lambda n: n.label(lang)),
        }

    return render_template(
        "review/index.html",
        pending=page.items,
        page=page,
        chosen=chosen,
        filters={k: v for k, v in chosen.items() if v},
        filters_key=(version, tuple(sorted(chosen.items()))),
        choices=lambda: per_version("review_choices", version, choices),
        queued=len(queue),
        indicators=indicators,
        card=card,
        card_version=card_version,
        plan=plan,
    )


@bp.route("/<code>/<period>", methods=["POST"])
@requires("review")
def decide(code: str, period: str) -> Response:
    """Approve a submitted value, or return it with a note saying what to change."""
    action = Action.APPROVE if request.form.get("decision") == "approve" else Action.RETURN
    note = (request.form.get("note") or "").strip()
    try:
        base = int(request.form.get("base_revision") or "")
    except ValueError:
        base = -1
    try:
        revision = apply_step(
            get_store(),
            code,
            period,
            action,
            author=current_user.username,
            role=current_user.role,
            base_revision=base,
            note=note,
            four_eyes=current_app.config["FOUR_EYES"],
        )
    except UnknownIndicator:
        flash(_("There is no indicator %(code)s.", code=code), "error")
    except ConflictError:
        flash(
            _("%(code)s %(period)s changed while you were reviewing it; look at it again.",
              code=code, period=period),
            "warning",
        )  # fmt: skip
    except WorkflowError as e:
        flash(workflow_text(e), "error")
    else:
        name = _indicator_name(code)
        if action is Action.APPROVE:
            flash(_("Approved: “%(name)s”, %(period)s.", name=name, period=period), "success")
            if revision is not None and SELF_APPROVED in revision.flags:
                flash(
                    _("You approved a value you submitted yourself; a second reviewer is "
                      "advised (four-eyes rule)."),
                    "warning",
                )  # fmt: skip
        else:
            flash(
                _("Returned to the submitter with your note: “%(name)s”, %(period)s.",
                  name=name, period=period),
                "success",
            )  # fmt: skip
    back: dict[str, Any] = {
        k: v[:200] for k in ("indicator", "partner", "period", "page") if (v := request.form.get(k))
    }
    return redirect(url_for("review.index", **back))


def _indicator_name(code: str) -> str:
    """The indicator's title in the page's language, else its code."""
    result = current_plan_status()
    status = None if result is None else result.indicators.get(code)
    return status.indicator.title.get(current_lang()) if status else code
