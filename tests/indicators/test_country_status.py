"""A country's figures from values disaggregated by country: taken only from parts that name
the country, added up only where the parts cover every cell, never invented."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.country_status import (
    CountryKind,
    country_codes,
    country_figure,
    country_figures,
    country_status,
)
from indicators.definitions import decode_indicator
from indicators.model import MeasurementValue, Part, Revision
from indicators.progress import aggregate_ratio
from indicators.records import parts_json, revisions_to_frame

COUNTRIES = ("bj", "ec", "sn")
SEXES = ("female", "male")
amounts = st.integers(0, 10_000).map(float)


def indicator(kind: str = "number", dims: dict | None = None, **extra):
    entry = {
        "code": f"ind.{kind}",
        "measures": ["so1"],
        "title": {"en": "X"},
        "type": kind,
        "direction": "increase",
        "start_year": 2027,
        "end_year": 2031,
        "dimensions": dims if dims is not None else {"country": list(COUNTRIES)},
        **extra,
    }
    if kind != "narrative":
        entry.setdefault(
            "baseline", {"value": 0 if kind != "ordinal" else "low", "date": "2026-12-31"}
        )
        entry.setdefault("end_target", {"value": 10 if kind != "ordinal" else "high"})
    if kind == "percentage":
        entry.update(numerator={"en": "n"}, denominator={"en": "d"})
    if kind == "ordinal":
        entry["scale"] = [
            {"code": "low", "label": {"en": "low"}},
            {"code": "high", "label": {"en": "high"}},
        ]
    return decode_indicator(entry)


def test_country_codes_name_the_node_and_its_code():
    assert country_codes("country.bj") == {"country.bj", "bj"}
    assert country_codes("country.") == {"country."}


@settings(max_examples=200)
@given(st.lists(amounts, min_size=len(COUNTRIES), max_size=len(COUNTRIES)))
def test_figures_of_all_countries_add_up_to_the_total(values):
    """When the country dimension partitions a count, the countries' figures sum to it."""
    ind = indicator()
    parts = [Part(((("country", c),)), v) for c, v in zip(COUNTRIES, values, strict=True)]
    figures = [country_figure(ind, "2027", parts, f"country.{c}") for c in COUNTRIES]
    assert math.fsum(f.actual for f in figures) == math.fsum(values)
    assert all(f.parts == 1 for f in figures)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=3, max_size=3),
)
def test_percentages_pool_numerators_and_denominators(pairs):
    """A percentage by country, pooled over the countries, is the plan-wide ratio."""
    ind = indicator("percentage")
    pairs = [(float(min(n, d)), float(d)) for n, d in pairs]
    parts = [
        Part(((("country", c),)), numerator=n, denominator=d)
        for c, (n, d) in zip(COUNTRIES, pairs, strict=True)
    ]
    figures = [country_figure(ind, "2027", parts, c) for c in COUNTRIES]
    pooled = aggregate_ratio([(f.numerator, f.denominator) for f in figures])
    assert math.isclose(pooled * 100.0, aggregate_ratio(pairs) * 100.0)
    for f, (n, d) in zip(figures, pairs, strict=True):
        assert math.isclose(f.actual, n / d * 100.0)


cells = st.dictionaries(
    st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(SEXES)), amounts, max_size=6
)


@settings(max_examples=300)
@given(cells)
def test_a_split_country_is_added_up_only_when_every_cell_is_there(found):
    """country x sex parts: the country's figure is the sum of its cells when both sexes are
    there, and no figure otherwise (a missing cell is not a zero)."""
    ind = indicator(dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    parts = [Part((("country", c), ("sex", s)), v) for (c, s), v in found.items()]
    for country in COUNTRIES:
        mine = {s: v for (c, s), v in found.items() if c == country}
        figure = country_figure(ind, "2027", parts, country)
        if set(mine) == set(SEXES):
            assert figure is not None and figure.actual == math.fsum(mine.values())
            assert figure.parts == len(SEXES)
        else:
            assert figure is None


@settings(max_examples=200)
@given(cells, cells, st.sampled_from(COUNTRIES))
def test_other_countries_never_change_a_figure(mine, others, country):
    """Filtering never takes anything from another country's parts."""
    ind = indicator(dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    own = {k: v for k, v in mine.items() if k[0] == country}
    rest = {k: v for k, v in others.items() if k[0] != country}
    alone = [Part((("country", c), ("sex", s)), v) for (c, s), v in own.items()]
    together = alone + [Part((("country", c), ("sex", s)), v) for (c, s), v in rest.items()]
    assert country_figure(ind, "2027", alone, country) == country_figure(
        ind, "2027", together, country
    )


@given(st.lists(st.tuples(st.sampled_from(SEXES), amounts), max_size=4))
def test_no_country_parts_no_figure(split):
    """Parts by another dimension only never give a country a figure."""
    ind = indicator(dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    parts = [Part((("sex", s),), v) for s, v in dict(split).items()]
    assert all(country_figure(ind, "2027", parts, c) is None for c in COUNTRIES)


def test_a_part_for_the_country_alone_wins_over_a_split():
    ind = indicator(dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    parts = [
        Part((("country", "bj"),), 7.0),
        Part((("country", "bj"), ("sex", "female")), 3.0),
        Part((("country", "bj"), ("sex", "male")), 3.0),
    ]
    assert country_figure(ind, "2027", parts, "bj").actual == 7.0


def test_a_split_by_an_undeclared_dimension_is_not_added_up():
    ind = indicator()
    parts = [Part((("country", "bj"), ("sex", s)), 1.0) for s in SEXES]
    assert country_figure(ind, "2027", parts, "bj") is None


def test_percentage_parts_without_numerators_are_not_added_up():
    ind = indicator("percentage", dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    parts = [Part((("country", "bj"), ("sex", s)), 50.0) for s in SEXES]
    assert country_figure(ind, "2027", parts, "bj") is None
    alone = [Part((("country", "bj"),), 40.0)]
    assert country_figure(ind, "2027", alone, "bj").actual == 40.0
    bad = [Part((("country", "bj"),), numerator=3.0, denominator=0.0)]
    assert country_figure(ind, "2027", bad, "bj") is None


def test_levels_are_taken_as_recorded_and_never_added_up():
    ind = indicator("ordinal", dims={"country": list(COUNTRIES), "sex": list(SEXES)})
    assert (
        country_figure(ind, "2027", [Part((("country", "bj"),), level="high")], "bj").actual == 1.0
    )
    split = [Part((("country", "bj"), ("sex", s)), level="high") for s in SEXES]
    assert country_figure(ind, "2027", split, "bj") is None
    assert country_figure(ind, "2027", [Part((("country", "bj"),), level="x")], "bj") is None


def test_numbers_that_are_not_finite_give_no_figure():
    ind = indicator()
    assert country_figure(ind, "2027", [Part((("country", "bj"),), math.inf)], "bj") is None


def test_figures_per_period_in_period_order_and_unreadable_parts_skipped():
    ind = indicator()
    rows = [
        {"period": "2029", "parts": parts_json([Part((("country", "bj"),), 4.0)])},
        {"period": "2027", "parts": parts_json([Part((("country", "bj"),), 2.0)])},
        {"period": "2028", "parts": '{"country": broken'},
        {"period": "2030", "parts": ""},
        {"period": "1999", "parts": parts_json([Part((("country", "bj"),), 9.0)])},
    ]
    assert [(f.period, f.actual) for f in country_figures(ind, rows, "country.bj")] == [
        ("2027", 2.0),
        ("2029", 4.0),
    ]


def _revision(code, period, number, status, value, parts):
    return Revision(
        code,
        period,
        number,
        status,
        MeasurementValue(value=value, parts=tuple(parts)),
        "ann",
        f"2028-01-0{number}T00:00:00.000000Z",
    )


def test_country_status_counts_the_approved_values_only():
    split, flat = indicator(), indicator("currency", dims={})
    by = [Part((("country", c),), v) for c, v in (("bj", 2.0), ("sn", 3.0))]
    later = [Part((("country", c),), v) for c, v in (("bj", 6.0), ("sn", 3.0))]
    frame = revisions_to_frame(
        [
            _revision(split.code, "2027", 1, "approved", 5.0, by),
            _revision(split.code, "2028", 1, "approved", 9.0, later),
            _revision(split.code, "2028", 2, "submitted", 1.0, []),
            _revision(flat.code, "2027", 1, "approved", 100.0, []),
        ]
    )
    found = country_status([split, flat], frame, "country.bj")
    assert found.kinds == {split.code: CountryKind.REPORTED, flat.code: CountryKind.PLAN_WIDE}
    assert [f.actual for f in found.figures[split.code]] == [2.0, 6.0]
    assert found.latest(split.code).period == "2028"
    assert found.latest(flat.code) is None
    assert found.of_kind(CountryKind.PLAN_WIDE) == [flat.code]
    before = country_status([split], frame, "country.bj", before="2028-01-01T12:00:00.000000Z")
    assert before.latest(split.code).actual == 6.0
    early = country_status([split], frame, "country.bj", before="2028-01-01T00:00:00.000000Z")
    assert early.kinds[split.code] is CountryKind.PLAN_WIDE
    ec = country_status([split], frame, "country.ec")
    assert ec.kinds[split.code] is CountryKind.PLAN_WIDE
