"""The import page: upload, dry run with problems or a summary, confirm all or nothing; and the
uploaded file kept on the server between the two steps."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from indicators.model import MeasurementValue
from indicators.system_notes import import_note
from indicators.workflow import Action, apply_step
from tests.web.conftest import AuthActions, csrf_token, english_client, make_app
from web.store import close_store, get_store

GOOD = "indicator,period,value,comment\nind.o1,2028,14,survey\n"


def _upload(client, text: str | bytes, name: str = "values.csv", **fields):
    token = csrf_token(client, "/import")
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def _confirm(client, location: str, action: str = "import"):
    token = csrf_token(client, "/import")  # not the report: showing it checks the file again
    return client.post(location, data={"csrf_token": token, "action": action})


def _count(app) -> int:
    with app.app_context():
        return get_store().revision_count()


def _kept(app) -> list[str]:
    folder = app.extensions["pathways.uploads"].folder
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def contributor(client, auth):
    auth.login_as("contributor")
    return client


def test_upload_dry_run_then_confirm(app, contributor):
    response = _upload(contributor, GOOD)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/import/[A-Za-z0-9_-]{32}", location)
    page = contributor.get(location).get_data(as_text=True)
    assert "The file is fine: 1 value would be written." in page
    assert "<td>ind.o1</td>" in page and "<td>2028</td>" in page and "survey" in page
    assert 'value="import"' in page and "Import 1 value" in page
    assert _count(app) == 0  # the dry run wrote nothing
    assert len(_kept(app)) == 1

    done = _confirm(contributor, location)
    assert done.status_code == 302 and done.headers["Location"] == "/import"
    assert "Imported 1 value(s) from values.csv." in contributor.get("/import").get_data(
        as_text=True
    )
    with app.app_context():
        (revision,) = get_store().measurement_revisions("ind.o1", "2028")
    assert (revision.status.value, revision.value.value, revision.author) == (
        "submitted",
        14.0,
        "contributor",
    )
    assert revision.reason == import_note("values.csv", approved=False)
    assert _kept(app) == []  # the file is removed once imported
    again = contributor.get(location)  # the token is used up
    assert again.status_code == 302 and again.headers["Location"] == "/import"


def test_problems_are_listed_and_nothing_is_written(app, contributor):
    text = "indicator,period,value\nind.o1,2028,14\nind.o1,2029,lots\nind.x,2028,1\n"
    location = _upload(contributor, text, "bad.csv").headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert "2 problems: nothing can be imported." in page
    assert "<td>bad.csv</td>" in page  # the sheet of a CSV file is its name
    assert re.search(r"<td>3</td>\s*<td>value</td>\s*<td>.*&#39;lots&#39; is not a number", page)
    assert re.search(r"<td>4</td>\s*<td>indicator</td>", page)
    assert 'value="import"' not in page
    # Even when asked to, the server imports nothing of a file with problems.
    response = _confirm(contributor, location)
    assert response.status_code == 200 and "nothing can be imported" in response.get_data(
        as_text=True
    )
    assert _count(app) == 0


def test_contributor_may_import_only_within_its_scope(app, contributor):
    text = "indicator,period,value,numerator,denominator\nind.o1,2028,14,,\nind.o2,2028,,1,4\n"
    location = _upload(contributor, text).headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert "1 problem: nothing can be imported." in page
    assert re.search(r"<td>3</td>\s*<td>A \(indicator\)</td>|<td>3</td>\s*<td>indicator</td>", page)
    assert "ind.o2 is outside your scope" in page
    assert _confirm(contributor, location).status_code == 200
    assert _count(app) == 0


def test_me_officer_imports_another_indicator_as_approved(app, client, auth):
    auth.login_as("me_officer")
    page = client.get("/import").get_data(as_text=True)
    assert 'name="approve"' in page
    text = "indicator,period,numerator,denominator\nind.o2,2028,1,4\n"
    location = _upload(client, text, approve="y").headers["Location"]
    assert "to be imported as approved" in client.get(location).get_data(as_text=True)
    _confirm(client, location)
    with app.app_context():
        (revision,) = get_store().measurement_revisions("ind.o2", "2028")
    assert revision.status.value == "approved" and revision.value.value == 25.0


def test_contributor_cannot_approve_on_import(app, contributor):
    assert 'name="approve"' not in contributor.get("/import").get_data(as_text=True)
    location = _upload(contributor, GOOD, approve="y").headers["Location"]
    assert "as approved" not in contributor.get(location).get_data(as_text=True)
    _confirm(contributor, location)
    with app.app_context():
        assert get_store().measurement_revisions("ind.o1")[0].status.value == "submitted"


def test_template_round_trip(app, contributor):
    template = contributor.get("/downloads/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.data))
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("period")].value == "2028":
            row[header.index("value")].value = 17
            row[header.index("comment")].value = "from the template"
    out = io.BytesIO()
    book.save(out)
    location = _upload(contributor, out.getvalue(), "filled.xlsx").headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert "The file is fine: 1 value would be written." in page
    _confirm(contributor, location)
    with app.app_context():
        (revision,) = get_store().measurement_revisions("ind.o1", "2028")
    assert revision.value.value == 17.0 and revision.value.comment == "from the template"


def test_xlsx_problems_name_sheet_row_and_column(app, contributor):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["indicator", "period", "value"])
    sheet.append(["ind.o1", "2028", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    location = _upload(contributor, out.getvalue(), "formula.xlsx").headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert re.search(r"<td>Data</td>\s*<td>2</td>\s*<td>C \(value\)</td>\s*<td>.*a formula", page)


def test_confirming_unseen_results_shows_them_first(app, contributor):
    location = _upload(contributor, GOOD).headers["Location"]
    response = _confirm(contributor, location)  # without having looked at the check
    assert response.status_code == 200 and _count(app) == 0
    assert "Look at the check of the file below" in response.get_data(as_text=True)
    assert _confirm(contributor, location).status_code == 302 and _count(app) == 1


def test_cancel_removes_the_file(app, contributor):
    location = _upload(contributor, GOOD).headers["Location"]
    response = _confirm(contributor, location, action="cancel")
    assert response.status_code == 302 and _kept(app) == [] and _count(app) == 0


def test_values_recorded_meanwhile_ask_for_a_new_confirmation(app, contributor):
    location = _upload(contributor, GOOD).headers["Location"]
    contributor.get(location)
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2029", Action.SUBMIT, author="me", role="me_officer",
                   value=MeasurementValue(value=3.0))  # fmt: skip
    response = _confirm(contributor, location)
    assert response.status_code == 200
    assert "Values were recorded since you checked this file" in response.get_data(as_text=True)
    assert _count(app) == 1
    assert _confirm(contributor, location).status_code == 302
    assert _count(app) == 2


def test_only_the_uploader_can_use_an_upload(app, contributor):
    location = _upload(contributor, GOOD).headers["Location"]
    other = english_client(app)
    AuthActions(other).login_as("me_officer")
    response = other.get(location)
    assert response.status_code == 302 and response.headers["Location"] == "/import"
    assert _confirm(other, location).status_code == 302
    assert _count(app) == 0 and len(_kept(app)) == 1


def test_refused_files(app, contributor):
    page = _upload(contributor, "hello", "notes.txt").get_data(as_text=True)
    assert "Upload an XLSX workbook or a CSV file." in page
    page = _upload(contributor, b"", "empty.csv").get_data(as_text=True)
    assert "The file is empty." in page
    page = _upload(contributor, "not a zip", "fake.xlsx").get_data(as_text=True)
    assert "Upload an XLSX workbook or a CSV file." in page
    assert "Choose a file." in contributor.post(
        "/import", data={"csrf_token": csrf_token(contributor, "/import")}
    ).get_data(as_text=True)
    assert _kept(app) == []


def test_size_limit(store_path, tmp_path):
    app = make_app(store_path, IMPORT_MAX_BYTES=64)
    try:
        client = english_client(app)
        AuthActions(client).login_as("contributor")
        page = _upload(client, GOOD + "x" * 100).get_data(as_text=True)
        assert "The file is too large: at most" in page
        assert _kept(app) == []
    finally:
        close_store(app)


def test_unreadable_file_says_why(app, contributor):
    location = _upload(contributor, b"\xff\xfebad", "broken.csv").headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert "The file cannot be read." in page and "broken.csv" in page
    assert "/tmp" not in page  # the server's paths are not shown
    # A NUL byte is refused as the file arrives, and the file is not kept.
    page = _upload(contributor, b"\x81\x00bad", "nul.csv").get_data(as_text=True)
    assert "nul.csv, line 1: a control character (U+0000 (NUL)), which a cell cannot hold" in page
    assert "/tmp" not in page and len(_kept(app)) == 1


def test_forms_need_csrf(app, contributor):
    response = contributor.post(
        "/import",
        data={"file": (io.BytesIO(GOOD.encode()), "values.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and _kept(app) == []
    location = _upload(contributor, GOOD).headers["Location"]
    assert contributor.post(location, data={"action": "import"}).status_code == 400
    assert _count(app) == 0


def test_viewers_cannot_import(client, auth):
    auth.login_as("viewer")
    assert client.get("/import").status_code == 403
    assert "/import" not in client.get("/").get_data(as_text=True)


def test_importing_the_same_file_twice_changes_nothing(app, contributor):
    location = _upload(contributor, GOOD).headers["Location"]
    contributor.get(location)
    _confirm(contributor, location)
    location = _upload(contributor, GOOD).headers["Location"]
    page = contributor.get(location).get_data(as_text=True)
    assert "Nothing to import: every value in the file is stored already." in page
    assert 'value="import"' not in page
    response = _confirm(contributor, location)
    assert response.status_code == 302 and _count(app) == 1 and _kept(app) == []
