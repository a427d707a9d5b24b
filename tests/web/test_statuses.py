"""Statuses from indicator data colour the overview, the node pages and the diagram."""

from __future__ import annotations

import re

import pytest

from graphdb.ladybug_store import LadybugStore
from indicators.model import MeasurementValue
from indicators.workflow import Action, apply_step
from tests.web.conftest import english_client, make_app
from web.statuses import StatusCache
from web.store import close_store


def record(store, value: float, period: str = "2028", approve: bool = True) -> None:
    apply_step(store, "ind.o1", period, Action.SUBMIT, author="ana", role="contributor",
               value=MeasurementValue(value=value))  # fmt: skip
    if approve:
        apply_step(store, "ind.o1", period, Action.APPROVE, author="me", role="me_officer")


@pytest.fixture
def measured(store_path):
    """The test store (it holds the indicators ind.o1 and ind.o2), open."""
    return LadybugStore(store_path)


def _status_of(page: str, node_id: str) -> str:
    match = re.search(rf'id="node-{re.escape(node_id)}".*?<path fill="([^"]+)"', page, re.S)
    assert match, node_id
    return match.group(1)


def test_status_cache_recomputes_only_when_data_change(measured):
    cache = StatusCache()
    plan = measured.load_plan()
    first = cache.get(measured, plan)
    assert cache.get(measured, plan) is first and cache.computations == 1
    assert first.nodes["so1.o1"].combined.value == "no_data"
    record(measured, 16)
    second = cache.get(measured, plan)
    assert cache.computations == 2 and second.nodes["so1.o1"].combined.value == "on_track"
    assert second.nodes["so1"].combined.value == "on_track"  # rolled up from its objective
    measured.close()


def test_pages_show_statuses_once_approved(measured, auth):
    record(measured, 11, approve=False)  # submitted, not approved: does not count yet
    measured.close()
    app = make_app(measured.location)
    try:
        client = english_client(app)
        type(auth)(client).login_as("viewer")
        page = client.get("/pathways").get_data(as_text=True)
        assert _status_of(page, "so1.o1") == "#e6e6e6"  # no data
        with app.app_context():
            from web.store import get_store

            store = get_store()
            apply_step(store, "ind.o1", "2028", Action.APPROVE, author="me", role="me_officer")
        page = client.get("/pathways").get_data(as_text=True)
        assert _status_of(page, "so1.o1") == "#f4a6a6"  # off track: 10% done, 40% expected
        assert "✖ Off track" in page
        node = client.get("/nodes/so1.o1").get_data(as_text=True)
        assert 'class="status status-off_track"' in node
        overview = client.get("/").get_data(as_text=True)
        assert re.search(
            r'status-off_track">\s*<a class="count-link" href="/nodes/status/off_track">\s*'
            r'<span class="count-number">2</span>',
            overview,
        )
        assert client.get("/api/statuses").get_json()["statuses"]["so1"] == "off_track"
    finally:
        close_store(app)


def test_illustrative_data_is_marked_on_every_page(measured, auth):
    from indicators.definitions import loads
    from tests.web.conftest import INDICATORS

    record(measured, 16)
    plain = make_app(measured.location)
    measured.close()
    try:
        client = english_client(plain)
        type(auth)(client).login_as("viewer")
        assert "Illustrative data." not in client.get("/").get_data(as_text=True)
    finally:
        close_store(plain)
    store = LadybugStore(measured.location)
    demo = INDICATORS.replace("indicators:\n", "defaults: {illustrative: true}\nindicators:\n", 1)
    store.save_indicators(loads(demo, plan=store.load_plan()).indicators, author="tests")
    store.close()
    app = make_app(measured.location)
    try:
        client = english_client(app)
        type(auth)(client).login_as("viewer")
        for path in ("/", "/pathways", "/nodes/so1.o1", "/indicators"):
            assert "Illustrative data." in client.get(path).get_data(as_text=True), path
        overview = client.get("/").get_data(as_text=True)
        assert re.search(r"Municipalities</a>.*?tag-demo\">illustrative<", overview, re.S)
    finally:
        close_store(app)
