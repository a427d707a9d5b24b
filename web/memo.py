"""Results computed from a plan, kept while that plan is in use.

The app holds one :class:`toc.model.Plan` object per plan version (:mod:`web.store`), so
anything derived from the plan alone (a node's neighbourhood, the partners concerned by an
indicator, the filter choices of the diagram) can be computed once per plan object instead of
on every request. Plans are immutable, so results never go stale; a new plan version is a new
object with its own results, and old ones are dropped.

>>> from flask import current_app

from toc.model import Plan
>>> calls = []
>>> plan = Plan.of([], [])
>>> per_plan(plan, "answer", lambda: calls.append(1) or 42), per_plan(plan, "answer", list)
(42, 42)
>>> len(calls)
1
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from toc.model import Plan

__all__ = ["per_plan", "per_version"]

_T = TypeVar("_T")
#: Plans whose results are kept (the current one, and one or two being replaced).
_PLANS = 3
#: Results kept per plan.
_PER_PLAN = 4096

_lock = threading.Lock()
# id(plan) -> (plan, results); the plan is held so its id is not reused while listed.
_results: OrderedDict[int, tuple[Plan, dict[Hashable, Any]]] = OrderedDict()


def per_plan(plan: Plan, key: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()``, computed once per ``plan`` object and ``key``. Two threads asking at
    once may both compute it; the results are equal."""
    with _lock:
        entry = _results.get(id(plan))
        if entry is not None and entry[0] is plan:
            _results.move_to_end(id(plan))
            if key in entry[1]:
                return entry[1][key]
    value = compute()
    with _lock:
        entry = _results.get(id(plan))
        if entry is None or entry[0] is not plan:
            entry = (plan, {})
            _results[id(plan)] = entry
            while len(_results) > _PLANS:
                _results.popitem(last=False)
        if len(entry[1]) < _PER_PLAN:
            entry[1][key] = value
    return value


_latest_lock = threading.Lock()
_LATEST = "pathways.latest"


def per_version(name: str, version: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()``, computed once per ``version`` of the data it reads, in this app; only
    the latest version's result is kept under ``name`` (results over the whole plan, like the
    confidence of every link, are large, and an old version is not asked for again). Kept per
    app, since two apps (two stores) can be at the same version.

    >>> from flask import Flask
    >>> with Flask("doc").app_context():
    ...     per_version("doc", 1, lambda: "one"), per_version("doc", 1, lambda: "other")
    ('one', 'one')
    >>> with Flask("doc").app_context():
    ...     per_version("doc", 1, lambda: "another app")
    'another app'
    """
    latest: dict[str, tuple[Hashable, Any]] = current_app.extensions.setdefault(_LATEST, {})
    with _latest_lock:
        entry = latest.get(name)
        if entry is not None and entry[0] == version:
            return entry[1]
    value = compute()
    with _latest_lock:
        latest[name] = (version, value)
    return value
