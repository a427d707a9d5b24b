"""Nodes and links as form values and back, driven by the kind registry (:mod:`toc.kinds`).

A form of any node or link kind shows one input per field of the kind (a bilingual ``text``
field gets a Dutch and an English input), so a kind added to the registry is editable without
code. This module is pure (no Flask): it lists the inputs, turns a node or link into the
values its inputs show, and turns typed values back into a node or link, with a problem per
input it cannot read (checking the values against the plan is left to plan validation, the
same as for a plan file).

>>> from toc.model import Node, Text
>>> node = Node("Objective", "so2.o3", Text(nl="Doel", en="Goal"), props={"number": 3})
>>> values = node_values(node)
>>> values["p_number"], values["p_title_nl"]
('3', 'Doel')
>>> read_node("Objective", "so2.o3", {**values, "p_number": "4"}, node)[0].props["number"]
4
>>> read_node("Objective", "so2.o3", {**values, "p_number": "four"}, node)[1]
{'p_number': 'whole_number'}
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from toc.kinds import COMMON_NODE_FIELDS, EDGE_KINDS, LANGUAGES, NODE_KINDS, FieldSpec
from toc.model import Edge, Node, Text

__all__ = [
    "PREFIX",
    "Input",
    "Value",
    "edge_inputs",
    "edge_values",
    "field_names",
    "node_inputs",
    "node_values",
    "read_edge",
    "read_node",
]

#: Form names are the plan names with this prefix, so no plan field can clash with a name
#: the form itself uses (``data``, ``errors``, ``csrf_token``...).
PREFIX = "p_"
#: The common fields that are attributes of a node, not entries of its ``props``.
_NODE_ATTRIBUTES = ("title", "description", "source", "stated_in", "note")
#: What a typed value may be: a text, a ticked box, or the chosen values of a list.
Value = str | bool | list[str]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Input:
    """One input of a form: its form ``name``, the plan field it edits (``field``), the
    language of a bilingual text (``lang``) and the field's declaration."""

    name: str
    field: str
    spec: FieldSpec
    lang: str | None = None


def _inputs(specs: Mapping[str, FieldSpec]) -> list[Input]:
    inputs = []
    for name, spec in specs.items():
        if spec.type == "text":
            inputs += [Input(f"{PREFIX}{name}_{lang}", name, spec, lang) for lang in LANGUAGES]
        else:
            inputs.append(Input(PREFIX + name, name, spec))
    return inputs


def node_inputs(kind: str) -> list[Input]:
    """The inputs of a node of ``kind``: the common fields, then the kind's own."""
    return _inputs({**COMMON_NODE_FIELDS, **NODE_KINDS[kind].fields})


def edge_inputs(kind: str) -> list[Input]:
    """The inputs of a link of ``kind`` (its ends are chosen apart)."""
    return _inputs(EDGE_KINDS[kind].fields)


def field_names(inputs: list[Input]) -> dict[str, str]:
    """Plan field name -> the form input validation errors about it are shown next to (the
    English input of a bilingual text)."""
    names: dict[str, str] = {}
    for i in inputs:
        if i.lang in (None, "en"):
            names[i.field] = i.name
    return names


def _show(spec: FieldSpec, value: Any, show_float: Callable[[float], str]) -> Value:
    if value is None:
        return False if spec.type == "bool" else ([] if spec.type == "strings" else "")
    if spec.type == "bool":
        return bool(value)
    if spec.type == "strings":
        return list(value)
    if spec.type == "float":
        return show_float(value)
    return str(value)


def _values(
    inputs: list[Input], fields: Mapping[str, Any], show_float: Callable[[float], str]
) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for i in inputs:
        value = fields.get(i.field)
        if i.lang is not None:
            values[i.name] = value.get(i.lang) if isinstance(value, Text) else ""
        else:
            values[i.name] = _show(i.spec, value, show_float)
    return values


def _node_fields(node: Node) -> dict[str, Any]:
    return {
        "title": node.title,
        "description": node.description,
        "source": node.source,
        "stated_in": node.stated_in,
        "note": node.note,
        **node.props,
    }


def node_values(node: Node, show_float: Callable[[float], str] = repr) -> dict[str, Value]:
    """What the inputs of ``node``'s form show (``show_float`` writes a number)."""
    return _values(node_inputs(node.kind), _node_fields(node), show_float)


def edge_values(edge: Edge, show_float: Callable[[float], str] = repr) -> dict[str, Value]:
    """What the inputs of ``edge``'s form show."""
    return _values(edge_inputs(edge.kind), edge.props, show_float)


def _read_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _read(spec: FieldSpec, raw: Value, read_float: Callable[[str], float]) -> tuple[Any, str]:
    """The typed value of one input (None when empty) and a problem code ("" when none)."""
    if spec.type == "bool":
        return (True if raw is True or raw in ("y", "on", "true") else None), ""
    if spec.type == "strings":
        items = raw if isinstance(raw, list) else str(raw or "").splitlines()
        cleaned = tuple(s.strip() for s in items if s.strip())
        return (cleaned or None), ""
    text = str(raw or "").strip() if not isinstance(raw, bool) else ""
    if not text:
        return None, ""
    if spec.type == "int":
        if not re.fullmatch(r"[+-]?\d{1,19}", text):
            return None, "whole_number"
        return int(text), ""
    if spec.type == "float":
        try:
            return read_float(text), ""
        except ValueError:
            return None, "number"
    if spec.type == "date":
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            dt.date.fromisoformat(text)
        except ValueError:
            return None, "date"
        return text, ""
    return text, ""


def _read_all(
    inputs: list[Input], raw: Mapping[str, Value], read_float: Callable[[str], float]
) -> tuple[dict[str, Any], dict[str, str]]:
    fields: dict[str, Any] = {}
    problems: dict[str, str] = {}
    texts: dict[str, dict[str, str]] = {}
    for i in inputs:
        value = raw.get(i.name, "")
        if i.lang is not None:
            texts.setdefault(i.field, {})[i.lang] = str(value or "").strip()
            continue
        typed, problem = _read(i.spec, value, read_float)
        if problem:
            problems[i.name] = problem
        elif typed is not None:
            fields[i.field] = typed
    for name, langs in texts.items():
        text = Text(**langs)
        if text:
            fields[name] = text
    return fields, problems


def read_node(
    kind: str,
    node_id: str,
    raw: Mapping[str, Value],
    before: Node | None = None,
    read_float: Callable[[str], float] = _read_float,
) -> tuple[Node | None, dict[str, str]]:
    """The node typed into the form (None when an input cannot be read) and the problem of
    each such input: ``whole_number``, ``number`` or ``date``. Fields the registry does not
    declare are kept from ``before``."""
    inputs = node_inputs(kind)
    fields, problems = _read_all(inputs, raw, read_float)
    if problems:
        return None, problems
    declared = {i.field for i in inputs}
    props = {k: v for k, v in (before.props if before else {}).items() if k not in declared}
    props |= {k: v for k, v in fields.items() if k not in _NODE_ATTRIBUTES}
    node = Node(
        kind,
        node_id,
        fields.get("title", Text()),
        fields.get("description", Text()),
        source=fields.get("source", ""),
        stated_in=fields.get("stated_in", LANGUAGES),
        note=fields.get("note", ""),
        props=props,
    )
    return node, {}


def read_edge(
    kind: str,
    source: str,
    target: str,
    raw: Mapping[str, Value],
    before: Edge | None = None,
    read_float: Callable[[str], float] = _read_float,
) -> tuple[Edge | None, dict[str, str]]:
    """The link typed into the form, like :func:`read_node`."""
    inputs = edge_inputs(kind)
    fields, problems = _read_all(inputs, raw, read_float)
    if problems:
        return None, problems
    declared = {i.field for i in inputs}
    props = {k: v for k, v in (before.props if before else {}).items() if k not in declared}
    return Edge(kind, source, target, props | fields), {}
