"""The one connection of an embedded store and its transactions: what the plan part
(:class:`graphdb.ladybug_store.LadybugStore`) and the indicator part
(:class:`graphdb.ladybug_indicators.LadybugIndicators`) of the store both run their Cypher on.

LadybugDB runs one transaction at a time per connection. :meth:`LadybugConnection.unit_of_work`
opens one for several writes; the writes inside join it (:meth:`_transaction` then opens
nothing), so they are committed, or rolled back, together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any, cast

import ladybug

from graphdb.errors import StoreError

__all__ = ["LadybugConnection"]


class LadybugConnection:
    """Cypher on the store's connection: reads, writes in transactions, Arrow results."""

    location: str
    _db: ladybug.Database | None
    _conn: ladybug.Connection | None
    _read_only: bool
    #: Raised by each commit: the query process opens the file again.
    _generation: int = 0
    #: Inside :meth:`unit_of_work`: writes join its transaction.
    _in_unit: bool = False

    def _connection(self) -> ladybug.Connection:
        if self._conn is None:
            raise StoreError(f"{self.location}: the store is closed")
        return self._conn

    def _execute(self, cypher: str, params: Mapping[str, Any] | None) -> ladybug.QueryResult:
        """Run one statement; engine errors become :class:`StoreError`."""
        try:
            result = self._connection().execute(cypher, dict(params or {}))
        except RuntimeError as e:
            raise StoreError(f"{self.location}: {e}") from None
        assert not isinstance(result, list), "one statement, one result"
        return result

    def _run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """The rows of one statement, each a list (the connection is not in dict mode)."""
        return cast(list[list[Any]], self._execute(cypher, params).get_all())

    def _arrow(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        """A query's result as an Arrow table (fast for many rows)."""
        return self._execute(cypher, params).get_as_arrow()

    def _tables(self) -> set[str]:
        """The names of the store's tables (a store of an older version lacks newer ones)."""
        return {row[0] for row in self._run("CALL show_tables() RETURN name")}

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """One transaction for every write made inside (see the module docstring)."""
        if self._in_unit:
            yield
            return
        with self._transaction():
            self._in_unit = True
            try:
                yield
            finally:
                self._in_unit = False

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._read_only:
            raise StoreError(f"{self.location}: opened read-only")
        if self._in_unit:  # part of the unit of work: committed (or rolled back) with it
            yield
            return
        self._run("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            # LadybugDB has already rolled back when one of its statements failed.
            with suppress(RuntimeError, StoreError):
                self._connection().execute("ROLLBACK")
            raise
        self._run("COMMIT")
        self._generation += 1
