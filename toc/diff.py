"""Differences between two plans: field by field for people, as writes for the stores.

Pure functions, no I/O. :func:`diff_plans` says which nodes and links were added, removed
and changed between two plans, and for a changed one which fields, with the value before and
after; a bilingual field is two fields (``title.nl``, ``title.en``), so a translation that
changed shows as such. A diff keeps both sides of every change, so it can be applied
(:func:`apply_diff`), inverted (:func:`invert_diff`) and stored as JSON (:func:`diff_to_json`)
as the content of a plan version. :func:`plan_changes` is the same comparison as the writes a
store makes (nodes to create, update and delete).

>>> from toc.model import Text
>>> a = Plan.of([Node("Role", "r", Text("Rol", "Role"))], [])
>>> b = Plan.of([Node("Role", "r", Text("Rol", "Part"))], [])
>>> d = diff_plans(a, b)
>>> [(c.id, f.field, f.before, f.after) for c in d.changed_nodes for f in c.fields]
[('r', 'title.en', 'Role', 'Part')]
>>> apply_diff(d, a) == b
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toc.errors import PlanError
from toc.kinds import LANGUAGES
from toc.model import Edge, Node, Plan, Text

__all__ = [
    "DiffConflict",
    "FieldChange",
    "LinkChange",
    "NodeChange",
    "PlanChanges",
    "PlanDiff",
    "apply_diff",
    "diff_from_json",
    "diff_plans",
    "diff_to_json",
    "edge_fields",
    "invert_diff",
    "link_changes",
    "node_fields",
    "plan_changes",
    "union_plan",
]

_TEXT_FIELDS = ("title", "description")


class DiffConflict(PlanError):
    """A diff does not fit the plan it is applied to (a node it removes or changes is not
    there as the diff says); the message names the node or link and the field."""


@dataclass(frozen=True)
class FieldChange:
    """One field of a node or link: its value before and after (None: not set)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class NodeChange:
    """A node present in both plans, with the same kind, whose fields differ."""

    kind: str
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class LinkChange:
    """A link present in both plans whose fields differ."""

    kind: str
    source: str
    target: str
    fields: tuple[FieldChange, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.source, self.target)


@dataclass(frozen=True)
class PlanDiff:
    """What differs between two plans. A node whose kind changed is removed and added."""

    added_nodes: tuple[Node, ...] = ()
    removed_nodes: tuple[Node, ...] = ()
    changed_nodes: tuple[NodeChange, ...] = ()
    added_links: tuple[Edge, ...] = ()
    removed_links: tuple[Edge, ...] = ()
    changed_links: tuple[LinkChange, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def summary(self) -> dict[str, int]:
        """Counts, e.g. ``{"nodes added": 1, ...}``."""
        return {
            "nodes added": len(self.added_nodes),
            "nodes changed": len(self.changed_nodes),
            "nodes removed": len(self.removed_nodes),
            "links added": len(self.added_links),
            "links changed": len(self.changed_links),
            "links removed": len(self.removed_links),
        }

    def node_ids(self) -> dict[str, str]:
        """Each node the diff touches -> "added", "removed", "changed" (or "kind changed")."""
        out: dict[str, str] = {n.id: "removed" for n in self.removed_nodes}
        for n in self.added_nodes:
            out[n.id] = "kind changed" if n.id in out else "added"
        out.update({c.id: "changed" for c in self.changed_nodes})
        return out


def _plain(value: Any) -> Any:
    """A props value as JSON-ready data: tuples become lists, mappings dicts."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _props_fields(props: Mapping[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    for name, value in props.items():
        if isinstance(value, Text):
            for lang in LANGUAGES:
                if getattr(value, lang):
                    out[f"{name}.{lang}"] = getattr(value, lang)
        else:
            out[name] = _plain(value)
    return out


def node_fields(node: Node) -> dict[str, Any]:
    """A node's fields by name, bilingual ones per language (``title.nl``); unset fields are
    left out.

    >>> node_fields(Node("Role", "r", Text(en="Networker"), note="n"))
    {'title.en': 'Networker', 'stated_in': ['nl', 'en'], 'note': 'n'}
    """
    out: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        text = getattr(node, name)
        for lang in LANGUAGES:
            if getattr(text, lang):
                out[f"{name}.{lang}"] = getattr(text, lang)
    if node.source:
        out["source"] = node.source
    out["stated_in"] = list(node.stated_in)
    if node.note:
        out["note"] = node.note
    return _props_fields(node.props, out)


def edge_fields(edge: Edge) -> dict[str, Any]:
    """A link's fields by name, as :func:`node_fields`."""
    return _props_fields(edge.props, {})


def _split(fields: Mapping[str, Any]) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    texts: dict[str, dict[str, str]] = {}
    plain: dict[str, Any] = {}
    for name, value in fields.items():
        base, dot, lang = name.rpartition(".")
        if dot and lang in LANGUAGES and isinstance(value, str):
            texts.setdefault(base, {})[lang] = value
        else:
            plain[name] = value
    return texts, plain


def node_from_fields(kind: str, node_id: str, fields: Mapping[str, Any]) -> Node:
    """The node with these fields (the inverse of :func:`node_fields`)."""
    texts, plain = _split(fields)
    title = Text(**texts.pop("title", {}))
    description = Text(**texts.pop("description", {}))
    source = plain.pop("source", "")
    note = plain.pop("note", "")
    stated_in = tuple(plain.pop("stated_in", LANGUAGES))
    props = {**plain, **{k: Text(**v) for k, v in texts.items()}}
    return Node(kind, node_id, title, description, source, stated_in, note, props)


def edge_from_fields(kind: str, source: str, target: str, fields: Mapping[str, Any]) -> Edge:
    """The link with these fields (the inverse of :func:`edge_fields`)."""
    texts, plain = _split(fields)
    return Edge(kind, source, target, {**plain, **{k: Text(**v) for k, v in texts.items()}})


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    names = sorted(set(before) | set(after))
    return tuple(
        FieldChange(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)
    )


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """What changed from ``old`` to ``new``: nodes and links added, removed and changed,
    field by field, in plan order."""
    old_nodes = {n.id: n for n in old.nodes}
    new_ids = set()
    added, removed, changed = [], [], []
    for node in new.nodes:
        new_ids.add(node.id)
        before = old_nodes.get(node.id)
        if before is node:  # versions rebuilt from diffs share their unchanged nodes
            continue
        if before is None:
            added.append(node)
        elif before.kind != node.kind:
            removed.append(before)
            added.append(node)
        elif before != node:
            fields = _field_changes(node_fields(before), node_fields(node))
            if fields:
                changed.append(NodeChange(node.kind, node.id, fields))
    removed += [n for n in old.nodes if n.id not in new_ids]

    old_edges = {(e.kind, e.source, e.target): e for e in old.edges}
    new_keys = set()
    l_added, l_changed = [], []
    for edge in new.edges:
        key = (edge.kind, edge.source, edge.target)
        new_keys.add(key)
        before_edge = old_edges.get(key)
        if before_edge is edge:
            continue
        if before_edge is None:
            l_added.append(edge)
        elif before_edge != edge:
            fields = _field_changes(edge_fields(before_edge), edge_fields(edge))
            if fields:
                l_changed.append(LinkChange(edge.kind, edge.source, edge.target, fields))
    l_removed = [e for e in old.edges if (e.kind, e.source, e.target) not in new_keys]
    return PlanDiff(
        tuple(added),
        tuple(sorted(removed, key=lambda n: (n.kind, n.id))),
        tuple(changed),
        tuple(l_added),
        tuple(l_removed),
        tuple(l_changed),
    )


def union_plan(old: Plan, new: Plan) -> Plan:
    """``new`` with the nodes and links of ``old`` it no longer has: what a diagram comparing
    the two versions draws (the removed ones marked as such)."""
    ids = {n.id for n in new.nodes}
    keys = {e.key for e in new.edges}
    gone = [n for n in old.nodes if n.id not in ids]
    everyone = ids | {n.id for n in gone}
    lost = [
        e for e in old.edges if e.key not in keys and e.source in everyone and e.target in everyone
    ]
    return Plan.of([*new.nodes, *gone], [*new.edges, *lost])


def link_changes(diff: PlanDiff) -> dict[tuple[str, str, str], str]:
    """Each link the diff touches, by key -> "added", "removed" or "changed"."""
    out = {e.key: "removed" for e in diff.removed_links}
    out.update({e.key: "added" for e in diff.added_links})
    out.update({c.key: "changed" for c in diff.changed_links})
    return out


def _changed_fields(
    what: str, current: Mapping[str, Any], changes: Iterable[FieldChange]
) -> dict[str, Any]:
    fields = dict(current)
    for change in changes:
        if fields.get(change.field) != change.before:
            raise DiffConflict(
                f"{what}: field {change.field} is {fields.get(change.field)!r}, "
                f"the diff expects {change.before!r}"
            )
        if change.after is None:
            fields.pop(change.field, None)
        else:
            fields[change.field] = change.after
    return fields


def apply_diff(diff: PlanDiff, plan: Plan) -> Plan:
    """``plan`` with ``diff`` applied; :class:`DiffConflict` when the plan is not the one the
    diff was made from (a node to remove or change is missing or has other values).

    For any plans ``a`` and ``b``: ``apply_diff(diff_plans(a, b), a) == b``.
    """
    nodes = {n.id: n for n in plan.nodes}
    for node in diff.removed_nodes:
        if nodes.get(node.id) != node:
            raise DiffConflict(f"node {node.id}: not in the plan as the diff removes it")
        del nodes[node.id]
    for change in diff.changed_nodes:
        current = nodes.get(change.id)
        if current is None or current.kind != change.kind:
            raise DiffConflict(f"node {change.id}: no {change.kind} with this id to change")
        fields = _changed_fields(f"node {change.id}", node_fields(current), change.fields)
        nodes[change.id] = node_from_fields(change.kind, change.id, fields)
    for node in diff.added_nodes:
        if node.id in nodes:
            raise DiffConflict(f"node {node.id}: already in the plan, the diff adds it")
        nodes[node.id] = node

    edges = {e.key: e for e in plan.edges}
    for edge in diff.removed_links:
        if edges.get(edge.key) != edge:
            raise DiffConflict(
                f"link {_key_text(edge.key)}: not in the plan as the diff removes it"
            )
        del edges[edge.key]
    for lc in diff.changed_links:
        current_edge = edges.get(lc.key)
        if current_edge is None:
            raise DiffConflict(f"link {_key_text(lc.key)}: not in the plan to change")
        fields = _changed_fields(f"link {_key_text(lc.key)}", edge_fields(current_edge), lc.fields)
        edges[lc.key] = edge_from_fields(lc.kind, lc.source, lc.target, fields)
    for edge in diff.added_links:
        if edge.key in edges:
            raise DiffConflict(f"link {_key_text(edge.key)}: already in the plan, the diff adds it")
        edges[edge.key] = edge
    return Plan.of(nodes.values(), edges.values())


def _key_text(key: tuple[str, str, str]) -> str:
    kind, source, target = key
    return f"{source} -{kind}-> {target}"


def _swap(fields: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(f.field, f.after, f.before) for f in fields)


def invert_diff(diff: PlanDiff) -> PlanDiff:
    """The diff that undoes ``diff``: ``apply_diff(invert_diff(d), apply_diff(d, a)) == a``."""
    return PlanDiff(
        diff.removed_nodes,
        diff.added_nodes,
        tuple(NodeChange(c.kind, c.id, _swap(c.fields)) for c in diff.changed_nodes),
        diff.removed_links,
        diff.added_links,
        tuple(LinkChange(c.kind, c.source, c.target, _swap(c.fields)) for c in diff.changed_links),
    )


# -- JSON ---------------------------------------------------------------------------------------
def _fields_json(fields: tuple[FieldChange, ...]) -> list[dict[str, Any]]:
    return [{"field": f.field, "before": f.before, "after": f.after} for f in fields]


def diff_to_json(diff: PlanDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (the ``--format json`` of ``toc diff`` and the stored
    content of a version); :func:`diff_from_json` reads it back."""
    return {
        "nodes": {
            "added": [
                {"kind": n.kind, "id": n.id, "fields": node_fields(n)} for n in diff.added_nodes
            ],
            "removed": [
                {"kind": n.kind, "id": n.id, "fields": node_fields(n)} for n in diff.removed_nodes
            ],
            "changed": [
                {"kind": c.kind, "id": c.id, "fields": _fields_json(c.fields)}
                for c in diff.changed_nodes
            ],
        },
        "links": {
            "added": [_link_json(e) for e in diff.added_links],
            "removed": [_link_json(e) for e in diff.removed_links],
            "changed": [
                {
                    "kind": c.kind,
                    "source": c.source,
                    "target": c.target,
                    "fields": _fields_json(c.fields),
                }
                for c in diff.changed_links
            ],
        },
    }


def _link_json(edge: Edge) -> dict[str, Any]:
    return {"kind": edge.kind, "source": edge.source, "target": edge.target,
            "fields": edge_fields(edge)}  # fmt: skip


def diff_from_json(data: Mapping[str, Any]) -> PlanDiff:
    """Read a diff written by :func:`diff_to_json`; :class:`PlanError` when it is malformed."""
    try:
        nodes, links = data["nodes"], data["links"]

        def changes(items: list[dict[str, Any]]) -> tuple[FieldChange, ...]:
            return tuple(FieldChange(f["field"], f["before"], f["after"]) for f in items)

        return PlanDiff(
            tuple(node_from_fields(n["kind"], n["id"], n["fields"]) for n in nodes["added"]),
            tuple(node_from_fields(n["kind"], n["id"], n["fields"]) for n in nodes["removed"]),
            tuple(NodeChange(c["kind"], c["id"], changes(c["fields"])) for c in nodes["changed"]),
            tuple(
                edge_from_fields(e["kind"], e["source"], e["target"], e["fields"])
                for e in links["added"]
            ),
            tuple(
                edge_from_fields(e["kind"], e["source"], e["target"], e["fields"])
                for e in links["removed"]
            ),
            tuple(
                LinkChange(c["kind"], c["source"], c["target"], changes(c["fields"]))
                for c in links["changed"]
            ),
        )
    except (KeyError, TypeError, AttributeError) as e:
        raise PlanError(f"not a plan diff: {type(e).__name__} {e}") from None


# -- the writes of a store ------------------------------------------------------------------------
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
    e_create, e_update = [], []
    for key, edge in new_edges.items():
        old_edge = old_edges.get(key)
        if old_edge is None or edge.source in gone or edge.target in gone:
            e_create.append(edge)
        elif old_edge != edge:
            e_update.append(edge)
    e_delete = [
        e
        for k, e in old_edges.items()
        if k not in new_edges and e.source not in gone and e.target not in gone
    ]
    return PlanChanges(create, update, delete, e_create, e_update, e_delete)
