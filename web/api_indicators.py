"""The JSON API of indicators and measurements: read the indicators with their statuses and
periods, and submit a value, with the rules of the update form (:mod:`web.indicator_pages`).

* ``GET /api/session``: who is signed in, what they may do, and the CSRF token every ``POST``
  must carry in the ``X-CSRFToken`` header (the app's session cookie identifies the caller).
* ``GET /api/indicators`` and ``GET /api/indicators/<code>``: statuses, every period (target,
  expected and approved value, status) and the latest revision of each, whose number is the
  ``base_revision`` of the next submission.
* ``POST /api/measurements``: save (``"action": "save"``) or submit for review (the default) a
  value for one indicator and period. Contributors only within their scope (403 otherwise).
  ``base_revision`` is the revision the value was based on (0 for a new one): when another
  revision was added since, the answer is 409 with both inputs (``latest`` and ``yours``), and
  yours is kept in the history as a conflict copy, as the form does. The body is read within
  the limits of :mod:`web.json_body` (256 KB, nesting 10 levels, strict JSON) and its texts,
  evidence and parts within those below (:data:`TEXT_LIMITS`, ...): a submission beyond them
  is refused with 400 (413 for the size), naming the field, and nothing is written. Numbers
  are JSON numbers; one that is not finite, beyond the float range, or whose percentage is,
  is refused (400). To attach files, send ``multipart/form-data`` instead: the same JSON
  document as the form field ``submission`` and each file as a field ``file`` (at most
  :data:`web.value_files.MAX_FILES`, 10 MB each, the request 20 MB in all). A refused file
  (its type is found from its bytes: HTML renamed ``.pdf`` is refused) is a 400 naming it, and
  nothing is kept or written. The new value keeps the files of the latest revision, or only
  those whose sha256 the submission lists in ``files``; each file's ``url`` downloads it.
  The answer's ``warnings`` lists what the reviewer will see flagged: parts
  that do not add up and implausible values (:mod:`indicators.plausibility`), never a refusal.
* An indicator whose stored definition or counted values cannot be used (a number that is
  not finite, stored by an earlier version or directly) lists why in ``problems``, and such a
  period in its ``problem``: those values do not count.

The document at ``/api/openapi.json`` describes every answer (:mod:`web.openapi_indicators`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from indicators import system_notes
from indicators.definitions import encode_indicator, indicator_periods
from indicators.errors import ConflictError, PermissionDenied, WorkflowError
from indicators.model import Indicator, MeasurementValue, Part, Revision
from indicators.pathway_status import IndicatorStatus
from indicators.workflow import Action, apply_step, latest
from toc.attachments import Attachment
from toc.numbers import finite_problem
from web.access import PERMISSIONS, requires
from web.json_body import API_MAX_BYTES, BodyError, parse_json, read_json
from web.measurements import indicator_detail
from web.scope import concerned
from web.statuses import current_plan_status, indicator_revisions
from web.store import current_plan, get_store
from web.value_files import MAX_FILES, chosen, keep_uploads

__all__ = [
    "DIMENSION_CHARS",
    "EVIDENCE_CHARS",
    "MAX_DIMENSIONS",
    "MAX_EVIDENCE",
    "MAX_PARTS",
    "TEXT_LIMITS",
    "bp",
    "revision_json",
]

bp = Blueprint("api_indicators", __name__, url_prefix="/api")

_NUMBERS = ("value", "numerator", "denominator")
_TEXTS = ("level", "narrative", "comment", "reason")
_FIELDS = {
    "indicator", "period", "base_revision", "action", "evidence", "parts", "files", *_NUMBERS,
    *_TEXTS,
}  # fmt: skip
#: The most characters of each text of a submission: those of the update form
#: (web.indicator_pages.ValueForm), and the length of a code for the indicator and period.
TEXT_LIMITS = {"indicator": 200, "period": 200, "level": 200, "narrative": 10_000,
               "comment": 2_000, "reason": 500}  # fmt: skip
#: Evidence: links or file names, at most this many of at most this many characters.
MAX_EVIDENCE, EVIDENCE_CHARS = 50, 500
#: Parts of a disaggregated value, and dimensions per part (names and values of at most 200
#: characters, like any code).
MAX_PARTS, MAX_DIMENSIONS, DIMENSION_CHARS = 1_000, 10, 200


def _number(x: float | None) -> float | None:
    """A stored number as JSON: None for a missing one, and for one that is not finite (a
    bad stored value: JSON has no infinity; the indicator's ``problems`` say why)."""
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def value_json(value: MeasurementValue) -> dict[str, Any]:
    """A recorded value as JSON."""
    return {
        "value": _number(value.value),
        "numerator": _number(value.numerator),
        "denominator": _number(value.denominator),
        "level": value.level,
        "narrative": value.narrative,
        "comment": value.comment,
        "evidence": list(value.evidence),
        "files": [f.to_dict() for f in value.files],
        "parts": [
            {
                "dims": dict(p.dims),
                "value": _number(p.value),
                "numerator": _number(p.numerator),
                "denominator": _number(p.denominator),
                "level": p.level,
            }
            for p in value.parts
        ],
    }


def revision_json(revision: Revision | None) -> dict[str, Any] | None:
    """A revision of a measurement as JSON (None stays None)."""
    if revision is None:
        return None
    value = value_json(revision.value)
    for file in value["files"]:
        file["url"] = url_for(
            "indicators.value_file",
            code=revision.indicator,
            period=revision.period,
            revision=revision.revision,
            sha256=file["sha256"],
        )
    return {
        "indicator": revision.indicator,
        "period": revision.period,
        "revision": revision.revision,
        "status": revision.status.value,
        "value": value,
        "author": revision.author,
        "role": revision.role,
        "recorded_at": revision.recorded_at,
        "reason": system_notes.shown(revision.reason),
        "review_note": revision.review_note,
        "base_revision": revision.base_revision,
        "illustrative": revision.illustrative,
        "conflict": revision.conflict,
        "flags": [f for f in revision.flags if f != "conflict"],
    }


def _may_submit(indicator: Indicator) -> bool:
    return current_user.can("submit") and current_user.in_scope(
        concerned(current_plan(), indicator.measures)
    )


def _summary(status: IndicatorStatus) -> dict[str, Any]:
    ind = status.indicator
    return {
        "code": ind.code,
        "title": {"nl": ind.title.nl, "en": ind.title.en},
        "measures": list(ind.measures),
        "type": ind.type.value,
        "unit": ind.unit,
        "direction": ind.direction.value,
        "frequency": ind.frequency.value,
        "illustrative": status.illustrative,
        "status": status.status.value,
        "current_period": status.current.period.id if status.current else None,
        "may_submit": _may_submit(ind),
        "problems": list(status.problems),
    }


def _error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify(error=message, status=status, **extra), status


@bp.route("/session")
@requires("read")
def session() -> Response:
    """The signed-in user, what they may do, and the CSRF token for ``POST`` calls."""
    account = current_user.account
    return jsonify(
        username=account.username,
        name=account.name,
        role=account.role,
        permissions=sorted(p for p in PERMISSIONS if current_user.can(p)),
        scope={
            "partners": list(account.partners),
            "partnerships": list(account.partnerships),
            "countries": list(account.countries),
        },
        csrf_token=generate_csrf(),
    )


@bp.route("/indicators")
@requires("read")
def indicators() -> Response:
    """Every indicator with its current status."""
    result = current_plan_status()
    statuses = list(result.indicators.values())
    return jsonify(indicators=[_summary(s) for s in statuses])


@bp.route("/indicators/<code>")
@requires("read")
def indicator(code: str) -> Response:
    """One indicator: definition, status, every period with its latest revision."""
    result = current_plan_status()
    detail = indicator_detail(result, indicator_revisions(code), current_plan(), code)
    if detail is None:
        abort(404, description=f"no indicator {code!r}")
    periods = []
    for p in detail.periods:
        periods.append(
            {
                "period": p.period.id,
                "start": p.period.start.isoformat(),
                "end": p.period.end.isoformat(),
                "target": _number(p.target),
                "expected": _number(p.expected),
                "actual": _number(p.actual),
                "status": p.status.value,
                "counted_revision": p.revision,
                "problem": p.problem or None,
                "latest": revision_json(detail.latest(p.period.id)),
            }
        )
    return jsonify(
        indicator={
            **_summary(result.indicators[code]),
            "definition": encode_indicator(detail.indicator),
        },
        periods=periods,
    )


def _read_input(data: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The submission's fields, checked for their JSON types; (fields, problems)."""
    problems: list[dict[str, str]] = []

    def problem(field: str, message: str) -> None:
        problems.append({"field": field, "message": message})

    if not isinstance(data, dict):
        return {}, [{"field": "", "message": "send a JSON object"}]
    for name in sorted(set(data) - _FIELDS):
        problem(name, "unknown field")
    for name in ("indicator", "period"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            problem(name, "required text")
    base = data.get("base_revision")
    if isinstance(base, bool) or not isinstance(base, int) or base < 0:
        problem("base_revision", "required: the revision the value is based on (0 for a new one)")
    for name in _NUMBERS:
        _check_number(data.get(name), name, problem)
    for name in _TEXTS:
        if data.get(name) is not None and not isinstance(data[name], str):
            problem(name, "text")
    for name, limit in TEXT_LIMITS.items():
        if isinstance(data.get(name), str) and len(data[name]) > limit:
            problem(name, f"at most {limit:,} characters")
    evidence = data.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        problem("evidence", "a list of links or file names")
    elif len(evidence) > MAX_EVIDENCE or any(len(e) > EVIDENCE_CHARS for e in evidence):
        problem("evidence", f"at most {MAX_EVIDENCE} entries of at most {EVIDENCE_CHARS} "
                            "characters")  # fmt: skip
    files = data.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        problem("files", "a list of the sha256 of files of the latest revision to keep")
    elif len(files) > MAX_FILES:
        problem("files", f"at most {MAX_FILES} files")
    if data.get("action", "submit") not in ("submit", "save"):
        problem("action", "submit or save")
    parts = data.get("parts", [])
    if not isinstance(parts, list):
        problem("parts", "a list of {dims, value | numerator and denominator | level}")
        parts = []
    if len(parts) > MAX_PARTS:
        problem("parts", f"at most {MAX_PARTS:,} parts")
        parts = []
    for i, part in enumerate(parts):
        where = f"parts[{i}]"
        if not isinstance(part, dict):
            problem(where, "an object with dims and a value")
            continue
        for name in sorted(set(part) - {"dims", *_NUMBERS, "level"}):
            problem(f"{where}.{name}", "unknown field")
        dims = part.get("dims")
        if (
            not isinstance(dims, dict)
            or not dims
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in dims.items())
        ):
            problem(f"{where}.dims", 'required: dimension name -> value, e.g. {"sex": "female"}')
        elif len(dims) > MAX_DIMENSIONS or any(
            len(k) > DIMENSION_CHARS or len(v) > DIMENSION_CHARS for k, v in dims.items()
        ):
            problem(f"{where}.dims", f"at most {MAX_DIMENSIONS} dimensions, names and values of "
                                     f"at most {DIMENSION_CHARS} characters")  # fmt: skip
        for name in _NUMBERS:
            _check_number(part.get(name), f"{where}.{name}", problem)
        if part.get("level") is not None and (
            not isinstance(part["level"], str) or len(part["level"]) > TEXT_LIMITS["level"]
        ):
            problem(f"{where}.level", f"text of at most {TEXT_LIMITS['level']} characters")
    return data, problems


def _check_number(x: Any, field: str, problem: Callable[[str, str], None]) -> None:
    """A number field must be a JSON number (not text, not true/false) that can be stored:
    finite and within the float range (:func:`toc.numbers.finite_problem`)."""
    if x is None:
        return
    if isinstance(x, bool) or not isinstance(x, int | float):
        problem(field, "a finite number")
        return
    reason = finite_problem(x)
    if reason == "not a finite number":
        problem(field, "a finite number")
    elif reason:
        problem(field, f"a finite number ({reason})")


def _parts(data: dict[str, Any], code: str, period: str) -> tuple[Part, ...]:
    """The parts sent, or, when the submission names none, those of the latest revision: a
    client that only changes the total keeps the disaggregation it did not send."""
    if "parts" not in data:
        current = latest(get_store().measurement_revisions(code, period))
        return current.value.parts if current is not None else ()
    return tuple(
        Part(
            tuple(part["dims"].items()),
            value=_float(part.get("value")),
            numerator=_float(part.get("numerator")),
            denominator=_float(part.get("denominator")),
            level=part.get("level") or None,
        )
        for part in data["parts"]
    )


@bp.route("/measurements", methods=["POST"])
@requires("submit")
def submit() -> tuple[Response, int] | Response:
    """Save or submit a value for one indicator and period (JSON, or multipart with files)."""
    uploads = request.files.getlist("file") if request.mimetype == "multipart/form-data" else []
    try:
        body = _multipart_submission() if request.mimetype == "multipart/form-data" else read_json()
    except BodyError as e:
        return _error(400, "the submission is not valid", problems=[
            {"field": "", "message": str(e)}])  # fmt: skip
    data, problems = _read_input(body)
    if problems:
        return _error(400, "the submission is not valid", problems=problems)
    code, period = data["indicator"].strip(), data["period"].strip()
    result = current_plan_status()
    status = result.indicators.get(code)
    if status is None:
        return _error(404, f"no indicator {code!r}")
    ind = status.indicator
    if period not in {p.id for p in indicator_periods(ind)}:
        return _error(404, f"{period!r} is not one of the periods of {code}")
    if not _may_submit(ind):
        return _error(403, f"{code} is outside your scope")
    files, problems = _files(data, code, period, uploads)
    if problems:
        return _error(400, "the submission is not valid", problems=problems)
    value = MeasurementValue(
        value=_float(data.get("value")),
        numerator=_float(data.get("numerator")),
        denominator=_float(data.get("denominator")),
        level=(data.get("level") or "").strip() or None,
        narrative=(data.get("narrative") or "").strip() or None,
        parts=_parts(data, code, period),
        comment=(data.get("comment") or "").strip(),
        evidence=tuple(e.strip() for e in data.get("evidence", []) if e.strip()),
        files=files,
    )
    action = Action.SAVE if data.get("action") == "save" else Action.SUBMIT
    try:
        revision = apply_step(
            get_store(),
            code,
            period,
            action,
            author=current_user.username,
            role=current_user.role,
            base_revision=data["base_revision"],
            value=value,
            reason=(data.get("reason") or "").strip(),
        )
    except PermissionDenied as e:
        return _error(403, str(e))
    except ConflictError as e:
        return _error(
            409,
            str(e),
            latest=revision_json(e.latest),
            yours=revision_json(e.rejected),
            kept=e.kept,
        )
    except WorkflowError as e:
        return _error(400, str(e), reason=e.reason)
    if revision is None:
        current = latest(get_store().measurement_revisions(code, period))
        return jsonify(revision=revision_json(current), changed=False, warnings=[]), 200
    warnings = [f for f in revision.flags if f != "conflict"]
    return jsonify(revision=revision_json(revision), changed=True, warnings=warnings), 201


def _multipart_submission() -> Any:
    """The JSON document of a multipart submission: its form field ``submission``."""
    text = request.form.get("submission")
    if text is None:
        raise BodyError("send the submission's JSON as the form field 'submission'")
    if len(text.encode()) > API_MAX_BYTES:
        abort(413, description=f"the submission is larger than {API_MAX_BYTES:,} bytes")
    return parse_json(text)


def _files(
    data: dict[str, Any], code: str, period: str, uploads: list[Any]
) -> tuple[tuple[Attachment, ...], list[dict[str, str]]]:
    """The files of the new value: those of the latest revision (all, or those ``files``
    names) and the uploaded ones, kept beside the store; or the problems (nothing kept)."""
    current = latest(get_store().measurement_revisions(code, period))
    held = current.value.files if current is not None else ()
    if "files" in data:
        unknown = [f for f in data["files"] if f not in {h.sha256 for h in held}]
        if unknown:
            return (), [{"field": "files", "message": f"{unknown[0]!r} is not a file of the "
                         "latest revision"}]  # fmt: skip
        held = tuple(h for h in held if h.sha256 in data["files"])
    if len(held) + len(chosen(uploads)) > MAX_FILES:
        return (), [{"field": "file", "message": f"a value carries at most {MAX_FILES} files"}]
    kept, refusals = keep_uploads(uploads, current_user.username)
    if refusals:
        return (), [{"field": "file", "message": str(r)} for r in refusals]
    known = {h.sha256 for h in held}
    return (*held, *(k for k in kept if k.sha256 not in known)), []


def _float(x: Any) -> float | None:
    return None if x is None else float(x)
