"""Failed sign-ins per client address in a sliding window, kept in this process's memory.

The per-account lockout lives in the store (:mod:`web.accounts`); this limit stops one address
from guessing across many accounts. It is per process: an app run as several processes gives
each its own window, which multiplies the limit by the number of processes.

>>> limiter = FailureWindow(limit=2, window=60.0)
>>> limiter.add("10.0.0.1", now=0.0); limiter.add("10.0.0.1", now=1.0)
>>> limiter.retry_after("10.0.0.1", now=2.0)
58
>>> limiter.retry_after("10.0.0.1", now=61.0) is None
True
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

__all__ = ["FailureWindow"]


class FailureWindow:
    """At most ``limit`` failures per key within ``window`` seconds."""

    def __init__(self, limit: int, window: float, max_keys: int = 100_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, now: float | None = None) -> None:
        """Count one failure for ``key``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._hits) >= self.max_keys:
                self._forget_old(now)
            hits = self._hits.setdefault(key, deque())
            hits.append(now)
            self._trim(hits, now)

    def retry_after(self, key: str, now: float | None = None) -> int | None:
        """Seconds until ``key`` may try again, or None when it is under the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return None
            self._trim(hits, now)
            if len(hits) < self.limit:
                return None
            return max(1, math.ceil(hits[0] + self.window - now))

    def reset(self, key: str) -> None:
        """Forget ``key``'s failures."""
        with self._lock:
            self._hits.pop(key, None)

    def _trim(self, hits: deque[float], now: float) -> None:
        while hits and hits[0] <= now - self.window:
            hits.popleft()

    def _forget_old(self, now: float) -> None:
        for key in list(self._hits):
            self._trim(self._hits[key], now)
            if not self._hits[key]:
                del self._hits[key]
        if len(self._hits) >= self.max_keys:  # still full: drop the oldest half
            oldest = sorted(self._hits, key=lambda k: self._hits[k][-1])
            for key in oldest[: len(oldest) // 2]:
                del self._hits[key]
