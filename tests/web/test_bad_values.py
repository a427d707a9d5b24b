"""A value that is not a finite number, already in the store (written by an earlier version or
directly), takes no page down: every page and API answer works, the indicator shows it as a
data problem, a correction can be posted and the bad value cannot be approved (both engines).

The reproduction of the issue: one approved infinite value made 15 of 16 pages answer 500.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import replace

import pytest

from graphdb import open_store
from graphdb.credentials import credentials_path
from indicators.definitions import loads
from indicators.model import EndTarget, MeasurementValue, PeriodTarget, Revision, now_stamp
from tests.conftest import BACKENDS, small_plan
from tests.web.conftest import (
    ACCOUNTS,
    INDICATORS,
    PASSWORD,
    AuthActions,
    csrf_token,
    english_client,
    make_app,
)
from tests.web.test_routes import ENDPOINT_ARGS, SAMPLE_ARGS, SAMPLE_QUERY
from web.accounts import create_account
from web.passwords import Hasher
from web.store import close_store

BAD = [
    ("ind.o1", "2028", "approved", MeasurementValue(value=12.0)),
    ("ind.o1", "2029", "approved", MeasurementValue(value=math.inf)),
    ("ind.o2", "2029", "approved",
     MeasurementValue(value=math.inf, numerator=1e308, denominator=1e-320)),
    ("ind.o1", "2030", "submitted", MeasurementValue(value=-math.inf)),
    ("ind.o2", "2030", "submitted", MeasurementValue(value=math.nan, numerator=math.nan,
                                                     denominator=4.0)),
]  # fmt: skip


def _inject(store) -> None:
    stamp = now_stamp()
    store.append_revisions(
        [Revision(code, period, 1, status, value, "old-version", stamp)
         for code, period, status, value in BAD]
    )  # fmt: skip


def _bad_definitions(store) -> None:
    """Definitions an earlier version could store: an infinite baseline, a target that is not
    a number, an end target on the wrong side of the baseline."""
    one, two = store.indicators()
    store.save_indicators(
        [
            replace(one, baseline=replace(one.baseline, value=math.inf),
                    targets=(PeriodTarget("2028", math.nan),)),
            replace(two, end_target=EndTarget(5.0)),
        ],
        author="old-version",
    )  # fmt: skip


def _app(request, template_store, tmp_path, *injections):
    """The web app on a store of the engine ``request.param`` after ``injections``."""
    if request.param == "neo4j":
        store = request.getfixturevalue("fresh_neo4j_store")()
        store.save_plan(small_plan(), author="tests", message="small plan")
        for username, (role, scope) in ACCOUNTS.items():
            create_account(store, Hasher("fast"), username, PASSWORD, role, **scope)
        store.save_indicators(loads(INDICATORS, plan=small_plan()).indicators, author="tests")
        location = store.location
        # the app's store finds the accounts in the same credential file
        request.getfixturevalue("monkeypatch").setenv(
            "TOC_CREDENTIALS", str(store.credentials.path)
        )
    else:
        location = tmp_path / "web.lbug"
        shutil.copy(template_store, location)
        shutil.copy(credentials_path(str(template_store)), credentials_path(str(location)))
        store = open_store(location)
    try:
        for inject in injections:
            inject(store)
    finally:
        store.close()
    return make_app(tmp_path / "unused.lbug", TOC_STORE=str(location))


@pytest.fixture(params=BACKENDS)
def bad_app(request, template_store, tmp_path):
    """The web app on a store of each engine holding the bad rows."""
    app = _app(request, template_store, tmp_path, _inject)
    yield app
    close_store(app)


@pytest.fixture(params=BACKENDS)
def bad_definitions_app(request, template_store, tmp_path):
    """The web app on a store of each engine holding bad definitions (and good values)."""
    app = _app(request, template_store, tmp_path, _bad_definitions, _inject)
    yield app
    close_store(app)


def _get_urls(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        args = {**SAMPLE_ARGS, **ENDPOINT_ARGS.get(rule.endpoint, {}), "period": "2029"}
        if rule.endpoint.startswith("plan.") and "node_id" in rule.arguments:
            args["node_id"] = "so1.o1"
        url = rule.build({k: v for k, v in args.items() if k in rule.arguments})[1]
        yield rule.endpoint, url + SAMPLE_QUERY.get(rule.endpoint, "")


def test_every_page_works_and_names_the_problem(bad_app):
    client = english_client(bad_app)
    AuthActions(client).login_as("admin")
    assert _server_errors(bad_app, client) == []
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "Data problem: some stored figures of this indicator cannot be used" in page
    assert "the value of 2029 is not a finite number" in page
    listing = client.get("/indicators").get_data(as_text=True)
    assert "the value of 2029 is not a finite number" in listing
    api = client.get("/api/indicators/ind.o1").get_json()
    assert api["indicator"]["problems"] == ["value of 2029 is not a finite number"]
    period = next(p for p in api["periods"] if p["period"] == "2029")
    assert period == {**period, "actual": None, "status": "no_data",
                      "problem": "value of 2029 is not a finite number"}  # fmt: skip
    assert next(p for p in api["periods"] if p["period"] == "2028")["actual"] == 12.0
    assert "Infinity" not in client.get("/api/indicators/ind.o2").get_data(as_text=True)
    review = client.get("/review").get_data(as_text=True)
    assert "This value cannot be approved: value must be a finite number" in review


def _server_errors(app, client) -> list[str]:
    failures = []
    for endpoint, url in _get_urls(app):
        for code in ("ind.o1", "ind.o2"):
            response = client.get(url.replace("ind.o1", code))
            if response.status_code >= 500:
                failures.append(f"{url.replace('ind.o1', code)} ({endpoint}): "
                                f"{response.status_code}")  # fmt: skip
    return failures


def test_bad_stored_definitions_take_no_page_down(bad_definitions_app):
    client = english_client(bad_definitions_app)
    AuthActions(client).login_as("admin")
    assert _server_errors(bad_definitions_app, client) == []
    one = client.get("/api/indicators/ind.o1").get_json()["indicator"]["problems"]
    assert one[:2] == ["the baseline is not a finite number",
                       "the target 2028 is not a finite number"]  # fmt: skip
    two = client.get("/api/indicators/ind.o2").get_json()["indicator"]["problems"]
    assert two[0] == "the end target 5 is below the baseline 20 of an increase"
    page = client.get("/indicators/ind.o2").get_data(as_text=True)
    assert "the end target (5) is below the baseline (20) of an increasing indicator" in page


def test_the_problem_is_said_in_dutch(bad_app):
    client = bad_app.test_client()  # the app's default language is Dutch
    AuthActions(client).login_as("viewer")
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "de waarde van 2029 is geen eindig getal" in page


def test_a_correction_is_posted_and_the_bad_value_is_not_approved(bad_app):
    client = english_client(bad_app)
    AuthActions(client).login_as("me_officer")
    token = csrf_token(client, "/review")
    refused = client.post("/review/ind.o1/2030", data={"csrf_token": token, "decision": "approve",
                                                       "base_revision": "1"},
                          follow_redirects=True)  # fmt: skip
    assert refused.status_code == 200
    assert "The value cannot be recorded" in refused.get_data(as_text=True)
    edit = client.get("/indicators/ind.o1/2029/edit")
    assert edit.status_code == 200 and 'value="∞"' in edit.get_data(as_text=True)
    token = csrf_token(client, "/indicators/ind.o1/2029/edit")
    saved = client.post("/indicators/ind.o1/2029/edit", data={
        "csrf_token": token, "value": "16", "base_revision": "1", "submit": "1",
        "reason": "corrected"})  # fmt: skip
    assert saved.status_code == 302, saved.get_data(as_text=True)
    token = csrf_token(client, "/review")
    approved = client.post("/review/ind.o1/2029", data={"csrf_token": token,
                                                        "decision": "approve",
                                                        "base_revision": "2"})  # fmt: skip
    assert approved.status_code == 302
    api = client.get("/api/indicators/ind.o1").get_json()
    assert api["indicator"]["problems"] == []
    assert next(p for p in api["periods"] if p["period"] == "2029")["actual"] == 16.0
