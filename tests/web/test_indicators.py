"""Indicator pages, the update form and the review queue."""

from __future__ import annotations

import re

import pytest

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import csrf_token
from web.store import get_store


def _post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _latest(app, code="ind.o1", period="2028"):
    with app.app_context():
        return get_store().measurement_revisions(code, period)[-1]


@pytest.fixture
def contributor(client, auth):
    auth.login_as("contributor")
    return client


def test_indicator_list_and_page(client, auth):
    auth.login_as("viewer")
    text = client.get("/indicators").get_data(as_text=True)
    assert 'href="/indicators/ind.o1"' in text and "Municipalities" in text
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "<h1>Municipalities</h1>" in page
    assert '<svg class="chart"' in page and "<title>Municipalities</title>" in page
    assert all(f'<th scope="row">{year}</th>' in page for year in range(2027, 2032))
    assert "No values recorded yet." in page
    assert "/edit" not in page  # a viewer cannot enter values
    assert client.get("/indicators/nope").status_code == 404
    assert client.get("/indicators/ind.o1/2028/edit").status_code == 403


def test_contributor_submits_a_value_in_its_scope(app, contributor):
    page = contributor.get("/indicators/ind.o1").get_data(as_text=True)
    assert 'href="/indicators/ind.o1/2028/edit"' in page
    form = contributor.get("/indicators/ind.o1/2028/edit").get_data(as_text=True)
    assert 'name="value"' in form and 'name="base_revision" type="hidden" value="0"' in form
    response = _post(contributor, "/indicators/ind.o1/2028/edit", value="14", comment="survey",
                     evidence="https://example.org/a.pdf\nlist.xlsx", base_revision="0",
                     submit="1")  # fmt: skip
    assert response.status_code == 302
    revision = _latest(app)
    assert (revision.status.value, revision.value.value, revision.author) == (
        "submitted",
        14.0,
        "contributor",
    )
    assert revision.value.evidence == ("https://example.org/a.pdf", "list.xlsx")
    page = contributor.get("/indicators/ind.o1").get_data(as_text=True)
    assert "Value for 2028 submitted for review." in page and "awaiting review" in page


def test_draft_then_decimal_comma_in_dutch(app, contributor):
    _post(contributor, "/indicators/ind.o1/2028/edit", value="12", base_revision="0", save="1")
    assert _latest(app).status.value == "draft"
    contributor.get("/language/nl")
    response = _post(contributor, "/indicators/ind.o1/2028/edit", value="12,5",
                     base_revision="1", submit="1")  # fmt: skip
    assert response.status_code == 302
    assert _latest(app).value.value == 12.5


def test_contributor_cannot_submit_outside_its_scope(contributor):
    assert contributor.get("/indicators/ind.o2/2028/edit").status_code == 403
    response = _post(contributor, "/indicators/ind.o2/2028/edit", numerator="1",
                     denominator="4", base_revision="0", submit="1")  # fmt: skip
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"value": ""}, "Enter a number."),
        ({"value": "twelve"}, "Enter a number, for example 12.5 (decimals after a point"),
    ],
)
def test_validation_messages_next_to_the_field(contributor, fields, message):
    response = _post(contributor, "/indicators/ind.o1/2028/edit", base_revision="0", submit="1",
                     **fields)  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(
        r'<ul class="field-errors" id="value-errors">\s*<li>' + re.escape(message), text
    )


def test_percentage_form_checks_numerator_and_denominator(client, auth):
    auth.login_as("me_officer")
    text = _post(client, "/indicators/ind.o2/2028/edit", numerator="-1", denominator="0",
                 base_revision="0", submit="1").get_data(as_text=True)  # fmt: skip
    assert "The numerator must be 0 or more." in text
    assert "The denominator must be more than 0." in text


def test_unknown_period_is_404(contributor):
    assert contributor.get("/indicators/ind.o1/1999/edit").status_code == 404


def test_edit_conflict_keeps_both_inputs(app, contributor):
    form = contributor.get("/indicators/ind.o1/2028/edit").get_data(as_text=True)
    assert 'value="0"' in form
    with app.app_context():  # meanwhile, the M&E officer records a value
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="me", role="me_officer",
                   value=MeasurementValue(value=13.0))  # fmt: skip
    response = _post(contributor, "/indicators/ind.o1/2028/edit", value="15", base_revision="0",
                     submit="1")  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone changed this value while you were editing it." in text
    assert re.search(r"Their value</dt>\s*<dd>13", text) and re.search(
        r"Your value</dt>\s*<dd>15", text
    )
    assert 'id="value" maxlength="40" name="value" type="text" value="15"' in text
    assert 'name="base_revision" type="hidden" value="1"' in text
    with app.app_context():
        history = get_store().measurement_revisions("ind.o1", "2028")
    assert [(r.value.value, r.conflict) for r in history] == [(13.0, False), (15.0, True)]
    # Submitting again, now from the latest revision, goes through.
    response = _post(contributor, "/indicators/ind.o1/2028/edit", value="15", base_revision="1",
                     submit="1")  # fmt: skip
    assert response.status_code == 302 and _latest(app).value.value == 15.0


def test_review_queue_approve_changes_the_status(app, client, auth):
    auth.login_as("contributor")
    _post(client, "/indicators/ind.o1/2028/edit", value="11", base_revision="0", submit="1")
    auth.logout()
    auth.login_as("me_officer")
    queue = client.get("/review").get_data(as_text=True)
    assert "Municipalities" in queue and "revision 1" in queue
    assert client.get("/api/statuses").get_json()["statuses"]["so1.o1"] == "no_data"
    overview = client.get("/").get_data(as_text=True)
    assert "1 value awaits review." in overview
    token = csrf_token(client, "/review")
    response = client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "approve",
                                                       "base_revision": "1"})  # fmt: skip
    assert response.status_code == 302
    assert "Approved: “Municipalities”, 2028." in client.get("/review").get_data(as_text=True)
    assert client.get("/api/statuses").get_json()["statuses"]["so1.o1"] == "off_track"
    overview = client.get("/").get_data(as_text=True)
    assert "Recently approved" in overview and 'href="/indicators/ind.o1"' in overview
    node = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert 'class="chart chart-small"' in node and "status-off_track" in node


def test_return_needs_a_note_and_shows_it_to_the_contributor(app, client, auth):
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="contributor",
                   role="contributor", value=MeasurementValue(value=12.0))  # fmt: skip
    auth.login_as("me_officer")
    token = csrf_token(client, "/review")
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "return",
                                            "base_revision": "1"})  # fmt: skip
    assert "Write a note saying what to change" in client.get("/review").get_data(as_text=True)
    assert _latest(app).status.value == "submitted"
    note = {"note": "add the source"}
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "return",
                                            "base_revision": "1", **note})  # fmt: skip
    assert _latest(app).status.value == "returned"
    auth.logout()
    auth.login_as("contributor")
    form = client.get("/indicators/ind.o1/2028/edit").get_data(as_text=True)
    assert "Returned with a note" in form and "add the source" in form


def test_stale_review_is_refused(app, client, auth):
    with app.app_context():
        store = get_store()
        for value in (12.0, 13.0):
            apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="me", role="me_officer",
                       value=MeasurementValue(value=value))  # fmt: skip
    auth.login_as("me_officer")
    token = csrf_token(client, "/review")
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "approve",
                                            "base_revision": "1"})  # fmt: skip
    assert "changed while you were reviewing it" in client.get("/review").get_data(as_text=True)
    assert _latest(app).status.value == "submitted"


def test_contributor_cannot_review(client, auth):
    auth.login_as("contributor")
    assert client.get("/review").status_code == 403
    token = csrf_token(client, "/")
    response = client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "approve"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "This value cannot be approved (status: draft)."),
        ("nl", "Deze waarde kan niet goedgekeurd worden (status: ontwerp)."),
    ],
)
def test_a_refused_review_step_is_said_in_the_users_language(app, client, auth, lang, text):
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SAVE, author="me", role="me_officer",
                   value=MeasurementValue(value=12.0))  # fmt: skip
    auth.login_as("me_officer")
    client.get(f"/language/{lang}")
    token = csrf_token(client, "/review")
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "approve",
                                            "base_revision": "1"})  # fmt: skip
    assert text in client.get("/review").get_data(as_text=True)
    assert _latest(app).status.value == "draft"
