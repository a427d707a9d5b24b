"""The storage seam for user accounts: who may sign in to the web app, with which role and scope.

One implementation serves both engines: :class:`graphdb.credentials.CredentialStore`, a file
of its own that no ad-hoc query can reach. A plan store answers the same methods by handing
them to its credential store (:class:`CredentialsOf`), so callers keep writing
``store.get_account(...)``. The store keeps what it is given: it never hashes passwords or
decides policy (that is :mod:`web.accounts`); it stores password hashes, roles, scopes and the
counters the login policy needs. One rule it does keep itself, so that no caller can forget
it: a new password and a disabled account end the account's sessions.

Usernames are stored as given; callers normalise them (lower case) before calling.

>>> sorted(Account("ana", "hash", "contributor", partners=("p1",), countries=("bf",)).scope_ids)
['bf', 'p1']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from graphdb.errors import StoreError

__all__ = [
    "ROLES",
    "Account",
    "AccountExists",
    "AccountNotFound",
    "AccountStore",
    "CredentialsOf",
]

#: The roles, from least to most rights: viewer (reads everything), contributor (a partner:
#: submits values for the indicators in its scope), me_officer (all indicators, reviews,
#: edits the plan), admin (also manages accounts).
ROLES: tuple[str, ...] = ("viewer", "contributor", "me_officer", "admin")


class AccountExists(StoreError):
    """An account with this username exists already."""

    def __init__(self, username: str) -> None:
        super().__init__(f"an account named {username!r} exists already")
        self.username = username


class AccountNotFound(StoreError):
    """No account has this username."""

    def __init__(self, username: str) -> None:
        super().__init__(f"no account named {username!r}")
        self.username = username


@dataclass(frozen=True)
class Account:
    """One user account as stored.

    ``partners``, ``partnerships`` and ``countries`` are plan node ids: the scope of a
    contributor. ``failed_logins`` counts consecutive failed sign-ins; ``locked_until`` (ISO
    8601 UTC, or "") is when a lockout ends. Times are ISO 8601 UTC text.
    """

    username: str
    password_hash: str
    role: str
    display_name: str = ""
    partners: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    disabled: bool = False
    created_at: str = ""
    last_login: str = ""
    failed_logins: int = 0
    locked_until: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise StoreError(f"unknown role {self.role!r}; use one of {', '.join(ROLES)}")
        for name in ("partners", "partnerships", "countries"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def name(self) -> str:
        """The name to show: the display name, else the username."""
        return self.display_name or self.username

    @property
    def scope_ids(self) -> frozenset[str]:
        """Every plan node id in the account's scope."""
        return frozenset((*self.partners, *self.partnerships, *self.countries))


class AccountStore(ABC):
    """Accounts of the web app.

    Every method raises :class:`AccountNotFound` for an unknown username (except
    :meth:`get_account`, which returns None) and :class:`StoreError` for engine failures.
    """

    @abstractmethod
    def add_account(self, account: Account) -> None:
        """Store a new account; :class:`AccountExists` when the username is taken."""

    @abstractmethod
    def get_account(self, username: str) -> Account | None:
        """The account named ``username``, or None."""

    @abstractmethod
    def accounts(self) -> list[Account]:
        """All accounts, ordered by username."""

    @abstractmethod
    def set_role(self, username: str, role: str) -> None:
        """Change an account's role (one of :data:`ROLES`)."""

    @abstractmethod
    def set_scopes(
        self,
        username: str,
        *,
        partners: Iterable[str] = (),
        partnerships: Iterable[str] = (),
        countries: Iterable[str] = (),
    ) -> None:
        """Replace an account's scope: the plan node ids it may submit values for."""

    @abstractmethod
    def set_display_name(self, username: str, display_name: str) -> None:
        """Change the name shown for an account."""

    @abstractmethod
    def set_password_hash(
        self, username: str, password_hash: str, *, end_sessions: bool = True
    ) -> None:
        """Replace an account's password hash, clear its failed sign-ins and lockout, and end
        its sessions (``end_sessions=False`` only when the password itself did not change:
        a hash upgraded at sign-in)."""

    @abstractmethod
    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable an account (it can no longer sign in, and its sessions end) or enable it
        again."""

    @abstractmethod
    def record_login_failure(self, username: str, *, locked_until: str = "") -> int:
        """Count one more consecutive failed sign-in, set the lockout end when given (ISO
        8601 UTC; "" keeps the current one) and return the new count."""

    @abstractmethod
    def record_login_success(self, username: str, *, at: str) -> None:
        """Note a successful sign-in at ``at``: reset the failure count and lockout."""


class CredentialsOf(AccountStore):
    """The account methods of a plan store, answered by its ``credentials`` (a
    :class:`graphdb.credentials.CredentialStore` the engine sets up when it opens)."""

    credentials: AccountStore

    def add_account(self, account: Account) -> None:
        self.credentials.add_account(account)

    def get_account(self, username: str) -> Account | None:
        return self.credentials.get_account(username)

    def accounts(self) -> list[Account]:
        return self.credentials.accounts()

    def set_role(self, username: str, role: str) -> None:
        self.credentials.set_role(username, role)

    def set_scopes(
        self,
        username: str,
        *,
        partners: Iterable[str] = (),
        partnerships: Iterable[str] = (),
        countries: Iterable[str] = (),
    ) -> None:
        self.credentials.set_scopes(
            username, partners=partners, partnerships=partnerships, countries=countries
        )

    def set_display_name(self, username: str, display_name: str) -> None:
        self.credentials.set_display_name(username, display_name)

    def set_password_hash(
        self, username: str, password_hash: str, *, end_sessions: bool = True
    ) -> None:
        self.credentials.set_password_hash(username, password_hash, end_sessions=end_sessions)

    def set_disabled(self, username: str, disabled: bool) -> None:
        self.credentials.set_disabled(username, disabled)

    def record_login_failure(self, username: str, *, locked_until: str = "") -> int:
        return self.credentials.record_login_failure(username, locked_until=locked_until)

    def record_login_success(self, username: str, *, at: str) -> None:
        self.credentials.record_login_success(username, at=at)
