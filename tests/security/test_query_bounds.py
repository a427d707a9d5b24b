"""Ad-hoc queries are bounded in memory, time and answer size, on both engines; a query that
breaks a bound never takes the caller down, and the next query works."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pytest

from graphdb.errors import QueryMemoryExceeded, QueryTimeout, QueryTooLarge, StoreError
from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan


def _resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_a_runaway_expression_is_stopped_quickly_and_the_next_query_works(store):
    store.save_plan(small_plan())
    before = _resident_mb()
    started = time.monotonic()
    try:
        rows = store.query("RETURN size(range(1, 600000000)) AS n", timeout=10).rows
    except QueryMemoryExceeded as e:
        assert "too much memory (limit 512 MB)" in str(e) and e.limit_mb == 512
    else:  # Neo4j's range() is lazy: its size costs nothing
        assert store.backend == "neo4j" and rows == [(600000000,)]
    assert time.monotonic() - started < 5
    assert _resident_mb() - before < 50, "the caller's own memory stays small"
    assert store.query("MATCH (n:Strategy) RETURN n.id AS id ORDER BY id").rows == [
        ("s1",),
        ("s2",),
    ]


def test_collecting_too_much_is_stopped_on_both_engines(store):
    before = _resident_mb()
    started = time.monotonic()
    with pytest.raises(QueryMemoryExceeded, match="too much memory") as stopped:
        store.query("UNWIND range(1, 40000000) AS x RETURN size(collect(x)) AS n", timeout=20)
    assert stopped.value.limit_mb == (512 if store.backend == "ladybug" else 256)
    assert time.monotonic() - started < 15
    assert _resident_mb() - before < 50
    assert store.query("RETURN 1 AS one").rows == [(1,)]


def test_a_long_query_stops_at_its_timeout_and_the_next_one_works(store):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.5 s"):
        store.query(
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
            "WITH x + y AS z WHERE z % 7 = 1 RETURN sum(z) AS s",
            timeout=0.5,
        )
    assert time.monotonic() - started < 5
    assert store.query("RETURN 2 AS two").rows == [(2,)]


# -- the embedded store's query process ---------------------------------------------------------
@pytest.fixture
def embedded(tmp_path):
    store = LadybugStore(tmp_path / "bounds.lbug")
    store.save_plan(small_plan())
    yield store
    store.close()


def test_a_query_process_that_stops_answering_is_killed_at_the_deadline(embedded, monkeypatch):
    monkeypatch.setattr("graphdb.query_worker.GRACE_SECONDS", 0.2)
    assert embedded.query("RETURN 1 AS one").rows == [(1,)]
    worker = embedded._worker
    stuck = worker._process.pid
    os.kill(stuck, signal.SIGSTOP)  # as a query the engine cannot interrupt would
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.3 s"):
        embedded.query("RETURN 2", timeout=0.3)
    assert time.monotonic() - started < 2
    with pytest.raises(ProcessLookupError):
        os.kill(stuck, 0)  # killed and reaped
    assert embedded.query("RETURN 3 AS three").rows == [(3,)]
    assert worker._process.pid != stuck


def test_a_crash_of_the_query_engine_is_one_error_and_the_next_query_works(embedded):
    embedded.query("RETURN 1")
    pid = embedded._worker._process.pid

    def crash_soon() -> None:
        time.sleep(0.5)
        os.kill(pid, signal.SIGSEGV)

    threading.Thread(target=crash_soon).start()
    with pytest.raises(StoreError, match=r"the query engine stopped on this query \(signal 11\)"):
        embedded.query(
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
            "WITH x + y AS z WHERE z % 7 = 1 RETURN sum(z) AS s",
            timeout=20,
        )
    assert embedded.query("RETURN 4 AS four").rows == [(4,)]


def test_a_query_process_that_died_idle_is_replaced(embedded):
    embedded.query("RETURN 1")
    os.kill(embedded._worker._process.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert embedded.query("RETURN 5 AS five").rows == [(5,)]


def test_a_too_large_answer_is_refused(embedded):
    embedded.query("RETURN 1")
    embedded._worker.max_bytes = 1024 * 1024
    with pytest.raises(QueryTooLarge, match="larger than 1 MB"):
        embedded.query("UNWIND range(1, 20) AS i RETURN repeat('x', 100000) AS big")
    assert embedded.query("RETURN 6 AS six").rows == [(6,)]


def test_the_query_process_sees_every_committed_write(embedded):
    assert embedded.query("MATCH (n:Strategy) RETURN count(n)").rows == [(2,)]
    plan = small_plan()
    embedded.save_plan(plan.of([n for n in plan.nodes if n.id != "s2"], []))
    assert embedded.query("MATCH (n:Strategy) RETURN count(n)").rows == [(1,)]


def test_a_smaller_memory_budget_is_kept(embedded):
    embedded.query_memory_mb = 128
    with pytest.raises(QueryMemoryExceeded, match=r"limit 128 MB"):
        embedded.query("RETURN size(range(1, 20000000))")
    embedded.query_memory_mb = 512
    assert embedded.query("RETURN size(range(1, 1000)) AS n").rows == [(1000,)]


# -- Neo4j: the server's memory setting and queries it does not stop --------------------------
@pytest.fixture
def neo4j_store(request):
    store = request.getfixturevalue("fresh_neo4j_store")()
    yield store
    store.close()


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_harness_bounds_transaction_memory_and_the_store_knows_it(neo4j_store, caplog):
    with caplog.at_level(logging.WARNING, logger="graphdb.neo4j_store"):
        neo4j_store.query("RETURN 1")
    assert neo4j_store._memory_limit_mb == 256
    assert caplog.records == []


class _FakeSession:
    def __init__(self, rows=None, error=None):
        self.rows, self.error = rows or [], error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, *args, **kwargs):
        if self.error is not None:
            raise self.error
        return self.rows


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.parametrize(
    "session, warning",
    [
        (
            _FakeSession([{"name": "db.memory.transaction.max", "value": "0B"}]),
            "does not bound the memory of one transaction (db.memory.transaction.max = 0B)",
        ),
        (
            _FakeSession(error=StoreError("permission denied")),
            "cannot read the server's transaction memory settings (permission denied)",
        ),
    ],
)
def test_an_unbounded_or_unreadable_memory_setting_is_warned_about(
    neo4j_store, monkeypatch, caplog, session, warning
):
    monkeypatch.setattr(neo4j_store, "_session", lambda **config: session)
    with caplog.at_level(logging.WARNING, logger="graphdb.neo4j_store"):
        neo4j_store._check_memory_setting()
        neo4j_store._check_memory_setting()  # once per store
    assert len(caplog.records) == 1
    assert warning in caplog.records[0].getMessage()


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_query_the_server_keeps_running_is_given_up_on(neo4j_store, monkeypatch):
    """Neo4j checks its timeout between rows; one long expression runs on. The store stops
    waiting, asks the server to terminate it, and refuses new queries while too many such
    queries still run."""
    monkeypatch.setattr("graphdb.neo4j_store.GRACE_SECONDS", 0.1)
    release = threading.Event()
    terminated: list[str] = []

    def never_answers(cypher, params, seconds, row_limit, tag):
        release.wait(10)
        return [], [], False, None

    monkeypatch.setattr(neo4j_store, "_run_read_only", never_answers)
    monkeypatch.setattr(neo4j_store, "_terminate", terminated.append)
    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"stopped after 0\.2 s"):
            neo4j_store.query("RETURN 1", timeout=0.2)
        assert time.monotonic() - started < 2
    assert len(terminated) == 2
    with pytest.raises(QueryTimeout, match="still running 2 earlier queries"):
        neo4j_store.query("RETURN 1", timeout=0.2)
    release.set()
    monkeypatch.undo()
    for thread in neo4j_store._abandoned:
        thread.join(5)
    assert neo4j_store.query("RETURN 7 AS seven").rows == [(7,)]
