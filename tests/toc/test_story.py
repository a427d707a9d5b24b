"""Contribution stories: pathways ranked by confidence, links and their evidence, assumptions,
other factors, and the conclusion's confidence."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.toc.learning_plans import dags, item, ladder
from toc.analysis import NodeNotFound
from toc.causal import Link, causal_index
from toc.confidence import Band, link_confidences
from toc.harvest import HarvestedOutcome
from toc.story import StoryError, contribution_story

STRONG = {"kind": "study", "strength": "strong"}  # likelihood ratio 8


def outcome(outcome_id: str, near: tuple[str, ...], **kw) -> HarvestedOutcome:
    title = f"Outcome {outcome_id}"
    when = dt.date(2030, 3, 1)
    return HarvestedOutcome(outcome_id, title, "What changed", when, "A council", near, "x", **kw)


def test_the_story_of_the_ladder():
    evidence = [item("e1", Link("s1", "so"), **STRONG)]
    story = contribution_story(ladder(), "so", evidence)
    assert (story.node, story.kind, story.pathway_count) == ("so", "StrategicObjective", 4)
    assert story.strategies == ("s1", "s2")
    assert [(p.nodes, round(p.confidence, 4)) for p in story.pathways] == [
        (("s1", "so"), 0.8889),
        (("s1", "o1", "so"), 0.25),
        (("s2", "o1", "so"), 0.25),
        (("s2", "o2", "so"), 0.25),
    ]
    assert [s.link for s in story.links] == [Link("s1", "so"), Link("s1", "o1"),
                                             Link("o1", "so"), Link("s2", "o1"),
                                             Link("s2", "o2"), Link("o2", "so")]  # fmt: skip
    assert (story.links_total, story.links_without_evidence) == (6, 5)
    assert story.band is Band.VERY_HIGH and story.confidence == pytest.approx(8 / 9)
    assert story.has_evidence and not story.illustrative
    assert story.title.get("en") == "Strategic objective"
    assert set(story.titles) == {"so", "s1", "s2", "o1", "o2"}


def test_links_carry_their_rationale_evidence_and_assumptions():
    evidence = [
        item("late", Link("s1", "o1"), date=dt.date(2031, 1, 1)),
        item("early", Link("s1", "o1"), date=dt.date(2029, 1, 1)),
        item("a", assumption="a1", **STRONG),
    ]
    story = contribution_story(ladder(), "o1", evidence)
    first = next(s for s in story.links if s.link == Link("s1", "o1"))
    assert first.rationale.get("en") == "because"
    assert [e.id for e in first.evidence] == ["early", "late"]
    assert [(a.id, a.state) for a in first.assumptions] == [("a1", "held")]
    assert first.assumptions[0].title.get("en") == "Assumption one"
    other = next(s for s in story.links if s.link == Link("s2", "o1"))
    assert other.assumptions == () and other.evidence == ()


@pytest.mark.parametrize(
    "evidence, state",
    [
        ([], "untested"),
        ([item("a", assumption="a1", **STRONG)], "held"),
        ([item("a", assumption="a1", says="contradicts", **STRONG)], "not_held"),
        ([item("a", assumption="a1", **STRONG),
          item("b", assumption="a1", says="contradicts", **STRONG)], "inconclusive"),
    ],
)  # fmt: skip
def test_whether_an_assumption_held(evidence, state):
    story = contribution_story(ladder(), "o1", evidence)
    checks = {a.id: a.state for s in story.links for a in s.assumptions}
    assert checks == {"a1": state}


def test_the_limit_keeps_the_most_credible_pathways_and_their_links():
    evidence = [item("e1", Link("s2", "o2"), **STRONG)]
    story = contribution_story(ladder(), "so", evidence, limit=1)
    assert [p.nodes for p in story.pathways] == [("s1", "so")]  # 0.5 beats 0.8889 x 0.5
    assert [s.link for s in story.links] == [Link("s1", "so")]
    assert (story.pathway_count, story.links_total, story.links_without_evidence) == (4, 6, 5)


def test_evidence_after_as_of_does_not_count():
    evidence = [item("e1", Link("s1", "so"), date=dt.date(2031, 1, 1), **STRONG)]
    story = contribution_story(ladder(), "so", evidence, as_of=dt.date(2030, 12, 31))
    assert not story.has_evidence and story.confidence == 0.5
    assert story.as_of == dt.date(2030, 12, 31)


def test_priors_of_links_and_assumptions():
    story = contribution_story(ladder(), "o1", priors={Link("s1", "o1"): 0.8, "a1": 0.9})
    link = next(s for s in story.links if s.link == Link("s1", "o1"))
    assert link.confidence.posterior == 0.8
    assert link.assumptions[0].confidence.posterior == 0.9
    assert link.assumptions[0].state == "untested"


def test_outcomes_near_the_node_split_into_other_factors():
    outcomes = [
        outcome("planned", ("so",)),
        outcome("surprise", ("so",), planning="unplanned"),
        outcome("harm", ("so", "o1"), valence="negative"),
        outcome("elsewhere", ("o2",), illustrative=True),
    ]
    cite = item("c", Link("s2", "o2"), kind="harvested_outcome", outcome="elsewhere")
    story = contribution_story(ladder(), "so", [cite], outcomes)
    assert [o.id for o in story.outcomes] == ["planned"]
    assert [o.id for o in story.factors] == ["harm", "surprise"]
    assert list(story.cited) == ["elsewhere"]
    assert story.illustrative  # the cited outcome is


def test_illustrative_evidence_makes_an_illustrative_story():
    evidence = [item("e", assumption="a1", illustrative=True)]
    assert contribution_story(ladder(), "o1", evidence).illustrative
    assert not contribution_story(ladder(), "o2", evidence).illustrative  # not on its links


def test_a_node_no_strategy_reaches():
    story = contribution_story(ladder(), "o3")
    assert (story.pathway_count, story.pathways, story.links) == (0, (), ())
    assert story.confidence is None and story.band is None
    assert story.strategies == () and not story.has_evidence


@pytest.mark.parametrize(
    "node_id, limit, error, message",
    [
        ("nowhere", 10, NodeNotFound, "no node with id 'nowhere'"),
        ("s1", 10, StoryError, "s1 is of kind Strategy; a story is told for a Strategic"),
        ("a1", 10, StoryError, "a1 is of kind Assumption"),
        ("so", 0, StoryError, "the limit must be a whole number from 1 to 100"),
        ("so", 101, StoryError, "the limit must be"),
        ("so", True, StoryError, "the limit must be"),
    ],
)
def test_stories_that_cannot_be_told(node_id, limit, error, message):
    with pytest.raises(error, match=message):
        contribution_story(ladder(), node_id, limit=limit)


@settings(max_examples=80, deadline=None)
@given(dags(), st.data())
def test_the_shown_pathways_are_the_most_credible_ones(plan, data):
    index = causal_index(plan)
    links = list(index.links)
    evidence = [
        item(f"e{i}", data.draw(st.sampled_from(links)), kind="study",
             strength=data.draw(st.sampled_from(["weak", "moderate", "strong"])),
             says=data.draw(st.sampled_from(["supports", "contradicts"])))
        for i in range(data.draw(st.integers(0, 6)))
    ] if links else []  # fmt: skip
    target = data.draw(st.sampled_from([n for n, k in index.kinds.items() if k != "Strategy"]))
    limit = data.draw(st.integers(1, 5))
    story = contribution_story(plan, target, evidence, limit=limit, index=index)

    posterior = {k: c.posterior for k, c in link_confidences(index, evidence).items()}
    g = nx.DiGraph([(link.source, link.target) for link in index.links])
    g.add_nodes_from(index.kinds)
    every = [tuple(p) for s in index.strategies for p in nx.all_simple_paths(g, s, target)]
    assert story.pathway_count == len(every)

    def score(path):
        total = 0.0
        for a, b in itertools.pairwise(path):
            total += math.log(posterior[Link(a, b)])
        return total

    expected = sorted(every, key=lambda p: (-score(p), len(p), p))[:limit]
    assert [p.nodes for p in story.pathways] == expected
