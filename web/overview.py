"""The overview page: the plan, its strategic objectives with their status, status counts."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask_login import current_user

from indicators.my_work import MyWork, my_work
from toc.render import STATUS_STYLE
from web.access import requires
from web.measurements import current_latest, current_review_queue, recent_approved
from web.memo import per_version
from web.page_cache import render_cached
from web.scope import concerned
from web.statuses import (
    current_plan_status,
    current_revisions,
    current_statuses,
    data_version,
    status_counts,
)
from web.store import current_plan

__all__ = ["bp"]

bp = Blueprint("overview", __name__)


@bp.route("/")
@requires("read")
def index() -> str:
    """The plan at a glance."""
    # A contributor's page has its own to-do list, so it is kept per contributor and what the
    # list holds (a value anyone submits elsewhere leaves it as it was; the date can add a due
    # period). Every role's page changes with the log only in how many values await review:
    # a resubmission or a draft leaves that as it was.
    work = _my_work()
    pending = len(current_review_queue())
    who = current_user.username if work is not None else None
    key = ("overview", who, _work_key(work), pending)
    return render_cached("overview/index.html", key, lambda: _context(work, pending))


def _work_key(work: MyWork | None) -> tuple[object, ...] | None:
    """What of ``work`` the page shows, as a cache key: the revisions listed, the periods due."""
    if work is None:
        return None
    listed = tuple((r.indicator, r.period, r.revision) for r in (*work.returned, *work.drafts))
    return (listed, tuple((d.indicator, d.period.id) for d in work.due))


def _context(work: MyWork | None, pending: int) -> dict:
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
        pending=pending,
        indicators={c: s.indicator for c, s in result.indicators.items()},
        work=work,
    )


#: Most entries of each list of the "my work" panel.
WORK_LIMIT = 10


def _my_work() -> MyWork | None:
    """A contributor's returned values, drafts and due periods, in its scope (None for other
    roles: the M&E officer has the review queue); computed once per contributor, day, data
    log length and scope, since every request of the overview needs it for the page's cache key."""
    if current_user.role != "contributor":
        return None
    revisions, today = current_revisions(), dt.date.today()

    def compute() -> MyWork:
        plan, result = current_plan(), current_plan_status()
        definitions = {c: s.indicator for c, s in result.indicators.items()}
        in_scope = {
            c
            for c, ind in definitions.items()
            if current_user.in_scope(concerned(plan, ind.measures))
        }
        return my_work(current_latest(), definitions, in_scope, today)

    scope = frozenset(current_user.account.scope_ids)
    version = (data_version(), len(revisions), today, scope)
    return per_version(f"my_work:{current_user.username}", version, compute)
