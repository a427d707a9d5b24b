"""The embedded default store: LadybugDB, one local file, Cypher, no server.

Node kinds are node tables and edge kinds relationship tables, created from
:mod:`toc.kinds` by one idempotent DDL script applied on open. Every write runs in one
transaction: LadybugDB rolls back by itself when a statement fails, and we roll back when
Python code fails between statements.

LadybugDB allows one read-write process per file; a second one gets :class:`StoreLocked`
with the holder's PID instead of an engine error. An open gets past what a program killed
while it wrote leaves behind: a torn write-ahead log, a checkpoint cut short
(:func:`open_database`).

Accounts and sessions are in the credential file beside the store (``X.lbug`` has
``X.lbug.credentials.sqlite``, :mod:`graphdb.credentials`); a store made by an older version,
with an ``Account`` table, has it moved there when it is opened. Ad-hoc queries
(:meth:`query`) never run on this process's connection: a :class:`QueryWorker` process opens
the file read-only, bounded in memory and time.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ladybug

from graphdb import legacy_accounts
from graphdb.credentials import CredentialStore, credentials_path
from graphdb.ladybug_indicators import LadybugIndicators
from graphdb.ladybug_learning import LadybugLearning
from graphdb.plan_writes import write_changes, write_whole_plan
from graphdb.query_worker import QueryWorker
from graphdb.rows import (
    edge_columns,
    edge_to_row,
    node_columns,
    node_to_row,
    row_to_edge,
    row_to_node,
)
from graphdb.store import (
    DataVersion,
    GraphStore,
    PlanChanges,
    PlanRevision,
    QueryResult,
    StoreError,
    StoreLocked,
    StoreUnavailable,
    chunks,
    group_by,
    now_iso,
)
from graphdb.versions import BASES_CYPHER, CONTENTS_CYPHER, VersionContent
from graphdb.wal_recovery import keep_torn_log, replay_left_log
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.model import Edge, Node, Plan

__all__ = ["LadybugStore", "open_database", "schema_ddl"]

_TYPES = {
    "str": "STRING",
    "text": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "STRING",
    "strings": "STRING[]",
}
_BATCH = 5_000


def schema_ddl() -> list[str]:
    """The DDL statements of the schema, each idempotent (``IF NOT EXISTS``)."""
    ddl = [
        "CREATE NODE TABLE IF NOT EXISTS StoreMeta(key STRING, value STRING, PRIMARY KEY(key))",
        "CREATE NODE TABLE IF NOT EXISTS PlanRevision(version INT64, saved_at STRING, "
        "author STRING, message STRING, nodes INT64, edges INT64, PRIMARY KEY(version))",
        "CREATE NODE TABLE IF NOT EXISTS PlanVersionContent(version INT64, base STRING, "
        "body STRING, PRIMARY KEY(version))",
    ]
    for kind in NODE_KINDS:
        cols = ", ".join(f"{c} {_TYPES[t]}" for c, t in node_columns(kind).items())
        ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {kind}(id STRING, {cols}, PRIMARY KEY(id))")
    for name, ek in EDGE_KINDS.items():
        pairs = ", ".join(f"FROM {s} TO {t}" for s in ek.sources for t in ek.targets)
        cols = "".join(f", {c} {_TYPES[t]}" for c, t in edge_columns(name).items())
        ddl.append(f"CREATE REL TABLE IF NOT EXISTS {name}({pairs}{cols})")
    return ddl


class LadybugStore(LadybugLearning, LadybugIndicators, GraphStore):
    """A plan graph in one LadybugDB file."""

    backend = "ladybug"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        path = Path(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise StoreUnavailable(f"{path}: no store here (run `toc init` or `toc load` first)")
        self.credentials = CredentialStore(credentials_path(self.location))
        self._worker: QueryWorker | None = None
        self._db = open_database(path, read_only=read_only)
        self._conn = ladybug.Connection(self._db)
        self._read_only = read_only
        try:
            if not read_only:
                self._ensure_schema()
            self._move_legacy_accounts()
            if not read_only:
                self.ensure_baseline()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        self._conn = self._db = None
        worker, self._worker = getattr(self, "_worker", None), None
        if worker is not None:
            worker.close()
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()
        credentials = getattr(self, "credentials", None)
        if credentials is not None:
            credentials.close()

    def _move_legacy_accounts(self) -> None:
        """Move the ``Account`` table of a store made by an older version into the credential
        store (read-only: copy them, the table goes at the next read-write open)."""
        if "Account" not in self._tables():
            return
        rows = self._run(f"MATCH (a:Account) RETURN {legacy_accounts.RETURN_FIELDS}")

        def remove() -> None:
            if not self._read_only:
                self._run("DROP TABLE Account")
                self._generation += 1

        legacy_accounts.move(rows, self.credentials, remove)

    def _schema_statements(self) -> list[str]:
        return schema_ddl() + self.extra_ddl()

    def _apply_schema(self, statements: Sequence[str], meta: Mapping[str, str]) -> None:
        """All in one transaction: LadybugDB applies DDL transactionally."""
        with self._transaction():
            for stmt in statements:
                self._run(stmt)
            for stmt in self._upgrade_ddl():  # read once the tables exist
                self._run(stmt)
            for key, value in meta.items():
                self._run("MERGE (m:StoreMeta {key: $k}) SET m.value = $v", {"k": key, "v": value})

    def _upgrade_ddl(self) -> list[str]:
        """What a store made by an earlier schema lacks: ``CREATE ... IF NOT EXISTS`` leaves an
        existing table as it was, so a field added to a kind (a column) or a kind added to the
        ends a link may join (a FROM/TO pair) is added here."""
        stmts = []
        tables = {kind: node_columns(kind) for kind in NODE_KINDS}
        tables |= {name: edge_columns(name) for name in EDGE_KINDS}
        for table, columns in tables.items():
            have = {row[1] for row in self._run(f"CALL table_info('{table}') RETURN *")}
            stmts += [
                f"ALTER TABLE {table} ADD {c} {_TYPES[t]}"
                for c, t in columns.items()
                if c not in have
            ]
        stmts += self._upgrade_revision_ddl()
        for name, ek in EDGE_KINDS.items():
            pairs = {(r[0], r[1]) for r in self._run(f"CALL show_connection('{name}') RETURN *")}
            stmts += [
                f"ALTER TABLE {name} ADD FROM {src} TO {dst}"
                for src in ek.sources
                for dst in ek.targets
                if (src, dst) not in pairs
            ]
        return stmts

    @classmethod
    def extra_ddl(cls) -> list[str]:
        """DDL of the schema parts beyond the plan: each mixin of this class (indicators,
        accounts...) lists its tables in a class attribute ``EXTRA_DDL``."""
        return [
            stmt for base in reversed(cls.__mro__) for stmt in base.__dict__.get("EXTRA_DDL", ())
        ]

    def _meta(self, key: str) -> str | None:
        # Ask for the table first: LadybugDB caches a query that failed for a missing table
        # and keeps failing it after the table is created.
        if "StoreMeta" not in self._tables():
            return None
        rows = self._run("MATCH (m:StoreMeta) WHERE m.key = $k RETURN m.value", {"k": key})
        return rows[0][0] if rows else None

    def plan_version(self) -> int:
        # one value, not the whole history (what the base reads): asked after each write
        return int(self._run("MATCH (r:PlanRevision) RETURN max(r.version)")[0][0] or 0)

    def data_version(self) -> DataVersion:
        counts = [
            self._run(f"MATCH (x:{table}) RETURN count(x)")[0][0]
            for table in ("IndicatorVersion", "MeasurementRevision", "LearningChange")
        ]
        return DataVersion(self.plan_version(), *(int(c) for c in counts))

    # -- writes ------------------------------------------------------------------------------
    def _apply(
        self,
        changes: PlanChanges,
        *,
        author: str,
        message: str,
        plan: Plan,
        based_on: int,
        content: VersionContent,
    ) -> PlanRevision:
        # one writing program at a time (the file lock) and one call at a time in it: the
        # plan is still at ``based_on``
        if content.version != based_on + 1:
            raise StoreError(
                f"{self.location}: the version content is for version {content.version}, "
                f"not {based_on + 1}; nothing was written"
            )
        revision = PlanRevision(
            version=based_on + 1,
            saved_at=now_iso(),
            author=author,
            message=message,
            nodes=len(plan.nodes),
            edges=len(plan.edges),
        )
        old_kinds = {n.id: n.kind for n in self.nodes()}
        with self._transaction():
            write_changes(
                _Writer(self._run),
                changes,
                plan=plan,
                old_kinds=old_kinds,
                revision=revision,
                content=content,
            )
        return revision

    def _write_version_content(self, content: VersionContent) -> None:
        with self._transaction():
            _Writer(self._run).write_contents([content])

    def _version_contents(self, first: int, last: int) -> list[VersionContent]:
        rows = self._run(CONTENTS_CYPHER, {"first": first, "last": last})
        return [VersionContent(*row) for row in rows]

    def _content_bases(self, first: int, last: int) -> dict[int, str]:
        rows = self._run(BASES_CYPHER, {"first": first, "last": last})
        return {version: base for version, base in rows}

    def _restore(
        self,
        plan: Plan,
        revisions: Sequence[PlanRevision],
        contents: Sequence[VersionContent],
    ) -> None:
        with self._transaction():
            write_whole_plan(_Writer(self._run), plan, revisions, contents)

    # -- reads -------------------------------------------------------------------------------
    def nodes(self, kind: str | None = None) -> list[Node]:
        out: list[Node] = []
        for k in [kind] if kind else NODE_KINDS:
            if k not in NODE_KINDS:
                raise StoreError(f"unknown node kind {k!r}")
            for (row,) in self._run(f"MATCH (n:{k}) RETURN n ORDER BY n.id"):
                out.append(row_to_node(k, row))
        return out

    def get_node(self, node_id: str) -> Node | None:
        labels = "|".join(NODE_KINDS)
        rows = self._run(f"MATCH (n:{labels}) WHERE n.id = $id RETURN n", {"id": node_id})
        if not rows:
            return None
        row = rows[0][0]
        return row_to_node(row["_LABEL"], row)

    def edges(self, kind: str | None = None) -> list[Edge]:
        out: list[Edge] = []
        for k in [kind] if kind else EDGE_KINDS:
            if k not in EDGE_KINDS:
                raise StoreError(f"unknown edge kind {k!r}")
            rows = self._run(f"MATCH (a)-[e:{k}]->(b) RETURN a.id, b.id, e ORDER BY a.id, b.id")
            out.extend(row_to_edge(k, s, t, e) for s, t, e in rows)
        return out

    def revisions(self) -> list[PlanRevision]:
        rows = self._run(
            "MATCH (r:PlanRevision) RETURN r.version, r.saved_at, r.author, r.message, "
            "r.nodes, r.edges ORDER BY r.version"
        )
        return [PlanRevision(*row) for row in rows]

    def _read_query(
        self, cypher: str, params: dict[str, Any], seconds: float, row_limit: int | None
    ) -> QueryResult:
        self._connection()  # refuses a closed store
        if self._worker is None:
            self._worker = QueryWorker(self.location, memory_mb=self.query_memory_mb)
        self._worker.memory_mb = self.query_memory_mb
        columns, rows, truncated = self._worker.run(
            cypher, params, seconds=seconds, row_limit=row_limit, generation=self._generation
        )
        return QueryResult(columns, rows, truncated)


class _Writer:
    """The steps of a plan save in LadybugDB's dialect (:class:`graphdb.plan_writes.PlanWriter`):
    tables are named by kind, relationship tables by their two ends, and typed columns take
    cast parameters (:func:`_param`)."""

    def __init__(self, run: Callable[[str, Mapping[str, Any]], list[list[Any]]]) -> None:
        self._run = run

    def delete_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str]) -> None:
        groups = group_by(edges, lambda e: (e.kind, kinds[e.source], kinds[e.target]))
        for (kind, src, dst), items in groups.items():
            stmt = (
                f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}})-[e:{kind}]->(b:{dst} {{id: r.t}}) "
                "DELETE e"
            )
            for batch in chunks(items, _BATCH):
                self._run(stmt, {"rows": [{"s": e.source, "t": e.target} for e in batch]})

    def delete_nodes(self, kind: str, ids: Sequence[str]) -> None:
        self._run(f"MATCH (n:{kind}) WHERE n.id IN $ids DETACH DELETE n", {"ids": list(ids)})

    def write_nodes(self, kind: str, nodes: Sequence[Node], *, create: bool) -> None:
        cols = node_columns(kind)
        assigns = ", ".join(["id: r.id", *(f"{c}: {_param(c, t)}" for c, t in cols.items())])
        sets = ", ".join(f"n.{c} = {_param(c, t)}" for c, t in cols.items())
        stmt = (
            f"UNWIND $rows AS r CREATE (n:{kind} {{{assigns}}})"
            if create
            else f"UNWIND $rows AS r MATCH (n:{kind} {{id: r.id}}) SET {sets}"
        )
        for batch in chunks(nodes, _BATCH):
            self._run(stmt, {"rows": [node_to_row(n) for n in batch]})

    def write_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str], *, create: bool) -> None:
        groups = group_by(edges, lambda e: (e.kind, kinds[e.source], kinds[e.target]))
        for (kind, src, dst), items in groups.items():
            cols = edge_columns(kind)
            match = f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}}) MATCH (b:{dst} {{id: r.t}}) "
            if create:
                assigns = ", ".join(f"{c}: {_param(c, t)}" for c, t in cols.items())
                stmt = match + f"CREATE (a)-[e:{kind} {{{assigns}}}]->(b)"
            else:
                sets = ", ".join(f"e.{c} = {_param(c, t)}" for c, t in cols.items())
                stmt = (
                    f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}})-[e:{kind}]->"
                    f"(b:{dst} {{id: r.t}}) SET {sets}"
                )
            if not cols and create:
                stmt = match + f"CREATE (a)-[e:{kind}]->(b)"
            for batch in chunks(items, _BATCH):
                rows = [{"s": e.source, "t": e.target, **edge_to_row(e)} for e in batch]
                self._run(stmt, {"rows": rows})

    def write_revisions(self, revisions: Sequence[PlanRevision]) -> None:
        for batch in chunks(revisions, _BATCH):
            self._run(
                "UNWIND $rows AS r CREATE (:PlanRevision {version: r.version, "
                "saved_at: r.saved_at, author: r.author, message: r.message, "
                "nodes: r.nodes, edges: r.edges})",
                {"rows": [r.__dict__ for r in batch]},
            )

    def write_contents(self, contents: Sequence[VersionContent]) -> None:
        for batch in chunks(contents, _BATCH):
            self._run(
                "UNWIND $rows AS r CREATE (:PlanVersionContent {version: r.version, "
                "base: r.base, body: r.body})",
                {"rows": [c.__dict__ for c in batch]},
            )


def _param(column: str, type_: str) -> str:
    """``r.column`` cast to the column's type: LadybugDB types a list of all-null values as
    STRING, which it then refuses to store in a typed column."""
    db_type = _TYPES[type_]
    return f"r.{column}" if db_type == "STRING" else f"CAST(r.{column} AS {db_type})"


_LOCK = re.compile(r"Lock is held by PID (\d+)")
_RECOVERY_PENDING = "checkpoint recovery is pending"
_TORN_LOG = "the WAL file is corrupted"
#: How long a read-only open waits for another program to finish its checkpoint.
RECOVERY_WAIT_SECONDS = 10.0

log = logging.getLogger(__name__)


def open_database(path: Path, *, read_only: bool = False) -> ladybug.Database:
    """Open the LadybugDB file, read-only or read-write; engine errors become StoreErrors.

    Two things a program killed while it wrote leaves behind, and how an open gets past them:

    - **A torn write-ahead log.** Killed while it appended a transaction to ``<file>.wal``,
      the log ends in a record cut short, and the engine refuses the whole file ("Checksum
      verification failed, the WAL file is corrupted"), committed transactions and all. The
      log is replayed up to its last whole record instead (``throw_on_wal_replay_failure``
      off): every committed transaction, none of the cut one. A read-only open always reads
      that way: it is also what it meets while a live writer appends. A read-write open
      first keeps a copy of the log (``<file>.wal.torn-<time>``, see
      :func:`graphdb.wal_recovery.keep_torn_log`),
      since the engine then cuts the log back to its last whole record.
    - **A checkpoint cut short.** Killed while it checkpointed (moving its log into the
      file), it leaves the recovery to the next read-write open; until then every read-only
      open is refused with "checkpoint recovery is pending" (seen in about 1 of 20 kill -9
      drills during CHECKPOINT). A read-only open that meets it opens the file read-write
      once, which lets the engine finish the checkpoint from its shadow and log files, and
      opens read-only again. When another program holds the file (a live writer,
      checkpointing at that moment), it waits for that checkpoint to end instead, for up to
      :data:`RECOVERY_WAIT_SECONDS`.

    Before either, a log left by a killed writer is replayed in a child process
    (:func:`graphdb.wal_recovery.replay_left_log`): the engine has been seen to crash on
    such a log, and a crash there must not take this process down.
    """
    replay_left_log(path)
    deadline = time.monotonic() + RECOVERY_WAIT_SECONDS
    while True:
        try:
            if read_only:
                return ladybug.Database(
                    str(path), read_only=True, throw_on_wal_replay_failure=False
                )
            return _open_read_write(path)
        except RuntimeError as e:
            if not read_only or _RECOVERY_PENDING not in str(e):
                raise _open_error(path, e) from None
            if time.monotonic() > deadline:
                raise _open_error(path, e) from None
        try:
            _open_read_write(path).close()  # the engine completes the recovery
        except RuntimeError as e:
            if "Could not set lock" not in str(e):
                raise _open_error(path, e) from None
            time.sleep(0.1)  # a live writer is checkpointing: let it finish


def _open_read_write(path: Path) -> ladybug.Database:
    try:
        return ladybug.Database(str(path))
    except RuntimeError as e:
        if _TORN_LOG not in str(e):
            raise
    kept = keep_torn_log(Path(f"{path}.wal"))
    log.warning(
        "%s: its write-ahead log ended in a write cut short (a program stopped while it "
        "saved); replaying its committed writes only. The log as found is kept in %s.",
        path,
        kept,
    )
    return ladybug.Database(str(path), throw_on_wal_replay_failure=False)


def _open_error(path: Path, error: RuntimeError) -> StoreError:
    text = str(error)
    held = _LOCK.search(text)
    if "Could not set lock" in text:
        holder = f" (process {held.group(1)})" if held else ""
        return StoreLocked(
            f"{path}: the store is in use by another program{holder}. "
            "Stop it (e.g. the web app) or point --store at another file."
        )
    if _RECOVERY_PENDING in text:
        return StoreUnavailable(
            f"{path}: a program stopped while it was saving the store, and the recovery could "
            f"not be finished here. Run `toc --store {path} init` once (it opens the store "
            "for writing, which completes the recovery), then try again."
        )
    return StoreUnavailable(f"{path}: cannot open the store: {text}")
