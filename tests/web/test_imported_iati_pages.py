"""An indicator imported from a plain IATI file shows what the file said: a baseline given by
year only is shown as that year (no day invented)."""

from __future__ import annotations

from pathlib import Path

from indicators.iati_import import check_file, commit
from tests.web.test_definition_pages import me  # noqa: F401 (fixture)
from web.store import get_store

FILE = Path(__file__).parents[1] / "indicators/iati_files/roundtrip-comments-year.xml"
CODE = "iati.AA-AAA-123456789-RT1.r1.i1"


def test_a_year_only_baseline_is_shown_as_its_year(app, me):  # noqa: F811
    with app.app_context():
        store = get_store()
        report = check_file(store, FILE, author="iati")
        assert report.errors == [], [str(p) for p in report.errors]
        commit(store, report)
    page = me.get(f"/indicators/{CODE}").get_data(as_text=True)
    assert "(2019)" in page and "2019-12-31" not in page
