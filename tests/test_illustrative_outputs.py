"""Every output derived from illustrative (demo) data says so, and only those: query answers on
the command line (table, CSV, JSON) and in the web (page, CSV, XLSX), the pathway diagram in
every format, the statuses API. One rule decides (indicators.illustrative)."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from indicators.illustrative import INDICATOR_TABLES, reads_indicator_data, rests_on_illustrative
from tests.web.conftest import (  # noqa: F401  (fixtures)
    ROLE_USERS,
    AuthActions,
    app,
    english_client,
    make_app,
    store_path,
    template_store,
)
from toc.cli import cli
from toc.illustrative import NOTICE
from web.store import close_store

#: Queries that take computed statuses, and one about the plan alone.
ON_STATUSES = "on_track_under_off_track"
PLAN_ONLY = ("sdg_partners", "--param", "sdg=sdg16")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from bench.web_load import build_demo_store

    path = tmp_path_factory.mktemp("illustrative") / "demo.lbug"
    build_demo_store(path)
    return path


@pytest.fixture(scope="module")
def toc(demo_path):
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--store", str(demo_path), "query", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    return run


def test_the_rule_needs_demo_data_and_its_use():
    cypher = "MATCH (i:Indicator) RETURN i.code"
    assert rests_on_illustrative([], cypher, data_illustrative=True)
    assert not rests_on_illustrative([], cypher, data_illustrative=False)
    assert rests_on_illustrative(["progress"], "RETURN 1", data_illustrative=True)
    assert not rests_on_illustrative(["node", "year"], "RETURN 1", data_illustrative=True)


@given(st.sampled_from(INDICATOR_TABLES), st.booleans(), st.booleans(), st.sampled_from("([ "))
def test_any_spelling_of_an_indicator_table_is_seen(table, upper, quoted, before):
    name = table.upper() if upper else table.lower()
    name = f"`{name}`" if quoted else name
    assert reads_indicator_data(f"MATCH {before}x:{name}{')' if before == '(' else ''} RETURN x")


def test_names_that_only_contain_a_table_name_are_not_indicator_data():
    assert not reads_indicator_data("MATCH (s:Strategy) RETURN s.id AS Indicator")
    assert not reads_indicator_data("MATCH (s:IndicatorsOfOldTimes) RETURN s")


def test_cli_answers_on_demo_statuses_say_so_in_every_format(toc):
    assert NOTICE["en"] in toc("run", ON_STATUSES)
    rows = list(csv.reader(io.StringIO(toc("run", ON_STATUSES, "--format", "csv"))))
    assert rows[0][-1] == "illustrative" and all(r[-1] == "True" for r in rows[1:])
    records = json.loads(toc("run", ON_STATUSES, "--format", "json"))
    assert records and all(r["illustrative"] is True for r in records)


def test_cli_answers_on_the_plan_alone_are_not_marked(toc):
    assert NOTICE["en"] not in toc("run", *PLAN_ONLY)
    header = toc("run", *PLAN_ONLY, "--format", "csv").splitlines()[0]
    assert "illustrative" not in header
    assert all(
        "illustrative" not in r for r in json.loads(toc("run", *PLAN_ONLY, "--format", "json"))
    )


def test_ad_hoc_cypher_on_measurements_is_marked(toc):
    out = toc("cypher", "MATCH (r:MeasurementRevision) RETURN count(r) AS n", "--format", "json")
    assert json.loads(out)[0]["illustrative"] is True
    out = toc("cypher", "MATCH (s:Strategy) RETURN count(s) AS n", "--format", "json")
    assert "illustrative" not in json.loads(out)[0]


@pytest.fixture
def demo_client(demo_path, tmp_path):
    import shutil

    from graphdb.credentials import credentials_path

    path = tmp_path / "demo.lbug"
    shutil.copy(demo_path, path)
    shutil.copy(credentials_path(str(demo_path)), credentials_path(str(path)))
    demo_app = make_app(path)
    client = english_client(demo_app)
    yield client
    close_store(demo_app)


def _sign_in(client, demo_path):
    """Sign in with the demo store's M&E officer account (bench.web_load's accounts)."""
    from bench.web_load import ACCOUNTS

    username, password = ACCOUNTS[0]
    response = AuthActions(client).login(username, password)
    assert response.status_code == 302


def test_web_outputs_on_demo_data_say_so(demo_client, demo_path):
    _sign_in(demo_client, demo_path)
    page = demo_client.get(f"/queries/{ON_STATUSES}?run=1").get_data(as_text=True)
    assert "This answer rests on illustrative" in page
    lines = demo_client.get(f"/queries/{ON_STATUSES}.csv").get_data(as_text=True).splitlines()
    assert lines[0].endswith(",illustrative")
    book = openpyxl.load_workbook(io.BytesIO(demo_client.get(f"/queries/{ON_STATUSES}.xlsx").data))
    assert "About" in book.sheetnames
    svg = demo_client.get("/pathways/diagram.svg").get_data(as_text=True)
    assert "Illustrative: statuses and figures" in svg
    statuses = demo_client.get("/api/statuses").get_json()
    assert statuses["illustrative"] is True and statuses["notice"] == NOTICE["en"]
    demo_client.get("/language/nl")
    assert "Illustratief: statussen" in demo_client.get("/pathways/diagram.svg").get_data(
        as_text=True
    )
    assert demo_client.get("/api/statuses").get_json()["notice"] == NOTICE["nl"]


def test_web_outputs_on_the_plan_alone_are_not_marked(demo_client, demo_path):
    _sign_in(demo_client, demo_path)
    csv_text = demo_client.get("/queries/sdg_partners.csv?sdg=sdg16").get_data(as_text=True)
    assert "illustrative" not in csv_text.splitlines()[0]


def test_a_store_without_demo_data_is_not_marked(app):  # noqa: F811 (the fixture)
    client = english_client(app)
    AuthActions(client).login(ROLE_USERS["viewer"])
    statuses = client.get("/api/statuses").get_json()
    assert statuses["illustrative"] is False and "notice" not in statuses
    assert "Illustrative:" not in client.get("/pathways/diagram.svg").get_data(as_text=True)
    csv_text = client.get(f"/queries/{ON_STATUSES}.csv").get_data(as_text=True)
    assert "illustrative" not in csv_text.splitlines()[0]
