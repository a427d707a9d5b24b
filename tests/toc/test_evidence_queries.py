"""Evidence queries: weakest links per strategic objective, links without evidence, links whose
confidence fell, evidence whose link is gone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.toc.learning_plans import contrib, item, items_on, ladder, node
from toc.causal import Link, causal_index
from toc.confidence import ConfidenceError, assess
from toc.evidence_queries import (
    confidence_fell,
    links_without_evidence,
    orphaned_evidence,
    weakest_links,
)
from toc.model import Plan

STRONG = {"kind": "study", "strength": "strong"}
D1, D2, D3 = dt.date(2029, 1, 1), dt.date(2030, 1, 1), dt.date(2031, 1, 1)


def two_objectives() -> Plan:
    """The ladder plus a second strategic objective so2 reached through o2 only."""
    base = ladder()
    return Plan.of([*base.nodes, node("StrategicObjective", "so2")],
                   [*base.edges, contrib("o2", "so2")])  # fmt: skip


def test_weakest_links_per_strategic_objective():
    evidence = [
        item("against", Link("s2", "o2"), says="contradicts", **STRONG),
        item("for", Link("o1", "so"), **STRONG),
        item("weakly-against", Link("s1", "so"), says="contradicts", kind="other",
             strength="weak"),
    ]  # fmt: skip
    result = weakest_links(two_objectives(), evidence, per_objective=3)
    assert list(result) == ["so", "so2"]
    assert [(str(c.subject), round(c.posterior, 3)) for c in result["so"]] == [
        ("s2 -> o2", 0.111),
        ("s1 -> so", 0.476),
        ("o2 -> so", 0.5),  # no evidence, like s1 -> o1 and s2 -> o1: ties by source, target
    ]
    assert [str(c.subject) for c in result["so2"]] == ["s2 -> o2", "o2 -> so2"]


def test_ties_go_to_the_link_with_fewer_items():
    evidence = [item("a", Link("s1", "o1")), item("b", Link("s1", "o1"), says="contradicts")]
    result = weakest_links(ladder(), evidence, per_objective=1)
    assert result["so"][0].posterior == 0.5
    assert result["so"][0].subject == Link("o1", "so")  # no items beats two that cancel


def test_weakest_links_of_an_unreached_objective_and_bad_counts():
    plan = Plan.of([*ladder().nodes, node("StrategicObjective", "lonely")], ladder().edges)
    assert weakest_links(plan, [])["lonely"] == []
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ConfidenceError, match="per_objective"):
            weakest_links(plan, [], per_objective=bad)


def test_links_without_evidence_in_plan_order():
    evidence = [item("a", Link("s1", "o1")), item("later", Link("o1", "so"), date=D3),
                item("on-a1", assumption="a1")]  # fmt: skip
    assert links_without_evidence(ladder(), evidence) == [
        Link("o2", "so"), Link("o3", "so"), Link("s1", "so"), Link("s2", "o1"), Link("s2", "o2")
    ]  # fmt: skip
    assert Link("o1", "so") in links_without_evidence(ladder(), evidence, as_of=D2)
    assert len(links_without_evidence(ladder(), [])) == 7
    assert links_without_evidence(Plan.of([], []), []) == []


def test_links_whose_confidence_fell():
    evidence = [
        item("for", Link("s1", "o1"), date=D1, **STRONG),
        item("against", Link("s1", "o1"), date=D2, says="contradicts", **STRONG),
        item("small-drop", Link("o1", "so"), date=D2, says="contradicts", kind="other",
             strength="weak"),
        item("rise", Link("s2", "o2"), date=D2),
        item("too-late", Link("o2", "so"), date=D3, says="contradicts"),
    ]  # fmt: skip
    fell = confidence_fell(ladder(), evidence, D1, D2)
    assert [(str(c.link), round(c.before, 3), round(c.after, 3)) for c in fell] == [
        ("s1 -> o1", 0.889, 0.5),
        ("o1 -> so", 0.5, 0.476),
    ]
    assert fell[0].change == pytest.approx(0.5 - 8 / 9)
    assert confidence_fell(ladder(), evidence, D2, D2) == []


def test_the_dates_must_be_in_order():
    with pytest.raises(ConfidenceError, match=r"the first date \(2030-01-01\) is after"):
        confidence_fell(ladder(), [], D2, D1)
    with pytest.raises(ConfidenceError, match="must be dates"):
        confidence_fell(ladder(), [], "2029-01-01", D2)


def test_priors_count_in_both_dates():
    fell = confidence_fell(ladder(), [item("x", Link("s1", "o1"), date=D2, says="contradicts")],
                           D1, D2, priors={Link("s1", "o1"): 0.9})  # fmt: skip
    assert [round(c.before, 2) for c in fell] == [0.9]


def test_orphaned_evidence():
    evidence = [item("ok", Link("s1", "o1")), item("gone", Link("s1", "o2")),
                item("a-ok", assumption="a1"), item("a-gone", assumption="a7")]  # fmt: skip
    assert [i.id for i in orphaned_evidence(ladder(), evidence)] == ["a-gone", "gone"]


def test_queries_take_a_prebuilt_index():
    index = causal_index(ladder())
    assert links_without_evidence(index, []) == links_without_evidence(ladder(), [])
    assert list(weakest_links(index, [])) == ["so"]


@settings(max_examples=100, deadline=None)
@given(items_on(Link("s1", "o1"), count=6), st.dates(D1, D3), st.dates(D1, D3))
def test_a_fall_is_exactly_what_assess_gives_at_each_date(items, a, b):
    start, end = min(a, b), max(a, b)
    fell = {c.link: c for c in confidence_fell(ladder(), items, start, end)}
    before = assess(Link("s1", "o1"), items, as_of=start).posterior
    after = assess(Link("s1", "o1"), items, as_of=end).posterior
    if after < before:
        assert (fell[Link("s1", "o1")].before, fell[Link("s1", "o1")].after) == (before, after)
    else:
        assert Link("s1", "o1") not in fell
    assert set(fell) <= {Link("s1", "o1")}
