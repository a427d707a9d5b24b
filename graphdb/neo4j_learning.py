"""Evidence, priors and harvested outcomes in Neo4j: the engine part of
:class:`graphdb.learning_store.LearningStore`, mixed into :class:`Neo4jStore`.

The same nodes as in the embedded store (:mod:`graphdb.ladybug_learning`): ``:LearningChange``,
one per change, unique ``uid`` (record, key and version). An append is one managed write
transaction; it checks that none of its uids exist, and the unique constraint refuses a
concurrent writer of the same version (reported as a store error, nothing written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from graphdb.learning_store import (
    CHANGE_FIELDS,
    LearningChange,
    LearningConflict,
    LearningStore,
)
from graphdb.neo4j_session import Neo4jSession

if TYPE_CHECKING:
    import neo4j

__all__ = ["Neo4jLearning"]

_T = TypeVar("_T")


class Neo4jLearning(Neo4jSession, LearningStore):
    """The Neo4j implementation of the learning log (a mixin of Neo4jStore)."""

    EXTRA_SCHEMA: ClassVar[Sequence[str]] = (
        "CREATE CONSTRAINT LearningChange_uid IF NOT EXISTS "
        "FOR (c:LearningChange) REQUIRE c.uid IS UNIQUE",
    )
    EXTRA_NAMES: ClassVar[Mapping[str, Sequence[str]]] = {
        "label": ("LearningChange",),
        "property": CHANGE_FIELDS,
    }

    def learning_log(self) -> list[LearningChange]:
        rows = self._read(
            "MATCH (c:LearningChange) RETURN c.record, c.key, c.version, c.saved_at, "
            "c.author, c.action, c.spec"
        )
        changes = [
            LearningChange(record, key, int(version), saved, author or "", action, spec or "")
            for record, key, version, saved, author, action, spec in rows
        ]
        # Sorted here, by code point like the embedded store, whatever the server's collation.
        return sorted(changes, key=lambda c: (c.saved_at, c.record, c.key, c.version))

    def _append_learning(self, changes: Sequence[LearningChange]) -> None:
        rows = [c.row() for c in changes]

        def work(tx: neo4j.ManagedTransaction) -> None:
            taken = tx.run(
                "UNWIND $uids AS u MATCH (c:LearningChange {uid: u}) RETURN u LIMIT 1",
                uids=[r["uid"] for r in rows],
            ).values()
            if taken:
                raise LearningConflict(
                    f"{taken[0][0]} was changed by someone else first; nothing was written. "
                    "Read again and retry."
                )
            tx.run("UNWIND $rows AS r CREATE (c:LearningChange) SET c = r", rows=rows).consume()

        self._write(work)
