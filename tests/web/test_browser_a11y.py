"""Accessibility and phone layout of every main page in a real browser: axe-core finds no
serious or critical violation, and no page is wider than the screen, on a desktop (1440x900)
and a phone (390x844), in English and Dutch.

axe-core is vendored for the tests only (``tests/web/vendor/axe.min.js``, 4.14.1 from the npm
registry, MPL-2.0, licence beside it); the app never serves it. It is injected through the
DevTools protocol, so the app's Content Security Policy stays on while it runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, ROLE_USERS
from tests.web.test_browser import live_url, shot  # noqa: F401

pytestmark = pytest.mark.slow

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
#: axe's source wrapped in a function, so that ``page.evaluate`` runs it as a script.
AXE_INSTALL = "() => {\n" + AXE + "\n;return typeof axe;}"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""

#: The outermost elements reaching beyond the screen's right edge (what makes a page too wide).
WIDEST = """screen => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > screen + 1 && !e.closest(".table-scroll")
               && !(e.parentElement && e.parentElement.getBoundingClientRect().right > screen + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
               + " " + (e.textContent || "").trim().slice(0, 40))"""
SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "nl": "nl-BE"}
#: The main pages, as the admin (who sees every menu entry) reaches them.
PAGES = [
    "/",
    "/pathways",
    "/pathways?country=country.bj",
    "/nodes/so1",
    "/nodes/so2.o3",
    "/indicators",
    "/indicators/demo.agreements",
    "/indicators/demo.experiments/2030/edit",
    "/downloads",
    "/queries",
    "/queries/sdg_pathways?run=1",
    "/queries/cypher",
    "/report",
    "/import",
    "/review",
    "/plan",
    "/plan/nodes/new",
    "/plan/history",
    "/nodes/status/off_track",
    "/admin/users",
]


@pytest.fixture(scope="module")
def signed_in(browser, live_url):  # noqa: F811
    """A signed-in admin page per (language, screen), kept for the module."""
    pages = {}
    contexts = []
    for lang, locale in LOCALES.items():
        for screen, viewport in SCREENS.items():
            phone = screen == "phone"
            context = browser.new_context(
                base_url=live_url, locale=locale, viewport=viewport, is_mobile=phone,
                has_touch=phone,
            )  # fmt: skip
            contexts.append(context)
            page = context.new_page()
            page.goto("/login")
            page.fill("#username", ROLE_USERS["admin"])
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/$"))
            pages[lang, screen] = page
    yield pages
    for context in contexts:
        context.close()


def check_page(page, path: str) -> list[str]:
    """What is wrong with ``path`` as ``page`` shows it: serious or critical axe violations,
    and a page wider than the screen."""
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    if width > screen:
        wide = page.evaluate(WIDEST, screen)
        problems.append(f"the page is {width} px wide on a {screen} px screen: {wide}")
    assert page.evaluate(AXE_INSTALL) == "object"
    for v in page.evaluate(AXE_RUN):
        problems.append(f"{v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}")
    return problems


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_main_pages_are_accessible_and_fit_the_screen(signed_in, lang, screen):
    page = signed_in[lang, screen]
    found = {path: check_page(page, path) for path in PAGES}
    shot(page, f"a11y-admin-users-{screen}-{lang}")
    assert {path: p for path, p in found.items() if p} == {}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_sign_in_page_is_accessible(browser, live_url, screen):  # noqa: F811
    context = browser.new_context(
        base_url=live_url, locale="nl-BE", viewport=SCREENS[screen], is_mobile=screen == "phone"
    )
    try:
        assert check_page(context.new_page(), "/login") == []
    finally:
        context.close()


def test_phone_menu_button_opens_and_closes_the_menu(signed_in):
    page = signed_in["en", "phone"]
    page.goto("/")
    button = page.locator("[data-menu-button]")
    nav = page.locator("#main-nav")
    assert button.is_visible() and not nav.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    shot(page, "phone-menu-open-en")
    page.keyboard.press("Escape")
    assert not nav.is_visible() and button.get_attribute("aria-expanded") == "false"
    page.goto("/review")  # every entry is reachable from the menu
    button.click()
    nav.get_by_role("link", name="Plan").click()
    page.wait_for_url(re.compile(r"/plan$"))


def test_desktop_shows_the_menu_without_a_button(signed_in):
    page = signed_in["nl", "desktop"]
    page.goto("/")
    assert page.locator("#main-nav").is_visible()
    assert not page.locator("[data-menu-button]").is_visible()


def test_without_scripts_the_phone_menu_wraps_inside_the_header(browser, live_url):  # noqa: F811
    context = browser.new_context(
        base_url=live_url, viewport=SCREENS["phone"], java_script_enabled=False, locale="nl-BE"
    )
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("#username", ROLE_USERS["admin"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
        header = page.locator(".site-header").bounding_box()
        for link in page.locator("#main-nav a").all():
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
            bottom = header["y"] + header["height"]
            assert header["y"] <= box["y"] and box["y"] + box["height"] <= bottom
        assert not page.locator("[data-menu-button]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_phone_diagram_starts_readable_and_one_finger_scrolls_the_page(signed_in):
    page = signed_in["en", "phone"]
    page.goto("/pathways")
    svg = page.locator("svg.diagram-svg")
    box = svg.bounding_box()
    view = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert box["width"] / view[2] >= 1.3  # at least 1.3 screen pixels per diagram unit
    assert page.locator("figure.diagram").evaluate("e => getComputedStyle(e).touchAction") == (
        "pan-x pan-y"
    )
    assert "hover" not in page.locator("#diagram-help").inner_text().lower()
    page.click("[data-zoom=reset]")
    fit = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert fit[2] > view[2]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_after_a_validation_error_focus_is_on_the_first_invalid_field(signed_in, screen):
    page = signed_in["en", screen]
    page.goto("/indicators/demo.experiments/2030/edit")
    page.fill("#value", "lots")
    # The page moves focus once its document is parsed (site.js, on DOMContentLoaded): wait
    # for the answer page to load, not only for the error text to be in it.
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("#submit")
    page.locator("#value-errors").wait_for()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "value"
    described = page.locator("#value").get_attribute("aria-describedby")
    assert "value-errors" in described.split()
    assert page.locator("#value").get_attribute("aria-invalid") == "true"
