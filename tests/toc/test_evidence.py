"""Evidence items: what they hold, every way they can be wrong, and their check against a plan."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.toc.learning_plans import item, items_on, ladder
from toc.causal import Link
from toc.evidence import (
    KIND_LABELS,
    SAYS_LABELS,
    STRENGTH_LABELS,
    TYPED_KINDS,
    Evidence,
    EvidenceError,
    EvidenceKind,
    Says,
    Strength,
    check_evidence,
)
from toc.kinds import LANGUAGES

L = Link("s1", "o1")

VALID = {
    "id": "ev1",
    "kind": "evaluation",
    "says": "supports",
    "strength": "strong",
    "source_text": "Mid-term review, p. 12",
    "date": "2029-06-30",
    "author": "M. Peeters",
    "link": {"source": "s1", "target": "o1", "kind": "CONTRIBUTES_TO"},
}


def test_an_item_from_a_mapping_and_back():
    made = Evidence.from_dict(VALID)
    assert made == Evidence(
        "ev1",
        EvidenceKind.EVALUATION,
        Says.SUPPORTS,
        Strength.STRONG,
        "Mid-term review, p. 12",
        dt.date(2029, 6, 30),
        "M. Peeters",
        link=L,
    )
    assert made.to_dict() == VALID
    assert made.subject == L


def test_every_optional_field_survives_the_round_trip():
    data = {
        **VALID,
        "kind": "harvested_outcome",
        "outcome": "ho1",
        "url": "https://example.org/report.pdf",
        "attachment": "report.pdf",
        "illustrative": True,
        "p_e_given_h": 0.9,
        "p_e_given_not_h": 0.2,
    }
    assert Evidence.from_dict(data).to_dict() == data


def test_an_item_on_an_assumption():
    made = item("e", assumption="a1")
    assert made.subject == "a1" and made.link is None
    assert made.to_dict()["assumption"] == "a1" and "link" not in made.to_dict()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"kind": "rumour"}, "kind", "'rumour' is not one of indicator_trend, evaluation"),
        ({"says": "maybe"}, "says", "'maybe' is not one of supports, contradicts"),
        ({"strength": "huge"}, "strength", "'huge' is not one of weak, moderate, strong"),
        ({"source_text": "  "}, "source_text", "must not be empty"),
        ({"source_text": "x" * 10_001}, "source_text", "longer than 10,000 characters"),
        ({"source_text": "a\x00b"}, "source_text", "control characters"),
        ({"author": 7}, "author", "must be text, got int"),
        ({"date": "30/06/2029"}, "date", "'30/06/2029' is not a date YYYY-MM-DD"),
        ({"date": "1800-01-01"}, "date", "1800-01-01 is outside 1900-2200"),
        ({"date": 2029}, "date", "must be a date, got int"),
        ({"link": {"source": "s1", "target": "sdg16", "kind": "ALIGNS_WITH"}}, "link",
         "ALIGNS_WITH is not a causal link kind (CONTRIBUTES_TO)"),
        ({"link": {"source": "s1"}}, "link", "needs source and target"),
        ({"link": {"source": "s1", "target": ""}}, "link", "source, target and kind must be ids"),
        ({"link": "s1->o1"}, "link", "must be {source, target, kind}"),
        ({"url": "javascript:alert(1)"}, "url", "is not an http(s) address"),
        ({"url": "ftp://example.org/x"}, "url", "is not an http(s) address"),
        ({"attachment": "../../etc/passwd"}, "attachment", "is not a plain file name"),
        ({"attachment": ".hidden"}, "attachment", "is not a plain file name"),
        ({"outcome": "ho1"}, "outcome", "only harvested_outcome items cite an outcome"),
        ({"kind": "harvested_outcome"}, "outcome", "a harvested_outcome item names its outcome"),
        ({"illustrative": "yes"}, "illustrative", "must be true or false"),
        ({"p_e_given_h": 0.0, "p_e_given_not_h": 0.5}, "p_e_given_h", "strictly between 0 and 1"),
        ({"p_e_given_h": 0.5, "p_e_given_not_h": 1}, "p_e_given_not_h",
         "strictly between 0 and 1"),
        ({"p_e_given_h": float("nan"), "p_e_given_not_h": 0.5}, "p_e_given_h",
         "strictly between 0 and 1"),
        ({"p_e_given_h": True, "p_e_given_not_h": 0.5}, "p_e_given_h", "must be a number"),
    ],
)  # fmt: skip
def test_a_wrong_field_is_named(change, field, message):
    with pytest.raises(EvidenceError, match="ev1") as caught:
        Evidence.from_dict({**VALID, **change})
    assert caught.value.field == field and caught.value.item == "ev1"
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"p_e_given_h": 0.9}, "override P(E|H) and P(E|not H) together"),
        ({"p_e_given_h": 0.2, "p_e_given_not_h": 0.6}, "a supporting item needs P(E|H) >= "),
        ({"says": "contradicts", "p_e_given_h": 0.6, "p_e_given_not_h": 0.2},
         "a contradicting item needs P(E|H) <= P(E|not H)"),
        ({"assumption": "a1"}, "give either a link or an assumption, not both or neither"),
        ({"when": "x"}, "unknown field(s) when"),
    ],
)  # fmt: skip
def test_inconsistent_items_are_refused(change, message):
    with pytest.raises(EvidenceError, match="ev1") as caught:
        Evidence.from_dict({**VALID, **change})
    assert message in str(caught.value)


def test_missing_fields_and_bad_ids():
    with pytest.raises(EvidenceError, match=r"missing field\(s\) author"):
        Evidence.from_dict({k: v for k, v in VALID.items() if k != "author"})
    with pytest.raises(EvidenceError, match="give either a link or an assumption"):
        Evidence.from_dict({k: v for k, v in VALID.items() if k != "link"})
    with pytest.raises(EvidenceError, match="is not a valid id"):
        Evidence.from_dict({**VALID, "id": "bad id"})
    with pytest.raises(EvidenceError, match="must be a mapping"):
        Evidence.from_dict(["id", "ev1"])


def test_a_neutral_override_is_allowed_either_way():
    for says in ("supports", "contradicts"):
        made = Evidence.from_dict({**VALID, "says": says, "p_e_given_h": 0.4,
                                   "p_e_given_not_h": 0.4})  # fmt: skip
        assert made.p_e_given_h == made.p_e_given_not_h == 0.4


def test_a_date_after_today_is_refused_when_today_is_known():
    Evidence.from_dict(VALID, today=dt.date(2029, 6, 30))
    with pytest.raises(EvidenceError, match=r"2029-06-30 is after today \(2029-06-29\)"):
        Evidence.from_dict(VALID, today=dt.date(2029, 6, 29))


def test_texts_are_trimmed():
    made = Evidence.from_dict({**VALID, "source_text": "  report  ", "author": " me "})
    assert (made.source_text, made.author) == ("report", "me")


def test_labels_exist_in_both_languages():
    for table, enum in ((KIND_LABELS, EvidenceKind), (STRENGTH_LABELS, Strength),
                        (SAYS_LABELS, Says)):  # fmt: skip
        assert set(table) == set(enum)
        for label in table.values():
            assert all(label.has(lang) for lang in LANGUAGES)
    assert KIND_LABELS[EvidenceKind.MONITORING_VISIT].get("nl") == "monitoringbezoek"
    assert EvidenceKind.INDICATOR_TREND not in TYPED_KINDS
    assert len(TYPED_KINDS) == len(EvidenceKind) - 1


def test_check_evidence_against_the_plan():
    plan = ladder()
    items = [
        item("ok", Link("s1", "o1")),
        item("gone", Link("s1", "o2")),
        item("dup", Link("o1", "so")),
        item("dup", Link("o2", "so")),
        item("no-such", assumption="a9"),
        item("not-an-assumption", assumption="o1"),
        item("fine", assumption="a1"),
    ]
    assert [str(i) for i in check_evidence(plan, items)] == [
        "error: [dup] the id is given 2 times",
        "error: [gone] the link s1 -> o2 (CONTRIBUTES_TO) is not in the plan",
        "error: [no-such] 'a9' is not an Assumption of the plan",
        "error: [not-an-assumption] 'o1' is not an Assumption of the plan",
    ]


def test_evidence_on_an_assumption_no_link_relies_on_is_a_warning():
    plan = ladder()
    bare = type(plan).of(plan.nodes, [e for e in plan.edges if "assumptions" not in e.props])
    assert [str(i) for i in check_evidence(bare, [item("e", assumption="a1")])] == [
        "warning: [e] no causal link relies on 'a1'"
    ]
    assert check_evidence(plan, []) == []


@given(items_on(L))
def test_every_item_survives_the_round_trip(items):
    for made in items:
        assert Evidence.from_dict(made.to_dict()) == made


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_any_date_in_range_is_accepted(day):
    assert item("e", L, date=day).date == day
    assert item("e", L, date=dt.datetime(day.year, day.month, day.day, 12)).date == day
