"""When data read from the store may have changed, without asking the store on every request.

The app caches what it reads (the plan, statuses, the measurement log, accounts). Asking the
store "has anything changed?" costs a query per area on every request, and requests queue
for the one store connection (:mod:`web.store`). Instead a :class:`ChangeTracker` knows:

* the app's **own writes**: the process store tells it after every call of a writing method
  (:data:`WRITES`), so the next request reads the changed area again at once;
* **other programs' writes**: the embedded store admits no other writer while the app runs,
  but a Neo4j store is shared (a second app process behind the same proxy, ``toc indicators
  load``). For such a store the tracker is given the store's **data version**
  (:class:`graphdb.store.DataVersion`: the plan version and the counts of definition
  versions, measurement revisions and learning changes, all append-only), read in one small
  query once per request (:mod:`web.store`): a write by another process changes it, so that
  process's write is seen on the next request, with no staleness at all;
* what the data version does not cover, **accounts** (their credential file is shared with
  ``toc users``), is checked again once it is ``recheck`` seconds old (the
  ``STORE_RECHECK_SECONDS`` setting, default 2; 0 checks everything on every request);
* a store **only this process writes** (the embedded store, opened for writing: its file lock
  admits no other writer) needs neither: the app's own writes are all there is, so a cached
  page stays valid until one of them (:attr:`ChangeTracker.sole_writer`). Without that, every
  cached page of the embedded store expired each ``recheck`` seconds, and under load (20
  clients on the demo) most requests rendered their page again.

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

With a data version (here a counter standing for the store's), another process's write
changes every stamp of the data areas at once (with the store's own
:class:`graphdb.store.DataVersion`, only the stamps of the areas whose part changed):

>>> store = [0]
>>> shared = ChangeTracker(recheck=3600, version=lambda: store[0])
>>> before = shared.stamp("plan")
>>> store[0] += 1  # another process wrote
>>> shared.stamp("plan") == before
False

A store only this process writes: the clock changes nothing of what the writes cover.

>>> clock = [0.0]
>>> sole = ChangeTracker(recheck=2, clock=lambda: clock[0], sole_writer=True)
>>> before = sole.stamp("plan")
>>> clock[0] += 60
>>> sole.stamp("plan") == before, sole.stamp("accounts") == sole.stamp("accounts")
(True, True)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from graphdb.store import DataVersion

__all__ = ["AREAS", "COVERED", "VERSION_PARTS", "WRITES", "ChangeTracker"]

#: The areas of the store that caches depend on.
AREAS: tuple[str, ...] = ("plan", "indicators", "revisions", "learning", "accounts")
#: The areas a store's data version (:class:`graphdb.store.DataVersion`) covers, each with its
#: part of the version (a write to the area makes that part grow).
VERSION_PARTS: dict[str, str] = {
    "plan": "plan",
    "indicators": "definitions",
    "revisions": "revisions",
    "learning": "learning",
}
#: The areas a store's data version covers (a write to any of them changes it).
COVERED: frozenset[str] = frozenset(VERSION_PARTS)

#: Store methods that write, and the area each changes.
WRITES: dict[str, str] = {
    "save_plan": "plan",
    "restore": "plan",
    "save_indicators": "indicators",
    "append_revisions": "revisions",
    "add_learning": "learning",
    "add_evidence": "learning",
    "submit_evidence": "learning",
    "review_evidence": "learning",
    "add_outcomes": "learning",
    "remove_evidence": "learning",
    "remove_outcome": "learning",
    "set_prior": "learning",
    "restore_learning": "learning",
    "add_account": "accounts",
    "set_role": "accounts",
    "set_scopes": "accounts",
    "set_display_name": "accounts",
    "set_password_hash": "accounts",
    "set_disabled": "accounts",
    "record_login_failure": "accounts",
    "record_login_success": "accounts",
}


class ChangeTracker:
    """Generations of the store's areas, raised by the app's own writes, the store's data
    version when there is one to read, and a clock that makes what it does not cover expire
    every ``recheck`` seconds (see the module docstring).

    ``version`` returns the store's data version as of the current request (None when the
    store has none to read); it is called once per :meth:`stamp` and should be cheap.
    ``sole_writer`` says that no other program can write the areas the data version covers
    (set by :class:`web.store.ProcessStore` once it knows the store it opened).
    """

    def __init__(
        self,
        recheck: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        version: Callable[[], Hashable | None] | None = None,
        sole_writer: bool = False,
    ) -> None:
        self.recheck = recheck
        self.version = version
        self.sole_writer = sole_writer
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

    def stamp(self, *areas: str) -> tuple[Hashable, ...] | None:
        """A value that changes when any of ``areas`` is written by the app, when the store's
        data version changes, and, unless the data version (or being the store's only writer)
        covers every one of ``areas``, when the recheck period rolls over. None when
        rechecking on every request."""
        if self.recheck <= 0:
            return None
        version = self.version() if self.version is not None else None
        covered = (version is not None or self.sole_writer) and COVERED.issuperset(areas)
        period = None if covered else int(self._clock() // self.recheck)
        if isinstance(version, DataVersion):
            # only the parts of the areas asked for: a value added does not make the plan or
            # the definitions read again (each part grows with every write of its own)
            version = tuple(getattr(version, VERSION_PARTS[a]) for a in areas if a in VERSION_PARTS)
        with self._lock:
            return (period, version, *(self._generations[a] for a in areas))
