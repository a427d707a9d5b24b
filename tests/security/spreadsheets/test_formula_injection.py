"""Formula injection (issue 12, item 6): text that a spreadsheet would run (=HYPERLINK, DDE
payloads) is neutralised in every CSV and XLSX the web app and the command line hand out:
measurement and IPTT downloads, query and Cypher downloads, `toc query ... --format csv`,
`toc cypher --format csv` and `toc status --format csv`."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from click.testing import CliRunner

from cli.main import cli
from indicators.cells import TRIGGERS
from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.conftest import small_plan
from tests.web.conftest import csrf_token
from toc.model import Plan, Text
from web.store import close_store, get_store

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _live(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would run: they start with a trigger and are not numbers."""

    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    return [c for row in rows for c in row if c.startswith(TRIGGERS) and not number(c)]


def _no_live_formula(data: bytes) -> openpyxl.Workbook:
    """The workbook, after checking that no sheet holds a formula element."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def hostile(app):
    """A value with a hostile comment, approved, and a plan version with a hostile message."""
    with app.app_context():
        store = get_store()
        value = MeasurementValue(value=-5.0, comment=HYPERLINK, evidence=(DDE,))
        apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="ana", role="contributor",
                   value=value)  # fmt: skip
        apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")
        store.save_plan(_hostile_plan(), author=DDE, message=HYPERLINK)
    return app


def _hostile_plan() -> Plan:
    """The small plan with a strategic objective titled like a formula."""
    plan = small_plan()
    nodes = [
        replace(n, title=Text(HYPERLINK, HYPERLINK)) if n.id == "so1" else n for n in plan.nodes
    ]
    return Plan.of(nodes, plan.edges)


def test_the_measurement_downloads(hostile, client, auth):
    auth.login_as("viewer")
    rows = _csv_rows(client.get("/downloads/measurements.csv").get_data(as_text=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["comment"] == "'" + HYPERLINK and record["value"] == "-5.0"
    assert _live(rows) == []
    sheet = _no_live_formula(client.get("/downloads/measurements.xlsx").data).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("comment") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HYPERLINK, "s", True)
    number = sheet.cell(2, header.index("value") + 1)
    assert (number.value, number.data_type) == (-5, "n")  # a number stays a number


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_iptt_download_has_no_live_formula(hostile, client, auth, ext):
    auth.login_as("viewer")
    response = client.get(f"/downloads/iptt/so1.{ext}")
    assert response.status_code == 200
    if ext == "xlsx":
        _no_live_formula(response.data)
    else:
        assert _live(_csv_rows(response.get_data(as_text=True))) == []


def test_the_query_downloads(hostile, client, auth):
    auth.login_as("viewer")
    text = client.get("/queries/plan_changes.csv").get_data(as_text=True)
    cells = [c for row in _csv_rows(text) for c in row]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells
    book = _no_live_formula(client.get("/queries/plan_changes.xlsx").data)
    texts = {c.value: c for row in book.active.iter_rows() for c in row}
    assert texts[HYPERLINK].quotePrefix and texts[DDE].quotePrefix


def test_the_cypher_download_neutralises_values_and_column_names(client, auth):
    auth.login_as("viewer")
    token = csrf_token(client, "/queries/cypher")
    response = client.post(
        "/queries/cypher",
        data={
            "csrf_token": token,
            "cypher": "RETURN '=1+1' AS formula, -3 AS minus, '-3' AS text",
            "download": "csv",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _csv_rows(response.get_data(as_text=True)) == [
        ["formula", "minus", "text"],
        ["'=1+1", "-3", "'-3"],
    ]


@pytest.fixture
def hostile_store(hostile, store_path):
    close_store(hostile)  # the CLI opens the store itself
    return str(store_path)


def _run(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", store, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_toc_query_run_and_cypher_as_csv(hostile_store):
    rows = _csv_rows(_run(hostile_store, "query", "run", "plan_changes", "--format", "csv"))
    cells = [c for row in rows for c in row]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and _live(rows) == []
    out = _run(hostile_store, "query", "cypher", "RETURN '@cmd' AS x, -1 AS n", "--format", "csv")
    assert _csv_rows(out) == [["x", "n"], ["'@cmd", "-1"]]
    out = _run(hostile_store, "cypher", "RETURN '+1' AS x, 2 AS n", "--format", "csv")
    assert _csv_rows(out) == [["x", "n"], ["'+1", "2"]]


def test_toc_status_as_csv(hostile_store):
    rows = _csv_rows(_run(hostile_store, "status", "--format", "csv"))
    titles = {r[0]: r[2] for r in rows[1:]}
    assert titles["so1"] == "'" + HYPERLINK and _live(rows) == []
