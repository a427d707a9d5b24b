"""In Chromium: an M&E officer defines an indicator with custom periods in the form and
sees them on its page (screenshots in the browser test artifacts)."""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser import live_url, page, shot, sign_in  # noqa: F401

pytestmark = pytest.mark.slow


def test_custom_periods_in_the_definition_form(page):  # noqa: F811
    sign_in(page, "me_officer")
    page.goto("/plan/indicators/new")
    page.fill("#code", "demo.windows")
    page.fill("#title_en", "Households with a plan (project windows)")
    page.fill("#title_nl", "Gezinnen met een plan (projectvensters)")
    page.check("input[name=measures][value='so1.o1']")
    page.select_option("#type", "number")
    page.select_option("#frequency", "custom")
    page.fill("#periods", "2027-07-06..2027-09-06\n2027-09-07..2027-12-31")
    page.fill("#baseline_value", "0")
    page.fill("#baseline_date", "2027-01-01")
    page.fill("#targets", "2027-07-06..2027-09-06: 50")
    page.fill("#end_value", "120")
    page.check("#illustrative")
    shot(page, "custom-periods-form")
    page.click("button:has-text('Save')")
    page.wait_for_load_state()
    shot(page, "custom-periods-saved")
    page.wait_for_url(re.compile(r"/indicators/demo\.windows$"), timeout=5000)
    body = page.inner_text("main")
    assert "2027-07-06..2027-09-06" in body and "2027-09-07..2027-12-31" in body
    shot(page, "custom-periods-indicator")
