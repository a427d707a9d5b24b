"""Edits of the plan as pure functions: each takes the stored plan and returns a new one
(no Flask here, no I/O). The plan pages save the result with ``store.save_plan``, which
validates the whole plan and writes it in one transaction, so an edit is all or nothing.

Also here: a fingerprint of a node or link (an edit form carries the fingerprint of what it
showed, so a change made meanwhile by someone else is noticed instead of overwritten), a free
id for a new node, and the mapping of validation issues onto the fields of a form.

>>> from toc.model import Text
>>> plan = Plan.of([Node("Objective", "o1", Text(en="O"), props={"number": 1})], [])
>>> plan = put_node(plan, Node("Outcome", "o1.oc1", Text(en="Better")))
>>> plan = put_edge(plan, Edge("CONTRIBUTES_TO", "o1.oc1", "o1"))
>>> [n.id for n in plan.nodes], [e.key for e in plan.edges]
(['o1', 'o1.oc1'], [('CONTRIBUTES_TO', 'o1.oc1', 'o1')])
>>> free_id(plan, "o1.oc")
'o1.oc2'
>>> [e.key for e in remove_node(plan, "o1.oc1").edges]
[]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from toc.errors import Issue
from toc.evidence import Evidence
from toc.model import Edge, Node, Plan

__all__ = [
    "EDITABLE_KINDS",
    "Dependents",
    "attach_assumption",
    "dependents",
    "edge_ref",
    "fingerprint",
    "free_id",
    "issues_by_field",
    "put_edge",
    "put_node",
    "remove_edge",
    "remove_node",
]

#: Node kinds the plan pages add, change and remove (the plan's own objectives and strategies
#: come from the plan file).
EDITABLE_KINDS = ("Outcome", "Output")

EdgeKey = tuple[str, str, str]


def put_node(plan: Plan, node: Node) -> Plan:
    """The plan with ``node`` added, or replacing the node with its id."""
    return Plan.of([*(n for n in plan.nodes if n.id != node.id), node], plan.edges)


def put_edge(plan: Plan, edge: Edge, replaces: EdgeKey | None = None) -> Plan:
    """The plan with ``edge`` added, or replacing the link with its key (or ``replaces``)."""
    gone = {edge.key, replaces}
    return Plan.of(plan.nodes, [*(e for e in plan.edges if e.key not in gone), edge])


def remove_edge(plan: Plan, key: EdgeKey) -> Plan:
    """The plan without the link ``key`` (kind, source, target)."""
    return Plan.of(plan.nodes, [e for e in plan.edges if e.key != key])


def remove_node(plan: Plan, node_id: str) -> Plan:
    """The plan without the node, its links, and (for an assumption) the links' references
    to it."""
    edges = []
    for e in plan.edges:
        if node_id in (e.source, e.target):
            continue
        if node_id in e.props.get("assumptions", ()):
            e = _with_assumptions(e, [a for a in e.props["assumptions"] if a != node_id])
        edges.append(e)
    return Plan.of([n for n in plan.nodes if n.id != node_id], edges)


def attach_assumption(plan: Plan, assumption_id: str, links: Iterable[EdgeKey]) -> Plan:
    """The plan where the assumption is listed on exactly the ``CONTRIBUTES_TO`` links
    ``links`` (added where missing, removed from the others)."""
    chosen = set(links)
    edges = []
    for e in plan.edges:
        if e.kind == "CONTRIBUTES_TO":
            current = list(e.props.get("assumptions", ()))
            if e.key in chosen and assumption_id not in current:
                e = _with_assumptions(e, [*current, assumption_id])
            elif e.key not in chosen and assumption_id in current:
                e = _with_assumptions(e, [a for a in current if a != assumption_id])
        edges.append(e)
    return Plan.of(plan.nodes, edges)


def _with_assumptions(edge: Edge, assumptions: Sequence[str]) -> Edge:
    props = {k: v for k, v in edge.props.items() if k != "assumptions"}
    if assumptions:
        props["assumptions"] = tuple(assumptions)
    return Edge(edge.kind, edge.source, edge.target, props)


def fingerprint(item: Node | Edge | None) -> str:
    """A short digest of a node or link as it is now ("" for none): changes when any of its
    texts or fields change.

    >>> from toc.model import Text
    >>> a = fingerprint(Node("Outcome", "x", Text(en="A")))
    >>> a == fingerprint(Node("Outcome", "x", Text(en="A"))), a == fingerprint(None)
    (True, False)
    """
    if item is None:
        return ""
    return hashlib.sha256(repr(item).encode()).hexdigest()[:16]


def free_id(plan: Plan, prefix: str) -> str:
    """The first id ``prefix1``, ``prefix2``, ... that no node has."""
    taken = {n.id for n in plan.nodes}
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def edge_ref(kind: str, source: str, target: str) -> str:
    """How validation names a link: ``KIND:source->target``."""
    return f"{kind}:{source}->{target}"


_QUOTED_FIELD = re.compile(r"(?:field|required field) '(\w+)'")
_LEADING_FIELD = re.compile(r"^(\w+) ")


def issues_by_field(
    issues: Sequence[Issue],
    refs: Iterable[str],
    fields: Mapping[str, str],
    cycle_field: str | None = None,
) -> tuple[dict[str, list[str]], list[str]]:
    """Errors of a failed save sorted onto form fields: those about ``refs`` (the edited
    node's id or link refs) that name a field of ``fields`` (plan field name -> form field
    name) go to that field; every other error is general.

    >>> issues = [Issue("error", "field 'start_year' must be at least 1900", id="x"),
    ...           Issue("error", "end_year 2090 lies outside the plan (2027-2036)", id="x"),
    ...           Issue("error", "a title is required (in nl, en or both)", id="x"),
    ...           Issue("error", "something else", id="y")]
    >>> issues_by_field(issues, ["x"], {"start_year": "start", "end_year": "end",
    ...                                 "title": "title_en"})
    ({'start': ['must be at least 1900'], 'end': ['end_year 2090 lies outside the plan (2027-2036)'], 'title_en': ['a title is required (in nl, en or both)']}, ['something else'])
    """  # noqa: E501
    mine = set(refs)
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for issue in issues:
        if issue.level != "error":
            continue
        message = issue.message
        target = None
        if issue.id in mine:
            quoted = _QUOTED_FIELD.search(message)
            leading = _LEADING_FIELD.match(message)
            if quoted and quoted.group(1) in fields:
                target = fields[quoted.group(1)]
                if message.startswith("field "):
                    message = message[quoted.end() :].strip()
            elif leading and leading.group(1) in fields:
                target = fields[leading.group(1)]
            elif "title" in message and "title" in fields:
                target = fields["title"]
            elif ("link" in message or "'to'" in message) and "target" in fields:
                target = fields["target"]
            elif "'from'" in message and "source" in fields:
                target = fields["source"]
            elif "assumption" in message and "assumptions" in fields:
                target = fields["assumptions"]
        if target is None and cycle_field and "form a cycle" in message:
            target = cycle_field
        if target is None:
            general.append(message)
        else:
            by_field.setdefault(target, []).append(message)
    return by_field, general


@dataclass(frozen=True)
class Dependents:
    """What removing a node takes with it or leaves behind. Each kind of dependent is one
    field, so a new one (evidence recorded on links, say) is one more field.

    ``links``: the links that go with the node; ``indicators``: the codes of the indicators
    that measure it (removal is refused while there are any); ``orphans``: nodes whose only
    links are those, left unlinked; ``mentions``: links that name the node (as an
    assumption) and lose that mention; ``evidence``: the evidence items recorded on those
    links or on the node (an assumption), which no longer count once it is gone (they stay in
    the learning log, so restoring the plan version brings them back).
    """

    links: tuple[Edge, ...] = ()
    indicators: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    mentions: tuple[Edge, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def blocked(self) -> bool:
        """True when the node cannot be removed as things are."""
        return bool(self.indicators)


def dependents(
    plan: Plan,
    node_id: str,
    measured_by: Mapping[str, Sequence[str]],
    evidence: Sequence[Evidence] = (),
) -> Dependents:
    """What depends on node ``node_id``; ``measured_by`` maps node ids to the codes of the
    indicators that measure them; ``evidence`` is the recorded evidence.

    >>> from toc.model import Text
    >>> plan = Plan.of([Node("Objective", "o1", Text(en="O"), props={"number": 1}),
    ...                 Node("Outcome", "oc1", Text(en="A")), Node("Outcome", "oc2", Text(en="B")),
    ...                 Node("Assumption", "a1", Text(en="X"))],
    ...                [Edge("CONTRIBUTES_TO", "oc1", "o1", {"assumptions": ("a1",)}),
    ...                 Edge("CONTRIBUTES_TO", "oc2", "oc1")])
    >>> d = dependents(plan, "oc1", {"oc1": ["ind.1"]})
    >>> [e.key for e in d.links], d.indicators, d.orphans, d.blocked
    ([('CONTRIBUTES_TO', 'oc1', 'o1'), ('CONTRIBUTES_TO', 'oc2', 'oc1')], ('ind.1',), ('o1', 'oc2'), True)
    >>> [e.key for e in dependents(plan, "a1", {}).mentions]
    [('CONTRIBUTES_TO', 'oc1', 'o1')]
    """  # noqa: E501
    links = tuple(e for e in plan.edges if node_id in (e.source, e.target))
    mentions = tuple(e for e in plan.edges if node_id in e.props.get("assumptions", ()))
    neighbours = sorted({e.target if e.source == node_id else e.source for e in links})
    orphans = tuple(
        other
        for other in neighbours
        if other != node_id
        and all(
            node_id in (e.source, e.target) for e in plan.edges if other in (e.source, e.target)
        )
    )
    ends = {(e.source, e.target) for e in links}
    on_it = tuple(
        item
        for item in evidence
        if item.assumption == node_id
        or (item.link is not None and (item.link.source, item.link.target) in ends)
    )
    return Dependents(links, tuple(measured_by.get(node_id, ())), orphans, mentions, on_it)
