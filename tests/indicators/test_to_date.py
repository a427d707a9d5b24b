"""The "to date" rule per kind of indicator (indicators.to_date): a total is compared with a
total, a level with a level; sums are exact; the IPTT carries the rule."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from indicators import importer
from indicators.definitions import decode_indicator, with_plan_years
from indicators.export import iptt_frame
from indicators.model import Period
from indicators.pathway_status import plan_status
from indicators.status import to_date_figure
from indicators.to_date import LATEST, LATEST_LEVEL, POOLED_RATIO, SUM, combine, rule_of
from tests.conftest import small_plan
from tests.indicators.conftest import small_indicators


def amount(cumulative=False, **extra):
    """Trainings held per year: baseline 8, 20 a year by 2031."""
    return decode_indicator(
        {
            "code": "ind.trainings",
            "measures": ["so1.o1"],
            "title": {"en": "Trainings held"},
            "type": "number",
            "direction": "increase",
            "cumulative": cumulative,
            "start_year": 2027,
            "end_year": 2031,
            "baseline": {"value": 8, "date": "2026-12-31"},
            "end_target": {"value": 20},
            **extra,
        }
    )


def value_rows(values):
    return [
        {"period": str(2027 + i), "value": float(v), "revision": 1, "flags": ""}
        for i, v in enumerate(values)
    ]


def test_an_amount_per_year_is_a_total_against_the_total_expected():
    """Five years of 9 trainings against 20 a year: not "45 · 260 %" against one year's target."""
    figure = to_date_figure(amount(), value_rows([9, 9, 9, 9, 9]))
    assert figure.rule == SUM
    assert figure.actual == 45
    # expected on the straight line 8 -> 20 over 2027..2031 (by days): about 10.4, 12.8,
    # 15.2, 17.6 and 20
    assert math.isclose(figure.reference, 76.0, rel_tol=1e-3)
    assert figure.base == 40  # the baseline once per counted year
    assert math.isclose(figure.percent_of_reference, (45 - 40) / (76 - 40) * 100, rel_tol=1e-3)
    assert figure.percent_of_reference < 100


def test_a_cumulative_number_is_its_latest_value_against_the_end_target():
    figure = to_date_figure(amount(cumulative=True), value_rows([10, 12, 14]))
    assert (figure.rule, figure.actual, figure.reference) == (LATEST, 14, 20)
    assert math.isclose(figure.percent_of_reference, (14 - 8) / (20 - 8) * 100)


def test_sums_are_exact():
    tenths = decode_indicator(
        {
            "code": "ind.t",
            "measures": ["so1"],
            "title": {"en": "T"},
            "type": "number",
            "direction": "increase",
            "start_year": 2027,
            "end_year": 2029,
            "baseline": {"value": 0, "date": "2026-12-31"},
            "end_target": {"value": 1},
        }
    )
    assert to_date_figure(tenths, value_rows([0.1, 0.2, 0.4])).actual == 0.7


def test_each_kind_has_its_rule():
    assert rule_of(amount()) == SUM
    assert rule_of(amount(cumulative=True)) == LATEST
    share = amount(type="percentage", numerator={"en": "n"}, denominator={"en": "d"})
    assert rule_of(share) == POOLED_RATIO
    level = amount(
        type="ordinal",
        scale=[{"code": "low"}, {"code": "high"}],
        baseline={"value": "low", "date": "2026-12-31"},
        end_target={"value": "high"},
    )
    assert rule_of(level) == LATEST_LEVEL


def test_rows_of_unknown_periods_and_bad_values_do_not_count():
    rows = [*value_rows([9, 9]), {"period": "1999", "value": 500.0, "revision": 1, "flags": ""}]
    rows[1]["value"] = math.inf
    assert to_date_figure(amount(), rows).actual == 9


YEARS = [Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y)) for y in range(2027, 2037)]
figures = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(st.lists(st.tuples(figures, figures), min_size=1, max_size=10), figures)
def test_a_sum_reaches_its_reference_exactly_when_every_period_does(pairs, baseline):
    counted = [(YEARS[i], actual, actual) for i, (actual, _) in enumerate(pairs)]
    figure = combine(SUM, counted, baseline=baseline)
    assert figure.periods == len(pairs)
    assert figure.actual == figure.reference
    if figure.percent_of_reference is not None:
        assert math.isclose(figure.percent_of_reference, 100.0)


@given(st.lists(st.tuples(figures, figures), min_size=1, max_size=10), figures, figures)
def test_latest_takes_the_last_period_whatever_came_before(pairs, baseline, goal):
    counted = [(YEARS[i], a, e) for i, (a, e) in enumerate(pairs)]
    figure = combine(LATEST, counted, baseline=baseline, end_target=goal)
    assert figure.actual == float(f"{pairs[-1][0]:.12g}")
    assert figure.last_period == YEARS[len(pairs) - 1]


def test_the_iptt_to_date_row_carries_the_rule_and_the_total_expected(istore, tmp_path):
    """On a store (each engine): an amount per year in the IPTT is a total against the total
    expected; the cumulative count keeps its latest value against the end target."""
    mine = [*small_indicators(), with_plan_years(amount(), small_plan())]
    istore.save_indicators(mine, author="test")
    path = tmp_path / "values.csv"
    lines = ["indicator,period,value"] + [f"ind.trainings,{y},9" for y in (2027, 2028, 2029)]
    lines += ["ind.count,2027,12", "ind.count,2028,13"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    importer.import_file(istore, path, author="me", role="me_officer", approve=True)
    frame = iptt_frame(plan_status(istore), small_plan(), istore.revision_frame(), "so1")
    rows = {(r["indicator"], r["period"]): r for r in frame.to_dict("records")}
    total = rows[("ind.trainings", "to date")]
    assert (total["to_date_rule"], total["actual"]) == (SUM, 27)
    expected = [rows[("ind.trainings", str(y))]["expected"] for y in (2027, 2028, 2029)]
    # figures are written at the indicator's precision plus two digits (indicators.precision):
    # the rounded periods add up to the rounded total within that rounding
    assert math.isclose(total["target"], sum(expected), abs_tol=0.005 * (len(expected) + 1))
    assert total["percent_of_target"] < 100  # 27 against about 38 expected, not 20
    count = rows[("ind.count", "to date")]
    assert (count["to_date_rule"], count["actual"], count["target"]) == (LATEST, 13, 20)
    assert all(r["to_date_rule"] == "" for k, r in rows.items() if k[1] != "to date")
