"""The connection of a Neo4j store to its server: sessions, read and write transactions, the
unit of work, and driver errors turned into store errors. What the plan part
(:class:`graphdb.neo4j_store.Neo4jStore`) and the indicator part
(:class:`graphdb.neo4j_indicators.Neo4jIndicators`) of the store both run their Cypher on.

Writes run in managed transactions, which the driver retries on transient errors. Inside
:meth:`Neo4jSession.unit_of_work` they join one explicit transaction instead (not retried:
the caller sees the error and nothing is written). That transaction is the opening thread's
own: the web app's other request threads keep writing in theirs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from graphdb.cypher_guard import QueryRefused
from graphdb.errors import (
    QueryMemoryExceeded,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)

__all__ = ["Neo4jSession", "first_line"]

_T = TypeVar("_T")


class Neo4jSession:
    """Cypher on a Neo4j server, in transactions; the store fills the attributes."""

    location: str
    #: Seconds an ad-hoc query may run before the server stops it.
    query_timeout: float = 30.0
    _driver: neo4j.Driver | None
    _database: str | None
    _user: str | None
    _bookmarks: neo4j.BookmarkManager
    _memory_limit_mb: int | None = None
    #: ``tx``: the transaction of this thread's open :meth:`unit_of_work`, if any.
    _units: threading.local

    @contextmanager
    def _errors(self, prefix: str = "", timeout: float | None = None) -> Iterator[None]:
        """Turn driver errors into store errors of one line (query errors keep the server's
        own explanation)."""
        if self._driver is None:
            raise StoreError(f"{self.location}: the store is closed")
        try:
            yield
        except neo4j_errors.AuthError:
            who = f"user {self._user!r}" if self._user else "no user"
            raise StoreUnavailable(
                f"{self.location}: Neo4j refused the credentials ({who}); set them in the URL, "
                "in NEO4J_USER and NEO4J_PASSWORD, or in the configuration file (TOC_CONFIG)"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as e:
            raise StoreUnavailable(
                f"{self.location}: cannot reach the Neo4j server ({_reason(e)}); is it running?"
            ) from None
        except neo4j_errors.ConstraintError as e:
            # Every write checks first what it creates, so only a concurrent writer gets here.
            raise StoreError(
                f"{self.location}: someone else changed the store at the same time; nothing "
                f"was written, try again ({e.message})"
            ) from None
        except neo4j_errors.Neo4jError as e:
            if e.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailable(
                    f"{self.location}: the server has no database {self._database!r}"
                ) from None
            if e.code and "TransactionTimedOut" in e.code:
                seconds = self.query_timeout if timeout is None else timeout
                where = prefix or self.location
                raise QueryTimeout(f"{where}: stopped after {seconds:g} s") from None
            if e.code and "MemoryPoolOutOfMemoryError" in e.code:
                limit = self._memory_limit_mb
                said = f" (limit {limit} MB)" if limit else ""
                raise QueryMemoryExceeded(
                    f"{prefix or self.location}: it used too much memory{said} and was stopped",
                    limit_mb=limit,
                ) from None
            if e.code == "Neo.ClientError.Statement.AccessMode":
                raise QueryRefused(
                    "only reading queries are allowed here; the store refused to write",
                    "read_only",
                    "",
                ) from None
            text = (e.message or str(e)).strip()
            first = text.splitlines()[0] if text else type(e).__name__
            raise StoreError(f"{prefix or self.location}: {first}") from None
        except neo4j_errors.DriverError as e:
            raise StoreUnavailable(f"{self.location}: {first_line(e)}") from None

    def _session(self, **config: Any) -> neo4j.Session:
        assert self._driver is not None
        config.setdefault("notifications_min_severity", "OFF")
        return self._driver.session(
            database=self._database, bookmark_manager=self._bookmarks, **config
        )

    def _read(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return [record.values() for record in tx.run(cypher, dict(params or {}))]

        with self._errors(), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one managed write transaction, retried on transient errors (in
        the transaction of :meth:`unit_of_work` when one is open: not retried)."""
        unit = self._open_unit()
        if unit is not None:
            with self._errors():
                return work(unit)  # type: ignore[arg-type]  # a Transaction runs like one
        with self._errors(), self._session() as session:
            return session.execute_write(work)

    def _open_unit(self) -> neo4j.Transaction | None:
        return getattr(self._units, "tx", None)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """One explicit transaction for every write this thread makes inside; other threads
        keep writing in their own transactions (a transaction belongs to one thread)."""
        if self._open_unit() is not None:
            yield
            return
        with self._errors(), self._session() as session:
            tx = session.begin_transaction()
            self._units.tx = tx
            try:
                yield
                tx.commit()
            except BaseException:
                with suppress(Exception):
                    tx.rollback()
                raise
            finally:
                self._units.tx = None
                tx.close()

    def _read_work(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one managed read transaction; the server sends each result whole
        instead of 1,000 records per request (about twice as fast for large results, which
        are read whole anyway)."""
        with self._errors(), self._session(fetch_size=-1) as session:
            return session.execute_read(work)


_REASON = re.compile(r"\(reason (.+)\)\s*$")


def _reason(error: BaseException) -> str:
    """The most telling line of a connection error (the driver puts the OS's reason last)."""
    lines = str(error).strip().splitlines()
    found = _REASON.search(lines[-1]) if lines else None
    return found.group(1) if found else first_line(error)


def first_line(error: BaseException) -> str:
    """The first line of an error's text (its type's name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
