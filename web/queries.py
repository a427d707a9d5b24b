"""Evaluation queries in the web app: the catalogue by OECD-DAC criterion, a page per query
(a form for its parameters, the answer as a table, its Cypher, the part of the diagram it is
about, CSV and XLSX downloads) and a page for an evaluator's own read-only Cypher.

Everyone signed in may use them: the named queries only read, and ad-hoc Cypher that is not a
single reading statement is refused before it runs (:mod:`graphdb.cypher_guard`); it runs
read-only, where no account data is (:mod:`graphdb.credentials`), and is stopped after a
timeout, a memory limit and a row limit. Every refusal and failure is a message on the page,
in the user's language, never an error page. Running is a GET (it changes nothing), so an answer
can be bookmarked and shared; the ad-hoc page posts its text (it can be long).
"""

from __future__ import annotations

import io
import json
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from flask import Blueprint, Response, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _

from graphdb.cypher_guard import QueryRefused
from graphdb.evaluation import CRITERIA, QUERIES, EvaluationQuery, queries_by_criterion
from graphdb.evaluation.run import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIMEOUT,
    EvaluationResult,
    ParameterError,
    node_ids,
    run_cypher,
    run_query,
)
from graphdb.store import QueryMemoryExceeded, QueryTimeout, QueryTooLarge, StoreError
from indicators.export import write_frames
from toc.cli_table import cell_text
from toc.model import Plan
from toc.render import diagram_dot, render
from toc.subgraph import connecting_nodes
from web.access import requires
from web.diagrams import clean_svg, inline_svg
from web.i18n import current_lang
from web.statuses import current_plan_status, current_statuses, shows_illustrative_data
from web.store import current_plan, get_store

__all__ = ["bp"]

bp = Blueprint("queries", __name__, url_prefix="/queries")


@bp.app_template_filter("answer_cell")
def answer_cell(value: Any) -> str:
    """A number of a query answer on screen in the reader's language (grouped amounts such as
    ``1.379.829``, ``13,5``), the same rules as the command line (:mod:`toc.cli_table`)."""
    return cell_text(value, current_lang())


#: Most nodes drawn in a query's diagram (Graphviz slows down beyond; see ENGINE-NOTES).
MAX_DIAGRAM_NODES = 120
_DIAGRAM_KINDS = ("Strategy", "Output", "Outcome", "Objective", "StrategicObjective", "SDG")
_MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _query(name: str) -> EvaluationQuery:
    query = QUERIES.get(name)
    if query is None:
        abort(404)
    return query


def _given(query: EvaluationQuery) -> dict[str, str]:
    """The form's values: only parameters a user types in (statuses are computed)."""
    return {
        p.name: request.args[p.name]
        for p in query.parameters
        if not p.supplied and p.name in request.args
    }


def _run(query: EvaluationQuery) -> tuple[EvaluationResult | None, str | None]:
    """The answer to the query with the form's values, or the message why there is none."""
    try:
        result = run_query(
            get_store(),
            query.name,
            _given(query),
            plan=current_plan(),
            statuses=current_plan_status(),
        ).with_names(current_plan(), current_lang())
    except ParameterError as e:
        return None, str(e)
    except QueryRefused as e:
        return None, refusal_text(e)
    except StoreError as e:
        return None, failure_text(e)
    return result, None


@lru_cache(maxsize=32)
def _svg(dot: str) -> bytes:
    """A rendered, cleaned diagram, kept by its DOT text (rendering is the slow part)."""
    return clean_svg(render(dot, "svg"))


def _diagram(plan: Plan, result: EvaluationResult) -> Any:
    """The part of the diagram the answer names: its nodes, what connects them (everything on a
    path from one named node to another, e.g. the strategies between a partner and an SDG;
    :func:`toc.subgraph.connecting_nodes`) and the links between these."""
    connected = connecting_nodes(plan, node_ids(plan, result))
    ids = {n.id for n in plan.nodes if n.id in connected and n.kind in _DIAGRAM_KINDS}
    if not ids or len(ids) > MAX_DIAGRAM_NODES:
        return None
    keep = [n for n in plan.nodes if n.id in ids or n.kind == "Plan"]
    part = Plan.of(keep, [e for e in plan.edges if e.source in ids and e.target in ids])
    prefix = url_for("nodes.show", node_id="-")[:-1]
    dot = diagram_dot(
        part,
        current_lang(),
        statuses=current_statuses(),
        link_prefix=prefix,
        illustrative=shows_illustrative_data(),
    )
    return inline_svg(_svg(dot), _("The part of the diagram this answer is about"))


def _choices(plan: Plan, query: EvaluationQuery) -> dict[str, list[tuple[str, str]]]:
    """Options of the parameters that choose a node: (id, label) in id order."""
    lang = current_lang()
    return {
        p.name: [(n.id, n.label(lang)) for n in sorted(plan.of_kind(p.kind), key=lambda n: n.id)]
        for p in query.parameters
        if p.type == "node" and p.kind
    }


@bp.route("")
@requires("read")
def index() -> str:
    """Every evaluation query, grouped by criterion."""
    return render_template("queries/index.html", groups=queries_by_criterion(), criteria=CRITERIA)


@bp.route("/<name>")
@requires("read")
def show(name: str) -> str:
    """One query: its form; with ``run`` in the query string, also its answer."""
    query = _query(name)
    plan = current_plan()
    result = error = diagram = None
    if "run" in request.args:
        result, error = _run(query)
        if result is not None:
            diagram = _diagram(plan, result)
    return render_template(
        "queries/show.html",
        query=query,
        criteria=CRITERIA,
        choices=_choices(plan, query),
        values=_given(query),
        result=result,
        error=error,
        diagram=diagram,
        shown_params=_shown_params(result),
        cypher=query.cypher(get_store().backend),
        download_args={**_given(query)},
        plan_node=plan.get,
    )


def _shown_params(result: EvaluationResult | None) -> str:
    """The parameters as Neo4j Browser takes them (``:params {...}``)."""
    if result is None:
        return ""
    return ":params " + json.dumps(result.params, ensure_ascii=False)


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _frame(result: EvaluationResult) -> pd.DataFrame:
    """The answer as a table; one resting on illustrative data gets a last column
    ``illustrative``, true on every row (:mod:`indicators.illustrative`)."""
    rows = [[_cell(v) for v in row] for row in result.rows]
    if result.illustrative:
        return pd.DataFrame([[*r, True] for r in rows], columns=[*result.columns, "illustrative"])
    return pd.DataFrame(rows, columns=result.columns)


def _send(result: EvaluationResult, stem: str, ext: str) -> Response:
    with tempfile.TemporaryDirectory(prefix="pathways-") as tmp:
        path = Path(tmp) / f"{stem}.{ext}"
        write_frames({stem[:31]: _frame(result)}, path, illustrative=result.illustrative)
        data = path.read_bytes()
    return send_file(
        io.BytesIO(data), mimetype=_MIME[ext], as_attachment=True, download_name=path.name
    )


@bp.route("/<name>.<any(csv, xlsx):ext>")
@requires("read")
def download(name: str, ext: str) -> Response:
    """The answer to a query as CSV or XLSX."""
    query = _query(name)
    result, error = _run(query)
    if result is None:
        abort(400, error)
    return _send(result, query.name, ext)


def refusal_text(refused: QueryRefused) -> str:
    """Why a query was refused, in the user's language."""
    word = refused.word
    if refused.reason == "empty":
        return _("Type a query first.")
    if refused.reason == "unterminated":
        return _("A string, `name` or /* comment */ in the query is not closed.")
    if refused.reason == "character":
        return _(
            "The query contains the character %(code)s outside quotes. Write names in plain "
            "letters or between backticks, and text between quotes.",
            code=word,
        )
    if refused.reason == "statements":
        return _("One query at a time: this text holds %(count)s statements.", count=word)
    if refused.reason == "start":
        return _(
            "A query starts with a reading clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN "
            "or CALL); found %(word)s.",
            word=word,
        )
    if refused.reason == "procedure":
        return _(
            "Only the procedures that list the schema may be called here; found %(name)s.",
            name=word,
        )
    if refused.reason == "read_only":
        return _("Only reading queries are allowed here; the store refused to write.")
    return _("Only reading queries are allowed here; found %(clause)s.", clause=word)


def failure_text(error: StoreError) -> str:
    """Why a query that ran gave no answer, in the user's language."""
    if isinstance(error, QueryTimeout):
        return _("The query took too long and was stopped.")
    if isinstance(error, QueryMemoryExceeded):
        if error.limit_mb:
            return _(
                "The query used too much memory (limit %(mb)d MB) and was stopped.",
                mb=error.limit_mb,
            )
        return _("The query used too much memory and was stopped.")
    if isinstance(error, QueryTooLarge):
        return _(
            "The answer is larger than %(mb)d MB; return fewer rows or columns.",
            mb=error.limit_mb,
        )
    return str(error)


@bp.route("/cypher", methods=["GET", "POST"])
@requires("read")
def cypher() -> str | Response:
    """Ad-hoc read-only Cypher, with a timeout and a row limit."""
    text = (request.form.get("cypher") or "").strip()
    result = error = None
    if request.method == "POST" and text:
        try:
            result = run_cypher(
                get_store(),
                text,
                timeout=DEFAULT_TIMEOUT,
                row_limit=DEFAULT_ROW_LIMIT,
                statuses=current_plan_status(),
            )
        except QueryRefused as e:
            error = refusal_text(e)
        except StoreError as e:
            error = failure_text(e)
        if result is not None and request.form.get("download") in _MIME:
            return _send(result, "pathways-query", request.form["download"])
    if result is not None:
        rows = [tuple(_cell(v) for v in row) for row in result.rows]
        result = EvaluationResult(None, result.cypher, {}, result.columns, rows, result.truncated)
    return render_template(
        "queries/cypher.html",
        text=text,
        result=result,
        error=error,
        row_limit=DEFAULT_ROW_LIMIT,
        timeout=DEFAULT_TIMEOUT,
        plan_node=current_plan().get,
    )
