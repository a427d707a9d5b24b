"""The system's notes on revisions on the pages (each engine): worded in the user's language
in the history and on the review card, old English phrases alike, a person's reason as typed
and never one that would read as the system's (refused); the API words them in English."""

from __future__ import annotations

import pytest

from indicators.errors import WorkflowError
from indicators.model import MeasurementValue, Revision
from indicators.system_notes import conflict_note, import_note, parse
from indicators.workflow import Action, apply_step
from tests.web.conftest import csrf_token
from web.store import get_store

T = "2027-06-01T09:00:00.000000Z"


def _revision(period: str, number: int, reason: str, status: str = "submitted") -> Revision:
    return Revision(
        "ind.o1", period, number, status, MeasurementValue(11.0), "me", T, "me_officer", reason,
        base_revision=number - 1,
    )  # fmt: skip


@pytest.fixture
def noted(app):
    """ind.o1 with a reason of each sort: codes, an old English phrase, a person's text."""
    with app.app_context():
        get_store().append_revisions(
            [
                _revision("2027", 1, import_note("data 2027.csv", approved=True), "approved"),
                _revision("2028", 1, "import old.xlsx"),
                _revision("2029", 1, conflict_note("submit"), "draft"),
                _revision("2030", 1, "counted by hand; import list later"),
            ]
        )
    return app


def test_the_history_words_the_systems_notes_in_dutch_and_english(noted, client, auth):
    auth.login_as("viewer")
    english = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "imported from data 2027.csv and approved on import" in english
    assert "imported from old.xlsx" in english
    assert "not submitted: the value had been changed meanwhile" in english
    assert "counted by hand; import list later" in english
    assert "§pathways" not in english
    client.get("/language/nl")
    dutch = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "geïmporteerd uit data 2027.csv en bij het importeren goedgekeurd" in dutch
    assert "geïmporteerd uit old.xlsx" in dutch
    assert "niet ingediend: de waarde was intussen gewijzigd" in dutch
    assert "counted by hand; import list later" in dutch  # a person's text as typed
    assert "imported from" not in dutch and "§pathways" not in dutch


def test_the_review_card_shows_why_in_the_users_language(noted, client, auth):
    auth.login_as("me_officer")
    client.get("/language/nl")
    card = client.get("/review").get_data(as_text=True)
    assert "Waarom deze wijziging: geïmporteerd uit old.xlsx" in card
    assert "Waarom deze wijziging: counted by hand; import list later" in card


def test_a_reason_that_reads_as_the_systems_is_refused_and_nothing_is_written(noted, client, auth):
    auth.login_as("contributor")
    client.get("/language/nl")
    path = "/indicators/ind.o1/2028/edit"
    for reason in ("import x.csv", conflict_note("save")):
        fields = {"value": "12", "base_revision": "1", "reason": reason, "save": "1"}
        response = client.post(path, data={"csrf_token": csrf_token(client, path), **fields})
        assert response.status_code == 200
        assert "Deze reden leest als een notitie van het systeem" in response.get_data(as_text=True)
    with noted.app_context():
        store = get_store()
        assert len(store.measurement_revisions("ind.o1", "2028")) == 1
        with pytest.raises(WorkflowError, match="reads as a note the system writes"):
            apply_step(store, "ind.o1", "2028", Action.SAVE, author="me", role="me_officer",
                       value=MeasurementValue(1.0), reason="import x.csv")  # fmt: skip
        assert len(store.measurement_revisions("ind.o1", "2028")) == 1


def test_the_api_gives_the_systems_notes_in_english_words(noted, client, auth):
    auth.login_as("viewer")
    periods = client.get("/api/indicators/ind.o1").get_json()["periods"]
    reasons = {p["period"]: (p["latest"] or {}).get("reason") for p in periods}
    assert reasons["2027"] == "imported from data 2027.csv and approved on import"
    assert reasons["2029"] == "submit refused: the value had been changed meanwhile"
    assert reasons["2030"] == "counted by hand; import list later"
    assert parse(reasons["2027"]) is None  # words, not a code
