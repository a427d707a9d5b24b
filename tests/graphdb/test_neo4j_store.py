"""What only the Neo4j store has: URLs and credentials, connection errors, the schema as seen
in Neo4j Browser, read transactions and timeouts. The shared behaviour is in test_store.py."""

from __future__ import annotations

import os

import neo4j
import pytest
from click.testing import CliRunner
from neo4j import exceptions as neo4j_errors

from cli.main import cli
from graphdb import StoreError, StoreUnavailable, open_store
from graphdb.cypher_guard import QueryRefused
from graphdb.neo4j_store import Neo4jStore, parse_url
from toc.diff import plan_changes
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.model import Node, Plan, Text


def needs_neo4j(test):
    """Mark a test as needing the real Neo4j (and so slow)."""
    return pytest.mark.slow(pytest.mark.neo4j(test))


@pytest.fixture
def neo4j_store(fresh_neo4j_store):
    s = fresh_neo4j_store()
    yield s
    s.close()


@pytest.fixture
def driver(neo4j_server):
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth) as d:
        yield d


def test_url_credentials_win_over_the_environment():
    env = {"NEO4J_USER": "env", "NEO4J_PASSWORD": "envpw", "NEO4J_DATABASE": "envdb"}
    target = parse_url("neo4j://ann:pw@host:7687", environ=env)
    assert target.auth == ("ann", "pw")
    assert target.database == "envdb"
    assert "pw" not in target.location
    assert parse_url("bolt://host:7687", environ=env).auth == ("env", "envpw")
    assert parse_url("bolt://host:7687", environ={}).auth is None


def test_an_unreachable_server_is_one_clear_line():
    with pytest.raises(StoreUnavailable) as caught:
        open_store("bolt://127.0.0.1:1")
    message = str(caught.value)
    assert message.startswith("bolt://127.0.0.1:1: cannot reach the Neo4j server")
    assert "\n" not in message


def test_the_cli_reports_an_unreachable_server_without_a_traceback():
    result = CliRunner().invoke(cli, ["--store", "neo4j://127.0.0.1:1", "summary"])
    assert result.exit_code == 1
    assert "cannot reach the Neo4j server" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@needs_neo4j
def test_refused_credentials_name_the_user_and_where_to_set_them(neo4j_store):
    # The harness server runs without authentication, so this checks the message for the
    # driver's own AuthError; the next test tries a real wrong password when it can.
    neo4j_store._user = "ann"
    refused = pytest.raises(StoreUnavailable, match=r"refused the credentials \(user 'ann'\)")
    with refused, neo4j_store._errors():
        raise neo4j_errors.AuthError("The client is unauthorized due to authentication failure.")


needs_auth = pytest.mark.skipif(
    not os.environ.get("NEO4J_PASSWORD"),
    reason="needs a server with authentication (NEO4J_URI and NEO4J_PASSWORD); "
    "the harness server has none",
)


@needs_auth
@needs_neo4j
def test_a_wrong_password_is_one_clear_line(neo4j_server):
    with pytest.raises(StoreUnavailable, match="refused the credentials") as caught:
        Neo4jStore(neo4j_server.uri, auth=(neo4j_server.user, "certainly-wrong"))
    assert "\n" not in str(caught.value)


@needs_neo4j
def test_a_missing_database_is_one_clear_line(neo4j_server):
    url = f"{neo4j_server.uri}?database=nosuchdb"
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore.from_url(url)
    assert str(caught.value) == f"{url}: the server has no database 'nosuchdb'"


@needs_neo4j
def test_the_graph_reads_naturally_in_neo4j_browser(neo4j_store, driver, plan):
    neo4j_store.save_plan(plan)
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:StoreMeta AND NOT n:PlanRevision AND NOT n:PlanVersionContent "
        "RETURN labels(n) AS labels, n.id AS id"
    )
    labels = {r["id"]: r["labels"] for r in records}
    assert labels == {n.id: [n.kind] for n in plan.nodes}
    records, _, _ = driver.execute_query(
        "MATCH (a)-[e]->(b) RETURN type(e) AS type, a.id AS s, b.id AS t, e.rationale_en AS why"
    )
    assert {(r["type"], r["s"], r["t"]) for r in records} == {e.key for e in plan.edges}
    assert {r["why"] for r in records if r["s"] == "s1" and r["type"] == "CONTRIBUTES_TO"} == {
        "because"
    }
    [objective] = driver.execute_query("MATCH (o:Objective {id: 'so1.o1'}) RETURN o").records
    assert dict(objective["o"]) == {
        "id": "so1.o1",
        "title_nl": "Doel 1.1",
        "title_en": "Objective 1.1",
        "number": 1,
        "start_year": 2027,
        "end_year": 2031,
    }


@needs_neo4j
def test_ids_are_unique_per_kind_by_constraint(neo4j_store, driver):
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if "UNIQUE" in r["type"]}
    assert {(kind, "id") for kind in NODE_KINDS} <= unique
    assert {("PlanRevision", "version"), ("StoreMeta", "key")} <= unique
    driver.execute_query("CREATE (:Role {id: 'dup'})")
    with pytest.raises(neo4j_errors.ConstraintError):
        driver.execute_query("CREATE (:Role {id: 'dup'})")


@needs_neo4j
def test_opening_again_is_idempotent_and_keeps_the_data(neo4j_store, neo4j_server, plan):
    neo4j_store.save_plan(plan, message="first")
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    with Neo4jStore(neo4j_server.uri, auth=auth, database=neo4j_store._database) as again:
        assert again.load_plan() == plan
        assert [r.message for r in again.revisions()] == ["first"]
        assert again.schema_version() == neo4j_store.schema_version()


@needs_neo4j
def test_ad_hoc_queries_run_in_a_read_transaction(neo4j_store, plan, monkeypatch):
    neo4j_store.save_plan(plan)
    monkeypatch.setattr("graphdb.store.ensure_read_only", lambda cypher: None)
    with pytest.raises(QueryRefused, match="the store refused to write") as refused:
        neo4j_store.query("MATCH (n:Role) SET n.note = 'changed'")
    assert refused.value.reason == "read_only"
    assert neo4j_store.load_plan() == plan


@needs_neo4j
def test_ad_hoc_queries_stop_at_the_timeout(neo4j_store):
    neo4j_store.query_timeout = 0.5
    with pytest.raises(StoreError, match=r"stopped after 0\.5 s"):
        neo4j_store.query("UNWIND range(1, 1000000000) AS x RETURN count(x)")


@needs_neo4j
def test_queries_may_name_schema_properties_no_node_has_yet(neo4j_store, plan):
    neo4j_store.save_plan(plan)
    assert neo4j_store.query("MATCH (p:Plan) RETURN p.dac_sector AS s").rows == [(None,)]
    with pytest.raises(StoreError, match="no property colour"):
        neo4j_store.query("MATCH (p:Plan) RETURN p.colour")


@needs_neo4j
def test_a_closed_store_says_so(neo4j_store):
    neo4j_store.close()
    with pytest.raises(StoreError, match="closed"):
        neo4j_store.nodes()


def test_every_kind_is_a_valid_label_or_type():
    for name in [*NODE_KINDS, *EDGE_KINDS]:
        assert name.isidentifier(), name


@needs_neo4j
def test_a_save_based_on_an_outdated_plan_is_refused(neo4j_store, neo4j_server, plan):
    neo4j_store.save_plan(plan)
    mine = Plan.of([*plan.nodes, Node("Role", "r2", Text(en="Mine"))], plan.edges)
    theirs = Plan.of([*plan.nodes, Node("Role", "r3", Text(en="Theirs"))], plan.edges)
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    # This store reads version 1 and works out its changes; another one saves meanwhile.
    based_on = neo4j_store.plan_version()
    before = neo4j_store.load_plan()
    changes = plan_changes(before, mine)
    content = neo4j_store.content_for_save(before, mine, based_on + 1)
    with Neo4jStore(neo4j_server.uri, auth=auth, database=neo4j_store._database) as other:
        other.save_plan(theirs)
    with pytest.raises(StoreError, match="someone else saved the plan meanwhile"):
        neo4j_store._apply(
            changes, author="", message="", plan=mine, based_on=based_on, content=content
        )
    assert neo4j_store.load_plan() == theirs
    assert neo4j_store.save_plan(mine).version == 3  # based on what is there now
