"""The app's copy of the measurement log grows by what the store gained, checked against a
whole read (web.statuses.RevisionLog), on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.model import MeasurementValue, Revision, now_stamp
from web.freshness import ChangeTracker
from web.statuses import RevisionLog, StatusCache

CODES = ("ind.count", "ind.pct", "ind.level")


def _rev(
    code: str, period: str, number: int, at: str | None = None, status: str = "submitted"
) -> Revision:
    return Revision(
        code, period, number, status, MeasurementValue(value=float(number)), "ann",
        at or now_stamp(),
    )  # fmt: skip


def _same(log: RevisionLog, whole: RevisionLog) -> None:
    assert log.count == whole.count
    assert log.revisions == whole.revisions
    assert log.by_code == whole.by_code
    assert log.uids == whole.uids
    assert log.approved == whole.approved


def test_the_log_grows_by_the_revisions_gained_as_a_whole_read_finds_them(istore):
    istore.append_revisions([_rev(c, p, 1) for c in CODES for p in ("2027", "2028")])
    cache = StatusCache()
    assert len(cache.revisions(istore)) == 6 and cache.full_reads == 1
    for number in (2, 3):
        istore.append_revisions(
            [_rev("ind.pct", "2027", number, status="approved" if number == 3 else "submitted"),
             _rev("ind.count", f"20{27 + number}", 1)]
        )  # fmt: skip
        if number == 3:
            istore.append_revisions([_rev("ind.count", "2029", 2)])
        cache.revisions(istore)
    assert cache.full_reads == 1  # the rest were reads of what the log gained
    assert cache._log(istore).approved == 1  # counted as the log grew
    _same(cache._log(istore), RevisionLog.read(istore))
    assert [r.revision for r in cache.indicator_revisions(istore, "ind.pct")] == [1, 2, 3, 1]


def test_a_revision_stamped_long_before_makes_the_log_read_whole_again(istore):
    istore.append_revisions([_rev("ind.count", "2027", 1)])
    cache = StatusCache()
    cache.revisions(istore)
    istore.append_revisions([_rev("ind.count", "2028", 1, at="2020-01-01T00:00:00.000000Z")])
    assert len(cache.revisions(istore)) == 2
    assert cache.full_reads == 2
    _same(cache._log(istore), RevisionLog.read(istore))


def test_a_grown_log_leaves_the_log_it_grew_from_as_it_was(istore):
    istore.append_revisions([_rev("ind.count", "2027", 1)])
    before = RevisionLog.read(istore)
    kept = (list(before.revisions), {k: list(v) for k, v in before.by_code.items()})
    istore.append_revisions([_rev("ind.count", "2027", 2)])
    grown = before.grown(istore)
    assert grown is not None and grown.count == 2 and not grown.full
    assert (before.revisions, before.by_code) == kept  # pages may still hold it


@pytest.mark.parametrize(("sole_writer", "full_reads"), [(True, 2), (False, 1)])
def test_a_sole_writer_looks_back_seconds_not_minutes_for_what_the_log_gained(
    istore, sole_writer, full_reads
):
    """One process's own clock needs a margin of moments (less to read again after each
    write); processes sharing a Neo4j keep ten seconds. Either way the log comes out as a
    whole read finds it: a revision outside the margin costs a whole read, never a lost value."""
    istore.append_revisions([_rev("ind.count", "2027", 1)])
    cache = StatusCache(tracker=ChangeTracker(recheck=0, sole_writer=sole_writer))
    cache.revisions(istore)
    earlier = now_stamp(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5))
    istore.append_revisions([_rev("ind.count", "2028", 1, at=earlier)])
    assert len(cache.revisions(istore)) == 2
    assert cache.full_reads == full_reads
    _same(cache._log(istore), RevisionLog.read(istore))


class _StoredMeanwhile:
    """The store, where another process stores a revision just before a read of the recent
    revisions (once)."""

    def __init__(self, store) -> None:
        self._store = store
        self.stored = False

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def measurement_revisions(self, *args, **kwargs):
        if kwargs.get("since") and not self.stored:
            self.stored = True
            self._store.append_revisions([_rev("ind.pct", "2028", 1)])
        return self._store.measurement_revisions(*args, **kwargs)


def test_a_revision_stored_while_the_gain_is_read_cannot_stand_in_for_one_missed(istore):
    """A revision the read of recent ones misses (stamped before the margin) and one stored
    between counting and that read would add up to the count read before it; the count is
    read after, so the log is read whole and comes out as the store holds it."""
    istore.append_revisions([_rev("ind.count", "2027", 1)])
    cache = StatusCache()
    cache.revisions(istore)
    istore.append_revisions([
        _rev("ind.count", "2028", 1), _rev("ind.pct", "2027", 1, at="2020-01-01T00:00:00.000000Z")
    ])  # fmt: skip
    racing = _StoredMeanwhile(istore)
    assert len(cache.revisions(racing)) == 4 and racing.stored
    assert cache.full_reads == 2
    _same(cache._log(istore), RevisionLog.read(istore))


def test_the_store_reads_revisions_since_a_stamp_less_those_excluded(istore):
    """What :meth:`RevisionLog.grown` asks of both engines: revisions recorded at or after a
    stamp, less the ones the cache already holds (by uid)."""
    istore.append_revisions([
        _rev("ind.count", "2027", 1, at="2027-01-01T00:00:00.000000Z"),
        _rev("ind.count", "2027", 2, at="2027-02-01T00:00:00.000000Z"),
        _rev("ind.pct", "2027", 1, at="2027-03-01T00:00:00.000000Z"),
    ])  # fmt: skip
    since = "2027-02-01T00:00:00.000000Z"
    assert [(r.indicator, r.revision) for r in istore.measurement_revisions(since=since)] == [
        ("ind.count", 2), ("ind.pct", 1)
    ]  # fmt: skip
    known = [RevisionLog.read(istore).stamped[1][1]]
    left = istore.measurement_revisions(since=since, excluding=known)
    assert [(r.indicator, r.revision) for r in left] == [("ind.pct", 1)]
    assert istore.measurement_revisions(since=since, excluding=()) == istore.measurement_revisions(
        since=since
    )
