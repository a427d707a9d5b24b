"""Fixtures of the indicator tests: definitions on the small plan, and stores holding them."""

from __future__ import annotations

import pytest

from indicators.definitions import decode_indicator, with_plan_years
from indicators.model import Indicator
from tests.conftest import small_plan

T0 = "2027-01-15T09:00:00.000000Z"


def small_indicators() -> list[Indicator]:
    """Four indicators on the small plan: a count with dimensions, a percentage, an ordinal
    scale and a narrative."""
    plan = small_plan()
    docs = [
        {
            "code": "ind.count",
            "measures": ["so1.o1"],
            "title": {"en": "Count", "nl": "Aantal"},
            "type": "number",
            "direction": "increase",
            "cumulative": True,
            "baseline": {"value": 10, "date": "2026-12-31", "source": "test"},
            "targets": {"2028": 14},
            "end_target": {"value": 20},
            "dimensions": {"sex": ["female", "male"], "country": ["be", "bj"]},
        },
        {
            "code": "ind.pct",
            "measures": ["so1"],
            "title": {"en": "Share"},
            "type": "percentage",
            "direction": "increase",
            "numerator": {"en": "yes"},
            "denominator": {"en": "all"},
            "baseline": {"value": 20, "date": "2026-12-31"},
            "end_target": {"value": 40},
            "dimensions": {"sex": ["female", "male"]},
        },
        {
            "code": "ind.level",
            "measures": ["so1.o2"],
            "title": {"en": "Level"},
            "type": "ordinal",
            "direction": "increase",
            "scale": [{"code": "low"}, {"code": "mid"}, {"code": "high"}],
            "baseline": {"value": "low", "date": "2026-12-31"},
            "end_target": {"value": "high"},
        },
        {
            "code": "ind.story",
            "measures": ["so1.o2"],
            "title": {"en": "Story"},
            "type": "narrative",
            "direction": "maintain",
        },
    ]
    return [with_plan_years(decode_indicator(d), plan) for d in docs]


@pytest.fixture
def istore(store):
    """A store (each engine) holding the small plan and the small indicators."""
    store.save_plan(small_plan(), author="test")
    store.save_indicators(small_indicators(), author="test", now=T0)
    return store
