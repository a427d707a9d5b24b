"""The web app fixtures (a fresh store per test, accounts, a client that signs in) for the
hostile-input tests, on the embedded store: what these tests refuse is the file, before any
engine sees it (the web tests run the upload paths on both engines)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.web.conftest import auth, client, make_app, store_path, template_store  # noqa: F401
from web.store import close_store


@pytest.fixture
def app(store_path: Path) -> Iterator[Flask]:  # noqa: F811
    app = make_app(store_path)
    yield app
    close_store(app)
