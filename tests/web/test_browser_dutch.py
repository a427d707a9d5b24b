"""The pages that word the domain's English in the page language, in a real browser: the import
report's problems and the plan form's errors, at 1440x900 and 390x844 in English and Dutch;
no serious or critical axe violation and no page wider than the screen. Screenshots go to
``test-artifacts/`` (``dutch-*.png``)."""

from __future__ import annotations

import pytest

from tests.web.test_browser import live_url, shot  # noqa: F401
from tests.web.test_browser_a11y import LOCALES, SCREENS, check_page, signed_in  # noqa: F401

pytestmark = pytest.mark.slow

BAD_CSV = b"indicator,period,value\ndemo.agreements,2028,35 projecten\ndemo.zz,2028,3\n"
REASONS = {
    "en": ("'35 projecten' is not a number", "unknown indicator 'demo.zz'"),
    "nl": ("'35 projecten' is geen getal", "onbekende indicator 'demo.zz'"),
}
YEAR_ERROR = {
    "en": "Until (year): 2040 lies outside the plan",
    "nl": "Tot (jaar): 2040 valt buiten",
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_import_problems_read_in_the_page_language(signed_in, lang, screen, tmp_path):  # noqa: F811
    page = signed_in[lang, screen]
    page.goto("/import")
    source = tmp_path / "values.csv"
    source.write_bytes(BAD_CSV)
    page.set_input_files("input[type=file]", str(source))
    page.click("form .form-actions button[type=submit]")
    page.wait_for_url("**/import/*")
    table = page.locator("table.problems").inner_text()
    for reason in REASONS[lang]:
        assert reason in table
    other = REASONS["nl" if lang == "en" else "en"]
    assert not any(reason in table for reason in other)
    shot(page, f"dutch-import-problems-{screen}-{lang}")
    assert check_page(page, page.url.removeprefix(page.url.split("/import")[0])) == []
    page.locator("button[value=cancel]").click()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_plan_form_errors_name_the_field_by_its_label(signed_in, lang, screen):  # noqa: F811
    page = signed_in[lang, screen]
    page.goto("/plan/nodes/new?kind=Outcome&parent=so1.o1")
    page.fill("#node_id", "so1.o1.ocx")
    page.fill("#title_nl", "Betere samenwerking")
    page.fill("#title_en", "Better cooperation")
    page.fill("#end_year", "2040")
    page.locator("form button[type=submit].primary").first.click()
    page.wait_for_load_state()
    errors = page.locator("#end_year-errors").inner_text()
    assert YEAR_ERROR[lang] in errors and "end_year" not in errors
    shot(page, f"dutch-plan-form-error-{screen}-{lang}")


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_definition_form_has_a_dutch_unit(signed_in, lang, screen):  # noqa: F811
    page = signed_in[lang, screen]
    assert check_page(page, "/plan/indicators/demo.agreements") == []
    label = {"en": "Unit (Dutch)", "nl": "Eenheid (Nederlands)"}[lang]
    assert page.locator("label[for=unit_nl]").inner_text().startswith(label)
    shot(page, f"dutch-definition-form-{screen}-{lang}")
