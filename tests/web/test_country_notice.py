"""The diagram filtered by country says that its statuses are plan-wide, and shows the
country's figures where values are disaggregated by country (English and Dutch)."""

from __future__ import annotations

from dataclasses import replace

from graphdb.ladybug_store import LadybugStore
from indicators.model import Dimension, MeasurementValue, Part, Revision, now_stamp
from tests.web.conftest import AuthActions, english_client, make_app


def _viewer(store_path):
    app = make_app(store_path)
    client = english_client(app)
    AuthActions(client).login_as("viewer")
    return client


def test_a_country_without_values_by_country_says_statuses_are_plan_wide(store_path):
    client = _viewer(store_path)
    text = client.get("/pathways?country=be").get_data(as_text=True)
    assert "Statuses are plan-wide: no values by country for these indicators." in text
    assert "concerns Belgium" in text
    assert "Statuses are plan-wide" not in client.get("/pathways").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    dutch = client.get("/pathways?country=be").get_data(as_text=True)
    assert "deze indicatoren hebben geen waarden per land" in dutch


def test_a_country_with_values_by_country_shows_its_figure(store_path):
    store = LadybugStore(store_path)
    try:
        one, two = store.indicators()
        split = replace(two, dimensions=(Dimension("country", ("be", "nl")),))
        store.save_indicators([one, split], author="tests")
        parts = (
            Part((("country", "be"),), numerator=1.0, denominator=4.0),
            Part((("country", "nl"),), numerator=3.0, denominator=6.0),
        )
        store.append_revisions(
            [Revision(two.code, "2028", 1, "approved",
                      MeasurementValue(value=40.0, numerator=4.0, denominator=10.0, parts=parts),
                      "ann", now_stamp())]
        )  # fmt: skip
    finally:
        store.close()
    client = _viewer(store_path)
    text = client.get("/pathways?country=be").get_data(as_text=True)
    assert "Statuses are plan-wide." in text and "Reported for Belgium:" in text
    assert "25 % (1/4)" in text.split("Reported for Belgium:")[1].split("</li>")[0]
