"""Flatten plan nodes and edges into database rows and back, the same way for every engine.

A bilingual field ``title`` becomes two columns ``title_nl`` and ``title_en``; lists stay
lists; absent values are None. Both stores use these functions, so a node reads back
identical whichever engine holds it.

>>> from toc.model import Node, Text
>>> row = node_to_row(Node("Role", "r1", Text(nl="Netwerker", en="Networker")))
>>> row["title_nl"], row["description_en"]
('Netwerker', None)
>>> row_to_node("Role", row) == Node("Role", "r1", Text(nl="Netwerker", en="Networker"))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toc.kinds import COMMON_NODE_FIELDS, EDGE_KINDS, LANGUAGES, NODE_KINDS, FieldSpec
from toc.model import Edge, Node, Text

__all__ = [
    "edge_columns",
    "edge_to_row",
    "node_columns",
    "node_to_row",
    "row_to_edge",
    "row_to_node",
]

_BASE = ("title", "description", "source", "stated_in", "note")


def _columns(fields: Mapping[str, FieldSpec]) -> dict[str, str]:
    cols: dict[str, str] = {}
    for name, spec in fields.items():
        if spec.type == "text":
            for lang in LANGUAGES:
                cols[f"{name}_{lang}"] = "str"
        else:
            cols[name] = spec.type
    return cols


def node_columns(kind: str) -> dict[str, str]:
    """Column name -> field type for a node kind's table (without ``id``)."""
    base = {k: COMMON_NODE_FIELDS[k] for k in _BASE}
    return _columns({**base, **NODE_KINDS[kind].fields})


def edge_columns(kind: str) -> dict[str, str]:
    """Column name -> field type for an edge kind's table."""
    return _columns(EDGE_KINDS[kind].fields)


def _flatten(fields: Mapping[str, FieldSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, spec in fields.items():
        value = values.get(name)
        if spec.type == "text":
            for lang in LANGUAGES:
                row[f"{name}_{lang}"] = (getattr(value, lang) or None) if value else None
        elif spec.type == "strings":
            row[name] = list(value) if value is not None else None
        else:
            row[name] = value
    return row


def _unflatten(fields: Mapping[str, FieldSpec], row: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if spec.type == "text":
            text = Text(**{lang: row.get(f"{name}_{lang}") or "" for lang in LANGUAGES})
            if text:
                values[name] = text
        else:
            value = row.get(name)
            if value is None:
                continue
            if spec.type == "strings":
                value = tuple(value)
            elif spec.type == "float":
                value = float(value)
            values[name] = value
    return values


def node_to_row(node: Node) -> dict[str, Any]:
    """The row of a node: ``id`` plus one column per (language of a) field."""
    values = dict(node.props)
    values.update(
        title=node.title,
        description=node.description,
        source=node.source or None,
        stated_in=list(node.stated_in) if tuple(node.stated_in) != LANGUAGES else None,
        note=node.note or None,
    )
    base = {k: COMMON_NODE_FIELDS[k] for k in _BASE}
    return {"id": node.id, **_flatten({**base, **NODE_KINDS[node.kind].fields}, values)}


def row_to_node(kind: str, row: Mapping[str, Any]) -> Node:
    """Rebuild a node from its row (inverse of :func:`node_to_row`)."""
    base = {k: COMMON_NODE_FIELDS[k] for k in _BASE}
    values = _unflatten({**base, **NODE_KINDS[kind].fields}, row)
    return Node(
        kind=kind,
        id=row["id"],
        title=values.pop("title", Text()),
        description=values.pop("description", Text()),
        source=values.pop("source", ""),
        stated_in=values.pop("stated_in", LANGUAGES),
        note=values.pop("note", ""),
        props=values,
    )


def edge_to_row(edge: Edge) -> dict[str, Any]:
    """The property row of an edge (its ends are matched separately)."""
    return _flatten(EDGE_KINDS[edge.kind].fields, edge.props)


def row_to_edge(kind: str, source: str, target: str, row: Mapping[str, Any]) -> Edge:
    """Rebuild an edge from its ends and property row."""
    return Edge(kind, source, target, _unflatten(EDGE_KINDS[kind].fields, row))
