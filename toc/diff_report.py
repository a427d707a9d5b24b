"""A plan diff for people: rows of changes, and the versions in between, as a table, JSON or
Markdown. Pure functions; ``toc diff``, ``toc load --dry-run`` and the web history page use them.

Each row is one change: a node or link added or removed (with its title in both languages),
or one field of a changed one with its value before and after.

>>> from toc.diff import diff_plans
>>> from toc.model import Node, Plan, Text
>>> a = Plan.of([Node("Role", "r", Text("Rol", "Role"))], [])
>>> b = Plan.of([Node("Role", "r", Text("Rol", "Part"))], [])
>>> [r.as_tuple() for r in change_rows(diff_plans(a, b))]
[('changed', 'node', 'Role', 'r', 'title.en', 'Role', 'Part')]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from toc.diff import PlanDiff, diff_to_json
from toc.model import Edge, Node
from toc.version_notes import shown

__all__ = [
    "FORMATS",
    "ChangeRow",
    "VersionInfo",
    "change_rows",
    "format_diff",
    "node_lines",
]

FORMATS = ("table", "json", "md")
_COLUMNS = ("change", "item", "kind", "id", "field", "before", "after")


class VersionInfo(Protocol):
    """Who saved a version, when and why (a :class:`graphdb.store.PlanRevision`)."""

    @property
    def version(self) -> int: ...
    @property
    def saved_at(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class ChangeRow:
    """One line of a diff."""

    change: str  # added, removed, changed
    item: str  # node, link
    kind: str
    id: str  # a node id, or "source -> target" for a link
    field: str = ""
    before: str = ""
    after: str = ""

    def as_tuple(self) -> tuple[str, ...]:
        return (self.change, self.item, self.kind, self.id, self.field, self.before, self.after)


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    return str(value)


def _titles(node: Node) -> str:
    return f"{node.title.nl or '-'} | {node.title.en or '-'}"


def _link(edge: Edge) -> str:
    return f"{edge.source} -> {edge.target}"


def change_rows(diff: PlanDiff) -> list[ChangeRow]:
    """The diff as rows: removed, added, then changed nodes; then links the same way. An
    added or removed node shows its title as "Dutch | English"."""
    rows = [
        ChangeRow("removed", "node", n.kind, n.id, "title", _titles(n)) for n in diff.removed_nodes
    ]
    rows += [
        ChangeRow("added", "node", n.kind, n.id, "title", "", _titles(n)) for n in diff.added_nodes
    ]
    for c in diff.changed_nodes:
        rows += [
            ChangeRow("changed", "node", c.kind, c.id, f.field, _value(f.before), _value(f.after))
            for f in c.fields
        ]
    rows += [ChangeRow("removed", "link", e.kind, _link(e)) for e in diff.removed_links]
    rows += [ChangeRow("added", "link", e.kind, _link(e)) for e in diff.added_links]
    for lc in diff.changed_links:
        rows += [
            ChangeRow(
                "changed", "link", lc.kind, f"{lc.source} -> {lc.target}", f.field,
                _value(f.before), _value(f.after),
            )
            for f in lc.fields
        ]  # fmt: skip
    return rows


def node_lines(diff: PlanDiff, limit: int = 50) -> list[str]:
    """One short line per node the diff touches ("changed so1.o1 (Objective): title.en"),
    at most ``limit`` and then how many more: what ``toc load --dry-run`` prints."""
    kinds = {n.id: n.kind for n in (*diff.removed_nodes, *diff.added_nodes)}
    kinds.update({c.id: c.kind for c in diff.changed_nodes})
    fields = {c.id: ", ".join(f.field for f in c.fields) for c in diff.changed_nodes}
    lines = []
    for node_id, change in sorted(diff.node_ids().items()):
        extra = f": {fields[node_id]}" if node_id in fields else ""
        lines.append(f"  {change} {node_id} ({kinds[node_id]}){extra}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"  ... and {len(lines) - limit} more"]
    return lines


def _versions_json(versions: Sequence[VersionInfo]) -> list[dict[str, Any]]:
    return [
        {
            "version": v.version,
            "saved_at": v.saved_at,
            "author": v.author,
            "message": shown(v.message),
        }
        for v in versions
    ]


def format_diff(
    diff: PlanDiff, old: int, new: int, versions: Sequence[VersionInfo], fmt: str = "table"
) -> str:
    """The diff from version ``old`` to ``new`` with the ``versions`` saved in between (who,
    when, why), as ``table`` (plain text), ``json`` or ``md`` (Markdown)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    rows = change_rows(diff)
    if fmt == "json":
        doc = {
            "from": old,
            "to": new,
            "versions": _versions_json(versions),
            "summary": diff.summary(),
            "changes": diff_to_json(diff),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)
    counts = ", ".join(f"{n} {k}" for k, n in diff.summary().items() if n) or "no changes"
    if fmt == "md":
        out = [f"## Plan changes from version {old} to version {new}", "", counts, ""]
        if versions:
            out += ["| version | saved at | by | why |", "|---|---|---|---|"]
            out += [
                f"| {v.version} | {v.saved_at} | {_md(v.author or '-')} | {_md(shown(v.message))} |"
                for v in versions
            ]
            out.append("")
        if rows:
            out += ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
            out += ["| " + " | ".join(_md(c) for c in r.as_tuple()) + " |" for r in rows]
        return "\n".join(out)
    out = [f"Plan changes from version {old} to version {new}: {counts}"]
    for v in versions:
        out.append(f"  v{v.version}  {v.saved_at}  {v.author or '-'}  {shown(v.message)}")
    if rows:
        out.append("")
        out += _table([_COLUMNS, *(r.as_tuple() for r in rows)])
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(cells: Sequence[Sequence[str]], width: int = 40) -> list[str]:
    clipped = [[c.replace("\n", " ")[:width] for c in row] for row in cells]
    widths = [max(len(row[i]) for row in clipped) for i in range(len(clipped[0]))]
    lines = []
    for n, row in enumerate(clipped):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
