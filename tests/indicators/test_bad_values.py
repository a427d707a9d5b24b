"""Numbers that cannot be stored are refused on the way in; a bad value already in a store
(written by an earlier version, or directly) does not count and is named as a data problem,
never an error: statuses, to-date figures, the review workflow and `toc status` (both
engines)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from click.testing import CliRunner

from indicators.model import MeasurementValue, Part, Revision
from indicators.pathway_status import plan_status
from indicators.progress import Status
from indicators.status import row_problem, to_date
from indicators.workflow import apply_step, check_value, number_problems
from tests.indicators.conftest import T0, small_indicators

COUNT, PCT, LEVEL, _ = small_indicators()


@pytest.mark.parametrize(
    "indicator, value, problem",
    [
        (PCT, MeasurementValue(numerator=1e308, denominator=1e-320),
         "1e+308/9.99989e-321 as a percentage is too large to store"),
        (COUNT, MeasurementValue(value=math.inf), "value must be a finite number"),
        (COUNT, MeasurementValue(value=math.nan), "value must be a finite number"),
        (COUNT, MeasurementValue(value=10**400),
         "value is too large to store (at most about 1.8e308)"),
        (COUNT, MeasurementValue(value=Decimal("-Infinity")), "value must be a finite number"),
        (COUNT, MeasurementValue(value=3.0, parts=(Part((("sex", "female"),), math.inf),)),
         "[sex=female] value must be a finite number"),
        (PCT, MeasurementValue(numerator=5.0, denominator=1.0,
                               parts=(Part((("sex", "male"),), numerator=1e300,
                                           denominator=1e-300),)),
         "[sex=male] 1e+300/1e-300 as a percentage is too large to store"),
    ],
)  # fmt: skip
def test_numbers_that_cannot_be_stored_are_refused(indicator, value, problem):
    assert problem in check_value(indicator, value)
    assert number_problems(value) == [problem]


def _bad_rows() -> list[Revision]:
    """What an earlier version could store: an infinite count, an infinite percentage, a
    level that is not on the scale, and an infinite value awaiting review."""
    return [
        Revision("ind.count", "2027", 1, "approved", MeasurementValue(value=12.0), "a", T0),
        Revision("ind.count", "2029", 1, "approved", MeasurementValue(value=math.inf), "a", T0),
        Revision("ind.pct", "2029", 1, "approved",
                 MeasurementValue(value=math.inf, numerator=1e308, denominator=1e-320), "a",
                 T0),
        Revision("ind.level", "2028", 1, "approved", MeasurementValue(level="top"), "a", T0),
        Revision("ind.count", "2030", 1, "submitted", MeasurementValue(value=math.inf), "a", T0),
    ]  # fmt: skip


@pytest.fixture
def bad_store(istore):
    istore.append_revisions(_bad_rows())  # straight into the store: no checks
    return istore


def test_a_bad_stored_value_is_a_data_problem_not_an_error(bad_store):
    result = plan_status(bad_store)
    count, pct, level = (result.indicators[c] for c in ("ind.count", "ind.pct", "ind.level"))
    assert count.problems == ("value of 2029 is not a finite number",)
    assert pct.problems == ("value of 2029 is not a finite number",)
    assert level.problems == ("level 'top' of 2028 is not on the scale",)
    assert result.problems() == {
        "ind.count": ["value of 2029 is not a finite number"],
        "ind.pct": ["value of 2029 is not a finite number"],
        "ind.level": ["level 'top' of 2028 is not on the scale"],
    }
    # The bad period does not count; the good one still does.
    by_period = {p.period.id: p for p in count.periods}
    assert by_period["2029"].actual is None and by_period["2029"].status is Status.NO_DATA
    assert by_period["2029"].problem == "value of 2029 is not a finite number"
    assert by_period["2027"].actual == 12.0 and by_period["2027"].problem == ""
    assert count.current.period.id == "2029" and count.status is Status.NO_DATA
    assert to_date(COUNT, list(count.rows)) == 12.0
    assert to_date(PCT, list(pct.rows)) is None


def test_row_problems_of_each_kind():
    assert row_problem(PCT, {"period": "2028", "numerator": 1e308, "denominator": 1e-320}) == (
        "the percentage of 2028 (1e+308/9.99989e-321) is too large to store"
    )
    assert row_problem(PCT, {"period": "2028", "numerator": 1.0, "denominator": -2.0}) == (
        "the denominator of 2028 is not above 0"
    )
    assert row_problem(PCT, {"period": "2028", "numerator": -1.0, "denominator": 2.0}) == (
        "the numerator of 2028 is negative"
    )
    assert row_problem(COUNT, {"period": "2028", "value": math.nan}) == ""  # missing, not bad


def test_a_bad_value_awaiting_review_cannot_be_approved_but_can_be_corrected(bad_store):
    from indicators.errors import WorkflowError

    with pytest.raises(WorkflowError, match="this value cannot be approved: value must be a "
                       "finite number") as refused:  # fmt: skip
        apply_step(bad_store, "ind.count", "2030", "approve", author="me", role="me_officer")
    assert refused.value.reason == "invalid_value"
    corrected = apply_step(bad_store, "ind.count", "2030", "submit", author="me",
                           role="me_officer", value=MeasurementValue(value=15.0))  # fmt: skip
    assert corrected is not None and corrected.revision == 2
    approved = apply_step(bad_store, "ind.count", "2030", "approve", author="me",
                          role="me_officer")  # fmt: skip
    assert approved.value.value == 15.0


def test_toc_status_lists_the_data_problems(bad_store):
    from cli.main import cli

    location = bad_store.location  # a file, or the test Neo4j's URL
    bad_store.close()
    result = CliRunner().invoke(cli, ["--store", str(location), "status"])
    assert result.exit_code == 0, result.output
    assert "Data problems (these figures do not count; enter corrected values):" in result.output
    assert "  ind.count: value of 2029 is not a finite number" in result.output
    shown = CliRunner().invoke(cli, ["--store", str(location), "indicators", "show", "ind.count"])
    assert shown.exit_code == 0, shown.output
    assert "data problem (not counted): value of 2029 is not a finite number" in shown.output
