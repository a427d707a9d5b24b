"""Custom periods on the web pages: defined in the indicator form, shown on the indicator
page, and overlaps refused next to the field, in both languages."""

from __future__ import annotations

from tests.web.test_definition_pages import NEW, _post, _stored, me  # noqa: F401 (fixture)

CUSTOM = {
    **NEW,
    "frequency": "custom",
    "periods": "2027-07-06..2027-09-06\n2027-09-07..2027-12-31",
    "targets": "2027-07-06..2027-09-06: 6",
}


def test_define_an_indicator_with_custom_periods(app, me):  # noqa: F811
    response = _post(me, "/plan/indicators/new", **CUSTOM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    ind = _stored(app)[0]["ind.s1"]
    assert [p.id for p in ind.periods] == ["2027-07-06..2027-09-06", "2027-09-07..2027-12-31"]
    page = me.get("/indicators/ind.s1").get_data(as_text=True)
    assert "2027-09-07..2027-12-31" in page
    form = me.get("/plan/indicators/ind.s1").get_data(as_text=True)
    assert "2027-07-06..2027-09-06\n2027-09-07..2027-12-31" in form


def test_overlapping_periods_are_refused_next_to_the_field(app, me):  # noqa: F811
    overlapping = {**CUSTOM, "periods": "2027-07-06..2027-09-06\n2027-09-01..2027-12-31"}
    page = _post(me, "/plan/indicators/new", **overlapping).get_data(as_text=True)
    assert "overlap" in page and "ind.s1" not in _stored(app)[0]
    assert 'id="periods"' in page
    me.get("/language/nl")
    dutch = me.get("/plan/indicators/new").get_data(as_text=True)
    assert "Eigen periodes" in dutch
