"""Browser check of the pathways page's search box: a search lists hits and one focuses the
diagram, at desktop and phone sizes, in English and Dutch (screenshots in the artifacts)."""

from __future__ import annotations

import pytest

from tests.web.test_browser import live_url, page, shot, sign_in  # noqa: F401


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_search_focuses_a_node(page, lang, size):  # noqa: F811
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, "viewer")
    page.goto(f"/language/{lang}?next=/pathways")
    page.goto("/pathways?q=so1")
    hits = page.locator(".search-hits a")
    assert hits.count() >= 1
    hits.first.click()
    assert "focus=" in page.url and "depth=2" in page.url
    assert page.locator("svg.diagram-svg .node").count() >= 1
    shot(page, f"pathways-search-{lang}-{size[0]}")
