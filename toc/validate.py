"""Check a plan against the rules of the data model and report every problem at once.

Errors make a plan unusable (it is not stored); warnings point at likely gaps:

- errors: unknown kinds, fields a kind does not have, wrong types or values, missing required
  fields, duplicate ids, links between kinds that may not be linked, links to ids that do not
  exist, duplicate links, cycles in CONTRIBUTES_TO, malformed years, not exactly one Plan node,
  texts, ids and lists longer than :mod:`toc.limits` allow;
- warnings: missing translations, objectives no strategy reaches, stated totals that are not
  the sum of their lines and stated limits the plan exceeds (:mod:`toc.budget_check`; the
  stated figures are kept).

>>> from toc.model import Node, Plan, Text
>>> p = Plan.of([Node("Objective", "o1", Text(en="An objective"), props={"number": 1})], [])
>>> [i.message for i in validate(p) if i.level == "error"]
['the plan needs exactly one Plan node, found 0']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

import networkx as nx

from toc.budget_check import figure_warnings
from toc.errors import Issue
from toc.kinds import EDGE_KINDS, LANGUAGES, NODE_KINDS, FieldSpec
from toc.limits import MAX_ID_LENGTH, MAX_LIST_ITEMS, str_limit, text_limit
from toc.model import Edge, Node, Plan, Text
from toc.numbers import file_number

__all__ = ["check_value", "validate"]

_PY_TYPES: dict[str, Any] = {
    "str": str,
    "text": Text,
    "int": int,
    "float": float,
    "bool": bool,
    "date": str,
    "strings": tuple,
}


#: Whole numbers the stores hold (64-bit integers).
INT_RANGE: tuple[int, int] = (-(2**63), 2**63 - 1)


def check_value(spec: FieldSpec, value: Any) -> str | None:
    """What is wrong with a typed field value, or None when it is fine.

    >>> check_value(FieldSpec("int", minimum=1900, maximum=2200), 20277)
    'must be at most 2200'
    """
    expected = _PY_TYPES[spec.type]
    if isinstance(value, bool) and spec.type != "bool":
        return f"must be of type {spec.type}"
    if spec.type == "float" and isinstance(value, int | float):
        number, problem = file_number(value)
        if problem:
            return "must be a finite number" + (f": {problem}" if "finite" not in problem else "")
        value = number
    if spec.type in ("int", "float") and isinstance(value, str):
        _, problem = file_number(value)
        return f"must be of type {spec.type}: {problem}"
    if not isinstance(value, expected):
        return f"must be of type {spec.type}"
    if spec.type == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "must be a date YYYY-MM-DD"
    values = value if spec.type == "strings" else (value,)
    if spec.choices:
        bad = [v for v in values if v not in spec.choices]
        if bad:
            return f"{bad[0]!r} is not one of {', '.join(spec.choices)}"
    if spec.type == "strings" and not all(isinstance(v, str) for v in value):
        return "must be a list of strings"
    if spec.type == "int" and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return f"must be a whole number between {INT_RANGE[0]:,} and {INT_RANGE[1]:,}"
    if spec.type in ("int", "float"):
        if spec.minimum is not None and value < spec.minimum:
            return f"must be at least {spec.minimum:g}"
        if spec.maximum is not None and value > spec.maximum:
            return f"must be at most {spec.maximum:g}"
    return None


def validate(
    plan: Plan, file: str | None = None, lines: Mapping[str, int] | None = None
) -> list[Issue]:
    """All issues of ``plan``; ``lines`` maps ids (and edge refs) to file lines for messages."""
    lines = lines or {}
    issues: list[Issue] = []

    def add(level: str, msg: str, ref: str | None) -> None:
        issues.append(Issue(level, msg, file, lines.get(ref) if ref else None, ref))

    counts = Counter(n.id for n in plan.nodes)
    for node_id, n in sorted(counts.items()):
        if n > 1:
            add("error", f"id {node_id!r} is used by {n} nodes; ids must be unique", node_id)
    by_id = {n.id: n for n in plan.nodes}

    roots = plan.of_kind("Plan")
    if len(roots) != 1:
        add("error", f"the plan needs exactly one Plan node, found {len(roots)}", None)

    for node in plan.nodes:
        _check_node(node, add)

    seen: set[tuple[str, str, str]] = set()
    for edge in plan.edges:
        _check_edge(edge, by_id, seen, add)

    _check_cycles(plan, add)
    _check_years(plan, add)
    _warn_unreached(plan, by_id, add)
    for ref, message in figure_warnings(plan):
        add("warning", message, ref)
    return issues


_Add = Callable[[str, str, "str | None"], None]
"""Records one issue: its level, message and the node or link it is about."""


def _check_node(node: Node, add: _Add) -> None:
    kind = NODE_KINDS.get(node.kind)
    if kind is None:
        add("error", f"unknown node kind {node.kind!r}", node.id)
        return
    if not node.title:
        add("error", "a title is required (in nl, en or both)", node.id)
    for lang in node.stated_in:
        if lang not in LANGUAGES:
            add("error", f"stated_in: unknown language {lang!r}", node.id)
    for name, value in node.props.items():
        spec = kind.fields.get(name)
        if spec is None:
            add("error", f"{node.kind} has no field {name!r}", node.id)
            continue
        problem = check_value(spec, value)
        if problem:
            add("error", f"field {name!r} {problem}", node.id)
    for name, spec in kind.fields.items():
        if spec.required and name not in node.props:
            add("error", f"required field {name!r} is missing", node.id)
    texts = {"title": node.title, "description": node.description}
    texts |= {k: v for k, v in node.props.items() if isinstance(v, Text)}
    if len(node.id) > MAX_ID_LENGTH:
        add("error", f"the id has {len(node.id):,} characters; at most {MAX_ID_LENGTH}", node.id)
    _check_lengths(texts, {"source": node.source, "note": node.note, **node.props}, add, node.id)
    if set(node.stated_in) == set(LANGUAGES):
        for name, text in texts.items():
            for lang in text.missing():
                add("warning", f"{name} has no {lang} translation", node.id)


def _check_edge(
    edge: Edge, by_id: dict[str, Node], seen: set[tuple[str, str, str]], add: _Add
) -> None:
    ref = f"{edge.kind}:{edge.source}->{edge.target}"
    kind = EDGE_KINDS.get(edge.kind)
    if kind is None:
        add("error", f"unknown link kind {edge.kind!r}", ref)
        return
    if edge.key in seen:
        add("error", "this link is given twice", ref)
    seen.add(edge.key)
    src, dst = by_id.get(edge.source), by_id.get(edge.target)
    for end, node_id, node in (("from", edge.source, src), ("to", edge.target, dst)):
        if node is None:
            add("error", f"'{end}' refers to {node_id!r}, which is not a node of the plan", ref)
    if src and dst and not kind.allows(src.kind, dst.kind):
        add(
            "error",
            f"{edge.kind} may not link {src.kind} to {dst.kind} "
            f"(allowed: {', '.join(kind.sources)} -> {', '.join(kind.targets)})",
            ref,
        )
    if edge.source == edge.target:
        add("error", "a link may not point to its own source", ref)
    for name, value in edge.props.items():
        spec = kind.fields.get(name)
        if spec is None:
            add("error", f"{edge.kind} has no field {name!r}", ref)
            continue
        problem = check_value(spec, value)
        if problem:
            add("error", f"field {name!r} {problem}", ref)
    for name, spec in kind.fields.items():
        if spec.required and name not in edge.props:
            add("error", f"required field {name!r} is missing", ref)
    _check_lengths(
        {k: v for k, v in edge.props.items() if isinstance(v, Text)}, edge.props, add, ref
    )
    for aid in edge.props.get("assumptions", ()):
        target = by_id.get(aid)
        if target is None or target.kind != "Assumption":
            add("error", f"assumption {aid!r} is not an Assumption node of the plan", ref)


def _check_lengths(
    texts: Mapping[str, Text], values: Mapping[str, Any], add: _Add, ref: str
) -> None:
    """Texts, strings and lists no longer than :mod:`toc.limits` allow (a title of 10 MB
    would pass every other check and then stall the diagram)."""
    for name, text in texts.items():
        limit = text_limit(name)
        for lang in LANGUAGES:
            size = len(getattr(text, lang, "") or "")
            if size > limit:
                add("error", f"{name} ({lang}) has {size:,} characters; at most {limit:,}", ref)
    for name, value in values.items():
        if isinstance(value, str) and len(value) > str_limit(name):
            add(
                "error",
                f"field {name!r} has {len(value):,} characters; at most {str_limit(name):,}",
                ref,
            )
        elif isinstance(value, tuple):
            if len(value) > MAX_LIST_ITEMS:
                add("error", f"field {name!r} lists {len(value):,} entries; at most "
                             f"{MAX_LIST_ITEMS:,}", ref)  # fmt: skip
            longest = max((len(v) for v in value if isinstance(v, str)), default=0)
            if longest > MAX_ID_LENGTH:
                add("error", f"field {name!r} has an entry of {longest:,} characters; at "
                             f"most {MAX_ID_LENGTH}", ref)  # fmt: skip


def _check_cycles(plan: Plan, add: _Add) -> None:
    g = nx.DiGraph((e.source, e.target) for e in plan.edges if e.kind == "CONTRIBUTES_TO")
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    path = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
    add("error", f"CONTRIBUTES_TO links form a cycle: {path}", cycle[0][0])


def _is_year(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


#: Kinds whose years describe the situation before the plan (past funding, staff in 2024).
_BEFORE_THE_PLAN = ("Plan", "Funding", "StaffFigure")


def _check_years(plan: Plan, add: _Add) -> None:
    root = plan.root
    span = None
    if root is not None:
        start, end = root.props.get("start_year"), root.props.get("end_year")
        if _is_year(start) and _is_year(end):
            span = (start, end)
    for node in plan.nodes:
        start, end = node.props.get("start_year"), node.props.get("end_year")
        if _is_year(start) and _is_year(end) and start > end:
            add("error", f"start_year {start} is after end_year {end}", node.id)
        if span and node.kind not in _BEFORE_THE_PLAN:
            for name in ("start_year", "end_year", "year"):
                year = node.props.get(name)
                if _is_year(year) and not span[0] <= year <= span[1]:
                    add(
                        "error",
                        f"{name} {year} lies outside the plan ({span[0]}-{span[1]})",
                        node.id,
                    )
        period = node.props.get("period")
        if isinstance(period, str):
            parts = period.split("-")
            ok = len(parts) == 2 and all(p.isascii() and p.isdigit() and len(p) == 4 for p in parts)
            if not ok or int(parts[0]) > int(parts[1]):
                add("error", f"period {period!r} must look like 2027-2031", node.id)


def _warn_unreached(plan: Plan, by_id: dict[str, Node], add: _Add) -> None:
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in plan.nodes)
    g.add_edges_from((e.source, e.target) for e in plan.edges if e.kind == "CONTRIBUTES_TO")
    strategies = [n.id for n in plan.nodes if n.kind == "Strategy"]
    reached: set[str] = set()
    for s in strategies:
        reached |= nx.descendants(g, s)
    for node in plan.nodes:
        if node.kind in ("Objective", "StrategicObjective") and node.id not in reached:
            add("warning", "no strategy reaches this objective", node.id)
