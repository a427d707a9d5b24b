"""Evidence, priors and harvested outcomes in LadybugDB: the engine part of
:class:`graphdb.learning_store.LearningStore`, mixed into :class:`LadybugStore`.

One table, ``LearningChange`` (key ``uid``: record, key and version), holds the append-only
log; the record's JSON is text so the same rows fit Neo4j properties. An append runs in one
transaction and first proves that none of its uids exist, so a concurrent change of the same
record is refused before anything is written (a failed insert on a primary key is never
attempted: see :mod:`graphdb.ladybug_indicators`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from graphdb.ladybug_connection import LadybugConnection
from graphdb.learning_store import LearningChange, LearningConflict, LearningStore

__all__ = ["LadybugLearning"]

_SELECT = (
    "MATCH (c:LearningChange) RETURN c.record, c.key, c.version, c.saved_at, c.author, "
    "c.action, c.spec ORDER BY c.saved_at, c.record, c.key, c.version"
)


class LadybugLearning(LadybugConnection, LearningStore):
    """The LadybugDB implementation of the learning log (a mixin of LadybugStore)."""

    EXTRA_DDL: ClassVar[Sequence[str]] = (
        "CREATE NODE TABLE IF NOT EXISTS LearningChange(uid STRING, record STRING, key STRING, "
        "version INT64, saved_at STRING, author STRING, action STRING, spec STRING, "
        "PRIMARY KEY(uid))",
    )

    def learning_log(self) -> list[LearningChange]:
        # A store opened read-only from an older version has no table yet: nothing recorded.
        if "LearningChange" not in self._tables():
            return []
        return [
            LearningChange(record, key, int(version), saved, author or "", action, spec or "")
            for record, key, version, saved, author, action, spec in self._run(_SELECT)
        ]

    def _append_learning(self, changes: Sequence[LearningChange]) -> None:
        rows = [c.row() for c in changes]
        with self._transaction():
            taken = self._run(
                "UNWIND $uids AS u MATCH (c:LearningChange {uid: u}) RETURN u LIMIT 1",
                {"uids": [r["uid"] for r in rows]},
            )
            if taken:
                raise LearningConflict(
                    f"{taken[0][0]} was changed by someone else first; nothing was written. "
                    "Read again and retry."
                )
            self._run(
                "UNWIND $rows AS r CREATE (:LearningChange {uid: r.uid, record: r.record, "
                "key: r.key, version: CAST(r.version AS INT64), saved_at: r.saved_at, "
                "author: r.author, action: r.action, spec: r.spec})",
                {"rows": rows},
            )
