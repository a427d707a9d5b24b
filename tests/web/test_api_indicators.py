"""The JSON API of indicators and measurements: roles, scope, CSRF, conflicts; every answer is
checked against the OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import csrf_token
from web.store import get_store


@pytest.fixture
def doc(client):
    return client.get("/api/openapi.json").get_json()


@pytest.fixture
def check(doc):
    """Check a response against the document: its status is documented for the operation,
    and its JSON matches that status's schema. Returns the JSON."""

    def check(response, path: str, method: str = "get"):
        responses = doc["paths"][path][method]["responses"]
        status = str(response.status_code)
        assert status in responses, f"{method.upper()} {path}: {status} is not documented"
        schema = responses[status]["content"]["application/json"]["schema"]
        data = response.get_json()
        jsonschema.validate(
            data,
            {**schema, "components": doc["components"]},
            cls=jsonschema.Draft202012Validator,
        )
        return data

    return check


def _session(client, check) -> str:
    data = check(client.get("/api/session"), "/api/session")
    return data["csrf_token"]


def _submit(client, token: str | None, **body):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/api/measurements", json=body, headers=headers)


def test_session(client, auth, check):
    auth.login_as("contributor")
    data = check(client.get("/api/session"), "/api/session")
    assert data["username"] == "contributor" and data["role"] == "contributor"
    assert data["permissions"] == ["read", "submit"]
    assert data["scope"] == {"partners": ["enabel"], "partnerships": [], "countries": []}
    assert data["csrf_token"]
    auth.logout()
    assert check(client.get("/api/session"), "/api/session")["status"] == 401


def test_indicators_and_one_indicator(app, client, auth, check):
    with app.app_context():
        store = get_store()
        apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="contributor",
                   role="contributor", value=MeasurementValue(value=14.0))  # fmt: skip
        apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")
    auth.login_as("contributor")
    data = check(client.get("/api/indicators"), "/api/indicators")
    by_code = {i["code"]: i for i in data["indicators"]}
    assert set(by_code) == {"ind.o1", "ind.o2"}
    assert by_code["ind.o1"]["may_submit"] and not by_code["ind.o2"]["may_submit"]
    assert (
        by_code["ind.o1"]["status"] != "no_data" and by_code["ind.o1"]["current_period"] == "2028"
    )
    one = check(client.get("/api/indicators/ind.o1"), "/api/indicators/{code}")
    assert one["indicator"]["definition"]["baseline"] == {"value": 10, "date": "2026-12-31"}
    periods = {p["period"]: p for p in one["periods"]}
    assert periods["2028"]["actual"] == 14.0 and periods["2028"]["latest"]["revision"] == 2
    assert periods["2028"]["latest"]["status"] == "approved"
    assert periods["2029"]["latest"] is None and periods["2029"]["status"] == "no_data"
    missing = client.get("/api/indicators/nope")
    assert check(missing, "/api/indicators/{code}")["status"] == 404


def test_submit_a_value(app, client, auth, check):
    auth.login_as("contributor")
    token = _session(client, check)
    response = _submit(client, token, indicator="ind.o1", period="2028", value=14,
                       comment="survey", evidence=["https://example.org/a.pdf"],
                       base_revision=0)  # fmt: skip
    assert response.status_code == 201
    data = check(response, "/api/measurements", "post")
    revision = data["revision"]
    assert data["changed"] and revision["revision"] == 1 and revision["status"] == "submitted"
    assert revision["value"]["value"] == 14.0 and revision["author"] == "contributor"
    assert revision["value"]["evidence"] == ["https://example.org/a.pdf"]
    # The same value again changes nothing.
    again = _submit(client, token, indicator="ind.o1", period="2028", value=14,
                    comment="survey", evidence=["https://example.org/a.pdf"],
                    base_revision=1)  # fmt: skip
    assert (
        again.status_code == 200 and check(again, "/api/measurements", "post")["changed"] is False
    )
    saved = _submit(client, token, indicator="ind.o1", period="2029", value=3, action="save",
                    base_revision=0)  # fmt: skip
    assert check(saved, "/api/measurements", "post")["revision"]["status"] == "draft"
    with app.app_context():
        assert get_store().revision_count() == 2


def _with_sex(app) -> None:
    import dataclasses

    from indicators.model import Dimension

    with app.app_context():
        store = get_store()
        sex = (Dimension("sex", ("female", "male")),)
        store.save_indicators(
            [dataclasses.replace(i, dimensions=sex) if i.code == "ind.o1" else i
             for i in store.indicators()],
            author="test",
        )  # fmt: skip


def test_parts_are_sent_kept_when_left_out_and_replaced_when_sent(app, client, auth, check):
    _with_sex(app)
    auth.login_as("me_officer")
    token = _session(client, check)
    parts = [{"dims": {"sex": "female"}, "value": 4}, {"dims": {"sex": "male"}, "value": 5}]
    first = _submit(client, token, indicator="ind.o1", period="2028", value=10, parts=parts,
                    base_revision=0)  # fmt: skip
    value = check(first, "/api/measurements", "post")["revision"]["value"]
    assert [(p["dims"], p["value"]) for p in value["parts"]] == [
        ({"sex": "female"}, 4.0),
        ({"sex": "male"}, 5.0),
    ]
    with app.app_context():
        assert get_store().measurement_revisions("ind.o1", "2028")[-1].flags == (
            "parts by sex add up to 9, not to the total 10",
        )
    # Only the total changes: the parts the client did not send stay.
    second = _submit(client, token, indicator="ind.o1", period="2028", value=9, base_revision=1)
    assert len(check(second, "/api/measurements", "post")["revision"]["value"]["parts"]) == 2
    # An empty list removes them.
    third = _submit(client, token, indicator="ind.o1", period="2028", value=9, parts=[],
                    base_revision=2)  # fmt: skip
    assert check(third, "/api/measurements", "post")["revision"]["value"]["parts"] == []


def test_bad_parts_are_named_and_nothing_is_written(app, client, auth, check):
    _with_sex(app)
    auth.login_as("me_officer")
    token = _session(client, check)
    bad = _submit(client, token, indicator="ind.o1", period="2028", value=1, base_revision=0,
                  parts=[{"dims": {}, "value": "x", "colour": 1}, 3])  # fmt: skip
    fields = {p["field"] for p in check(bad, "/api/measurements", "post")["problems"]}
    assert fields == {"parts[0].dims", "parts[0].value", "parts[0].colour", "parts[1]"}
    unknown = _submit(client, token, indicator="ind.o1", period="2028", value=1,
                      base_revision=0, parts=[{"dims": {"age": "young"}, "value": 1}])  # fmt: skip
    assert (
        unknown.status_code == 400 and "age" in check(unknown, "/api/measurements", "post")["error"]
    )
    with app.app_context():
        assert get_store().revision_count() == 0


def test_conflict_returns_both_inputs_and_keeps_yours(app, client, auth, check):
    auth.login_as("contributor")
    token = _session(client, check)
    _submit(client, token, indicator="ind.o1", period="2028", value=14, base_revision=0)
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="me",
                   role="me_officer", value=MeasurementValue(value=15.0))  # fmt: skip
    response = _submit(client, token, indicator="ind.o1", period="2028", value=16, base_revision=1)
    assert response.status_code == 409
    data = check(response, "/api/measurements", "post")
    assert data["latest"]["revision"] == 2 and data["latest"]["value"]["value"] == 15.0
    assert data["latest"]["author"] == "me"
    assert data["yours"]["value"]["value"] == 16.0 and data["yours"]["conflict"] is True
    assert data["kept"] is True
    with app.app_context():
        history = get_store().measurement_revisions("ind.o1", "2028")
    assert [(r.revision, r.value.value, r.conflict) for r in history] == [
        (1, 14.0, False),
        (2, 15.0, False),
        (3, 16.0, True),
    ]
    # Based on the latest revision, it goes through.
    ok = _submit(client, token, indicator="ind.o1", period="2028", value=16, base_revision=2)
    assert ok.status_code == 201


def test_roles_scope_and_checks(app, client, auth, check):
    login_token = csrf_token(client)  # the sign-in form's
    anonymous = _submit(client, login_token, indicator="ind.o1", period="2028", value=1,
                        base_revision=0)  # fmt: skip
    assert check(anonymous, "/api/measurements", "post")["status"] == 401
    auth.login_as("viewer")
    token = _session(client, check)
    viewer = _submit(client, token, indicator="ind.o1", period="2028", value=1, base_revision=0)
    assert check(viewer, "/api/measurements", "post")["status"] == 403
    auth.logout()
    auth.login_as("contributor")
    token = _session(client, check)
    outside = _submit(client, token, indicator="ind.o2", period="2028", numerator=1,
                      denominator=4, base_revision=0)  # fmt: skip
    assert check(outside, "/api/measurements", "post")["status"] == 403
    no_csrf = _submit(client, None, indicator="ind.o1", period="2028", value=1, base_revision=0)
    assert no_csrf.status_code == 400
    assert "CSRF" in check(no_csrf, "/api/measurements", "post")["error"]
    bad = _submit(client, token, indicator="ind.o1", period="2028", value="12",
                  base_revision=-1, colour="red")  # fmt: skip
    data = check(bad, "/api/measurements", "post")
    assert bad.status_code == 400
    assert {p["field"] for p in data["problems"]} == {"value", "base_revision", "colour"}
    wrong = _submit(client, token, indicator="ind.o1", period="2028", level="high",
                    base_revision=0)  # fmt: skip
    assert (
        wrong.status_code == 400
        and "a value is required" in check(wrong, "/api/measurements", "post")["error"]
    )
    unknown = _submit(client, token, indicator="ind.x", period="2028", value=1, base_revision=0)
    assert check(unknown, "/api/measurements", "post")["status"] == 404
    period = _submit(client, token, indicator="ind.o1", period="2040", value=1, base_revision=0)
    assert check(period, "/api/measurements", "post")["status"] == 404
    not_json = client.post("/api/measurements", data="x", headers={"X-CSRFToken": token})
    assert check(not_json, "/api/measurements", "post")["status"] == 400
    with app.app_context():
        assert get_store().revision_count() == 0


def test_the_document_describes_the_new_calls(doc):
    assert doc["paths"]["/api/measurements"]["post"]["requestBody"]["required"] is True
    for name in ("Revision", "MeasurementInput", "Conflict", "IndicatorSummary", "Session"):
        jsonschema.Draft202012Validator.check_schema(doc["components"]["schemas"][name])


def test_a_refused_step_names_the_rule_it_broke(app, client, auth, check):
    auth.login_as("me_officer")
    token = _session(client, check)
    first = _submit(client, token, indicator="ind.o1", period="2028", value=10, base_revision=0)
    assert first.status_code == 201
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.RETURN, author="me",
                   role="me_officer", base_revision=1, note="check the count")  # fmt: skip
    again = _submit(client, token, indicator="ind.o1", period="2028", value=10, base_revision=2)
    body = check(again, "/api/measurements", "post")
    assert again.status_code == 400 and body["reason"] == "returned_unedited"
    assert "edit it before submitting again" in body["error"]
