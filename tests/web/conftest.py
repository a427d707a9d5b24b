"""Fixtures of the web tests: an app on a fresh temporary store with the small plan and one
account per role, a test client, and a helper that signs in like a browser would.

The app runs on each engine, as the graphdb tests do: :func:`store_location` is the embedded
store (a copy of a template file) or the test Neo4j (emptied and filled the same way). A test
that asks for ``store_path`` or ``template_store`` works on the embedded store's file itself,
so it runs on that engine only; the browser tests keep the embedded store too (their own
fixtures), to hold CI's time.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphdb import GraphStore
from graphdb.credentials import credentials_path
from graphdb.ladybug_store import LadybugStore
from indicators.definitions import loads
from tests.conftest import BACKENDS, small_plan
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


def fill(store: GraphStore) -> None:
    """The web tests' content: the small plan, one account per role, two indicators."""
    store.save_plan(small_plan(), author="tests", message="small plan")
    hasher = Hasher("fast")
    for username, (role, scope) in ACCOUNTS.items():
        create_account(store, hasher, username, PASSWORD, role, **scope)
    store.save_indicators(loads(INDICATORS, plan=small_plan()).indicators, author="tests")


@pytest.fixture(scope="session")
def template_store(tmp_path_factory) -> Path:
    """A store file with the small plan and the test accounts, made once per session."""
    path = tmp_path_factory.mktemp("template") / "web.lbug"
    store = LadybugStore(path)
    try:
        fill(store)
    finally:
        store.close()
    return path


def make_app(store_path: Path | str, **config) -> Flask:
    """The app on the store at ``store_path`` (a file, or a Neo4j URL), in test mode."""
    location = str(store_path)
    folder = _neo4j_folder() if "://" in location else Path(location).parent
    return create_app(
        {
            "TESTING": True,
            "TOC_STORE": location,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "PASSWORD_HASHING": "fast",
            "IMPORT_FOLDER": str(folder / "uploads"),
            **config,
        }
    )


def _neo4j_folder() -> Path:
    """A private folder for the uploads of an app on Neo4j (in the test's data folder)."""
    import os
    import tempfile

    base = os.environ.get("XDG_DATA_HOME") or tempfile.gettempdir()
    return Path(tempfile.mkdtemp(dir=base))


@pytest.fixture
def store_path(template_store, tmp_path) -> Path:
    """A private copy of the template store (and its credential file) for one test."""
    path = tmp_path / "web.lbug"
    shutil.copy(template_store, path)
    shutil.copy(credentials_path(str(template_store)), credentials_path(str(path)))
    return path


#: Fixtures that are the embedded store's file: a test using one runs on that engine only.
_FILE_FIXTURES = {"store_path", "template_store"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses the app on both engines (see the module docstring)."""
    if "store_location" in metafunc.fixturenames:
        on_file = bool(_FILE_FIXTURES & set(metafunc.fixturenames))
        metafunc.parametrize("store_location", ["ladybug"] if on_file else BACKENDS, indirect=True)


@pytest.fixture
def store_location(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where the test's store is: a private copy of the template file, or the test Neo4j
    emptied and filled with the same content (the app finds the same credential file through
    ``TOC_CREDENTIALS``)."""
    if request.param == "ladybug":
        return str(request.getfixturevalue("store_path"))
    with request.getfixturevalue("fresh_neo4j_store")() as store:
        fill(store)
        monkeypatch.setenv("TOC_CREDENTIALS", str(store.credentials.path))
    return str(request.getfixturevalue("neo4j_server").uri)


@pytest.fixture
def app(store_location) -> Iterator[Flask]:
    app = make_app(store_location)
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
