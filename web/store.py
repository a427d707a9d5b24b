"""The store behind the web app: one per process, handed to each request through ``flask.g``.

Views call :func:`get_store` (and :func:`current_plan` for the plan, cached per plan version);
they never hold a driver and never write Cypher.

Why one store per process and not one per request: opening the embedded store takes about
170 ms (it checks its schema), more than a whole page may take, while a call on an open store
takes 1-3 ms. LadybugDB also allows a single read-write opener per file, so the app keeps the
store open for its whole life. Request threads share it; a lock lets one call in at a time,
because one connection runs one transaction at a time (reads on it do not run in parallel
anyway). The store opens on the first request and closes when the process exits.

Consequence for users of the embedded store: while the web app runs, ``toc`` commands that
write (``toc load``, ``toc users add``) cannot open the store and say so; read-only commands
(``toc show``) still work, on the data as of their start. Stop the app, or manage accounts in
its Users page.
"""

from __future__ import annotations

import atexit
import functools
import threading
from collections.abc import Callable
from typing import Any, cast

from flask import Flask, current_app, g

from graphdb import GraphStore, open_store
from toc.model import Plan

__all__ = ["ProcessStore", "close_store", "current_plan", "get_store", "init_app"]

_KEY = "pathways.store"


class _Serialized:
    """A store whose method calls run one at a time (see the module docstring)."""

    def __init__(self, store: GraphStore, lock: threading.RLock) -> None:
        self._store = store
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return call


class ProcessStore:
    """The process's store, opened on first use; also caches the plan per plan version."""

    def __init__(self, location: str, opener: Callable[[str], GraphStore] = open_store) -> None:
        self.location = location
        self._opener = opener
        self._lock = threading.RLock()
        self._store: GraphStore | None = None
        self._shared: GraphStore | None = None
        self._plan: tuple[int, Plan] | None = None

    def get(self) -> GraphStore:
        """The shared store (opened now if needed); raises :class:`graphdb.StoreError` when it
        cannot be opened, and tries again on the next call."""
        with self._lock:
            if self._shared is None:
                self._store = self._opener(self.location)
                self._shared = cast(GraphStore, _Serialized(self._store, self._lock))
            return self._shared

    def plan(self) -> Plan:
        """The stored plan, read again only when its version changed."""
        store = self.get()
        with self._lock:
            version = store.plan_version()
            if self._plan is None or self._plan[0] != version:
                self._plan = (version, store.load_plan())
            return self._plan[1]

    def close(self) -> None:
        """Close the store (the next :meth:`get` opens it again)."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = self._shared = None
            self._plan = None


def init_app(app: Flask) -> None:
    """Attach the process store for ``app.config["TOC_STORE"]``; it closes at exit."""
    holder = ProcessStore(str(app.config["TOC_STORE"]))
    app.extensions[_KEY] = holder
    app.teardown_appcontext(_release)
    atexit.register(holder.close)


def get_store() -> GraphStore:
    """The store for this request."""
    if "store" not in g:
        g.store = current_app.extensions[_KEY].get()
    return g.store


def current_plan() -> Plan:
    """The stored plan, as of this request (cached per plan version across requests)."""
    if "plan" not in g:
        g.plan = current_app.extensions[_KEY].plan()
    return g.plan


def close_store(app: Flask) -> None:
    """Close ``app``'s store now (tests; a process exit does it by itself)."""
    app.extensions[_KEY].close()


def _release(exc: BaseException | None) -> None:
    # The store itself stays open for the next request (see the module docstring).
    g.pop("store", None)
    g.pop("plan", None)
