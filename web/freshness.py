"""When data read from the store may have changed, without asking the store on every request.

The app caches what it reads (the plan, statuses, the measurement log, accounts). Asking the
store "has anything changed?" costs a query per area on every request, and requests queue
for the one store connection (:mod:`web.store`). Instead a :class:`ChangeTracker` knows:

* the app's **own writes**: the process store tells it after every call of a writing method
  (:data:`WRITES`), so the next request reads the changed area again at once;
* **other programs' writes**: the embedded store admits no other writer while the app runs,
  but a Neo4j store may be shared (``toc indicators load``, a second app process). So cached
  data is also checked against the store again once it is ``recheck`` seconds old (the
  ``STORE_RECHECK_SECONDS`` setting, default 2; 0 checks on every request).

A cache keeps the :meth:`ChangeTracker.stamp` taken *before* it read the store; while the stamp
is unchanged the cached value is current. A write that happens while a value is being read
changes the stamp, so that value is checked again on the next request.

>>> tracker = ChangeTracker(recheck=3600)
>>> before = tracker.stamp("revisions")
>>> tracker.stamp("revisions") == before
True
>>> tracker.called("append_revisions")
>>> tracker.stamp("revisions") == before, tracker.stamp("plan") == tracker.stamp("plan")
(False, True)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["AREAS", "WRITES", "ChangeTracker"]

#: The areas of the store that caches depend on.
AREAS: tuple[str, ...] = ("plan", "indicators", "revisions", "accounts", "learning")

#: Store methods that write, and the area each changes.
WRITES: dict[str, str] = {
    "save_plan": "plan",
    "restore": "plan",
    "save_indicators": "indicators",
    "append_revisions": "revisions",
    "add_account": "accounts",
    "set_role": "accounts",
    "set_scopes": "accounts",
    "set_display_name": "accounts",
    "set_password_hash": "accounts",
    "set_disabled": "accounts",
    "record_login_failure": "accounts",
    "record_login_success": "accounts",
    "add_learning": "learning",
    "add_evidence": "learning",
    "submit_evidence": "learning",
    "review_evidence": "learning",
    "add_outcomes": "learning",
    "remove_evidence": "learning",
    "remove_outcome": "learning",
    "set_prior": "learning",
    "restore_learning": "learning",
}


class ChangeTracker:
    """Generations of the store's areas, raised by the app's own writes, plus a clock that
    makes cached data expire every ``recheck`` seconds (see the module docstring)."""

    def __init__(self, recheck: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.recheck = recheck
        self._clock = clock
        self._lock = threading.Lock()
        self._generations = dict.fromkeys(AREAS, 0)

    def called(self, method: str) -> None:
        """Note that the store method ``method`` was called (a write raises its area)."""
        area = WRITES.get(method)
        if area is not None:
            self.wrote(area)

    def wrote(self, area: str) -> None:
        """Note a write to ``area``."""
        with self._lock:
            self._generations[area] += 1

    def stamp(self, *areas: str) -> tuple[int, ...] | None:
        """A value that changes when any of ``areas`` is written by the app, and when the
        recheck period rolls over. None when rechecking on every request."""
        if self.recheck <= 0:
            return None
        period = int(self._clock() // self.recheck)
        with self._lock:
            return (period, *(self._generations[a] for a in areas))
