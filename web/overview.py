"""The overview page: the plan, its strategic objectives with their status, status counts."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask_login import current_user

from indicators.model import Revision
from indicators.my_work import MyWork, my_work
from indicators.pathway_status import PlanStatus
from toc.model import Plan
from toc.render import STATUS_STYLE
from web.access import requires
from web.measurements import current_latest, current_review_queue, recent_approved
from web.page_cache import render_cached
from web.scope import concerned
from web.statuses import current_plan_status, current_revisions, current_statuses, status_counts
from web.store import current_plan

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


@bp.route("/")
@requires("read")
def index() -> str:
    """The plan at a glance."""
    # A contributor's page has its own to-do list (drafts, returned values: any revision may
    # change it), so it is kept per contributor and length of the log. Other roles' pages
    # change with the log only in how many values await review: a resubmission or a draft
    # leaves them as they were.
    if current_user.role == "contributor":
        key: tuple[object, ...] = ("overview", current_user.username, len(current_revisions()))
    else:
        key = ("overview", None, len(current_review_queue()))
    return render_cached("overview/index.html", key, _context)


def _context() -> dict:
    plan = current_plan()
    statuses = current_statuses()
    result = current_plan_status()
    revisions = current_revisions()
    objectives = sorted(
        plan.of_kind("StrategicObjective"), key=lambda n: (n.props.get("number", 0), n.id)
    )
    under: dict[str, int] = {}
    for e in plan.edges:
        if (
            e.kind == "CONTRIBUTES_TO"
            and plan.get(e.source)
            and plan.node(e.source).kind == "Objective"
        ):
            under[e.target] = under.get(e.target, 0) + 1
    return dict(
        plan=plan,
        root=plan.root,
        objectives=objectives,
        objectives_under=under,
        statuses=statuses,
        counts=status_counts(plan, statuses),
        status_style=STATUS_STYLE,
        recent=recent_approved(revisions, limit=6),
        pending=len(current_review_queue()),
        indicators={c: s.indicator for c, s in result.indicators.items()},
        work=_my_work(plan, result, revisions),
    )


#: Most entries of each list of the "my work" panel.
WORK_LIMIT = 10


def _my_work(plan: Plan, result: PlanStatus, revisions: list[Revision]) -> MyWork | None:
    """A contributor's returned values, drafts and due periods, in its scope (None for other
    roles: the M&E officer has the review queue)."""
    if current_user.role != "contributor" or result is None:
        return None
    definitions = {c: s.indicator for c, s in result.indicators.items()}
    in_scope = {
        c for c, ind in definitions.items() if current_user.in_scope(concerned(plan, ind.measures))
    }
    return my_work(current_latest(), definitions, in_scope, dt.date.today())
