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


def test_the_lists_of_options_are_kept_per_plan_version_and_choice(app):
    """The filters' and the what-if's options are fragments: each view shows its own choices
    selected, views share the lists they choose alike, and a view with the same choices renders
    none of them again."""
    import re

    first = _page(app, "?so=so1&without=s1")
    second = _page(app, "?country=be")
    selected = re.compile(r'<option value="([^"]+)" selected>')
    assert set(selected.findall(first)) == {"so1", "s1"}
    assert set(selected.findall(second)) == {"be"}
    fragments = app.extensions["pathways.fragments"]
    kept = [k for k in list(fragments._items) if "pathways-choices" in k or "pathways-whatif" in k]
    assert len(kept) == 8  # 5 lists each, the SDG's and the partner's unchosen in both
    before = fragments.renders
    third = _page(app, "?country=be&level=Objective")  # another view, the same choices
    assert fragments.renders == before
    assert set(selected.findall(third)) == {"be", "Objective"}
