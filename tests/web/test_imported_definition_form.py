"""Editing an imported IATI definition in the web form keeps what the import brought and the
form's plain fields cannot hold: target comments, titles and descriptions in other languages,
a baseline known by its year only and the origin; the re-export (schema-checked by the export
itself) writes them again."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from indicators.iati_config import parse_config
from indicators.iati_export import export_bytes
from indicators.iati_import import check_file, commit
from tests.web.conftest import csrf_token
from tests.web.test_definition_pages import me  # noqa: F401 (fixture)
from web.store import get_store

FILE = Path(__file__).parents[1] / "indicators/iati_files/roundtrip-comments-year.xml"
CODE = "iati.AA-AAA-123456789-RT1.r1.i1"
PATH = f"/plan/indicators/{CODE}"
IATI = "{http://www.w3.org/XML/1998/namespace}lang"
CONFIG = parse_config(
    {
        "activity_identifier": "XM-EXAMPLE-T-1",
        "reporting_org": {"ref": "XM-EXAMPLE", "type": "22", "name": "Example"},
    }
)


def _import(app) -> None:
    with app.app_context():
        store = get_store()
        report = check_file(store, FILE, author="iati")
        assert report.errors == [], [str(p) for p in report.errors]
        commit(store, report)


def _fields(page: str) -> dict[str, str | list[str]]:
    """What a browser would send for the form as shown (a browser drops the newline that
    opens a textarea's text)."""
    form = lxml.html.fromstring(page).xpath("//form[contains(@class, 'definition-form')]")[0]
    return {k: v.removeprefix("\n") for k, v in form.form_values()} | {
        "measures": [el.get("value") for el in form.xpath(".//input[@name='measures'][@checked]")]
    }


def _stored(app):
    with app.app_context():
        return get_store().get_indicator(CODE)


def test_the_form_shows_what_the_import_brought(app, me):  # noqa: F811
    _import(app)
    page = me.get(PATH).get_data(as_text=True)
    fields = _fields(page)
    assert fields["baseline_date"] == "2019"
    assert fields["target_comments-0-period"] == "2021"
    assert fields["target_comments-0-comment"] == "two new clinics in the north"
    assert fields["target_comments-1-comment"] == ""
    texts = {
        (fields[f"other_languages-{i}-part"], fields[f"other_languages-{i}-lang"]): fields[
            f"other_languages-{i}-text"
        ]
        for i in range(2)
    }
    assert texts == {
        ("title", "fr"): "Centres ouverts chaque jour",
        ("definition", "es"): "Clínicas abiertas todos los días",
    }
    assert "Imported from iati:AA-AAA-123456789/AA-AAA-123456789-RT1" in page
    me.get("/language/nl")
    dutch = me.get(PATH).get_data(as_text=True)
    assert "Opmerkingen bij de streefwaarden" in dutch and "Andere talen" in dutch


def test_saving_another_field_keeps_them_and_the_export_writes_them(app, me):  # noqa: F811
    _import(app)
    fields = _fields(me.get(PATH).get_data(as_text=True))
    fields["note"] = "checked with the district office"
    response = me.post(PATH, data={**fields, "csrf_token": csrf_token(me, PATH)})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    ind = _stored(app)
    assert ind.note == "checked with the district office"
    assert ind.baseline is not None and (ind.baseline.year, ind.baseline.date) == (2019, None)
    assert ind.baseline.value == 3.0 and ind.baseline.source == "district census"
    assert [(t.period, t.comment) for t in ind.targets] == [
        ("2021", "two new clinics in the north"),
        ("2022", ""),
    ]
    assert set(ind.other_languages) == {
        ("title", "fr", "Centres ouverts chaque jour"),
        ("definition", "es", "Clínicas abiertas todos los días"),
    }
    assert ind.origin == "iati:AA-AAA-123456789/AA-AAA-123456789-RT1"
    with app.app_context():
        store = get_store()
        data = export_bytes(
            store.load_plan(),
            store.indicators(),
            store.revision_frame(),
            CONFIG,
            include_imported=True,
        )
    root = etree.fromstring(data)
    indicator = next(
        el
        for el in root.iter("indicator")
        if el.findtext("title/narrative") == "Clinics open every day"
    )
    baseline = indicator.find("baseline")
    assert baseline.get("year") == "2019" and baseline.get("iso-date") is None
    assert indicator.findtext("period/target/comment/narrative") == "two new clinics in the north"
    assert indicator.find(f"title/narrative[@{IATI}='fr']").text == "Centres ouverts chaque jour"
    spanish = indicator.find(f"description/narrative[@{IATI}='es']")
    assert spanish is not None and spanish.text == "Clínicas abiertas todos los días"


def test_a_date_given_for_a_year_only_baseline_replaces_the_year(app, me):  # noqa: F811
    _import(app)
    fields = _fields(me.get(PATH).get_data(as_text=True))
    fields["baseline_date"] = "2019-06-30"
    fields["target_comments-0-comment"] = "three new clinics"
    fields["other_languages-0-text"] = ""
    response = me.post(PATH, data={**fields, "csrf_token": csrf_token(me, PATH)})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    ind = _stored(app)
    assert ind.baseline is not None and ind.baseline.date is not None
    assert (ind.baseline.date.isoformat(), ind.baseline.year) == ("2019-06-30", None)
    assert ind.targets[0].comment == "three new clinics"
    assert [o[:2] for o in ind.other_languages] == [("definition", "es")]
