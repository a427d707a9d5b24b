"""The evaluation query pages: catalogue by criterion in the user's language, a query's form,
answer, Cypher and diagram, CSV/XLSX downloads, and ad-hoc read-only Cypher."""

from __future__ import annotations

import io

import openpyxl
import pytest

from graphdb.evaluation import CRITERIA, QUERIES
from tests.web.conftest import csrf_token


@pytest.fixture
def viewer(client, auth):
    auth.login_as("viewer")
    return client


def test_the_catalogue_lists_every_query_by_criterion(viewer):
    page = viewer.get("/queries").get_data(as_text=True)
    for criterion in CRITERIA.values():
        assert f">{criterion.en}</h2>" in page
    for query in QUERIES.values():
        assert f'href="/queries/{query.name}"' in page


def test_the_catalogue_speaks_dutch(viewer):
    viewer.get("/language/nl")
    page = viewer.get("/queries").get_data(as_text=True)
    assert "Doeltreffendheid" in page
    assert "<h1>Evaluatievragen</h1>" in page and ">Vragen</a>" in page
    assert QUERIES["sdg_pathways"].title.nl in page


def test_a_query_page_shows_its_form_and_cypher_without_running(viewer):
    page = viewer.get("/queries/sdg_pathways").get_data(as_text=True)
    assert 'name="strategy"' in page and '<option value="s1">' in page
    assert "MATCH (s:Strategy)" in page
    assert "Answer" not in page


def test_running_a_query_shows_the_answer_the_diagram_and_the_parameters(viewer):
    page = viewer.get("/queries/sdg_pathways?run=1&strategy=s1&sdg=sdg16").get_data(as_text=True)
    assert "Answer" in page
    assert '<a href="/nodes/so1.o1"' in page  # the link s1 -> so1.o1 on the pathway
    assert 'class="diagram-svg"' in page
    assert ":params {&#34;strategy&#34;: &#34;s1&#34;" in page
    assert "<script" not in page.split('class="diagram-svg"')[1].split("</figure>")[0]


def test_a_status_query_runs_with_computed_statuses(viewer):
    page = viewer.get("/queries/assumptions_under_pressure?run=1").get_data(as_text=True)
    assert "Answer" in page and "No rows." in page  # no values yet: nothing is off track
    assert "&#34;status&#34;: [{&#34;id&#34;" in page


def test_a_bad_parameter_is_explained(viewer):
    page = viewer.get("/queries/sdg_pathways?run=1&sdg=so1").get_data(as_text=True)
    assert "is not a SDG node of the plan" in page
    assert viewer.get("/queries/no_such_query").status_code == 404


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_downloads(viewer, ext):
    response = viewer.get(f"/queries/sdg_pathways.{ext}?strategy=s1")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    if ext == "csv":
        lines = response.get_data(as_text=True).splitlines()
        assert lines[0] == (
            "strategy,strategy_name,sdg,sdg_name,number,link_from,link_from_name,link_to,"
            "link_to_name,link,indicators,basis"
        )
        assert any(line.startswith("s1,") and ",s1,Strategy 1,so1.o1," in line for line in lines)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
        assert [c.value for c in sheet[1]][:4] == ["strategy", "strategy_name", "sdg", "sdg_name"]
    assert viewer.get("/queries/sdg_pathways.csv?sdg=nope").status_code == 400


def _post_cypher(client, text: str, **extra):
    token = csrf_token(client, "/queries/cypher")
    return client.post("/queries/cypher", data={"cypher": text, "csrf_token": token, **extra})


def test_ad_hoc_cypher_reads(viewer):
    page = _post_cypher(viewer, "MATCH (s:Strategy) RETURN s.id AS id ORDER BY id")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<a href="/nodes/s2"' in text
    download = _post_cypher(viewer, "MATCH (s:Strategy) RETURN s.id AS id ORDER BY id",
                            download="csv")  # fmt: skip
    assert download.get_data(as_text=True).splitlines() == ["id", "s1", "s2"]


@pytest.mark.parametrize(
    "cypher, message",
    [
        ("MATCH (n) DETACH DELETE n", "Only reading queries are allowed here; found DETACH."),
        ("CREATE (:Role {id: 'x'})", "Only reading queries are allowed here; found CREATE."),
        ("RETURN 1; RETURN 2", "One query at a time: this text holds 2 statements."),
        # LadybugDB refuses a table or property it does not have; Neo4j answers with
        # nothing (no such label or property: accounts are not in the graph)
        ("MATCH (a:Account) RETURN a", {"ladybug": "Table Account does not exist."}),
        ("MATCH (n) RETURN n.password_hash AS h",
         {"ladybug": "Cannot find property password_hash"}),
    ],
)  # fmt: skip
def test_ad_hoc_cypher_never_writes_nor_reads_accounts(
    app, store_location, viewer, cypher, message
):
    page = _post_cypher(viewer, cypher).get_data(as_text=True)
    if isinstance(message, dict):
        message = message.get("neo4j" if "://" in store_location else "ladybug")
    assert message is None or message in page
    assert "$argon2" not in page
    from web.store import get_store

    with app.app_context():
        store = get_store()
        assert store.get_account("viewer") is not None
        assert len(store.load_plan().nodes) > 0


def test_a_refusal_is_said_in_dutch(viewer):
    viewer.get("/language/nl")
    page = _post_cypher(viewer, "MATCH (n) DETACH DELETE n").get_data(as_text=True)
    assert "Hier zijn alleen lezende query&#39;s toegestaan; gevonden: DETACH." in page


def test_ad_hoc_nodes_come_back_without_secrets(viewer):
    text = _post_cypher(viewer, "MATCH (n) RETURN n").get_data(as_text=True)
    assert "password_hash" not in text and "argon2" not in text
    assert "Strategy" in text


def test_the_nav_links_to_the_queries(viewer):
    assert 'href="/queries"' in viewer.get("/").get_data(as_text=True)


def test_numbers_in_an_answer_follow_the_language(app):
    shown = app.jinja_env.filters["answer_cell"]
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert shown(1379829.0) == "1.379.829" and shown(13.5) == "13,5" and shown(2027) == "2027"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert shown(1379829.0) == "1,379,829"
