"""Indicator definition files: strict reading with line numbers, checks against the plan, and
the JSON form stores keep."""

from __future__ import annotations

import json

import pytest

from indicators.definitions import (
    FORMAT,
    check_against_plan,
    decode,
    decode_indicator,
    encode_indicator,
    indicator_from_stored,
    indicator_periods,
    load,
    loads,
)
from indicators.errors import IndicatorsInvalid
from indicators.model import IndicatorType
from tests.conftest import REPO, VVSG_PLAN, small_plan
from tests.indicators.conftest import small_indicators
from toc.planfile import load as load_plan

VVSG_INDICATORS = REPO / "examples" / "vvsg-indicators.yaml"


def test_the_vvsg_demo_file_loads_against_the_vvsg_plan():
    plan = load_plan(VVSG_PLAN)
    loaded = load(VVSG_INDICATORS, plan)
    assert 10 <= len(loaded.indicators) <= 20
    assert all(i.illustrative for i in loaded.indicators)
    assert "not VVSG data" in loaded.notice
    kinds = {plan.node(n).kind for i in loaded.indicators for n in i.measures}
    assert kinds <= {"Objective", "StrategicObjective"}
    types = {i.type for i in loaded.indicators}
    assert types == set(IndicatorType) - {IndicatorType.CURRENCY}
    # Objectives run 2027-2031, so their indicators report on those five years.
    twinnings = next(i for i in loaded.indicators if i.code == "ind.so1.o2.twinnings")
    assert [p.id for p in indicator_periods(twinnings)] == [str(y) for y in range(2027, 2032)]


def test_baselines_from_the_plan_cite_their_section():
    plan = load_plan(VVSG_PLAN)
    by_code = {i.code: i for i in load(VVSG_INDICATORS, plan).indicators}
    cited = {
        "ind.so1.o2.twinnings": 30,
        "ind.so1.share-lg": 10,
        "ind.so1.o1.partnership-agreements": 12,
        "ind.so3.o1.sister-associations": 2,
        "ind.so1.o2.sdg-partnerships": 2,
        "ind.so2.countries": 5,
    }
    for code, value in cited.items():
        baseline = by_code[code].baseline
        assert baseline.value == value
        assert "§" in baseline.source, code
    admin = by_code["ind.so4.admin-share"].baseline
    assert admin.value == pytest.approx(163_699 / 1_379_829 * 100, abs=0.005)
    for ind in by_code.values():
        if ind.baseline and "§" not in ind.baseline.source:
            assert "Illustrative" in ind.baseline.source, ind.code


def test_errors_are_collected_with_their_lines():
    text = """format: toc-indicators/1
indicators:
  - code: ind.a
    measures: [so1]
    title: {en: A}
    type: number
    direction: up
    colour: red
  - code: ind.b
    measures: [s1]
    title: {en: B}
    type: number
    direction: increase
    baseline: {value: 10, date: 2026-12-31}
    end_target: {value: 5}
  - code: ind.c
    measures: [absent]
    title: {en: C}
    type: ordinal
    scale: [{code: a}, {code: b}]
    baseline: {value: z, date: 2026-12-31}
    end_target: {value: b}
"""
    with pytest.raises(IndicatorsInvalid) as caught:
        loads(text, "x.yaml", small_plan())
    messages = [(i.line, i.id, i.message) for i in caught.value.errors]
    assert (3, "ind.a", "direction: 'up' is not one of increase, decrease, maintain") in messages
    assert (3, "ind.a", "unknown field 'colour'") in messages
    assert (16, "ind.c", "baseline: 'z' is not a level of the scale") in messages
    # The plan checks run once the file itself is sound; here ind.b and ind.c are fine as text.
    sound = text.replace("number\n    direction: up\n    colour: red\n", "narrative\n")
    sound = sound.replace("value: z,", "value: a,")
    with pytest.raises(IndicatorsInvalid) as caught:
        loads(sound, "x.yaml", small_plan())
    messages = {(i.id, i.message) for i in caught.value.errors}
    assert "ind.a" not in {c for c, _ in messages}
    assert any(c == "ind.b" and "a Strategy cannot be measured" in m for c, m in messages)
    assert any(c == "ind.c" and "no such node" in m for c, m in messages)


def test_targets_must_fit_periods_and_direction():
    plan = small_plan()
    doc = {
        "code": "ind.x",
        "measures": ["so1.o1"],
        "title": {"en": "X"},
        "type": "number",
        "direction": "increase",
        "baseline": {"value": 5, "date": "2026-12-31"},
        "targets": {"2040": 6, "2028": 4},
        "end_target": {"value": 9},
    }
    issues = check_against_plan([decode_indicator(doc)], plan)
    text = " | ".join(i.message for i in issues)
    assert "target period '2040' is not one of this indicator's year periods (2027 .. 2031)" in text
    assert "target 2028 4 is below the baseline 5 of an increase" in text


def test_strict_yaml_and_format():
    with pytest.raises(IndicatorsInvalid, match="format must be"):
        loads("format: toc-plan/1\nindicators: []\n")
    with pytest.raises(IndicatorsInvalid) as caught:
        loads("format: toc-indicators/1\nindicators: []\nindicators: []\n")
    assert caught.value.errors[0].line == 3


@pytest.mark.parametrize("indicator", small_indicators(), ids=lambda i: i.code)
def test_the_json_form_round_trips(indicator):
    doc = json.loads(json.dumps(encode_indicator(indicator)))
    assert decode_indicator(doc) == indicator
    assert indicator_from_stored(doc) == indicator


def test_vvsg_definitions_round_trip():
    for ind in load(VVSG_INDICATORS, load_plan(VVSG_PLAN)).indicators:
        doc = json.loads(json.dumps(encode_indicator(ind)))
        assert decode_indicator(doc) == ind
        assert indicator_from_stored(doc) == ind


def test_every_field_survives_the_stored_form():
    """The trusted reader of stored definitions keeps every field the file format has."""
    full = decode_indicator(
        {
            "code": "ind.full",
            "measures": ["so1.o1", "so1"],
            "title": {"nl": "Niveau", "en": "Level"},
            "definition": {"nl": "Uitleg", "en": "Meaning"},
            "type": "ordinal",
            "unit": "level",
            "direction": "decrease",
            "scale": [{"code": "low", "label": {"en": "Low"}}, {"code": "high"}],
            "baseline": {"value": "high", "date": "2026-06-30", "source": "survey"},
            "targets": {"2028-S1": "low"},
            "end_target": {"value": "low", "date": "2031-06-30"},
            "frequency": "semester",
            "fiscal_year_start": 7,
            "start_year": 2027,
            "end_year": 2031,
            "dimensions": {"country": ["be", "bj"]},
            "cumulative": True,
            "sdg_indicators": ["16.6.2"],
            "responsible": "partner",
            "data_source": "register",
            "verification": "minutes",
            "weight": 0.5,
            "illustrative": True,
            "note": "a note",
        }
    )
    doc = json.loads(json.dumps(encode_indicator(full)))
    assert indicator_from_stored(doc) == full


@pytest.mark.parametrize("name", ["value", "period", "status", "type"])
def test_a_dimension_cannot_be_named_like_a_column_of_the_import_format(name):
    """An export's column (``type``, ``status``) would be read as the dimension on import."""
    doc = {
        "code": "ind.a",
        "measures": ["so1"],
        "title": {"en": "A"},
        "type": "number",
        "baseline": {"value": 1, "date": "2026-12-31"},
        "end_target": {"value": 2},
        "dimensions": {name: ["a", "b"]},
    }
    with pytest.raises(IndicatorsInvalid, match="is a column of the import format"):
        decode_indicator(doc)


@pytest.mark.parametrize("month", [None, 0, 13])
def test_a_fiscal_year_start_must_be_a_month(month):
    """``fiscal_year_start: null`` once gave an indicator without a first month, whose periods
    then failed to compute; it is refused like any other value that is not a month."""
    doc = {
        "code": "ind.a",
        "measures": ["so1"],
        "title": {"en": "A"},
        "type": "narrative",
        "direction": "maintain",
        "fiscal_year_start": month,
    }
    with pytest.raises(IndicatorsInvalid) as caught:
        decode_indicator(doc)
    assert [i.message for i in caught.value.errors] == ["fiscal_year_start: a month number 1-12"]


def test_a_plain_mapping_decodes_without_lines():
    """A document that did not come from the YAML reader has no lines; its problems are
    reported without one rather than failing on the missing attribute."""
    result, issues, lines = decode({"format": FORMAT, "colour": "red", "indicators": []})
    assert result.indicators == ()
    assert [(i.message, i.line) for i in issues] == [("unknown top-level key 'colour'", None)]
    assert lines == {}
