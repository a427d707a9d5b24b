"""The storage seam: one small interface every engine implements, in domain terms.

Callers save and read plans, nodes and edges, and run read-only Cypher; they never see which
engine is underneath. Each engine writes the changes of :func:`plan_changes` inside one
transaction, so a failure leaves the store as it was.

Example::

    with open_store("data/pathways.lbug") as store:
        store.save_plan(plan, author="me", message="initial load")
        store.get_node("so1").title.en
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphdb.account_store import CredentialsOf
from graphdb.credentials import CredentialStore
from graphdb.cypher_guard import ensure_read_only
from graphdb.errors import (
    QueryMemoryExceeded,
    QueryTimeout,
    QueryTooLarge,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from graphdb.indicator_store import IndicatorStore
from toc.errors import PlanInvalid
from toc.graph import plan_to_networkx
from toc.model import Edge, Node, Plan
from toc.validate import validate

__all__ = [
    "SCHEMA_VERSION",
    "GraphStore",
    "PlanChanges",
    "PlanRevision",
    "QueryMemoryExceeded",
    "QueryResult",
    "QueryTimeout",
    "QueryTooLarge",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "plan_changes",
]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class QueryResult:
    """Rows of a read query, with column names. Nodes come back as plain dicts.

    ``truncated`` is True when the query had more rows than its ``row_limit`` and only the
    first ones were kept.
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result (None when empty)."""
        return self.rows[0][0] if self.rows else None


@dataclass(frozen=True)
class PlanRevision:
    """One saved version of the plan: who saved it, when and why."""

    version: int
    saved_at: str
    author: str
    message: str
    nodes: int
    edges: int


@dataclass(frozen=True)
class PlanChanges:
    """What differs between the stored plan and a new one, as the writes to make."""

    create_nodes: list[Node] = field(default_factory=list)
    update_nodes: list[Node] = field(default_factory=list)
    delete_nodes: list[Node] = field(default_factory=list)
    create_edges: list[Edge] = field(default_factory=list)
    update_edges: list[Edge] = field(default_factory=list)
    delete_edges: list[Edge] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.create_nodes,
                self.update_nodes,
                self.delete_nodes,
                self.create_edges,
                self.update_edges,
                self.delete_edges,
            )
        )

    def summary(self) -> dict[str, int]:
        return {
            "nodes added": len(self.create_nodes),
            "nodes changed": len(self.update_nodes),
            "nodes removed": len(self.delete_nodes),
            "links added": len(self.create_edges),
            "links changed": len(self.update_edges),
            "links removed": len(self.delete_edges),
        }


def plan_changes(old: Plan, new: Plan) -> PlanChanges:
    """The writes that turn ``old`` into ``new``.

    A node whose kind changed is deleted and created again (kinds are tables); edges
    touching a deleted node are deleted explicitly so re-created nodes get them back.

    >>> from toc.model import Text
    >>> a = Node("Role", "r", Text(en="A"))
    >>> c = plan_changes(Plan.of([a], []), Plan.of([Node("Role", "r", Text(en="B"))], []))
    >>> [n.title.en for n in c.update_nodes]
    ['B']
    """
    old_nodes = {n.id: n for n in old.nodes}
    new_nodes = {n.id: n for n in new.nodes}
    create, update, delete = [], [], []
    for node_id, node in new_nodes.items():
        before = old_nodes.get(node_id)
        if before is None:
            create.append(node)
        elif before.kind != node.kind:
            delete.append(before)
            create.append(node)
        elif before != node:
            update.append(node)
    delete += [n for i, n in old_nodes.items() if i not in new_nodes]
    gone = {n.id for n in delete}

    old_edges = {e.key: e for e in old.edges}
    new_edges = {e.key: e for e in new.edges}
    e_create, e_update, e_delete = [], [], []
    for key, edge in new_edges.items():
        before = old_edges.get(key)
        if before is None or edge.source in gone or edge.target in gone:
            e_create.append(edge)
        elif before != edge:
            e_update.append(edge)
    e_delete = [
        e
        for k, e in old_edges.items()
        if k not in new_edges and e.source not in gone and e.target not in gone
    ]
    return PlanChanges(create, update, delete, e_create, e_update, e_delete)


def now_iso() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class GraphStore(CredentialsOf, IndicatorStore, ABC):
    """A plan graph held by one storage engine, with the accounts of its users.

    Implementations: :class:`graphdb.ladybug_store.LadybugStore` (embedded, the default) and
    the Neo4j store. The same test suite runs against each. Accounts and sessions are not in
    the graph: they live in ``credentials`` (:mod:`graphdb.credentials`), which the account
    methods of this class answer from.
    """

    #: Accounts and sessions, in a file no query can reach; set by each engine on open.
    credentials: CredentialStore

    #: A short engine name for messages, e.g. "ladybug".
    backend: str = ""
    #: Where the store lives (a path or URL), for messages.
    location: str = ""
    #: Seconds a :meth:`query` may run when the caller gives no timeout.
    query_timeout: float = 30.0
    #: Megabytes of memory one :meth:`query` may use (the embedded store's query process;
    #: Neo4j bounds it by its server setting ``db.memory.transaction.max``).
    query_memory_mb: int = 512

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release the engine's connections and locks."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def schema_version(self) -> int:
        """The schema version the store was created with."""

    @abstractmethod
    def unit_of_work(self) -> AbstractContextManager[None]:
        """A context in which every write of this store (plans, definitions, revisions) goes
        into one transaction, committed when the context ends and rolled back, all of it,
        when it raises: an import of a plan, its definitions and values is all or nothing,
        also when the process is killed. Writes inside see each other; nested contexts join
        the outer one."""

    # -- the plan --------------------------------------------------------------------------
    def save_plan(self, plan: Plan, author: str = "", message: str = "") -> PlanRevision | None:
        """Validate ``plan`` and make it the stored plan, all in one transaction.

        Raises :class:`toc.errors.PlanInvalid` (and writes nothing) when the plan has errors.
        Returns the new revision, or None when the plan is unchanged.
        """
        issues = validate(plan)
        if any(i.level == "error" for i in issues):
            raise PlanInvalid(issues)
        changes = plan_changes(self.load_plan(), plan)
        if not changes:
            return None
        self._guard_plan_changes(changes)
        return self._apply(changes, author=author, message=message, plan=plan)

    @abstractmethod
    def _apply(
        self, changes: PlanChanges, *, author: str, message: str, plan: Plan
    ) -> PlanRevision:
        """Write ``changes`` and a new revision record in one transaction."""

    def restore(self, plan: Plan, revisions: Sequence[PlanRevision]) -> None:
        """Fill this empty store with ``plan`` and exactly ``revisions`` as its history, in
        one transaction: a faithful copy for moving between stores (``toc migrate``), so the
        plan is not validated again. Raises :class:`StoreError` when the store is not empty.
        """
        if self.revisions() or self.nodes():
            raise StoreError(f"{self.location}: the store is not empty; restore into a new one")
        self._restore(plan, revisions)

    @abstractmethod
    def _restore(self, plan: Plan, revisions: Sequence[PlanRevision]) -> None:
        """Write all of ``plan`` and the given revision records in one transaction."""

    @abstractmethod
    def nodes(self, kind: str | None = None) -> list[Node]:
        """All nodes, or those of one kind, ordered by kind and id."""

    @abstractmethod
    def edges(self, kind: str | None = None) -> list[Edge]:
        """All edges, or those of one kind, ordered by (kind, source, target)."""

    @abstractmethod
    def get_node(self, node_id: str) -> Node | None:
        """The node with ``node_id``, or None."""

    @abstractmethod
    def revisions(self) -> list[PlanRevision]:
        """Saved plan versions, oldest first."""

    def load_plan(self) -> Plan:
        """The stored plan (empty when nothing was saved yet)."""
        return Plan.of(self.nodes(), self.edges())

    def plan_version(self) -> int:
        """The version number of the stored plan (0 before the first save)."""
        revs = self.revisions()
        return revs[-1].version if revs else 0

    def neighbours(self, node_id: str) -> list[tuple[str, Edge, Node]]:
        """Edges touching a node, as (direction "out"/"in", edge, other node)."""
        by_id = {n.id: n for n in self.nodes()}
        out = []
        for e in self.edges():
            if e.source == node_id and e.target in by_id:
                out.append(("out", e, by_id[e.target]))
            elif e.target == node_id and e.source in by_id:
                out.append(("in", e, by_id[e.source]))
        return out

    # -- queries ---------------------------------------------------------------------------
    def query(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        row_limit: int | None = None,
    ) -> QueryResult:
        """Run one reading Cypher statement with parameters; the text may come from anyone.

        Anything but a single reading statement is refused before it runs
        (:class:`graphdb.cypher_guard.QueryRefused`). It then runs on a read-only connection
        that cannot see accounts or sessions (they are not in the graph), stopped after
        ``timeout`` seconds (default :attr:`query_timeout`) with :class:`QueryTimeout`, and
        after :attr:`query_memory_mb` with :class:`QueryMemoryExceeded`, so an evaluator's
        runaway query cannot hold the store or the machine. With ``row_limit``, at most that
        many rows are read and the result says whether more were left (``truncated``).
        """
        ensure_read_only(cypher)
        seconds = self.query_timeout if timeout is None else timeout
        return self._read_query(cypher, dict(params or {}), seconds, row_limit)

    @abstractmethod
    def _read_query(
        self, cypher: str, params: dict[str, Any], seconds: float, row_limit: int | None
    ) -> QueryResult:
        """The engine part of :meth:`query`: run a query already checked to be read-only on a
        read-only connection, stopped after ``seconds``, keeping at most ``row_limit`` rows."""

    def to_networkx(self) -> nx.MultiDiGraph:
        """The plan as a networkx multigraph: node attributes ``kind`` and ``node``, edge keys
        are edge kinds with attribute ``edge``."""
        return plan_to_networkx(self.load_plan())


def group_by(items: Iterable[Any], key) -> dict[Any, list[Any]]:
    """Group items by ``key(item)``, keeping order."""
    out: dict[Any, list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
