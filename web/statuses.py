"""Progress statuses of the plan's nodes, as the pages and the diagram show them.

The statuses come from :func:`indicators.pathway_status.compute_plan_status`: a node's
*combined* status (its own indicators, else what contributes to it). Computing them reads every
indicator definition and approved measurement, so the result is kept in memory until the plan,
the definitions or the approved measurements change. The store's data version
(:class:`graphdb.store.DataVersion`) says when the plan, the definitions or the measurement log
changed; in the app it is read only after one of the app's own writes, once the cached result
is a little old, or, on a store other processes write, once per request (:mod:`web.freshness`).
When only the log grew, the approved measurements are counted: a value submitted for review
(not approved) leaves the statuses, and so :func:`data_version` and the pages cached by it, as
they were. Pages that also show what is not approved (the overview, an indicator's page) add
what they show to their cache key.

A store that holds no indicators (an engine without indicator storage) gives "no data" for
every node. Status names are those of :data:`toc.render.STATUS_STYLE`.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import threading
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from flask import Flask, current_app, g

from graphdb import GraphStore
from graphdb.store import DataVersion
from indicators.model import Revision, RevisionStatus, now_stamp
from indicators.pathway_status import PlanStatus, compute_plan_status
from indicators.records import revision_uid, revisions_to_frame
from indicators.rollup import DEFAULT_RULE, RollupRule
from indicators.status import STATUS_COLUMNS
from indicators.status_explanation import StatusExplanation, explain_status
from toc.kinds import CAUSAL_KINDS
from toc.model import Plan
from toc.render import STATUS_STYLE
from web.freshness import ChangeTracker
from web.memo import per_version
from web.store import (
    current_data_version,
    current_plan,
    current_plan_version,
    get_store,
    tracker,
)

__all__ = [
    "STATUSES",
    "StatusCache",
    "current_plan_status",
    "current_revisions",
    "current_statuses",
    "data_version",
    "indicator_revisions",
    "init_app",
    "status_counts",
    "status_explanation",
]

#: Status names, best first; the last one means "no data".
STATUSES: tuple[str, ...] = tuple(STATUS_STYLE)

_KEY = "pathways.statuses"


#: How far back a read of what the log gained looks before the newest revision known: app
#: processes on one Neo4j stamp revisions with their own clocks, a little apart, and a
#: revision is stamped a moment before it is stored. A revision stamped earlier still is not
#: lost: the count check of :meth:`RevisionLog.grown` then reads the log whole. (Ten minutes
#: here meant reading every revision of the last ten minutes again after each write.)
CLOCK_MARGIN = dt.timedelta(seconds=10)
#: The same for a store only this process writes (:attr:`ChangeTracker.sole_writer`): one
#: clock, so only the moment between stamping a revision and storing it.
OWN_CLOCK_MARGIN = dt.timedelta(seconds=2)
#: At most this many uids of known recent revisions are sent with the read of what the log
#: gained, to be left out (after a large import, the recent ones are read and compared here).
MAX_EXCLUDED = 2000


def _order(r: Revision) -> tuple[str, str, int]:
    return (r.indicator, r.period, r.revision)


@dataclass(frozen=True)
class RevisionLog:
    """The measurement log as revision objects, as of ``count`` revisions: all of them in the
    store's order, by indicator, the ``uid`` of each and the newest ``recorded_at``.

    The log only grows, so once read whole it is brought up to date with what it gained
    (:meth:`grown`): the revisions recorded since shortly before the newest one known, less
    those known by uid (left out by the store, so only the new ones are read). That read is
    checked: when the known and the new ones do not add up to the store's count (a revision
    stamped long before, say by another process's clock), the log is read whole again. A
    100,000-revision log takes 3 s to read whole, a few new revisions milliseconds.
    """

    count: int
    revisions: list[Revision]
    by_code: dict[str, list[Revision]]
    uids: frozenset[str]
    #: (recorded_at, uid) of every revision, in that order: which known ones are recent.
    stamped: list[tuple[str, str]]
    #: How many of the revisions are approved (what the statuses count).
    approved: int
    full: bool = True

    @property
    def newest(self) -> str:
        """The newest ``recorded_at`` ("" for an empty log)."""
        return self.stamped[-1][0] if self.stamped else ""

    @classmethod
    def read(cls, store: GraphStore) -> RevisionLog:
        """The whole log."""
        revisions = store.measurement_revisions()
        by_code: dict[str, list[Revision]] = {}
        for revision in revisions:
            by_code.setdefault(revision.indicator, []).append(revision)
        stamped = sorted((r.recorded_at, _uid(r)) for r in revisions)
        approved = sum(r.status is RevisionStatus.APPROVED for r in revisions)
        return cls(len(revisions), revisions, by_code, _uids(revisions), stamped, approved)

    def grown(self, store: GraphStore, margin: dt.timedelta = CLOCK_MARGIN) -> RevisionLog | None:
        """This log with the revisions the store gained, or None when they cannot be told
        apart from the store's recent revisions (read the log whole). ``margin``: how much
        earlier than the newest known a gained revision may be stamped.

        The store's count is read after its recent revisions: every revision it counts was
        stored before that read, so when the known and the gained ones add up to it, none was
        missed (one stamped before the margin, or one stored meanwhile, leaves them short).
        """
        if not self.newest:
            return None
        since = _before(self.newest, margin)
        known = [uid for _, uid in self.stamped[bisect.bisect_left(self.stamped, (since, "")) :]]
        excluding = known if len(known) <= MAX_EXCLUDED else ()
        recent = store.measurement_revisions(since=since, excluding=excluding)
        count = store.revision_count()
        gained = [r for r in recent if _uid(r) not in self.uids]
        if self.count + len(gained) != count:
            return None
        stamped = list(self.stamped)
        for revision in gained:
            bisect.insort(stamped, (revision.recorded_at, _uid(revision)))
        revisions = list(self.revisions)
        by_code = dict(self.by_code)
        for revision in gained:
            bisect.insort(revisions, revision, key=_order)
            of_code = list(by_code.get(revision.indicator, ()))
            bisect.insort(of_code, revision, key=_order)
            by_code[revision.indicator] = of_code
        uids = self.uids | _uids(gained)
        approved = self.approved + sum(r.status is RevisionStatus.APPROVED for r in gained)
        return RevisionLog(count, revisions, by_code, uids, stamped, approved, full=False)


def _uid(revision: Revision) -> str:
    return revision_uid(revision.indicator, revision.period, revision.revision)


def _uids(revisions: Iterable[Revision]) -> frozenset[str]:
    return frozenset(_uid(r) for r in revisions)


def _before(stamp: str, margin: dt.timedelta) -> str:
    """The timestamp ``margin`` before ``stamp`` (both as :func:`indicators.model.now_stamp`
    writes them); a stamp it cannot read gives the earliest one, so everything is read."""
    try:
        moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return ""
    return now_stamp(moment - margin)


class StatusCache:
    """The plan's statuses, recomputed only when their inputs change; also the measurement
    log as revision objects (all, and by indicator), read again only when it grew.

    With a ``tracker`` (:class:`web.freshness.ChangeTracker`), the inputs' versions are read
    only when its stamp changed; without one, on every call.
    """

    def __init__(
        self, rule: RollupRule = DEFAULT_RULE, tracker: ChangeTracker | None = None
    ) -> None:
        self.rule = rule
        self.tracker = tracker
        self._lock = threading.Lock()
        self._reading = threading.Lock()  # held by the one request reading the log
        self._cached: tuple[tuple[int, int, int], PlanStatus] | None = None
        self._cached_stamp: tuple[Hashable, ...] | None = None
        # the (plan, definitions, revisions) the cached statuses were checked against
        self._checked: tuple[int, int, int] | None = None
        self._revisions: RevisionLog | None = None
        self._revisions_stamp: tuple[Hashable, ...] | None = None
        self.computations = 0
        #: How often the whole log was read (the rest: only what it gained).
        self.full_reads = 0

    def _stamp(self, *areas: str) -> tuple[Hashable, ...] | None:
        return None if self.tracker is None else self.tracker.stamp(*areas)

    def _margin(self) -> dt.timedelta:
        sole = self.tracker is not None and self.tracker.sole_writer
        return OWN_CLOCK_MARGIN if sole else CLOCK_MARGIN

    def _current_log(self, stamp: tuple[Hashable, ...] | None) -> RevisionLog | None:
        """The cached log if ``stamp`` says it is current (call with the lock held)."""
        if stamp is not None and stamp == self._revisions_stamp:
            return self._revisions
        return None

    def _log(self, store: GraphStore) -> RevisionLog:
        stamp = self._stamp("revisions")
        with self._lock:
            current = self._current_log(stamp)
        if current is not None:
            return current
        # One request reads the log; the others that find it stale meanwhile wait for that
        # read instead of each reading the whole log at once (a cold start under load). Only
        # where store calls run side by side: elsewhere they take turns on the store's lock.
        with self._reading if store.thread_safe else contextlib.nullcontext():
            with self._lock:
                current, known = self._current_log(stamp), self._revisions
            if current is not None:
                return current
            count = store.revision_count()
            if known is not None and known.count == count:
                with self._lock:
                    self._revisions_stamp = stamp
                return known
            grows = known is not None and count > known.count
            log = known.grown(store, self._margin()) if known is not None and grows else None
            if log is None:
                log = RevisionLog.read(store)
            with self._lock:
                self._revisions, self._revisions_stamp = log, stamp
                self.full_reads += log.full
            return log

    def revisions(self, store: GraphStore) -> list[Revision]:
        """Every measurement revision, ordered by (indicator, period, revision)."""
        return self._log(store).revisions

    def indicator_revisions(self, store: GraphStore, code: str) -> list[Revision]:
        """The revisions of one indicator, ordered by (period, revision)."""
        return self._log(store).by_code.get(code, [])

    def get(self, store: GraphStore, plan: Plan) -> PlanStatus:
        """The statuses for ``plan`` as stored now."""
        return self.versioned(store, plan)[1]

    def versioned(
        self,
        store: GraphStore,
        plan: Plan,
        plan_version: int | None = None,
        data: DataVersion | None = None,
    ) -> tuple[tuple[int, int, int], PlanStatus]:
        """(the versions of what the statuses depend on: plan, definitions, approved
        revisions; the statuses). ``plan_version`` is the version of ``plan`` (default:
        the stored plan's); ``data`` the store's data version if the caller has it."""
        stamp = self._stamp("plan", "indicators", "revisions")
        with self._lock:
            if stamp is not None and stamp == self._cached_stamp and self._cached is not None:
                return self._cached
        data = data or store.data_version()
        version = data.plan if plan_version is None else plan_version
        inputs = (version, data.definitions, data.revisions)
        with self._lock:
            if self._cached is not None and self._checked == inputs:
                self._cached_stamp = stamp
                return self._cached
        # The approved values are counted off the log this cache holds (read once, then only
        # what it gained; the pages need it anyway), not by another query, and the statuses
        # are computed off it: not a second read of the whole log, most of a cold start on
        # Neo4j.
        log = self._log(store)
        key = (version, data.definitions, log.approved)
        with self._lock:
            if self._cached is not None and self._cached[0] == key:
                # only values that are not approved were added: the statuses stand
                self._checked, self._cached_stamp = inputs, stamp
                return self._cached
        approved = [r for r in log.revisions if r.status is RevisionStatus.APPROVED]
        frame = revisions_to_frame(approved, STATUS_COLUMNS)
        result = compute_plan_status(plan, store.indicators(), frame, rule=self.rule)
        with self._lock:
            self._cached, self._cached_stamp, self._checked = (key, result), stamp, inputs
            self.computations += 1
        return key, result


def init_app(app: Flask) -> None:
    """Keep the app's statuses cache (roll-up rule from ``STATUS_ROLLUP``, default worst-of)."""
    rule = app.config.get("STATUS_ROLLUP") or DEFAULT_RULE
    app.extensions[_KEY] = StatusCache(
        rule if isinstance(rule, RollupRule) else RollupRule(rule), tracker(app)
    )
    app.add_template_global(shows_illustrative_data)
    app.add_template_global(status_explanation)


def shows_illustrative_data() -> bool:
    """Whether any status or value on this request's pages comes from illustrative (demo)
    data, so the layout says so on every page."""
    result = current_plan_status()
    return result.illustrative


def current_plan_status() -> PlanStatus:
    """The statuses of this request's plan."""
    if "plan_status" not in g:
        g.status_version, g.plan_status = current_app.extensions[_KEY].versioned(
            get_store(), current_plan(), current_plan_version(), current_data_version()
        )
    plan_status: PlanStatus = g.plan_status
    return plan_status


def current_revisions() -> list[Revision]:
    """The measurement log as of this request."""
    if "revisions" not in g:
        g.revisions = current_app.extensions[_KEY].revisions(get_store())
    return g.revisions


def data_version() -> tuple[int, ...]:
    """A value that changes whenever the statuses of this request's pages may change: the
    plan, the indicator definitions or the approved measurements (for caches of rendered
    pages; a page that shows values not approved adds them to its key)."""
    if "data_version" not in g:
        current_plan_status()
        g.data_version = g.status_version
    return g.data_version


def indicator_revisions(code: str) -> list[Revision]:
    """The revisions of indicator ``code`` as of this request, ordered by (period, revision)."""
    return current_app.extensions[_KEY].indicator_revisions(get_store(), code)


def current_statuses() -> dict[str, str]:
    """Status name per causal node id for this request (every node has one)."""
    if "statuses" not in g:
        result = current_plan_status()
        plan = current_plan()

        def compute() -> dict[str, str]:
            known = {n: r.combined.value for n, r in result.nodes.items()}
            return {n.id: known.get(n.id, "no_data") for n in plan.nodes if n.kind in CAUSAL_KINDS}

        # computed once per plan and statuses (a 20,000-node plan takes 20 ms), shared
        g.statuses = per_version("statuses", data_version(), compute)
    statuses: dict[str, str] = g.statuses
    return statuses


def status_counts(
    plan: Plan, statuses: Mapping[str, str], kinds: Iterable[str] = CAUSAL_KINDS
) -> Counter[str]:
    """How many nodes of ``kinds`` have each status (no status counts as no data)."""
    counts: Counter[str] = Counter({s: 0 for s in STATUSES})
    for node in plan.nodes:
        if node.kind in kinds:
            counts[statuses.get(node.id, "no_data")] += 1
    return counts


def status_explanation(node_id: str) -> StatusExplanation | None:
    """Why ``node_id`` has its status on this request (None when the store holds no
    indicators): the figures that pages and tooltips put into words."""
    result = current_plan_status()
    if result is None:
        return None
    plan = current_plan()
    contributors = [
        e.source
        for e in plan.edges_to(node_id)
        if e.kind == "CONTRIBUTES_TO"
        and plan.get(e.source)
        and plan.node(e.source).kind in CAUSAL_KINDS
    ]
    return explain_status(result, node_id, contributors)
