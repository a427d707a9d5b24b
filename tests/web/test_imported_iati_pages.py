"""What an IATI import keeps shows on the pages: a baseline given by year only as that year
(no day invented), the activity's status and dates on the Plan node, in both languages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from indicators.iati_import import check_file, commit
from tests.web.test_definition_pages import me  # noqa: F401 (fixture)
from toc.model import Plan
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


def test_the_plan_node_shows_the_activity_status_and_dates_in_both_languages(app, me):  # noqa: F811
    # What an import that starts the plan keeps (tests/indicators/test_iati_roundtrip.py).
    facts = {"iati_activity_status": "3", "iati_planned_end": "2023-06-30"}
    with app.app_context():
        store = get_store()
        plan = store.load_plan()
        root = replace(plan.root, props={**plan.root.props, **facts})
        nodes = [root if n.id == root.id else n for n in plan.nodes]
        store.save_plan(Plan.of(nodes, plan.edges), author="t")
        plan_id = root.id
    page = me.get(f"/nodes/{plan_id}").get_data(as_text=True)
    assert "IATI planned end" in page and "2023-06-30" in page
    me.get("/language/nl")
    dutch = me.get(f"/nodes/{plan_id}").get_data(as_text=True)
    assert "IATI gepland einde" in dutch and "IATI-status van de activiteit" in dutch
