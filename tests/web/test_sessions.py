"""Sessions are server-side: a copied cookie stops working as soon as its session ends, by
sign-out, a new password, a disabled account, or ``toc users`` in another process."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, AuthActions, csrf_token, english_client, make_app
from web.store import close_store, get_store

COOKIE = "pathways_session"


def _copy(app, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = english_client(app)
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _signed_in(client: FlaskClient) -> bool:
    """True when ``client``'s cookie opens a page and the API; False when both refuse it."""
    page = client.get("/pathways")
    api = client.get("/api/session")
    assert (page.status_code == 200) == (api.status_code == 200)
    if page.status_code != 200:
        assert page.status_code == 302 and page.headers["Location"].startswith("/login")
        assert api.status_code == 401 and api.json["error"] == "sign-in required"
    return page.status_code == 200


def test_a_copied_cookie_stops_working_at_sign_out(app, client, auth):
    auth.login_as("viewer")
    thief = _copy(app, client)
    assert _signed_in(thief)
    auth.logout()
    assert not _signed_in(thief)
    assert not _signed_in(client)


def test_a_copied_cookie_cannot_post_after_sign_out(app, client, auth):
    auth.login_as("me_officer")
    thief = _copy(app, client)
    token = thief.get("/api/session").json["csrf_token"]
    auth.logout()
    posted = thief.post(
        "/api/measurements",
        json={"indicator": "ind.o1", "period": "2027", "value": 12},
        headers={"X-CSRFToken": token},
    )
    assert posted.status_code == 401


def test_a_new_password_set_by_an_admin_ends_the_sessions(app, store_path):
    viewer, admin = english_client(app), english_client(app)
    AuthActions(viewer).login_as("viewer")
    AuthActions(admin).login_as("admin")
    thief = _copy(app, viewer)
    token = csrf_token(admin, "/admin/users/viewer")
    saved = admin.post(
        "/admin/users/viewer",
        data={"csrf_token": token, "role": "viewer", "new_password": "a brand new password"},
        follow_redirects=True,
    )
    assert b"Account viewer saved; its sessions were ended." in saved.data
    assert not _signed_in(thief) and not _signed_in(viewer)
    assert _signed_in(admin)


def test_disabling_an_account_ends_its_sessions(app, client, auth):
    auth.login_as("viewer")
    thief = _copy(app, client)
    admin = english_client(app)
    AuthActions(admin).login_as("admin")
    token = csrf_token(admin, "/admin/users/viewer")
    admin.post("/admin/users/viewer", data={"csrf_token": token, "role": "viewer", "disabled": "y"})
    assert not _signed_in(thief)
    with app.app_context():
        get_store().set_disabled("viewer", False)
    assert not _signed_in(thief), "enabling the account again does not revive its sessions"


def test_an_admin_who_changes_their_own_password_stays_signed_in(app, client, auth):
    auth.login_as("admin")
    thief = _copy(app, client)
    token = csrf_token(client, "/admin/users/admin")
    client.post(
        "/admin/users/admin",
        data={"csrf_token": token, "role": "admin", "new_password": "my own new password"},
    )
    assert _signed_in(client)
    assert not _signed_in(thief), "the old session ended; the admin has a new one"


@pytest.mark.parametrize(
    "args, stdin",
    [
        (["end-sessions", "viewer"], None),
        (["disable", "viewer"], None),
        (["set-password", "viewer", "--password-stdin"], "another good password\n"),
    ],
)
def test_toc_users_in_another_process_ends_sessions_at_once(
    app, client, auth, store_path, args, stdin
):
    """The app holds the store; `toc users` runs beside it and the app sees the change on the
    very next request (no cache to wait for)."""
    auth.login_as("viewer")
    assert _signed_in(client)
    toc = [sys.executable, "-c", "from cli.main import main; main()"]
    done = subprocess.run(
        [*toc, "--store", str(store_path), "users", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not _signed_in(client)


def test_the_cookie_holds_only_a_random_session_id(app, client, auth):
    auth.login_as("viewer")
    with client.session_transaction() as session:
        session_id = session["_user_id"]
    assert "viewer" not in session_id and len(session_id) >= 43
    raw = client.get_cookie(COOKIE).value
    assert "viewer" not in raw and PASSWORD not in raw
    from web.store import get_store

    with app.app_context():
        stored = get_store().credentials.path  # beside the file, or named for Neo4j
    assert session_id.encode() not in stored.read_bytes(), "only its hash is stored"


def test_a_session_ends_when_its_lifetime_is_over(store_path):
    import datetime as dt

    app = make_app(store_path, PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=1))
    try:
        client = english_client(app)
        AuthActions(client).login_as("viewer")
        assert _signed_in(client)
        time.sleep(1.2)
        assert not _signed_in(client)
    finally:
        close_store(app)


def test_a_forged_session_id_is_nobody(app, client, auth):
    auth.login_as("viewer")
    with client.session_transaction() as session:
        session["_user_id"] = "viewer"
    assert not _signed_in(client)
