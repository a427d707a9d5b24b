"""Tests of toc.diff: field-by-field plan diffs that apply, invert and read back from JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import texts, valid_plans
from toc.diff import (
    DiffConflict,
    FieldChange,
    apply_diff,
    diff_from_json,
    diff_plans,
    diff_to_json,
    invert_diff,
    plan_changes,
)
from toc.errors import PlanError
from toc.model import Edge, Node, Plan, Text


@st.composite
def edited(draw, plan: Plan) -> Plan:
    """``plan`` with random edits: nodes dropped, retitled, re-kinded, links dropped."""
    nodes = []
    for node in plan.nodes:
        action = draw(st.sampled_from(["keep", "keep", "drop", "retitle", "rekind", "note"]))
        if action == "drop":
            continue
        if action == "retitle":
            node = Node(node.kind, node.id, draw(texts()), node.description, node.source,
                        node.stated_in, node.note, node.props)  # fmt: skip
        elif action == "rekind":
            node = Node("Role" if node.kind != "Role" else "Strategy", node.id, node.title)
        elif action == "note":
            node = Node(node.kind, node.id, node.title, node.description, node.source,
                        node.stated_in, draw(st.text(max_size=5)), node.props)  # fmt: skip
        nodes.append(node)
    ids = {n.id for n in nodes}
    edges = [
        e if draw(st.booleans()) else Edge(e.kind, e.source, e.target, {"rationale": draw(texts())})
        for e in plan.edges
        if e.source in ids and e.target in ids and draw(st.integers(0, 3))
    ]
    return Plan.of(nodes, edges)


@st.composite
def plan_pairs(draw) -> tuple[Plan, Plan]:
    a = draw(valid_plans())
    b = draw(st.one_of(valid_plans(), edited(a)))
    return a, b


@settings(max_examples=150, deadline=None)
@given(plan_pairs())
def test_applying_the_diff_of_two_plans_gives_the_second(pair):
    a, b = pair
    d = diff_plans(a, b)
    assert apply_diff(d, a) == b
    assert apply_diff(invert_diff(d), b) == a
    assert bool(d) == (a != b)
    assert bool(plan_changes(a, b)) == (a != b)


@settings(max_examples=80, deadline=None)
@given(plan_pairs())
def test_a_diff_reads_back_from_json(pair):
    a, b = pair
    d = diff_plans(a, b)
    again = diff_from_json(json.loads(json.dumps(diff_to_json(d))))
    assert again == d
    assert apply_diff(again, a) == b


def _plan(*nodes: Node, edges: tuple[Edge, ...] = ()) -> Plan:
    return Plan.of(nodes, edges)


def test_a_changed_translation_is_one_field():
    a = _plan(Node("Role", "r", Text("Rol", "Role")))
    b = _plan(Node("Role", "r", Text("Rol", "Part"), note="new"))
    (change,) = diff_plans(a, b).changed_nodes
    assert change.fields == (
        FieldChange("note", None, "new"),
        FieldChange("title.en", "Role", "Part"),
    )


def test_kind_change_is_removed_and_added():
    a = _plan(Node("Role", "x", Text(en="X")))
    b = _plan(Node("Strategy", "x", Text(en="X")))
    d = diff_plans(a, b)
    assert [n.kind for n in d.removed_nodes] == ["Role"]
    assert [n.kind for n in d.added_nodes] == ["Strategy"]
    assert d.node_ids() == {"x": "kind changed"}


def test_links_added_removed_changed():
    r, s = Node("Role", "r", Text(en="R")), Node("Strategy", "s", Text(en="S"))
    old = Edge("CONTRIBUTES_TO", "s", "r", {"weight": 1.0})
    a = _plan(r, s, edges=(old, Edge("HAS_ROLE", "s", "r")))
    b = _plan(r, s, edges=(Edge("CONTRIBUTES_TO", "s", "r", {"weight": 2.0}),))
    d = diff_plans(a, b)
    assert [e.kind for e in d.removed_links] == ["HAS_ROLE"]
    assert d.changed_links[0].fields == (FieldChange("weight", 1.0, 2.0),)
    assert d.summary()["links changed"] == 1


def test_equal_plans_have_an_empty_diff():
    a = _plan(Node("Role", "r", Text(en="R")))
    assert not diff_plans(a, a)
    assert diff_plans(a, a).summary() == dict.fromkeys(diff_plans(a, a).summary(), 0)


def test_a_diff_refuses_a_plan_it_was_not_made_from():
    a = _plan(Node("Role", "r", Text(en="A")))
    b = _plan(Node("Role", "r", Text(en="B")))
    d = diff_plans(a, b)
    with pytest.raises(DiffConflict, match=r"node r: field title\.en is 'B', the diff expects 'A'"):
        apply_diff(d, b)
    with pytest.raises(DiffConflict, match="node r: already in the plan"):
        apply_diff(diff_plans(Plan.of([], []), a), a)
    with pytest.raises(DiffConflict, match="not in the plan as the diff removes"):
        apply_diff(diff_plans(a, Plan.of([], [])), Plan.of([], []))


def test_malformed_json_is_refused():
    with pytest.raises(PlanError, match="not a plan diff"):
        diff_from_json({"nodes": {"added": [{}]}, "links": {}})
