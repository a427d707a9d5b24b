"""Caches of store data see the app's own writes at once and other programs' writes after the
recheck period, without asking the store on every request."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from graphdb.errors import PlanSavedMeanwhile
from graphdb.ladybug_store import LadybugStore
from graphdb.store import DataVersion
from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from toc.model import Plan, Text
from web.freshness import AREAS, COVERED, ChangeTracker
from web.statuses import StatusCache
from web.store import ProcessStore


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Counting:
    """A store that counts the calls made on it."""

    def __init__(self, store) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if callable(attr):
            self.calls.append(name)
        return attr


def test_stamps():
    clock = Clock()
    tracker = ChangeTracker(recheck=10, clock=clock)
    stamp = tracker.stamp("plan", "revisions")
    tracker.called("get_account")  # reads change nothing
    tracker.called("record_login_success")  # a write to accounts only
    assert tracker.stamp("plan", "revisions") == stamp
    tracker.called("append_revisions")
    assert tracker.stamp("plan", "revisions") != stamp
    stamp = tracker.stamp("plan")
    clock.now += 10  # the recheck period rolled over
    assert tracker.stamp("plan") != stamp
    assert ChangeTracker(recheck=0).stamp("plan") is None


def test_accounts_are_read_again_after_a_write(store_path):
    clock = Clock()
    holder = ProcessStore(str(store_path), tracker=ChangeTracker(recheck=60, clock=clock))
    try:
        first = holder.account("viewer")
        assert holder.account("viewer") is first  # cached
        holder.get().set_role("viewer", "contributor")  # through the app's store
        assert holder.account("viewer").role == "contributor"
        assert holder.account("nobody") is None
    finally:
        holder.close()


def test_other_programs_writes_are_seen_after_the_recheck_period(store_path):
    clock = Clock()
    holder = ProcessStore(str(store_path), tracker=ChangeTracker(recheck=60, clock=clock))
    try:
        assert holder.account("viewer").role == "viewer"
        holder._store.set_role("viewer", "admin")  # as if another program wrote it
        assert holder.account("viewer").role == "viewer"
        clock.now += 60
        assert holder.account("viewer").role == "admin"
    finally:
        holder.close()


def test_the_embedded_store_is_read_again_only_after_the_apps_own_writes(store_path):
    """No other program can write the embedded store while the app holds it, so time alone
    does not make its plan or data version stale (accounts still are: ``toc users``)."""
    clock = Clock()
    opened: list[Counting] = []

    def opener(location: str) -> Counting:
        opened.append(Counting(LadybugStore(location)))
        return opened[0]

    holder = ProcessStore(
        str(store_path), opener=opener, tracker=ChangeTracker(recheck=2, clock=clock)
    )
    try:
        plan, version = holder.plan(), holder.data_version()
        counting = opened[0]
        counting.calls.clear()
        clock.now += 3600
        assert holder.plan() is plan and holder.data_version() == version
        assert counting.calls == [], "read again though nothing was written"
        node = plan.nodes[0]
        changed = Plan.of(
            [replace(n, title=Text("Nieuw", "New")) if n is node else n for n in plan.nodes],
            list(plan.edges),
        )
        holder.get().save_plan(changed, author="tests", message="again")  # the app's own write
        assert holder.data_version().plan == version.plan + 1
        assert holder.versioned_plan()[0] == version.plan + 1
    finally:
        holder.close()


def test_statuses_are_not_checked_against_the_store_while_nothing_changed(store_path):
    clock = Clock()
    tracker = ChangeTracker(recheck=60, clock=clock)
    store = LadybugStore(store_path)
    try:
        counting = Counting(store)
        cache = StatusCache(tracker=tracker)
        plan = store.load_plan()
        first = cache.get(counting, plan)
        counting.calls.clear()
        assert cache.get(counting, plan) is first
        assert counting.calls == []
        apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="ana", role="contributor",
                   value=MeasurementValue(value=16.0))  # fmt: skip
        apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")
        tracker.called("append_revisions")
        second = cache.get(counting, plan)
        assert second is not first and second.nodes["so1.o1"].combined.value == "on_track"
        assert cache.computations == 2
        assert [r.period for r in cache.indicator_revisions(counting, "ind.o1")] == ["2028"] * 2
    finally:
        store.close()


# -- the store's data version and the stamps (several processes on one store) ----------------

_EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from(AREAS)),
        st.tuples(st.just("other process"), st.just("")),
        st.tuples(st.just("time"), st.floats(min_value=0, max_value=25)),
    ),
    max_size=30,
)


@given(
    events=_EVENTS,
    areas=st.sets(st.sampled_from(AREAS), min_size=1),
    shared=st.booleans(),
    sole=st.booleans(),
)
def test_a_stamp_changes_exactly_when_its_data_may_have(events, areas, shared, sole):
    """A stamp changes after the app's own write to one of its areas, after another process's
    write (the store's version) when the store is shared, and when the recheck period rolls
    over unless the version, or being the store's only writer, covers all of its areas; never
    otherwise."""
    clock, version = Clock(), [0]
    sole = sole and not shared
    tracker = ChangeTracker(
        recheck=10,
        clock=clock,
        version=(lambda: version[0]) if shared else None,
        sole_writer=sole,
    )
    areas = tuple(sorted(areas))
    covered = (shared or sole) and COVERED.issuperset(areas)
    for kind, what in events:
        if kind == "other process" and sole:
            continue  # no other program can write such a store
        before, period = tracker.stamp(*areas), int(clock.now // 10)
        if kind == "write":
            tracker.wrote(what)
            may_change = what in areas
        elif kind == "other process":
            version[0] += 1
            may_change = shared
        else:
            clock.now += what
            may_change = not covered and int(clock.now // 10) != period
        assert (tracker.stamp(*areas) != before) == may_change


def test_a_plan_save_is_based_on_what_the_thread_read(store_path):
    """Another program's save between this thread's read and its save is not undone."""
    holder = ProcessStore(str(store_path), tracker=ChangeTracker(recheck=60, clock=Clock()))
    try:
        shared = holder.get()
        plan = shared.load_plan()
        other = holder._store  # as if another process saved
        node = plan.nodes[1]
        theirs = Plan.of(
            [replace(n, title=Text("Hun", "Theirs")) if n.id == node.id else n for n in plan.nodes],
            list(plan.edges),
        )
        other.save_plan(theirs, author="them")
        mine = Plan.of(
            [replace(n, title=Text("Mijn", "Mine")) if n.id == node.id else n for n in plan.nodes],
            list(plan.edges),
        )
        with pytest.raises(PlanSavedMeanwhile):
            shared.save_plan(mine, author="me")
        assert holder._store.load_plan().node(node.id).title.en == "Theirs"
        shared.load_plan()  # read again, then the save goes through
        assert shared.save_plan(mine, author="me") is not None
    finally:
        holder.close()


class _SharedStore:
    """Just enough of a store that other processes write: its data version, counted."""

    shared = thread_safe = True

    def __init__(self) -> None:
        self.reads = 0

    def data_version(self) -> DataVersion:
        self.reads += 1
        return DataVersion(1, 0, self.reads, 0)

    def close(self) -> None:
        pass


@pytest.mark.parametrize(("seconds", "reads"), [(0.0, 4), (0.5, 2)])
def test_a_shared_store_version_is_read_once_per_request_at_most_every_n_seconds(seconds, reads):
    app, clock, fake = Flask(__name__), Clock(), _SharedStore()
    holder = ProcessStore("neo4j://x", opener=lambda _: fake, version_seconds=seconds,
                          clock=clock)  # fmt: skip
    for step in (0.0, 0.1, 0.6, 0.1):  # four requests, this far apart
        clock.now += step
        with app.app_context():
            first = holder.version()
            assert holder.version() == first  # one reading per request
    assert fake.reads == reads


class _SlowSideBySide:
    """A store whose calls run side by side (as Neo4j's), slow to load the plan and the log,
    counting each load: what a cold start under load meets. (The embedded store underneath
    gets one call at a time, which its connection needs.)"""

    shared = False
    thread_safe = True

    def __init__(self, store: LadybugStore) -> None:
        self._store = store
        self.plan_loads = 0
        self.log_reads = 0
        self._engine = threading.Lock()

    def versioned_plan(self):
        with self._engine:
            self.plan_loads += 1
        time.sleep(0.2)  # the slow part runs side by side with other calls
        with self._engine:
            return self._store.versioned_plan()

    def measurement_revisions(self, **kwargs):
        with self._engine:
            self.log_reads += 1
        time.sleep(0.2)
        with self._engine:
            return self._store.measurement_revisions(**kwargs)

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            with self._engine:
                return attr(*args, **kwargs)

        return call


def test_requests_that_find_the_plan_or_log_cold_wait_for_one_load(store_path):
    """Ten requests arriving together on a cold cache load the plan once and read the log once,
    instead of ten times side by side (on a 20,000-node plan on Neo4j that took every request
    past the clients' 30 s timeout)."""
    slow = _SlowSideBySide(LadybugStore(store_path))
    holder = ProcessStore(
        str(store_path), opener=lambda _: slow, tracker=ChangeTracker(recheck=60, clock=Clock())
    )
    cache = StatusCache(tracker=holder.tracker)
    barrier = threading.Barrier(10)
    answers: list[tuple[int, int]] = []

    def request() -> None:
        barrier.wait()
        plan = holder.plan()
        answers.append((len(plan.nodes), len(cache.revisions(holder.get()))))

    try:
        threads = [threading.Thread(target=request) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(answers)) == 1 and len(answers) == 10
        assert (slow.plan_loads, slow.log_reads) == (1, 1)
    finally:
        holder.close()


def test_a_shared_stores_version_changes_only_the_stamps_of_the_parts_that_grew():
    """Another process adding a value makes the measurement log read again, not the plan or
    the definitions (each a whole read on a large plan); a plan save changes the plan's."""
    from graphdb.store import DataVersion

    version = [DataVersion(3, 15, 120, 4)]
    tracker = ChangeTracker(recheck=3600, version=lambda: version[0])
    before = {a: tracker.stamp(a) for a in ("plan", "indicators", "revisions", "learning")}
    version[0] = version[0]._replace(revisions=121)
    after = {a: tracker.stamp(a) for a in before}
    assert [a for a in before if before[a] != after[a]] == ["revisions"]
    version[0] = version[0]._replace(plan=4)
    assert tracker.stamp("plan") != after["plan"]
    assert tracker.stamp("indicators") == after["indicators"]
