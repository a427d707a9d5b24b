"""The template downloaded from the web speaks the page language and tells web users what to
do with it; filled in, a Dutch template imports as it is."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.web.conftest import csrf_token


def _template(client) -> bytes:
    response = client.get("/downloads/template.xlsx")
    assert response.status_code == 200
    return response.data


def _about(book) -> str:
    sheet = book[book.sheetnames[-1]]
    return "\n".join(str(row[0].value or "") for row in sheet.iter_rows())


def test_a_dutch_template_is_dutch_and_says_to_upload_it(client, auth):
    auth.login_as("contributor")
    client.get("/language/nl")
    book = load_workbook(io.BytesIO(_template(client)))
    assert book.sheetnames == ["Gegevens", "Lijsten", "Indicatoren", "Uitleg"]
    headers = [c.value for c in book["Gegevens"][1]]
    assert headers[:2] == ["indicator", "periode"] and "waarde" in headers
    assert "opmerking" in headers and "value" not in headers
    reference = [c.value for c in book["Indicatoren"][1]]
    assert reference[:5] == ["code", "titel", "meet", "type", "eenheid"]
    about = _about(book)
    assert "pagina Importeren" in about and "Sjabloon voor metingen" not in about
    assert "toc indicators" not in about and "Fill in" not in about
    rules = book["Gegevens"].data_validations.dataValidation
    assert any(r.formula1.startswith("='Lijsten'!") for r in rules)
    assert any(r.error == "Vul een getal in (geen tekst)." for r in rules)


def test_an_english_template_is_for_web_users_too(client, auth):
    auth.login_as("contributor")
    book = load_workbook(io.BytesIO(_template(client)))
    assert book.sheetnames == ["Data", "Lists", "Indicators", "About"]
    assert [c.value for c in book["Data"][1]][:3] == ["indicator", "period", "value"]
    about = _about(book)
    assert "upload it on the Import page" in about and "toc indicators" not in about


def test_a_filled_dutch_template_imports(client, auth):
    auth.login_as("contributor")
    client.get("/language/nl")
    book = load_workbook(io.BytesIO(_template(client)))
    sheet = book["Gegevens"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(2, headers.index("waarde") + 1, 14)
    sheet.cell(2, headers.index("opmerking") + 1, "enquête")
    filled = io.BytesIO()
    book.save(filled)
    token = csrf_token(client, "/import")
    response = client.post(
        "/import",
        data={"csrf_token": token, "file": (io.BytesIO(filled.getvalue()), "ingevuld.xlsx")},
        content_type="multipart/form-data",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "onbekende kolom" not in page
    assert "Het bestand is in orde: 1 waarde zou worden weggeschreven." in page
