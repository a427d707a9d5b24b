"""Rendered page blocks shared between requests: rendered once per data version, language and
role; the layout (user, sign-out form, messages) stays personal; changes show at once."""

from __future__ import annotations

import re

from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import AuthActions, english_client, make_app
from web.store import close_store, get_store


def _renders(app) -> int:
    return app.extensions["pathways.pages"].renders


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_rendered_once_and_personal_parts_stay_personal(app, client, auth):
    auth.login_as("viewer")
    first = client.get("/nodes/so1.o1").get_data(as_text=True)
    renders = _renders(app)
    second = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert _renders(app) == renders and first == second.replace(_token(second), _token(first))
    admin = english_client(app)
    AuthActions(admin).login_as("admin")
    theirs = admin.get("/nodes/so1.o1").get_data(as_text=True)
    assert '<span class="who">admin' in theirs and '<span class="who">viewer' in first
    assert 'href="/admin/users"' in theirs and 'href="/admin/users"' not in first
    assert _token(theirs) != _token(first)
    assert "<h1>Objective 1.1</h1>" in theirs


def test_edit_links_follow_the_users_rights(app, client, auth):
    auth.login_as("contributor")
    assert 'href="/indicators/ind.o1/2028/edit"' in client.get("/indicators/ind.o1").get_data(
        as_text=True
    )
    other = english_client(app)
    AuthActions(other).login_as("viewer")
    assert "/edit" not in other.get("/indicators/ind.o1").get_data(as_text=True)


def test_changes_show_at_once(app, client, auth):
    auth.login_as("viewer")
    assert "No values recorded yet." in client.get("/indicators/ind.o1").get_data(as_text=True)
    overview = client.get("/").get_data(as_text=True)
    with app.app_context():
        store = get_store()
        apply_step(store, "ind.o1", "2028", Action.SUBMIT, author="ana", role="contributor",
                   value=MeasurementValue(value=16.0))  # fmt: skip
        apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert "No values recorded yet." not in page and "16" in page
    assert client.get("/").get_data(as_text=True) != overview
    assert client.get("/api/statuses").get_json()["statuses"]["so1.o1"] == "on_track"


def test_the_overview_follows_the_review_queue_not_every_revision(app, client, auth):
    auth.login_as("viewer")
    assert "0 values await review." in client.get("/").get_data(as_text=True)
    with app.app_context():
        apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="ana",
                   role="contributor", value=MeasurementValue(value=16.0))  # fmt: skip
    assert "1 value awaits review." in client.get("/").get_data(as_text=True)
    renders = _renders(app)
    with app.app_context():  # a draft: the log grows, the queue and the page do not
        apply_step(get_store(), "ind.o1", "2029", Action.SAVE, author="ana",
                   role="contributor", value=MeasurementValue(value=18.0))  # fmt: skip
    assert "1 value awaits review." in client.get("/").get_data(as_text=True)
    assert _renders(app) == renders


def test_languages_and_messages(app, client, auth):
    auth.login_as("viewer")
    assert "<h1>Objective 1.1</h1>" in client.get("/nodes/so1.o1").get_data(as_text=True)
    client.get("/language/nl")
    dutch = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert "<h1>Doel 1.1</h1>" in dutch and '<html lang="nl">' in dutch
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Hello there")]
    assert "Hello there" in client.get("/nodes/so1.o1").get_data(as_text=True)


def test_the_cache_can_be_turned_off(store_path):
    app = make_app(store_path, PAGE_CACHE_SIZE=0)
    try:
        client = english_client(app)
        AuthActions(client).login_as("viewer")
        for _ in range(2):
            assert "<h1>Objective 1.1</h1>" in client.get("/nodes/so1.o1").get_data(as_text=True)
        assert _renders(app) == 0
    finally:
        close_store(app)


def test_the_layout_is_rendered_once_and_filled_in_per_request(app, client, auth):
    auth.login_as("viewer")
    client.get("/")
    shells = app.extensions["pathways.shells"]
    before = len(shells._items)
    page = client.get("/nodes/so1.o1?tab=x").get_data(as_text=True)
    assert "\x00" not in page
    assert '<span class="who">viewer' in page
    assert 'href="/language/nl?next=/nodes/so1.o1?tab%3Dx"' in page
    assert len(shells._items) == before + 1
    other = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert len(shells._items) == before + 1  # the same layout, filled in for another address
    assert 'href="/language/nl?next=/nodes/so1.o1"' in other
    response = client.post("/logout", data={"csrf_token": _token(other)})
    assert response.status_code == 302  # the filled-in token is a valid one
    assert client.get("/nodes/so1.o1").status_code == 302  # signed out


def test_a_name_that_looks_like_markup_is_escaped_in_the_layout(app, client, auth):
    with app.app_context():
        get_store().set_display_name("viewer", '<b>"Vi"</b>')
    auth.login_as("viewer")
    client.get("/")
    page = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert '<span class="who">&lt;b&gt;&#34;Vi&#34;&lt;/b&gt;' in page


def test_a_new_value_renders_one_history_row_and_keeps_the_pages_layout(app, client, auth):
    """An indicator's page changes with every value added to it; the rows of its history
    (each one revision, which never changes) and the layout around the content are kept."""
    auth.login_as("viewer")
    fragments, shells = app.extensions["pathways.fragments"], app.extensions["pathways.shells"]

    def add(number: int) -> None:
        with app.app_context():
            apply_step(get_store(), "ind.o1", "2028", Action.SUBMIT, author="ana",
                       role="contributor", value=MeasurementValue(value=float(number)))  # fmt: skip

    def rows() -> list[tuple]:
        return sorted(k[3:6] for k in list(fragments._items) if "history-row" in k)

    add(11)
    add(12)
    client.get("/indicators/ind.o1")
    assert rows() == [("ind.o1", "2028", 1), ("ind.o1", "2028", 2)]
    before, layouts = fragments.renders, shells.renders
    add(13)
    page = client.get("/indicators/ind.o1").get_data(as_text=True)
    assert rows()[-1] == ("ind.o1", "2028", 3) and len(rows()) == 3
    assert fragments.renders == before + 1 and shells.renders == layouts
    assert page.count("<td>2028</td>") == 3  # every row shown, two of them from the cache
