"""`toc query ...`: the evaluation queries from the command line (list, show, run) and an
evaluator's own read-only Cypher, with a timeout and a row limit.

Exit codes: 0 success, 1 the store or the query failed (timeout, refused write), 2 wrong usage
(unknown query or parameter, a value of the wrong type).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.options import lang_option
from graphdb.evaluation import CRITERIA, QUERIES, get_query
from graphdb.evaluation.run import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIMEOUT,
    EvaluationResult,
    parameter_values,
    run_cypher,
    run_query,
)
from indicators.cells import write_csv
from toc.cli_table import table_lines
from toc.illustrative import notice

__all__ = ["query"]

_LANG = lang_option("Language of the titles and explanations.")
_PARAM = click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
    help="A parameter value (repeatable); JSON for lists.",
)  # fmt: skip
_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
_TIMEOUT = click.option(
    "--timeout", type=click.FloatRange(min=0.001), default=DEFAULT_TIMEOUT, show_default=True,
    help="Seconds before the query is stopped.",
)  # fmt: skip
_LIMIT = click.option(
    "--limit", type=click.IntRange(min=1), default=DEFAULT_ROW_LIMIT, show_default=True,
    help="Most rows returned.",
)  # fmt: skip


def _parse(items: tuple[str, ...], typed: bool) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; with ``typed``, values are read as JSON when they are JSON."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        if typed or value.startswith("["):
            try:
                out[key] = json.loads(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


def _print(result: EvaluationResult, fmt: str, lang: str = "en") -> None:
    """Print an answer: a table on screen (:mod:`toc.cli_table`), or CSV or JSON with plain
    machine values. One resting on illustrative data says so: a last column ``illustrative``
    (true on every row) in CSV and JSON, a notice under a table."""
    columns, rows = result.columns, result.rows
    if result.illustrative and fmt != "table":
        columns, rows = [*columns, "illustrative"], [(*r, True) for r in rows]
    if fmt == "json":
        records = [dict(zip(columns, r, strict=True)) for r in rows]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
    elif fmt == "csv":
        write_csv(sys.stdout, columns, rows)
    else:
        for line in table_lines(columns, rows, lang=lang):
            click.echo(line)
    if result.illustrative and fmt == "table":
        click.echo(notice(lang))
    if result.truncated:
        click.echo(f"Only the first {len(rows)} rows are shown (--limit).", err=True)


@click.group(name="query")
def query() -> None:
    """Evaluation queries: named questions about the plan graph, by OECD-DAC criterion, and
    your own read-only Cypher.

    \b
    Example:
      toc query list
      toc query run sdg_pathways --param sdg=sdg16
      toc query show on_track_under_off_track
      toc query cypher "MATCH (o:Objective) RETURN o.id AS id" --limit 10
    """


@query.command("list")
@_LANG
def list_cmd(lang: str) -> None:
    """List the evaluation queries by criterion.

    Example: toc query list --lang nl
    """
    for criterion, name in CRITERIA.items():
        chosen = [q for q in QUERIES.values() if q.criterion == criterion]
        click.echo(f"{name.get(lang)}:")
        for q in chosen:
            click.echo(f"  {q.name:<28} {q.title.get(lang)}")


@query.command("show")
@click.argument("name")
@_LANG
@_PARAM
@pass_ctx
@domain_errors
def show_cmd(ctx: Context, name: str, lang: str, params: tuple[str, ...]) -> None:
    """Print a query's question, parameters and Cypher, with the parameter values it would run
    with, ready for Neo4j Browser (`:params {...}`).

    Example: toc query show sdg_pathways --param sdg=sdg16
    """
    q = get_query(name)
    store = ctx.store(read_only=True)
    values = parameter_values(store, q, _parse(params, typed=False))
    click.echo(f"{q.name} ({CRITERIA[q.criterion].get(lang)}): {q.title.get(lang)}")
    click.echo(f"  {q.explanation.get(lang)}")
    if q.parameters:
        click.echo("Parameters:")
        for p in q.parameters:
            click.echo(f"  ${p.name} ({p.type}): {p.description.get(lang)}")
    click.echo("")
    click.echo(f":params {json.dumps(values, ensure_ascii=False)}")
    click.echo("")
    click.echo(q.cypher(store.backend).rstrip())


@query.command("run")
@click.argument("name")
@_PARAM
@_FORMAT
@_TIMEOUT
@_LIMIT
@lang_option("Language of the node names beside the ids.")
@pass_ctx
@domain_errors
def run_cmd(
    ctx: Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    timeout: float,
    limit: int,
    lang: str,
) -> None:
    """Run an evaluation query; parameters not given take their defaults. A column of node ids
    is followed by one with their names (``<column>_name``).

    Example: toc query run sdg_partners --param sdg=sdg16 --format csv
    """
    store = ctx.store(read_only=True)
    plan = store.load_plan()
    result = run_query(
        store,
        name,
        _parse(params, typed=False),
        timeout=timeout,
        row_limit=limit,
        plan=plan,
    )
    _print(result.with_names(plan, lang), fmt, lang)


@query.command("cypher")
@click.argument("text")
@_PARAM
@_FORMAT
@_TIMEOUT
@_LIMIT
@pass_ctx
@domain_errors
def cypher_cmd(
    ctx: Context, text: str, params: tuple[str, ...], fmt: str, timeout: float, limit: int
) -> None:
    """Run your own read-only Cypher: one reading statement (anything else is refused before
    it runs), stopped after --timeout seconds or when it needs too much memory, at most
    --limit rows.

    Example: toc query cypher "MATCH (s:Strategy) RETURN s.id AS id" --timeout 10 --limit 1000
    """
    result = run_cypher(
        ctx.store(read_only=True), text, _parse(params, typed=True), timeout=timeout,
        row_limit=limit,
    )  # fmt: skip
    _print(result, fmt)
