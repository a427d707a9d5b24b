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
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import networkx as nx

from graphdb.account_store import CredentialsOf
from graphdb.attachment_files import AttachmentFiles, files_folder
from graphdb.credentials import CredentialStore
from graphdb.cypher_guard import ensure_read_only
from graphdb.errors import (
    PlanSavedMeanwhile,
    QueryMemoryExceeded,
    QueryTimeout,
    QueryTooLarge,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from graphdb.indicator_store import IndicatorStore
from graphdb.learning_store import LearningStore
from graphdb.versions import PlanRevision, PlanVersions, VersionContent
from indicators.errors import IndicatorsInUse
from toc.diff import PlanChanges, plan_changes
from toc.errors import PlanInvalid
from toc.graph import plan_to_networkx
from toc.kinds import CAUSAL_KINDS
from toc.model import Edge, Node, Plan
from toc.validate import validate
from toc.version_notes import restore_note

__all__ = [
    "SCHEMA_VERSION",
    "DataVersion",
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
#: Tries of :meth:`GraphStore.versioned_plan` before it gives up on a plan saved ever again.
_PLAN_READS = 20


class DataVersion(NamedTuple):
    """How far the store's data has come: each field grows with every write of its part and
    never shrinks (the plan's history, the definitions' versions, the measurement log and the
    learning log are all append-only), so two equal versions mean the same data. Read in one
    small query (:meth:`GraphStore.data_version`): caches of other processes compare it to
    see whether anything changed.

    >>> DataVersion(3, 15, 120, 4) == DataVersion(plan=3, definitions=15, revisions=120, learning=4)
    True
    """

    #: The plan version (0 before the first save).
    plan: int
    #: Saved versions of indicator definitions.
    definitions: int
    #: Measurement revisions recorded.
    revisions: int
    #: Learning changes recorded (evidence, priors, outcomes).
    learning: int


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


def now_iso() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class GraphStore(CredentialsOf, IndicatorStore, LearningStore, PlanVersions, ABC):
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
    #: Whether methods may be called from several threads at once (the Neo4j driver: yes;
    #: the embedded store's one connection: no, callers take turns).
    thread_safe: ClassVar[bool] = False
    #: Whether other processes may write while this one has the store open (a Neo4j server:
    #: yes; the embedded store's file lock admits one writer: no).
    shared: ClassVar[bool] = False

    @property
    def attachment_files(self) -> AttachmentFiles:
        """The evidence files kept beside this store (:mod:`graphdb.attachment_files`)."""
        return AttachmentFiles(files_folder(self.location, neo4j=self.backend == "neo4j"))

    def named_file_addresses(self) -> set[str]:
        """Every file address a record names, evidence items and indicator values alike: what
        garbage collection keeps and what a migration must bring along."""
        return self.evidence_file_addresses() | self.value_file_addresses()

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release the engine's connections and locks."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        """The schema version the store was created with."""
        return int(self._meta("schema_version") or 0)

    @abstractmethod
    def _meta(self, key: str) -> str | None:
        """The value of the store's ``StoreMeta`` entry ``key``, None when it has none."""

    # -- the schema: applied on open, the same way on both engines --------------------------
    def _ensure_schema(self) -> None:
        """Bring the store's schema up to this tool's: refuse a store made by a newer tool,
        and apply the engine's idempotent schema statements when they differ from the ones
        last applied (their fingerprint is kept beside the schema version)."""
        version = self._meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.location}: the store has schema version {version}, newer than this "
                f"tool's {SCHEMA_VERSION}; upgrade the tool"
            )
        statements = self._schema_statements()
        fingerprint = hashlib.sha256("\n".join(statements).encode()).hexdigest()
        if self._meta("schema_fingerprint") == fingerprint:
            return
        self._apply_schema(
            statements, {"schema_version": str(SCHEMA_VERSION), "schema_fingerprint": fingerprint}
        )

    @abstractmethod
    def _schema_statements(self) -> list[str]:
        """The engine's schema, as idempotent statements (``IF NOT EXISTS``)."""

    @abstractmethod
    def _apply_schema(self, statements: Sequence[str], meta: Mapping[str, str]) -> None:
        """Run ``statements`` (and what an older store lacks beyond them), then set the
        ``StoreMeta`` entries ``meta``."""

    @abstractmethod
    def unit_of_work(self) -> AbstractContextManager[None]:
        """A context in which every write of this store (plans, definitions, revisions) goes
        into one transaction, committed when the context ends and rolled back, all of it,
        when it raises: an import of a plan, its definitions and values is all or nothing,
        also when the process is killed. Writes inside see each other; nested contexts join
        the outer one."""

    @abstractmethod
    def data_version(self) -> DataVersion:
        """The version of the store's data, in one small read (see :class:`DataVersion`)."""

    # -- the plan --------------------------------------------------------------------------
    def save_plan(
        self, plan: Plan, author: str = "", message: str = "", *, based_on: int | None = None
    ) -> PlanRevision | None:
        """Validate ``plan`` and make it the stored plan, all in one transaction.

        Raises :class:`toc.errors.PlanInvalid` (and writes nothing) when the plan has errors.
        ``based_on`` is the version of the stored plan that ``plan`` was made from, when it was
        made from one: if the stored plan is at another version now (someone else saved it,
        maybe from another process), the save raises
        :class:`graphdb.errors.PlanSavedMeanwhile` and writes nothing, instead of undoing their
        changes. Returns the new revision, or None when the plan is unchanged.
        """
        issues = validate(plan)
        if any(i.level == "error" for i in issues):
            raise PlanInvalid(issues)
        # the version first: a save by someone else after it makes the write fail (Neo4j
        # allows several writers) instead of mixing both sets of changes
        stored = self.plan_version()
        if based_on is not None and stored != based_on:
            raise PlanSavedMeanwhile(
                f"{self.location}: someone else saved the plan meanwhile (version {stored}, "
                f"this change was made on version {based_on}); nothing was written",
                stored=stored,
            )
        based_on = stored
        old = self.load_plan()
        changes = plan_changes(old, plan)
        if not changes:
            return None
        self._guard_plan_changes(changes)
        content = self.content_for_save(old, plan, based_on + 1)
        return self._apply(
            changes, author=author, message=message, plan=plan, based_on=based_on, content=content
        )

    def _guard_plan_changes(self, changes: PlanChanges) -> None:
        """Refuse a plan change that removes or re-kinds a node an indicator measures."""
        touched = {n.id for n in changes.delete_nodes}
        if not touched:
            return
        measured: dict[str, list[str]] = {}
        for ind in self.indicators():
            for node_id in ind.measures:
                if node_id in touched:
                    measured.setdefault(node_id, []).append(ind.code)
        if measured:
            raise IndicatorsInUse(dict(sorted(measured.items())))

    @abstractmethod
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
        """Write ``changes``, the revision record ``based_on + 1`` and its ``content`` in one
        transaction; raise :class:`StoreError` (writing nothing) when the stored plan is no
        longer at version ``based_on``, the version the changes were computed from."""

    def restore_version(
        self, version: int, *, author: str = "", message: str = ""
    ) -> PlanRevision | None:
        """Save a new version whose content equals version ``version`` (history is kept).

        Refused like any save (:class:`graphdb.indicator_store.IndicatorsInUse`) when
        indicators measure nodes the old version does not have; None when the plan already
        equals that version.
        """
        plan = self.plan_at(version)
        return self.save_plan(plan, author=author, message=message or restore_note(version))

    def restore(
        self,
        plan: Plan,
        revisions: Sequence[PlanRevision],
        contents: Sequence[VersionContent] = (),
    ) -> None:
        """Fill this empty store with ``plan`` and exactly ``revisions`` as its history (with
        the ``contents`` of those versions), in one transaction: a faithful copy for moving
        between stores (``toc migrate``), so the plan is not validated again. Raises
        :class:`StoreError` when the store is not empty.
        """
        if self.revisions() or self.nodes():
            raise StoreError(f"{self.location}: the store is not empty; restore into a new one")
        self._restore(plan, revisions, contents)

    @abstractmethod
    def _restore(
        self,
        plan: Plan,
        revisions: Sequence[PlanRevision],
        contents: Sequence[VersionContent],
    ) -> None:
        """Write all of ``plan``, the given revision records and contents in one transaction."""

    def version_contents(self) -> list[VersionContent]:
        """The content records of every version (to copy a store's history)."""
        latest = self.plan_version()
        return self._version_contents(1, latest) if latest else []

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

    def contribution_graph(self) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
        """The causal nodes (id -> kind: strategies, outputs, outcomes, objectives, strategic
        objectives) and the ``CONTRIBUTES_TO`` links as (source, target, weight; default 1),
        what the roll-up reads. Built from the plan here; engines may answer faster."""
        kinds = {n.id: n.kind for kind in CAUSAL_KINDS for n in self.nodes(kind)}
        links = [
            (e.source, e.target, float(e.props.get("weight", 1.0)))
            for e in self.edges("CONTRIBUTES_TO")
        ]
        return kinds, links

    def plan_version(self) -> int:
        """The version number of the stored plan (0 before the first save)."""
        revs = self.revisions()
        return revs[-1].version if revs else 0

    def versioned_plan(self) -> tuple[int, Plan]:
        """(version, plan) of the stored plan, read so that the plan is that version's even
        while others save (the version is read before and after the plan, until they agree:
        versions only grow, so equal readings mean no save came between)."""
        version = self.plan_version()
        for _ in range(_PLAN_READS):
            plan = self.load_plan()
            after = self.plan_version()
            if after == version:
                return version, plan
            version = after
        raise StoreError(f"{self.location}: the plan kept changing while it was read; try again")

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


def group_by(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """Group items by ``key(item)``, keeping order."""
    out: dict[Any, list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
