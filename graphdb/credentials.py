"""The credential store: accounts and sign-in sessions, in one SQLite file beside the graph.

Password hashes, lockout counters and session ids are kept out of the plan graph on purpose:
no ad-hoc query connection can open this file, so no query text can reach a secret. Both
engines use this one implementation (:class:`CredentialStore`); a :class:`GraphStore` answers
the account methods by delegating to its ``credentials``.

Where the file lives (:func:`credentials_path`):

* embedded store ``X.lbug``: ``X.lbug.credentials.sqlite`` beside it;
* Neo4j: ``TOC_CREDENTIALS``, else ``[accounts] file`` of the configuration file
  (:mod:`graphdb.config`), else ``$XDG_DATA_HOME/pathways/<server>.credentials.sqlite``
  (``~/.local/share/pathways/...``). Every process that serves or manages one Neo4j store
  must use the same file.

The file is made readable by its owner only (mode 600) and kept in WAL mode with a busy
timeout, so the web app, ``toc users`` and other app processes use it at the same time; every
change is one transaction. Sessions are stored by the SHA-256 of their id (the id itself is
only in the user's cookie), with their account, creation, last use and expiry: deleting the
row ends the session at once, for every process.

>>> import tempfile, pathlib
>>> from graphdb.account_store import Account
>>> store = CredentialStore(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
>>> store.add_account(Account("ana", "$argon2id$...", "viewer"))
>>> token = store.start_session("ana", lifetime=3600)
>>> store.session_account(token).username
'ana'
>>> store.end_session(token)
>>> store.session_account(token) is None
True
>>> store.close()
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphdb.account_store import ROLES, Account, AccountExists, AccountNotFound, AccountStore
from graphdb.config import Settings, load_settings
from graphdb.errors import StoreError

__all__ = ["ACCOUNT_FIELDS", "SUFFIX", "CredentialStore", "credentials_path"]

#: What the credential file of an embedded store ``X`` adds to its name.
SUFFIX = ".credentials.sqlite"
#: Schema version of the file (``PRAGMA user_version``).
VERSION = 1
#: A session's last use is written at most this often (seconds): reading a session is one
#: indexed SELECT per request, and most requests write nothing.
TOUCH_SECONDS = 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '[]',
    partnerships TEXT NOT NULL DEFAULT '[]',
    countries TEXT NOT NULL DEFAULT '[]',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT '',
    last_login TEXT NOT NULL DEFAULT '',
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES accounts(username) ON DELETE CASCADE,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_username ON sessions(username);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);
"""
#: The fields of an account, in the order every SELECT of them returns them (and the order
#: :mod:`graphdb.legacy_accounts` reads old ``Account`` nodes in).
ACCOUNT_FIELDS = (
    "username",
    "password_hash",
    "role",
    "display_name",
    "partners",
    "partnerships",
    "countries",
    "disabled",
    "created_at",
    "last_login",
    "failed_logins",
    "locked_until",
)
_COLUMNS = ", ".join(f"a.{f}" for f in ACCOUNT_FIELDS)
_SCOPES = ("partners", "partnerships", "countries")


def credentials_path(
    location: str,
    *,
    neo4j: bool = False,
    environ: Mapping[str, str] = os.environ,
    settings: Settings | None = None,
) -> Path:
    """The credential file of the store at ``location`` (see the module docstring).

    >>> str(credentials_path("data/demo.lbug"))
    'data/demo.lbug.credentials.sqlite'
    >>> str(credentials_path("neo4j://db:7687", neo4j=True, environ={"TOC_CREDENTIALS": "/c"}))
    '/c'
    >>> credentials_path("neo4j://db.example.org:7687?database=plans", neo4j=True,
    ...                  environ={"HOME": "/home/ann"}, settings=Settings()).name
    'db.example.org-7687-plans.credentials.sqlite'
    """
    if not neo4j:
        return Path(location + SUFFIX)
    if environ.get("TOC_CREDENTIALS"):
        return Path(environ["TOC_CREDENTIALS"]).expanduser()
    if settings is None:
        settings = load_settings(environ)
    if settings.credentials_file:
        return Path(settings.credentials_file)
    data = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or "~") / ".local/share")
    server = location.split("://", 1)[-1].replace("?database=", "-")
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", server).strip("-.") or "neo4j"
    return Path(data).expanduser() / "pathways" / f"{slug}{SUFFIX}"


def session_hash(token: str) -> str:
    """How a session id is stored: its SHA-256 (the id is random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CredentialStore(AccountStore):
    """Accounts and sessions in one SQLite file (see the module docstring).

    The file is opened on first use, so commands that never touch accounts never create it.
    Each thread gets its own connection; all are closed by :meth:`close`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._ready = False
        self._closed = False

    # -- connections -------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        with self._lock:
            if self._closed:
                raise StoreError(f"{self.path}: the credential store is closed")
            if not self._ready:
                self._prepare_file()
            try:
                conn = sqlite3.connect(
                    self.path, timeout=10.0, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._ready:
                    self._ensure_schema(conn)
                    self._ready = True
            except sqlite3.Error as e:
                raise StoreError(f"{self.path}: cannot open the credential store: {e}") from None
            self._connections.append(conn)
        self._local.conn = conn
        return conn

    def _prepare_file(self) -> None:
        """Create the file readable by its owner only, or make an existing one so."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                if self.path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                    os.chmod(self.path, 0o600)
        except OSError as e:
            raise StoreError(f"{self.path}: cannot create the credential store: {e}") from None

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise StoreError(
                f"{self.path}: the credential store has version {version}, newer than this "
                f"tool's {VERSION}; upgrade the tool"
            )
        conn.execute("PRAGMA journal_mode = WAL")
        if version < VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {VERSION}")
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``: it waits for other writers, up to the
        busy timeout, instead of failing half-way)."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from None

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._connection().execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {e}") from None

    def backup(self, target: str | Path) -> None:
        """Write a consistent copy of the whole file to ``target`` (a new file, mode 600),
        also while other processes use it."""
        target = Path(target)
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise StoreError(f"{target}: exists already; choose a new file") from None
        except OSError as e:
            raise StoreError(f"{target}: cannot be written: {e.strerror}") from None
        try:
            copy = sqlite3.connect(target)
            try:
                self._connection().backup(copy)
            finally:
                copy.close()
        except sqlite3.Error as e:
            target.unlink(missing_ok=True)
            raise StoreError(f"{self.path}: cannot be copied: {e}") from None

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    # -- accounts ----------------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        with self._write() as conn:
            taken = conn.execute(
                "SELECT 1 FROM accounts WHERE username = ?", (account.username,)
            ).fetchone()
            if taken:
                raise AccountExists(account.username)
            conn.execute(_INSERT, _row(account))

    def import_accounts(self, accounts: Iterable[Account]) -> int:
        """Add the accounts not stored yet (by username), in one transaction; how many were
        added. For moving accounts out of an older store's graph: run again after an
        interruption, it adds only what is missing."""
        added = 0
        with self._write() as conn:
            for account in accounts:
                added += conn.execute(_INSERT_NEW, _row(account)).rowcount
        return added

    def get_account(self, username: str) -> Account | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM accounts a WHERE a.username = ?", (username,))
        return _account(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        rows = self._read(f"SELECT {_COLUMNS} FROM accounts a ORDER BY a.username")
        return [_account(r) for r in rows]

    def set_role(self, username: str, role: str) -> None:
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        self._update(username, "role = ?", (role,))

    def set_scopes(
        self,
        username: str,
        *,
        partners: Iterable[str] = (),
        partnerships: Iterable[str] = (),
        countries: Iterable[str] = (),
    ) -> None:
        self._update(
            username,
            "partners = ?, partnerships = ?, countries = ?",
            tuple(json.dumps(sorted(set(ids))) for ids in (partners, partnerships, countries)),
        )

    def set_display_name(self, username: str, display_name: str) -> None:
        self._update(username, "display_name = ?", (display_name,))

    def set_password_hash(
        self, username: str, password_hash: str, *, end_sessions: bool = True
    ) -> None:
        with self._write() as conn:
            self._update_in(
                conn,
                username,
                "password_hash = ?, failed_logins = 0, locked_until = ''",
                (password_hash,),
            )
            if end_sessions:
                conn.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def set_disabled(self, username: str, disabled: bool) -> None:
        with self._write() as conn:
            self._update_in(conn, username, "disabled = ?", (int(bool(disabled)),))
            if disabled:
                conn.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def record_login_failure(self, username: str, *, locked_until: str = "") -> int:
        with self._write() as conn:
            self._update_in(
                conn,
                username,
                "failed_logins = failed_logins + 1, "
                "locked_until = CASE WHEN ? = '' THEN locked_until ELSE ? END",
                (locked_until, locked_until),
            )
            return int(
                conn.execute(
                    "SELECT failed_logins FROM accounts WHERE username = ?", (username,)
                ).fetchone()[0]
            )

    def record_login_success(self, username: str, *, at: str) -> None:
        self._update(username, "last_login = ?, failed_logins = 0, locked_until = ''", (at,))

    def _update(self, username: str, assignments: str, params: tuple[Any, ...]) -> None:
        with self._write() as conn:
            self._update_in(conn, username, assignments, params)

    @staticmethod
    def _update_in(
        conn: sqlite3.Connection, username: str, assignments: str, params: tuple[Any, ...]
    ) -> None:
        cursor = conn.execute(
            f"UPDATE accounts SET {assignments} WHERE username = ?", (*params, username)
        )
        if cursor.rowcount == 0:
            raise AccountNotFound(username)

    # -- sessions ----------------------------------------------------------------------------
    def start_session(self, username: str, *, lifetime: float, now: float | None = None) -> str:
        """A new session of ``username`` ending ``lifetime`` seconds from now; returns its id
        (random, 256 bits) for the user's cookie. Expired sessions are removed meanwhile."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        with self._write() as conn:
            conn.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
            if not conn.execute(
                "SELECT 1 FROM accounts WHERE username = ?", (username,)
            ).fetchone():
                raise AccountNotFound(username)
            conn.execute(
                "INSERT INTO sessions (id_hash, username, created, last_seen, expires) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_hash(token), username, now, now, now + lifetime),
            )
        return token

    def session_account(self, token: str, *, now: float | None = None) -> Account | None:
        """The account of the live session ``token``: None when the session ended, expired,
        or its account is disabled. Notes the session's last use (at most once a minute)."""
        if not token:
            return None
        now = time.time() if now is None else now
        key = session_hash(token)
        rows = self._read(
            f"SELECT {_COLUMNS}, s.last_seen FROM sessions s JOIN accounts a "
            "ON a.username = s.username WHERE s.id_hash = ? AND s.expires > ? AND a.disabled = 0",
            (key, now),
        )
        if not rows:
            return None
        *values, last_seen = rows[0]
        if now - last_seen >= TOUCH_SECONDS:
            with self._write() as conn:
                conn.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, key))
        return _account(tuple(values))

    def end_session(self, token: str) -> None:
        """End one session (signing out); nothing happens when it ended already."""
        with self._write() as conn:
            conn.execute("DELETE FROM sessions WHERE id_hash = ?", (session_hash(token),))

    def end_sessions(self, username: str) -> int:
        """End every session of ``username``; how many there were."""
        with self._write() as conn:
            return conn.execute("DELETE FROM sessions WHERE username = ?", (username,)).rowcount

    def session_count(self, username: str, *, now: float | None = None) -> int:
        """How many live sessions ``username`` has."""
        now = time.time() if now is None else now
        rows = self._read(
            "SELECT count(*) FROM sessions WHERE username = ? AND expires > ?", (username, now)
        )
        return int(rows[0][0])


_INSERT = (
    f"INSERT INTO accounts ({', '.join(ACCOUNT_FIELDS)}) "
    f"VALUES ({', '.join('?' for _ in ACCOUNT_FIELDS)})"
)
_INSERT_NEW = _INSERT.replace("INSERT", "INSERT OR IGNORE", 1)


def _row(account: Account) -> tuple[Any, ...]:
    values = []
    for field in ACCOUNT_FIELDS:
        value = getattr(account, field)
        if field in _SCOPES:
            value = json.dumps(list(value))
        elif field == "disabled":
            value = int(value)
        values.append(value)
    return tuple(values)


def _account(row: tuple[Any, ...]) -> Account:
    values = dict(zip(ACCOUNT_FIELDS, row, strict=True))
    for name in _SCOPES:
        values[name] = tuple(json.loads(values[name] or "[]"))
    values["disabled"] = bool(values["disabled"])
    values["failed_logins"] = int(values["failed_logins"] or 0)
    return Account(**values)
