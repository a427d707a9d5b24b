"""The review page: paged, filtered by indicator, partner and period, with the figures a
reviewer needs (target, expected, previous value, status now and if approved) and
confirmations in words."""

from __future__ import annotations

import re

from tests.web.conftest import csrf_token
from web.store import get_store


def _submit(client, auth, period: str, value: str) -> None:
    auth.login_as("contributor")
    token = csrf_token(client, f"/indicators/ind.o1/{period}/edit")
    client.post(f"/indicators/ind.o1/{period}/edit", data={
        "csrf_token": token, "value": value, "base_revision": "0", "submit": "1",
        "evidence": "https://example.org/report.pdf"})  # fmt: skip
    auth.logout()


def test_review_card_filters_and_confirmation(app, client, auth):
    _submit(client, auth, "2028", "11")
    _submit(client, auth, "2029", "16")
    auth.login_as("me_officer")
    page = client.get("/review").get_data(as_text=True)
    assert "2 values match" in page and "page 1 of 1" in page
    assert re.search(r"Target for 2028|Expected by the end of 2028", page)
    assert 'href="https://example.org/report.pdf"' in page
    assert "Status now" in page and "2029 if approved" in page
    only = client.get("/review?period=2029").get_data(as_text=True)
    assert "1 value matches" in only and "/review/ind.o1/2029" in only
    assert "/review/ind.o1/2028" not in only
    none = client.get("/review?partner=enabel-not-a-partner&indicator=ind.o2")
    assert "No value awaiting review matches these filters." in none.get_data(as_text=True)
    assert client.get("/review?page=x").status_code == 200  # a bad page number: the first
    token = csrf_token(client, "/review")
    response = client.post("/review/ind.o1/2028", data={"csrf_token": token,
        "decision": "approve", "base_revision": "1", "period": "2029"})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/review?period=2029"
    )
    text = client.get("/review").get_data(as_text=True)
    assert "Approved: “Municipalities”, 2028." in text
    assert "Previous value (2028)" in text  # 2029 now has an approved value before it
    with app.app_context():
        assert get_store().measurement_revisions("ind.o1", "2028")[-1].status.value == "approved"


def test_review_is_paged(app, client, auth, monkeypatch):
    import indicators.review_queue as rq

    one = {**rq.queue_page.__kwdefaults__, "size": 1}
    monkeypatch.setattr(rq.queue_page, "__kwdefaults__", one)
    _submit(client, auth, "2028", "11")
    _submit(client, auth, "2029", "16")
    auth.login_as("me_officer")
    first = client.get("/review").get_data(as_text=True)
    assert "page 1 of 2" in first and 'rel="next" href="/review?page=2"' in first
    second = client.get("/review?page=2").get_data(as_text=True)
    assert "page 2 of 2" in second and 'rel="prev"' in second


def test_a_returned_value_shows_in_the_contributors_work_with_the_note(client, auth):
    _submit(client, auth, "2028", "11")
    auth.login_as("me_officer")
    token = csrf_token(client, "/review")
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "return",
                "base_revision": "1", "note": "Add the survey report"})  # fmt: skip
    assert "Returned to the submitter with your note" in client.get("/review").get_data(
        as_text=True
    )
    auth.logout()
    auth.login_as("contributor")
    page = client.get("/").get_data(as_text=True)
    assert "My work" in page and "Returned with a note" in page
    assert "“Add the survey report”" in page and 'href="/indicators/ind.o1/2028/edit"' in page
    auth.logout()
    auth.login_as("viewer")
    assert "My work" not in client.get("/").get_data(as_text=True)


def test_a_new_submission_renders_its_own_card_not_the_others(app, client, auth):
    _submit(client, auth, "2028", "11")
    auth.login_as("me_officer")
    client.get("/review")
    fragments = app.extensions["pathways.fragments"]
    before = fragments.renders
    client.get("/review")
    assert fragments.renders == before  # nothing new: every card from the cache
    auth.logout()
    _submit(client, auth, "2029", "16")
    auth.login_as("me_officer")
    page = client.get("/review").get_data(as_text=True)
    assert "2 values match" in page and "/review/ind.o1/2029" in page
    cards = [k for k in list(fragments._items) if "review-card" in k]
    assert sorted(k[3:6] for k in cards) == [("ind.o1", "2028", 1), ("ind.o1", "2029", 1)]
    assert fragments.renders - before <= 3  # the new card, the filters, the layout's menu


def test_the_contributors_overview_is_rendered_again_only_when_its_work_changes(app, client, auth):
    """The page is cached per contributor and what its to-do list holds: a resubmission that
    leaves the list and the count awaiting review as they were is served from the cache; a
    returned value renders the page again, with the note."""
    _submit(client, auth, "2028", "11")
    pages = app.extensions["pathways.pages"]
    auth.login_as("contributor")
    client.get("/")
    auth.logout()
    auth.login_as("me_officer")
    token = csrf_token(client, "/indicators/ind.o1/2028/edit")
    client.post("/indicators/ind.o1/2028/edit", data={
        "csrf_token": token, "value": "12", "base_revision": "1", "submit": "1"})  # fmt: skip
    with app.app_context():
        assert get_store().measurement_revisions("ind.o1", "2028")[-1].revision == 2
    auth.logout()
    auth.login_as("contributor")
    renders = pages.renders
    page = client.get("/").get_data(as_text=True)
    assert pages.renders == renders and "1 value awaits review." in page
    auth.logout()
    auth.login_as("me_officer")
    token = csrf_token(client, "/review")
    client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "return",
                "base_revision": "2", "note": "Which survey?"})  # fmt: skip
    auth.logout()
    auth.login_as("contributor")
    renders = pages.renders
    page = client.get("/").get_data(as_text=True)
    assert pages.renders == renders + 1 and "“Which survey?”" in page
    assert "0 values await review." in page
