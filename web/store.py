"""The store behind the web app: one per process, handed to each request through ``flask.g``.

Views call :func:`get_store` (and :func:`current_plan` for the plan, cached per plan version;
:func:`get_account` for an account, cached until it changes); they never hold a driver and
never write Cypher. What is cached is read again after the app's own writes and, for other
programs' writes, once it is a little old (:mod:`web.freshness`).

Why one store per process and not one per request: opening the embedded store takes about
170 ms (it checks its schema), more than a whole page may take, while a call on an open store
takes 1-3 ms. LadybugDB also allows a single read-write opener per file, so the app keeps the
store open for its whole life. Request threads share it; a lock lets one call in at a time,
because one connection runs one transaction at a time (reads on it do not run in parallel
anyway). The store opens on the first request and closes when the process exits.

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
from collections.abc import Callable, Iterator
from typing import Any, cast

from flask import Flask, current_app, g

from graphdb import GraphStore, open_store
from graphdb.account_store import Account
from toc.model import Plan
from web.freshness import ChangeTracker

__all__ = [
    "ProcessStore",
    "close_store",
    "current_plan",
    "current_plan_version",
    "get_account",
    "get_store",
    "init_app",
    "learning_version",
    "tracker",
]

_KEY = "pathways.store"


class _Serialized:
    """A store whose method calls run one at a time (see the module docstring), telling the
    change tracker about each call (writes make caches read again)."""

    def __init__(self, store: GraphStore, lock: threading.RLock, tracker: ChangeTracker) -> None:
        self._store = store
        self._lock = lock
        self._tracker = tracker

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

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                try:
                    return attr(*args, **kwargs)
                finally:
                    self._tracker.called(name)

        return call


class ProcessStore:
    """The process's store, opened on first use; also caches the plan per plan version and
    accounts until they change."""

    def __init__(
        self,
        location: str,
        opener: Callable[[str], GraphStore] = open_store,
        tracker: ChangeTracker | None = None,
    ) -> None:
        self.location = location
        self.tracker = tracker or ChangeTracker(recheck=0)
        self._opener = opener
        self._lock = threading.RLock()
        self._store: GraphStore | None = None
        self._shared: GraphStore | None = None
        self._plan: tuple[int, Plan] | None = None
        self._plan_stamp: tuple[int, ...] | None = None
        self._accounts: dict[str, Account | None] = {}
        self._accounts_stamp: tuple[int, ...] | None = None
        self._learning: tuple[tuple[int, ...] | None, int] | None = None

    def get(self) -> GraphStore:
        """The shared store (opened now if needed); raises :class:`graphdb.StoreError` when it
        cannot be opened, and tries again on the next call."""
        with self._lock:
            if self._shared is None:
                self._store = self._opener(self.location)
                self._shared = cast(GraphStore, _Serialized(self._store, self._lock, self.tracker))
            return self._shared

    def plan(self) -> Plan:
        """The stored plan, read again only when its version changed."""
        return self.versioned_plan()[1]

    def versioned_plan(self) -> tuple[int, Plan]:
        """(version, plan) of the stored plan, read again only when its version changed."""
        store = self.get()
        stamp = self.tracker.stamp("plan")
        with self._lock:
            if stamp is not None and stamp == self._plan_stamp and self._plan is not None:
                return self._plan
            version = store.plan_version()
            if self._plan is None or self._plan[0] != version:
                self._plan = (version, store.load_plan())
            self._plan_stamp = stamp
            return self._plan

    def learning_version(self) -> int:
        """A number that changes when evidence, priors or harvested outcomes change (the
        length of the append-only learning log), read again only after a write of the
        learning area or once the recheck period rolls over."""
        store = self.get()
        stamp = self.tracker.stamp("learning")
        with self._lock:
            if stamp is not None and self._learning is not None and self._learning[0] == stamp:
                return self._learning[1]
            version = len(store.learning_log())
            self._learning = (stamp, version)
            return version

    def account(self, username: str) -> Account | None:
        """The account ``username`` (None when there is none), read again after any account
        changed."""
        store = self.get()
        stamp = self.tracker.stamp("accounts")
        with self._lock:
            if stamp is None or stamp != self._accounts_stamp:
                self._accounts = {}
                self._accounts_stamp = stamp
            elif username in self._accounts:
                return self._accounts[username]
            account = store.get_account(username)
            if stamp == self._accounts_stamp and len(self._accounts) < 10_000:
                self._accounts[username] = account
            return account

    def close(self) -> None:
        """Close the store (the next :meth:`get` opens it again)."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = self._shared = None
            self._plan = self._plan_stamp = None
            self._accounts, self._accounts_stamp = {}, None
            self._learning = None


def init_app(app: Flask) -> None:
    """Attach the process store for ``app.config["TOC_STORE"]``; it closes at exit."""
    recheck = float(app.config.get("STORE_RECHECK_SECONDS", 2.0))
    holder = ProcessStore(str(app.config["TOC_STORE"]), tracker=ChangeTracker(recheck))
    app.extensions[_KEY] = holder
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


def learning_version() -> int:
    """The version of the learning log as of this request (see
    :meth:`ProcessStore.learning_version`): part of the cache key of pages that show
    confidence or evidence."""
    if "learning_version" not in g:
        g.learning_version = current_app.extensions[_KEY].learning_version()
    version: int = g.learning_version
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
