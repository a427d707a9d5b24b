"""Fixtures of the web tests: an app on a fresh temporary store with the small plan and one
account per role, a test client, and a helper that signs in like a browser would."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphdb.credentials import credentials_path
from graphdb.ladybug_store import LadybugStore
from indicators.definitions import loads
from tests.conftest import small_plan
from web import create_app
from web.accounts import create_account
from web.passwords import Hasher
from web.store import close_store

PASSWORD = "correct horse 42"
#: username -> (role, scope); the contributor reports for Enabel.
ACCOUNTS = {
    "viewer": ("viewer", {}),
    "contributor": ("contributor", {"partners": ("enabel",)}),
    "me": ("me_officer", {}),
    "admin": ("admin", {}),
    "target": ("viewer", {}),
}
ROLE_USERS = {
    "viewer": "viewer",
    "contributor": "contributor",
    "me_officer": "me",
    "admin": "admin",
}
#: Two indicators: ind.o1 measures so1.o1 (which Enabel helps through s1: the contributor's
#: scope), ind.o2 measures so1.o2 (outside it).
INDICATORS = """
format: toc-indicators/1
indicators:
  - code: ind.o1
    measures: [so1.o1]
    title: {nl: Gemeenten, en: Municipalities}
    type: number
    direction: increase
    frequency: year
    baseline: {value: 10, date: 2026-12-31}
    end_target: {value: 20, date: 2031-12-31}
  - code: ind.o2
    measures: [so1.o2]
    title: {nl: Aandeel, en: Share}
    type: percentage
    numerator: {nl: Gemeenten met een plan, en: Municipalities with a plan}
    denominator: {nl: Gemeenten, en: Municipalities}
    direction: increase
    frequency: year
    baseline: {value: 20, date: 2026-12-31}
    end_target: {value: 50, date: 2031-12-31}
"""
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def template_store(tmp_path_factory) -> Path:
    """A store file with the small plan and the test accounts, made once per session."""
    path = tmp_path_factory.mktemp("template") / "web.lbug"
    store = LadybugStore(path)
    try:
        store.save_plan(small_plan(), author="tests", message="small plan")
        hasher = Hasher("fast")
        for username, (role, scope) in ACCOUNTS.items():
            create_account(store, hasher, username, PASSWORD, role, **scope)
        store.save_indicators(loads(INDICATORS, plan=small_plan()).indicators, author="tests")
    finally:
        store.close()
    return path


def make_app(store_path: Path, **config) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "TOC_STORE": str(store_path),
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "PASSWORD_HASHING": "fast",
            "IMPORT_FOLDER": str(Path(store_path).parent / "uploads"),
            **config,
        }
    )


@pytest.fixture
def store_path(template_store, tmp_path) -> Path:
    """A private copy of the template store (and its credential file) for one test."""
    path = tmp_path / "web.lbug"
    shutil.copy(template_store, path)
    shutil.copy(credentials_path(str(template_store)), credentials_path(str(path)))
    return path


@pytest.fixture
def app(store_path) -> Iterator[Flask]:
    app = make_app(store_path)
    yield app
    close_store(app)


def english_client(app: Flask) -> FlaskClient:
    """A test client whose browser asks for English (the app's default is Dutch)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client(app) -> FlaskClient:
    return english_client(app)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path``."""
    match = _CSRF.search(client.get(path, follow_redirects=True).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    """Sign in and out through the real forms, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "viewer", password: str = PASSWORD, **extra):
        token = csrf_token(self._client)
        data = {"username": username, "password": password, "csrf_token": token, **extra}
        return self._client.post("/login", data=data)

    def login_as(self, role: str):
        """Sign in with the test account of ``role``; fails the test when that fails."""
        response = self.login(ROLE_USERS[role])
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        token = csrf_token(self._client, "/")
        return self._client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


#: How the browser tests start Debian's Chromium (docs: ../shared ENGINE-NOTES, "Browser tests").
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session (starting one takes about a
    second; each test gets its own context, so nothing is shared but the process)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("browser tests need Chromium: scripts/ensure-system-packages.sh chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
