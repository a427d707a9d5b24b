"""User accounts in Neo4j: the :class:`AccountStore` mixin of the Neo4j store.

Accounts are ``:Account`` nodes with a unique ``username``; scopes are lists of plan node ids,
as in the embedded store (:mod:`graphdb.ladybug_accounts`). Reads and writes go through the
store's ``_read`` and ``_write`` (managed transactions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from graphdb.account_store import ROLES, Account, AccountExists, AccountNotFound, AccountStore
from graphdb.errors import StoreError

__all__ = ["Neo4jAccounts"]

_T = TypeVar("_T")
_FIELDS = (
    "username",
    "password_hash",
    "role",
    "display_name",
    "partners",
    "partnerships",
    "countries",
    "disabled",
    "created_at",
    "last_login",
    "failed_logins",
    "locked_until",
)
_RETURN = ", ".join(f"a.{f}" for f in _FIELDS)


class Neo4jAccounts(AccountStore):
    """Accounts as ``:Account`` nodes; relies on the store's ``_read`` and ``_write``."""

    EXTRA_SCHEMA = (
        "CREATE CONSTRAINT Account_username IF NOT EXISTS "
        "FOR (a:Account) REQUIRE a.username IS UNIQUE",
    )

    if TYPE_CHECKING:  # provided by Neo4jStore

        def _read(
            self, cypher: str, params: Mapping[str, Any] | None = None
        ) -> list[list[Any]]: ...

        def _write(self, work: Callable[[Any], _T]) -> _T: ...

    def add_account(self, account: Account) -> None:
        row = {f: getattr(account, f) for f in _FIELDS}
        for name in ("partners", "partnerships", "countries"):
            row[name] = list(row[name])

        def work(tx: Any) -> bool:
            taken = tx.run(
                "MATCH (a:Account {username: $u}) RETURN count(a) AS n", u=account.username
            ).single()["n"]
            if taken:
                return False
            tx.run("CREATE (a:Account) SET a = $row", row=row).consume()
            return True

        if not self._write(work):
            raise AccountExists(account.username)

    def get_account(self, username: str) -> Account | None:
        rows = self._read(f"MATCH (a:Account {{username: $u}}) RETURN {_RETURN}", {"u": username})
        return _account(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        rows = self._read(f"MATCH (a:Account) RETURN {_RETURN} ORDER BY a.username")
        return [_account(r) for r in rows]

    def set_role(self, username: str, role: str) -> None:
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        self._update(username, "a.role = $role", {"role": role})

    def set_scopes(
        self,
        username: str,
        *,
        partners: Iterable[str] = (),
        partnerships: Iterable[str] = (),
        countries: Iterable[str] = (),
    ) -> None:
        self._update(
            username,
            "a.partners = $partners, a.partnerships = $partnerships, a.countries = $countries",
            {
                "partners": sorted(set(partners)),
                "partnerships": sorted(set(partnerships)),
                "countries": sorted(set(countries)),
            },
        )

    def set_display_name(self, username: str, display_name: str) -> None:
        self._update(username, "a.display_name = $name", {"name": display_name})

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self._update(
            username,
            "a.password_hash = $hash, a.failed_logins = 0, a.locked_until = ''",
            {"hash": password_hash},
        )

    def set_disabled(self, username: str, disabled: bool) -> None:
        self._update(username, "a.disabled = $disabled", {"disabled": bool(disabled)})

    def record_login_failure(self, username: str, *, locked_until: str = "") -> int:
        def work(tx: Any) -> int | None:
            record = tx.run(
                "MATCH (a:Account {username: $u}) "
                "SET a.failed_logins = coalesce(a.failed_logins, 0) + 1, "
                "a.locked_until = CASE WHEN $until = '' THEN a.locked_until ELSE $until END "
                "RETURN a.failed_logins AS n",
                u=username,
                until=locked_until,
            ).single()
            return None if record is None else int(record["n"])

        count = self._write(work)
        if count is None:
            raise AccountNotFound(username)
        return count

    def record_login_success(self, username: str, *, at: str) -> None:
        self._update(
            username, "a.last_login = $at, a.failed_logins = 0, a.locked_until = ''", {"at": at}
        )

    def _update(self, username: str, assignments: str, params: Mapping[str, Any]) -> None:
        def work(tx: Any) -> bool:
            record = tx.run(
                f"MATCH (a:Account {{username: $u}}) SET {assignments} RETURN a.username",
                {"u": username, **params},
            ).single()
            return record is not None

        if not self._write(work):
            raise AccountNotFound(username)


def _account(row: list[Any]) -> Account:
    values = dict(zip(_FIELDS, row, strict=True))
    for name in ("partners", "partnerships", "countries"):
        values[name] = tuple(values[name] or ())
    for name in ("display_name", "created_at", "last_login", "locked_until"):
        values[name] = values[name] or ""
    values["disabled"] = bool(values["disabled"])
    values["failed_logins"] = int(values["failed_logins"] or 0)
    return Account(**values)
