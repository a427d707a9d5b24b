"""Harvested outcomes: the record, its checks, substantiation and citing one as evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.toc.learning_plans import item, ladder, node
from toc.causal import Link
from toc.confidence import assess
from toc.evidence import EvidenceError, EvidenceKind, Says, Strength
from toc.harvest import (
    PLANNING_LABELS,
    VALENCE_LABELS,
    VERDICT_LABELS,
    HarvestedOutcome,
    Planning,
    Substantiation,
    Valence,
    Verdict,
    check_outcomes,
    cite,
    outcomes_near,
    substantiation_verdict,
)
from toc.kinds import LANGUAGES
from toc.model import Plan

VALID = {
    "id": "ho1",
    "title": "Council adopts a participatory budget",
    "description": "The council voted a budget line decided by neighbourhood assemblies.",
    "when": "2029-03-01",
    "social_actor": "Municipal council of Bohicon",
    "near": ["o1"],
    "author": "M&E officer",
    "where": ["country.bj"],
    "significance": "First participatory budget in the department.",
    "contribution": "Twinning partners trained the finance staff.",
    "substantiation": [{"by": "Mayor's office", "verdict": "agrees", "note": "minutes"}],
    "valence": "positive",
    "planning": "unplanned",
    "illustrative": True,
}


def outcome(**change) -> HarvestedOutcome:
    return HarvestedOutcome.from_dict({**VALID, **change})


def plan_with_country() -> Plan:
    base = ladder()
    return Plan.of([*base.nodes, node("Country", "country.bj")], base.edges)


def test_an_outcome_from_a_mapping_and_back():
    made = outcome()
    assert made.when == dt.date(2029, 3, 1)
    assert made.near == ("o1",) and made.where == ("country.bj",)
    assert made.substantiation == (Substantiation("Mayor's office", Verdict.AGREES, "minutes"),)
    assert made.planning is Planning.UNPLANNED and made.valence is Valence.POSITIVE
    assert made.to_dict() == VALID


def test_the_optional_fields_default():
    minimal = {k: VALID[k] for k in ("id", "title", "description", "when", "social_actor",
                                     "near", "author")}  # fmt: skip
    made = HarvestedOutcome.from_dict(minimal)
    assert (made.where, made.substantiation, made.significance) == ((), (), "")
    assert made.valence is Valence.POSITIVE and made.planning is Planning.PLANNED
    assert not made.illustrative and not made.other_factor


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": ""}, "title", "must not be empty"),
        ({"description": "x" * 10_001}, "description", "longer than 10,000 characters"),
        ({"social_actor": None}, "social_actor", "must not be empty"),
        ({"when": "2029-13-01"}, "when", "'2029-13-01' is not a date YYYY-MM-DD"),
        ({"near": []}, "near", "needs at least one id"),
        ({"near": "o1"}, "near", "must be a list of ids"),
        ({"near": ["o1", "o1"]}, "near", "names an id twice"),
        ({"where": [3]}, "where", "must be a list of ids"),
        ({"valence": "mixed"}, "valence", "'mixed' is not one of positive, negative"),
        ({"planning": "maybe"}, "planning", "'maybe' is not one of planned, unplanned"),
        ({"illustrative": 1}, "illustrative", "must be true or false"),
        ({"title": "a\x07b"}, "title", "control characters"),
    ],
)
def test_a_wrong_field_is_named(change, field, message):
    with pytest.raises(EvidenceError) as caught:
        outcome(**change)
    assert caught.value.field == field and caught.value.item == "ho1"
    assert str(caught.value).startswith(f"outcome 'ho1', {field}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "substantiation, message",
    [
        ("agrees", "must be a list"),
        ([{"by": "x"}], "each needs by and verdict"),
        ([{"by": "x", "verdict": "agrees", "extra": 1}], "each needs by, verdict"),
        ([{"by": "x", "verdict": "sort of"}], "'sort of' is not one of agrees, partly"),
        ([{"by": "", "verdict": "agrees"}], "must not be empty"),
    ],
)
def test_a_wrong_substantiation_is_refused(substantiation, message):
    with pytest.raises(EvidenceError, match="substantiation") as caught:
        outcome(substantiation=substantiation)
    assert message in str(caught.value)


def test_unknown_and_missing_fields_and_future_dates():
    with pytest.raises(EvidenceError, match=r"unknown field\(s\) who"):
        outcome(who="x")
    with pytest.raises(EvidenceError, match=r"missing field\(s\) near"):
        HarvestedOutcome.from_dict({k: v for k, v in VALID.items() if k != "near"})
    with pytest.raises(EvidenceError, match="is not a valid id"):
        outcome(id="no spaces")
    with pytest.raises(EvidenceError, match=r"2029-03-01 is after today \(2029-02-28\)"):
        HarvestedOutcome.from_dict(VALID, today=dt.date(2029, 2, 28))


def test_other_factors_are_unplanned_or_negative():
    assert outcome(planning="unplanned", valence="positive").other_factor
    assert outcome(planning="planned", valence="negative").other_factor
    assert not outcome(planning="planned", valence="positive").other_factor


def test_the_least_favourable_verdict_counts():
    assert substantiation_verdict(outcome(substantiation=[])) is None
    views = [{"by": "a", "verdict": "agrees"}, {"by": "b", "verdict": "disagrees"},
             {"by": "c", "verdict": "partly"}]  # fmt: skip
    assert substantiation_verdict(outcome(substantiation=views)) is Verdict.DISAGREES
    assert substantiation_verdict(outcome(substantiation=views[:1])) is Verdict.AGREES


@pytest.mark.parametrize(
    "views, strength",
    [([], Strength.WEAK), ([{"by": "a", "verdict": "agrees"}], Strength.MODERATE),
     ([{"by": "a", "verdict": "agrees"}, {"by": "b", "verdict": "partly"}], Strength.WEAK)],
)  # fmt: skip
def test_citing_an_outcome_makes_an_evidence_item(views, strength):
    made = outcome(substantiation=views)
    cited = cite(made, Link("s1", "o1"), id="ev.ho1", author="me")
    assert cited.kind is EvidenceKind.HARVESTED_OUTCOME and cited.outcome == "ho1"
    assert cited.strength is strength and cited.says is Says.SUPPORTS
    assert cited.date == made.when and cited.illustrative
    assert cited.source_text == (
        "Council adopts a participatory budget. First participatory budget in the department."
    )
    assert assess(Link("s1", "o1"), [cited]).posterior > 0.5


def test_a_citation_may_say_otherwise():
    cited = cite(outcome(illustrative=False), Link("s1", "o1"), id="e", author="me",
                 says="contradicts", strength="strong", date=dt.date(2030, 2, 1),
                 source_text="It happened despite us")  # fmt: skip
    assert (cited.says, cited.strength, cited.date) == (
        Says.CONTRADICTS, Strength.STRONG, dt.date(2030, 2, 1))  # fmt: skip
    assert cited.source_text == "It happened despite us" and not cited.illustrative


def test_outcomes_near_a_node_by_date():
    late = outcome(id="late", when="2030-01-01")
    early = outcome(id="early", when="2028-01-01", near=["o1", "so"])
    elsewhere = outcome(id="far", near=["o2"])
    assert [o.id for o in outcomes_near([late, elsewhere, early], "o1")] == ["early", "late"]
    assert outcomes_near([], "o1") == []


def test_check_outcomes_against_the_plan():
    plan = plan_with_country()
    good = outcome()
    bad = outcome(id="bad", near=["o1", "nowhere"], where=["o2"])
    twice = outcome()
    orphan = item("ev9", Link("s1", "o1"), kind="harvested_outcome", outcome="ho-missing")
    assert [str(i) for i in check_outcomes(plan, [good, bad, twice], [orphan])] == [
        "error: [bad] near: 'nowhere' is not a node of the plan",
        "error: [bad] where: 'o2' is not a Country of the plan",
        "error: [ho1] the id is given more than once",
        "error: [ev9] cites the outcome 'ho-missing', which is not recorded",
    ]
    assert check_outcomes(plan, [good]) == []


def test_labels_exist_in_both_languages():
    for table, enum in ((VALENCE_LABELS, Valence), (PLANNING_LABELS, Planning),
                        (VERDICT_LABELS, Verdict)):  # fmt: skip
        assert set(table) == set(enum)
        assert all(label.has(lang) for label in table.values() for lang in LANGUAGES)


@given(
    st.text(min_size=1, max_size=50).filter(lambda t: t.strip() and t.isprintable()),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
    st.sampled_from(list(Valence)),
    st.sampled_from(list(Planning)),
    st.lists(st.sampled_from(list(Verdict)), max_size=4),
)
def test_every_outcome_survives_the_round_trip(title, when, valence, planning, verdicts):
    made = outcome(title=title, when=when.isoformat(), valence=valence.value,
                   planning=planning.value,
                   substantiation=[{"by": f"p{i}", "verdict": v.value, "note": ""}
                                   for i, v in enumerate(verdicts)])  # fmt: skip
    assert HarvestedOutcome.from_dict(made.to_dict()) == made
