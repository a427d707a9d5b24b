"""The history page compares any two plan versions; M&E officers and admins restore one after
a preview. Restoring saves a new version: the history is never rewritten."""

from __future__ import annotations

import pytest

from tests.web.test_plan_pages import _add_outcome, _plan, _post


@pytest.fixture
def me(client, auth):
    auth.login_as("me_officer")
    return client


def test_history_compares_two_versions_with_a_marked_diagram(app, me):
    assert _add_outcome(me).status_code == 302
    page = me.get("/plan/history?old=1&new=2").get_data(as_text=True)
    assert "From version 1 to version 2" in page
    assert "1 nodes added" in page and "1 links added" in page
    assert "<td>Outcome</td><td>so1.o1.oc1</td><td>Title</td>" in page
    assert "<td>Contributes to</td>" in page  # the link's kind by its name, not CONTRIBUTES_TO
    assert "Betere samenwerking | Better cooperation" in page
    assert "<svg" in page and "+ Added" in page  # the diagram marks it in words too
    assert 'href="/plan/history/restore/1"' in page
    same = me.get("/plan/history?old=2&new=2").get_data(as_text=True)
    assert "The two versions have the same content." in same
    missing = me.get("/plan/history?old=1&new=9").get_data(as_text=True)
    assert "there is no plan version 9" in missing


def test_history_is_in_dutch_too(app, me):
    _add_outcome(me)
    me.get("/language/nl?next=/plan/history")
    page = me.get("/plan/history?old=1&new=2").get_data(as_text=True)
    assert "Van versie 1 naar versie 2" in page
    assert "Toegevoegd" in page
    # kinds and fields by their Dutch names, not the stored Outcome, CONTRIBUTES_TO, title
    assert "<td>Resultaat</td><td>so1.o1.oc1</td><td>Titel</td>" in page
    assert "<td>Draagt bij aan</td>" in page and "CONTRIBUTES_TO" not in page


def test_restore_after_a_preview(app, me):
    _add_outcome(me)
    preview = me.get("/plan/history/restore/1").get_data(as_text=True)
    assert "Restore version 1" in preview
    assert "1 nodes removed" in preview and "so1.o1.oc1" in preview and "− Removed" in preview
    without_reason = _post(me, "/plan/history/restore/1", message=" ")
    assert "Say why you restore this version" in without_reason.get_data(as_text=True)
    assert _plan(app)[0] == 2
    done = _post(me, "/plan/history/restore/1", message="undo the outcome")
    assert done.status_code == 302
    version, plan = _plan(app)
    assert version == 3 and plan.get("so1.o1.oc1") is None
    history = me.get("/plan/history").get_data(as_text=True)
    assert "Restored version 1 as version 3." in history and "undo the outcome" in history
    with app.app_context():
        from web.store import get_store

        assert not get_store().diff_versions(1, 3)
        assert get_store().plan_at(2).get("so1.o1.oc1") is not None  # history kept


def test_restore_is_for_editors_and_known_versions(client, auth):
    auth.login_as("viewer")
    assert client.get("/plan/history/restore/1").status_code == 403
    auth.logout()
    auth.login_as("admin")
    assert client.get("/plan/history/restore/7").status_code == 404
