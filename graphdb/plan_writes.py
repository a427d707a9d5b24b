"""The order in which a plan save is written, once for both engines; each engine says only how
one step is written in its dialect (a :class:`PlanWriter`).

The order matters, and is the same on both engines: edges are deleted before the nodes they
join (LadybugDB refuses to delete a node that still has edges; ``DETACH`` would hide a change
the diff did not list), nodes are created before the edges that join them, and the revision
record and its version content come last, in the same transaction, so a version number is
never visible without its content.

>>> from toc.diff import plan_changes
>>> from toc.model import Edge, Node, Plan, Text
>>> old = Plan.of([Node("Strategy", "s1", Text(en="S"))], [])
>>> new = Plan.of([Node("Strategy", "s1", Text(en="S")), Node("Objective", "o1", Text(en="O"))],
...               [Edge("CONTRIBUTES_TO", "s1", "o1")])
>>> log = Recorder()
>>> write_changes(log, plan_changes(old, new), plan=new, old_kinds={"s1": "Strategy"},
...               revision=PlanRevision(2, "", "", "", 2, 1), content=VersionContent(2, "", ""))
>>> log.steps
['create nodes Objective o1', 'create edges CONTRIBUTES_TO s1->o1', 'revisions v2', 'contents v2']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from graphdb.store import group_by
from graphdb.versions import PlanRevision, VersionContent
from toc.diff import PlanChanges
from toc.model import Edge, Node, Plan

__all__ = ["PlanWriter", "Recorder", "write_changes", "write_whole_plan"]


class PlanWriter(Protocol):
    """One engine's statements for the steps of a plan save, all inside one transaction the
    engine opened. ``kinds`` maps node ids to kinds (the ends of the edges)."""

    def delete_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str]) -> None: ...

    def delete_nodes(self, kind: str, ids: Sequence[str]) -> None: ...

    def write_nodes(self, kind: str, nodes: Sequence[Node], *, create: bool) -> None: ...

    def write_edges(
        self, edges: Sequence[Edge], kinds: Mapping[str, str], *, create: bool
    ) -> None: ...

    def write_revisions(self, revisions: Sequence[PlanRevision]) -> None: ...

    def write_contents(self, contents: Sequence[VersionContent]) -> None: ...


def write_changes(
    writer: PlanWriter,
    changes: PlanChanges,
    *,
    plan: Plan,
    old_kinds: Mapping[str, str],
    revision: PlanRevision,
    content: VersionContent,
) -> None:
    """Write ``changes`` (from the stored plan to ``plan``), then the revision record and its
    version content. ``old_kinds`` gives the kinds of the deleted edges' ends as stored."""
    kinds = {n.id: n.kind for n in plan.nodes}
    writer.delete_edges(changes.delete_edges, old_kinds)
    for kind, nodes in group_by(changes.delete_nodes, _kind).items():
        writer.delete_nodes(kind, [n.id for n in nodes])
    for kind, nodes in group_by(changes.create_nodes, _kind).items():
        writer.write_nodes(kind, nodes, create=True)
    for kind, nodes in group_by(changes.update_nodes, _kind).items():
        writer.write_nodes(kind, nodes, create=False)
    writer.write_edges(changes.create_edges, kinds, create=True)
    writer.write_edges(changes.update_edges, kinds, create=False)
    writer.write_revisions([revision])
    writer.write_contents([content])


def write_whole_plan(
    writer: PlanWriter,
    plan: Plan,
    revisions: Sequence[PlanRevision],
    contents: Sequence[VersionContent],
) -> None:
    """Write all of ``plan`` into an empty store with exactly ``revisions`` and ``contents``
    as its history (``toc migrate``)."""
    kinds = {n.id: n.kind for n in plan.nodes}
    for kind, nodes in group_by(plan.nodes, _kind).items():
        writer.write_nodes(kind, nodes, create=True)
    writer.write_edges(plan.edges, kinds, create=True)
    writer.write_revisions(revisions)
    writer.write_contents(contents)


class Recorder:
    """A :class:`PlanWriter` that writes nothing and records the steps it is given, in words
    (for tests and for reading the order)."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def delete_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str]) -> None:
        if edges:
            self.steps.append("delete edges " + ", ".join(_edge(e) for e in edges))

    def delete_nodes(self, kind: str, ids: Sequence[str]) -> None:
        self.steps.append(f"delete nodes {kind} {', '.join(ids)}")

    def write_nodes(self, kind: str, nodes: Sequence[Node], *, create: bool) -> None:
        verb = "create" if create else "update"
        self.steps.append(f"{verb} nodes {kind} {', '.join(n.id for n in nodes)}")

    def write_edges(self, edges: Sequence[Edge], kinds: Mapping[str, str], *, create: bool) -> None:
        if edges:
            verb = "create" if create else "update"
            self.steps.append(f"{verb} edges " + ", ".join(_edge(e) for e in edges))

    def write_revisions(self, revisions: Sequence[PlanRevision]) -> None:
        self.steps.append("revisions " + ", ".join(f"v{r.version}" for r in revisions))

    def write_contents(self, contents: Sequence[VersionContent]) -> None:
        self.steps.append("contents " + ", ".join(f"v{c.version}" for c in contents))


def _kind(node: Node) -> str:
    return node.kind


def _edge(edge: Edge) -> str:
    return f"{edge.kind} {edge.source}->{edge.target}"
