"""Fixtures of the hostile-input suites: stores of each engine holding the small plan, its
indicators and one account per role, reached through the command line or the web app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask

from cli.main import cli
from graphdb import GraphStore, open_store
from indicators.definitions import loads as load_indicators
from tests.conftest import BACKENDS, new_store, small_plan
from tests.web.conftest import ACCOUNTS, INDICATORS, make_app
from web.accounts import create_account
from web.passwords import Hasher
from web.store import close_store


def fill(store: GraphStore, *, accounts: bool = False) -> None:
    """The small plan and its two indicators (and the test accounts) into an empty store."""
    store.save_plan(small_plan(), author="tests", message="small plan")
    store.save_indicators(load_indicators(INDICATORS, plan=small_plan()).indicators, author="tests")
    if accounts:
        hasher = Hasher("fast")
        for username, (role, scope) in ACCOUNTS.items():
            create_account(store, hasher, username, "correct horse 42", role, **scope)


def _location(request: pytest.FixtureRequest, backend: str, folder: Path, **kw: Any) -> str:
    """A filled store of ``backend``, closed again: its location and the environment that
    opens it (Neo4j credentials)."""
    store = new_store(request, backend, folder)
    try:
        fill(store, **kw)
        return store.location if backend == "ladybug" else _neo4j_uri(request)
    finally:
        store.close()


def _neo4j_uri(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("neo4j_server").uri


def _env(request: pytest.FixtureRequest, backend: str) -> dict[str, str]:
    if backend != "neo4j":
        return {}
    server = request.getfixturevalue("neo4j_server")
    return {"NEO4J_USER": server.user or "", "NEO4J_PASSWORD": server.password or ""}


@dataclass
class CliStore:
    """A filled store and a way to run ``toc`` on it."""

    location: str
    env: dict[str, str]

    def run(self, *args: str) -> Result:
        runner = CliRunner(env=self.env)
        return runner.invoke(cli, ["--store", self.location, *args])

    def snapshot(self) -> tuple[Any, ...]:
        """Everything a refused command must leave as it was."""
        with open_store(self.location, read_only=True) as store:
            return (
                store.plan_version(),
                store.load_plan(),
                store.indicator_history(),
                store.revision_count(),
            )


@pytest.fixture(params=BACKENDS)
def cli_store(request, tmp_path) -> CliStore:
    """A store of each engine with the small plan and its indicators, for ``toc`` commands."""
    return CliStore(_location(request, request.param, tmp_path), _env(request, request.param))


@pytest.fixture(params=BACKENDS)
def engine_app(request, tmp_path, monkeypatch) -> Iterator[Flask]:
    """The web app on a store of each engine, with the test accounts."""
    for key, value in _env(request, request.param).items():
        monkeypatch.setenv(key, value)
    location = _location(request, request.param, tmp_path, accounts=True)
    app = make_app(location, IMPORT_FOLDER=str(tmp_path / "uploads"))
    yield app
    close_store(app)


@pytest.fixture
def revisions(engine_app) -> Callable[[], int]:
    """The number of measurement revisions the app's store holds now."""
    from web.store import get_store

    def count() -> int:
        with engine_app.app_context():
            return get_store().revision_count()

    return count
