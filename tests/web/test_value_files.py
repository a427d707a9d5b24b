"""Files attached to indicator values on the web: the update form (multipart) and
``POST /api/measurements``, the file route and who may use it, the value history and the
review card. On both engines (the ``app`` fixture)."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.web.conftest import csrf_token
from web.store import get_store

PDF = b"%PDF-1.7\nverslag van de partner\n"
CSV = b"jaar;aantal\n2028;14\n"
HTML_AS_PDF = b"<html><body><script>alert(1)</script></body></html>"
EDIT = "/indicators/ind.o1/2028/edit"
_HELD = re.compile(r'name="held_files" type="hidden" value="([^"]*)"')


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _send(client, path: str = EDIT, files=(), **fields):
    """Send the value form of ``path`` as a browser would: its CSRF token and held files
    (from the form as it was shown), the fields, and ``files`` as (bytes, name) uploads."""
    page = client.get(path).get_data(as_text=True)
    held = _HELD.search(page)
    assert held, "the form carries no held files"
    data = {
        "csrf_token": csrf_token(client, path),
        "held_files": held.group(1).replace("&#34;", '"'),
        "base_revision": "0",
        "submit": "1",
        **fields,
    }
    return _multipart(client, path, data, "files", files)


def _multipart(client, path, fields, name, files, **extra):
    """POST ``fields`` and ``files`` (bytes, name) as one multipart body encoded here: the
    test client would spool a large one to a temporary file it never closes."""
    values = MultiDict(list(fields.items()))
    for content, filename in files:
        values.add(name, FileStorage(io.BytesIO(content), filename=filename))
    boundary, body = encode_multipart(values)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       **extra)  # fmt: skip


def _revisions(app, code="ind.o1", period="2028"):
    with app.app_context():
        return get_store().measurement_revisions(code, period)


def _kept(app) -> set[str]:
    with app.app_context():
        return get_store().attachment_files.addresses()


def test_files_are_attached_shown_in_the_history_and_served_safely(app, client, auth):
    auth.login_as("contributor")
    form = client.get(EDIT).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form and "multiple" in form
    response = _send(client, value="14", files=[(PDF, "Verslag 2028.pdf"), (CSV, "tel.csv")])
    assert response.status_code == 302, response.get_data(as_text=True)
    (first,) = _revisions(app)
    assert [(f.name, f.media_type, f.added_by) for f in first.value.files] == [
        ("Verslag 2028.pdf", "application/pdf", "contributor"),
        ("tel.csv", "text/csv", "contributor"),
    ]
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    link = f"/indicators/ind.o1/2028/1/files/{_sha(PDF)}"
    assert f'href="{link}"' in page and "file Verslag 2028.pdf (1 kB)" in page
    served = client.get(link)
    assert served.status_code == 200 and served.data == PDF
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith('attachment; filename="Verslag')
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]

    # the next revision keeps the files, less the one ticked for removal; the first keeps both
    form = client.get(EDIT).get_data(as_text=True)
    assert "Remove Verslag 2028.pdf (1 kB)" in form
    response = _send(client, value="15", base_revision="1", remove_file=_sha(PDF))
    assert response.status_code == 302, response.get_data(as_text=True)
    first, second = _revisions(app)
    assert [f.name for f in second.value.files] == ["tel.csv"]
    assert [f.name for f in first.value.files] == ["Verslag 2028.pdf", "tel.csv"]
    assert client.get(link).status_code == 200  # still shown with revision 1
    assert client.get(f"/indicators/ind.o1/2028/2/files/{_sha(PDF)}").status_code == 404


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "report.pdf was not attached: markup (HTML, SVG, XML or script) is not allowed"),
        ("nl", "report.pdf is niet bijgevoegd: opmaakcode (HTML, SVG, XML of script) is niet "
               "toegestaan"),
    ],
)  # fmt: skip
def test_a_refused_file_is_named_on_the_field_and_nothing_is_saved(app, client, auth, lang, says):
    auth.login_as("contributor")
    client.get(f"/language/{lang}")
    response = _send(client, value="14", comment="getypt commentaar",
                     files=[(PDF, "goed.pdf"), (HTML_AS_PDF, "report.pdf")])  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert says in page
    assert re.search(r'id="files-errors"[^>]*>.*report\.pdf', page, re.S)
    assert "getypt commentaar" in page and 'value="14"' in page  # what was typed is kept
    assert _revisions(app) == [] and _kept(app) == set()  # nothing half-way


def test_an_over_size_file_is_refused(app, client, auth):
    auth.login_as("me_officer")
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    page = _send(client, value="14", files=[(big, "groot.pdf")]).get_data(as_text=True)
    assert "groot.pdf was not attached: it is larger than the limit of 10 MB" in page
    assert _revisions(app) == [] and _kept(app) == set()


def test_accepted_files_are_held_while_the_form_is_shown_again(app, client, auth):
    auth.login_as("contributor")
    page = _send(client, value="veertien", files=[(PDF, "a.pdf")]).get_data(as_text=True)
    assert "Remove a.pdf (1 kB)" in page  # held: no need to choose it again
    token = _HELD.search(page).group(1).replace("&#34;", '"')
    data = {"csrf_token": csrf_token(client, EDIT), "held_files": token, "value": "14",
            "base_revision": "0", "submit": "1"}  # fmt: skip
    assert client.post(EDIT, data=data).status_code == 302
    assert [f.name for f in _revisions(app)[0].value.files] == ["a.pdf"]


def test_a_held_files_token_cannot_be_forged_or_moved(app, client, auth):
    auth.login_as("me_officer")
    page = _send(client, value="veertien", files=[(PDF, "a.pdf")]).get_data(as_text=True)
    token = _HELD.search(page).group(1).replace("&#34;", '"')
    other = "/indicators/ind.o2/2028/edit"
    for path, held in ((EDIT, token[:-2] + "xx"), (other, token)):
        data = {"csrf_token": csrf_token(client, path), "held_files": held, "numerator": "1",
                "denominator": "2", "value": "14", "base_revision": "0", "submit": "1"}  # fmt: skip
        assert client.post(path, data=data).status_code == 400
    assert _revisions(app) == [] and _revisions(app, "ind.o2") == []


def test_a_values_file_is_refused_to_users_without_scope_until_approved(app, client, auth):
    auth.login_as("me_officer")
    path = "/indicators/ind.o2/2028/edit"  # outside the contributor's scope
    assert _send(client, path, numerator="1", denominator="2", submit="",
                 save="1", files=[(PDF, "concept.pdf")]).status_code == 302  # fmt: skip
    link = f"/indicators/ind.o2/2028/1/files/{_sha(PDF)}"
    assert client.get(link).status_code == 200
    auth.logout()
    for role in ("contributor", "viewer"):
        auth.login_as(role)
        assert client.get(link).status_code == 403, role
        page = client.get("/indicators/ind.o2").get_data(as_text=True)
        assert "concept.pdf" in page and f'href="{link}"' not in page
        auth.logout()
    assert client.get(link).status_code == 302  # signed out: to the sign-in page
    auth.login_as("me_officer")
    _send(client, path, numerator="1", denominator="2", base_revision="1")
    decision = {"csrf_token": csrf_token(client, "/review"), "decision": "approve",
                "base_revision": "2"}  # fmt: skip
    client.post("/review/ind.o2/2028", data=decision)
    assert _revisions(app, "ind.o2")[-1].status.value == "approved"
    auth.logout()
    auth.login_as("viewer")
    approved = f"/indicators/ind.o2/2028/3/files/{_sha(PDF)}"
    assert client.get(approved).status_code == 200
    assert client.get(link).status_code == 403  # the draft stays theirs


def test_the_review_card_links_the_files(app, client, auth):
    auth.login_as("contributor")
    assert _send(client, value="14", files=[(CSV, "tellingen.csv")]).status_code == 302
    auth.logout()
    auth.login_as("me_officer")
    page = client.get("/review").get_data(as_text=True)
    assert f'href="/indicators/ind.o1/2028/1/files/{_sha(CSV)}"' in page
    assert "file tellingen.csv (1 kB)" in page


def _api(client, submission, files=()):
    token = client.get("/api/session").get_json()["csrf_token"]
    return _multipart(client, "/api/measurements", {"submission": json.dumps(submission)}, "file",
                      files, headers={"X-CSRFToken": token})  # fmt: skip


def test_the_api_takes_files_in_a_multipart_submission(app, client, auth):
    auth.login_as("contributor")
    base = {"indicator": "ind.o1", "period": "2028", "value": 14, "base_revision": 0}
    refused = _api(client, base, [(PDF, "a.pdf"), (HTML_AS_PDF, "report.pdf")])
    assert refused.status_code == 400
    assert refused.get_json()["problems"] == [
        {"field": "file", "message": "report.pdf: markup (HTML, SVG, XML or script) is not allowed"}
    ]
    assert _revisions(app) == [] and _kept(app) == set()
    saved = _api(client, base, [(PDF, "a.pdf"), (CSV, "b.csv")])
    assert saved.status_code == 201, saved.get_json()
    files = saved.get_json()["revision"]["value"]["files"]
    assert [f["name"] for f in files] == ["a.pdf", "b.csv"]
    assert client.get(files[0]["url"]).data == PDF
    # JSON alone keeps the files; "files" keeps only those it names
    token = client.get("/api/session").get_json()["csrf_token"]
    kept = client.post("/api/measurements", json={**base, "value": 15, "base_revision": 1},
                       headers={"X-CSRFToken": token})  # fmt: skip
    assert [f["name"] for f in kept.get_json()["revision"]["value"]["files"]] == ["a.pdf", "b.csv"]
    fewer = _api(client, {**base, "value": 16, "base_revision": 2, "files": [_sha(CSV)]})
    assert [f["name"] for f in fewer.get_json()["revision"]["value"]["files"]] == ["b.csv"]
    stranger = _api(client, {**base, "value": 17, "base_revision": 3, "files": ["0" * 64]})
    assert stranger.status_code == 400
    assert stranger.get_json()["problems"][0]["field"] == "files"
    assert _api(client, {**base, "indicator": "ind.o2"}, [(PDF, "a.pdf")]).status_code == 403
