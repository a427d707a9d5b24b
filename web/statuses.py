"""Progress statuses of the plan's nodes, as the pages and the diagram show them.

The statuses come from :func:`indicators.pathway_status.compute_plan_status`: a node's
*combined* status (its own indicators, else what contributes to it). Computing them reads every
indicator definition and approved measurement, so the result is kept in memory until the plan,
the definitions or the measurement log change (each has a cheap version: the plan version, the
number of definition versions, the number of measurement revisions).

A store that holds no indicators (an engine without indicator storage) gives "no data" for
every node. Status names are those of :data:`toc.render.STATUS_STYLE`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping

from flask import Flask, current_app, g

from graphdb import GraphStore
from indicators.model import Revision
from indicators.pathway_status import PlanStatus, compute_plan_status
from indicators.rollup import DEFAULT_RULE, RollupRule
from indicators.status import STATUS_COLUMNS
from toc.kinds import CAUSAL_KINDS
from toc.model import Plan
from toc.render import STATUS_STYLE
from web.store import current_plan, get_store

__all__ = [
    "STATUSES",
    "StatusCache",
    "current_plan_status",
    "current_revisions",
    "current_statuses",
    "init_app",
    "status_counts",
]

#: Status names, best first; the last one means "no data".
STATUSES: tuple[str, ...] = tuple(STATUS_STYLE)

_KEY = "pathways.statuses"


class StatusCache:
    """The plan's statuses, recomputed only when their inputs change; also the measurement
    log as revision objects, read again only when it grew."""

    def __init__(self, rule: RollupRule = DEFAULT_RULE) -> None:
        self.rule = rule
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int, int], PlanStatus] | None = None
        self._revisions: tuple[int, list[Revision]] | None = None
        self.computations = 0

    def revisions(self, store: GraphStore) -> list[Revision]:
        """Every measurement revision (empty when the store holds no indicators)."""
        if not store.holds_indicators:
            return []
        count = store.revision_count()
        with self._lock:
            if self._revisions is not None and self._revisions[0] == count:
                return self._revisions[1]
        revisions = store.measurement_revisions()
        with self._lock:
            self._revisions = (count, revisions)
        return revisions

    def get(self, store: GraphStore, plan: Plan) -> PlanStatus | None:
        """The statuses for ``plan`` as stored now; None when the store holds no indicators."""
        if not store.holds_indicators:
            return None
        history = store.indicator_history()
        key = (store.plan_version(), len(history), store.revision_count())
        with self._lock:
            if self._cached is not None and self._cached[0] == key:
                return self._cached[1]
        frame = store.revision_frame(status="approved", columns=STATUS_COLUMNS)
        result = compute_plan_status(plan, store.indicators(), frame, rule=self.rule)
        with self._lock:
            self._cached = (key, result)
            self.computations += 1
        return result


def init_app(app: Flask) -> None:
    """Keep the app's statuses cache (roll-up rule from ``STATUS_ROLLUP``, default worst-of)."""
    rule = app.config.get("STATUS_ROLLUP") or DEFAULT_RULE
    app.extensions[_KEY] = StatusCache(rule if isinstance(rule, RollupRule) else RollupRule(rule))
    app.add_template_global(shows_illustrative_data)


def shows_illustrative_data() -> bool:
    """Whether any status or value on this request's pages comes from illustrative (demo)
    data, so the layout says so on every page."""
    result = current_plan_status()
    return bool(result is not None and result.illustrative)


def current_plan_status() -> PlanStatus | None:
    """The statuses of this request's plan (None when the store holds no indicators)."""
    if "plan_status" not in g:
        g.plan_status = current_app.extensions[_KEY].get(get_store(), current_plan())
    return g.plan_status


def current_revisions() -> list[Revision]:
    """The measurement log as of this request."""
    if "revisions" not in g:
        g.revisions = current_app.extensions[_KEY].revisions(get_store())
    return g.revisions


def current_statuses() -> dict[str, str]:
    """Status name per causal node id for this request (every node has one)."""
    if "statuses" not in g:
        result = current_plan_status()
        plan = current_plan()
        known = {} if result is None else {n: r.combined.value for n, r in result.nodes.items()}
        g.statuses = {
            n.id: known.get(n.id, "no_data") for n in plan.nodes if n.kind in CAUSAL_KINDS
        }
    return g.statuses


def status_counts(plan: Plan, statuses: Mapping[str, str], kinds=CAUSAL_KINDS) -> Counter[str]:
    """How many nodes of ``kinds`` have each status (no status counts as no data)."""
    counts: Counter[str] = Counter({s: 0 for s in STATUSES})
    for node in plan.nodes:
        if node.kind in kinds:
            counts[statuses.get(node.id, "no_data")] += 1
    return counts
