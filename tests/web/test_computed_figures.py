"""Computed figures on the indicator page (the expected value) at the indicator's precision, in
the page's number format: no binary noise, a percentage with one decimal."""

from __future__ import annotations

from flask_babel import force_locale

from tests.indicators.conftest import small_indicators
from tests.web.conftest import make_app


def render(app, ind, number, lang):
    with app.test_request_context("/"), force_locale(lang):
        macro = app.jinja_env.get_template("indicators/_macros.html").module.computed_text
        return str(macro(ind, number)).strip()


def test_expected_values_show_the_indicators_precision(store_path):
    app = make_app(store_path)
    count = next(i for i in small_indicators() if i.code == "ind.count")  # whole numbers
    share = next(i for i in small_indicators() if i.code == "ind.pct")
    assert render(app, count, 434.99999999999994, "en") == "435"
    assert render(app, count, 1379829.0, "nl") == "1.379.829"
    assert render(app, share, 48.568075117370896, "nl") == "48,6 %"
    assert render(app, share, 48.568075117370896, "en") == "48.6 %"
    assert render(app, count, None, "en") == "—"
