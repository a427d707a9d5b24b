"""Every way a number enters the system, under two properties (issues 12 and 14):

1. any number, finite or not (floats with inf, nan, -0.0, subnormals, 1e308; integers of
   400 digits, as text), is stored finite (and exactly as written) or refused;
2. a number written in either language's format is read exactly or refused, never scaled: a
   text that is another number in the other format is never stored without being shown
   first (the form) or refused (an import).

The entry points: the update form (Dutch and English), the JSON API, CSV and XLSX imports,
plan files, indicator definition files and IATI files.
"""

from __future__ import annotations

import json
import math
import re
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import importer
from indicators.definitions import loads as load_indicators
from indicators.errors import IndicatorsInvalid
from indicators.iati_config import parse_config
from indicators.iati_export import export_bytes
from indicators.iati_import import analyse
from indicators.model import MeasurementValue, Revision
from indicators.records import revisions_to_frame
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from tests.toc.test_numbers import _grouped
from tests.web.conftest import AuthActions, csrf_token
from toc.errors import PlanError, PlanInvalid
from toc.numbers import DUTCH, ENGLISH, write_number
from toc.planfile import dumps, loads
from web.store import get_store

#: Any number: floats of every kind, the edges of the float range, integers beyond it.
anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 5e-324, -0.0, 0.0]),
    st.integers(-(10**400), 10**400),
    st.sampled_from([10**400, -(10**400), 2**1024, 2**1024 - 2**970]),
)
finite = st.floats(allow_nan=False, allow_infinity=False)
SLOW = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def storable(x) -> bool:
    """Whether ``x`` can be stored as a float (the only numbers that may be)."""
    try:
        return math.isfinite(float(x))
    except OverflowError:
        return False


def same(stored: float, x) -> bool:
    """``stored`` is exactly the number ``x`` (an integer: its correctly rounded float)."""
    return math.isfinite(stored) and stored == float(x) + 0.0


def text_of(x, fmt=ENGLISH) -> str:
    """``x`` as a person or a program would write it in ``fmt``."""
    if isinstance(x, int):
        return str(x)
    return write_number(x, fmt) if math.isfinite(x) else repr(x)


# -- the update form ---------------------------------------------------------------------------


def _form(app, client, path: str, period: str, text: str) -> tuple[str, float | None]:
    """Type ``text`` into the value form: ("saved", value), ("shown", None) when the form asks
    to confirm how it was read, or ("refused", None)."""
    with app.app_context():
        history = get_store().measurement_revisions("ind.o1", period)
    base = str(history[-1].revision if history else 0)
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "value": text,
                                       "base_revision": base, "save": "1"})  # fmt: skip
    if response.status_code == 302:
        with app.app_context():
            return "saved", get_store().measurement_revisions("ind.o1", period)[-1].value.value
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return ("shown" if 'id="read-as"' in page else "refused"), None


def _confirm(app, client, path: str, period: str, text: str) -> float:
    """Type ``text``, confirm how it was read, and return what was stored."""
    page = client.get(path)
    assert page.status_code == 200
    token = csrf_token(client, path)
    with app.app_context():
        history = get_store().measurement_revisions("ind.o1", period)
    base = str(history[-1].revision if history else 0)
    data = {"csrf_token": token, "value": text, "base_revision": base, "save": "1"}
    first = client.post(path, data=data).get_data(as_text=True)
    confirmed = re.search(r'name="confirmed" type="hidden" value="([0-9a-f]+)"', first).group(1)
    assert client.post(path, data={**data, "confirmed": confirmed}).status_code == 302
    with app.app_context():
        return get_store().measurement_revisions("ind.o1", period)[-1].value.value


@pytest.fixture
def officer(app):
    client = app.test_client()
    AuthActions(client).login_as("me_officer")
    return client


@SLOW
@given(anything, st.sampled_from(["nl", "en"]))
def test_the_form_stores_any_number_finite_or_refuses_it(app, officer, x, lang):
    officer.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    fmt = DUTCH if lang == "nl" else ENGLISH
    path = "/indicators/ind.o1/2028/edit"
    outcome, stored = _form(app, officer, path, "2028", text_of(x, fmt))
    if outcome == "shown":
        stored, outcome = _confirm(app, officer, path, "2028", text_of(x, fmt)), "saved"
    if outcome == "saved":
        assert storable(x) and same(stored, x), (x, stored)
    else:
        assert outcome == "refused"
        assert not storable(x) or len(text_of(x, fmt)) > 40  # the field takes 40 characters


@SLOW
@given(finite, st.sampled_from(["nl", "en"]), st.booleans(), st.booleans())
def test_the_form_never_scales_a_number_written_in_either_format(app, officer, x, lang, other,
                                                                 grouped):  # fmt: skip
    officer.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    mine = DUTCH if lang == "nl" else ENGLISH
    fmt = (ENGLISH if mine is DUTCH else DUTCH) if other else mine
    text = _grouped(x, fmt) if grouped else write_number(x, fmt)
    if len(text) > 40:
        return
    outcome, stored = _form(app, officer, "/indicators/ind.o1/2029/edit", "2029", text)
    if outcome == "saved":
        assert same(stored, x), (text, stored)  # saved at once only when read exactly
    elif not other:
        assert outcome == "shown"  # in the user's own format it is never refused
        assert same(_confirm(app, officer, "/indicators/ind.o1/2029/edit", "2029", text), x)


# -- the JSON API ------------------------------------------------------------------------------


@SLOW
@given(anything)
def test_the_api_stores_any_number_finite_or_refuses_it(app, officer, x):
    session = officer.get("/api/session").get_json()
    with app.app_context():
        history = get_store().measurement_revisions("ind.o1", "2030")
    body = (
        '{"indicator": "ind.o1", "period": "2030", "action": "save", "base_revision": '
        f'{history[-1].revision if history else 0}, "value": {json.dumps(x)}}}'
    )
    response = officer.post("/api/measurements", data=body, content_type="application/json",
                            headers={"X-CSRFToken": session["csrf_token"]})  # fmt: skip
    if response.status_code in (200, 201):
        stored = response.get_json()["revision"]["value"]["value"]
        assert storable(x) and same(stored, x)
    else:
        assert response.status_code == 400 and not storable(x)


def test_the_api_refuses_a_percentage_beyond_the_float_range(app, officer):
    session = officer.get("/api/session").get_json()
    body = {"indicator": "ind.o2", "period": "2028", "base_revision": 0, "numerator": 1e308,
            "denominator": 1e-320}  # fmt: skip
    response = officer.post("/api/measurements", json=body,
                            headers={"X-CSRFToken": session["csrf_token"]})  # fmt: skip
    assert response.status_code == 400


# -- imports -----------------------------------------------------------------------------------


def _csv_value(istore, tmp_path, text: str, decimal: str) -> tuple[bool, float | None]:
    path = tmp_path / "n.csv"
    sep = ";" if decimal == "," else ","
    path.write_text(f'indicator{sep}period{sep}value\nind.count{sep}2027{sep}"{text}"\n', "utf-8")
    report = importer.check_file(istore, path, author="t", role="me_officer", decimal=decimal)
    if report.errors:
        return False, None
    return True, float(report.revisions["value"].iloc[0])


@pytest.fixture
def istore(tmp_path):
    from graphdb.ladybug_store import LadybugStore

    store = LadybugStore(tmp_path / "i.lbug")
    store.save_plan(small_plan(), author="t")
    store.save_indicators(small_indicators(), author="t", now=T0)
    yield store
    store.close()


@SLOW
@given(anything, st.sampled_from([",", "."]))
def test_a_csv_import_stores_any_number_finite_or_refuses_it(istore, tmp_path, x, decimal):
    ok, stored = _csv_value(istore, tmp_path, text_of(x, DUTCH if decimal == "," else ENGLISH),
                            decimal)  # fmt: skip
    assert ok == storable(x) and (not ok or same(stored, x)), (x, stored)


@SLOW
@given(finite, st.sampled_from([",", "."]), st.booleans(), st.booleans())
def test_a_csv_import_never_scales_a_number_written_in_either_format(
    istore, tmp_path, x, decimal, other, grouped
):
    """With the decimal mark given; a file whose mark is detected refuses the ambiguous texts
    (tests/indicators/test_numbers.py)."""
    mine = DUTCH if decimal == "," else ENGLISH
    fmt = (ENGLISH if mine is DUTCH else DUTCH) if other else mine
    text = _grouped(x, fmt) if grouped else write_number(x, fmt)
    ok, stored = _csv_value(istore, tmp_path, text, decimal)
    if not other:
        assert ok and same(stored, x)
    elif ok and not same(stored, x):
        # Only a single group mark before exactly three digits reads as another number.
        assert re.fullmatch(r"-?[0-9]{1,3}[.,][0-9]{3}", text), (text, stored)


@SLOW
@given(anything)
def test_an_xlsx_import_stores_any_number_finite_or_refuses_it(istore, tmp_path, x):
    path = tmp_path / "n.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator", "period", "value"])
    ws.append(["ind.count", "2027", 1])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b'<c r="C2" t="n"><v>1</v>', f'<c r="C2" t="n"><v>{text_of(x)}</v>'.encode()
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    report = importer.check_file(istore, path, author="t", role="me_officer")
    if report.errors:
        assert not storable(x)
    else:
        assert storable(x) and same(float(report.revisions["value"].iloc[0]), x)


# -- plan and indicator files ------------------------------------------------------------------


def _yaml(x) -> str:
    if isinstance(x, float) and math.isnan(x):
        return ".nan"
    if isinstance(x, float) and math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    return text_of(x)


def _plan_with_amount(text: str) -> str:
    node = f"  BudgetLine:\n  - id: b1\n    title: {{en: Total}}\n    category: total\n" \
           f"    year: 2027\n    amount: {text}\n"  # fmt: skip
    return dumps(small_plan()).replace("nodes:\n", "nodes:\n" + node, 1)


@settings(max_examples=80, deadline=None)
@given(anything)
def test_a_plan_file_stores_any_amount_finite_or_refuses_it(x):
    try:
        plan = loads(_plan_with_amount(_yaml(x)))
    except PlanInvalid as e:
        assert not storable(x), e
        assert any("amount" in i.message for i in e.issues)
        return
    except PlanError as e:  # refused as the file is read: no store can hold it at all
        assert not storable(x) and "digits" in str(e), e
        return
    assert storable(x) and same(plan.get("b1").props["amount"], x)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["1.234,5", "0,75", "12,5", "1,234.5", "010", "1:30", "0x1F", "1_0"]))
def test_a_plan_file_reads_no_number_in_another_form(text):
    with pytest.raises(PlanInvalid, match="field 'amount': "):
        loads(_plan_with_amount(text))


INDICATOR = """
format: toc-indicators/1
indicators:
  - code: ind.n
    measures: [so1.o1]
    title: {{en: N}}
    type: number
    direction: maintain
    baseline: {{value: {value}, date: 2026-12-31}}
    end_target: {{value: 3}}
"""


@settings(max_examples=80, deadline=None)
@given(anything)
def test_an_indicator_file_stores_any_baseline_finite_or_refuses_it(x):
    try:
        found = load_indicators(INDICATOR.format(value=_yaml(x)), plan=small_plan())
    except IndicatorsInvalid as e:
        assert not storable(x), e
        assert any("baseline value" in i.message or "digits" in i.message for i in e.issues)
        return
    assert storable(x) and same(found.indicators[0].baseline.value, x)


# -- IATI files --------------------------------------------------------------------------------

_CONFIG = parse_config(
    {"activity_identifier": "XM-TEST-ORG-1",
     "reporting_org": {"ref": "XM-TEST-ORG", "type": "22", "name": {"en": "Org"}}}
)  # fmt: skip
_COUNT = small_indicators()[0]
_BASE = export_bytes(
    small_plan(),
    [_COUNT],
    revisions_to_frame(
        [Revision("ind.count", "2027", 1, "approved", MeasurementValue(value=123456.0), "a", T0)]
    ),
    _CONFIG,
)


@settings(max_examples=60, deadline=None)
@given(anything)
def test_an_iati_file_stores_any_actual_finite_or_refuses_it(x):
    assert b'<actual value="123456">' in _BASE
    text = text_of(x)
    data = _BASE.replace(b'<actual value="123456">', f'<actual value="{text}">'.encode())
    report = analyse(data, "a.xml", small_plan(), [], [], author="t")
    if report.errors:
        assert not storable(x) or "e" in text.lower()  # xsd:decimal has no exponent
        return
    (revision,) = [r for r in report.revisions if r.key == ("ind.count", "2027")]
    assert storable(x) and same(revision.value.value, x)
