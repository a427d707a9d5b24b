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

Writes run in one managed write transaction of parameterised ``UNWIND`` batches, except a
large append, which is staged in bounded transactions and published by one small one
(:meth:`Neo4jIndicators._append_staged`). An append first takes the write lock of one
``StoreMeta`` node (``key: "measurement_appends"``, its value the number of appends so far),
so that appends are serialised: under Neo4j's read-committed isolation the count check (and
the check that no ``uid`` exists) would otherwise not see a concurrent append. The unique
constraint on ``uid`` stays as a last guard. Reads build the same frame, with the same
column types, as the embedded store.
"""

from __future__ import annotations

import functools
import math
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
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
_STAGED = "MeasurementRevisionStaged"
_STAGING_PREFIX = "staging:"


def _create_revisions(label: str, extra: str = "") -> str:
    """One batch of revisions as nodes of ``label``: a parameter per column, a list of equal
    length each (``extra``: more properties, e.g. the staging batch)."""
    props = ", ".join([*(f"{c}: ${c}[i]" for c in COLUMNS), *([extra] if extra else [])])
    return f"UNWIND range(0, size($uid) - 1) AS i CREATE (:{label} {{{props}}})"


_CREATE_REVISIONS = _create_revisions("MeasurementRevision")
_CREATE_STAGED = _create_revisions(_STAGED, "batch: $batch")


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
        "CREATE INDEX MeasurementRevision_recorded_at IF NOT EXISTS "
        "FOR (r:MeasurementRevision) ON (r.recorded_at)",
        "CREATE INDEX MeasurementRevision_status IF NOT EXISTS "
        "FOR (r:MeasurementRevision) ON (r.status)",
        f"CREATE INDEX {_STAGED}_batch IF NOT EXISTS FOR (r:{_STAGED}) ON (r.batch)",
    )
    EXTRA_NAMES: ClassVar[Mapping[str, Sequence[str]]] = {
        "label": ("Indicator", "IndicatorVersion", "MeasurementRevision", _STAGED),
        "relationship type": ("MEASURES",),
        "property": tuple(dict.fromkeys([*_INDICATOR_FIELDS, *_VERSION_FIELDS, *COLUMNS, "batch"])),
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
    def revision_count(self, status: str | None = None) -> int:
        if status is None:
            return int(self._read("MATCH (r:MeasurementRevision) RETURN count(r)")[0][0])
        cypher = "MATCH (r:MeasurementRevision) WHERE r.status = $s RETURN count(r)"
        return int(self._read(cypher, {"s": status})[0][0])

    #: Appends of more rows than this are staged (see :meth:`_append_staged`).
    stage_above_rows: ClassVar[int] = 20_000
    #: A staging batch not touched for this long belongs to an import that died.
    stale_staging_seconds: ClassVar[float] = 600.0

    def _append_revision_frame(self, frame: pd.DataFrame, expected_count: int | None) -> None:
        self._append_revision_columns(_columns(frame), expected_count)

    def _append_revision_columns(
        self, columns: dict[str, list[Any]], expected_count: int | None
    ) -> None:
        # Column lists of plain values (None where missing), as _columns makes of a frame.
        if len(columns["uid"]) > self.stage_above_rows and self._open_unit() is None:
            self._append_staged(columns, expected_count)
            return

        def work(tx: neo4j.ManagedTransaction) -> None:
            _check_and_lock(tx, columns["uid"], expected_count)
            for batch in _batches(columns):
                tx.run(_CREATE_REVISIONS, batch).consume()

        self._write(work)

    def _append_staged(self, columns: dict[str, list[Any]], expected_count: int | None) -> None:
        """Append many rows without one huge transaction, all or nothing all the same.

        One transaction holding every new node of a large import needs memory in proportion
        (a server that bounds a transaction at 256 MB refuses about 50,000 revisions).
        Instead the rows are first written as ``MeasurementRevisionStaged`` nodes, 10,000 per
        transaction, tagged with this append's batch id: no read of the measurement log sees
        that label. Then one transaction takes the append lock, makes the checks
        (``expected_count``, existing ids) and relabels the batch ``MeasurementRevision``, at
        a small cost per node: that commit is the moment the whole append appears. When it
        fails, or the program stops before it, the staged nodes are deleted (by this append,
        or by a later one once the batch is stale: :meth:`_clear_stale_staging`).
        """
        batch_id = uuid.uuid4().hex
        key = _STAGING_PREFIX + batch_id
        self._clear_stale_staging()
        try:
            for batch in _batches(columns):
                self._write(functools.partial(_stage, key=key, batch_id=batch_id, batch=batch))

            def publish(tx: neo4j.ManagedTransaction) -> None:
                _check_and_lock(tx, columns["uid"], expected_count)
                tx.run(
                    f"MATCH (r:{_STAGED} {{batch: $batch}}) "
                    "SET r:MeasurementRevision REMOVE r:MeasurementRevisionStaged",
                    batch=batch_id,
                ).consume()
                tx.run("MATCH (m:StoreMeta {key: $key}) DELETE m", key=key).consume()

            self._write(publish)
        except BaseException:
            with suppress(Exception):
                self._drop_staged(batch_id)
            raise
        # The batch id is not part of a revision: take it off again, in bounded transactions
        # (a program stopped here leaves only this extra property on some revisions).
        with self._errors(), self._session() as session:
            session.run(
                "MATCH (r:MeasurementRevision) WHERE r.batch = $batch "
                "CALL (r) { REMOVE r.batch } IN TRANSACTIONS OF 10000 ROWS",
                batch=batch_id,
            ).consume()

    def _drop_staged(self, batch_id: str) -> None:
        with self._errors(), self._session() as session:
            session.run(
                f"MATCH (r:{_STAGED} {{batch: $batch}}) "
                "CALL (r) { DETACH DELETE r } IN TRANSACTIONS OF 10000 ROWS",
                batch=batch_id,
            ).consume()
        self._write(
            lambda tx: tx.run(
                "MATCH (m:StoreMeta {key: $key}) DELETE m", key=_STAGING_PREFIX + batch_id
            ).consume()
        )

    def _clear_stale_staging(self) -> None:
        """Delete what appends that died while staging left behind (their batch untouched
        for :attr:`stale_staging_seconds`)."""
        cutoff = time.time() - self.stale_staging_seconds
        rows = self._read(
            "MATCH (m:StoreMeta) WHERE m.key STARTS WITH $prefix RETURN m.key, m.value",
            {"prefix": _STAGING_PREFIX},
        )
        for key, touched in rows:
            if float(touched or 0) < cutoff:
                self._drop_staged(key.removeprefix(_STAGING_PREFIX))

    def staged_revision_count(self) -> int:
        """Rows written by appends that are not (yet) part of the log: those of a running
        large append, or left by one that died (cleared by the next append once stale)."""
        return int(self._read(f"MATCH (r:{_STAGED}) RETURN count(r)")[0][0])

    def _revision_rows(self, cypher: str, params: Mapping[str, Any]) -> list[list[Any]]:
        return self._read_work(lambda tx: [r.values() for r in tx.run(cypher, dict(params))])

    def _revision_table(
        self, cypher: str, params: Mapping[str, Any], columns: Sequence[str]
    ) -> pd.DataFrame:
        rows = self._read_work(lambda tx: [r.values() for r in tx.run(cypher, dict(params))])
        data = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
        return pd.DataFrame(
            {c: pd.Series(values, dtype=object) for c, values in zip(columns, data, strict=True)}
        )


def _batches(columns: dict[str, list[Any]]) -> Iterator[dict[str, list[Any]]]:
    for start in range(0, len(columns["uid"]), _BATCH):
        yield {c: values[start : start + _BATCH] for c, values in columns.items()}


def _check_and_lock(
    tx: neo4j.ManagedTransaction, uids: list[str], expected_count: int | None
) -> None:
    """Take the append lock (a real write, so always taken: concurrent appends wait here
    until this transaction ends; the value counts the appends), then check that the log
    holds ``expected_count`` revisions and none of ``uids``."""
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


def _stage(
    tx: neo4j.ManagedTransaction, key: str, batch_id: str, batch: dict[str, list[Any]]
) -> None:
    """Write one batch of staged rows and note when the batch was last touched."""
    tx.run(
        "MERGE (m:StoreMeta {key: $key}) SET m.value = $now", key=key, now=str(time.time())
    ).consume()
    tx.run(_CREATE_STAGED, {**batch, "batch": batch_id}).consume()


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


def _refuse_existing(tx: neo4j.ManagedTransaction, uids: Sequence[str]) -> None:
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
