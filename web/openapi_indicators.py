"""The OpenAPI description of the indicator and measurement calls (:mod:`web.api_indicators`),
added to the API document by :func:`web.openapi.openapi_document`."""

from __future__ import annotations

from typing import Any

from indicators.model import Frequency, IndicatorType, RevisionStatus
from indicators.progress import Direction
from web.api_indicators import (
    DIMENSION_CHARS,
    EVIDENCE_CHARS,
    MAX_DIMENSIONS,
    MAX_EVIDENCE,
    MAX_PARTS,
    TEXT_LIMITS,
)
from web.json_body import API_MAX_BYTES, API_MAX_DEPTH
from web.value_files import MAX_FILES

__all__ = ["add_indicator_api"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _object(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, **extra}


_ERROR = _ref("Error")
_SIGN_IN = {
    "401": _json(_ERROR, "Not signed in"),
    "403": _json(_ERROR, "The account's role may not do this"),
}


def _schemas() -> dict[str, Any]:
    number = _nullable("number")
    parts = {
        "type": "array",
        "items": _object(
            ["dims"],
            {
                "dims": {"type": "object", "additionalProperties": {"type": "string"}},
                "value": number,
                "numerator": number,
                "denominator": number,
                "level": _nullable("string"),
            },
        ),
    }
    file = _object(
        ["sha256", "name", "media_type", "size", "added_by", "added_at"],
        {
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "name": {"type": "string"},
            "media_type": {"type": "string"},
            "size": {"type": "integer", "minimum": 1},
            "added_by": {"type": "string"},
            "added_at": {"type": "string", "description": "UTC, ISO 8601"},
            "url": {"type": "string", "description": "Where to download it (in a revision)"},
        },
    )
    value = _object(
        ["value", "numerator", "denominator", "level", "narrative", "comment", "evidence",
         "files", "parts"],
        {
            "value": number,
            "numerator": number,
            "denominator": number,
            "level": _nullable("string"),
            "narrative": _nullable("string"),
            "comment": {"type": "string"},
            "evidence": {"type": "array", "items": {"type": "string"}},
            "files": {"type": "array", "items": file},
            "parts": parts,
        },
    )  # fmt: skip
    revision = _object(
        ["indicator", "period", "revision", "status", "value", "author", "recorded_at",
         "base_revision", "conflict"],
        {
            "indicator": {"type": "string"},
            "period": {"type": "string"},
            "revision": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": [s.value for s in RevisionStatus]},
            "value": _ref("MeasurementValue"),
            "author": {"type": "string"},
            "role": {"type": "string"},
            "recorded_at": {"type": "string", "description": "UTC, ISO 8601"},
            "reason": {
                "type": "string",
                "description": "Why it was recorded: as the person typed it, or the system's "
                "note (an import, a conflict) in English words",
            },
            "review_note": {"type": "string"},
            "base_revision": {"type": "integer", "minimum": 0},
            "illustrative": {"type": "boolean"},
            "conflict": {
                "type": "boolean",
                "description": "An input kept after an edit conflict (not in the review chain)",
            },
            "flags": {"type": "array", "items": {"type": "string"}},
        },
    )  # fmt: skip
    summary = _object(
        ["code", "title", "measures", "type", "status", "may_submit"],
        {
            "code": {"type": "string"},
            "title": _ref("Text"),
            "measures": {"type": "array", "items": {"type": "string"}},
            "type": {"type": "string", "enum": [t.value for t in IndicatorType]},
            "unit": {"type": "string"},
            "direction": {"type": "string", "enum": [d.value for d in Direction]},
            "frequency": {"type": "string", "enum": [f.value for f in Frequency]},
            "illustrative": {"type": "boolean"},
            "status": _ref("Status"),
            "current_period": _nullable("string"),
            "may_submit": {
                "type": "boolean",
                "description": "Whether the signed-in user may enter values for it",
            },
            "problems": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Why a stored definition or counted value cannot be used "
                "(e.g. a number that is not finite); such values do not count",
            },
        },
    )
    period = _object(
        ["period", "start", "end", "status", "latest"],
        {
            "period": {"type": "string"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "target": number,
            "expected": number,
            "actual": {**number, "description": "The approved value that counts"},
            "status": _ref("Status"),
            "counted_revision": _nullable("integer"),
            "problem": {
                **_nullable("string"),
                "description": "Why the stored value of this period does not count",
            },
            "latest": {
                "oneOf": [_ref("Revision"), {"type": "null"}],
                "description": "The latest revision of the review chain: its number is the "
                "base_revision of the next submission",
            },
        },
    )
    submission = _object(
        ["indicator", "period", "base_revision"],
        {
            "indicator": {"type": "string", "maxLength": TEXT_LIMITS["indicator"]},
            "period": {"type": "string", "maxLength": TEXT_LIMITS["period"]},
            "base_revision": {
                "type": "integer",
                "minimum": 0,
                "description": "The revision the value is based on; 0 for a new value",
            },
            "action": {"type": "string", "enum": ["submit", "save"], "default": "submit"},
            "value": {
                "type": "number",
                "description": "Numbers and amounts of money (finite, at most about 1.8e308)",
            },
            "numerator": {"type": "number", "description": "Percentages"},
            "denominator": {"type": "number", "description": "Percentages"},
            "level": {
                "type": "string",
                "maxLength": TEXT_LIMITS["level"],
                "description": "Ordinal scales: a level code",
            },
            "narrative": {
                "type": "string",
                "maxLength": TEXT_LIMITS["narrative"],
                "description": "Narrative indicators",
            },
            "comment": {"type": "string", "maxLength": TEXT_LIMITS["comment"]},
            "evidence": {
                "type": "array",
                "maxItems": MAX_EVIDENCE,
                "items": {"type": "string", "maxLength": EVIDENCE_CHARS},
            },
            "files": {
                "type": "array",
                "maxItems": MAX_FILES,
                "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "description": "The sha256 of the files of the latest revision to keep; when "
                "left out, all are kept. Files are added with a multipart submission",
            },
            "parts": {
                **parts,
                "maxItems": MAX_PARTS,
                "description": "Disaggregated values; when left out, those of the latest "
                f"revision are kept. At most {MAX_DIMENSIONS} dimensions per part, names and "
                f"values of at most {DIMENSION_CHARS} characters",
            },
            "reason": {
                "type": "string",
                "maxLength": TEXT_LIMITS["reason"],
                "description": "Why a value changes",
            },
        },
        additionalProperties=False,
    )
    return {
        "MeasurementValue": value,
        "Revision": revision,
        "IndicatorSummary": summary,
        "PeriodStatus": period,
        "MeasurementInput": submission,
        "Session": _object(
            ["username", "role", "permissions", "scope", "csrf_token"],
            {
                "username": {"type": "string"},
                "name": {"type": "string"},
                "role": {"type": "string"},
                "permissions": {"type": "array", "items": {"type": "string"}},
                "scope": _object(
                    ["partners", "partnerships", "countries"],
                    {
                        k: {"type": "array", "items": {"type": "string"}}
                        for k in ("partners", "partnerships", "countries")
                    },
                ),
                "csrf_token": {
                    "type": "string",
                    "description": "Send it in the X-CSRFToken header of every POST",
                },
            },
        ),
        "Problem": _object(
            ["field", "message"], {"field": {"type": "string"}, "message": {"type": "string"}}
        ),
        "Conflict": _object(
            ["error", "status", "latest", "yours"],
            {
                "error": {"type": "string"},
                "status": {"type": "integer", "const": 409},
                "latest": {
                    "oneOf": [_ref("Revision"), {"type": "null"}],
                    "description": "The value recorded meanwhile",
                },
                "yours": {**_ref("Revision"), "description": "Your refused input"},
                "kept": {
                    "type": "boolean",
                    "description": "Your input was kept in the history as a conflict copy",
                },
            },
        ),
    }


def _paths() -> dict[str, Any]:
    saved = _object(
        ["revision", "changed"],
        {
            "revision": {"oneOf": [_ref("Revision"), {"type": "null"}]},
            "changed": {"type": "boolean"},
            "warnings": {
                "type": "array",
                "items": {"type": "string"},
                "description": "What the reviewer will see flagged: parts that do not add "
                "up, implausible values (a share over 100 %, a negative count, a value far "
                "beyond the plan); the value is recorded all the same",
            },
        },
    )
    bad = {
        "allOf": [
            _ERROR,
            {"properties": {"problems": {"type": "array", "items": _ref("Problem")}}},
        ]
    }
    return {
        "/api/session": {
            "get": {
                "summary": "The signed-in user, their permissions and the CSRF token",
                "responses": {"200": _json(_ref("Session"), "The session"), **_SIGN_IN},
            }
        },
        "/api/indicators": {
            "get": {
                "summary": "Every indicator with its current status",
                "responses": {
                    "200": _json(
                        _object(
                            ["indicators"],
                            {"indicators": {"type": "array", "items": _ref("IndicatorSummary")}},
                        ),
                        "Indicators",
                    ),
                    **_SIGN_IN,
                },
            }
        },
        "/api/indicators/{code}": {
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "summary": "One indicator: definition, status, periods and latest revisions",
                "responses": {
                    "200": _json(
                        _object(
                            ["indicator", "periods"],
                            {
                                "indicator": {
                                    "allOf": [
                                        _ref("IndicatorSummary"),
                                        _object(
                                            ["definition"],
                                            {
                                                "definition": {
                                                    "type": "object",
                                                    "description": "The definition in the "
                                                    "indicator file format",
                                                }
                                            },
                                        ),
                                    ]
                                },
                                "periods": {"type": "array", "items": _ref("PeriodStatus")},
                            },
                        ),
                        "The indicator",
                    ),
                    **_SIGN_IN,
                    "404": _json(_ERROR, "No such indicator"),
                },
            },
        },
        "/api/measurements": {
            "post": {
                "summary": "Save or submit a value for one indicator and period",
                "description": "Contributors only for indicators in their scope. Send the CSRF "
                "token of /api/session in the X-CSRFToken header.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("MeasurementInput")},
                        "multipart/form-data": {
                            "schema": _object(
                                ["submission"],
                                {
                                    "submission": {
                                        "type": "string",
                                        "description": "The MeasurementInput as JSON text",
                                    },
                                    "file": {
                                        "type": "array",
                                        "maxItems": MAX_FILES,
                                        "items": {"type": "string", "format": "binary"},
                                        "description": "Files to attach: PDF, PNG, JPEG, "
                                        "GIF, WebP, DOCX, XLSX, PPTX, ODT, ODS, CSV or text "
                                        "(the type is found from the bytes), 10 MB each",
                                    },
                                },
                            ),
                            "encoding": {"submission": {"contentType": "application/json"}},
                        },
                    },
                },
                "responses": {
                    "201": _json(saved, "A new revision was recorded"),
                    "200": _json(saved, "Nothing changed: the value was recorded already"),
                    "400": _json(bad, "Not a valid submission (not strict JSON, nested "
                                 f"more than {API_MAX_DEPTH} levels, a text or list beyond "
                                 "its limit, ...), a value the indicator does not take, a "
                                 "refused file (named, with why), or a missing CSRF token"),
                    "413": _json(_ERROR, f"The body is larger than {API_MAX_BYTES:,} bytes"),
                    **_SIGN_IN,
                    "404": _json(_ERROR, "No such indicator or period"),
                    "409": _json({"anyOf": [_ref("Conflict"), _ERROR]},
                                 "Another revision was recorded since base_revision: both "
                                 "inputs (Conflict); or the log kept changing while yours was "
                                 "being recorded, and nothing was written: retry (Error)"),
                },
            }
        },
    }  # fmt: skip


def add_indicator_api(doc: dict[str, Any]) -> dict[str, Any]:
    """Add the indicator calls and their schemas to the API document ``doc``."""
    doc["paths"].update(_paths())
    doc["components"]["schemas"].update(_schemas())
    return doc
