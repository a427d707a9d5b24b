"""The team store: a Neo4j 5 server over Bolt, through the official ``neo4j`` driver.

The graph reads naturally in Neo4j Browser: a node kind is a label (``:Objective``), an edge
kind a relationship type (``:CONTRIBUTES_TO``), and properties are the flattened rows of
:mod:`graphdb.rows` (``title_nl``, ``title_en``...), exactly as in the embedded store. Ids are
unique per label through constraints created, idempotently, on first connect; the schema
version and fingerprint live in ``StoreMeta`` nodes like in the embedded store.

Writes go in one managed write transaction (retried on transient errors) of ``UNWIND``
batches grouped by kind, always with parameters: labels and types come from
:mod:`toc.kinds` and are checked before they reach a query. Reads run in read transactions.

Evaluators' ad-hoc queries are checked by :func:`graphdb.cypher_guard.ensure_read_only`, then
run in a session in READ access mode (the server refuses every write), in a transaction with
a timeout, never retried; the server bounds its memory (``db.memory.transaction.max``: the
store warns once when the server says it is unlimited). Neo4j checks its timeout between rows,
so a single expression can run on; the store stops waiting after the timeout and a grace
period, asks the server to terminate the transaction, and answers :class:`QueryTimeout`.

Accounts and sessions are not in the graph but in a credential file
(:mod:`graphdb.credentials`); ``Account`` nodes of a store made by an older version are moved
there on open.

Example::

    store = Neo4jStore.from_url("neo4j://neo4j:secret@localhost:7687?database=neo4j")
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node as GraphNode
from neo4j.graph import Path as GraphPath
from neo4j.graph import Relationship as GraphRelationship

from graphdb import legacy_accounts
from graphdb.config import Settings, load_settings
from graphdb.credentials import CredentialStore, credentials_path
from graphdb.errors import PlanSavedMeanwhile
from graphdb.neo4j_indicators import Neo4jIndicators
from graphdb.neo4j_learning import Neo4jLearning
from graphdb.neo4j_session import first_line
from graphdb.plan_writes import write_changes, write_whole_plan
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
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    chunks,
    group_by,
    now_iso,
)
from graphdb.versions import BASES_CYPHER, CONTENTS_CYPHER, VersionContent
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.model import Edge, Node, Plan

__all__ = [
    "Neo4jStore",
    "Target",
    "parse_url",
    "schema_statements",
    "size_in_bytes",
    "transaction_memory_problem",
]

_LOG = logging.getLogger(__name__)
#: The server settings that bound the memory of one transaction.
MEMORY_SETTINGS = (
    "db.memory.transaction.max",
    "db.memory.transaction.total.max",
    "dbms.memory.transaction.total.max",
)
#: Seconds the store waits beyond a query's timeout before it gives up on the server.
GRACE_SECONDS = 2.0
#: Ad-hoc queries the server may still be running after the store gave up on them; beyond
#: this, new ones are refused until those end (each holds a connection of the pool).
MAX_ABANDONED = 2

_BATCH = 10_000
#: The ``StoreMeta`` entry every plan save writes first: saves wait for each other there.
_PLAN_LOCK_KEY = "lock:plan-save"
#: The data version in one read: counts of labels come from the server's count store.
_DATA_VERSION = (
    "CALL () { MATCH (r:PlanRevision) RETURN coalesce(max(r.version), 0) AS plan } "
    "CALL () { MATCH (v:IndicatorVersion) RETURN count(v) AS definitions } "
    "CALL () { MATCH (r:MeasurementRevision) RETURN count(r) AS revisions } "
    "CALL () { MATCH (c:LearningChange) RETURN count(c) AS learning } "
    "RETURN plan, definitions, revisions, learning"
)
_T = TypeVar("_T")
_REVISION_FIELDS = ("version", "saved_at", "author", "message", "nodes", "edges")
# Notifications about names the database has never seen; the query fails when the name is not
# part of our schema either (the embedded store refuses unknown tables and columns too).
_UNKNOWN_NAMES = {"01N50": "label", "01N51": "relationship type", "01N52": "property"}
_QUOTED = re.compile(r"`((?:[^`]|``)+)`")
# Only the "unrecognized name" notifications reach our own queries; see _check_notifications.
_QUIET_CLASSIFICATIONS = [
    c for c in neo4j.NotificationDisabledClassification if c.name != "UNRECOGNIZED"
]


def schema_statements(extra: Sequence[str] = ()) -> list[str]:
    """The schema as Cypher statements, each idempotent (``IF NOT EXISTS``)."""
    stmts = [
        "CREATE CONSTRAINT StoreMeta_key IF NOT EXISTS FOR (m:StoreMeta) REQUIRE m.key IS UNIQUE",
        "CREATE CONSTRAINT PlanRevision_version IF NOT EXISTS "
        "FOR (r:PlanRevision) REQUIRE r.version IS UNIQUE",
        "CREATE CONSTRAINT PlanVersionContent_version IF NOT EXISTS "
        "FOR (c:PlanVersionContent) REQUIRE c.version IS UNIQUE",
    ]
    for kind in NODE_KINDS:
        stmts.append(
            f"CREATE CONSTRAINT {kind}_id IF NOT EXISTS FOR (n:{kind}) REQUIRE n.id IS UNIQUE"
        )
    return stmts + list(extra)


class Neo4jStore(Neo4jLearning, Neo4jIndicators, GraphStore):
    """A plan graph in one database of a Neo4j server."""

    backend = "neo4j"
    thread_safe = True
    shared = True
    #: Mixins (accounts, indicators...) list their constraints and indexes in EXTRA_SCHEMA,
    #: and in EXTRA_NAMES ({"label"|"relationship type"|"property": names}) what they add that
    #: ad-hoc queries may name before any data has it.
    EXTRA_SCHEMA: ClassVar[Sequence[str]] = ()
    EXTRA_NAMES: ClassVar[Mapping[str, Sequence[str]]] = {}

    def __init__(
        self,
        uri: str,
        *,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
        location: str | None = None,
        credentials: str | Path | None = None,
    ) -> None:
        self.location = location or uri
        self._database = database
        self._user = auth[0] if auth else None
        self._driver: neo4j.Driver | None = None
        self._units = threading.local()
        where = credentials or credentials_path(
            self.location + (f"?database={database}" if database and not location else ""),
            neo4j=True,
        )
        self.credentials = CredentialStore(where)
        self._memory_checked = False
        self._memory_limit_mb: int | None = None
        self._abandoned: list[threading.Thread] = []
        _quiet_driver_notifications()
        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=10)
        except (neo4j_errors.DriverError, ValueError) as e:
            raise StoreUnavailable(f"{self.location}: {first_line(e)}") from None
        self._driver = driver
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        try:
            with self._errors():
                driver.verify_connectivity()
            self._ensure_schema()
            self._move_legacy_accounts()
            self.ensure_baseline()
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_url(cls, url: str) -> Neo4jStore:
        """Open the store at ``neo4j://[user:password@]host:port[?database=name]``; see
        :func:`parse_url` for where credentials and the database come from."""
        target = parse_url(url)
        return cls(
            target.address, auth=target.auth, database=target.database, location=target.location
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.close()
        self.credentials.close()

    def _move_legacy_accounts(self) -> None:
        """Move ``Account`` nodes of a store made by an older version into the credential
        store, then delete them and their constraint."""
        rows = self._read(f"MATCH (a:Account) RETURN {legacy_accounts.RETURN_FIELDS}")
        if not rows:
            return

        def remove() -> None:
            self._write(lambda tx: tx.run("MATCH (a:Account) DETACH DELETE a").consume())
            self._write(lambda tx: tx.run("DROP CONSTRAINT Account_username IF EXISTS").consume())

        legacy_accounts.move(rows, self.credentials, remove)

    @classmethod
    def extra_schema(cls) -> list[str]:
        """Statements of the schema parts beyond the plan, from each mixin's ``EXTRA_SCHEMA``."""
        return [
            stmt for base in reversed(cls.__mro__) for stmt in base.__dict__.get("EXTRA_SCHEMA", ())
        ]

    def _schema_statements(self) -> list[str]:
        return schema_statements(self.extra_schema())

    def _apply_schema(self, statements: Sequence[str], meta: Mapping[str, str]) -> None:
        """One statement per transaction: Neo4j cannot mix schema and data changes in one."""
        for stmt in statements:
            self._write(_statement(stmt))
        rows = [{"key": key, "value": value} for key, value in meta.items()]
        self._write(
            lambda tx: tx.run(
                "UNWIND $rows AS r MERGE (m:StoreMeta {key: r.key}) SET m.value = r.value",
                rows=rows,
            ).consume()
        )

    def plan_version(self) -> int:
        # one value, not the whole history (what the base reads): asked after each write
        return int(self._read("MATCH (r:PlanRevision) RETURN coalesce(max(r.version), 0)")[0][0])

    def data_version(self) -> DataVersion:
        plan, definitions, revisions, learning = self._read(_DATA_VERSION)[0]
        return DataVersion(int(plan), int(definitions), int(revisions), int(learning))

    def _meta(self, key: str) -> str | None:
        rows = self._read("MATCH (m:StoreMeta {key: $k}) RETURN m.value", {"k": key})
        return rows[0][0] if rows else None

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
        ends = {i for e in changes.delete_edges for i in (e.source, e.target)}
        old_kinds = self._kinds_of(ends) if ends else {}

        def work(tx: neo4j.ManagedTransaction) -> PlanRevision:
            # The save lock first (a real write, so always taken): a save of another process
            # waits here until this one ends, then reads the version this one wrote.
            tx.run(
                "MERGE (m:StoreMeta {key: $key}) "
                "SET m.value = toString(coalesce(toInteger(m.value), 0) + 1)",
                key=_PLAN_LOCK_KEY,
            ).consume()
            last = (
                tx.run("MATCH (r:PlanRevision) RETURN max(r.version)").single(strict=True)[0] or 0
            )
            if last != based_on or content.version != last + 1:
                raise PlanSavedMeanwhile(
                    f"{self.location}: someone else saved the plan meanwhile (now version "
                    f"{last}); nothing was written: load it again",
                    stored=last,
                )
            revision = PlanRevision(
                version=last + 1,
                saved_at=now_iso(),
                author=author,
                message=message,
                nodes=len(plan.nodes),
                edges=len(plan.edges),
            )
            write_changes(
                _Writer(tx),
                changes,
                plan=plan,
                old_kinds=old_kinds,
                revision=revision,
                content=content,
            )
            return revision

        return self._write(work)

    def _restore(
        self,
        plan: Plan,
        revisions: Sequence[PlanRevision],
        contents: Sequence[VersionContent],
    ) -> None:
        self._write(lambda tx: write_whole_plan(_Writer(tx), plan, revisions, contents))

    def _write_version_content(self, content: VersionContent) -> None:
        self._write(lambda tx: _Writer(tx).write_contents([content]))

    def _version_contents(self, first: int, last: int) -> list[VersionContent]:
        rows = self._read(CONTENTS_CYPHER, {"first": first, "last": last})
        return [VersionContent(*row) for row in rows]

    def _content_bases(self, first: int, last: int) -> dict[int, str]:
        rows = self._read(BASES_CYPHER, {"first": first, "last": last})
        return {version: base for version, base in rows}

    def _kinds_of(self, ids: set[str]) -> dict[str, str]:
        rows = self._read(
            f"MATCH (n:{_any_kind()}) WHERE n.id IN $ids RETURN n.id, labels(n)", {"ids": list(ids)}
        )
        return {node_id: _kind_of(labels) for node_id, labels in rows}

    # -- reads -------------------------------------------------------------------------------
    def nodes(self, kind: str | None = None) -> list[Node]:
        if kind is not None and kind not in NODE_KINDS:
            raise StoreError(f"unknown node kind {kind!r}")
        label = _label(kind) if kind else _any_kind()
        rows = self._read(f"MATCH (n:{label}) RETURN labels(n), properties(n)")
        order = {k: i for i, k in enumerate(NODE_KINDS)}
        out = [row_to_node(_kind_of(labels), props) for labels, props in rows]
        return sorted(out, key=lambda n: (order[n.kind], n.id))

    def get_node(self, node_id: str) -> Node | None:
        rows = self._read(
            f"MATCH (n:{_any_kind()}) WHERE n.id = $id RETURN labels(n), properties(n) LIMIT 1",
            {"id": node_id},
        )
        if not rows:
            return None
        labels, props = rows[0]
        return row_to_node(_kind_of(labels), props)

    def edges(self, kind: str | None = None) -> list[Edge]:
        if kind is not None and kind not in EDGE_KINDS:
            raise StoreError(f"unknown edge kind {kind!r}")
        types = _type(kind) if kind else "|".join(_type(k) for k in EDGE_KINDS)
        rows = self._read(f"MATCH (a)-[e:{types}]->(b) RETURN type(e), a.id, b.id, properties(e)")
        order = {k: i for i, k in enumerate(EDGE_KINDS)}
        out = [row_to_edge(k, s, t, props) for k, s, t, props in rows]
        return sorted(out, key=lambda e: (order[e.kind], e.source, e.target))

    def revisions(self) -> list[PlanRevision]:
        fields = ", ".join(f"r.{f}" for f in _REVISION_FIELDS)
        rows = self._read(f"MATCH (r:PlanRevision) RETURN {fields} ORDER BY r.version")
        return [PlanRevision(*row) for row in rows]

    def _read_query(
        self, cypher: str, params: dict[str, Any], seconds: float, row_limit: int | None
    ) -> QueryResult:
        self._check_memory_setting()
        self._abandoned = [t for t in self._abandoned if t.is_alive()]
        if len(self._abandoned) >= MAX_ABANDONED:
            raise QueryTimeout(
                f"query failed: the server is still running {len(self._abandoned)} earlier "
                "queries that were stopped; try again in a while"
            )
        tag = uuid.uuid4().hex
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = self._run_read_only(cypher, params, seconds, row_limit, tag)
            except BaseException as e:  # handed to the caller's thread
                outcome["error"] = e

        thread = threading.Thread(target=work, name="pathways-neo4j-query", daemon=True)
        thread.start()
        thread.join(seconds + GRACE_SECONDS)
        if thread.is_alive():
            # Neo4j checks its timeout between rows: one long expression runs on. Ask the
            # server to end it, and stop waiting for it.
            self._terminate(tag)
            thread.join(1.0)
        if thread.is_alive():
            self._abandoned.append(thread)
            raise QueryTimeout(f"query failed: stopped after {seconds:g} s")
        if "error" in outcome:
            raise outcome["error"]
        columns, rows, truncated, summary = outcome["value"]
        self._check_notifications(summary)
        return QueryResult(columns, rows, truncated)

    def _run_read_only(
        self, cypher: str, params: dict[str, Any], seconds: float, row_limit: int | None, tag: str
    ) -> tuple[list[str], list[tuple], bool, Any]:
        """One ad-hoc query in a READ session and an explicit transaction (not retried: a
        transient memory error must not run the query again)."""
        with (
            self._errors("query failed", timeout=seconds),
            self._session(
                default_access_mode=neo4j.READ_ACCESS,
                notifications_min_severity="WARNING",
                notifications_disabled_classifications=_QUIET_CLASSIFICATIONS,
            ) as session,
            session.begin_transaction(timeout=seconds, metadata={"pathways_query": tag}) as tx,
        ):
            result = tx.run(cypher, params)
            columns = list(result.keys())
            rows: list[tuple] = []
            truncated = False
            for record in result:
                if row_limit is not None and len(rows) >= row_limit:
                    truncated = True  # the rest is discarded with the transaction
                    break
                rows.append(tuple(_plain(v) for v in record.values()))
            summary = result.consume()
            tx.rollback()
        return columns, rows, truncated, summary

    def _terminate(self, tag: str) -> None:
        """Ask the server to end the ad-hoc query tagged ``tag`` (best effort: it may need
        rights the store's user lacks, or have ended meanwhile)."""
        with suppress(neo4j_errors.Neo4jError, neo4j_errors.DriverError), self._session() as s:
            ids = [
                r["id"]
                for r in s.run(
                    "SHOW TRANSACTIONS YIELD transactionId AS id, metaData "
                    "WHERE metaData.pathways_query = $tag RETURN id",
                    tag=tag,
                )
            ]
            if ids:
                s.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()

    def _check_memory_setting(self) -> None:
        """Once per store: warn when the server does not bound one transaction's memory, the
        only bound an ad-hoc query has on Neo4j (see docs/web.md)."""
        if self._memory_checked:
            return
        self._memory_checked = True
        try:
            with self._errors(), self._session(default_access_mode=neo4j.READ_ACCESS) as s:
                found = {
                    r["name"]: r["value"]
                    for r in s.run(
                        "SHOW SETTINGS YIELD name, value WHERE name IN $names RETURN name, value",
                        names=list(MEMORY_SETTINGS),
                    )
                }
        except StoreError as e:
            _LOG.warning(
                "%s: cannot read the server's transaction memory settings (%s); make sure "
                "db.memory.transaction.max is set (docs/web.md)",
                self.location,
                e,
            )
            return
        limit = size_in_bytes(found.get("db.memory.transaction.max", ""))
        self._memory_limit_mb = limit // (1024 * 1024) if limit else None
        problem = transaction_memory_problem(found)
        if problem:
            _LOG.warning("%s: %s", self.location, problem)

    def _check_notifications(self, summary: neo4j.ResultSummary) -> None:
        """Fail a query naming a label, type or property that is not in the schema, as the
        embedded store does; names of the schema the data does not use yet are fine."""
        extra: dict[str, list[str]] = {}
        for base in type(self).__mro__:
            for what, names in base.__dict__.get("EXTRA_NAMES", {}).items():
                extra.setdefault(what, []).extend(names)
        known = _known_names(extra)
        for status in summary.gql_status_objects:
            what = _UNKNOWN_NAMES.get(status.gql_status)
            if what is None:
                continue
            quoted = _QUOTED.search(status.status_description or "")
            name = quoted.group(1).replace("``", "`") if quoted else None
            if name not in known[what]:
                raise StoreError(f"query failed: there is no {what} {name or '?'} in this store")


class Target(NamedTuple):
    """Where and as whom to connect: the driver's address, auth, database, and the location
    shown in messages (the URL without credentials)."""

    address: str
    auth: tuple[str, str] | None
    database: str | None
    location: str


class _Writer:
    """The steps of a plan save in Neo4j's dialect (:class:`graphdb.plan_writes.PlanWriter`),
    in the transaction ``tx``: labels and types checked by :func:`_label` and :func:`_type`,
    properties set from typed rows (:func:`_typed`)."""

    def __init__(self, tx: neo4j.ManagedTransaction | neo4j.Transaction) -> None:
        self._tx = tx

    def delete_nodes(self, kind: str, ids: Sequence[str]) -> None:
        self._tx.run(
            f"MATCH (n:{_label(kind)}) WHERE n.id IN $ids DETACH DELETE n", ids=list(ids)
        ).consume()

    def write_contents(self, contents: Sequence[VersionContent]) -> None:
        for batch in chunks(contents, _BATCH):
            self._tx.run(
                "UNWIND $rows AS r CREATE (c:PlanVersionContent) SET c = r",
                rows=[c.__dict__ for c in batch],
            ).consume()

    def write_revisions(self, revisions: Sequence[PlanRevision]) -> None:
        for batch in chunks(revisions, _BATCH):
            self._tx.run(
                "UNWIND $rows AS r CREATE (v:PlanRevision) SET v = r",
                rows=[{f: getattr(r, f) for f in _REVISION_FIELDS} for r in batch],
            ).consume()

    def delete_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str]) -> None:
        groups = group_by(edges, lambda e: (e.kind, kinds[e.source], kinds[e.target]))
        for (kind, src, dst), items in groups.items():
            stmt = (
                f"UNWIND $rows AS r MATCH (a:{_label(src)} {{id: r.s}})-[e:{_type(kind)}]->"
                f"(b:{_label(dst)} {{id: r.t}}) DELETE e"
            )
            for batch in chunks(items, _BATCH):
                self._tx.run(stmt, rows=[{"s": e.source, "t": e.target} for e in batch]).consume()

    def write_nodes(self, kind: str, nodes: Sequence[Node], *, create: bool) -> None:
        """``SET n = row``: a None value leaves the property unset, as the embedded store
        leaves the column null."""
        cols = node_columns(kind)
        stmt = (
            f"UNWIND $rows AS r CREATE (n:{_label(kind)}) SET n = r"
            if create
            else f"UNWIND $rows AS r MATCH (n:{_label(kind)} {{id: r.id}}) SET n = r"
        )
        for batch in chunks(nodes, _BATCH):
            self._tx.run(stmt, rows=[_typed(node_to_row(n), cols) for n in batch]).consume()

    def write_edges(
        self,
        edges: Sequence[Edge],
        kinds: Mapping[str, str],
        *,
        create: bool,
    ) -> None:
        groups = group_by(edges, lambda e: (e.kind, kinds[e.source], kinds[e.target]))
        for (kind, src, dst), items in groups.items():
            a, b, t = _label(src), _label(dst), _type(kind)
            stmt = (
                f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}}) MATCH (b:{b} {{id: r.t}}) "
                f"CREATE (a)-[e:{t}]->(b) SET e = r.p"
                if create
                else f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}})-[e:{t}]->(b:{b} {{id: r.t}}) "
                "SET e = r.p"
            )
            cols = edge_columns(kind)
            for batch in chunks(items, _BATCH):
                rows = [
                    {"s": e.source, "t": e.target, "p": _typed(edge_to_row(e), cols)} for e in batch
                ]
                self._tx.run(stmt, rows=rows).consume()


def parse_url(
    url: str, environ: Mapping[str, str] = os.environ, settings: Settings | None = None
) -> Target:
    """Connection settings from a store URL, then ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
    ``NEO4J_DATABASE``, then the configuration file (:mod:`graphdb.config`). No user
    anywhere means no authentication; no database, the server's default.

    >>> t = parse_url("neo4j://ann:s%40cret@db.example.org:7687?database=plans", environ={})
    >>> t.address, t.auth, t.database, t.location
    ('neo4j://db.example.org:7687', ('ann', 's@cret'), 'plans', 'neo4j://db.example.org:7687?database=plans')
    >>> parse_url("bolt://localhost:7687", environ={"NEO4J_USER": "neo4j"}).auth
    ('neo4j', '')
    >>> parse_url("bolt://localhost:7687", {}, Settings(neo4j_user="ann", neo4j_password="pw")).auth
    ('ann', 'pw')
    """
    if settings is None:
        settings = load_settings(environ)
    parts = urlsplit(url)
    user = (
        unquote(parts.username)
        if parts.username
        else environ.get("NEO4J_USER") or settings.neo4j_user
    )
    if parts.password is not None:
        password = unquote(parts.password)
    elif "NEO4J_PASSWORD" in environ:
        password = environ["NEO4J_PASSWORD"]
    else:
        password = settings.neo4j_password or ""
    database = (
        parse_qs(parts.query).get("database", [""])[0]
        or environ.get("NEO4J_DATABASE")
        or settings.neo4j_database
        or None
    )
    address = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    location = address + (f"?database={database}" if database else "")
    return Target(address, (user, password) if user else None, database, location)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*$", re.IGNORECASE)


def size_in_bytes(text: str) -> int | None:
    """A memory setting as the server shows it, in bytes (0: unlimited; None: not a size).

    >>> size_in_bytes("256.00MiB"), size_in_bytes("0B"), size_in_bytes("1g"), size_in_bytes("")
    (268435456, 0, 1073741824, None)
    """
    found = _SIZE.match(text or "")
    if found is None:
        return None
    number, unit = float(found.group(1)), found.group(2).upper()
    return int(number * 1024 ** " KMGT".index(unit or " "))


def transaction_memory_problem(settings: Mapping[str, str]) -> str | None:
    """What is wrong with the server's transaction memory settings for ad-hoc queries (None
    when one transaction is bounded).

    >>> transaction_memory_problem({"db.memory.transaction.max": "256.00MiB"}) is None
    True
    >>> transaction_memory_problem({"db.memory.transaction.max": "0B"})[:72]
    'the server does not bound the memory of one transaction (db.memory.trans'
    >>> "(db.memory.transaction.max = not reported)" in transaction_memory_problem({})
    True
    """
    value = settings.get("db.memory.transaction.max", "")
    if size_in_bytes(value):
        return None
    shown = value or "not reported"
    return (
        f"the server does not bound the memory of one transaction "
        f"(db.memory.transaction.max = {shown}): one ad-hoc query can use all of the server's "
        "memory; set db.memory.transaction.max (e.g. 256m) in neo4j.conf"
    )


def _label(kind: str) -> str:
    """A node kind as a label for a query; only kinds of the schema get there."""
    if kind not in NODE_KINDS:
        raise StoreError(f"unknown node kind {kind!r}")
    return kind


def _type(kind: str) -> str:
    """An edge kind as a relationship type for a query; only kinds of the schema get there."""
    if kind not in EDGE_KINDS:
        raise StoreError(f"unknown edge kind {kind!r}")
    return kind


def _any_kind() -> str:
    """A label disjunction of every kind; Neo4j plans ``(n:A|B) WHERE n.id = ...`` as one
    unique-index seek per label."""
    return "|".join(NODE_KINDS)


def _kind_of(labels: Sequence[str]) -> str:
    """The node kind among a node's labels (Browser users may add labels of their own)."""
    return next((label for label in labels if label in NODE_KINDS), sorted(labels)[0])


_TO_PYTHON = {"int": int, "float": float}


def _typed(row: dict[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """Values as the column's type, like the embedded store's typed columns (an ``amount``
    of 100 reads back as 100.0 from both)."""
    for col, type_ in columns.items():
        convert = _TO_PYTHON.get(type_)
        if convert is not None and row.get(col) is not None:
            row[col] = convert(row[col])
    return row


def _known_names(extra: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    props = {"id", "key", "value", "base", "body", *_REVISION_FIELDS}
    for kind in NODE_KINDS:
        props.update(node_columns(kind))
    for kind in EDGE_KINDS:
        props.update(edge_columns(kind))
    return {
        "label": {
            *NODE_KINDS,
            "PlanRevision",
            "PlanVersionContent",
            "StoreMeta",
            *extra.get("label", ()),
        },
        "relationship type": {*EDGE_KINDS, *extra.get("relationship type", ())},
        "property": props | set(extra.get("property", ())),
    }


def _ordered(kind: str, props: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """Properties in the embedded store's column order (``id`` first), without nulls."""
    rank = {c: i for i, c in enumerate(["id", *columns])}
    items = sorted(props.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    return {"_kind": kind, **{k: _plain(v) for k, v in items if v is not None}}


def _plain(value: Any) -> Any:
    """Driver values as plain Python, shaped like the embedded store's: nodes and
    relationships become dicts with ``_kind``, paths ``{"_NODES": [...], "_RELS": [...]}``."""
    if isinstance(value, GraphNode):
        kind = _kind_of(list(value.labels)) if value.labels else ""
        return _ordered(kind, value, node_columns(kind) if kind in NODE_KINDS else {})
    if isinstance(value, GraphRelationship):
        kind = value.type
        return _ordered(kind, value, edge_columns(kind) if kind in EDGE_KINDS else {})
    if isinstance(value, GraphPath):
        return {
            "_NODES": [_plain(n) for n in value.nodes],
            "_RELS": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "to_native"):  # neo4j.time values
        return value.to_native()
    return value


def _statement(cypher: str) -> Callable[[neo4j.ManagedTransaction], None]:
    """The work of running one statement that returns nothing."""

    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(cypher).consume()

    return work


def _quiet_driver_notifications() -> None:
    """The driver logs every server notification as a warning; we turn the ones that matter
    into errors ourselves, so without a logging setup of the application they would only
    print noise. A NullHandler keeps them out of stderr but visible to configured logging."""
    logger = logging.getLogger("neo4j.notifications")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
