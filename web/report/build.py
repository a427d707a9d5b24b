"""Gather the annual progress report's data from the store, for a year or an as-of date.

The figures come from the same computations as ``toc status`` and the IPTT
(:func:`indicators.pathway_status.compute_plan_status`, :func:`indicators.export.iptt_frame`),
over the revisions recorded before the cutoff and the indicator definitions in force then, so a
report made later for the same moment shows the same figures. The plan's links are the current
ones.

* ``year``: the report on that year: figures as known at the end of 31 December, counting
  the values of periods ending by then (a value entered early for a later period does not
  count); the year's periods are highlighted.
* ``as_of``: figures as known at the end of that date (or at that exact ISO date-time),
  every period counted, exactly as ``toc status --as-of``.
* both: the periods through ``year``, as known on ``as_of`` (e.g. the 2028 report made in
  March 2029, once the 2028 values are approved).
* neither: everything recorded until now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from numbers import Real

import pandas as pd

from graphdb.store import GraphStore
from indicators.definitions import indicator_periods
from indicators.export import iptt_frame, pathway_below
from indicators.link_evidence import derived_evidence
from indicators.model import Indicator, IndicatorType, stamp_cutoff
from indicators.pathway_status import PlanStatus, compute_plan_status
from indicators.rollup import DEFAULT_RULE, RollupRule
from indicators.status import counting_frame
from toc.model import Node, Plan
from toc.render import STATUS_STYLE
from toc.story import contribution_story
from toc.story_render import render as render_story
from web.report.data import (
    Comment,
    IndicatorSection,
    IpttIndicator,
    IpttTable,
    NodeRow,
    ObjectiveSection,
    PeriodRow,
    ReportData,
    shown,
)

__all__ = ["ReportError", "build_report", "report_moment"]

LANGUAGES = ("nl", "en")
TO_DATE = "to date"


class ReportError(ValueError):
    """A report cannot be made as asked (unknown language, year outside the plan, bad date)."""


def report_moment(
    year: int | None, as_of: str | dt.date | dt.datetime | None, *, today: dt.date | None = None
) -> tuple[dt.date, str, str | None, dt.date | None]:
    """(as-of date, as-of text, cutoff stamp, last day of the periods counted) for a year
    and/or an as-of date (see the module docstring).

    >>> report_moment(2028, None)[1:]
    ('2028-12-31', '2029-01-01T00:00:00.000000Z', datetime.date(2028, 12, 31))
    >>> report_moment(None, "2029-06-30")[1:]
    ('2029-06-30', '2029-07-01T00:00:00.000000Z', None)
    """
    through = dt.date(year, 12, 31) if year is not None else None
    if as_of is None:
        if through is None:
            day = today or dt.datetime.now(dt.UTC).date()
            return day, day.isoformat(), None, None
        return through, through.isoformat(), stamp_cutoff(through), through
    try:
        cutoff = stamp_cutoff(as_of)
    except ValueError as e:
        raise ReportError(str(e)) from None
    if isinstance(as_of, dt.datetime):
        day, text = as_of.date(), as_of.isoformat()
    elif isinstance(as_of, dt.date):
        day, text = as_of, as_of.isoformat()
    else:
        text = as_of.strip()
        day = dt.date.fromisoformat(text[:10])
    return day, text, cutoff, through


def build_report(
    store: GraphStore,
    *,
    year: int | None = None,
    as_of: str | dt.date | dt.datetime | None = None,
    lang: str = "en",
    plan: Plan | None = None,
    rule: RollupRule = DEFAULT_RULE,
    now: dt.datetime | None = None,
) -> ReportData:
    """The report's data from ``store`` (``plan``: the stored plan when None)."""
    if lang not in LANGUAGES:
        raise ReportError(f"unknown language {lang!r}; use nl or en")
    plan = plan if plan is not None else store.load_plan()
    root = plan.root
    first, last = (
        (root.props.get("start_year"), root.props.get("end_year")) if root else (None, None)
    )
    if year is not None and first is not None and last is not None and not first <= year <= last:
        raise ReportError(f"year {year} is outside the plan ({first}-{last})")
    now = now or dt.datetime.now(dt.UTC)
    as_of_day, as_of_text, cutoff, through = report_moment(year, as_of, today=now.date())
    indicators = store.indicators(as_of=cutoff)
    frame = store.revision_frame(status="approved", before=cutoff)
    frame = periods_through(frame, indicators, through)
    result = compute_plan_status(plan, indicators, frame, before=cutoff, rule=rule)
    highlight = year if year is not None else as_of_day.year
    ends = _period_ends(indicators)
    shows_period = _period_shown(ends, highlight, result)
    sections = _sections(plan, result, lang)
    rows = [r for s in sections for r in ((s.so,) if s.so else ()) + s.objectives]
    counts = {s: 0 for s in STATUS_STYLE}
    for row in rows:
        counts[row.combined] += 1
    order = _indicator_order(plan, result, sections)
    counted = counting_frame(frame, cutoff)
    iptt = _iptt(plan, result, frame, sections, lang, highlight, ends, shows_period)
    year_rows = {i.code: tuple(r for r in i.rows if r.in_year) for t in iptt for i in t.indicators}
    illustrative_values = int(counted["illustrative"].astype(bool).sum()) if len(counted) else 0
    return ReportData(
        lang=lang,
        plan=plan,
        title=shown(root.title if root else None, lang),
        organisation=str(root.props.get("organisation", "")) if root else "",
        plan_years=(first, last),
        year=year,
        as_of=as_of_day,
        as_of_text=as_of_text,
        cutoff=cutoff,
        periods_through=through,
        generated_at=now,
        rule=rule.method.value,
        statuses={n: r.combined.value for n, r in result.nodes.items()},
        counts=counts,
        sections=tuple(sections),
        assumptions_to_test=tuple(r for r in rows if r.assumption_to_test),
        indicators=tuple(
            _indicator_section(plan, result, code, so, lang, year_rows.get(code, ()))
            for code, so in order
        ),
        iptt=tuple(iptt),
        comments=tuple(_comments(counted, result, order, lang, year)),
        illustrative=result.illustrative,
        illustrative_indicators=tuple(c for c, _ in order if result.indicators[c].illustrative),
        illustrative_values=illustrative_values,
        stories=tuple(_stories(store, plan, result, lang, as_of_day)),
    )


def _stories(
    store: GraphStore, plan: Plan, result: PlanStatus, lang: str, as_of: dt.date
) -> Iterable[tuple[str, str]]:
    """The contribution story of each strategic objective as HTML, from the evidence known
    on ``as_of`` (indicator trends as the report counts them, and the recorded items)."""
    evidence = [*derived_evidence(plan, result), *store.evidence()]
    outcomes, priors = store.outcomes(), store.priors()
    for node in _by_number(n for n in plan.nodes if n.kind == "StrategicObjective"):
        made = contribution_story(plan, node.id, evidence, outcomes, priors=priors, as_of=as_of)
        yield node.id, render_story(made, lang, "html")


def periods_through(
    frame: pd.DataFrame, indicators: Iterable[Indicator], last_day: dt.date | None
) -> pd.DataFrame:
    """The revisions of periods ending on or before ``last_day`` (all when None): a year
    report counts that year and the years before it, not values entered early for later
    periods."""
    if last_day is None or frame.empty:
        return frame
    ends = _period_ends(indicators)
    keep = [
        ends.get((code, period), dt.date.max) <= last_day
        for code, period in zip(frame["indicator"], frame["period"], strict=True)
    ]
    return frame.loc[keep].reset_index(drop=True)


def _period_ends(indicators: Iterable[Indicator]) -> dict[tuple[str, str], dt.date]:
    return {(i.code, p.id): p.end for i in indicators for p in indicator_periods(i)}


def _period_shown(
    ends: dict[tuple[str, str], dt.date], year: int, result: PlanStatus
) -> Callable[[str, str], bool]:
    """Which IPTT periods the report shows: those ending by the end of the report's year,
    and any later one with a counted value (a counted value is never hidden)."""
    counted = {(code, p.period.id) for code, s in result.indicators.items() for p in s.periods}
    last = dt.date(year, 12, 31)

    def shows(code: str, period: str) -> bool:
        end = ends.get((code, period))
        return end is None or end <= last or (code, period) in counted

    return shows


def _ref(node: Node) -> str:
    number = node.props.get("number", "")
    if node.kind == "Objective":
        return f"{node.id.split('.')[0].removeprefix('so')}.{number}"
    return str(number)


def _node_row(node: Node, result: PlanStatus, lang: str, plan: Plan) -> NodeRow:
    rollup = result.nodes.get(node.id)
    illustrative_codes = {c for c, s in result.indicators.items() if s.illustrative and s.periods}
    below = pathway_below(plan, node.id)
    based_on_demo = bool(rollup and rollup.combined.value != "no_data") and any(
        set(result.measured_by.get(n, ())) & illustrative_codes for n in below
    )
    return NodeRow(
        id=node.id,
        kind=node.kind,
        ref=_ref(node),
        title=shown(node.title, lang),
        own=rollup.own.value if rollup else "no_data",
        contributions=rollup.contributions.value if rollup else "no_data",
        combined=rollup.combined.value if rollup else "no_data",
        assumption_to_test=bool(rollup and rollup.assumption_to_test),
        indicators=result.measured_by.get(node.id, ()),
        illustrative=based_on_demo,
    )


def _by_number(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (n.props.get("number", 0), n.id))


def _sections(plan: Plan, result: PlanStatus, lang: str) -> list[ObjectiveSection]:
    """Strategic objectives in number order with their objectives; objectives under no
    strategic objective last."""
    under: dict[str, list[Node]] = {}
    placed: set[str] = set()
    for edge in plan.edges_of_kind("CONTRIBUTES_TO"):
        source, target = plan.get(edge.source), plan.get(edge.target)
        if source and target and source.kind == "Objective" and target.kind == "StrategicObjective":
            under.setdefault(target.id, []).append(source)
            placed.add(source.id)
    sections = [
        ObjectiveSection(
            _node_row(so, result, lang, plan),
            tuple(_node_row(o, result, lang, plan) for o in _by_number(under.get(so.id, ()))),
        )
        for so in _by_number(plan.of_kind("StrategicObjective"))
    ]
    loose = [o for o in _by_number(plan.of_kind("Objective")) if o.id not in placed]
    if loose:
        sections.append(
            ObjectiveSection(None, tuple(_node_row(o, result, lang, plan) for o in loose))
        )
    return sections


def _indicator_order(
    plan: Plan, result: PlanStatus, sections: list[ObjectiveSection]
) -> list[tuple[str, str | None]]:
    """(indicator code, its strategic objective) in the order of the strategic objectives'
    pathways; indicators outside every one last."""
    seen: dict[str, str | None] = {}
    for section in sections:
        if section.so is None:
            continue
        for node in pathway_below(plan, section.so.id):
            for code in result.measured_by.get(node, ()):
                seen.setdefault(code, section.so.id)
    for code in result.indicators:
        seen.setdefault(code, None)
    return list(seen.items())


def _figure(value: object) -> float | str | None:
    """A figure of the IPTT frame: None for a gap (None or NaN), a level's text as it is."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Real):
        return float(value)
    raise TypeError(f"not a figure: {value!r}")


def _number(value: object) -> float | None:
    """A figure that is a number or missing (a percentage of target is never a level)."""
    figure = _figure(value)
    return figure if isinstance(figure, float) else None


def _iptt(
    plan: Plan,
    result: PlanStatus,
    frame: pd.DataFrame,
    sections: list[ObjectiveSection],
    lang: str,
    year: int,
    ends: dict[tuple[str, str], dt.date],
    shows_period: Callable[[str, str], bool],
) -> list[IpttTable]:
    tables = []
    for section in sections:
        if section.so is None:
            continue
        iptt = iptt_frame(result, plan, frame, section.so.id, lang=lang)
        grouped: dict[str, list[dict]] = {}
        for rec in iptt.to_dict("records"):
            grouped.setdefault(rec["indicator"], []).append(rec)
        indicators = []
        for code, records in grouped.items():
            first = records[0]
            status = result.indicators[code]
            if status.indicator.type is IndicatorType.NARRATIVE:
                continue  # no figures; its texts are among the comments
            period_rows = tuple(
                PeriodRow(
                    period=r["period"],
                    target=_figure(r["target"]),
                    expected=_figure(r["expected"]),
                    actual=_figure(r["actual"]),
                    percent_of_target=_number(r["percent_of_target"]),
                    status=r["status"],
                    in_year=r["period"] != TO_DATE
                    and ends.get((code, r["period"]), dt.date.min).year == year,
                    illustrative=bool(r["illustrative"]) and _figure(r["actual"]) is not None,
                    rule=r.get("to_date_rule") or "",
                )
                for r in records
                if r["period"] == TO_DATE or shows_period(code, r["period"])
            )
            indicators.append(
                IpttIndicator(
                    code=code,
                    title=shown(status.indicator.title, lang),
                    node=first["node"],
                    unit=(
                        status.indicator.unit_for(lang)
                        if first["unit"] == status.indicator.unit
                        else first["unit"] or ""
                    ),
                    baseline=_figure(first["baseline"]),
                    baseline_date=first["baseline_date"],
                    rows=period_rows,
                    illustrative=status.illustrative,
                )
            )
        if indicators:
            tables.append(IpttTable(section.so, tuple(indicators)))
    return tables


def _indicator_section(
    plan: Plan,
    result: PlanStatus,
    code: str,
    so: str | None,
    lang: str,
    year_rows: tuple[PeriodRow, ...],
) -> IndicatorSection:
    status = result.indicators[code]
    ind = status.indicator
    measures = tuple(
        (node.kind, _ref(node), shown(node.title, lang))
        for node_id in ind.measures
        if (node := plan.get(node_id)) is not None
    )
    return IndicatorSection(
        indicator=ind,
        title=shown(ind.title, lang),
        strategic_objective=so,
        measures=measures,
        status=status.status.value,
        periods=status.periods,
        year_rows=year_rows,
        illustrative=status.illustrative,
    )


def _comments(
    counted: pd.DataFrame,
    result: PlanStatus,
    order: list[tuple[str, str | None]],
    lang: str,
    year: int | None,
) -> list[Comment]:
    """The comments and narrative texts of the counted values: of the report's year's
    periods for a year report, else of every period; in indicator order, then period."""
    if counted.empty:
        return []
    rank = {code: i for i, (code, _) in enumerate(order)}
    ends = _period_ends(s.indicator for s in result.indicators.values())
    out = []
    for rec in counted.to_dict("records"):
        code = rec["indicator"]
        if code not in result.indicators:
            continue
        if year is not None and ends.get((code, rec["period"]), dt.date.min).year != year:
            continue
        ind = result.indicators[code].indicator
        for text, narrative in ((rec.get("narrative") or "", True), (rec["comment"] or "", False)):
            if text.strip():
                out.append(
                    Comment(
                        indicator=code,
                        title=shown(ind.title, lang),
                        period=rec["period"],
                        text=text.strip(),
                        narrative=narrative,
                        recorded_at=rec["recorded_at"],
                        illustrative=bool(rec["illustrative"]) or ind.illustrative,
                    )
                )
    out.sort(key=lambda c: (rank.get(c.indicator, len(rank)), c.period, not c.narrative))
    return out
