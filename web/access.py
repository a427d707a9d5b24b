"""Who may do what: roles, permissions, the signed-in user, and the check on every route.

Every view declares its access with :func:`requires` (a permission) or :func:`public`;
:func:`check_routes` refuses to start an app with a view that declares neither, so no route
can be added without a server-side check. Permissions by role:

============  ======  ===========  ===========  =====
permission    viewer  contributor  me_officer   admin
============  ======  ===========  ===========  =====
read          yes     yes          yes          yes
submit        -       own scope    yes          yes
review        -       -            yes          yes
edit_plan     -       -            yes          yes
manage_users  -       -            -            yes
============  ======  ===========  ===========  =====

A contributor's scope is the partners, partnerships and countries of its account
(:meth:`User.in_scope`).

Sessions are server-side: the cookie holds only a random session id (Flask-Login's user id),
and every request looks it up in the credential store (:mod:`graphdb.credentials`: one
indexed read in a local SQLite file, no plan-store lock), together with the account. So a
changed role applies at once, and a session that was ended (sign-out, a new password, a
disabled account, ``toc users end-sessions``) stops working at once, in every app process,
even when someone kept a copy of the cookie.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user

from graphdb.account_store import ROLES, Account
from graphdb.errors import StoreError
from web.store import get_store

__all__ = [
    "PERMISSIONS",
    "User",
    "check_routes",
    "current_user",
    "init_app",
    "public",
    "requires",
]

PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "submit": frozenset({"contributor", "me_officer", "admin"}),
    "review": frozenset({"me_officer", "admin"}),
    "edit_plan": frozenset({"me_officer", "admin"}),
    "manage_users": frozenset({"admin"}),
}

_F = TypeVar("_F", bound=Callable[..., Any])
_ACCESS = "_pathways_access"


class User(UserMixin):
    """The signed-in user: an account plus what it may do, in the session ``session_id``."""

    def __init__(self, account: Account, session_id: str) -> None:
        self.account = account
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:
        return not self.account.disabled

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def name(self) -> str:
        return self.account.name

    @property
    def role(self) -> str:
        return self.account.role

    def can(self, permission: str) -> bool:
        """True when the user's role has ``permission``."""
        return self.role in PERMISSIONS[permission]

    def in_scope(self, node_ids: Iterable[str]) -> bool:
        """True when the user may submit values concerning any of ``node_ids`` (partners,
        partnerships or countries): always for M&E officers and admins, for a contributor
        when one of them is in its account's scope."""
        if self.role in ("me_officer", "admin"):
            return True
        return self.role == "contributor" and bool(self.account.scope_ids & set(node_ids))


class Anonymous(AnonymousUserMixin):
    """Nobody signed in: no permissions."""

    role = None
    name = ""

    def can(self, permission: str) -> bool:
        return False

    def in_scope(self, node_ids: Iterable[str]) -> bool:
        return False


def requires(permission: str) -> Callable[[_F], _F]:
    """Decorate a view: 401 when nobody is signed in (the error handler sends pages to the
    sign-in form), 403 when the user's role lacks ``permission``."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(view: _F) -> _F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if "store_error" in g:
                    raise g.store_error
                abort(401)
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, _ACCESS, permission)
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: _F) -> _F:
    """Decorate a view anyone may open (sign-in form, language switch)."""
    setattr(view, _ACCESS, "public")
    return view


def access_of(view: Callable[..., Any]) -> str | None:
    """The permission a view declared, ``"public"``, or None when it declared nothing."""
    return getattr(view, _ACCESS, None)


def check_routes(app: Flask) -> None:
    """Raise RuntimeError when a route's view declares no access (static files excepted)."""
    missing = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not rule.endpoint.endswith(".static")
        and access_of(app.view_functions[rule.endpoint]) is None
    )
    if missing:
        raise RuntimeError(f"views without @requires or @public: {', '.join(missing)}")


def init_app(app: Flask) -> None:
    """Set up sessions of signed-in users (Flask-Login)."""
    manager = LoginManager()
    manager.anonymous_user = Anonymous
    manager.user_loader(_load_user)
    manager.init_app(app)


def _load_user(session_id: str) -> User | None:
    """The user of the session ``session_id``, None when that session ended or expired."""
    try:
        account = get_store().credentials.session_account(session_id)
    except StoreError as e:
        # Seen as signed out for now; :func:`requires` raises the error so the page says
        # the store is unavailable instead of asking to sign in again.
        g.store_error = e
        return None
    return None if account is None else User(account, session_id)
