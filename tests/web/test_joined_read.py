"""The shared read of the data version: no caller gets an answer from a read that began
before it asked; callers arriving while a read is in flight share the next one."""

from __future__ import annotations

import threading
import time

import pytest

from web.joined_read import JoinedRead


class _Gated:
    """A read that returns how many reads began, each held until released."""

    def __init__(self) -> None:
        self.began = 0
        self.gates: list[threading.Event] = []
        self.lock = threading.Lock()

    def __call__(self) -> int:
        gate = threading.Event()
        with self.lock:
            self.began += 1
            number = self.began
            self.gates.append(gate)
        assert gate.wait(10)
        return number

    def release(self, n: int) -> None:
        _until(lambda: len(self.gates) >= n)
        self.gates[n - 1].set()


def _until(condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.001)


def _ask(joined: JoinedRead, answers: list, index: int) -> threading.Thread:
    def run() -> None:
        answers[index] = joined()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_caller_never_takes_the_answer_of_a_read_begun_before_it_asked():
    read = _Gated()
    joined = JoinedRead(read)
    answers: list = [None] * 6
    first = _ask(joined, answers, 0)
    _until(lambda: read.began == 1)  # read 1 in flight
    late = [_ask(joined, answers, n) for n in range(1, 6)]
    _until(lambda: joined.waiting == 5)
    read.release(1)
    first.join(10)
    assert answers[0] == 1
    read.release(2)  # one read for the five that asked during read 1
    for thread in late:
        thread.join(10)
    assert answers[1:] == [2] * 5 and joined.reads == 2


def test_callers_in_turn_each_read_again():
    count = iter(range(1, 100))
    joined = JoinedRead(lambda: next(count))
    assert [joined() for _ in range(3)] == [1, 2, 3]


def test_a_failed_read_fails_its_caller_and_the_waiting_read_again():
    read = _Gated()
    failing = {"on": True}

    def flaky() -> int:
        number = read()
        if failing.pop("on", False):
            raise ConnectionError("the store went away")
        return number

    joined = JoinedRead(flaky)
    answers: list = [None]
    errors: list = []

    def first() -> None:
        try:
            joined()
        except ConnectionError as e:
            errors.append(e)

    thread = threading.Thread(target=first)
    thread.start()
    _until(lambda: read.began == 1)
    waiter = _ask(joined, answers, 0)
    _until(lambda: joined.waiting == 1)
    read.release(1)
    thread.join(10)
    read.release(2)
    waiter.join(10)
    assert len(errors) == 1 and answers == [2] and joined.reads == 2


@pytest.mark.parametrize("callers", [8, 32])
def test_every_answer_comes_from_a_read_begun_after_the_question(callers):
    """Under many threads at once: the read number each caller gets began after it asked."""
    began = []
    lock = threading.Lock()

    def read() -> int:
        with lock:
            began.append(time.perf_counter_ns())
            number = len(began)
        time.sleep(0.002)
        return number

    joined = JoinedRead(read)
    asked: list = [None] * callers
    got: list = [None] * callers
    stale: list = []

    def run(n: int) -> None:
        for _ in range(20):
            asked[n] = time.perf_counter_ns()
            got[n] = joined()
            if began[got[n] - 1] < asked[n]:
                stale.append((n, got[n]))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(g is not None for g in got) and stale == []
    assert joined.reads < callers * 20  # shared, not one read per question
