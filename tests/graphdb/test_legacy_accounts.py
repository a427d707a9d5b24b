"""Stores made by older versions kept accounts in the graph: they move out on open, both engines."""

from __future__ import annotations

import pytest

from graphdb.account_store import Account
from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore

OLD_LADYBUG_TABLE = (
    "CREATE NODE TABLE Account(username STRING, password_hash STRING, role STRING, "
    "display_name STRING, partners STRING[], partnerships STRING[], countries STRING[], "
    "disabled BOOLEAN, created_at STRING, last_login STRING, failed_logins INT64, "
    "locked_until STRING, PRIMARY KEY(username))"
)
ANA = {
    "username": "ana",
    "password_hash": "$argon2id$v=19$old-secret",
    "role": "contributor",
    "display_name": "Ana",
    "partners": ["enabel"],
    "partnerships": [],
    "countries": ["be"],
    "disabled": False,
    "created_at": "2027-01-01T00:00:00+00:00",
    "last_login": "",
    "failed_logins": 2,
    "locked_until": "",
}
EXPECTED = Account(
    "ana",
    "$argon2id$v=19$old-secret",
    "contributor",
    display_name="Ana",
    partners=("enabel",),
    countries=("be",),
    created_at="2027-01-01T00:00:00+00:00",
    failed_logins=2,
)


def _plant_old_accounts(store: GraphStore) -> None:
    """Write an account the way versions before the credential store did."""
    if store.backend == "ladybug":
        store._run(OLD_LADYBUG_TABLE)
        store._run(
            "CREATE (a:Account {username: $username, password_hash: $password_hash, "
            "role: $role, display_name: $display_name, partners: CAST($partners AS STRING[]), "
            "partnerships: CAST($partnerships AS STRING[]), countries: CAST($countries AS "
            "STRING[]), disabled: $disabled, created_at: $created_at, last_login: $last_login, "
            "failed_logins: $failed_logins, locked_until: $locked_until})",
            ANA,
        )
    else:
        store._write(
            lambda tx: tx.run(
                "CREATE CONSTRAINT Account_username IF NOT EXISTS "
                "FOR (a:Account) REQUIRE a.username IS UNIQUE"
            ).consume()
        )
        store._write(lambda tx: tx.run("CREATE (a:Account) SET a = $row", row=ANA).consume())


def _reopen(store: GraphStore, request, *, read_only: bool = False) -> GraphStore:
    if store.backend == "ladybug":
        return LadybugStore(store.location, read_only=read_only)
    from graphdb.neo4j_store import Neo4jStore

    server = request.getfixturevalue("neo4j_server")
    auth = (server.user, server.password) if server.user else None
    return Neo4jStore(
        server.uri, auth=auth, database=store._database, credentials=store.credentials.path
    )


def _in_graph(store: GraphStore) -> int:
    if store.backend == "ladybug":
        tables = {row[0] for row in store._run("CALL show_tables() RETURN name")}
        return len(store._run("MATCH (a:Account) RETURN a.username")) if "Account" in tables else 0
    return store._read("MATCH (a:Account) RETURN count(a)")[0][0]


def test_old_accounts_move_to_the_credential_store_on_open(store, plan, request):
    store.save_plan(plan)
    _plant_old_accounts(store)
    assert _in_graph(store) == 1
    store.close()
    with _reopen(store, request) as again:
        assert again.accounts() == [EXPECTED]
        assert _in_graph(again) == 0
        assert again.load_plan() == plan
        rows = again.query("MATCH (n) RETURN n").rows
        assert "argon2" not in repr(rows)
    with _reopen(store, request) as third:  # nothing left to move; nothing moved twice
        assert third.accounts() == [EXPECTED]
    if store.backend == "neo4j":
        with _reopen(store, request) as fourth:
            constraints = fourth._read("SHOW CONSTRAINTS YIELD name RETURN name")
            assert ["Account_username"] not in constraints


def test_an_interrupted_move_finishes_and_keeps_newer_credentials(store, request):
    """Accounts copied before a crash (and changed since) are kept as they are now."""
    _plant_old_accounts(store)
    store.credentials.import_accounts([Account("ana", "$argon2id$changed-since", "admin")])
    store.close()
    with _reopen(store, request) as again:
        assert [(a.username, a.role) for a in again.accounts()] == [("ana", "admin")]
        assert _in_graph(again) == 0


def test_a_read_only_open_copies_old_accounts_and_leaves_the_graph(tmp_path):
    path = tmp_path / "old.lbug"
    store = LadybugStore(path)
    _plant_old_accounts(store)
    store.close()
    with LadybugStore(path, read_only=True) as reader:
        assert reader.accounts() == [EXPECTED]
        assert _in_graph(reader) == 1, "a read-only open does not write the graph"
    with LadybugStore(path) as writer:
        assert _in_graph(writer) == 0
        assert writer.accounts() == [EXPECTED]


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_without_old_accounts_creates_no_credential_file(tmp_path, read_only):
    path = tmp_path / "new.lbug"
    LadybugStore(path).close()
    LadybugStore(path, read_only=read_only).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.lbug"]
