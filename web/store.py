"""The store behind the web app: one per process, handed to each request through ``flask.g``.

Views call :func:`get_store` (and :func:`current_plan` for the plan, cached per plan version;
:func:`get_account` for an account, cached until it changes); they never hold a driver and
never write Cypher. What is cached is read again after the app's own writes and, for other
programs' writes, once it is a little old (:mod:`web.freshness`).

Why one store per process and not one per request: opening the embedded store takes about
170 ms (it checks its schema), more than a whole page may take, while a call on an open store
takes 1-3 ms. LadybugDB also allows a single read-write opener per file, so the app keeps the
store open for its whole life. Request threads share it. On the embedded store a lock lets one
call in at a time, because its one connection runs one transaction at a time (reads on it do
not run in parallel anyway); the Neo4j driver keeps a pool of connections and a unit of work
per thread (``GraphStore.thread_safe``), so there calls run side by side and a reader never
waits for a writer. Either way, what the caches below hold is served without that lock, and
the account calls answer from the credential file (its own connection per thread) without
it too. The store opens on the first request and closes when the process exits.

Several processes on one Neo4j (behind a proxy): each request of each process reads the
store's data version once (:meth:`graphdb.store.GraphStore.data_version`, one small query)
when it first needs cached data, so a write by another process is seen on the next request
(:mod:`web.freshness`); requests that arrive while one such read is in flight share the next
one (:mod:`web.joined_read`: never an answer older than the request). ``STORE_VERSION_SECONDS``
(default 0) lets a busy process read it at most once in that many seconds instead: another
process's write is then seen after at most that long (the app's own writes still at once).

A save of the plan in a request is based on the plan that request last read from the store:
if another process saved the plan in between, the save is refused
(:class:`graphdb.errors.PlanSavedMeanwhile`, a plan error the edit forms show with the input
kept) instead of undoing the other save.

Consequence for users of the embedded store: while the web app runs, ``toc`` commands that
write the plan (``toc load``) cannot open the store and say so; read-only commands
(``toc show``) still work, on the data as of their start, and so does ``toc users`` (accounts
are in the credential store, :mod:`graphdb.credentials`, which the app shares).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, cast

from flask import Flask, current_app, g, has_app_context, has_request_context
from flask_babel import gettext

from graphdb import GraphStore, open_store
from graphdb.account_store import Account, CredentialsOf
from graphdb.errors import PlanSavedMeanwhile
from graphdb.store import DataVersion
from toc.model import Plan
from web.freshness import ChangeTracker
from web.joined_read import JoinedRead

__all__ = [
    "ProcessStore",
    "close_store",
    "current_data_version",
    "current_plan",
    "current_plan_version",
    "get_account",
    "get_store",
    "init_app",
    "tracker",
]

_KEY = "pathways.store"
#: Methods that answer from the credential file, which needs no turn on the store.
_UNLOCKED = frozenset(name for name in vars(CredentialsOf) if not name.startswith("_"))
#: Where a request keeps the store's data version it read (see :meth:`ProcessStore.version`).
_VERSION = "_pathways_data_version"


class _Serialized:
    """A store whose method calls take turns where the engine needs it (see the module
    docstring), telling the change tracker about each call (writes make caches read again),
    and whose plan saves are based on the plan the thread last read (``reads``)."""

    def __init__(
        self,
        store: GraphStore,
        lock: threading.RLock,
        tracker: ChangeTracker,
        reads: threading.local,
    ) -> None:
        self._store = store
        self._lock: AbstractContextManager[Any] = (
            contextlib.nullcontext() if store.thread_safe else lock
        )
        self._tracker = tracker
        self._reads = reads

    def load_plan(self) -> Plan:
        """The stored plan; its version is noted for this thread's next :meth:`save_plan`."""
        return self.versioned_plan()[1]

    def versioned_plan(self) -> tuple[int, Plan]:
        with self._lock:
            version, plan = self._store.versioned_plan()
        self._reads.plan_version = version
        return version, plan

    def save_plan(
        self, plan: Plan, author: str = "", message: str = "", *, based_on: int | None = None
    ) -> Any:
        """The store's save, based on the version this thread last read unless ``based_on``
        says otherwise; refused with a message in the user's language when another save came
        between."""
        if based_on is None:
            based_on = getattr(self._reads, "plan_version", None)
        try:
            with self._lock:
                try:
                    return self._store.save_plan(plan, author, message, based_on=based_on)
                finally:
                    self._tracker.called("save_plan")
        except PlanSavedMeanwhile as e:
            if not has_request_context():
                raise
            text = gettext(
                "Someone else saved the plan while you were editing it, so nothing of yours "
                "was saved. Your input is kept below; check it against the current version "
                "and save again."
            )
            raise PlanSavedMeanwhile(text, stored=e.stored) from None

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """The store's unit of work, with the lock held from start to end: every call of
        another request thread waits until it is committed (or rolled back), so nothing of
        theirs runs in its transaction on the store's one connection."""
        with self._lock, self._store.unit_of_work():
            yield

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr
        lock = contextlib.nullcontext() if name in _UNLOCKED else self._lock

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            with lock:
                try:
                    return attr(*args, **kwargs)
                finally:
                    self._tracker.called(name)

        return call


class ProcessStore:
    """The process's store, opened on first use; also caches the plan per plan version,
    accounts until they change and the store's data version (see the module docstring)."""

    def __init__(
        self,
        location: str,
        opener: Callable[[str], GraphStore] = open_store,
        tracker: ChangeTracker | None = None,
        version_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.location = location
        #: How old the data version of a shared store may be (see :meth:`version`).
        self.version_seconds = version_seconds
        self._clock = clock
        self._version_read: tuple[float, DataVersion] | None = None
        #: The data version read shared by requests arriving together (:mod:`web.joined_read`).
        self.version_reads: JoinedRead[DataVersion] = JoinedRead(lambda: self.get().data_version())
        self.tracker = tracker or ChangeTracker(recheck=0)
        if self.tracker.version is None:
            self.tracker.version = self.version
        self._opener = opener
        self._lock = threading.RLock()  # the store's turns (engines that need them)
        self._cached = threading.Lock()  # what is cached here, never held during a store call
        #: Held by the one request loading the plan, on an engine whose calls run side by side
        #: (on the embedded store they take turns on the store's lock already: a second lock
        #: there could deadlock with a unit of work that reads the plan).
        self._plan_loading = threading.Lock()
        self._reads = threading.local()
        self._store: GraphStore | None = None
        self._shared: GraphStore | None = None
        self._plan: tuple[int, Plan] | None = None
        self._plan_stamp: tuple[Any, ...] | None = None
        self._accounts: dict[str, Account | None] = {}
        self._accounts_stamp: tuple[Any, ...] | None = None
        self._data: tuple[tuple[Any, ...] | None, DataVersion] | None = None

    def get(self) -> GraphStore:
        """The shared store (opened now if needed); raises :class:`graphdb.StoreError` when it
        cannot be opened, and tries again on the next call."""
        shared = self._shared
        if shared is not None:
            return shared
        with self._lock:
            if self._shared is None:
                self._store = self._opener(self.location)
                self.tracker.sole_writer = not self._store.shared
                self._shared = cast(
                    GraphStore, _Serialized(self._store, self._lock, self.tracker, self._reads)
                )
            return self._shared

    def version(self) -> DataVersion | None:
        """The data version of a store other processes may write (None for one they cannot),
        read once per request and at most once in ``version_seconds`` (each call outside a
        request reads it)."""
        store = self.get()
        if not store.shared:
            return None
        if not has_app_context():
            return store.data_version()
        if _VERSION not in g:
            setattr(g, _VERSION, self._latest_version())
        version: DataVersion = getattr(g, _VERSION)
        return version

    def _latest_version(self) -> DataVersion:
        """The store's data version, read again once it is ``version_seconds`` old."""
        now = self._clock()
        with self._cached:
            known = self._version_read
        if known is not None and now - known[0] < self.version_seconds:
            return known[1]
        version = self.version_reads()
        with self._cached:
            self._version_read = (now, version)
        return version

    def data_version(self) -> DataVersion:
        """The store's data version as of this request: the one read for the request on a
        shared store, else read again only after a write (or once the recheck period is
        over)."""
        version = self.version()
        if version is not None:
            return version
        stamp = self.tracker.stamp("plan", "indicators", "revisions", "learning")
        with self._cached:
            if stamp is not None and self._data is not None and self._data[0] == stamp:
                return self._data[1]
        version = self.get().data_version()
        with self._cached:
            self._data = (stamp, version)
        return version

    def forget_reads(self) -> None:
        """Forget which plan version this thread read (a new request begins)."""
        self._reads.__dict__.pop("plan_version", None)

    def plan(self) -> Plan:
        """The stored plan, read again only when its version changed."""
        return self.versioned_plan()[1]

    def versioned_plan(self) -> tuple[int, Plan]:
        """(version, plan) of the stored plan, read again only when its version changed."""
        store = self.get()
        stamp = self.tracker.stamp("plan")
        with self._cached:
            current = self._current_plan(stamp)
        if current is not None:
            return current
        # One request loads a changed plan; the others wait for it rather than each loading
        # the whole plan at once (20,000 nodes on a cold start under load).
        with self._plan_loading if store.thread_safe else contextlib.nullcontext():
            with self._cached:
                current, cached = self._current_plan(stamp), self._plan
            if current is not None:
                return current
            version = store.plan_version()
            if cached is None or cached[0] != version:
                cached = store.versioned_plan()
            with self._cached:
                if self._plan is None or self._plan[0] <= cached[0]:
                    self._plan, self._plan_stamp = cached, stamp
                return self._plan

    def _current_plan(self, stamp: tuple[Any, ...] | None) -> tuple[int, Plan] | None:
        """The cached plan if ``stamp`` says it is current (call with ``_cached`` held)."""
        if stamp is not None and stamp == self._plan_stamp:
            return self._plan
        return None

    def account(self, username: str) -> Account | None:
        """The account ``username`` (None when there is none), read again after any account
        changed."""
        store = self.get()
        stamp = self.tracker.stamp("accounts")
        with self._cached:
            if stamp is None or stamp != self._accounts_stamp:
                self._accounts = {}
                self._accounts_stamp = stamp
            elif username in self._accounts:
                return self._accounts[username]
        account = store.get_account(username)
        with self._cached:
            if stamp == self._accounts_stamp and len(self._accounts) < 10_000:
                self._accounts[username] = account
        return account

    def close(self) -> None:
        """Close the store (the next :meth:`get` opens it again)."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = self._shared = None
            with self._cached:
                self._plan = self._plan_stamp = self._data = None
                self._accounts, self._accounts_stamp = {}, None


def init_app(app: Flask) -> None:
    """Attach the process store for ``app.config["TOC_STORE"]``; it closes at exit."""
    recheck = float(app.config.get("STORE_RECHECK_SECONDS", 2.0))
    holder = ProcessStore(
        str(app.config["TOC_STORE"]),
        tracker=ChangeTracker(recheck),
        version_seconds=float(app.config.get("STORE_VERSION_SECONDS", 0.0)),
    )
    app.extensions[_KEY] = holder
    app.before_request(holder.forget_reads)
    app.teardown_appcontext(_release)
    atexit.register(holder.close)


def get_store() -> GraphStore:
    """The store for this request."""
    if "store" not in g:
        g.store = current_app.extensions[_KEY].get()
    return g.store


def tracker(app: Flask | None = None) -> ChangeTracker:
    """The change tracker of ``app`` (default: the current app), see :mod:`web.freshness`."""
    return (app or current_app).extensions[_KEY].tracker


def get_account(username: str) -> Account | None:
    """The account ``username`` as stored now (cached until accounts change)."""
    return current_app.extensions[_KEY].account(username)


def current_data_version() -> DataVersion:
    """The store's data version as of this request (see :meth:`ProcessStore.data_version`)."""
    version: DataVersion = current_app.extensions[_KEY].data_version()
    return version


def current_plan_version() -> int:
    """The version of :func:`current_plan`."""
    current_plan()
    return g.plan_version


def current_plan() -> Plan:
    """The stored plan, as of this request (cached per plan version across requests)."""
    if "plan" not in g:
        g.plan_version, g.plan = current_app.extensions[_KEY].versioned_plan()
    return g.plan


def close_store(app: Flask) -> None:
    """Close ``app``'s store now (tests; a process exit does it by itself)."""
    app.extensions[_KEY].close()


def _release(exc: BaseException | None) -> None:
    # The store itself stays open for the next request (see the module docstring).
    g.pop("store", None)
    g.pop("plan", None)
    g.pop("plan_version", None)
