"""At most a few requests running the app's Python code at once, however many server threads.

A Python process runs Python code on one core at a time (the GIL). When many threads are
ready to run, the interpreter makes them take turns every few hundred microseconds, and the
switching costs more processor time than the requests themselves: measured on this app, the
processor time per request grows by half from 4 to 20 busy threads. Server threads that only
wait for a slot here sleep on a lock and do not take part in that switching, so letting a few
requests in at a time serves the same users faster. ``MAX_CONCURRENT_REQUESTS`` sets how many
(0 lets every server thread in). By default (:func:`default_limit`) 4 on the embedded store,
whose calls run on this processor and take turns on one lock, and 8 on Neo4j, where a request
spends much of its time waiting for its queries' round trips, with the processor idle unless
other requests may run meanwhile (``python -m bench.web_load --store neo4j``: 20 readers,
p95 52 -> 48 ms; under 2 writers 121 -> 108 ms).

Requests get their turn in the order they arrive (a plain semaphore wakes waiters in any
order, which leaves some waiting far longer than others). The slot is given back when the app
returns its response: the app's pages and files are built by then (no response is streamed),
and sending them is the server's work.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ConcurrencyLimit", "FairSlots", "default_limit"]

#: Requests at once by default on a store whose calls use this processor (the embedded one).
LOCAL_STORE_LIMIT = 4
#: The same on a store over the network (Neo4j), where requests wait on round trips.
NETWORK_STORE_LIMIT = 8


def default_limit(location: str) -> int:
    """The default number of requests at once for the store at ``location``.

    >>> default_limit("data/pathways.lbug"), default_limit("neo4j+s://team.databases.neo4j.io")
    (4, 8)
    """
    from graphdb import is_neo4j_location

    return NETWORK_STORE_LIMIT if is_neo4j_location(location) else LOCAL_STORE_LIMIT


class FairSlots:
    """``limit`` slots handed out first come, first served.

    >>> slots = FairSlots(1)
    >>> slots.acquire(); slots.free
    0
    >>> slots.release(); slots.free
    1
    """

    def __init__(self, limit: int) -> None:
        self.free = limit
        self._lock = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._lock:
            if self.free > 0 and not self._waiting:
                self.free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by the request that hands its slot over

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()  # the slot passes on directly
            else:
                self.free += 1


class ConcurrencyLimit:
    """WSGI middleware: at most ``limit`` requests in ``app`` at once; others wait their turn.

    >>> calls = []
    >>> def app(environ, start_response):
    ...     calls.append(environ["PATH_INFO"])
    ...     return [b"ok"]
    >>> limited = ConcurrencyLimit(app, 2)
    >>> list(limited({"PATH_INFO": "/"}, None)), calls
    ([b'ok'], ['/'])
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots = FairSlots(limit)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        self._slots.acquire()
        try:
            return self.app(environ, start_response)
        finally:
            self._slots.release()
