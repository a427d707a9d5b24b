"""The JSON API and its OpenAPI document."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def api(client, auth):
    auth.login_as("viewer")
    return client


def test_anonymous_calls_get_401_json(client):
    response = client.get("/api/nodes")
    assert response.status_code == 401
    assert response.get_json() == {"error": "sign-in required", "status": 401}


def test_plan_summary(api):
    data = api.get("/api/plan").get_json()
    assert data["version"] == 1
    assert data["plan"]["id"] == "p" and data["plan"]["title"] == {"nl": "Plan", "en": "Plan"}
    assert data["nodes"]["Objective"] == 2 and data["links"]["CONTRIBUTES_TO"] == 4


def test_nodes_and_kinds(api):
    everything = api.get("/api/nodes").get_json()["nodes"]
    assert len(everything) == 12
    objectives = api.get("/api/nodes?kind=Objective").get_json()["nodes"]
    assert [n["id"] for n in objectives] == ["so1.o1", "so1.o2"]
    assert objectives[0]["fields"] == {"number": 1, "start_year": 2027, "end_year": 2031}
    bad = api.get("/api/nodes?kind=Nope")
    assert bad.status_code == 400 and "unknown kind" in bad.get_json()["error"]


def test_node_with_links(api):
    data = api.get("/api/nodes/so1.o1").get_json()
    assert data["node"]["title"] == {"nl": "Doel 1.1", "en": "Objective 1.1"}
    assert data["status"] == "no_data"
    assert data["links_in"] == [
        {
            "kind": "CONTRIBUTES_TO",
            "source": "s1",
            "target": "so1.o1",
            "fields": {"rationale": {"nl": "omdat", "en": "because"}, "assumptions": ["a1"]},
        }
    ]
    assert [e["target"] for e in data["links_out"]] == ["so1"]
    assert api.get("/api/nodes/nope").status_code == 404


def test_edges(api):
    aligns = api.get("/api/edges?kind=ALIGNS_WITH").get_json()["edges"]
    assert {(e["source"], e["target"], e["fields"]["priority"]) for e in aligns} == {
        ("so1", "sdg16", "primary"),
        ("p", "sdg11", "secondary"),
    }
    assert api.get("/api/edges?kind=LIKES").status_code == 400


def test_pathways(api):
    data = api.get("/api/pathways?source=s1").get_json()
    assert data["pathways"] == [["s1", "so1.o1", "so1"], ["s1", "so1.o1", "so1", "sdg16"]]
    assert api.get("/api/pathways?source=s1&target=sdg16").get_json()["pathways"] == [
        ["s1", "so1.o1", "so1", "sdg16"]
    ]
    assert api.get("/api/pathways").status_code == 400
    assert api.get("/api/pathways?source=nope").status_code == 404


def test_statuses(api):
    statuses = api.get("/api/statuses").get_json()["statuses"]
    assert set(statuses) == {"so1", "so1.o1", "so1.o2", "s1", "s2"}
    assert set(statuses.values()) == {"no_data"}


def test_openapi_document_describes_every_api_route(app, client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.endpoint != "api.openapi"
    }
    assert documented == routes
    for path, item in doc["paths"].items():
        for op in ("get", "post"):
            if op in item:
                responses = item[op]["responses"]
                assert {"200", "201"} & set(responses) and "401" in responses, path


def test_openapi_document_is_valid_json_schema_where_it_declares_schemas(client):
    import jsonschema

    doc = client.get("/api/openapi.json").get_json()
    for name, schema in doc["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


def test_api_responses_match_their_schemas(api, client):
    import jsonschema

    doc = client.get("/api/openapi.json").get_json()
    registry_doc = {"components": doc["components"]}

    def check(path: str, url: str) -> None:
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        jsonschema.validate(
            api.get(url).get_json(), {**schema, **registry_doc}, cls=jsonschema.Draft202012Validator
        )

    check("/api/plan", "/api/plan")
    check("/api/nodes", "/api/nodes")
    check("/api/nodes/{node_id}", "/api/nodes/so1")
    check("/api/edges", "/api/edges")
    check("/api/pathways", "/api/pathways?source=s1")
    check("/api/statuses", "/api/statuses")
