"""The credential store: accounts and sessions in one private SQLite file, shared by processes."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graphdb.account_store import Account, AccountNotFound
from graphdb.config import load_settings
from graphdb.credentials import VERSION, CredentialStore, credentials_path, session_hash
from graphdb.errors import StoreError

NOW = 1_900_000_000.0


def _account(username: str = "ana", role: str = "viewer", **kw) -> Account:
    return Account(username, "$argon2id$v=19$secret", role, **kw)


@pytest.fixture
def creds(tmp_path):
    store = CredentialStore(tmp_path / "c.sqlite")
    store.add_account(_account())
    yield store
    store.close()


def test_the_file_and_its_journal_are_private(tmp_path):
    path = tmp_path / "deep" / "c.sqlite"
    store = CredentialStore(path)
    assert not path.exists(), "opened on first use only"
    store.add_account(_account())
    try:
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        store.close()


def test_an_existing_file_readable_by_others_is_made_private(tmp_path):
    path = tmp_path / "c.sqlite"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    store = CredentialStore(path)
    try:
        assert store.accounts() == []
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        store.close()


def test_a_newer_file_is_refused(tmp_path):
    path = tmp_path / "c.sqlite"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {VERSION + 1}").connection.close()
    store = CredentialStore(path)
    with pytest.raises(StoreError, match="newer than this tool"):
        store.accounts()
    store.close()


def test_a_session_lives_until_it_is_ended_or_expires(creds):
    token = creds.start_session("ana", lifetime=3600, now=NOW)
    assert len(token) >= 43  # 256 random bits
    assert creds.session_account(token, now=NOW + 10).username == "ana"
    assert creds.session_account(token, now=NOW + 3600) is None, "expired"
    assert creds.session_account("not-a-session", now=NOW) is None
    assert creds.session_account("", now=NOW) is None
    other = creds.start_session("ana", lifetime=3600, now=NOW)
    creds.end_session(other)
    creds.end_session(other)  # ending it twice is harmless
    assert creds.session_account(other, now=NOW + 1) is None
    assert creds.session_count("ana", now=NOW + 1) == 1


def test_only_the_hash_of_a_session_id_is_stored(creds, tmp_path):
    token = creds.start_session("ana", lifetime=3600)
    rows = sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT id_hash FROM sessions").fetchall()
    assert rows == [(session_hash(token),)] and token not in rows[0][0]


def test_a_new_password_or_disabling_ends_every_session(creds):
    tokens = [creds.start_session("ana", lifetime=3600) for _ in range(3)]
    creds.set_password_hash("ana", "$argon2id$new")
    assert [creds.session_account(t) for t in tokens] == [None, None, None]
    token = creds.start_session("ana", lifetime=3600)
    creds.set_disabled("ana", True)
    assert creds.session_account(token) is None
    creds.set_disabled("ana", False)
    assert creds.session_account(token) is None, "enabling does not bring sessions back"


def test_an_upgraded_hash_of_the_same_password_keeps_the_sessions(creds):
    token = creds.start_session("ana", lifetime=3600)
    creds.set_password_hash("ana", "$argon2id$rehashed", end_sessions=False)
    assert creds.session_account(token).password_hash == "$argon2id$rehashed"


def test_a_session_sees_the_account_as_it_is_now(creds):
    token = creds.start_session("ana", lifetime=3600)
    creds.set_role("ana", "admin")
    assert creds.session_account(token).role == "admin"


def test_last_use_is_written_at_most_once_a_minute(creds, tmp_path):
    token = creds.start_session("ana", lifetime=3600, now=NOW)
    db = sqlite3.connect(tmp_path / "c.sqlite")

    def last_seen() -> float:
        return db.execute("SELECT last_seen FROM sessions").fetchone()[0]

    creds.session_account(token, now=NOW + 30)
    assert last_seen() == NOW
    creds.session_account(token, now=NOW + 61)
    assert last_seen() == NOW + 61


def test_expired_sessions_are_removed_when_a_new_one_starts(creds, tmp_path):
    creds.start_session("ana", lifetime=10, now=NOW)
    creds.start_session("ana", lifetime=3600, now=NOW + 20)
    count = sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT count(*) FROM sessions")
    assert count.fetchone() == (1,)


def test_sessions_need_an_account(creds):
    with pytest.raises(AccountNotFound):
        creds.start_session("ghost", lifetime=60)


def test_end_sessions_counts(creds):
    for _ in range(2):
        creds.start_session("ana", lifetime=60)
    assert creds.end_sessions("ana") == 2
    assert creds.end_sessions("ana") == 0


def test_a_session_ended_by_another_process_stops_at_once(creds, tmp_path):
    token = creds.start_session("ana", lifetime=3600)
    assert creds.session_account(token) is not None
    code = (
        "import sys; from graphdb.credentials import CredentialStore;"
        "s = CredentialStore(sys.argv[1]); s.end_sessions('ana'); s.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "c.sqlite")], check=True)
    assert creds.session_account(token) is None


def test_threads_and_processes_write_without_losing_a_change(creds, tmp_path):
    """Concurrent writers wait for each other (busy timeout), none fails or is lost."""
    code = (
        "import sys; from graphdb.credentials import CredentialStore;"
        "s = CredentialStore(sys.argv[1])\n"
        "for _ in range(50): s.record_login_failure('ana')\n"
        "s.close()"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "c.sqlite")])
    threads = [
        threading.Thread(target=lambda: [creds.record_login_failure("ana") for _ in range(50)])
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert child.wait(60) == 0
    assert creds.get_account("ana").failed_logins == 200


def test_import_adds_only_missing_accounts(creds):
    stored = creds.get_account("ana")
    added = creds.import_accounts([_account(role="admin"), _account("bob", countries=("be",))])
    assert added == 1
    assert creds.get_account("ana") == stored, "the credential store's version wins"
    assert creds.get_account("bob").countries == ("be",)
    assert creds.import_accounts([_account("bob")]) == 0


def test_a_closed_store_says_so(tmp_path):
    store = CredentialStore(tmp_path / "c.sqlite")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.accounts()


def test_where_the_file_is(tmp_path):
    assert credentials_path("data/x.lbug") == Path("data/x.lbug.credentials.sqlite")
    env = {"HOME": "/home/ann", "TOC_CREDENTIALS": "/srv/c.sqlite"}
    assert credentials_path("neo4j://h:7687", neo4j=True, environ=env) == Path("/srv/c.sqlite")
    env = {"HOME": "/home/ann"}
    got = credentials_path("bolt://db.example.org:7687", neo4j=True, environ=env)
    assert got == Path("/home/ann/.local/share/pathways/db.example.org-7687.credentials.sqlite")
    env = {"HOME": "/home/ann", "XDG_DATA_HOME": "/data"}
    got = credentials_path("neo4j://h:7687?database=plans", neo4j=True, environ=env)
    assert got == Path("/data/pathways/h-7687-plans.credentials.sqlite")
    # An embedded store keeps its accounts beside it, whatever the environment says.
    assert credentials_path("x.lbug", environ={"TOC_CREDENTIALS": "/srv/c"}) == Path(
        "x.lbug.credentials.sqlite"
    )


def test_the_settings_file_names_the_credential_file(tmp_path):
    config = tmp_path / "pathways.toml"
    config.write_text('[accounts]\nfile = "secrets/credentials.sqlite"\n')
    settings = load_settings({"TOC_CONFIG": str(config)})
    assert settings.credentials_file == str(tmp_path / "secrets" / "credentials.sqlite")
    got = credentials_path("neo4j://h:7687", neo4j=True, environ={}, settings=settings)
    assert got == tmp_path / "secrets" / "credentials.sqlite"
