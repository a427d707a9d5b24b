"""Headers, cookies and the secret key."""

from __future__ import annotations

import os
import stat

from tests.web.conftest import make_app
from web.settings import secret_key
from web.store import close_store


def test_security_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_served_by_the_app_and_cacheable(client):
    for name in ("pathways.css", "diagram.js", "favicon.svg"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response.headers.get("Cache-Control") != "no-store"
        response.close()


def test_pages_load_nothing_from_elsewhere(client, auth):
    auth.login_as("admin")
    for url in ("/", "/pathways", "/nodes/so1", "/admin/users"):
        text = client.get(url).get_data(as_text=True)
        assert "https://" not in text.replace('xmlns="http://www.w3.org', ""), url
        assert "//cdn" not in text and "fonts.googleapis" not in text, url
    with client.get("/static/pathways.css") as response:
        css = response.get_data(as_text=True)
    assert "url(" not in css and "@import" not in css


def test_session_cookie_flags(client, auth):
    response = auth.login("viewer")
    cookie = response.headers["Set-Cookie"]
    assert "pathways_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_a_session_lasts_from_sign_in_and_pages_do_not_reissue_the_cookie(client, auth):
    auth.login("viewer")
    client.get("/")  # shows (and so removes) the sign-in message
    page = client.get("/pathways")
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers


def test_secure_cookies_behind_https(store_path, monkeypatch):
    monkeypatch.setenv("TOC_HTTPS", "1")
    app = make_app(store_path)
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["PREFERRED_URL_SCHEME"] == "https"
    finally:
        close_store(app)


def test_secret_key_is_made_once_and_kept_private(tmp_path):
    first = secret_key(tmp_path / "instance")
    assert len(first) == 64 and secret_key(tmp_path / "instance") == first
    mode = stat.S_IMODE(os.stat(tmp_path / "instance" / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_the_environment_wins(store_path, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 20)
    monkeypatch.setenv("TOC_INSTANCE", str(tmp_path / "instance"))
    from web import create_app

    app = create_app({"TOC_STORE": str(store_path)})
    try:
        assert app.config["SECRET_KEY"].startswith("from-the-environment-")
        assert not (tmp_path / "instance" / "secret_key").exists()
    finally:
        close_store(app)


def test_without_a_key_one_is_kept_in_the_instance_folder(store_path, monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TOC_INSTANCE", str(tmp_path / "instance"))
    from web import create_app

    app = create_app({"TOC_STORE": str(store_path)})
    try:
        kept = (tmp_path / "instance" / "secret_key").read_text().strip()
        assert app.config["SECRET_KEY"] == kept
    finally:
        close_store(app)


def test_a_locked_store_gives_a_clear_503(app, client, auth):
    from graphdb import StoreLocked
    from web.store import close_store

    auth.login_as("viewer")
    close_store(app)

    def locked(location: str):
        raise StoreLocked(f"{location}: the store is in use by another program (process 1)")

    app.extensions["pathways.store"]._opener = locked
    page = client.get("/")
    assert page.status_code == 503
    assert b"Data store unavailable" in page.data and b"in use by another program" in page.data
    api = client.get("/api/plan")
    assert api.status_code == 503 and "in use by another program" in api.get_json()["error"]
