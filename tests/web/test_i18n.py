"""Dutch and English: the switch, the browser's preference, and a complete Dutch catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import web
from web.i18n import TRANSLATIONS

WEB = Path(web.__file__).parent
PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def test_dutch_is_the_default_and_the_browser_can_ask_for_english(app, auth):
    client = app.test_client()
    assert 'lang="nl"' in client.get("/login").get_data(as_text=True)
    assert "Aanmelden" in client.get("/login").get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in english.get_data(as_text=True) and "Sign in" in english.get_data(
        as_text=True
    )


def test_language_switch_changes_interface_and_plan_texts(client, auth):
    auth.login_as("viewer")
    english = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert "<h1>Objective 1.1</h1>" in english and "What contributes to it" in english
    switch = client.get("/language/nl?next=/nodes/so1.o1")
    assert switch.status_code == 302 and switch.headers["Location"] == "/nodes/so1.o1"
    dutch = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert '<html lang="nl">' in dutch
    assert "<h1>Doel 1.1</h1>" in dutch and "Wat eraan bijdraagt" in dutch
    assert "Veronderstelt" in dutch and "omdat" in dutch
    overview = client.get("/").get_data(as_text=True)
    assert "SD 1" in overview and "2 doelstellingen" in overview


def test_unknown_language_is_ignored(client, auth):
    auth.login_as("viewer")
    client.get("/language/fr")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_numbers_and_dates_follow_the_locale(app):
    from flask_babel import format_decimal

    from web.i18n import _iso_time

    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert format_decimal(1234.5) == "1.234,5"
        assert _iso_time("2027-03-01T09:30:00+00:00") == "1 mrt 2027, 10:30:00"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_decimal(1234.5) == "1,234.5"
        assert _iso_time("2027-03-01T09:30:00+00:00") == "Mar 1, 2027, 10:30:00\u202fAM"


def test_every_interface_string_has_a_dutch_translation():
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(WEB),
            method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                      "lazy_gettext": None},
        )
    }  # fmt: skip
    with PO.open("rb") as f:
        catalog = read_po(f, locale="nl")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and all(m.string) and not m.fuzzy
    }
    assert sorted(extracted - translated) == []
    assert len(extracted) > 150


def test_the_compiled_catalogue_matches_the_po_file():
    with PO.open("rb") as f:
        po = read_po(f, locale="nl")
    with MO.open("rb") as f:
        mo = read_mo(f)

    def as_dict(catalog):
        def plain(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        return {plain(m.id): plain(m.string) for m in catalog if m.id}

    assert as_dict(po) == as_dict(mo), "run: .venv/bin/pybabel compile -d web/translations"


def test_dutch_addresses_the_user_as_u_throughout():
    """One form of address: the polite "u"/"uw", never "je"/"jij"/"jouw"."""
    import re

    with PO.open("rb") as f:
        catalog = read_po(f)
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    found = []
    for message in catalog:
        strings = [message.string] if isinstance(message.string, str) else message.string
        found += [s for s in strings if s and informal.search(s)]
    assert found == []


def test_stored_system_notes_are_shown_in_the_users_language(app):
    from flask_babel import force_locale

    from web.value_labels import note_label

    with app.test_request_context():
        with force_locale("nl"):
            assert note_label("import data.csv (approved on import)") == (
                "geïmporteerd uit data.csv en bij het importeren goedgekeurd"
            )
            assert note_label("import data.csv") == "geïmporteerd uit data.csv"
            assert note_label("Counted by hand") == "Counted by hand"
        with force_locale("en"):
            assert note_label("import x.xlsx") == "imported from x.xlsx"
