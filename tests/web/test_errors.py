"""Errors a view did not handle: each store or domain error gets its own status, page and JSON."""

from __future__ import annotations

import jsonschema
import pytest

from graphdb.account_store import AccountExists, AccountNotFound
from graphdb.errors import QueryTimeout, StoreError, StoreLocked, StoreUnavailable
from graphdb.indicator_store import IndicatorsInUse, RevisionConflict
from indicators.errors import PermissionDenied, UnknownIndicator, WorkflowError
from tests.web.conftest import csrf_token, english_client, make_app
from toc.analysis import NodeNotFound
from toc.errors import PlanError
from web.access import public
from web.store import close_store, get_store

#: name -> (the error, status, page title, a piece of the page's message)
CASES = {
    "revision-conflict": (
        RevisionConflict("3 revisions were appended meanwhile"),
        409,
        "Changed meanwhile",
        "nothing of yours was written",
    ),
    "indicators-in-use": (
        IndicatorsInUse({"so1.o1": ["ind.o1"]}),
        409,
        "Indicators measure these nodes",
        "(so1.o1); nothing was changed",
    ),
    "account-exists": (AccountExists("ann"), 409, "Account exists", "named ann exists already"),
    "account-not-found": (AccountNotFound("bob"), 404, "Not found", "no account named bob"),
    "node-not-found": (NodeNotFound("x9"), 404, "Not found", "The plan has no node x9."),
    "unknown-indicator": (UnknownIndicator("ind.z"), 404, "Not found", "no indicator ind.z"),
    "permission": (PermissionDenied("not yours", reason="permission"), 403, "Not allowed", ""),
    "query-timeout": (QueryTimeout("stopped after 5 s"), 400, "Query stopped", "time limit"),
    "plan-error": (PlanError("the plan is empty"), 400, "Not possible", "the plan is empty"),
    "locked": (StoreLocked("held by process 7"), 503, "Data store unavailable", "process 7"),
    "unavailable": (StoreUnavailable("no server"), 503, "Data store unavailable", "no server"),
    "store-error": (StoreError("disk full"), 503, "Data store unavailable", "disk full"),
}


@pytest.fixture
def raising_app(store_path):
    """The app with two extra routes that raise the error named in the URL."""
    app = make_app(store_path)

    @public
    def raise_it(name: str):
        raise CASES[name][0]

    app.add_url_rule("/test-raise/<name>", "test_raise", raise_it)
    app.add_url_rule("/api/test-raise/<name>", "test_raise_api", raise_it)
    yield app
    close_store(app)


@pytest.mark.parametrize("name", CASES)
def test_each_error_has_its_status_page_and_json(raising_app, name):
    error, status, title, message = CASES[name]
    client = english_client(raising_app)
    page = client.get(f"/test-raise/{name}")
    text = page.get_data(as_text=True)
    assert page.status_code == status
    assert f"<h1>{title}</h1>" in text and message in text
    assert f"Error {status}" in text
    api = client.get(f"/api/test-raise/{name}")
    assert api.status_code == status
    assert api.get_json() == {
        "error": api.get_json()["error"],
        "status": status,
    }
    assert str(error) in api.get_json()["error"]


def test_a_busy_store_asks_to_retry_later(raising_app):
    client = english_client(raising_app)
    assert client.get("/test-raise/locked").headers["Retry-After"] == "10"
    assert client.get("/api/test-raise/locked").headers["Retry-After"] == "10"
    assert "Retry-After" not in client.get("/test-raise/unavailable").headers


def test_a_workflow_error_is_said_in_the_users_language(raising_app):
    CASES["workflow"] = (WorkflowError("enter a value", reason="value_required"), 400, "", "")
    try:
        client = english_client(raising_app)
        client.get("/language/nl")
        page = client.get("/test-raise/workflow").get_data(as_text=True)
        assert "Vul eerst een waarde in." in page
    finally:
        del CASES["workflow"]


def _always_conflicting(app):
    """Make every append of revisions fail as if others kept writing at the same moment."""
    with app.app_context():
        store = get_store()

    def append_revisions(revisions, expected_count=None):
        raise RevisionConflict("the measurement log kept changing; try again")

    store.append_revisions = append_revisions


def test_a_conflict_escaping_the_api_is_a_409_and_nothing_is_written(app, client, auth):
    auth.login_as("contributor")
    token = client.get("/api/session").get_json()["csrf_token"]
    _always_conflicting(app)
    response = client.post(
        "/api/measurements",
        json={"indicator": "ind.o1", "period": "2028", "value": 3, "base_revision": 0},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "conflict: the measurement log kept changing; try again",
        "status": 409,
    }
    doc = client.get("/api/openapi.json").get_json()
    documented = doc["paths"]["/api/measurements"]["post"]["responses"]["409"]
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(
        response.get_json(),
        {**schema, "components": doc["components"]},
        cls=jsonschema.Draft202012Validator,
    )
    with app.app_context():
        assert get_store().revision_count() == 0


def test_a_conflict_escaping_the_update_form_is_a_409_page(app, client, auth):
    auth.login_as("contributor")
    form = "/indicators/ind.o1/2028/edit"
    token = csrf_token(client, form)
    _always_conflicting(app)
    response = client.post(
        form, data={"csrf_token": token, "base_revision": "0", "value": "3", "submit": "1"}
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "<h1>Changed meanwhile</h1>" in text and "reload the page and try again" in text
    with app.app_context():
        assert get_store().revision_count() == 0
