"""User accounts in the embedded LadybugDB store: the :class:`AccountStore` mixin of
:class:`graphdb.ladybug_store.LadybugStore`.

Accounts are ``Account`` nodes keyed by username; scopes are lists of plan node ids (not
relationships), so they survive plan reloads that re-create nodes. The table comes from
``EXTRA_DDL``, which :meth:`LadybugStore.extra_ddl` collects from every mixin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graphdb.account_store import ROLES, Account, AccountExists, AccountNotFound, AccountStore
from graphdb.errors import StoreError

__all__ = ["LadybugAccounts"]

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


class LadybugAccounts(AccountStore):
    """Accounts as ``Account`` nodes; relies on the store's ``_run`` and ``_transaction``."""

    EXTRA_DDL = (
        "CREATE NODE TABLE IF NOT EXISTS Account(username STRING, password_hash STRING, "
        "role STRING, display_name STRING, partners STRING[], partnerships STRING[], "
        "countries STRING[], disabled BOOLEAN, created_at STRING, last_login STRING, "
        "failed_logins INT64, locked_until STRING, PRIMARY KEY(username))",
    )

    if TYPE_CHECKING:  # provided by LadybugStore

        def _run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]: ...

    def add_account(self, account: Account) -> None:
        if self.get_account(account.username) is not None:
            raise AccountExists(account.username)
        row = {f: getattr(account, f) for f in _FIELDS}
        row.update(
            partners=list(account.partners),
            partnerships=list(account.partnerships),
            countries=list(account.countries),
        )
        assigns = ", ".join(
            f"{f}: CAST(${f} AS STRING[])" if f in ("partners", "partnerships", "countries")
            else f"{f}: ${f}"
            for f in _FIELDS
        )  # fmt: skip
        self._run(f"CREATE (a:Account {{{assigns}}})", row)

    def get_account(self, username: str) -> Account | None:
        rows = self._run(
            f"MATCH (a:Account) WHERE a.username = $u RETURN {_RETURN}", {"u": username}
        )
        return _account(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        rows = self._run(f"MATCH (a:Account) RETURN {_RETURN} ORDER BY a.username")
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
            "a.partners = CAST($partners AS STRING[]), "
            "a.partnerships = CAST($partnerships AS STRING[]), "
            "a.countries = CAST($countries AS STRING[])",
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
        rows = self._run(
            "MATCH (a:Account) WHERE a.username = $u "
            "SET a.failed_logins = coalesce(a.failed_logins, 0) + 1, "
            "a.locked_until = CASE WHEN $until = '' THEN a.locked_until ELSE $until END "
            "RETURN a.failed_logins",
            {"u": username, "until": locked_until},
        )
        if not rows:
            raise AccountNotFound(username)
        return int(rows[0][0])

    def record_login_success(self, username: str, *, at: str) -> None:
        self._update(
            username,
            "a.last_login = $at, a.failed_logins = 0, a.locked_until = ''",
            {"at": at},
        )

    def _update(self, username: str, assignments: str, params: Mapping[str, Any]) -> None:
        rows = self._run(
            f"MATCH (a:Account) WHERE a.username = $u SET {assignments} RETURN a.username",
            {"u": username, **params},
        )
        if not rows:
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
