"""The JSON API: the plan, its nodes and links, pathways and statuses; described by the OpenAPI
document at ``/api/openapi.json`` (:mod:`web.openapi`).

Access rules are the pages': a signed-in session (the app's cookie) with a role that may read;
an anonymous call gets 401 as JSON. Texts come in both languages, as ``{"nl": ..., "en": ...}``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from toc.analysis import NodeNotFound, pathways
from toc.document import encode_value
from toc.illustrative import notice
from toc.kinds import CAUSAL_KINDS, COMMON_NODE_FIELDS, EDGE_KINDS, NODE_KINDS
from toc.model import Edge, Node
from web.access import public, requires
from web.i18n import current_lang
from web.node_context import shared_node_context
from web.openapi import openapi_document
from web.statuses import current_statuses, shows_illustrative_data
from web.store import current_plan, get_store

__all__ = ["bp", "edge_json", "node_json"]

bp = Blueprint("api", __name__, url_prefix="/api")


def node_json(node: Node) -> dict[str, Any]:
    """A node as JSON: id, kind, title, description and its kind's fields."""
    out: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "title": encode_value(COMMON_NODE_FIELDS["title"], node.title),
        "description": encode_value(COMMON_NODE_FIELDS["description"], node.description),
    }
    specs = NODE_KINDS[node.kind].fields
    out["fields"] = {k: encode_value(specs[k], v) for k, v in node.props.items() if k in specs}
    if node.source:
        out["source"] = node.source
    return out


def edge_json(edge: Edge) -> dict[str, Any]:
    """A link as JSON: kind, source, target and its kind's fields."""
    specs = EDGE_KINDS[edge.kind].fields
    return {
        "kind": edge.kind,
        "source": edge.source,
        "target": edge.target,
        "fields": {k: encode_value(specs[k], v) for k, v in edge.props.items() if k in specs},
    }


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI 3 description of this API (no data, so anyone may read it)."""
    return jsonify(openapi_document())


@bp.route("/plan")
@requires("read")
def plan_summary() -> Response:
    """The plan node, the plan version and how many nodes and links of each kind it has."""
    plan = current_plan()
    counts: dict[str, int] = {}
    for n in plan.nodes:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    links: dict[str, int] = {}
    for e in plan.edges:
        links[e.kind] = links.get(e.kind, 0) + 1
    root = plan.root
    return jsonify(
        version=get_store().plan_version(),
        plan=node_json(root) if root else None,
        nodes=counts,
        links=links,
    )


@bp.route("/nodes")
@requires("read")
def nodes() -> Response:
    """All nodes, or those of one kind (``?kind=Objective``)."""
    kind = request.args.get("kind")
    if kind is not None and kind not in NODE_KINDS:
        abort(400, description=f"unknown kind {kind!r}")
    plan = current_plan()
    return jsonify(nodes=[node_json(n) for n in plan.nodes if kind is None or n.kind == kind])


@bp.route("/nodes/<node_id>")
@requires("read")
def node(node_id: str) -> Response:
    """One node with its links in and out, and its status."""
    plan = current_plan()
    try:
        ctx = shared_node_context(plan, node_id)
    except NodeNotFound:
        abort(404, description=f"no node with id {node_id!r}")
    out = [edge_json(e) for e in plan.edges if e.source == node_id]
    into = [edge_json(e) for e in plan.edges if e.target == node_id]
    return jsonify(
        node=node_json(ctx.node),
        status=current_statuses().get(node_id, "no_data"),
        links_out=out,
        links_in=into,
        language_variances=[n.id for n in ctx.variances],
    )


@bp.route("/edges")
@requires("read")
def edges() -> Response:
    """All links, or those of one kind (``?kind=CONTRIBUTES_TO``)."""
    kind = request.args.get("kind")
    if kind is not None and kind not in EDGE_KINDS:
        abort(400, description=f"unknown kind {kind!r}")
    plan = current_plan()
    return jsonify(edges=[edge_json(e) for e in plan.edges if kind is None or e.kind == kind])


@bp.route("/pathways")
@requires("read")
def pathway_list() -> Response:
    """Every pathway from ``source`` up to ``target`` (or to every strategic objective and SDG
    it reaches), as lists of node ids."""
    source = request.args.get("source")
    target = request.args.get("target") or None
    if not source:
        abort(400, description="give the source node: ?source=ID")
    try:
        found = pathways(current_plan(), source, target)
    except NodeNotFound as e:
        abort(404, description=str(e))
    return jsonify(source=source, target=target, pathways=found)


@bp.route("/statuses")
@requires("read")
def statuses() -> Response:
    """The status of every node of the causal chain (``no_data`` when unknown); statuses
    computed from illustrative data say so (``illustrative`` and a ``notice``)."""
    plan = current_plan()
    known = current_statuses()
    body: dict = {
        "statuses": {
            n.id: known.get(n.id, "no_data") for n in plan.nodes if n.kind in CAUSAL_KINDS
        },
        "illustrative": shows_illustrative_data(),
    }
    if body["illustrative"]:
        body["notice"] = notice(current_lang())
    return jsonify(body)
