"""Evidence derived from indicator trends: which link gets which item, how strong, when, and
whether it is illustrative."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.definitions import decode_indicator
from indicators.link_evidence import DERIVED_AUTHOR, derived_evidence, link_trend
from indicators.model import MeasurementValue, Revision
from indicators.pathway_status import compute_plan_status
from indicators.records import revisions_to_frame
from tests.toc.learning_plans import contrib, node
from toc.causal import Link
from toc.confidence import assess
from toc.evidence import EvidenceKind, Says, Strength
from toc.model import Plan

# Baseline 0 at the end of 2026, end target 40 at the end of 2030: expected 10 a year.
ON, AT_RISK, OFF = 10, 8, 2  # in 2027: 100 %, 80 %, 20 % of the expected progress


def plan() -> Plan:
    """s -> x -> y, and z -> y (z measured by nothing)."""
    nodes = [node("Strategy", "s"), node("Output", "x"), node("Outcome", "y"),
             node("Output", "z")]  # fmt: skip
    return Plan.of(nodes, [contrib("s", "x"), contrib("x", "y"), contrib("z", "y")])


def indicator(code: str, measures: str):
    return decode_indicator(
        {"code": code, "measures": [measures], "title": {"en": code}, "type": "number",
         "direction": "increase", "start_year": 2027, "end_year": 2030,
         "baseline": {"value": 0, "date": "2026-12-31"}, "end_target": {"value": 40}}
    )  # fmt: skip


def status(values: dict[str, list[float]], measures: dict[str, str], illustrative=()):
    """Plan status with each indicator's yearly values from 2027 on, recorded in January
    after each year."""
    log = [
        Revision(code, str(2027 + i), 1, "approved", MeasurementValue(value=v), author="a",
                 recorded_at=f"{2028 + i}-01-{10 + i:02d}T00:00:00.000000Z",
                 illustrative=code in illustrative)
        for code, series in values.items()
        for i, v in enumerate(series)
    ]  # fmt: skip
    indicators = [indicator(code, node_id) for code, node_id in measures.items()]
    return compute_plan_status(plan(), indicators, revisions_to_frame(log))


ONE_EACH = {"i.s": "s", "i.x": "x"}
TWO_EACH = {"i.s": "s", "i.s2": "s", "i.x": "x", "i.x2": "x"}


@pytest.mark.parametrize(
    "measures, values, says, strength",
    [
        (ONE_EACH, {"i.s": [ON], "i.x": [ON]}, Says.SUPPORTS, Strength.WEAK),
        (ONE_EACH, {"i.s": [ON, 20], "i.x": [ON, 20]}, Says.SUPPORTS, Strength.MODERATE),
        (TWO_EACH, {c: [ON] for c in TWO_EACH}, Says.SUPPORTS, Strength.MODERATE),
        (TWO_EACH, {c: [ON, 20, 30] for c in TWO_EACH}, Says.SUPPORTS, Strength.STRONG),
        (ONE_EACH, {"i.s": [ON, 20, 30], "i.x": [ON, 20, 30]}, Says.SUPPORTS,
         Strength.MODERATE),
        (ONE_EACH, {"i.s": [ON], "i.x": [AT_RISK]}, Says.CONTRADICTS, Strength.WEAK),
        (ONE_EACH, {"i.s": [ON], "i.x": [OFF]}, Says.CONTRADICTS, Strength.WEAK),
        (ONE_EACH, {"i.s": [ON, 20], "i.x": [OFF, 4]}, Says.CONTRADICTS, Strength.MODERATE),
        (ONE_EACH, {"i.s": [ON, 20], "i.x": [AT_RISK, 16]}, Says.CONTRADICTS, Strength.WEAK),
    ],
)  # fmt: skip
def test_what_the_trends_say_about_a_link(measures, values, says, strength):
    found = link_trend(status(values, measures), Link("s", "x"))
    assert (found.says, found.strength) == (says, strength)
    assert found.kind is EvidenceKind.INDICATOR_TREND
    assert found.id == "indicators:s:x" and found.author == DERIVED_AUTHOR
    assert found.link == Link("s", "x") and not found.illustrative


@pytest.mark.parametrize(
    "values",
    [
        {"i.s": [OFF], "i.x": [ON]},  # the cause did not happen
        {"i.s": [AT_RISK], "i.x": [OFF]},
        {"i.s": [ON]},  # nothing observed at the target
        {"i.x": [ON]},  # nothing observed at the source
        {},
    ],
)
def test_no_item_when_the_trends_say_nothing_about_the_link(values):
    assert link_trend(status(values, ONE_EACH), Link("s", "x")) is None


def test_the_target_is_judged_by_its_own_indicators_not_by_what_feeds_it():
    """y has no indicator: that x is on track (and so y's contributions are) is no evidence
    that x -> y holds."""
    result = status({"i.s": [ON], "i.x": [ON]}, ONE_EACH)
    assert result.nodes["y"].combined.value == "on_track"
    assert link_trend(result, Link("x", "y")) is None


def test_the_item_is_dated_when_its_latest_value_was_recorded():
    found = link_trend(status({"i.s": [ON, 20], "i.x": [ON]}, ONE_EACH), Link("s", "x"))
    assert found.date == dt.date(2029, 1, 11)
    assert found.source_text == "s on_track (i.s on_track) -> x on_track (i.x on_track); " \
        "1 indicator(s), 1 period(s)"  # fmt: skip


def test_illustrative_values_make_an_illustrative_item():
    found = link_trend(
        status({"i.s": [ON], "i.x": [ON]}, ONE_EACH, illustrative={"i.x"}), Link("s", "x")
    )
    assert found.illustrative


def test_every_link_of_the_plan_in_plan_order():
    measures = {"i.s": "s", "i.x": "x", "i.y": "y"}
    result = status({"i.s": [ON], "i.x": [ON], "i.y": [OFF]}, measures)
    items = derived_evidence(plan(), result)
    assert [(i.id, i.says.value) for i in items] == [
        ("indicators:s:x", "supports"),
        ("indicators:x:y", "contradicts"),
    ]
    # z -> y: z has no indicator, so nothing.
    assert assess(Link("x", "y"), [items[1]]).posterior < 0.5


def test_no_indicators_no_evidence():
    assert derived_evidence(plan(), status({}, {})) == []
