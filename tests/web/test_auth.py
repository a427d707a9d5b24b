"""Signing in and out: passwords, lockout, rate limits, CSRF, sessions ending."""

from __future__ import annotations

import pytest

from graphdb.ladybug_store import LadybugStore
from tests.web.conftest import PASSWORD, csrf_token, english_client, make_app
from web.store import close_store, get_store


def test_login_page_and_successful_login(client, auth):
    page = client.get("/login")
    assert page.status_code == 200 and b'name="password"' in page.data
    response = auth.login("viewer")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert b"viewer" in home.data and b"Sign out" in home.data


def test_login_is_case_insensitive_for_the_username(auth):
    assert auth.login("  Viewer ").status_code == 302


@pytest.mark.parametrize("username, password", [("viewer", "wrong password"), ("nobody", PASSWORD)])
def test_wrong_credentials_give_one_message(client, auth, username, password):
    response = auth.login(username, password)
    assert response.status_code == 200
    assert b"Wrong username or password." in response.data
    assert client.get("/").status_code == 302


def test_missing_fields_are_reported_next_to_them(client):
    response = client.post("/login", data={"csrf_token": csrf_token(client)})
    text = response.get_data(as_text=True)
    assert "Enter your username." in text and "Enter your password." in text
    assert 'aria-invalid="true"' in text


def test_next_goes_back_but_never_off_site(client, auth):
    first = client.get("/nodes/so1")
    assert first.headers["Location"] == "/login?next=/nodes/so1"
    assert auth.login("viewer", next="/nodes/so1").headers["Location"] == "/nodes/so1"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        assert auth.login("viewer", next=evil).headers["Location"] == "/"
        auth.logout()


def test_logout_needs_post_with_csrf(client, auth):
    auth.login("viewer")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.get("/").status_code == 200
    assert auth.logout().headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert response.status_code == 400
    assert b"Form expired" in response.data
    assert client.get("/").status_code == 302


def test_account_locks_after_repeated_failures(app, client, auth):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        assert b"Wrong username" in auth.login("viewer", "nope nope nope").data
    assert b"Too many failed sign-ins for this account" in auth.login("viewer", "nope").data
    # Now even the right password is refused, and the other accounts still work.
    assert b"Too many failed sign-ins for this account" in auth.login("viewer").data
    assert auth.login("admin").status_code == 302
    with app.app_context():
        account = get_store().get_account("viewer")
    assert account.failed_logins == app.config["LOGIN_MAX_FAILURES"] and account.locked_until


def test_successful_login_resets_the_failure_count(app, auth):
    auth.login("viewer", "nope nope nope")
    auth.login("viewer")
    with app.app_context():
        assert get_store().get_account("viewer").failed_logins == 0


def test_too_many_failures_from_one_address_get_429(store_path):
    app = make_app(store_path, LOGIN_IP_MAX_FAILURES=3)
    try:
        client = english_client(app)
        for username in ("a1", "a2", "a3"):
            token = csrf_token(client)
            client.post("/login", data={"username": username, "password": "x" * 12,
                                        "csrf_token": token})  # fmt: skip
        token = csrf_token(client)
        blocked = client.post(
            "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
        )
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) > 0
        assert b"Too many failed sign-ins from your address" in blocked.data
        # Another address is not affected.
        other = client.post(
            "/login",
            data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
        assert other.status_code == 302
    finally:
        close_store(app)


def test_disabled_account_cannot_sign_in_and_its_session_ends(app, client, auth):
    auth.login("viewer")
    with app.app_context():
        get_store().set_disabled("viewer", True)
    assert client.get("/").status_code == 302
    assert b"This account is disabled" in auth.login("viewer").data


def test_password_change_ends_other_sessions(app, client, auth):
    auth.login("viewer")
    assert client.get("/").status_code == 200
    with app.app_context():
        get_store().set_password_hash("viewer", app.extensions["pathways.hasher"].hash("x" * 12))
    assert client.get("/").status_code == 302


def test_role_change_applies_at_once(app, client, auth):
    auth.login("viewer")
    assert client.get("/admin/users").status_code == 403
    with app.app_context():
        get_store().set_role("viewer", "admin")
    assert client.get("/admin/users").status_code == 200


def test_session_starts_anew_at_login_but_keeps_the_language(client, auth):
    client.get("/language/en")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("viewer")
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en"


def test_old_hashes_are_upgraded_at_sign_in(store_path):
    from web.passwords import Hasher

    store = LadybugStore(store_path)
    store.set_password_hash("viewer", Hasher("fast").hash(PASSWORD))
    store.close()
    app = make_app(store_path, PASSWORD_HASHING="standard")
    try:
        client = english_client(app)
        token = csrf_token(client)
        response = client.post(
            "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        with app.app_context():
            stored = get_store().get_account("viewer").password_hash
        assert "m=65536,t=3,p=4" in stored
    finally:
        close_store(app)
