"""Numbers typed on the web and sent to the API are read as their writer meant them or refused
with how to write them; readings that could be misread and implausible values are shown
before they are saved; the reviewer sees the warnings. The reproductions of the issues:
``0.75`` typed in Dutch stored 75, ``1.5`` 15, ``12,5`` in English 125; ``numerator: 1e308,
denominator: 1e-320`` was recorded (201)."""

from __future__ import annotations

import codecs
import io
import re

import jsonschema
import pytest

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import AuthActions, csrf_token, english_client
from tests.web.test_api_indicators import _session, _submit
from web.store import get_store

EDIT = "/indicators/ind.o1/2028/edit"
SHARE = "/indicators/ind.o2/2028/edit"


def _post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _revisions(app, code="ind.o1", period="2028"):
    with app.app_context():
        return get_store().measurement_revisions(code, period)


@pytest.fixture
def dutch(app):
    """An M&E officer whose browser asks for Dutch (the app's default)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    AuthActions(client).login_as("me_officer")
    return client


@pytest.fixture
def english(app):
    client = english_client(app)
    AuthActions(client).login_as("me_officer")
    return client


@pytest.fixture
def check(client):
    """Check an API answer against the OpenAPI document (as tests/web/test_api_indicators
    does); returns its JSON."""
    doc = client.get("/api/openapi.json").get_json()

    def check(response, path: str, method: str = "get"):
        responses = doc["paths"][path][method]["responses"]
        status = str(response.status_code)
        assert status in responses, f"{method.upper()} {path}: {status} is not documented"
        schema = responses[status]["content"]["application/json"]["schema"]
        data = response.get_json()
        jsonschema.validate(
            data, {**schema, "components": doc["components"]}, cls=jsonschema.Draft202012Validator
        )
        return data

    return check


def _field_errors(page: str, field: str = "value") -> str:
    match = re.search(rf'<ul class="field-errors" id="{field}-errors">\s*<li>([^<]*)</li>', page)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    "lang, typed, message",
    [
        ("nl", "0.75", "“0.75” is niet geschreven zoals getallen hier geschreven worden: "
         "schrijf 0,75 (decimalen na een komma; een punt alleen tussen groepen van drie cijfers, "
         "zoals in 1.234,5)."),
        ("nl", "1.5", "schrijf 1,5 "),
        ("en", "12,5", "“12,5” is not written the way numbers are written here: write 12.5 "
         "(decimals after a point; a comma only between groups of three digits, as in "
         "1,234.5)."),
        ("en", "1e309", "“1e309” is too large to store."),
        ("en", "inf", "“inf” is not a finite number; enter a number."),
        ("nl", "#DEEL/0!", "Vul een getal in, bijvoorbeeld 12,5"),
        ("en", "#DIV/0!", "#DIV/0! is a spreadsheet error, not a number."),
    ],
)  # fmt: skip
def test_a_number_in_the_wrong_format_is_refused_with_how_to_write_it(
    app, dutch, english, lang, typed, message
):
    client = dutch if lang == "nl" else english
    response = _post(client, EDIT, value=typed, base_revision="0", submit="1")
    assert response.status_code == 200
    assert message in _field_errors(response.get_data(as_text=True))
    assert _revisions(app) == []  # nothing stored, never 75, 15 or 125


@pytest.mark.parametrize(
    "lang, typed, stored",
    [("nl", "0,75", 0.75), ("en", "0.75", 0.75), ("nl", "12", 12.0), ("en", "-0", 0.0)],
)
def test_a_plainly_written_number_is_saved_at_once(app, dutch, english, lang, typed, stored):
    client = dutch if lang == "nl" else english
    response = _post(client, EDIT, value=typed, base_revision="0", save="1")
    assert response.status_code == 302
    assert _revisions(app)[-1].value.value == stored


@pytest.mark.parametrize(
    "lang, typed, shown, stored",
    [("nl", "1.500", "1500", 1500.0), ("nl", "1,500", "1,5", 1.5),
     ("en", "1,500", "1500", 1500.0), ("en", "1.500", "1.5", 1.5),
     ("en", "1.5e1", "15", 15.0)],
)  # fmt: skip
def test_a_number_that_could_be_misread_is_shown_before_it_is_saved(
    app, dutch, english, lang, typed, shown, stored
):
    client = dutch if lang == "nl" else english
    first = _post(client, EDIT, value=typed, base_revision="0", save="1")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and _revisions(app) == []
    assert 'id="read-as"' in page and f"<dd><strong>{shown}</strong></dd>" in page
    confirmed = re.search(r'name="confirmed" type="hidden" value="([0-9a-f]+)"', page).group(1)
    assert f'value="{typed}"' in page  # the typed text is kept in the form
    again = _post(client, EDIT, value=typed, base_revision="0", save="1", confirmed=confirmed)
    assert again.status_code == 302
    assert _revisions(app)[-1].value.value == stored
    # A changed value is shown again: the confirmation was for the other number.
    changed = _post(client, EDIT, value="2.500" if lang == "nl" else "2,500", base_revision="1",
                    save="1", confirmed=confirmed)  # fmt: skip
    assert changed.status_code == 200 and 'id="read-as"' in changed.get_data(as_text=True)


def test_the_form_shows_stored_numbers_exactly(app, dutch):
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SAVE, author="me", role="me_officer",
                   value=MeasurementValue(value=1 / 3))  # fmt: skip
    page = dutch.get(EDIT).get_data(as_text=True)
    assert 'value="0,3333333333333333"' in page
    saved = _post(dutch, EDIT, value="0,3333333333333333", base_revision="1", save="1")
    assert saved.status_code == 302
    assert len(_revisions(app)) == 1  # unchanged: saving the form as shown changes nothing


def test_an_implausible_value_is_shown_then_flagged_for_the_reviewer(app, english):
    first = _post(english, SHARE, numerator="12", denominator="10", base_revision="0",
                  submit="1")  # fmt: skip
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and _revisions(app, "ind.o2") == []
    assert "numerator 12 is larger than denominator 10: the share is over 100 %" in page
    assert "<dd><strong>120 %</strong></dd>" in page
    confirmed = re.search(r'name="confirmed" type="hidden" value="([0-9a-f]+)"', page).group(1)
    done = _post(english, SHARE, numerator="12", denominator="10", base_revision="0",
                 submit="1", confirmed=confirmed)  # fmt: skip
    assert done.status_code == 302
    shown = english.get(done.headers["Location"]).get_data(as_text=True)
    assert "Flagged for the reviewer: numerator 12 is larger than denominator 10" in shown
    (revision,) = _revisions(app, "ind.o2")
    assert revision.flags == (
        "numerator 12 is larger than denominator 10: the share is over 100 %",
    )
    review = english.get("/review").get_data(as_text=True)
    assert "numerator 12 is larger than denominator 10: the share is over 100 %" in review


def test_the_reviewer_reads_the_warning_in_dutch(app, dutch):
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="me", role="me_officer",
                   value=MeasurementValue(value=-2.5))  # fmt: skip
    review = dutch.get("/review").get_data(as_text=True)
    assert "waarde -2,5 is negatief, terwijl de basiswaarde en de streefwaarden dat niet zijn" in (
        review
    )


def test_a_share_too_large_to_store_is_refused_on_the_form(app, english):
    response = _post(english, SHARE, numerator="1e308", denominator="1e-300", base_revision="0",
                     submit="1", confirmed="x")  # fmt: skip
    assert "The share of these two numbers is too large to store." in _field_errors(
        response.get_data(as_text=True), "denominator"
    )
    assert _revisions(app, "ind.o2") == []


def _api(client, check, **body):
    token = _session(client, check)
    response = _submit(client, token, **body)
    return response, check(response, "/api/measurements", "post")


@pytest.mark.parametrize(
    "body, field, message",
    [
        # Refused as the body is read (web/json_body): not a number any store could hold.
        ('{"indicator": "ind.o1", "period": "2028", "base_revision": 0, "value": 1%s}'
         % ("0" * 400), "", "a whole number of more than 20 digits"),
        ('{"indicator": "ind.o1", "period": "2028", "base_revision": 0, "value": 1e400}',
         "value", "a finite number"),
        ('{"indicator": "ind.o1", "period": "2028", "base_revision": 0, "value": NaN}',
         "", "NaN is not a JSON number"),
        ('{"indicator": "ind.o1", "period": "2028", "base_revision": 0, "value": "0,75"}',
         "value", "a finite number"),
    ],
)  # fmt: skip
def test_the_api_refuses_numbers_that_cannot_be_stored(
    app, client, auth, check, body, field, message
):
    auth.login_as("me_officer")
    token = _session(client, check)
    response = client.post("/api/measurements", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})  # fmt: skip
    data = check(response, "/api/measurements", "post")
    assert response.status_code == 400
    assert data["problems"] == [{"field": field, "message": message}]
    assert _revisions(app) == []


def test_the_api_refuses_a_ratio_that_cannot_be_stored(app, client, auth, check):
    auth.login_as("me_officer")
    response, data = _api(client, check, indicator="ind.o2", period="2028", base_revision=0,
                          numerator=1e308, denominator=1e-320)  # fmt: skip
    assert response.status_code == 400 and data["reason"] == "invalid_value"
    assert "as a percentage is too large to store" in data["error"]
    assert _revisions(app, "ind.o2") == []


def test_the_api_returns_the_warnings(app, client, auth, check):
    auth.login_as("me_officer")
    response, data = _api(client, check, indicator="ind.o1", period="2028", base_revision=0,
                          value=-3)  # fmt: skip
    assert response.status_code == 201
    assert data["warnings"] == ["value -3 is negative, while the baseline and targets are not"]
    assert data["revision"]["flags"] == data["warnings"]
    response, data = _api(client, check, indicator="ind.o1", period="2029", base_revision=0,
                          value=12)  # fmt: skip
    assert response.status_code == 201 and data["warnings"] == []


def _upload(client, data: bytes, name: str, **fields):
    token = csrf_token(client, "/import")
    return client.post("/import", data={"csrf_token": token, "file": (io.BytesIO(data), name),
                                        **fields}, content_type="multipart/form-data")  # fmt: skip


def test_a_dutch_excel_csv_is_imported_on_the_web(app, english):
    data = (
        codecs.BOM_UTF8 + b"indicator;period;value\r\nind.o1;2028;1.234,5\r\nind.o1;2029;0,75\r\n"
    )
    location = _upload(english, data, "waarden.csv").headers["Location"]
    page = english.get(location).get_data(as_text=True)
    assert (
        "Read as: separated by semicolons, UTF-8 (with byte order mark), a decimal comma." in page
    )
    assert "<td>1234.5</td>" in page and "<td>0.75</td>" in page  # shown exactly as read
    token = csrf_token(english, "/import")
    done = english.post(location, data={"csrf_token": token, "action": "import"})
    assert done.status_code == 302
    assert _revisions(app, "ind.o1", "2029")[-1].value.value == 0.75


def test_the_decimal_mark_can_be_given_when_it_cannot_be_told(app, english):
    data = b"indicator;period;value\nind.o1;2028;1.234\n"
    location = _upload(english, data, "ambiguous.csv").headers["Location"]
    page = english.get(location).get_data(as_text=True)
    assert "cannot tell whether &#39;1.234&#39; has a decimal mark" in page
    assert 'name="decimal"' in page
    given = english.get(location + "?decimal=%2C").get_data(as_text=True)
    assert "decimal comma (given)" in given and "<td>1234</td>" in given
    token = csrf_token(english, "/import")
    done = english.post(location, data={"csrf_token": token, "action": "import", "decimal": ","})
    assert done.status_code == 302
    assert _revisions(app, "ind.o1", "2028")[-1].value.value == 1234.0
    upload = _upload(english, data, "again.csv", decimal=".")
    assert upload.headers["Location"].endswith("?decimal=.")
