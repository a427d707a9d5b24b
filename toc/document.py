"""Convert between a plan document (plain dicts and lists, as read from YAML or JSON) and a Plan.

The document is what a person edits: nodes grouped by kind, links grouped by kind::

    format: toc-plan/1
    nodes:
      StrategicObjective:
        - id: so1
          title: {nl: Internationalisering lokale besturen, en: Internationalisation ...}
          number: 1
    links:
      CONTRIBUTES_TO:
        - {from: so1.o1, to: so1, source: "§3"}

Decoding never stops at the first problem: every issue is collected with the line it is on,
so a user fixes a file in one pass. See docs/plan-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Protocol

from toc.errors import Issue
from toc.kinds import COMMON_NODE_FIELDS, EDGE_KINDS, LANGUAGES, NODE_KINDS, FieldSpec
from toc.model import Edge, Node, Plan, Text
from toc.numbers import file_number

__all__ = ["FORMAT", "decode", "decode_value", "encode", "encode_value"]

FORMAT = "toc-plan/1"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NODE_BASE = ("id", "title", "description", "source", "stated_in", "note")
_EDGE_BASE = ("from", "to")


class _Err(Protocol):
    """Records one error of the file: its message, the object it is about (for its line), the
    id it concerns, or a line given directly."""

    def __call__(
        self, msg: str, obj: Any = None, id_: str | None = None, line: int | None = None
    ) -> None: ...


def _line(obj: Any) -> int | None:
    return getattr(obj, "line", None)


def decode_value(spec: FieldSpec, value: Any) -> Any:
    """Turn a document value into the model's typed value; ValueError says what is wrong.

    >>> decode_value(FieldSpec("float"), 3)
    3.0
    >>> decode_value(FieldSpec("text"), {"en": "Hi"})
    Text(nl='', en='Hi')
    """
    t = spec.type
    if t == "text":
        if isinstance(value, str):
            raise ValueError("expected a mapping {nl: ..., en: ...}, got plain text")
        if not isinstance(value, Mapping):
            raise ValueError("expected a mapping {nl: ..., en: ...}")
        extra = set(value) - set(LANGUAGES)
        if extra:
            raise ValueError(f"unknown language(s) {sorted(extra)}; use nl and en")
        for lang, v in value.items():
            if v is not None and not isinstance(v, str):
                raise ValueError(f"text in {lang!r} must be a string")
        return Text(**{k: (v or "") for k, v in value.items()})
    if t == "str":
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError("expected a string")
        return str(value)
    if t == "int":
        if isinstance(value, str):
            raise ValueError(f"expected a whole number: {file_number(value)[1]}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("expected a whole number")
        return value
    if t == "float":
        number, problem = file_number(value)  # finite, within the float range, not text
        if problem:
            raise ValueError(problem)
        return number
    if t == "bool":
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if t == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str) and _DATE.match(value):
            dt.date.fromisoformat(value)
            return value
        raise ValueError("expected a date YYYY-MM-DD")
    if t == "strings":
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError("expected a list of strings")
        if not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of strings")
        return tuple(value)
    raise ValueError(f"unsupported field type {t}")  # pragma: no cover - kinds.py guards this


def encode_value(spec: FieldSpec, value: Any) -> Any:
    """The document form of a typed value (inverse of :func:`decode_value`)."""
    if spec.type == "text":
        return {lang: getattr(value, lang) for lang in LANGUAGES if getattr(value, lang)}
    if spec.type == "strings":
        return list(value)
    return value


def _node_spec(kind: str) -> dict[str, FieldSpec]:
    return {**COMMON_NODE_FIELDS, **NODE_KINDS[kind].fields}


def decode(doc: Any, file: str | None = None) -> tuple[Plan, list[Issue], dict[str, int]]:
    """Decode a plan document into a Plan.

    Returns the plan (with whatever could be decoded), the issues found, and a map from
    node id or edge key text ("KIND:from->to") to the line it came from.
    """
    issues: list[Issue] = []
    lines: dict[str, int] = {}

    def err(msg: str, obj: Any = None, id_: str | None = None, line: int | None = None) -> None:
        issues.append(Issue("error", msg, file, line or _line(obj), id_))

    if not isinstance(doc, Mapping):
        err("a plan file must be a mapping with 'format', 'nodes' and 'links'")
        return Plan.of([], []), issues, lines
    unknown_top = set(doc) - {"format", "nodes", "links"}
    for key in sorted(unknown_top):
        err(f"unknown top-level key {key!r} (expected format, nodes, links)", doc)
    if doc.get("format") != FORMAT:
        err(f"'format' must be {FORMAT!r}, got {doc.get('format')!r}", doc)

    nodes: list[Node] = []
    for kind, items in _groups(doc.get("nodes"), "nodes", err):
        if kind not in NODE_KINDS:
            err(f"unknown node kind {kind!r}; known kinds: {', '.join(NODE_KINDS)}", items)
            continue
        for item in items:
            node = _decode_node(kind, item, err)
            if node is not None:
                nodes.append(node)
                at = _line(item)
                if at:
                    lines.setdefault(node.id, at)

    edges: list[Edge] = []
    for kind, items in _groups(doc.get("links"), "links", err):
        if kind not in EDGE_KINDS:
            err(f"unknown link kind {kind!r}; known kinds: {', '.join(EDGE_KINDS)}", items)
            continue
        for item in items:
            edge = _decode_edge(kind, item, err)
            if edge is not None:
                edges.append(edge)
                at = _line(item)
                if at:
                    lines.setdefault(edge_ref(edge), at)
    return Plan.of(nodes, edges), issues, lines


def edge_ref(edge: Edge) -> str:
    """How an edge is named in messages: ``KIND:source->target``."""
    return f"{edge.kind}:{edge.source}->{edge.target}"


def _groups(section: Any, name: str, err: _Err) -> list[tuple[str, list[Any]]]:
    if section is None:
        return []
    if not isinstance(section, Mapping):
        err(f"'{name}' must map a kind to a list of entries", section)
        return []
    out = []
    for kind, items in section.items():
        if items is None:
            continue
        if not isinstance(items, list):
            err(f"'{name}.{kind}' must be a list", section)
            continue
        out.append((kind, items))
    return out


def _decode_fields(
    specs: Mapping[str, FieldSpec],
    item: Mapping[str, Any],
    skip: tuple[str, ...],
    label: str,
    err: _Err,
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, value in item.items():
        if key in skip:
            continue
        spec = specs.get(key)
        if spec is None:
            err(f"unknown field {key!r}; allowed: {', '.join(sorted(specs))}", item, label)
            continue
        if value is None:
            continue
        try:
            props[key] = decode_value(spec, value)
        except ValueError as e:
            err(f"field {key!r}: {e}", item, label)
    return props


def _decode_node(kind: str, item: Any, err: _Err) -> Node | None:
    if not isinstance(item, Mapping):
        err(f"each {kind} entry must be a mapping")
        return None
    node_id = item.get("id")
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        err(
            f"{kind} entry needs an 'id' of letters, digits, '.', '-' or '_', got {node_id!r}", item
        )
        return None
    specs = _node_spec(kind)
    props = _decode_fields(specs, item, ("id", "kind"), node_id, err)
    title = props.pop("title", Text())
    return Node(
        kind=kind,
        id=node_id,
        title=title,
        description=props.pop("description", Text()),
        source=props.pop("source", ""),
        stated_in=props.pop("stated_in", LANGUAGES),
        note=props.pop("note", ""),
        props=props,
    )


def _decode_edge(kind: str, item: Any, err: _Err) -> Edge | None:
    if not isinstance(item, Mapping):
        err(f"each {kind} link must be a mapping with 'from' and 'to'")
        return None
    src, dst = item.get("from"), item.get("to")
    if not isinstance(src, str) or not isinstance(dst, str):
        err(f"{kind} link needs 'from' and 'to' ids", item)
        return None
    label = f"{kind}:{src}->{dst}"
    props = _decode_fields(EDGE_KINDS[kind].fields, item, _EDGE_BASE, label, err)
    return Edge(kind, src, dst, props)


def encode(plan: Plan) -> dict[str, Any]:
    """The document form of a plan, in a stable order (kinds as declared, ids sorted)."""
    nodes: dict[str, list] = {}
    for kind in NODE_KINDS:
        items = [_encode_node(n) for n in plan.nodes if n.kind == kind]
        if items:
            nodes[kind] = items
    links: dict[str, list] = {}
    for kind, ek in EDGE_KINDS.items():
        items = []
        for e in plan.edges:
            if e.kind != kind:
                continue
            entry: dict[str, Any] = {"from": e.source, "to": e.target}
            for key, spec in ek.fields.items():
                if key in e.props:
                    entry[key] = encode_value(spec, e.props[key])
            items.append(entry)
        if items:
            links[kind] = items
    return {"format": FORMAT, "nodes": nodes, "links": links}


def _encode_node(n: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n.id, "title": encode_value(COMMON_NODE_FIELDS["title"], n.title)}
    if n.description:
        out["description"] = encode_value(COMMON_NODE_FIELDS["description"], n.description)
    for key, spec in NODE_KINDS[n.kind].fields.items():
        if key in n.props:
            out[key] = encode_value(spec, n.props[key])
    # Fields the kind does not declare are kept too, so nothing is dropped silently;
    # validation reports them.
    for key in sorted(set(n.props) - set(NODE_KINDS[n.kind].fields)):
        out[key] = n.props[key]
    if n.source:
        out["source"] = n.source
    if tuple(n.stated_in) != LANGUAGES:
        out["stated_in"] = list(n.stated_in)
    if n.note:
        out["note"] = n.note
    return out
