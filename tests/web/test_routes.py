"""Every route of the app, with every role: the server refuses what a role may not do.

The expected access of each endpoint is written here, independently of ``web.access``; a new
route fails :func:`test_every_route_is_listed` until its access is added to this table.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_token

ALL = {"viewer", "contributor", "me_officer", "admin"}
#: endpoint -> roles that may use it ("public": anyone, signed in or not).
ACCESS: dict[str, set[str] | str] = {
    "auth.login": "public",
    "auth.language": "public",
    "auth.logout": ALL,
    "overview.index": ALL,
    "pathways.index": ALL,
    "pathways.download": ALL,
    "nodes.show": ALL,
    "indicators.index": ALL,
    "indicators.show": ALL,
    "indicators.edit": {"contributor", "me_officer", "admin"},  # contributor: in scope only
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
}
SAMPLE_ARGS = {
    "node_id": "so1",
    "username": "target",
    "fmt": "svg",
    "lang": "en",
    "code": "ind.o1",
    "period": "2028",
}
SAMPLE_QUERY = {"api.pathway_list": "?source=s1"}
ROLES = ["anonymous", "viewer", "contributor", "me_officer", "admin"]


def _routes(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    # Sign out last: it ends the session the other requests use.
    return sorted(rules, key=lambda r: (r.endpoint == "auth.logout", r.rule))


def test_every_route_is_listed(app):
    assert {r.endpoint for r in _routes(app)} == set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_every_role(app, client, auth, role):
    if role != "anonymous":
        auth.login_as(role)
    token = csrf_token(client)
    checked = 0
    for rule in _routes(app):
        url = rule.build({k: v for k, v in SAMPLE_ARGS.items() if k in rule.arguments})[1]
        url += SAMPLE_QUERY.get(rule.endpoint, "")
        allowed = ACCESS[rule.endpoint]
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            code = response.status_code
            where = f"{method} {url} as {role}"
            checked += 1
            if allowed == "public" or role in allowed:
                assert code in (200, 302), f"{where}: {code}"
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
