"""Disaggregated values in the update form: entered, checked, flagged, and never dropped."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from indicators.model import Dimension, Indicator, MeasurementValue, Part, Text
from indicators.workflow import Action, apply_step
from tests.web.conftest import csrf_token
from web.part_fields import grid_for, read_grid
from web.store import get_store

BY_SEX = Dimension("sex", ("female", "male"))
BY_COUNTRY = Dimension("country", ("bj", "sn"))


def _with_dimensions(app, code: str) -> None:
    with app.app_context():
        store = get_store()
        indicators = [
            dataclasses.replace(i, dimensions=(BY_SEX, BY_COUNTRY)) if i.code == code else i
            for i in store.indicators()
        ]
        store.save_indicators(indicators, author="test")


def _post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _revisions(app, code="ind.o1", period="2028"):
    with app.app_context():
        return get_store().measurement_revisions(code, period)


def test_the_form_has_a_row_per_allowed_value_of_each_dimension(app, client, auth):
    _with_dimensions(app, "ind.o1")
    auth.login_as("me_officer")
    page = client.get("/indicators/ind.o1/2028/edit").get_data(as_text=True)
    assert "By sex" in page and "By country" in page
    for name in ("part-0-0-value", "part-0-1-value", "part-1-0-value", "part-1-1-value"):
        assert f'name="{name}"' in page
    assert ">female</label>" in page and ">sn</label>" in page


def test_parts_are_recorded_and_a_sum_that_does_not_add_up_is_flagged(app, client, auth):
    _with_dimensions(app, "ind.o1")
    auth.login_as("me_officer")
    path = "/indicators/ind.o1/2028/edit"
    response = _post(client, path, value="10", base_revision="0", submit="1",
                     **{"part-0-0-value": "4", "part-0-1-value": "5",
                        "part-1-0-value": "10"})  # fmt: skip
    assert response.status_code == 302
    revision = _revisions(app)[-1]
    assert revision.value.parts == (
        Part((("country", "bj"),), 10.0),
        Part((("sex", "female"),), 4.0),
        Part((("sex", "male"),), 5.0),
    )
    assert revision.flags == ("parts by sex add up to 9, not to the total 10",)
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "Flagged for the reviewer: parts by sex add up to 9, not to the total 10." in page
    auth.logout()
    auth.login_as("me_officer")
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.APPROVE, author="me",
                   role="me_officer", base_revision=revision.revision)  # fmt: skip
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "<td>sex</td><td>male</td>" in page and "<td>country</td><td>bj</td>" in page
    form = client.get(path).get_data(as_text=True)
    assert 'name="part-0-1-value" type="text" inputmode="decimal" maxlength="40" value="5"' in form


def test_a_bad_part_is_shown_next_to_its_field_and_nothing_is_saved(app, client, auth):
    _with_dimensions(app, "ind.o1")
    auth.login_as("me_officer")
    response = _post(client, "/indicators/ind.o1/2028/edit", value="10", base_revision="0",
                     submit="1", **{"part-0-0-value": "four"})  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="part-0-0-value-errors"' in text and "Enter a number" in text
    assert 'value="four"' in text  # the input is kept
    assert _revisions(app) == []


def test_percentage_parts_need_numerator_and_denominator(app, client, auth):
    _with_dimensions(app, "ind.o2")
    auth.login_as("me_officer")
    path = "/indicators/ind.o2/2028/edit"
    text = _post(client, path, numerator="3", denominator="10", base_revision="0", submit="1",
                 **{"part-0-0-numerator": "1"}).get_data(as_text=True)  # fmt: skip
    assert "Enter both the numerator and the denominator." in text
    assert _revisions(app, "ind.o2") == []
    parts = {"part-0-0-numerator": "1", "part-0-0-denominator": "4",
             "part-0-1-numerator": "2", "part-0-1-denominator": "6"}  # fmt: skip
    response = _post(client, path, numerator="3", denominator="10", base_revision="0",
                     submit="1", **parts)  # fmt: skip
    assert response.status_code == 302
    revision = _revisions(app, "ind.o2")[-1]
    assert revision.value.parts == (
        Part((("sex", "female"),), numerator=1.0, denominator=4.0),
        Part((("sex", "male"),), numerator=2.0, denominator=6.0),
    )
    assert revision.flags == ()


def test_editing_keeps_parts_by_combined_dimensions(app, client, auth):
    _with_dimensions(app, "ind.o1")
    combined = Part((("country", "bj"), ("sex", "female")), 3.0)
    with app.app_context():
        value = MeasurementValue(value=10.0, parts=(combined,))
        apply_step(get_store(), "ind.o1", "2028", Action.SAVE, author="me", role="me_officer",
                   base_revision=0, value=value)  # fmt: skip
    auth.login_as("me_officer")
    path = "/indicators/ind.o1/2028/edit"
    form = client.get(path).get_data(as_text=True)
    assert "1 part by a combination of dimensions (from an import) is kept as it is." in form
    response = _post(client, path, value="11", base_revision="1", submit="1", reason="recount",
                     **{"part-0-0-value": "6"})  # fmt: skip
    assert response.status_code == 302
    assert _revisions(app)[-1].value.parts == (combined, Part((("sex", "female"),), 6.0))


def test_dutch_decimal_commas_in_parts(app, client, auth):
    _with_dimensions(app, "ind.o1")
    auth.login_as("me_officer")
    client.get("/language/nl")
    parts = {"part-0-0-value": "1,25", "part-0-1-value": "1,25"}
    response = _post(client, "/indicators/ind.o1/2028/edit", value="2,5", base_revision="0",
                     submit="1", **parts)  # fmt: skip
    assert response.status_code == 302
    revision = _revisions(app)[-1]
    assert [p.value for p in revision.value.parts] == [1.25, 1.25] and revision.flags == ()
    response = _post(client, "/indicators/ind.o1/2029/edit", value="3", base_revision="0",
                     submit="1", **{"part-0-0-value": "1"})  # fmt: skip
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "de delen per sex tellen op tot 1, niet tot het totaal 3" in page


_NUMBER = Indicator("i", Text(en="I"), ("n",), "number", "increase",
                    dimensions=(BY_SEX, BY_COUNTRY))  # fmt: skip
_numbers = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 3)))


@given(st.lists(_numbers, min_size=4, max_size=4))
def test_what_the_form_shows_reads_back_as_the_same_parts(values):
    cells = [("sex", "female"), ("sex", "male"), ("country", "bj"), ("country", "sn")]
    parts = tuple(
        Part((cell,), value) for cell, value in zip(cells, values, strict=True) if value is not None
    )
    grid = grid_for(_NUMBER, parts, repr)
    form = {row.name("value"): row.text.get("value", "") for _, rows in grid.dimensions
            for row in rows}  # fmt: skip
    again = read_grid(_NUMBER, form, (), float)
    assert not again.has_errors
    assert sorted(again.parts(), key=lambda p: p.dims) == sorted(parts, key=lambda p: p.dims)
