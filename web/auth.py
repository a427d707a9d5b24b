"""Signing in and out, and the language switch.

Sign-in applies the per-account lockout of :mod:`web.accounts` and a limit on failed attempts
per client address (:class:`web.ratelimit.FailureWindow`, answered with 429 and Retry-After).
A new session starts at sign-in, keeping only the chosen language: a server-side session in
the credential store (:mod:`web.access`), whose id is all the cookie carries. Signing out
deletes it, so a copy of the cookie is worth nothing afterwards.
"""

from __future__ import annotations

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

__all__ = ["bp", "hasher", "init_app", "safe_next", "start_session"]

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


def safe_next(target: str | None, default: str | None = None) -> str:
    """``target`` when it is a path on this site, else ``default`` (the overview)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default or url_for("overview.index")


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
