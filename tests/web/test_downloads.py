"""Downloads: the template of the user's indicators, the measurement export, the IPTT."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from web.store import get_store


def _record(app) -> None:
    with app.app_context():
        store = get_store()
        apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="ana", role="contributor",
                   value=MeasurementValue(value=14.0))  # fmt: skip
        apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")


def test_the_template_holds_the_users_indicators(client, auth):
    auth.login_as("contributor")
    response = client.get("/downloads/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=pathways-template.xlsx"
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Data", "Lists", "Indicators", "About"]
    codes = {row[0].value for row in book["Data"].iter_rows(min_row=2)}
    assert codes == {"ind.o1"}  # ind.o2 is outside the contributor's scope
    auth.logout()
    auth.login_as("me_officer")
    book = load_workbook(io.BytesIO(client.get("/downloads/template.xlsx").data))
    assert {row[0].value for row in book["Data"].iter_rows(min_row=2)} == {"ind.o1", "ind.o2"}


def test_measurements_export(app, client, auth):
    _record(app)
    auth.login_as("viewer")
    response = client.get("/downloads/measurements.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["indicator"], r["period"], r["value"], r["status"]) for r in rows] == [
        ("ind.o1", "2028", "14.0", "approved")
    ]
    book = load_workbook(io.BytesIO(client.get("/downloads/measurements.xlsx").data))
    assert book.sheetnames == ["Measurements"]
    assert client.get("/downloads/measurements.pdf").status_code == 404


def test_iptt_per_objective(app, client, auth):
    _record(app)
    auth.login_as("viewer")
    response = client.get("/downloads/iptt/so1.o1.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_period = {r["period"]: r for r in rows}
    assert set(by_period) == {"2027", "2028", "2029", "2030", "2031", "to date"}
    assert by_period["2028"]["actual"] == "14" and by_period["2028"]["indicator"] == "ind.o1"
    book = load_workbook(io.BytesIO(client.get("/downloads/iptt/so1.xlsx").data))
    assert book.sheetnames == ["so1"]
    assert client.get("/downloads/iptt/s1.xlsx").status_code == 404  # not an objective
    assert client.get("/downloads/iptt/nope.csv").status_code == 404


def test_downloads_page(client, auth):
    auth.login_as("viewer")
    page = client.get("/downloads").get_data(as_text=True)
    assert (
        'href="/downloads/iptt/so1.o1.xlsx"' in page and 'href="/downloads/iptt/so1.xlsx"' in page
    )
    assert 'href="/downloads/measurements.csv"' in page
    assert "/downloads/template.xlsx" not in page  # viewers enter no values
    assert client.get("/downloads/template.xlsx").status_code == 403
    auth.logout()
    auth.login_as("contributor")
    assert 'href="/downloads/template.xlsx"' in client.get("/downloads").get_data(as_text=True)
