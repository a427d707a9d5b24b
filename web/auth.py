"""Signing in and out, and the language switch.

Sign-in applies the per-account lockout of :mod:`web.accounts` and a limit on failed attempts
per client address (:class:`web.ratelimit.FailureWindow`, answered with 429 and Retry-After).
A new session starts at sign-in, keeping only the chosen language: a server-side session in
the credential store (:mod:`web.access`), whose id is all the cookie carries. Signing out
deletes it, so a copy of the cookie is worth nothing afterwards.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from graphdb.account_store import Account
from web.access import User, public, requires
from web.accounts import sign_in
from web.passwords import Hasher
from web.ratelimit import FailureWindow
from web.store import get_store

__all__ = [
    "NEXT_MAX_LENGTH",
    "bp",
    "hasher",
    "init_app",
    "safe_next",
    "same_site_path",
    "start_session",
]

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[InputRequired(_l("Enter your username.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


def init_app(app: Flask) -> None:
    """The password hasher and the per-address limit of failed sign-ins."""
    app.extensions["pathways.hasher"] = Hasher(app.config["PASSWORD_HASHING"])
    app.extensions["pathways.login_failures"] = FailureWindow(
        app.config["LOGIN_IP_MAX_FAILURES"], app.config["LOGIN_IP_WINDOW_SECONDS"]
    )
    app.register_blueprint(bp)


def hasher() -> Hasher:
    """The app's password hasher."""
    return current_app.extensions["pathways.hasher"]


#: The longest redirect target kept; a longer one is not a page of this site.
NEXT_MAX_LENGTH = 2000
# Characters a URL keeps as they are in a Location header; everything else is percent-encoded.
_URL_SAFE = "/?&=#%:@!$'()*+,;~-._"


def safe_next(target: object, default: str | None = None) -> str:
    """``target`` when it is a path on this site, else ``default`` (the overview).

    Every redirect whose target comes from the request (``next``) goes through here. Browsers
    forgive a lot (they drop tabs and newlines anywhere in a URL, read ``\\`` as ``/``,
    fold full-width ``／`` into ``/``), so ``/<TAB>/evil.example`` arrives as
    ``//evil.example``: another site. Such targets are refused rather than repaired, in the
    text as given, percent-decoded once, and NFKC-normalised. What passes is returned
    percent-encoded as ASCII, so the Location header can never hold a newline (a 500) or a
    character a browser reads differently.
    """
    return same_site_path(target) or default or url_for("overview.index")


def same_site_path(target: object) -> str | None:
    """``target`` as an ASCII path on this site (``/...``, never ``//``), or None.

    >>> same_site_path("/nodes/so1?tab=x")
    '/nodes/so1?tab=x'
    >>> [same_site_path(t) for t in ("/\t/evil.example", "/%2F/evil", "//evil", "https://x")]
    [None, None, None, None]
    """
    if not isinstance(target, str) or not target or len(target) > NEXT_MAX_LENGTH:
        return None
    if any(_unsafe_in_url(ch) for ch in target):
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    decoded = unquote(path)
    if any(_unsafe_in_url(ch) for ch in decoded):
        return None
    for form in {target, decoded, unicodedata.normalize("NFKC", target),
                 unicodedata.normalize("NFKC", decoded)}:  # fmt: skip
        if not form.startswith("/") or form[1:2] in ("/", "\\"):
            return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return quote(target, safe=_URL_SAFE)


def _unsafe_in_url(ch: str) -> bool:
    """Whitespace, control and invisible format characters, and backslashes: what browsers
    drop or reinterpret inside a URL."""
    return ch == "\\" or ch.isspace() or unicodedata.category(ch)[0] in "CZ"


def start_session(account: Account) -> None:
    """Sign ``account`` in: a new server-side session, lasting the configured lifetime
    (``PERMANENT_SESSION_LIFETIME``), whose id goes into the cookie."""
    session.permanent = True
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    session_id = get_store().credentials.start_session(account.username, lifetime=lifetime)
    login_user(User(account, session_id))


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Response | str | tuple[str, int, dict[str, str]]:
    """The sign-in form."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    error = None
    if request.method == "POST":
        failures: FailureWindow = current_app.extensions["pathways.login_failures"]
        address = request.remote_addr or "unknown"
        retry = failures.retry_after(address)
        if retry is not None:
            error = _("Too many failed sign-ins from your address. Try again in %(minutes)d "
                      "minute(s).", minutes=max(1, (retry + 59) // 60))  # fmt: skip
            page = render_template("auth/login.html", form=form, error=error, next=next_url)
            return page, 429, {"Retry-After": str(retry)}
        if form.validate():
            result = sign_in(
                get_store(),
                hasher(),
                form.username.data or "",
                form.password.data or "",
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
            if result.ok and result.account is not None:
                lang = session.get("lang")
                session.clear()
                if lang:
                    session["lang"] = lang
                start_session(result.account)
                failures.reset(address)
                return redirect(next_url)
            failures.add(address)
            error = {
                "locked": _("Too many failed sign-ins for this account. Try again later."),
                "disabled": _("This account is disabled. Ask an administrator."),
            }.get(result.outcome, _("Wrong username or password."))
    return render_template("auth/login.html", form=form, error=error, next=next_url)


@bp.route("/logout", methods=["POST"])
@requires("read")
def logout() -> Response:
    """Sign out: end the session on the server (a form with a CSRF token; a link could be
    forged)."""
    lang = session.get("lang")
    get_store().credentials.end_session(current_user.session_id)
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.route("/language/<lang>")
@public
def language(lang: str) -> Response:
    """Switch the interface and plan texts to ``lang`` and go back where the user was."""
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")))
