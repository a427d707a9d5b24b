"""The pathways page's level of detail: folded branches as summary boxes, expand, focus,
search, and hostile query strings (the demo plan with a small whole-drawing budget stands in
for a large plan)."""

from __future__ import annotations

import pytest

from tests.web.conftest import AuthActions, english_client, make_app
from web.store import close_store


@pytest.fixture
def small_budget(store_path):
    app = make_app(store_path, DIAGRAM_WHOLE_BUDGET=2)
    yield app
    close_store(app)


def _page(app, query: str = "") -> str:
    client = english_client(app)
    AuthActions(client).login()
    response = client.get("/pathways" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_default_view_draws_objectives_and_summaries(small_budget):
    page = _page(small_budget)
    assert "too large to draw whole" in page
    assert 'id="summary-' in page and "Select to expand" in page
    assert 'id="node-so1"' in page
    assert "node-s1" not in page  # strategies are folded


def test_expand_a_branch_then_fold_it(small_budget):
    page = _page(small_budget, "?expand=so1.o1")
    assert "Expanded:" in page and "Fold" in page
    assert 'id="summary-so1.o1"' not in page


def test_search_lists_hits_that_focus(small_budget):
    page = _page(small_budget, "?q=so1.o1")
    assert "focus=so1.o1" in page


def test_hostile_query_strings_are_bounded(small_budget):
    query = "?" + "&".join(f"expand=x{i}" for i in range(10_000)) + "&depth=999999"
    page = _page(small_budget, query)
    assert "At most 40 branches can be expanded at once" in page
    assert "could not be expanded" in page
