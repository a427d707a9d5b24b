"""Indicator definitions and measurement revisions in LadybugDB: the engine part of
:class:`graphdb.indicator_store.IndicatorStore`, mixed into :class:`LadybugStore`.

Tables (created by the store's schema step from :attr:`EXTRA_DDL`):

* ``Indicator`` (current definitions, key ``code``) with ``MEASURES`` links to the outputs,
  outcomes, objectives and strategic objectives they measure;
* ``IndicatorVersion``: every saved version of a definition (append-only);
* ``MeasurementRevision``: the measurement log, one row per revision (append-only), in the
  record form of :mod:`indicators.records`; nested parts, evidence and flags are JSON text so
  the same rows fit Neo4j properties.

Bulk appends use ``COPY ... FROM`` a DataFrame (about 10x faster than ``UNWIND``, see
ENGINE-NOTES) inside an explicit transaction: LadybugDB rolls a COPY back with the
transaction, so an append is all-or-nothing. A COPY that hits an existing primary key is never
attempted: the append first proves that nothing was appended since the caller read the log
(the revision count, when the caller gives it) or that none of the new ids exist (primary-key
lookups), because a failed COPY followed by another write in one session can crash the
engine (observed with 0.22.0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from graphdb.indicator_store import (
    IndicatorStore,
    IndicatorVersion,
    RevisionConflict,
    spec_json,
)
from graphdb.ladybug_connection import LadybugConnection
from indicators.model import CAUSAL_MEASURABLE, Indicator
from indicators.record_columns import COLUMNS
from toc.kinds import CAUSAL_KINDS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["LadybugIndicators"]

_DB_TYPES = {"str": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN"}
_COPY_MIN_ROWS = 200
_CHECK_CHUNK = 20_000


def _revision_ddl() -> str:
    cols = ", ".join(f"{name} {_DB_TYPES[kind]}" for name, kind in COLUMNS.items())
    return f"CREATE NODE TABLE IF NOT EXISTS MeasurementRevision({cols}, PRIMARY KEY(uid))"


class LadybugIndicators(LadybugConnection, IndicatorStore):
    """The LadybugDB implementation of the indicator storage (a mixin of LadybugStore)."""

    EXTRA_DDL: ClassVar[Sequence[str]] = (
        "CREATE NODE TABLE IF NOT EXISTS Indicator(code STRING, title_nl STRING, "
        "title_en STRING, type STRING, unit STRING, direction STRING, frequency STRING, "
        "cumulative BOOLEAN, responsible STRING, illustrative BOOLEAN, spec STRING, "
        "PRIMARY KEY(code))",
        "CREATE REL TABLE IF NOT EXISTS MEASURES("
        + ", ".join(f"FROM Indicator TO {kind}" for kind in CAUSAL_MEASURABLE)
        + ")",
        "CREATE NODE TABLE IF NOT EXISTS IndicatorVersion(uid STRING, code STRING, "
        "version INT64, saved_at STRING, author STRING, message STRING, spec STRING, "
        "removed BOOLEAN, PRIMARY KEY(uid))",
        _revision_ddl(),
    )
    _absent_columns: frozenset[str] | None = None

    # -- definitions --------------------------------------------------------------------------
    def indicator_history(self) -> list[IndicatorVersion]:
        rows = self._run(
            "MATCH (v:IndicatorVersion) RETURN v.code, v.version, v.saved_at, v.author, "
            "v.message, v.spec, v.removed ORDER BY v.saved_at, v.code, v.version"
        )
        return [
            IndicatorVersion(code, version, saved, author or "", msg or "", spec or "", removed)
            for code, version, saved, author, msg, spec, removed in rows
        ]

    def _write_indicators(
        self,
        upsert: Sequence[Indicator],
        remove: Sequence[str],
        versions: Sequence[IndicatorVersion],
    ) -> None:
        ids = sorted({node_id for i in upsert for node_id in i.measures})
        kinds = {
            row[0]: kind
            for kind in CAUSAL_MEASURABLE
            for row in self._run(f"MATCH (n:{kind}) WHERE n.id IN $ids RETURN n.id", {"ids": ids})
        }
        rows = [
            {
                "code": i.code,
                "title_nl": i.title.nl or None,
                "title_en": i.title.en or None,
                "type": i.type.value,
                "unit": i.unit or None,
                "direction": i.direction.value,
                "frequency": i.frequency.value,
                "cumulative": i.cumulative,
                "responsible": i.responsible or None,
                "illustrative": i.illustrative,
                "spec": spec_json(i),
            }
            for i in upsert
        ]
        links: dict[str, list[dict[str, str]]] = {}
        for ind in upsert:
            for node_id in ind.measures:
                kind = kinds.get(node_id)
                if kind in CAUSAL_MEASURABLE:
                    links.setdefault(kind, []).append({"code": ind.code, "node": node_id})
        with self._transaction():
            gone = [*remove, *(i.code for i in upsert)]
            if gone:
                self._run(
                    "MATCH (i:Indicator) WHERE i.code IN $codes DETACH DELETE i", {"codes": gone}
                )
            if rows:
                self._run(
                    "UNWIND $rows AS r CREATE (:Indicator {code: r.code, title_nl: r.title_nl, "
                    "title_en: r.title_en, type: r.type, unit: r.unit, direction: r.direction, "
                    "frequency: r.frequency, cumulative: CAST(r.cumulative AS BOOLEAN), "
                    "responsible: r.responsible, illustrative: CAST(r.illustrative AS BOOLEAN), "
                    "spec: r.spec})",
                    {"rows": rows},
                )
            for kind, pairs in links.items():
                self._run(
                    f"UNWIND $rows AS r MATCH (i:Indicator {{code: r.code}}) "
                    f"MATCH (n:{kind} {{id: r.node}}) CREATE (i)-[:MEASURES]->(n)",
                    {"rows": pairs},
                )
            if versions:
                self._run(
                    "UNWIND $rows AS r CREATE (:IndicatorVersion {uid: r.uid, code: r.code, "
                    "version: CAST(r.version AS INT64), saved_at: r.saved_at, author: r.author, "
                    "message: r.message, spec: r.spec, removed: CAST(r.removed AS BOOLEAN)})",
                    {"rows": [{"uid": f"{v.code}|{v.version}", **v.__dict__} for v in versions]},
                )

    def contribution_graph(self) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
        kinds: dict[str, str] = {}
        for kind in CAUSAL_KINDS:
            ids = self._arrow(f"MATCH (n:{kind}) RETURN n.id AS id")["id"]
            kinds.update(dict.fromkeys(ids.to_pylist(), kind))
        table = self._arrow(
            "MATCH (a)-[e:CONTRIBUTES_TO]->(b) RETURN a.id AS s, b.id AS t, e.weight AS w"
        )
        weights = [1.0 if w is None else float(w) for w in table["w"].to_pylist()]
        links = list(zip(table["s"].to_pylist(), table["t"].to_pylist(), weights, strict=True))
        return kinds, links

    # -- measurement revisions -------------------------------------------------------------------
    def _revision_columns_held(self) -> set[str]:
        return {row[1] for row in self._run("CALL table_info('MeasurementRevision') RETURN *")}

    def _upgrade_revision_ddl(self) -> list[str]:
        """The columns a log made by an earlier version lacks (``files``), added at the end
        of the table: ``CREATE ... IF NOT EXISTS`` leaves an existing table as it was."""
        held = self._revision_columns_held()
        return [
            f"ALTER TABLE MeasurementRevision ADD {c} {_DB_TYPES[k]}"
            for c, k in COLUMNS.items()
            if c not in held
        ]

    def _absent_revision_columns(self) -> frozenset[str]:
        """The record columns an older store opened read-only does not hold yet (it gains them
        at its next read-write open); asked once per opening."""
        if self._absent_columns is None:
            self._absent_columns = frozenset(COLUMNS) - self._revision_columns_held()
        return self._absent_columns

    def revision_count(self, status: str | None = None) -> int:
        if status is None:
            return int(self._run("MATCH (r:MeasurementRevision) RETURN count(r)")[0][0])
        cypher = "MATCH (r:MeasurementRevision) WHERE r.status = $s RETURN count(r)"
        return int(self._run(cypher, {"s": status})[0][0])

    def _append_revision_frame(self, frame: pd.DataFrame, expected_count: int | None) -> None:
        with self._transaction():
            self._check_append(list(frame["uid"]), expected_count)
            if len(frame) >= _COPY_MIN_ROWS:
                self._run("COPY MeasurementRevision FROM $frame", {"frame": _arrow_rows(frame)})
            else:
                records = frame.astype(object).where(frame.notna(), None).to_dict("records")
                self._create_revisions(records)

    def _append_revision_columns(
        self, columns: dict[str, list[Any]], expected_count: int | None
    ) -> None:
        if len(columns["uid"]) >= _COPY_MIN_ROWS:
            super()._append_revision_columns(columns, expected_count)
            return
        with self._transaction():
            self._check_append(columns["uid"], expected_count)
            names = list(columns)
            self._create_revisions(
                [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
            )

    def _check_append(self, uids: list[str], expected_count: int | None) -> None:
        """Inside the append's transaction: refuse it when the log does not hold exactly
        ``expected_count`` revisions (when given), or else when a ``uid`` exists."""
        if expected_count is not None:
            count = self.revision_count()
            if count != expected_count:
                raise RevisionConflict(
                    f"{count - expected_count} revision(s) were recorded since the data "
                    "was read; nothing was written. Read again and retry."
                )
        else:
            self._refuse_existing(uids)

    def _create_revisions(self, records: Sequence[Mapping[Any, Any]]) -> None:
        """Create one revision node per record (None where a value is missing)."""
        assigns = ", ".join(
            f"{c}: r.{c}" if k == "str" else f"{c}: CAST(r.{c} AS {_DB_TYPES[k]})"
            for c, k in COLUMNS.items()
        )
        self._run(
            f"UNWIND $rows AS r CREATE (:MeasurementRevision {{{assigns}}})", {"rows": records}
        )

    def _refuse_existing(self, uids: list[str]) -> None:
        for start in range(0, len(uids), _CHECK_CHUNK):
            chunk = uids[start : start + _CHECK_CHUNK]
            taken = self._run(
                "UNWIND $uids AS u MATCH (r:MeasurementRevision {uid: u}) RETURN u LIMIT 1",
                {"uids": chunk},
            )
            if taken:
                raise RevisionConflict(
                    f"revision {taken[0][0]} already exists: someone recorded it first; "
                    "nothing was written. Read again and retry."
                )

    def _revision_table(
        self, cypher: str, params: Mapping[str, Any], columns: Sequence[str]
    ) -> pd.DataFrame:
        return self._arrow(cypher, params).to_pandas()

    def _revision_rows(self, cypher: str, params: Mapping[str, Any]) -> list[list[Any]]:
        return self._run(cypher, params)


def _arrow_rows(frame: pd.DataFrame) -> pa.Table:
    """The record frame as an Arrow table with the table's column types: LadybugDB copies
    Arrow columns about a third faster than pandas ones."""
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(name, kinds[kind]) for name, kind in COLUMNS.items()])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
