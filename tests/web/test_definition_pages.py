"""Indicator definitions on the plan pages: the form is checked like an indicator file and
saved as a new version of the set, or not at all."""

from __future__ import annotations

import re

import pytest

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import csrf_token
from web.store import get_store

NEW = {
    "code": "ind.s1",
    "title_nl": "Vormingen",
    "title_en": "Trainings",
    "measures": "so1.o1",
    "type": "number",
    "direction": "increase",
    "frequency": "year",
    "fiscal_year_start": "1",
    "baseline_value": "4",
    "baseline_date": "2026-12-31",
    "targets": "2028: 6\n2030: 8",
    "end_value": "10",
    "dimensions": "sex: female, male",
}


def _post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _stored(app):
    with app.app_context():
        store = get_store()
        return {i.code: i for i in store.indicators()}, store.indicator_history()


@pytest.fixture
def me(client, auth):
    auth.login_as("me_officer")
    return client


def test_define_a_new_indicator(app, me):
    response = _post(me, "/plan/indicators/new", **NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/indicators/ind.s1"
    ind = _stored(app)[0]["ind.s1"]
    assert ind.measures == ("so1.o1",) and ind.title.en == "Trainings"
    assert (ind.start_year, ind.end_year) == (2027, 2031)  # the years of so1.o1
    assert [(t.period, t.value) for t in ind.targets] == [("2028", 6.0), ("2030", 8.0)]
    assert ind.dimensions[0].values == ("female", "male")
    page = me.get("/indicators/ind.s1").get_data(as_text=True)
    assert "Saved: indicator ind.s1." in page and "<h1>Trainings</h1>" in page
    history = me.get("/plan/history").get_data(as_text=True)
    assert "indicator ind.s1 added" in history


def test_problems_are_shown_next_to_the_fields(app, me):
    before = _stored(app)[1]
    cases = [
        (
            {"baseline_value": ""},
            "baseline_value",
            "This type needs a baseline value and its date.",
        ),
        (
            {"targets": "2028: 2"},
            "targets",
            "The target for 2028 (2) is below the baseline (4), while higher is better.",
        ),
        ({"targets": "2028 six"}, "targets", "Write one target per line: period: value."),
        ({"targets": "2035: 12"}, "targets", "&#39;2035&#39; is not one of its periods"),
        ({"measures": "s1"}, "measures", "&#39;s1&#39; is not a valid choice"),
        ({"measures": None}, "measures", "Choose what it measures."),
        (
            {"type": "percentage"},
            "numerator_en",
            "A percentage needs a numerator and a denominator.",
        ),
        ({"weight": "-1"}, "weight", "The weight cannot be negative."),
        ({"sdg_indicators": "abc"}, "sdg_indicators", "Write SDG indicator codes like 16.6.2"),
        ({"end_value": "ten"}, "end_value", "Enter a number"),
        ({"code": "ind.o1"}, "code", "This code is taken."),
        ({"dimensions": "sex"}, "dimensions", "Write one dimension per line"),
        ({"fiscal_year_start": "13"}, "fiscal_year_start", "A month number 1-12."),
    ]
    for change, field, message in cases:
        data = {k: v for k, v in {**NEW, **change}.items() if v is not None}
        page = _post(me, "/plan/indicators/new", **data).get_data(as_text=True)
        assert re.search(rf'id="{field}-errors">\s*<li>{re.escape(message)}', page), (
            change,
            page[-3000:],
        )
        assert "Nothing was saved." in page
    assert _stored(app)[1] == before


def test_problems_are_worded_in_dutch_without_the_files_field_names(app, me):
    me.get("/language/nl")
    cases = [
        ({"weight": "-1"}, "weight", "Het gewicht kan niet negatief zijn."),
        ({"type": "ordinal", "baseline_value": "", "end_value": "", "targets": "",
          "scale": "laag | laag | low"}, "scale",
         "Een ordinale schaal heeft minstens twee niveaus nodig."),
        ({"sdg_indicators": "abc"}, "sdg_indicators", "Schrijf codes van SDG-indicatoren"),
        ({"targets": "2028: 2"}, "targets",
         "De streefwaarde voor 2028 (2) ligt onder de basiswaarde (4), terwijl hoger beter is."),
        ({"end_value": ""}, "end_value", "Dit soort indicator heeft een eindstreefwaarde nodig."),
    ]  # fmt: skip
    for change, field, message in cases:
        page = _post(me, "/plan/indicators/new", **{**NEW, **change}).get_data(as_text=True)
        assert re.search(rf'id="{field}-errors">\s*<li>{re.escape(message)}', page), (
            change,
            page[-3000:],
        )
        for internal in ("weight must", "end_target", "sdg_indicators:", "an increase"):
            assert internal not in page


def test_numbers_in_dutch(app, me):
    me.get("/language/nl")
    data = {**NEW, "baseline_value": "4,5", "targets": "2028: 6,25", "end_value": "10"}
    assert _post(me, "/plan/indicators/new", **data).status_code == 302
    ind = _stored(app)[0]["ind.s1"]
    assert ind.baseline.value == 4.5 and ind.targets[0].value == 6.25


def test_change_a_definition_as_a_new_version(app, me):
    form = me.get("/plan/indicators/ind.o1").get_data(as_text=True)
    assert 'value="Municipalities"' in form and 'name="code"' not in form
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    assert fields["baseline_value"] == "10" and fields["end_value"] == "20"
    data = {k: v for k, v in fields.items() if k not in ("csrf_token",)}
    data.update(measures="so1.o1", type="number", direction="increase", frequency="year",
                title_en="Municipalities involved", targets="2029: 15")  # fmt: skip
    response = _post(me, "/plan/indicators/ind.o1", **data)
    assert response.status_code == 302
    stored, history = _stored(app)
    assert stored["ind.o1"].title.en == "Municipalities involved"
    assert [v.version for v in history if v.code == "ind.o1"] == [1, 2]
    # The form carried version 1: a second save with it is refused as a conflict.
    page = _post(me, "/plan/indicators/ind.o1", **{**data, "title_en": "Other"}).get_data(
        as_text=True
    )
    assert "Someone else changed this" in page
    assert _stored(app)[0]["ind.o1"].title.en == "Municipalities involved"


def test_type_of_a_measured_indicator_cannot_change(app, me):
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="me", role="me_officer",
                   value=MeasurementValue(value=12.0))  # fmt: skip
    form = me.get("/plan/indicators/ind.o1").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    data = {**fields, "measures": "so1.o1", "type": "currency", "direction": "increase",
            "frequency": "year"}  # fmt: skip
    page = _post(me, "/plan/indicators/ind.o1", **data).get_data(as_text=True)
    assert re.search(
        r'id="type-errors">\s*<li>Values are recorded for it, so this can no longer', page
    )
    assert _stored(app)[0]["ind.o1"].type.value == "number"


def test_only_me_officers_and_admins_define_indicators(client, auth):
    auth.login_as("contributor")
    assert client.get("/plan/indicators/new").status_code == 403
    assert client.get("/plan/indicators/ind.o1").status_code == 403
    auth.logout()
    auth.login_as("admin")
    assert client.get("/plan/indicators/nope").status_code == 404


def test_a_dutch_unit_is_shown_on_dutch_pages_and_its_absence_is_explained(app, me):
    _post(me, "/plan/indicators/new", **NEW, unit="trainings")
    me.get("/language/nl")
    page = me.get("/indicators/ind.s1").get_data(as_text=True)
    assert "(trainings)" in page and "Eenheid (Nederlands)" in page  # how to add it
    form = me.get("/plan/indicators/ind.s1").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    data = {k: v for k, v in fields.items() if k != "csrf_token"}
    data.update({k: v for k, v in NEW.items() if k not in data}, unit_nl="vormingen")
    assert _post(me, "/plan/indicators/ind.s1", **data).status_code == 302
    ind = _stored(app)[0]["ind.s1"]
    assert (ind.unit, ind.unit_nl) == ("trainings", "vormingen")
    dutch = me.get("/indicators/ind.s1").get_data(as_text=True)
    assert "(vormingen)" in dutch and "nog geen Nederlandse benaming" not in dutch
    me.get("/language/en")
    english = me.get("/indicators/ind.s1").get_data(as_text=True)
    assert "(trainings)" in english and "vormingen" not in english
