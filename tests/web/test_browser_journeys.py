"""Each role's journey in a real browser, in English and Dutch, on a desktop and a phone, with
a screenshot of each step's page in ``test-artifacts/`` (journey-<role>-<screen>-<lang>).

* leader (viewer): the start page's counts lead to the nodes with a status; the flag
  "assumption to test" and the explanation of a status on the node page;
* M&E officer: the review queue, filtered, with the figures beside a value; returning it;
* partner (contributor): submits a value with its breakdown (the running sum follows), then
  finds it returned in "my work", with the note, and opens its form again;
* evaluator (viewer): a query and the connecting part of the diagram.

The journeys change the data (a value is returned), so they run in one fixed order per
language and screen on the module's own store.
"""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import PASSWORD, ROLE_USERS
from tests.web.test_browser import live_url, shot  # noqa: F401
from tests.web.test_browser_a11y import LOCALES, SCREENS

pytestmark = pytest.mark.slow

WORDS = {
    "en": {"flag": "Assumption to test", "work": "My work", "returned": "Returned with a note",
           "match": "value matches", "approved_if": "if approved"},
    "nl": {"flag": "Te toetsen veronderstelling", "work": "Mijn werk",
           "returned": "Teruggestuurd met een opmerking", "match": "waarde voldoet",
           "approved_if": "na goedkeuring"},
}  # fmt: skip


def _context(browser, live_url, lang, screen):  # noqa: F811
    phone = screen == "phone"
    return browser.new_context(
        base_url=live_url, locale=LOCALES[lang], viewport=SCREENS[screen], is_mobile=phone,
        has_touch=phone,
    )  # fmt: skip


def _sign_in(page, role: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.fill("#username", ROLE_USERS[role])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_journeys(browser, live_url, lang, screen):  # noqa: F811
    words = WORDS[lang]
    tag = f"{screen}-{lang}"
    period = {"en-desktop": "2028", "en-phone": "2029", "nl-desktop": "2030", "nl-phone": "2031"}
    period = period[f"{lang}-{screen}"]
    context = _context(browser, live_url, lang, screen)
    page = context.new_page()
    try:
        # Partner: submits a value, the running sum of the breakdown follows the typing.
        _sign_in(page, "contributor")
        page.goto(f"/indicators/demo.experiments/{period}/edit")
        page.fill("#value", "3")
        page.fill("#part-0-0-value", "1")
        page.fill("#part-0-1-value", "2")
        assert page.locator("output[data-sum=value]").first.inner_text() == "3"
        _fits(page)
        shot(page, f"journey-partner-form-{tag}")
        page.click("#submit")
        page.wait_for_url(re.compile(r"/indicators/demo\.experiments$"))

        # Leader: counts lead to nodes; the off-track SO carries the flag and says why.
        _sign_in(page, "viewer")
        _fits(page)
        shot(page, f"journey-leader-start-{tag}")
        page.locator("a.count-link[href='/nodes/status/off_track']").click()
        page.wait_for_url(re.compile(r"/nodes/status/off_track$"))
        page.locator("main a[href='/nodes/so2.o3']").click()
        page.wait_for_url(re.compile(r"/nodes/so2\.o3$"))
        assert page.locator(".status-why").count() == 1
        _fits(page)
        shot(page, f"journey-leader-node-{tag}")

        # M&E officer: filters the queue to the period, sees the figures, returns the value.
        _sign_in(page, "me_officer")
        page.goto(f"/review?period={period}")
        assert words["match"] in page.locator("main").inner_text()
        card = page.locator(".review-item").first
        assert words["approved_if"] in card.inner_text()
        _fits(page)
        shot(page, f"journey-me-review-{tag}")
        card.locator("textarea").fill("Please attach the signed agreements")
        card.locator("button[value=return]").click()
        page.wait_for_url(re.compile(rf"/review\?period={period}$"))
        assert "demo.experiments" not in page.locator(".notice-success").inner_text()

        # Partner: the returned value with its note in "my work", and its form.
        _sign_in(page, "contributor")
        work = page.locator("section.my-work")
        assert words["work"] in work.inner_text() and words["returned"] in work.inner_text()
        assert "Please attach the signed agreements" in work.inner_text()
        _fits(page)
        shot(page, f"journey-partner-work-{tag}")
        work.locator(f"a[href='/indicators/demo.experiments/{period}/edit']").click()
        page.wait_for_url(re.compile(rf"/indicators/demo\.experiments/{period}/edit$"))
        _fits(page)

        # Evaluator: a query and the connected part of the diagram.
        _sign_in(page, "viewer")
        page.goto("/queries/sdg_pathways?run=1")
        assert page.locator("svg.diagram-svg g.node").count() >= 2
        _fits(page)
        shot(page, f"journey-evaluator-query-{tag}")
    finally:
        context.close()
