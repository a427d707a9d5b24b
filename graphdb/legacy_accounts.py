"""Accounts that older versions kept in the plan graph, moved to the credential store.

Up to this version accounts were ``Account`` nodes (a LadybugDB table, a Neo4j label), where
ad-hoc queries could read their password hashes. Each engine, when it opens such a store,
reads them with :data:`RETURN_FIELDS`, hands them to :func:`move` and then removes them from
the graph. The copy is idempotent (accounts already in the credential store win), so a move
interrupted between the two steps finishes on the next open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graphdb.account_store import Account
from graphdb.credentials import ACCOUNT_FIELDS, CredentialStore

__all__ = ["FIELDS", "RETURN_FIELDS", "move"]

#: The properties of an old ``Account`` node, in the order the engines return them: the
#: credential store's own fields.
FIELDS = ACCOUNT_FIELDS
#: The RETURN list that reads them from a node bound to ``a``.
RETURN_FIELDS = ", ".join(f"a.{f}" for f in FIELDS)


def account(row: Sequence[Any]) -> Account:
    """An old ``Account`` node's values (in :data:`FIELDS` order) as an account.

    >>> a = account(["ana", "h", "viewer", None, None, ["p"], None, None, None, None, None, None])
    >>> a.username, a.display_name, a.partnerships, a.disabled, a.failed_logins
    ('ana', '', ('p',), False, 0)
    """
    values = dict(zip(FIELDS, row, strict=True))
    for name in ("partners", "partnerships", "countries"):
        values[name] = tuple(values[name] or ())
    for name in ("display_name", "created_at", "last_login", "locked_until"):
        values[name] = values[name] or ""
    values["disabled"] = bool(values["disabled"])
    values["failed_logins"] = int(values["failed_logins"] or 0)
    return Account(**values)


def move(
    rows: Iterable[Sequence[Any]], credentials: CredentialStore, remove: Callable[[], None]
) -> int:
    """Copy the old accounts into ``credentials`` (one transaction), then call ``remove`` to
    delete them from the graph; how many accounts were new to the credential store."""
    added = credentials.import_accounts([account(r) for r in rows])
    remove()
    return added
