"""Run the named evaluation queries of :mod:`graphdb.evaluation`: fill in their parameters
(typed values, data-dependent defaults, computed statuses), run the Cypher through the store
interface, and return columns and rows.

Statuses are never stored in the graph; they are computed here from the indicators
(:func:`indicators.pathway_status.compute_plan_status`) and passed to the Cypher as a list of
maps, so the query text stays the one source of the question and runs unchanged in Neo4j
Browser with the same parameters (``toc query show NAME`` prints them).

Example::

    result = run_query(store, "sdg_pathways", {"sdg": "sdg16"})
    result.columns, result.rows
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from graphdb.evaluation import EvaluationQuery, Parameter, get_query
from graphdb.store import GraphStore, QueryResult
from indicators.illustrative import reads_indicator_data, rests_on_illustrative
from indicators.pathway_status import PlanStatus, compute_plan_status, plan_status
from indicators.status import STATUS_COLUMNS
from toc.diff import PlanDiff
from toc.diff_report import ChangeRow, change_rows
from toc.kinds import CAUSAL_KINDS
from toc.model import Plan

__all__ = [
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIMEOUT",
    "EvaluationResult",
    "ParameterError",
    "changes_parameter",
    "confidence_parameter",
    "name_columns",
    "node_ids",
    "parameter_values",
    "progress_parameter",
    "run_cypher",
    "run_query",
    "status_parameter",
]

#: Seconds an evaluation query may run, and rows it may return, unless the caller says.
DEFAULT_TIMEOUT = 30.0
DEFAULT_ROW_LIMIT = 1000

_YEAR = re.compile(r"^\d{4}$")
_PERIOD_YEAR = re.compile(r"(\d{4})")


class ParameterError(ValueError):
    """A parameter value is missing, unknown or not of its type; the message says which."""


@dataclass(frozen=True)
class EvaluationResult:
    """A query's answer with the exact parameters it ran with."""

    query: EvaluationQuery | None
    cypher: str
    params: dict[str, Any]
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    #: the answer rests on illustrative (demo) data (:mod:`indicators.illustrative`)
    illustrative: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def with_names(self, plan: Plan, lang: str) -> EvaluationResult:
        """The answer as people read it: after every column of plan node ids, a column
        ``<column>_name`` with each node's label in ``lang`` (the id column stays, for
        machines and for Neo4j Browser). See :func:`name_columns`."""
        columns, rows = name_columns(plan, self.columns, self.rows, lang)
        return replace(self, columns=columns, rows=rows)


def name_columns(
    plan: Plan, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], lang: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """``columns`` and ``rows`` with a ``<column>_name`` column after each column whose values
    are all plan node ids (nulls aside, at least one id), holding the node's label in ``lang``.

    >>> from toc.model import Node, Text
    >>> plan = Plan.of([Node("SDG", "sdg2", Text("Honger", "Hunger"))], [])
    >>> name_columns(plan, ["sdg", "n"], [("sdg2", 3), (None, 1)], "en")
    (['sdg', 'sdg_name', 'n'], [('sdg2', 'Hunger', 3), (None, None, 1)])
    """
    named: list[int] = []
    for i, column in enumerate(columns):
        values = [row[i] for row in rows if row[i] is not None]
        taken = f"{column}_name" in columns
        if values and not taken and all(isinstance(v, str) and plan.get(v) for v in values):
            named.append(i)
    out_columns: list[str] = []
    for i, column in enumerate(columns):
        out_columns.append(column)
        if i in named:
            out_columns.append(f"{column}_name")
    out_rows = []
    for row in rows:
        cells: list[Any] = []
        for i, value in enumerate(row):
            cells.append(value)
            if i in named:
                node = plan.get(value) if value is not None else None
                cells.append(node.label(lang) if node is not None else None)
        out_rows.append(tuple(cells))
    return out_columns, out_rows


def status_parameter(result: PlanStatus | None, plan: Plan | None = None) -> list[dict[str, str]]:
    """The ``status`` parameter: one ``{id, status, own}`` per causal node (combined and own
    status); every causal node of ``plan`` is ``no_data`` when there are no statuses."""
    if result is None:
        ids = [n.id for n in plan.nodes if n.kind in CAUSAL_KINDS] if plan else []
        return [{"id": i, "status": "no_data", "own": "no_data"} for i in sorted(ids)]
    return [
        {"id": node_id, "status": r.combined.value, "own": r.own.value}
        for node_id, r in sorted(result.nodes.items())
    ]


def changes_parameter(store: GraphStore, since: str, until: str) -> list[dict[str, Any]]:
    """The ``changes`` parameter: one ``{version, item, id, kind, change, fields}`` per node
    or link each version saved from ``since`` to ``until`` (dates) changed, from the content
    the store keeps of every version (``fields`` names the changed fields).

    With no changes it holds one row of version 0, which no saved version has: LadybugDB
    cannot type an empty list of maps, so the query would fail instead of answering nothing.
    """
    none = [{"version": 0, "item": "", "id": "", "kind": "", "change": "", "fields": ""}]
    first = dt.date.fromisoformat(since) if since else dt.date.min + dt.timedelta(days=1)
    last = dt.date.fromisoformat(until) if until else dt.date.today()
    if last < first:
        return none
    old, new = store.version_range(first, last)
    if new <= old:
        return none
    out: list[dict[str, Any]] = []
    for version, diff in sorted(store.changes_of(old + 1, new).items()):
        out += [
            {"version": version, "item": row.item, "id": row.id, "kind": row.kind,
             "change": row.change, "fields": fields}
            for row, fields in _grouped_rows(diff)
        ]  # fmt: skip
    return out or none


def _grouped_rows(diff: PlanDiff) -> list[tuple[ChangeRow, str]]:
    """One row per node or link: the field rows of a changed one joined."""
    grouped: dict[tuple[str, str, str, str], tuple[ChangeRow, list[str]]] = {}
    for row in change_rows(diff):
        key = (row.item, row.kind, row.id, row.change)
        grouped.setdefault(key, (row, []))[1].append(row.field)
    return [
        (row, ", ".join(f for f in fields if f) if row.change == "changed" else "")
        for row, fields in grouped.values()
    ]


def confidence_parameter(
    store: GraphStore,
    plan: Plan,
    statuses: PlanStatus | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """The ``confidence`` parameter: every causal link's posterior from the recorded evidence
    and priors and the evidence of indicator trends, as of ``until`` (``posterior``) and as
    of ``since`` (``earlier``; the same when not given), how many items counted, and whether
    any of them is illustrative."""
    from indicators.link_evidence import derived_evidence
    from toc.confidence import link_confidences

    if statuses is None:
        statuses = plan_status(store)
    evidence = [*derived_evidence(plan, statuses), *store.evidence()]
    priors = {k: v for k, v in store.priors().items() if isinstance(k, tuple)}
    end = dt.date.fromisoformat(until) if until else None
    start = dt.date.fromisoformat(since) if since else None
    now = link_confidences(plan, evidence, priors, as_of=end)
    before = link_confidences(plan, evidence, priors, as_of=start) if start else now
    return [
        {
            "source": link.source,
            "target": link.target,
            "posterior": c.posterior,
            "earlier": before[link].posterior,
            "pct": round(100 * c.posterior),
            "earlier_pct": round(100 * before[link].posterior),
            "items": len(c.weights),
            "illustrative": c.illustrative,
        }
        for link, c in now.items()
    ]


def _period_year(period: str) -> int | None:
    found = _PERIOD_YEAR.search(period)
    return int(found.group(1)) if found else None


def progress_parameter(store: GraphStore, plan: Plan) -> list[dict[str, Any]]:
    """The ``progress`` parameter: for each strategic objective and each plan year, its
    combined status from the approved values of the periods up to that year."""
    root = plan.root
    sos = sorted(n.id for n in plan.of_kind("StrategicObjective"))
    if root is None or not sos:
        return []
    years = range(int(root.props["start_year"]), int(root.props["end_year"]) + 1)
    graph = store.contribution_graph()
    indicators = store.indicators()
    frame = store.revision_frame(status="approved", columns=STATUS_COLUMNS)
    period_years = frame["period"].map(_period_year) if len(frame) else pd.Series(dtype=object)
    out = []
    for year in years:
        upto = frame.loc[period_years <= year] if len(frame) else frame
        result = compute_plan_status(graph, indicators, upto.reset_index(drop=True))
        for so in sos:
            rollup = result.nodes.get(so)
            status = rollup.combined.value if rollup is not None else "no_data"
            out.append({"id": so, "year": year, "period": str(year), "status": status})
    return out


def _latest_data_year(store: GraphStore, today: dt.date) -> str:
    """The latest year with an approved value, else last calendar year."""
    frame = store.revision_frame(status="approved", columns=["period"])
    years = [y for y in frame["period"].map(_period_year) if y is not None]
    return str(max(years)) if years else str(today.year - 1)


def _evidence_span(store: GraphStore) -> tuple[str, str] | None:
    """The dates of the first and the last recorded evidence item (None without any)."""
    dates = sorted(e.date for e in store.evidence())
    return (dates[0].isoformat(), dates[-1].isoformat()) if dates else None


def _first_revision_date(store: GraphStore, today: dt.date) -> str:
    revisions = store.revisions()
    return revisions[0].saved_at[:10] if revisions else today.isoformat()


def _convert(param: Parameter, value: Any, plan: Plan) -> Any:
    """A user's value (text from a form or the command line) as the parameter's type."""
    if param.supplied:
        if not isinstance(value, list):
            raise ParameterError(f"{param.name}: a list of maps is expected (JSON)")
        return value
    text = "" if value is None else str(value).strip()
    if param.type == "node":
        if text:
            node = plan.get(text)
            if node is None or (param.kind and node.kind != param.kind):
                kind = f" {param.kind}" if param.kind else ""
                raise ParameterError(f"{param.name}: {text!r} is not a{kind} node of the plan")
        return text
    if param.type == "year":
        if not _YEAR.match(text):
            raise ParameterError(f"{param.name}: {text!r} is not a year such as 2029")
        return text
    if param.type == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ParameterError(f"{param.name}: {text!r} is not a date YYYY-MM-DD") from None
    return text


def parameter_values(
    store: GraphStore,
    query: EvaluationQuery,
    given: Mapping[str, Any] | None = None,
    *,
    plan: Plan | None = None,
    statuses: PlanStatus | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Every parameter of ``query``: ``given`` values checked and typed, the others their
    defaults, worked out from the store when they depend on the data. ``statuses`` saves
    computing them again (the web app keeps them cached)."""
    given = dict(given or {})
    unknown = sorted(set(given) - {p.name for p in query.parameters})
    if unknown:
        names = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(
            f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {names})"
        )
    plan = plan if plan is not None else store.load_plan()
    today = today or dt.date.today()
    values: dict[str, Any] = {}
    # a question about confidence over time spans the recorded evidence by default
    span = _evidence_span(store) if any(p.type == "confidence" for p in query.parameters) else None
    for param in query.parameters:
        value = given.get(param.name)
        # An empty value means "the default", except where empty is itself the default ("all").
        if value is not None and (value != "" or param.default == ""):
            values[param.name] = _convert(param, value, plan)
        elif param.type == "status":
            if statuses is None:
                statuses = plan_status(store)
            values[param.name] = status_parameter(statuses, plan)
        elif param.type == "progress":
            values[param.name] = progress_parameter(store, plan)
        elif param.type == "confidence":
            values[param.name] = confidence_parameter(
                store, plan, statuses, values.get("since"), values.get("until")
            )
        elif param.type == "changes":
            values[param.name] = changes_parameter(
                store, values.get("since", ""), values.get("until", "")
            )
        elif param.type == "year":
            values[param.name] = _latest_data_year(store, today)
        elif param.name == "since":
            values[param.name] = span[0] if span else _first_revision_date(store, today)
        elif param.name == "until":
            values[param.name] = span[1] if span else today.isoformat()
        elif param.default is not None:
            values[param.name] = param.default
        else:
            raise ParameterError(f"{query.name}: parameter {param.name} is required")
    return values


def run_query(
    store: GraphStore,
    name: str,
    given: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    row_limit: int | None = DEFAULT_ROW_LIMIT,
    plan: Plan | None = None,
    statuses: PlanStatus | None = None,
) -> EvaluationResult:
    """Run the evaluation query ``name`` with ``given`` parameters (the rest default).

    Raises :class:`graphdb.evaluation.UnknownQuery`, :class:`ParameterError`, and the
    store's errors (:class:`graphdb.store.QueryTimeout` after ``timeout`` seconds).
    """
    query = get_query(name)
    cypher = query.cypher(store.backend)
    types = [p.type for p in query.parameters]
    if statuses is None and rests_on_illustrative(types, cypher, data_illustrative=True):
        statuses = _statuses(store)
    params = parameter_values(store, query, given, plan=plan, statuses=statuses)
    result = store.query(cypher, params, timeout=timeout, row_limit=row_limit)
    illustrative = rests_on_illustrative(
        types, cypher, data_illustrative=statuses is not None and statuses.illustrative
    ) or any(  # an answer from illustrative evidence says so too
        row.get("illustrative") for p in query.parameters if p.type == "confidence"
        for row in params.get(p.name, ())
    )  # fmt: skip
    return EvaluationResult(
        query, cypher, params, result.columns, result.rows, result.truncated, illustrative
    )


def _statuses(store: GraphStore) -> PlanStatus | None:
    """The store's statuses now (None without indicators)."""
    return plan_status(store) if store.indicators() else None


def run_cypher(
    store: GraphStore,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    row_limit: int | None = DEFAULT_ROW_LIMIT,
    statuses: PlanStatus | None = None,
) -> EvaluationResult:
    """An evaluator's own read-only Cypher, with the same timeout and row limit (the store
    refuses anything but one reading statement, and runs it read-only and bounded).
    ``statuses`` saves computing them again to tell whether the answer is illustrative (the
    web app keeps them cached)."""
    result: QueryResult = store.query(cypher, params, timeout=timeout, row_limit=row_limit)
    reads = reads_indicator_data(cypher)
    if reads and statuses is None:
        statuses = _statuses(store)
    return EvaluationResult(
        None,
        cypher,
        dict(params or {}),
        result.columns,
        result.rows,
        result.truncated,
        illustrative=reads and statuses is not None and statuses.illustrative,
    )


def node_ids(plan: Plan, result: EvaluationResult, kinds: Sequence[str] | None = None) -> list[str]:
    """The ids of the plan's nodes named in the result's cells (in plan order), e.g. to draw
    the part of the diagram the answer is about; only nodes of ``kinds`` when given."""
    named = {v for row in result.rows for v in row if isinstance(v, str)}
    return [n.id for n in plan.nodes if n.id in named and (kinds is None or n.kind in kinds)]
