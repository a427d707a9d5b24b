"""The learning pages in a real browser, on the VVSG plan with the illustrative demo evidence:
axe-core finds no serious or critical violation and no page is wider than the screen, at
desktop and phone sizes in English and Dutch; screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.web.test_browser import live_url, shot  # noqa: F401
from tests.web.test_browser_a11y import LOCALES, SCREENS, check_page, signed_in  # noqa: F401

pytestmark = pytest.mark.slow

PAGES = {
    "story": "/story/so3.o1",
    "link": "/evidence/s3/so3.o1",
    "outcomes": "/outcomes",
    "assumption": "/assumptions/a.budget-retention/evidence",
    "node": "/nodes/so3.o1",
    "pathways": "/pathways?confidence=1&without=country.bj&without=country.ec&without=country.sn",
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_learning_pages_are_accessible_and_fit_the_screen(signed_in, lang, screen):  # noqa: F811
    page = signed_in[lang, screen]
    found = {}
    for name, path in PAGES.items():
        found[path] = check_page(page, path)
        shot(page, f"learning-{name}-{screen}-{lang}")
    assert {path: p for path, p in found.items() if p} == {}
    page.goto(PAGES["link"])
    words = {"en": "Illustrative", "nl": "llustrati"}[lang]
    assert page.locator("meter").count() == 1 and page.get_by_text("89%").count() >= 1
    page.goto(PAGES["story"])
    assert words.lower() in page.inner_text("article.story").lower()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_file_is_attached_to_evidence_in_the_browser(signed_in, lang, screen, tmp_path):  # noqa: F811
    page = signed_in[lang, screen]
    report = tmp_path / f"Verslag {lang} {screen}.pdf"
    report.write_bytes(b"%PDF-1.4 bezoekverslag")
    page.goto(PAGES["link"])
    page.fill("#source_text", f"Visit report {lang} {screen}")
    page.fill("#date", "2025-06-30")
    page.set_input_files("#file", str(report))
    shot(page, f"learning-attach-form-{screen}-{lang}")
    page.locator("form.grid-form button[type=submit]").click()
    page.wait_for_load_state()
    link = page.locator("a[href*='/file']", has_text=report.name)
    assert link.count() == 1
    shot(page, f"learning-attach-done-{screen}-{lang}")
    assert check_page(page, PAGES["link"]) == []
