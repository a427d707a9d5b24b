"""The overview page: the plan, its strategic objectives with their status, status counts."""

from __future__ import annotations

from flask import Blueprint

from toc.render import STATUS_STYLE
from web.access import requires
from web.measurements import recent_approved, review_queue
from web.page_cache import render_cached
from web.statuses import current_plan_status, current_revisions, current_statuses, status_counts
from web.store import current_plan

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


@bp.route("/")
@requires("read")
def index() -> str:
    """The plan at a glance."""
    return render_cached("overview/index.html", "overview", _context)


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
        pending=len(review_queue(revisions)),
        indicators={c: s.indicator for c, s in result.indicators.items()},
    )
