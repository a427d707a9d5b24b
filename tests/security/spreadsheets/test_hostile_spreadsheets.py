"""Every hostile file of the corpus (tests/security/hostile_files.py) through the reader, the
command line and the web import page: a clear refusal naming the file and the limit, or a
safe check; never a traceback, never a 5xx, nothing kept or written for a refused file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from indicators.errors import IndicatorError
from indicators.file_limits import FileRefused
from indicators.import_read import read_table
from tests.security.spreadsheets.hostile_files import CORPUS, Hostile
from tests.web.conftest import csrf_token, english_client
from web.store import get_store

CASES = sorted(CORPUS)

#: A phrase of the English message for each reason, as the command line and the page say it.
PHRASES = {
    "part_too_large": ("inflates to", "the limit is 200.0 MB"),
    "inflates_beyond": ("inflates to more than the", "forged"),
    "too_many_strings": ("shared strings", "the limit is 5,000,000"),
    "too_many_parts": ("parts", "1,000"),
    "inflated_too_large": ("in all", "the limit is"),
    "ratio": ("compressed", "times"),
    "nested_archive": ("itself an archive",),
    "too_many_cells": ("spans", "the limit is 5,000,000"),
    "long_tag": ("longer than 1.0 MB",),
    "not_xlsx": ("not an XLSX workbook",),
    "unsafe_name": ("unsafe name",),
    "encrypted": ("password-protected",),
    "duplicate_part": ("two parts named",),
    "overlap": ("overlap",),
    "damaged": ("damaged",),
    "compression": ("compress",),
    "cell_too_long": ("characters", "32,767"),
    "line_too_long": ("longer than 1.0 MB", "a line holds at most"),
    "control_character": ("control character",),
    "unreadable": ("not a readable XLSX workbook",),
    "unreadable_csv": ("neither UTF-8 nor Windows-1252 text", "give its encoding"),
    "too_large": ("too large",),
    "file_type": ("Upload an XLSX workbook or a CSV file.",),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for name, case in CORPUS.items():
        path = folder / f"{name}{case.suffix}"
        path.write_bytes(case.build())
        out[name] = path
    return out


def _said(text: str, reasons: tuple[str, ...]) -> bool:
    """Whether ``text`` words one of ``reasons`` (all of one reason's phrases)."""
    alternatives = [r for reason in reasons for r in (reason, reason + "_csv") if r in PHRASES]
    return any(all(p in text for p in PHRASES[r]) for r in alternatives)


def _expected(case: Hostile, channel: str) -> tuple[str, ...]:
    return case.web if channel == "web" and case.web is not None else case.refused


@pytest.mark.parametrize("name", CASES)
def test_the_reader_refuses_or_reads(files, name):
    case = CORPUS[name]
    if case.refused:
        with pytest.raises(IndicatorError) as caught:
            read_table(files[name])
        reason = caught.value.reason if isinstance(caught.value, FileRefused) else "unreadable"
        assert reason in case.refused, str(caught.value)
        assert str(files[name]) in str(caught.value)  # the file is named
        assert _said(str(caught.value), (reason,)), str(caught.value)
    else:
        table = read_table(files[name])
        assert len(table.frame) > 0
        assert bool(table.formulas) == case.problems


@pytest.mark.parametrize("name", CASES)
def test_the_command_line_refuses_or_checks(files, store_path, name):
    case = CORPUS[name]
    result = CliRunner().invoke(
        cli,
        ["--store", str(store_path), "indicators", "import", str(files[name]), "--dry-run",
         "--author", "me", "--role", "me_officer"],
    )  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if case.refused:
        assert result.exit_code == 1, result.output
        assert f"Error: {files[name]}" in result.output
        assert _said(result.output, case.refused), result.output
    elif case.problems:
        assert result.exit_code == 1 and "nothing was imported" in result.output, result.output
    else:
        assert result.exit_code == 0 and "Would import 5 value(s)" in result.output, result.output


def _upload(client, path: Path):
    """Post ``path`` to the import form. The body is built here: the test client would spool a
    large one to a temporary file that it never closes."""
    token = csrf_token(client, "/import")
    boundary = "hostile-boundary-7d3f"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _kept(app) -> list[Path]:
    folder = app.extensions["pathways.uploads"].folder
    return list(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("name", CASES)
def test_the_import_page_refuses_or_checks(files, app, client, auth, name):
    case = CORPUS[name]
    auth.login_as("me_officer")
    response = _upload(client, files[name])
    assert response.status_code in (200, 302)
    refused = _expected(case, "web")
    if response.status_code == 200:  # refused as it arrived: said on the form, nothing kept
        page = response.get_data(as_text=True)
        assert refused and _said(page, refused), page
        assert _kept(app) == []
        return
    report = client.get(response.headers["Location"])
    assert report.status_code == 200
    page = report.get_data(as_text=True)
    assert files[name].name in page and "/tmp" not in page
    if refused:
        assert "The file cannot be read." in page and _said(page, refused), page
    elif case.problems:
        assert "nothing can be imported" in page
    else:
        assert "The file is fine: 5 values would be written." in page
    with app.app_context():
        assert get_store().revision_count() == 0  # a check writes nothing


def test_a_refusal_is_said_in_dutch(files, app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    from tests.web.conftest import AuthActions

    AuthActions(client).login_as("me_officer")
    report = client.get(_upload(client, files["far_cell"]).headers["Location"])
    page = report.get_data(as_text=True)
    assert "In far_cell.xlsx beslaat blad Data 1.048.576 rijen bij 16.384 kolommen" in page
    page = _upload(client, files["path_traversal"]).get_data(as_text=True)
    assert "path_traversal.xlsx bevat een deel met een onveilige naam (../../etc/evil.xml)" in page


def test_an_upload_over_the_size_limit_is_refused_as_it_arrives(files, store_path):
    from tests.web.conftest import AuthActions, make_app
    from web.store import close_store

    app = make_app(store_path, IMPORT_MAX_BYTES=1024 * 1024)
    try:
        client = english_client(app)
        AuthActions(client).login_as("me_officer")
        page = _upload(client, files["long_cell_xlsx"]).get_data(as_text=True)
        assert "The file is too large: at most 1 MB." in page and _kept(app) == []
    finally:
        close_store(app)


@pytest.mark.parametrize("command", [["indicators", "import"], ["iati", "import"]])
def test_a_five_gigabyte_file_is_refused_unread(tmp_path, store_path, command):
    path = tmp_path / ("huge.csv" if command[0] == "indicators" else "huge.xml")
    with open(path, "wb") as f:
        f.write(b"indicator,period,value\n")
        f.truncate(5 * 1024**3)  # sparse: nothing on disk
    result = CliRunner().invoke(cli, ["--store", str(store_path), *command, str(path), "--dry-run"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"Error: {path}: the file is 5,120.0 MB; the limit is 100.0 MB" in result.output
