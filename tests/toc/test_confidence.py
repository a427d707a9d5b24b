"""Bayesian confidence: the likelihood table, the posterior and its properties, bands, pathways."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.toc.learning_plans import DAY, item, items_on, ladder
from toc.causal import Link
from toc.confidence import (
    BAND_LABELS,
    EPSILON,
    LIKELIHOODS,
    Band,
    ConfidenceError,
    assess,
    assumption_confidences,
    band,
    likelihoods,
    link_confidences,
    log_likelihood_ratio,
    pathway_confidence,
    posterior,
)
from toc.evidence import EvidenceKind, Says, Strength
from toc.kinds import LANGUAGES

L = Link("s1", "o1")
priors = st.floats(1e-6, 1 - 1e-6)


# --------------------------------------------------------------------------- the table


def test_the_table_covers_every_kind_and_strength():
    assert set(LIKELIHOODS) == {(k, s) for k in EvidenceKind for s in Strength}


@pytest.mark.parametrize("kind", list(EvidenceKind))
def test_support_is_diagnostic_and_grows_with_strength(kind):
    ratios = []
    for strength in (Strength.WEAK, Strength.MODERATE, Strength.STRONG):
        p_h, p_not_h = LIKELIHOODS[(kind, strength)]
        assert 0 < p_not_h < p_h < 1
        ratios.append(p_h / p_not_h)
    assert ratios == sorted(ratios) and len(set(ratios)) == 3


def test_a_contradicting_item_swaps_the_pair():
    support = item("a", L, kind="study", strength="strong")
    against = item("b", L, kind="study", strength="strong", says="contradicts")
    assert likelihoods(support) == (0.8, 0.1)
    assert likelihoods(against) == (0.1, 0.8)
    assert log_likelihood_ratio(against) == -log_likelihood_ratio(support)
    # Same kind and strength for and against: back to the prior, exactly.
    assert assess(L, [support, against]).posterior == 0.5


def test_overrides_replace_the_table():
    custom = item("a", L, kind="other", strength="weak", p_e_given_h=0.9, p_e_given_not_h=0.05)
    assert likelihoods(custom) == (0.9, 0.05)
    assert log_likelihood_ratio(custom) == pytest.approx(math.log(18))


# --------------------------------------------------------------------------- the posterior


def test_worked_numbers():
    items = [
        item("e1", L, kind="evaluation", strength="moderate"),  # 0.70 / 0.25 = 2.8
        item("e2", L, kind="testimony", strength="weak", says="contradicts"),  # 0.5 / 0.6
    ]
    result = assess(L, items)
    assert result.posterior == pytest.approx(0.7, abs=1e-12)  # odds 1 x 2.8 x 5/6 = 7/3
    assert result.band is Band.HIGH
    assert [w.item.id for w in result.movers()] == ["e1", "e2"]
    assert result.weights[0].ratio == pytest.approx(2.8)


def test_no_evidence_keeps_the_prior():
    result = assess(L, [], prior=0.3)
    assert (result.posterior, result.has_evidence, result.movers()) == (0.3, False, ())


def test_a_prior_moves_the_posterior():
    strong = [item("e", L, kind="study", strength="strong")]  # ratio 8
    assert assess(L, strong, prior=0.2).posterior == pytest.approx(2 / 3)  # odds 0.25 x 8


@pytest.mark.parametrize("prior", [0, 1, -0.5, 1.5, float("nan"), float("inf"), True, "0.5"])
def test_a_prior_outside_the_open_interval_is_refused(prior):
    with pytest.raises(ConfidenceError, match="prior"):
        assess(L, [], prior=prior)


def test_only_items_dated_up_to_as_of_count():
    early = item("early", L, date=dt.date(2029, 1, 1))
    late = item("late", L, date=dt.date(2031, 1, 1), says="contradicts", strength="strong")
    assert [w.item.id for w in assess(L, [early, late], as_of=dt.date(2030, 1, 1)).weights] == [
        "early"
    ]
    assert assess(L, [early, late], as_of=dt.date(2029, 1, 1)).has_evidence
    assert not assess(L, [early, late], as_of=dt.date(2028, 12, 31)).has_evidence


def test_an_item_about_another_link_is_refused():
    with pytest.raises(ConfidenceError, match="evidence 'x' is about o1 -> so, not s1 -> o1"):
        assess(L, [item("x", Link("o1", "so"))])


def test_movers_leave_out_neutral_items_and_order_by_weight_then_date():
    neutral = item("n", L, p_e_given_h=0.5, p_e_given_not_h=0.5)
    a = item("a", L, kind="study", strength="strong", date=dt.date(2030, 5, 1))
    b = item("b", L, kind="study", strength="strong", says="contradicts", date=DAY)
    weak = item("w", L, kind="other", strength="weak")
    result = assess(L, [neutral, weak, a, b])
    assert [m.item.id for m in result.movers(5)] == ["b", "a", "w"]
    assert [w.item.id for w in result.weights] == ["b", "a", "w", "n"]


def test_illustrative_when_any_item_is():
    assert assess(L, [item("a", L), item("b", L, illustrative=True)]).illustrative
    assert not assess(L, [item("a", L)]).illustrative


def test_extreme_evidence_stays_inside_the_bounds():
    many = [item(f"e{i}", L, kind="study", strength="strong") for i in range(200)]
    assert assess(L, many).posterior == 1 - EPSILON
    against = [item(f"e{i}", L, kind="study", strength="strong", says="contradicts")
               for i in range(200)]  # fmt: skip
    assert assess(L, against).posterior == EPSILON
    assert posterior(1e-300, []) == EPSILON
    assert posterior(1 - 1e-16, []) == 1 - EPSILON


@settings(max_examples=300)
@given(priors, items_on(L))
def test_the_posterior_is_strictly_inside_zero_and_one(prior, items):
    p = assess(L, items, prior=prior).posterior
    assert 0 < EPSILON <= p <= 1 - EPSILON < 1


@settings(max_examples=300)
@given(priors, items_on(L), st.randoms(use_true_random=False))
def test_the_order_of_the_items_does_not_matter(prior, items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    first, second = assess(L, items, prior=prior), assess(L, shuffled, prior=prior)
    assert first.posterior == second.posterior  # exactly: the log ratios are summed exactly
    assert first.weights == second.weights


@settings(max_examples=300)
@given(priors, items_on(L), items_on(L, Says.SUPPORTS, count=3))
def test_supporting_evidence_never_lowers_the_posterior(prior, items, support):
    support = [s.__class__(**{**s.__dict__, "id": f"plus-{s.id}"}) for s in support]
    before = assess(L, items, prior=prior).posterior
    assert assess(L, [*items, *support], prior=prior).posterior >= before


@settings(max_examples=300)
@given(priors, items_on(L), items_on(L, Says.CONTRADICTS, count=3))
def test_contradicting_evidence_never_raises_the_posterior(prior, items, against):
    against = [s.__class__(**{**s.__dict__, "id": f"minus-{s.id}"}) for s in against]
    before = assess(L, items, prior=prior).posterior
    assert assess(L, [*items, *against], prior=prior).posterior <= before


@settings(max_examples=300)
@given(priors, items_on(L), st.floats(1e-6, 1 - 1e-6), st.sampled_from(list(Says)))
def test_neutral_evidence_changes_nothing(prior, items, p, says):
    neutral = item("neutral", L, says=says.value, p_e_given_h=p, p_e_given_not_h=p)
    assert log_likelihood_ratio(neutral) == 0.0
    before = assess(L, items, prior=prior).posterior
    assert assess(L, [*items, neutral], prior=prior).posterior == before


@given(priors, st.lists(st.floats(-50, 50), max_size=10))
def test_evidence_for_one_is_evidence_against_the_other(prior, ratios):
    """P(H | E) under prior p equals 1 - P(not H | E) under prior 1 - p with mirrored ratios."""
    mirrored = posterior(1 - prior, [-r for r in ratios])
    assert posterior(prior, ratios) == pytest.approx(1 - mirrored, abs=1e-9)


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    "p, expected",
    [(EPSILON, Band.VERY_LOW), (0.1499, Band.VERY_LOW), (0.15, Band.LOW), (0.3499, Band.LOW),
     (0.35, Band.MODERATE), (0.5, Band.MODERATE), (0.6499, Band.MODERATE), (0.65, Band.HIGH),
     (0.8499, Band.HIGH), (0.85, Band.VERY_HIGH), (1 - EPSILON, Band.VERY_HIGH)],
)  # fmt: skip
def test_band_limits(p, expected):
    assert band(p) is expected


@given(st.floats(0, 1))
def test_bands_are_symmetric_about_one_half(p):
    mirror = {Band.VERY_LOW: Band.VERY_HIGH, Band.LOW: Band.HIGH, Band.MODERATE: Band.MODERATE,
              Band.HIGH: Band.LOW, Band.VERY_HIGH: Band.VERY_LOW}  # fmt: skip
    limits = (0.15, 0.35, 0.65, 0.85)  # lower limits are inclusive: the one asymmetry
    if all(abs(p - x) > 1e-12 and abs((1 - p) - x) > 1e-12 for x in limits):
        assert band(1 - p) is mirror[band(p)]


def test_band_labels_in_both_languages():
    assert set(BAND_LABELS) == set(Band)
    assert all(label.has(lang) for label in BAND_LABELS.values() for lang in LANGUAGES)
    assert BAND_LABELS[Band.VERY_HIGH].get("nl") == "zeer hoog"


# --------------------------------------------------------------------------- links, plans, pathways


def test_confidence_of_every_link_of_a_plan():
    plan = ladder()
    items = [item("e1", Link("s1", "o1"), kind="study", strength="strong"),
             item("stale", Link("s1", "o2")), item("on-a1", assumption="a1")]  # fmt: skip
    result = link_confidences(plan, items, priors={Link("o2", "so"): 0.2})
    assert list(result) == [Link("o1", "so"), Link("o2", "so"), Link("o3", "so"),
                            Link("s1", "o1"), Link("s1", "so"), Link("s2", "o1"),
                            Link("s2", "o2")]  # fmt: skip
    assert result[Link("s1", "o1")].posterior == pytest.approx(8 / 9)
    assert result[Link("o2", "so")].posterior == 0.2
    assert {link for link, c in result.items() if c.has_evidence} == {Link("s1", "o1")}


def test_a_bad_prior_in_the_mapping_names_the_link():
    with pytest.raises(ConfidenceError, match="the prior of s1 -> o1"):
        link_confidences(ladder(), [], priors={Link("s1", "o1"): 2.0})


def test_confidence_of_assumptions():
    items = [item("a", assumption="a1", says="contradicts", kind="document", strength="strong")]
    result = assumption_confidences(ladder(), items)
    assert list(result) == ["a1"]
    assert result["a1"].posterior == pytest.approx(0.25)  # ratio 0.25 / 0.75


def test_pathway_confidence_is_the_product_beside_the_weakest_link():
    confidences = {Link("s", "o"): 0.9, Link("o", "so"): 0.5, Link("so", "x"): 0.8}
    result = pathway_confidence(["s", "o", "so", "x"], confidences)
    assert result.confidence == pytest.approx(0.36)
    assert (result.weakest, result.weakest_posterior) == (Link("o", "so"), 0.5)
    assert result.band is Band.MODERATE
    assert result.links == (Link("s", "o"), Link("o", "so"), Link("so", "x"))


def test_pathway_confidence_takes_confidence_objects_too():
    conf = assess(Link("s", "o"), [item("e", Link("s", "o"), kind="study", strength="strong")])
    assert pathway_confidence(["s", "o"], {Link("s", "o"): conf}).confidence == pytest.approx(8 / 9)


def test_a_pathway_needs_known_links():
    with pytest.raises(ConfidenceError, match="at least one link"):
        pathway_confidence(["s"], {})
    with pytest.raises(ConfidenceError, match="no confidence for the link o -> so"):
        pathway_confidence(["s", "o", "so"], {Link("s", "o"): 0.5})


@given(st.lists(st.floats(EPSILON, 1 - EPSILON), min_size=1, max_size=8))
def test_a_pathway_is_never_more_credible_than_its_weakest_link(values):
    nodes = [f"n{i}" for i in range(len(values) + 1)]
    confidences = {Link(a, b): v for a, b, v in zip(nodes, nodes[1:], values, strict=False)}
    result = pathway_confidence(nodes, confidences)
    assert 0 < result.confidence <= result.weakest_posterior == min(values)


def test_every_item_on_a_link_of_the_plan_counts_once():
    rnd = random.Random(3)
    plan = ladder()
    links = list(link_confidences(plan, []))
    items = [item(f"e{i}", rnd.choice(links), kind=rnd.choice(["study", "document"]))
             for i in range(5000)]  # fmt: skip
    result = link_confidences(plan, items)
    assert sum(len(c.weights) for c in result.values()) == 5000
