"""Caches of store data see the app's own writes at once and other programs' writes after the
recheck period, without asking the store on every request."""

from __future__ import annotations

from graphdb.ladybug_store import LadybugStore
from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from web.freshness import ChangeTracker
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
