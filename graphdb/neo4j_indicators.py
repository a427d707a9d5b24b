"""Indicator definitions and measurement revisions in Neo4j: the engine part of
:class:`graphdb.indicator_store.IndicatorStore`, mixed into :class:`Neo4jStore`.

The same nodes as in the embedded store (:mod:`graphdb.ladybug_indicators`), so the same
Cypher reads both:

* ``:Indicator`` (current definitions, unique ``code``) linked ``MEASURES`` to the outputs,
  outcomes, objectives and strategic objectives they measure;
* ``:IndicatorVersion``: every saved version of a definition (append-only, unique ``uid``
  ``code|version``);
* ``:MeasurementRevision``: the measurement log, one node per revision (append-only, unique
  ``uid``), its properties the record form of :mod:`indicators.records`. A missing number or
  text is an absent property (Neo4j has no null properties), read back as NaN or ``""``.

Writes run in one managed write transaction of parameterised ``UNWIND`` batches. An append
first takes the write lock of one ``StoreMeta`` node (``key: "measurement_appends"``, its
value the number of appends so far), so that appends are serialised: under Neo4j's
read-committed isolation the count check (and the check that no ``uid`` exists) would
otherwise not see a concurrent append. The unique constraint on ``uid`` stays as a last
guard. Reads build the same frame, with the same column types, as the embedded store.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pandas as pd

from graphdb.indicator_store import (
    IndicatorStore,
    IndicatorVersion,
    RevisionConflict,
    spec_json,
)
from graphdb.neo4j_session import Neo4jSession
from graphdb.store import chunks
from indicators.model import CAUSAL_MEASURABLE, Indicator
from indicators.record_columns import COLUMNS
from toc.kinds import CAUSAL_KINDS

if TYPE_CHECKING:
    import neo4j

__all__ = ["Neo4jIndicators"]

_T = TypeVar("_T")
_BATCH = 10_000
_INDICATOR_FIELDS = (
    "code",
    "title_nl",
    "title_en",
    "type",
    "unit",
    "direction",
    "frequency",
    "cumulative",
    "responsible",
    "illustrative",
    "spec",
)
_VERSION_FIELDS = ("uid", "code", "version", "saved_at", "author", "message", "spec", "removed")
_LOCK_KEY = "measurement_appends"
_MEASURABLE = "|".join(CAUSAL_MEASURABLE)
# One batch of revisions: a parameter per column, a list of equal length each.
_CREATE_REVISIONS = (
    "UNWIND range(0, size($uid) - 1) AS i CREATE (:MeasurementRevision {"
    + ", ".join(f"{c}: ${c}[i]" for c in COLUMNS)
    + "})"
)


class Neo4jIndicators(Neo4jSession, IndicatorStore):
    """The Neo4j implementation of the indicator storage (a part of Neo4jStore), on the
    store's connection (:class:`graphdb.neo4j_session.Neo4jSession`)."""

    EXTRA_SCHEMA: ClassVar[Sequence[str]] = (
        "CREATE CONSTRAINT Indicator_code IF NOT EXISTS FOR (i:Indicator) REQUIRE i.code IS UNIQUE",
        "CREATE CONSTRAINT IndicatorVersion_uid IF NOT EXISTS "
        "FOR (v:IndicatorVersion) REQUIRE v.uid IS UNIQUE",
        "CREATE CONSTRAINT MeasurementRevision_uid IF NOT EXISTS "
        "FOR (r:MeasurementRevision) REQUIRE r.uid IS UNIQUE",
        "CREATE INDEX MeasurementRevision_indicator IF NOT EXISTS "
        "FOR (r:MeasurementRevision) ON (r.indicator)",
        "CREATE INDEX MeasurementRevision_status IF NOT EXISTS "
        "FOR (r:MeasurementRevision) ON (r.status)",
    )
    EXTRA_NAMES: ClassVar[Mapping[str, Sequence[str]]] = {
        "label": ("Indicator", "IndicatorVersion", "MeasurementRevision"),
        "relationship type": ("MEASURES",),
        "property": tuple(dict.fromkeys([*_INDICATOR_FIELDS, *_VERSION_FIELDS, *COLUMNS])),
    }

    # -- definitions --------------------------------------------------------------------------
    def indicator_history(self) -> list[IndicatorVersion]:
        rows = self._read(
            "MATCH (v:IndicatorVersion) RETURN v.code, v.version, v.saved_at, v.author, "
            "v.message, v.spec, v.removed"
        )
        versions = [
            IndicatorVersion(
                code, int(version), saved, author or "", msg or "", spec or "", bool(removed)
            )
            for code, version, saved, author, msg, spec, removed in rows
        ]
        # Sorted here, by code point like the embedded store, whatever the server's collation.
        return sorted(versions, key=lambda v: (v.saved_at, v.code, v.version))

    def _write_indicators(
        self,
        upsert: Sequence[Indicator],
        remove: Sequence[str],
        versions: Sequence[IndicatorVersion],
    ) -> None:
        rows = [
            {
                "code": i.code,
                "title_nl": i.title.nl or None,
                "title_en": i.title.en or None,
                "type": i.type.value,
                "unit": i.unit or None,
                "direction": i.direction.value,
                "frequency": i.frequency.value,
                "cumulative": bool(i.cumulative),
                "responsible": i.responsible or None,
                "illustrative": bool(i.illustrative),
                "spec": spec_json(i),
            }
            for i in upsert
        ]
        links = [{"code": i.code, "node": node_id} for i in upsert for node_id in i.measures]
        version_rows = [
            {
                "uid": f"{v.code}|{v.version}",
                "code": v.code,
                "version": int(v.version),
                "saved_at": v.saved_at,
                "author": v.author,
                "message": v.message,
                "spec": v.spec,
                "removed": bool(v.removed),
            }
            for v in versions
        ]
        gone = [*remove, *(i.code for i in upsert)]

        def work(tx: neo4j.ManagedTransaction) -> None:
            for batch in chunks(gone, _BATCH):
                tx.run(
                    "MATCH (i:Indicator) WHERE i.code IN $codes DETACH DELETE i",
                    codes=list(batch),
                ).consume()
            for batch in chunks(rows, _BATCH):
                tx.run("UNWIND $rows AS r CREATE (i:Indicator) SET i = r", rows=batch).consume()
            # Only plan nodes of a measurable kind get a link, as in the embedded store.
            for batch in chunks(links, _BATCH):
                tx.run(
                    "UNWIND $rows AS r MATCH (i:Indicator {code: r.code}) "
                    f"MATCH (n:{_MEASURABLE}) WHERE n.id = r.node CREATE (i)-[:MEASURES]->(n)",
                    rows=batch,
                ).consume()
            for batch in chunks(version_rows, _BATCH):
                tx.run(
                    "UNWIND $rows AS r CREATE (v:IndicatorVersion) SET v = r", rows=batch
                ).consume()

        self._write(work)

    def contribution_graph(self) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
        def work(tx: neo4j.ManagedTransaction) -> tuple[dict[str, str], list]:
            kinds: dict[str, str] = {}
            for kind in CAUSAL_KINDS:
                ids = [record[0] for record in tx.run(f"MATCH (n:{kind}) RETURN n.id")]
                kinds.update(dict.fromkeys(ids, kind))
            links = [
                (s, t, 1.0 if w is None else float(w))
                for s, t, w in (
                    record.values()
                    for record in tx.run(
                        "MATCH (a)-[e:CONTRIBUTES_TO]->(b) RETURN a.id, b.id, e.weight"
                    )
                )
            ]
            return kinds, links

        return self._read_work(work)

    # -- measurement revisions -------------------------------------------------------------------
    def revision_count(self) -> int:
        return int(self._read("MATCH (r:MeasurementRevision) RETURN count(r)")[0][0])

    def _append_revision_frame(self, frame: pd.DataFrame, expected_count: int | None) -> None:
        columns = _columns(frame)
        uids = columns["uid"]

        def work(tx: neo4j.ManagedTransaction) -> None:
            # The lock (a real write, so always taken): concurrent appends wait here until
            # this transaction ends. The value counts the appends.
            tx.run(
                "MERGE (m:StoreMeta {key: $key}) "
                "SET m.value = toString(coalesce(toInteger(m.value), 0) + 1)",
                key=_LOCK_KEY,
            ).consume()
            count = tx.run("MATCH (r:MeasurementRevision) RETURN count(r)").single(strict=True)[0]
            if expected_count is not None and count != expected_count:
                raise RevisionConflict(
                    f"{count - expected_count} revision(s) were recorded since the data "
                    "was read; nothing was written. Read again and retry."
                )
            if count:
                _refuse_existing(tx, uids)
            for start in range(0, len(uids), _BATCH):
                batch = {c: values[start : start + _BATCH] for c, values in columns.items()}
                tx.run(_CREATE_REVISIONS, batch).consume()

        self._write(work)

    def _revision_table(
        self, cypher: str, params: Mapping[str, Any], columns: Sequence[str]
    ) -> pd.DataFrame:
        rows = self._read_work(lambda tx: [r.values() for r in tx.run(cypher, dict(params))])
        data = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
        return pd.DataFrame(
            {c: pd.Series(values, dtype=object) for c, values in zip(columns, data, strict=True)}
        )


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The frame as one list per column of plain Python values of the column's kind, None
    for a missing value (None, NaN): ``CREATE`` then leaves the property out, as the embedded
    store leaves the column null. Columns, not row maps: the driver packs lists of values in
    about half the time it needs for maps repeating every key."""
    columns: dict[str, list[Any]] = {}
    for name, kind in COLUMNS.items():
        column = frame[name]
        if kind == "float":
            values = pd.to_numeric(column, errors="raise").astype("float64").tolist()
            columns[name] = [None if math.isnan(v) else v for v in values]
        elif kind == "int":
            columns[name] = [int(v) for v in column.astype("int64").tolist()]
        elif kind == "bool":
            columns[name] = [bool(v) for v in column.astype(bool).tolist()]
        else:
            columns[name] = [None if _missing(v) else str(v) for v in column.tolist()]
    return columns


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _refuse_existing(tx: neo4j.ManagedTransaction, uids: list[str]) -> None:
    for batch in chunks(uids, _BATCH):
        taken = tx.run(
            "UNWIND $uids AS u MATCH (r:MeasurementRevision {uid: u}) RETURN u LIMIT 1",
            uids=list(batch),
        ).single()
        if taken is not None:
            raise RevisionConflict(
                f"revision {taken[0]} already exists: someone recorded it first; "
                "nothing was written. Read again and retry."
            )
