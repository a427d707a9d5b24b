"""The evaluation-query and report pages in a real browser (Playwright with Debian's
Chromium) on the VVSG plan, with screenshots in ``test-artifacts/``. Skipped, saying why, only
when Chromium is missing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import live_url, page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.slow


def test_run_a_named_query_and_see_it_in_the_diagram(page, live_url):  # noqa: F811
    sign_in(page, "viewer")
    page.click(".main-nav a:has-text('Queries')")
    assert page.locator("h1").inner_text() == "Evaluation queries"
    shot(page, "queries-en")
    page.goto(f"{live_url}/queries/on_track_under_off_track")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"run=1"))
    assert page.locator("#answer-heading").is_visible()
    shot(page, "query-on-track-under-off-track-en")
    page.goto(f"{live_url}/queries/sdg_pathways?run=1")
    assert page.locator("table").first.is_visible()
    assert page.locator("#diagram-heading ~ * svg, #diagram-heading + * svg").count() >= 1
    shot(page, "query-sdg-pathways-en")


def test_ad_hoc_cypher_is_read_only(page, live_url):  # noqa: F811
    sign_in(page, "viewer")
    page.goto(f"{live_url}/queries/cypher")
    page.fill("textarea", "MATCH (s:StrategicObjective) RETURN s.id AS id ORDER BY id")
    page.click("main form button[type=submit]")
    # the form posts to its own address: wait for the answer, not for another URL (counting
    # at once can see the form page still, as a fresh-clone run under load did)
    expect(page.locator("table tbody tr")).to_have_count(4)
    shot(page, "query-cypher-en")
    page.fill("textarea", "MATCH (n) DETACH DELETE n")
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text(
        "Only reading queries are allowed here; found DETACH."
    )
    shot(page, "query-cypher-refused-en")


def test_report_page(page, live_url):  # noqa: F811
    sign_in(page, "viewer")
    page.click(".main-nav a:has-text('Report')")
    shot(page, "report-en")
    with page.expect_download() as download:
        page.click("button[value=html], button:has-text('HTML')")
    assert download.value.suggested_filename.endswith(".html")
