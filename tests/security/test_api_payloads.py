"""Hostile JSON to every API write call, as every role, on both engines: never a 5xx, never
a traceback, always a JSON answer, and nothing stored for a refused payload.

The API has one write call, ``POST /api/measurements`` (the rest of the API reads). Its
payloads come from two places: a corpus of known attacks (sizes, nesting, numbers JSON cannot
hold, texts beyond their limits) and hypothesis, which sends both arbitrary JSON and
submissions of the right shape with hostile values.
"""

from __future__ import annotations

import json
import math

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import ROLE_USERS, AuthActions, english_client
from web.json_body import API_MAX_BYTES

URL = "/api/measurements"
ROLES = ["anonymous", *ROLE_USERS]
#: What a write may answer: done, nothing to do, refused (and why), or too large.
ANSWERS = {200, 201, 400, 401, 403, 404, 409, 413}


def _client(app, role: str) -> tuple[FlaskClient, str]:
    """A client signed in as ``role`` (or nobody) and the CSRF token its POSTs carry."""
    client = english_client(app)
    if role != "anonymous":
        AuthActions(client).login_as(role)
        token = client.get("/api/session").get_json()["csrf_token"]
    else:
        from tests.web.conftest import csrf_token

        token = csrf_token(client)
    return client, token


def _post(client: FlaskClient, token: str, body: bytes, content_type="application/json"):
    return client.post(URL, data=body, headers={"X-CSRFToken": token, "Content-Type": content_type})


def _check(response, before: int, after: int) -> None:
    """The answer is one the API documents, as JSON, and a refusal stored nothing (409 keeps
    the refused input as a conflict copy, by design)."""
    assert response.status_code in ANSWERS, response.get_data(as_text=True)[:500]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()
    data = response.get_json()
    assert isinstance(data, dict)
    if response.status_code >= 400:
        assert data["status"] == response.status_code and data["error"]
        kept = response.status_code == 409 and data.get("kept") is True
        assert after == before + (1 if kept else 0)
    else:
        assert after in (before, before + 1)


def _valid(**overrides) -> dict:
    return {"indicator": "ind.o1", "period": "2028", "value": 3, "base_revision": 0, **overrides}


def _dumps(payload) -> bytes:
    return json.dumps(payload).encode()


#: name -> (raw body, status, a piece of the error or a problem's message)
CORPUS: dict[str, tuple[bytes, int, str]] = {
    "larger than the limit": (
        _dumps(_valid(comment="c" * (API_MAX_BYTES + 1))),
        413,
        "larger than 262,144 bytes",
    ),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, 400, "nested more than 10"),
    "nested objects": (
        b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
        400,
        "nested more than 10 levels deep",
    ),
    "NaN": (
        b'{"indicator": "ind.o1", "period": "2028", "value": NaN, "base_revision": 0}',
        400,
        "NaN is not a JSON number",
    ),
    "Infinity": (b'{"value": -Infinity}', 400, "-Infinity is not a JSON number"),
    "a float beyond doubles": (_dumps(_valid()).replace(b": 3,", b": 1e400,"), 400, "finite"),
    "an integer of 5,000 digits": (
        _dumps(_valid()).replace(b": 3,", b": " + b"9" * 5_000 + b","),
        400,
        "a whole number of more than 20 digits",
    ),
    "an integer of 4,000 digits": (  # Python reads it; no float holds it
        _dumps(_valid()).replace(b": 3,", b": " + b"9" * 4_000 + b","),
        400,
        "a whole number of more than 20 digits",
    ),
    "not UTF-8": (b'{"comment": "caf\xe9"}', 400, "not UTF-8"),
    "not JSON": (b"{'indicator': 'ind.o1'}", 400, "not valid JSON"),
    "empty": (b"", 400, "not valid JSON"),
    "a list": (b"[1, 2, 3]", 400, "send a JSON object"),
    "a comment too long": (_dumps(_valid(comment="c" * 2_001)), 400, "at most 2,000 characters"),
    "a narrative too long": (
        _dumps(_valid(narrative="n" * 10_001)),
        400,
        "at most 10,000 characters",
    ),
    "a huge indicator code": (_dumps(_valid(indicator="i" * 201)), 400, "at most 200"),
    "too much evidence": (_dumps(_valid(evidence=["e"] * 51)), 400, "at most 50 entries"),
    "too many parts": (
        _dumps(_valid(parts=[{"dims": {"sex": "f"}, "value": 1}] * 1_001)),
        400,
        "at most 1,000 parts",
    ),
    "too many dimensions": (
        _dumps(_valid(parts=[{"dims": {f"d{i}": "x" for i in range(11)}, "value": 1}])),
        400,
        "at most 10 dimensions",
    ),
    "a boolean revision": (_dumps(_valid(base_revision=True)), 400, "base_revision"),
    "a negative revision": (_dumps(_valid(base_revision=-1)), 400, "base_revision"),
    "an unknown field": (_dumps(_valid(__proto__={"admin": True})), 400, "unknown field"),
    "a string value": (_dumps(_valid(value="12")), 400, "a finite number"),
    "a NUL in the period": (_dumps(_valid(period="2028\x00")), 404, "is not one of the periods"),
}


@pytest.fixture
def me_client(engine_app):
    return _client(engine_app, "me_officer")


@pytest.mark.parametrize("name", CORPUS)
def test_each_hostile_payload_is_refused_clearly(engine_app, me_client, revisions, name):
    body, status, expected = CORPUS[name]
    client, token = me_client
    before = revisions()
    response = _post(client, token, body)
    _check(response, before, revisions())
    assert response.status_code == status, response.get_json()
    data = response.get_json()
    problems = data.get("problems", [])
    messages = [data["error"], *(f"{p['field']}: {p['message']}" for p in problems)]
    assert any(expected in m for m in messages), messages


def test_the_wrong_content_type_is_refused(engine_app, me_client, revisions):
    client, token = me_client
    before = revisions()
    response = _post(client, token, _dumps(_valid()), content_type="text/plain")
    _check(response, before, revisions())
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.get_json()["problems"][0]["message"]


def test_a_valid_submission_still_goes_through(engine_app, me_client, revisions):
    client, token = me_client
    response = _post(client, token, _dumps(_valid(evidence=["e"] * 50, comment="c" * 2_000)))
    assert response.status_code == 201 and revisions() == 1


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=5),
    max_leaves=25,
)  # fmt: skip
_hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["ind.o1", "ind.o2", "2028", "2027", "2040", "", " ", "\x00", "../../etc"]),
)
_hostile_number = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.sampled_from([0, -1, 1e308, -1e308, 5e-324, 1e-320, math.inf, math.nan]),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
)
_submissions = st.fixed_dictionaries(
    {"indicator": _hostile_text, "period": _hostile_text},
    optional={
        "base_revision": _hostile_number,
        "action": st.sampled_from(["submit", "save", "approve", "", 1]),
        "value": _hostile_number,
        "numerator": _hostile_number,
        "denominator": _hostile_number,
        "level": _hostile_text,
        "narrative": _hostile_text,
        "comment": _hostile_text,
        "reason": _hostile_text,
        "evidence": st.lists(_hostile_text, max_size=3) | _json_values,
        "parts": st.lists(
            st.fixed_dictionaries(
                {"dims": st.dictionaries(_hostile_text, _hostile_text, max_size=3)},
                optional={
                    "value": _hostile_number,
                    "numerator": _hostile_number,
                    "denominator": _hostile_number,
                    "level": _hostile_text,
                },
            ),
            max_size=3,
        )
        | _json_values,
    },
)
# Submissions of the right shape (ind.o1 takes a number, ind.o2 a percentage), so that hostile
# numbers and texts reach the workflow and the store.
_numbers = st.one_of(st.floats(), st.integers(-(2**70), 2**70), st.sampled_from([0, 1e308]))
_extras = {
    "action": st.sampled_from(["submit", "save"]),
    "comment": st.text(max_size=50),
    "evidence": st.lists(st.text(max_size=20), max_size=3),
    "reason": st.text(max_size=20),
}
_common = {"period": st.sampled_from(["2027", "2028", "2031"]), "base_revision": st.integers(0, 3)}
_near_valid = st.one_of(
    st.fixed_dictionaries(
        {**_common, "indicator": st.just("ind.o1"), "value": _numbers}, optional=_extras
    ),
    st.fixed_dictionaries(
        {**_common, "indicator": st.just("ind.o2"), "numerator": _numbers, "denominator": _numbers},
        optional=_extras,
    ),
)
_payloads = st.one_of(_json_values, _submissions, _near_valid)


@pytest.mark.parametrize("role", ROLES)
def test_any_payload_as_any_role_gets_a_clear_answer(engine_app, revisions, role):
    client, token = _client(engine_app, role)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_payloads)
    def post_anything(payload):
        before = revisions()
        response = _post(client, token, json.dumps(payload).encode())
        _check(response, before, revisions())
        if role in ("anonymous", "viewer"):
            assert response.status_code in (400, 401, 403)

    post_anything()


def _write_endpoints(app) -> list[str]:
    """Every API address that takes a POST, PUT, PATCH or DELETE (those with no variable part)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        and not rule.arguments
    )


def test_the_measurement_call_is_among_the_write_endpoints_found(engine_app):
    assert URL in _write_endpoints(engine_app)


@pytest.mark.parametrize("role", ROLES)
def test_every_write_endpoint_answers_arbitrary_json_without_a_5xx(engine_app, role):
    client, token = _client(engine_app, role)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.sampled_from(_write_endpoints(engine_app)), _json_values)
    def post_anything(url, payload):
        response = client.post(
            url, data=json.dumps(payload), headers={"X-CSRFToken": token},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        assert isinstance(response.get_json(), dict)

    post_anything()
