"""Every route of the app, with every role: the server refuses what a role may not do.

The expected access of each endpoint is written here, independently of ``web.access``; a new
route fails :func:`test_every_route_is_listed` until its access is added to this table.
"""

from __future__ import annotations

import hashlib

import pytest

from tests.web.conftest import csrf_token

ALL = {"viewer", "contributor", "me_officer", "admin"}
#: The file attached to the approved 2029 value of ind.o1 (see :func:`_with_an_outcome`).
VALUE_FILE = hashlib.sha256(b"%PDF-1.4 value").hexdigest()
#: endpoint -> roles that may use it ("public": anyone, signed in or not).
ACCESS: dict[str, set[str] | str] = {
    "auth.login": "public",
    "auth.language": "public",
    "auth.logout": ALL,
    "overview.index": ALL,
    "pathways.index": ALL,
    "pathways.download": ALL,
    "nodes.show": ALL,
    "nodes.by_status": ALL,
    "indicators.index": ALL,
    "indicators.show": ALL,
    "indicators.edit": {"contributor", "me_officer", "admin"},  # contributor: in scope only
    "indicators.value_file": ALL,  # an approved value's; a draft's: those who may enter it
    "review.index": {"me_officer", "admin"},
    "review.decide": {"me_officer", "admin"},
    "admin.users": {"admin"},
    "admin.edit": {"admin"},
    "api.openapi": "public",
    "api.plan_summary": ALL,
    "api.nodes": ALL,
    "api.node": ALL,
    "api.edges": ALL,
    "api.pathway_list": ALL,
    "api.statuses": ALL,
    "api_indicators.session": ALL,
    "api_indicators.indicators": ALL,
    "api_indicators.indicator": ALL,
    "api_indicators.submit": {"contributor", "me_officer", "admin"},  # contributor: in scope
    "imports.index": {"contributor", "me_officer", "admin"},
    "imports.upload": {"contributor", "me_officer", "admin"},
    "downloads.index": ALL,
    "downloads.template": {"contributor", "me_officer", "admin"},
    "downloads.measurements": ALL,
    "downloads.iptt": ALL,
    "report.index": ALL,
    "report.download": ALL,
    "queries.index": ALL,
    "queries.show": ALL,
    "queries.download": ALL,
    "queries.cypher": ALL,
    "plan.index": {"me_officer", "admin"},
    "plan.history": {"me_officer", "admin"},
    "plan.restore_version": {"me_officer", "admin"},
    "plan.new_node": {"me_officer", "admin"},
    "plan.edit_node": {"me_officer", "admin"},
    "plan.delete_node": {"me_officer", "admin"},
    "plan.new_link": {"me_officer", "admin"},
    "plan.edit_link": {"me_officer", "admin"},
    "plan.delete_link": {"me_officer", "admin"},
    "plan.new_assumption": {"me_officer", "admin"},
    "plan.edit_assumption": {"me_officer", "admin"},
    "learning.story": ALL,
    "learning.link_evidence": ALL,
    "learning.record_link_evidence": {"contributor", "me_officer", "admin"},  # in scope
    "learning.assumption_evidence": ALL,
    "learning.record_assumption_evidence": {"contributor", "me_officer", "admin"},  # in scope
    "learning.remove_evidence": {"me_officer", "admin"},
    "learning.review_evidence": {"me_officer", "admin"},
    "learning.evidence_file": ALL,
    "outcomes.index": ALL,
    "outcomes.record": {"me_officer", "admin"},
    "definitions.new": {"me_officer", "admin"},
    "definitions.edit": {"me_officer", "admin"},
}
SAMPLE_ARGS = {
    "node_id": "so1",
    "username": "target",
    "fmt": "svg",
    "lang": "en",
    "code": "ind.o1",
    "period": "2028",
    "ext": "xlsx",
    "token": "no-such-upload-token-000000000000",
    "name": "sdg_pathways",
}
#: Arguments of endpoints that need other values than SAMPLE_ARGS.
ENDPOINT_ARGS = {
    "nodes.by_status": {"status": "off_track"},
    "plan.edit_node": {"node_id": "so1.o1.oc1"},
    "plan.delete_node": {"node_id": "so1.o1.oc1"},
    "plan.edit_assumption": {"node_id": "a1"},
    "plan.edit_link": {"kind": "CONTRIBUTES_TO", "source": "s2", "target": "so1.o2"},
    "plan.delete_link": {"kind": "CONTRIBUTES_TO", "source": "s2", "target": "so1.o2"},
    "plan.restore_version": {"version": 1},
    "learning.story": {"node_id": "so1.o1"},
    "learning.link_evidence": {"source": "s1", "target": "so1.o1"},
    "learning.record_link_evidence": {"source": "s1", "target": "so1.o1"},
    "learning.assumption_evidence": {"node_id": "a1"},
    "learning.record_assumption_evidence": {"node_id": "a1"},
    "learning.remove_evidence": {"item_id": "none"},
    "learning.review_evidence": {"item_id": "none"},
    "learning.evidence_file": {"item_id": "ev.file"},
    "indicators.value_file": {"period": "2029", "revision": 1, "sha256": VALUE_FILE},
}
SAMPLE_QUERY = {"api.pathway_list": "?source=s1"}
#: Endpoints posted as JSON (with the CSRF token in a header), with their body.
SAMPLE_JSON = {
    "api_indicators.submit": {
        "indicator": "ind.o1", "period": "2028", "value": 12, "base_revision": 0},
}  # fmt: skip
ROLES = ["anonymous", "viewer", "contributor", "me_officer", "admin"]


def _routes(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    # Sign out last: it ends the session the other requests use.
    return sorted(rules, key=lambda r: (r.endpoint == "auth.logout", r.rule))


def test_every_route_is_listed(app):
    assert {r.endpoint for r in _routes(app)} == set(ACCESS)


def _with_an_outcome(app) -> None:
    """The test plan with an outcome under so1.o1, for the pages that edit outcomes."""
    from indicators.model import MeasurementValue, Revision
    from tests.conftest import small_plan
    from toc.model import Edge, Node, Plan, Text
    from web.store import get_store

    plan = small_plan()
    outcome = Node("Outcome", "so1.o1.oc1", Text("Uitkomst", "Outcome"))
    link = Edge("CONTRIBUTES_TO", "so1.o1.oc1", "so1.o1")
    with app.app_context():
        store = get_store()
        store.save_plan(Plan.of([*plan.nodes, outcome], [*plan.edges, link]), author="t")
        # A recorded evidence item with a file, for the file route.
        file = store.attachment_files.put(b"%PDF-1.4 x", "r.pdf", who="t", when="2029-06-30")
        store.add_evidence([_evidence_with(file)], author="t")
        # An approved value with a file, for the value's file route.
        kept = store.attachment_files.put(b"%PDF-1.4 value", "v.pdf", who="t", when="2029-06-30")
        store.append_revisions([Revision("ind.o1", "2029", 1, "approved",
                                         MeasurementValue(value=3.0, files=(kept,)), "t",
                                         "2029-06-30T00:00:00.000000Z")])  # fmt: skip


def _evidence_with(file):
    import datetime as dt

    from toc.causal import Link
    from toc.evidence import Evidence

    return Evidence(
        "ev.file", kind="evaluation", says="supports", strength="strong",
        source_text="Mid-term review", date=dt.date(2029, 6, 30), author="t",
        link=Link("s1", "so1.o1"), file=file,
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_every_role(app, client, auth, role):
    _with_an_outcome(app)
    if role != "anonymous":
        auth.login_as(role)
    token = csrf_token(client)
    checked = 0
    for rule in _routes(app):
        args = {**SAMPLE_ARGS, **ENDPOINT_ARGS.get(rule.endpoint, {})}
        url = rule.build({k: v for k, v in args.items() if k in rule.arguments})[1]
        url += SAMPLE_QUERY.get(rule.endpoint, "")
        allowed = ACCESS[rule.endpoint]
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = client.get(url)
            elif rule.endpoint in SAMPLE_JSON:
                body = SAMPLE_JSON[rule.endpoint]
                response = client.post(url, json=body, headers={"X-CSRFToken": token})
            else:
                response = client.post(url, data={"csrf_token": token})
            code = response.status_code
            where = f"{method} {url} as {role}"
            checked += 1
            if allowed == "public" or role in allowed:
                assert code in (200, 201, 302), f"{where}: {code}"
                if code == 302:
                    assert "/login" not in response.headers["Location"] or rule.endpoint in (
                        "auth.logout",
                        "auth.language",
                    ), where
            elif role == "anonymous":
                if url.startswith("/api/"):
                    assert code == 401, f"{where}: {code}"
                    assert response.get_json()["status"] == 401
                else:
                    assert code == 302, f"{where}: {code}"
                    assert response.headers["Location"].startswith("/login?next="), where
            else:
                assert code == 403, f"{where}: {code}"
    assert checked >= len(ACCESS)


def test_every_view_declares_its_access(app):
    from web.access import access_of

    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            assert access_of(app.view_functions[rule.endpoint]) is not None, rule.endpoint


def test_an_app_with_an_unguarded_view_does_not_start(store_path):
    from flask import Flask

    from web.access import check_routes

    bare = Flask("bare")
    bare.add_url_rule("/open", "open", lambda: "no check here")
    with pytest.raises(RuntimeError, match="views without @requires or @public: open"):
        check_routes(bare)
