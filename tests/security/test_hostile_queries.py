"""The hostile Cypher corpus (:mod:`tests.security.cypher_corpus`) against a store holding
accounts, on both engines, through every door: the store itself, the web Queries page,
``toc cypher`` and ``toc query cypher``.

For every query: no secret in anything that comes back (the password hash text, the word
argon2), nothing written (plan, history, indicators, accounts, the engine's schema and table
comments, files), no traceback, no 5xx, and an error of one clean line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb import open_store
from graphdb.cypher_guard import QueryRefused
from graphdb.store import GraphStore, StoreError
from indicators.definitions import loads
from tests.conftest import BACKENDS, small_plan
from tests.security.cypher_corpus import CORPUS
from tests.web.conftest import INDICATORS, PASSWORD, csrf_token
from web import create_app
from web.accounts import create_account
from web.passwords import Hasher
from web.store import close_store


@dataclass
class Target:
    """A store with the small plan, indicators and accounts, and what a query may not see."""

    backend: str
    location: str
    out: Path
    credentials: Path
    secrets: tuple[str, ...]

    def query(self, template: str) -> str:
        return template.replace("{out}", str(self.out)).replace(
            "{credentials}", str(self.credentials)
        )


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path, monkeypatch) -> Iterator[Target]:
    if request.param == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        request.getfixturevalue("fresh_neo4j_store")().close()  # an empty database
        if server.user:
            monkeypatch.setenv("NEO4J_USER", server.user)
            monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        location = server.uri
    else:
        location = str(tmp_path / "hostile.lbug")
    out = tmp_path / "out"
    out.mkdir()
    hasher = Hasher("fast")
    with open_store(location) as store:
        store.save_plan(small_plan(), author="tests")
        store.save_indicators(loads(INDICATORS, plan=small_plan()).indicators, author="tests")
        for username, role in (("viewer", "viewer"), ("admin", "admin")):
            create_account(store, hasher, username, PASSWORD, role)
        hashes = tuple(a.password_hash for a in store.accounts())
        credentials = store.credentials.path
        store.credentials.start_session("admin", lifetime=3600)
    yield Target(request.param, location, out, credentials, (*hashes, "argon2"))


def _snapshot(store: GraphStore) -> dict[str, Any]:
    """Everything a write could change, as plain values."""
    shot: dict[str, Any] = {
        "plan": store.load_plan(),
        "revisions": store.revisions(),
        "indicators": store.indicator_history(),
        "measurements": store.revision_count(),
        "accounts": store.accounts(),
    }
    if store.backend == "ladybug":
        shot["tables"] = sorted(map(tuple, store._run("CALL show_tables() RETURN *")))
        shot["macros"] = sorted(map(tuple, store._run("CALL show_macros() RETURN *")))
        shot["counts"] = {
            name: store._run(f"MATCH (n:{name}) RETURN count(n)")[0][0]
            for name, kind, *_ in shot["tables"]
            if kind == "NODE"
        }
    else:
        shot["labels"] = sorted(map(tuple, store._read("MATCH (n) RETURN labels(n), count(*)")))
        shot["types"] = sorted(map(tuple, store._read("MATCH ()-[r]->() RETURN type(r), count(*)")))
        shot["constraints"] = sorted(store._read("SHOW CONSTRAINTS YIELD name RETURN name"))
        shot["indexes"] = sorted(store._read("SHOW INDEXES YIELD name RETURN name"))
        shot["keys"] = sorted(store._read("CALL db.propertyKeys()"))
    return shot


def _no_secret(target: Target, text: str, what: str) -> None:
    for secret in target.secrets:
        assert secret not in text, f"{what}: a secret came back"


def _files(target: Target) -> list[str]:
    return sorted(str(p.relative_to(target.out)) for p in target.out.rglob("*"))


IDS = [name for name, _ in CORPUS]


def test_the_corpus_is_large_and_named_once():
    assert len(CORPUS) >= 50
    assert len(set(IDS)) == len(IDS)


def test_the_store_returns_no_secret_and_writes_nothing(target):
    with open_store(target.location) as store:
        before = _snapshot(store)
        outcomes: dict[str, str] = {}
        for name, template in CORPUS:
            try:
                result = store.query(target.query(template), timeout=10, row_limit=1000)
            except QueryRefused as e:
                outcomes[name] = f"refused:{e.reason}"
                message = str(e)
            except StoreError as e:
                outcomes[name] = "failed"
                message = str(e)
            else:
                outcomes[name] = "rows"
                message = repr(result.rows) + repr(result.columns)
            _no_secret(target, message, name)
            assert "\n" not in message.strip() or outcomes[name] == "rows", name
            assert _snapshot(store) == before, f"{name} changed the store"
        assert _files(target) == [], "a query wrote a file"
    # Most of the corpus never reaches the engine; what does is read-only there.
    refused = sum(o.startswith("refused") for o in outcomes.values())
    assert refused >= 60, outcomes
    assert outcomes["all-properties"] == outcomes["whole-nodes"] == "rows"
    assert outcomes["two-statements"] == "refused:statements"
    assert outcomes["comment-on"] == outcomes["uninstall"] == "refused:write"
    assert outcomes["zero-width"] == outcomes["cyrillic-m"] == "refused:character"


@pytest.mark.parametrize("command", [["cypher"], ["query", "cypher"]])
def test_the_command_line_answers_in_one_clean_line(target, command):
    with open_store(target.location) as store:
        before = _snapshot(store)
    runner = CliRunner()
    for name, template in CORPUS:
        result = runner.invoke(cli, ["--store", target.location, *command, target.query(template)])
        assert result.exit_code in (0, 1), f"{name}: exit {result.exit_code}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert "Traceback" not in result.output, name
        _no_secret(target, result.output, name)
        if result.exit_code == 1:
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), f"{name}: {lines}"
    with open_store(target.location) as store:
        assert _snapshot(store) == before
    assert _files(target) == []


def test_the_queries_page_never_fails_nor_reveals(target, tmp_path):
    from web.store import get_store

    app = create_app(
        {
            "TESTING": True,
            "TOC_STORE": target.location,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "PASSWORD_HASHING": "fast",
            "IMPORT_FOLDER": str(tmp_path / "uploads"),
        }
    )
    try:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        token = csrf_token(client)
        login = {"username": "viewer", "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=login).status_code == 302
        with app.app_context():
            before = _snapshot(get_store())  # after the sign-in, which notes its time
        token = csrf_token(client, "/queries/cypher")
        for name, template in CORPUS:
            for download in ("", "csv"):
                data = {"cypher": target.query(template), "csrf_token": token}
                if download:
                    data["download"] = download
                page = client.post("/queries/cypher", data=data)
                text = page.get_data(as_text=True)
                assert page.status_code == 200, f"{name}: {page.status_code}"
                assert "Traceback" not in text, name
                _no_secret(target, text, name)
        with app.app_context():
            assert _snapshot(get_store()) == before
    finally:
        close_store(app)
    assert _files(target) == []


def test_the_engine_refuses_writes_even_past_the_guard(target, monkeypatch):
    """The read-only connection is the guarantee; the guard only comes first."""
    monkeypatch.setattr("graphdb.store.ensure_read_only", lambda cypher: None)
    writes = [
        "MATCH (n) DETACH DELETE n",
        "CREATE (:Role {id: 'x', title_en: 'x'})",
        "MATCH (n:Role) SET n.note = 'pwned'",
        "MERGE (:Role {id: 'y'})",
    ]
    if target.backend == "ladybug":
        writes += [
            "COMMENT ON TABLE Role IS 'pwned'",
            "CREATE MACRO pwn(x) AS x + 1",
            "DROP TABLE Role",
            "ALTER TABLE Role ADD pwned STRING",
            f"COPY (MATCH (n) RETURN n.id) TO '{target.out}/leak.csv'",
            f"EXPORT DATABASE '{target.out}/export'",
        ]
    else:
        writes += [
            "CALL db.createLabel('Pwned')",
            "CREATE INDEX pwn FOR (n:Role) ON (n.id)",
            "CALL { CREATE (:Role {id: 'x'}) }",
        ]
    with open_store(target.location) as store:
        before = _snapshot(store)
        for cypher in writes:
            with pytest.raises((QueryRefused, StoreError)):
                store.query(cypher, timeout=10)
        assert _snapshot(store) == before
    leaked = [p for p in target.out.rglob("*") if p.is_file() and p.stat().st_size]
    assert leaked == [], "the query process wrote data to a file"


def test_the_credential_file_is_private(target):
    assert target.credentials.exists()
    assert os.stat(target.credentials).st_mode & 0o077 == 0
