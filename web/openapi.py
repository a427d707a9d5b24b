"""The OpenAPI 3.1 document of the JSON API (:mod:`web.api`), built from the plan vocabulary
so node and link kinds listed in it are always the ones the app knows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.render import STATUS_STYLE
from web.openapi_indicators import add_indicator_api

__all__ = ["openapi_document"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "401": _json(_ref("Error"), "Not signed in"),
    "403": _json(_ref("Error"), "The account's role may not do this"),
}


def _get(
    summary: str,
    ok: dict[str, Any],
    params: list[dict[str, Any]] | None = None,
    errors: tuple[str, ...] = (),
) -> dict[str, Any]:
    responses = {"200": ok, **_ERRORS}
    for code in errors:
        responses[code] = _json(_ref("Error"), {"400": "Bad parameter", "404": "Not found"}[code])
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


def _query(
    name: str, description: str, required: bool = False, enum: Iterable[str] | None = None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = list(enum)
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def openapi_document() -> dict[str, Any]:
    """The API description as a JSON-ready dict."""
    text = {
        "type": "object",
        "description": "A text in Dutch and English; either may be missing.",
        "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
        "additionalProperties": False,
    }
    node = {
        "type": "object",
        "required": ["id", "kind", "title", "description", "fields"],
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": list(NODE_KINDS)},
            "title": _ref("Text"),
            "description": _ref("Text"),
            "fields": {"type": "object", "description": "The fields of the node's kind"},
            "source": {"type": "string", "description": "Where in the plan it comes from"},
        },
    }
    edge = {
        "type": "object",
        "required": ["kind", "source", "target", "fields"],
        "properties": {
            "kind": {"type": "string", "enum": list(EDGE_KINDS)},
            "source": {"type": "string"},
            "target": {"type": "string"},
            "fields": {"type": "object"},
        },
    }
    status = {"type": "string", "enum": list(STATUS_STYLE)}
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    return add_indicator_api(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Pathways API",
                "version": "1",
                "description": "Read the theory of change and its progress statuses. Sign in "
                "through the web app first: calls use its session cookie and the same roles.",
            },
            "servers": [{"url": "/"}],
            "security": [{"session": []}],
            "paths": {
                "/api/plan": _get(
                    "The plan node, version and counts",
                    _json(
                        {
                            "type": "object",
                            "properties": {
                                "version": {"type": "integer"},
                                "plan": {"oneOf": [_ref("Node"), {"type": "null"}]},
                                "nodes": counts,
                                "links": counts,
                            },
                        },
                        "The plan",
                    ),
                ),
                "/api/nodes": _get(
                    "All nodes, or those of one kind",
                    _json(
                        {
                            "type": "object",
                            "properties": {"nodes": {"type": "array", "items": _ref("Node")}},
                        },
                        "Nodes",
                    ),
                    [_query("kind", "Only nodes of this kind", enum=NODE_KINDS)],
                    ("400",),
                ),
                "/api/nodes/{node_id}": {
                    "parameters": [
                        {
                            "name": "node_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    **_get(
                        "One node with its links and status",
                        _json(
                            {
                                "type": "object",
                                "properties": {
                                    "node": _ref("Node"),
                                    "status": _ref("Status"),
                                    "links_out": {"type": "array", "items": _ref("Edge")},
                                    "links_in": {"type": "array", "items": _ref("Edge")},
                                    "language_variances": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                    },
                                },
                            },
                            "The node",
                        ),
                        errors=("404",),
                    ),
                },
                "/api/edges": _get(
                    "All links, or those of one kind",
                    _json(
                        {
                            "type": "object",
                            "properties": {"edges": {"type": "array", "items": _ref("Edge")}},
                        },
                        "Links",
                    ),
                    [_query("kind", "Only links of this kind", enum=EDGE_KINDS)],
                    ("400",),
                ),
                "/api/pathways": _get(
                    "Pathways from a node up to a target, or to every strategic objective and SDG",
                    _json(
                        {
                            "type": "object",
                            "properties": {
                                "source": {"type": "string"},
                                "target": {"type": ["string", "null"]},
                                "pathways": {
                                    "type": "array",
                                    "items": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        },
                        "Pathways as lists of node ids",
                    ),
                    [
                        _query("source", "Node the pathways start from", required=True),
                        _query("target", "Node they must end at"),
                    ],
                    ("400", "404"),
                ),
                "/api/statuses": _get(
                    "The status of every node of the causal chain",
                    _json(
                        {
                            "type": "object",
                            "properties": {
                                "statuses": {
                                    "type": "object",
                                    "additionalProperties": _ref("Status"),
                                },
                                "illustrative": {
                                    "type": "boolean",
                                    "description": "The statuses are computed from "
                                    "illustrative (demonstration) indicators or values",
                                },
                                "notice": {
                                    "type": "string",
                                    "description": "What that means, in the request's "
                                    "language (only when illustrative)",
                                },
                            },
                            "required": ["statuses", "illustrative"],
                        },
                        "Statuses by node id",
                    ),
                ),
            },
            "components": {
                "securitySchemes": {
                    "session": {"type": "apiKey", "in": "cookie", "name": "pathways_session"}
                },
                "schemas": {
                    "Text": text,
                    "Node": node,
                    "Edge": edge,
                    "Status": status,
                    "Error": {
                        "type": "object",
                        "required": ["error", "status"],
                        "properties": {
                            "error": {"type": "string"},
                            "status": {"type": "integer"},
                            "reason": {
                                "type": "string",
                                "description": "For a refused workflow step, the rule it "
                                "broke: period, value_required, invalid_value, transition, "
                                "note_required or returned_unedited",
                            },
                        },
                    },
                },
            },
        }
    )
