"""Account rules shared by the web app and ``toc users``: valid names, new accounts, sign-in.

Sign-in policy (per account, kept in the store so it holds across restarts and processes):
after ``max_failures`` consecutive wrong passwords the account is locked for ``lock_minutes``;
a correct password during the lockout is refused too. A successful sign-in resets the count.
Unknown usernames cost as much time as known ones. Limits per client address live in the web
app (:mod:`web.ratelimit`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from graphdb.account_store import ROLES, Account, AccountStore
from toc.model import Plan
from web.passwords import Hasher, password_problems

__all__ = [
    "SCOPE_KINDS",
    "AccountInputError",
    "Scopes",
    "SignIn",
    "check_password",
    "check_username",
    "create_account",
    "normalise_username",
    "scope_problems",
    "sign_in",
]

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


class Scopes(TypedDict):
    """The plan node ids an account's work is limited to (all empty: the whole plan)."""

    partners: tuple[str, ...]
    partnerships: tuple[str, ...]
    countries: tuple[str, ...]


#: Which node kind each scope list holds.
SCOPE_KINDS = {"partners": "Partner", "partnerships": "Partnership", "countries": "Country"}


class AccountInputError(ValueError):
    """A username, role, password or scope given for an account is not acceptable.

    ``field`` names the input concerned; ``code`` says what is wrong (``bad_username``,
    ``bad_role``, ``too_short``, ``too_long``, ``is_username``, ``unknown_scope``).
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code = field, code


def normalise_username(username: str) -> str:
    """The stored form of a username: trimmed, lower case.

    >>> normalise_username("  Ana.Peeters ")
    'ana.peeters'
    """
    return username.strip().lower()


def check_username(username: str) -> str:
    """The normalised username, or :class:`AccountInputError` when it is not acceptable."""
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise AccountInputError(
            "username",
            "bad_username",
            "a username has 1-64 characters: letters, digits and . _ @ -, starting with a "
            "letter or digit",
        )
    return name


_PASSWORD_MESSAGES = {
    "too_short": "the password is too short (at least 10 characters)",
    "too_long": "the password is too long (at most 1024 characters)",
    "is_username": "the password must not be the username",
}


def check_password(password: str, username: str) -> None:
    """:class:`AccountInputError` for the first problem of ``password``, if any."""
    problems = password_problems(password, username)
    if problems:
        raise AccountInputError("password", problems[0], _PASSWORD_MESSAGES[problems[0]])


def scope_problems(
    plan: Plan,
    *,
    partners: Iterable[str] = (),
    partnerships: Iterable[str] = (),
    countries: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """(field, id) for each scope id that is not a node of the right kind in ``plan``."""
    given = {"partners": partners, "partnerships": partnerships, "countries": countries}
    problems = []
    for field, ids in given.items():
        for node_id in ids:
            node = plan.get(node_id)
            if node is None or node.kind != SCOPE_KINDS[field]:
                problems.append((field, node_id))
    return problems


def create_account(
    store: AccountStore,
    hasher: Hasher,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    partners: Iterable[str] = (),
    partnerships: Iterable[str] = (),
    countries: Iterable[str] = (),
    plan: Plan | None = None,
    now: dt.datetime | None = None,
) -> Account:
    """Check the inputs, hash the password and store a new account.

    With ``plan``, scope ids must be partners, partnerships and countries of that plan.
    Raises :class:`AccountInputError` or :class:`graphdb.account_store.AccountExists`.
    """
    name = check_username(username)
    if role not in ROLES:
        raise AccountInputError(
            "role", "bad_role", f"unknown role {role!r}; use {', '.join(ROLES)}"
        )
    check_password(password, name)
    scopes = Scopes(
        partners=tuple(dict.fromkeys(partners)),
        partnerships=tuple(dict.fromkeys(partnerships)),
        countries=tuple(dict.fromkeys(countries)),
    )
    if plan is not None:
        for field, node_id in scope_problems(plan, **scopes):
            raise AccountInputError(
                field, "unknown_scope", f"{node_id!r} is not a {SCOPE_KINDS[field]} of the plan"
            )
    account = Account(
        name,
        hasher.hash(password),
        role,
        display_name=display_name.strip(),
        created_at=_iso(now or _now()),
        **scopes,
    )
    store.add_account(account)
    return account


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: ``ok`` (with the account), ``invalid`` (unknown user or
    wrong password), ``locked`` (too many failures; ``until`` says when it ends) or
    ``disabled``."""

    outcome: str
    account: Account | None = None
    until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def sign_in(
    store: AccountStore,
    hasher: Hasher,
    username: str,
    password: str,
    *,
    max_failures: int = 5,
    lock_minutes: int = 15,
    now: dt.datetime | None = None,
) -> SignIn:
    """Check a username and password against the store, applying the lockout policy."""
    now = now or _now()
    name = normalise_username(username)
    account = store.get_account(name) if _USERNAME.match(name) else None
    if account is None:
        hasher.waste_time(password)
        return SignIn("invalid")
    locked_until = _parse(account.locked_until)
    if locked_until is not None and locked_until > now:
        hasher.waste_time(password)
        return SignIn("locked", until=locked_until)
    if not hasher.verify(account.password_hash, password):
        lock = ""
        if account.failed_logins + 1 >= max_failures:
            lock = _iso(now + dt.timedelta(minutes=lock_minutes))
        store.record_login_failure(name, locked_until=lock)
        return SignIn("locked", until=_parse(lock)) if lock else SignIn("invalid")
    if account.disabled:
        return SignIn("disabled")
    store.record_login_success(name, at=_iso(now))
    if hasher.needs_rehash(account.password_hash):
        # The same password, hashed with today's parameters: the account's other sessions
        # stay (a new password would end them).
        store.set_password_hash(name, hasher.hash(password), end_sessions=False)
    return SignIn("ok", store.get_account(name))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _parse(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None
