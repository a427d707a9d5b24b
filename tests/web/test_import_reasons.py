"""Every reason the importer can give has a wording on the pages, in English and in Dutch; the
import report shows the reasons in the page language."""

from __future__ import annotations

import io
import string

import pytest

from indicators.errors import ImportProblem
from indicators.import_check import number_why
from indicators.import_reasons import REASONS, Why, why
from tests.web.conftest import csrf_token
from toc.numbers import DUTCH, ENGLISH, NumberError
from web.import_reasons import WORDINGS, problem_text

_NUMBER_REASONS = ("not_a_number", "other_format", "excel_error", "too_large", "too_small",
                   "not_finite", "too_long")  # fmt: skip


def _sample(code: str) -> Why:
    """The reason ``code`` with a made-up particular for each placeholder (numbers as a
    :class:`~toc.numbers.NumberError` gives them)."""
    if code.startswith("number_") and code.removeprefix("number_") in _NUMBER_REASONS:
        return number_why(NumberError("35 projecten", code.removeprefix("number_"), DUTCH, "1,5"))
    names = {name for _, name, _, _ in string.Formatter().parse(REASONS[code]) if name}
    params: dict[str, object] = {name: f"'{name}-x'" for name in names}
    if "frequency" in names:
        params["frequency"] = "quarter"
    if "type" in names:
        params["type"] = "currency"
    if "where" in names:
        params["where"] = "[sex=f] "
    return why(code, **params)


def _texts(app, problem: ImportProblem, lang: str) -> str:
    with app.test_request_context(headers={"Accept-Language": lang}):
        return problem_text(problem)


def test_every_reason_has_a_wording_and_nothing_else_has_one():
    assert set(WORDINGS) == set(REASONS)


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_reads_in_dutch(app, code):
    problem = ImportProblem.because("s.csv", 3, "C (value)", _sample(code))
    english, dutch = _texts(app, problem, "en"), _texts(app, problem, "nl")
    assert english and dutch
    assert dutch != english, f"{code}: no Dutch wording"
    for _name, value in problem.params:  # the particulars are all shown
        if value.startswith("'") and value.endswith("-x'"):
            assert value in dutch and value in english


def test_the_english_text_of_the_domain_is_kept_for_the_command_line():
    error = NumberError("35 projecten", "not_a_number", ENGLISH)
    assert number_why(error).text == str(error)
    assert why("unknown_indicator", code="'ind.b'").text == "unknown indicator 'ind.b'"


def test_a_reason_the_page_worded_itself_is_shown_as_it_is(app):
    problem = ImportProblem("s.csv", 3, "A (indicator)", "buiten uw bereik")
    assert _texts(app, problem, "en") == "buiten uw bereik"


def test_the_import_report_words_the_problems_in_dutch(client, auth):
    auth.login_as("contributor")
    client.get("/language/nl")
    token = csrf_token(client, "/import")
    text = "indicator,period,value\nind.o1,2028,35 projecten\nind.zz,2028,3\n"
    response = client.post(
        "/import",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "waarden.csv")},
        content_type="multipart/form-data",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&#39;35 projecten&#39; is geen getal: schrijf bijvoorbeeld 12.5" in page
    assert "onbekende indicator &#39;ind.zz&#39;" in page
    assert "is not a number" not in page and "unknown indicator" not in page
    assert "Gelezen als: gescheiden door komma&#39;s, UTF-8, een decimale punt." in page


def test_a_dimension_value_problem_names_the_allowed_codes_in_the_users_language(app):
    """The file must hold the codes (female, bj); the Dutch page says what they mean rather
    than leave 'sex' and 'female' unexplained in a Dutch sentence."""
    problem = ImportProblem.because(
        "s.csv", 4, "sex",
        why("not_a_dimension_value", value="'woman'", name="sex", code="ind.x",
            values="female, male"),
    )  # fmt: skip
    assert _texts(app, problem, "nl") == (
        "'woman' is geen waarde van de kolom sex (geslacht) voor ind.x; "
        "toegelaten: female (vrouwen), male (mannen)"
    )
    assert _texts(app, problem, "en") == (
        "'woman' is not a value of the column sex for ind.x; allowed: female, male"
    )
