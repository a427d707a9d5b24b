"""The four-eyes rule on the review page: an M&E officer approving a value they submitted is
warned by default (in both languages) and refused when the app is set to ``refuse``."""

from __future__ import annotations

import pytest

from indicators.model import RevisionStatus
from indicators.workflow import SELF_APPROVED
from tests.web.conftest import AuthActions, csrf_token, english_client, make_app
from web.store import close_store, get_store


def _submit_and_approve(client, lang_page: str = "/review"):
    AuthActions(client).login_as("me_officer")
    token = csrf_token(client, "/indicators/ind.o1/2028/edit")
    saved = client.post("/indicators/ind.o1/2028/edit", data={
        "csrf_token": token, "value": "14", "base_revision": "0", "submit": "1"})  # fmt: skip
    assert saved.status_code == 302, saved.get_data(as_text=True)
    token = csrf_token(client, lang_page)
    return client.post("/review/ind.o1/2028", data={"csrf_token": token, "decision": "approve",
                                                    "base_revision": "1"},
                       follow_redirects=True)  # fmt: skip


def _latest(app):
    with app.app_context():
        return get_store().measurement_revisions("ind.o1", "2028")[-1]


def test_approving_ones_own_submission_warns_by_default(app):
    assert app.config["FOUR_EYES"] == "warn"
    page = _submit_and_approve(english_client(app)).get_data(as_text=True)
    assert "Approved: “Municipalities”, 2028." in page
    assert "You approved a value you submitted yourself" in page
    latest = _latest(app)
    assert latest.status is RevisionStatus.APPROVED and SELF_APPROVED in latest.flags


def test_the_warning_in_dutch(app):
    page = _submit_and_approve(app.test_client()).get_data(as_text=True)  # Dutch by default
    assert "U keurde een waarde goed die u zelf indiende" in page


@pytest.mark.parametrize("lang, text", [
    ("en", "You submitted this value yourself; another reviewer must approve it"),
    ("nl", "U diende deze waarde zelf in; een andere beoordelaar moet ze goedkeuren"),
])  # fmt: skip
def test_the_refuse_setting_refuses_it(store_path, lang, text):
    app = make_app(store_path, FOUR_EYES="refuse")
    try:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        page = _submit_and_approve(client).get_data(as_text=True)
        assert text in page
        assert _latest(app).status is RevisionStatus.SUBMITTED  # nothing approved
    finally:
        close_store(app)


def test_the_setting_comes_from_the_environment(store_path, monkeypatch):
    monkeypatch.setenv("TOC_FOUR_EYES", "refuse")
    app = make_app(store_path)
    try:
        assert app.config["FOUR_EYES"] == "refuse"
    finally:
        close_store(app)
