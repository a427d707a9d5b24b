"""A small read many request threads share without any of them getting an answer older than
its question: the store's data version on a store other processes write.

Each request on a shared Neo4j reads the data version so that a write another process made
is seen on the next request (:mod:`web.store`). Read one by one, 20 busy clients send one
query per request, and that query's round trip and driver work are most of what a cached page
costs. A read that *began* after a request asked reflects every write committed before it
asked, so the request may take that read's answer instead of making its own: while one read
is in flight, every request that arrives waits for the next one and shares it. No answer is
older than the question, so the promise holds; the queries fall to about one per round trip.

>>> calls = []
>>> version = JoinedRead(lambda: calls.append(1) or len(calls))
>>> version(), version(), version.reads
(1, 2, 2)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["JoinedRead"]

_T = TypeVar("_T")


class JoinedRead(Generic[_T]):
    """``read()``, shared: a call returns the result of a read that began after the call
    (joining one already begun after it, else waiting for the one in flight to end and then
    starting the next, which later callers join). An error of a read is raised in the caller
    that made it; the callers waiting for it start a read of their own."""

    def __init__(self, read: Callable[[], _T]) -> None:
        self._read = read
        self._turn = threading.Condition()
        self._ticket = 0  # orders questions and the starts of reads
        self._started: int | None = None  # ticket of the read in flight
        self._result: tuple[int, _T] | None = None  # ticket of the last read ended, its result
        #: Reads made so far (for tests and benchmarks).
        self.reads = 0
        #: Callers waiting for a read now.
        self.waiting = 0

    def __call__(self) -> _T:
        with self._turn:
            self._ticket += 1
            asked = self._ticket
            while True:
                if self._result is not None and self._result[0] > asked:
                    return self._result[1]
                if self._started is None:
                    break
                self.waiting += 1
                try:
                    self._turn.wait()
                finally:
                    self.waiting -= 1
            self._ticket += 1
            started = self._started = self._ticket
            self.reads += 1
        try:
            value = self._read()
        except BaseException:
            with self._turn:
                self._started = None
                self._turn.notify_all()
            raise
        with self._turn:
            self._result, self._started = (started, value), None
            self._turn.notify_all()
        return value
