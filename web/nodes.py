"""A node's page: its texts, its place in the pathways and everything linked to it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from markupsafe import Markup

from indicators.pathway_status import IndicatorStatus
from indicators.status_explanation import nodes_by_status
from toc.analysis import NodeNotFound
from toc.kinds import CAUSAL_KINDS, NODE_KINDS
from toc.model import Plan
from toc.story import STORY_KINDS
from web.access import requires
from web.i18n import current_lang
from web.indicator_pages import indicator_chart
from web.learning import band_label, node_confidences
from web.node_context import NodeContext, shared_node_context
from web.page_cache import render_cached
from web.statuses import STATUSES, current_plan_status, current_statuses
from web.store import current_data_version, current_plan

__all__ = ["bp"]

bp = Blueprint("nodes", __name__, url_prefix="/nodes")

# Fields shown in the page's own sections rather than in the details table.
_LONG_TEXTS = ("vision", "mission")


@bp.route("/status/<status>")
@requires("read")
def by_status(status: str) -> str:
    """The results and strategies that have one status (the start page's counts link here)."""
    if status not in STATUSES:
        abort(404)
    plan = current_plan()
    ids = nodes_by_status(current_statuses(), status)
    return render_template("nodes/by_status.html", status=status, nodes=[plan.node(i) for i in ids])


@bp.route("/<node_id>")
@requires("read")
def show(node_id: str) -> str:
    """One node of the plan."""
    plan = current_plan()
    try:
        ctx = shared_node_context(plan, node_id)
    except NodeNotFound:
        abort(404)
    # the recorded evidence changes the confidences shown: part of the key
    learned = current_data_version().learning
    return render_cached("nodes/show.html", ("node", node_id, learned), lambda: _context(plan, ctx))


def _context(plan: Plan, ctx: NodeContext) -> dict[str, object]:
    node = ctx.node
    order = list(NODE_KINDS[node.kind].fields)
    details = sorted(
        ((k, v) for k, v in node.props.items() if k not in _LONG_TEXTS),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    long_texts = [(k, node.props[k]) for k in _LONG_TEXTS if k in node.props]
    return dict(
        ctx=ctx,
        node=node,
        details=details,
        long_texts=long_texts,
        status=current_statuses().get(node.id, "no_data"),
        has_status=node.kind in CAUSAL_KINDS,
        plan_node=plan.node,
        indicators=_indicators(node.id),
        confidences=node_confidences(plan, node.id),
        has_story=node.kind in STORY_KINDS,
        band_label=lambda conf: band_label(conf, current_lang()),
    )


def _indicators(node_id: str) -> list[tuple[IndicatorStatus, Markup]]:
    """The indicators measuring a node, each with its small chart."""
    result = current_plan_status()
    statuses = [result.indicators[c] for c in result.measured_by.get(node_id, ())]
    return [(s, indicator_chart(s.indicator, s.periods, small=True)) for s in statuses]
