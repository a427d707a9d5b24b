"""The import, download and plan-editing pages in a real browser (Playwright with Debian's
Chromium) on the VVSG plan, with screenshots in ``test-artifacts/``. Skipped, saying why, only
when Chromium is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.test_browser import live_url, page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.slow


def test_import_a_file_dry_run_then_confirm(page, tmp_path):  # noqa: F811
    sign_in(page, "me_officer")
    page.click(".main-nav a:has-text('Import')")
    assert page.locator("h1").inner_text() == "Import values"
    shot(page, "import-en")
    bad = tmp_path / "values.csv"
    bad.write_text("indicator,period,value\ndemo.agreements,2029,many\ndemo.nope,2029,3\n")
    page.set_input_files("#file", str(bad))
    page.click(".form-actions button")
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{32}$"))
    assert "2 problems: nothing can be imported." in page.locator(".notice-error").inner_text()
    assert page.locator("table.problems tbody tr").count() == 2
    assert page.locator("button[value=import]").count() == 0
    shot(page, "import-problems-en")
    page.click("button[value=cancel]")
    good = tmp_path / "good.csv"
    good.write_text("indicator,period,value,comment\ndemo.experiments,2029,4,from the survey\n")
    page.set_input_files("#file", str(good))
    page.click(".form-actions button")
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{32}$"))
    assert "1 value would be written" in page.locator(".notice-success").inner_text()
    shot(page, "import-check-en")
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r"/import$"))
    assert "Imported 1 value(s) from good.csv." in page.locator(".notice-success").inner_text()


def test_update_form_with_disaggregated_values(page, live_url):  # noqa: F811
    sign_in(page, "me_officer")
    page.goto(f"{live_url}/indicators/demo.experiments/2030/edit")
    assert page.locator("fieldset.parts legend").inner_text() == "By country"
    page.fill("#value", "4")
    page.fill("#part-0-0-value", "1")
    page.fill("#part-0-1-value", "two")
    page.click("#submit")
    assert "Enter a number" in page.locator("#part-0-1-value-errors").inner_text()
    shot(page, "update-parts-error-en")
    page.fill("#part-0-1-value", "2")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/indicators/demo.experiments$"))
    notice = page.locator(".notice-warning").inner_text()
    assert "parts by country add up to 3, not to the total 4" in notice
    shot(page, "update-parts-flagged-en")


def test_downloads_page_and_files(page):  # noqa: F811
    sign_in(page, "contributor")
    page.click(".main-nav a:has-text('Downloads')")
    assert page.locator("h1").inner_text() == "Downloads"
    shot(page, "downloads-en")
    with page.expect_download() as info:
        page.click("a:has-text('Template to fill in (XLSX)')")
    assert info.value.suggested_filename == "pathways-template.xlsx"
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"
    with page.expect_download() as info:
        page.click("a[href='/downloads/iptt/so1.o1.xlsx']")
    assert info.value.suggested_filename == "pathways-iptt-so1.o1.xlsx"


def test_edit_the_plan(page):  # noqa: F811
    sign_in(page, "me_officer")
    page.click(".main-nav a:has-text('Plan')")
    assert page.locator("h1").inner_text() == "Edit the plan"
    shot(page, "plan-en")
    page.click("#node-so1\\.o1 a:has-text('Add outcome')")
    page.fill("#title_en", "Municipalities use outcome-based monitoring")
    page.fill("#end_year", "2040")
    page.click(".form-actions button")
    assert "lies outside the plan" in page.locator("#end_year-errors").inner_text()
    shot(page, "plan-outcome-error-en")
    page.fill("#end_year", "2031")
    page.fill("#rationale_en", "Monitoring shows what works")
    page.click(".form-actions button")
    page.wait_for_url(re.compile(r"/plan#node-so1\.o1\.oc1$"))
    assert "Outcome so1.o1.oc1 added" in page.locator(".notice-success").inner_text()
    page.click("a:has-text('Add a contribution link')")
    shot(page, "plan-link-en")
    page.goto("/plan/assumptions/new")
    shot(page, "plan-assumption-en")
    page.goto("/plan/indicators/new")
    shot(page, "plan-indicator-en")
    page.goto("/plan/indicators/demo.agreements")
    shot(page, "plan-indicator-edit-en")
    page.goto("/plan/history")
    assert "Outcome so1.o1.oc1 added" in page.locator("table").first.inner_text()
    shot(page, "plan-history-en")
