"""The review queue of the M&E officer: values submitted for review, approved or returned with
a note. An approved value counts from then on, so statuses and the diagram change at once."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from indicators.errors import ConflictError, UnknownIndicator, WorkflowError
from indicators.workflow import SELF_APPROVED, Action, apply_step, number_problems
from web.access import requires
from web.labels import workflow_text
from web.measurements import review_queue
from web.statuses import current_plan_status, current_revisions
from web.store import get_store

__all__ = ["bp"]

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("")
@requires("review")
def index() -> str:
    """Values awaiting review, oldest first."""
    result = current_plan_status()
    indicators = {c: s.indicator for c, s in result.indicators.items()}
    pending = review_queue(current_revisions())
    # A value stored by an earlier version (or directly) may hold numbers that cannot be
    # counted: approving it is refused, and the queue says why beforehand.
    problems = {r.key: found for r in pending if (found := number_problems(r.value))}
    return render_template(
        "review/index.html", pending=pending, indicators=indicators, problems=problems
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
        if action is Action.APPROVE:
            flash(_("%(code)s %(period)s approved.", code=code, period=period), "success")
            if revision is not None and SELF_APPROVED in revision.flags:
                flash(
                    _("You approved a value you submitted yourself; a second reviewer is "
                      "advised (four-eyes rule)."),
                    "warning",
                )  # fmt: skip
        else:
            flash(_("%(code)s %(period)s returned.", code=code, period=period), "success")
    return redirect(url_for("review.index"))
