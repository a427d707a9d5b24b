"""Export the results framework as an IATI 2.03 activity file (pure: plan, indicators and
revisions in, an lxml tree or bytes out).

What maps to what (docs/iati.md has the full table):

* the plan is one ``iati-activity``: identifier and reporting organisation from the
  configuration (:mod:`indicators.iati_config`), title and description from the Plan node,
  planned start and end dates from its years, DAC sector (the plan's ``dac_sector``, default
  15110), SDG tags (vocabulary 2 for SDGs, 3 for SDG targets the plan aligns with),
  participating organisations from its Partner nodes;
* every node that indicators measure is a ``result``: strategic objectives are impacts (3),
  objectives and outcomes outcomes (2), outputs outputs (1);
* every indicator is an ``indicator`` of the result of its first measured node: measure from
  its type (number and currency 1, percentage 2, ordinal 4, narrative 5), ``ascending`` from
  its direction, its SDG indicator as a reference of vocabulary 9 and its code as one of
  vocabulary 99, the baseline, and one ``period`` per reporting period that has a target or a
  counted value;
* only **approved** values count as actuals (the latest approved revision, as known at the
  cutoff): a total ``actual`` and one ``actual`` per disaggregated part with its
  ``dimension`` elements, the comment as a narrative and links in the evidence as
  ``document-link``. Qualitative (narrative) indicators carry no value attributes, as the
  ruleset requires: their text is the comment.

What IATI cannot say (scales, units, cumulative, numerators and denominators, the reporting
calendar) travels in elements of the Pathways namespace :data:`PW_NS`, which the IATI schema
allows and other tools ignore, so an export imports back without loss.

Illustrative (demo) data says so: a description of the activity, and a prefix on every
illustrative value's comment and on every illustrative indicator's targets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import pandas as pd
from lxml import etree

from indicators.definitions import encode_indicator, indicator_periods
from indicators.iati_config import IatiConfig, OrgConfig
from indicators.iati_rules import check_activity
from indicators.iati_validate import schema
from indicators.model import (
    EndTarget,
    Indicator,
    IndicatorType,
    Period,
    PeriodTarget,
    origin_publisher,
)
from indicators.progress import Direction
from indicators.records import part_dicts
from indicators.status import counting_frame
from toc.kinds import LANGUAGES
from toc.model import Node, Plan, Text

#: IATI ActivityDateType codes and the Plan fields (``iati_<name>``) an import keeps them in.
ACTIVITY_DATES = {
    "1": "planned_start",
    "2": "actual_start",
    "3": "planned_end",
    "4": "actual_end",
}
#: The attributes of a ``pw:activity`` element (an imported activity's status and dates,
#: see :func:`_pw_activities`) and the ``IatiActivity`` fields they hold.
PW_ACTIVITY = {
    "identifier": "identifier",
    "publisher": "publisher",
    "status": "iati_activity_status",
    **{name.replace("_", "-"): f"iati_{name}" for name in ACTIVITY_DATES.values()},
}
#: An element of the document being written.
El: TypeAlias = etree._Element
#: One measurement in record form (a row of the counting frame, see :mod:`indicators.records`).
Record: TypeAlias = dict[str, Any]

__all__ = [
    "ILLUSTRATIVE_ACTIVITY",
    "ILLUSTRATIVE_PREFIX",
    "PW",
    "PW_ACTIVITY",
    "PW_NS",
    "RESULT_TYPE",
    "IatiExportError",
    "build_activities",
    "export_bytes",
    "measure_of",
]

#: The namespace of the Pathways extension elements.
PW_NS = "urn:pathways:iati:1"
PW = f"{{{PW_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: ResultType code per node kind.
RESULT_TYPE = {"StrategicObjective": "3", "Objective": "2", "Outcome": "2", "Output": "1"}
_MEASURE = {
    IndicatorType.NUMBER: "1",
    IndicatorType.CURRENCY: "1",
    IndicatorType.PERCENTAGE: "2",
    IndicatorType.ORDINAL: "4",
    IndicatorType.NARRATIVE: "5",
}
#: Put before the comment of every illustrative value (the import takes it off again).
ILLUSTRATIVE_PREFIX = "ILLUSTRATIVE (demo value, not real data)."
ILLUSTRATIVE_TARGET = "ILLUSTRATIVE (demo target, not a real target)."
ILLUSTRATIVE_ACTIVITY = (
    "ILLUSTRATIVE DATA. The indicators, targets and values in this file are illustrations "
    "made for a demonstration of Pathways; they are not data of the organisation named as "
    "publisher."
)
EXAMPLE_IDENTIFIERS = (
    "EXAMPLE IDENTIFIERS. The activity and organisation identifiers in this file are made "
    "up for an example configuration; they are not registered IATI identifiers."
)
# Partner types that carry out the work: implementing organisations (role 4).
_IMPLEMENTING = {"flemish_local_government", "partner_municipality", "sister_association"}
_LOCAL_GOVERNMENT = {"flemish_local_government", "partner_municipality"}


class IatiExportError(ValueError):
    """The export would break an IATI rule (listed), or the plan lacks what IATI needs."""


def measure_of(indicator: Indicator) -> str:
    """The IATI IndicatorMeasure code of an indicator type."""
    return _MEASURE[indicator.type]


def _num(value: float) -> str:
    """A number as an xsd:decimal (no exponent), shortest form.

    >>> _num(12.0), _num(0.1), _num(1e-7)
    ('12', '0.1', '0.0000001')
    """
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text[:-2] if text.endswith(".0") else text


@dataclass
class _Writer:
    lang: str

    def sub(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})

    def narratives(self, parent: etree._Element, text: Text | str) -> None:
        """One narrative per language that has text: the default language first, without
        xml:lang; the other with it."""
        if isinstance(text, str):
            text = Text(**{self.lang: text})
        langs = [self.lang, *(x for x in LANGUAGES if x != self.lang)]
        for lang in langs:
            own = getattr(text, lang)
            if own:
                el = etree.SubElement(parent, "narrative")
                if lang != self.lang:
                    el.set(XML_LANG, lang)
                el.text = own

    def texted(self, parent: El, tag: str, text: Text | str, **attrs: str) -> None:
        el = self.sub(parent, tag, **attrs)
        self.narratives(el, text)


def _org(w: _Writer, parent: El, role: str, org: OrgConfig, name: Text) -> None:
    attrs = {"role": role}
    if org.ref:
        attrs["ref"] = org.ref
    if org.type:
        attrs["type"] = org.type
    el = w.sub(parent, "participating-org", **attrs)
    w.narratives(el, org.name or name)


def _participants(w: _Writer, activity: El, plan: Plan, config: IatiConfig) -> None:
    funders = {e.source for e in plan.edges_of_kind("FUNDS")}
    partnering = {e.source for e in plan.edges_of_kind("PARTNERS_IN")}
    for node in plan.of_kind("Partner"):
        if node.props.get("status") == "prospective":
            continue
        org = config.participating_orgs.get(node.id, OrgConfig())
        kind = node.props.get("partner_type")
        role = org.role
        if not role and node.id in funders and kind == "donor":
            role = "1"
        elif not role and kind in _IMPLEMENTING and node.id in partnering | funders:
            role = "4"
        if not role:
            continue
        if not org.type and kind in _LOCAL_GOVERNMENT:
            org = OrgConfig(org.ref, "11", org.name, role)
        _org(w, activity, role, org, node.title)


def _publishers(
    w: _Writer, activity: El, indicators: Sequence[Indicator], config: IatiConfig
) -> None:
    """The publishers whose results are re-published here, as implementing organisations."""
    named = {config.reporting_org.ref, *(o.ref for o in config.participating_orgs.values())}
    for ref in sorted({origin_publisher(i.origin) for i in indicators if i.origin}):
        if ref and ref not in named:
            el = w.sub(activity, "participating-org", role="4", ref=ref)
            w.narratives(el, Text(**{w.lang: f"Results imported from {ref}'s IATI data"}))


def _sdg_tags(w: _Writer, activity: El, plan: Plan) -> None:
    aligned = {e.target for e in plan.edges_of_kind("ALIGNS_WITH")}
    goal_of = {e.source: e.target for e in plan.edges_of_kind("SUBTARGET_OF")}
    goals: dict[int, Node] = {}
    targets: dict[str, Node] = {}
    for node_id in sorted(aligned):
        node = plan.get(node_id)
        if node is None:
            continue
        if node.kind == "SDGTarget":
            targets[node.props["code"]] = node
            goal = plan.get(goal_of.get(node_id, ""))
            if goal is not None:
                goals[goal.props["number"]] = goal
        elif node.kind == "SDG":
            goals[node.props["number"]] = node
    for number, node in sorted(goals.items()):
        w.texted(activity, "tag", node.title, vocabulary="2", code=str(number))
    for code, node in sorted(
        targets.items(), key=lambda x: [int(p) for p in x[0].split(".") if p.isdigit()]
    ):
        w.texted(activity, "tag", node.title, vocabulary="3", code=code)


def _document_links(w: _Writer, parent: El, evidence: Sequence[str], lang: str) -> None:
    for item in evidence:
        if not item.startswith(("http://", "https://")):
            continue
        kind = mimetypes.guess_type(item.split("?")[0])[0] or "text/html"
        link = w.sub(parent, "document-link", url=item, format=kind)
        name = item.rstrip("/").rsplit("/", 1)[-1] or item
        w.texted(link, "title", Text(**{lang: f"Evidence: {name}"}))
        w.sub(link, "category", code="A08")


def _pw_value(parent: El, rec: Record, *, part: Record | None = None) -> None:
    """The Pathways extension of a value: what IATI cannot hold."""
    source = part if part is not None else rec
    attrs = {}
    for name in ("numerator", "denominator"):
        x = source.get(name)
        if x is not None and not (isinstance(x, float) and math.isnan(x)):
            attrs[name] = _num(x)
    if source.get("level"):
        attrs["level"] = source["level"]
    if part is None:
        if rec.get("illustrative"):
            attrs["illustrative"] = "true"
        if rec.get("comment") and rec.get("narrative"):
            attrs["comment"] = rec["comment"]
    el = etree.SubElement(parent, PW + "value", attrs)
    if part is None:
        for item in json.loads(rec["evidence"]) if rec.get("evidence") else ():
            etree.SubElement(el, PW + "evidence").text = item


def _point_value(ind: Indicator, value: float | None, level: str | None) -> str | None:
    """An IATI value: the number (percent for percentages), or the 1-based level index."""
    if ind.type is IndicatorType.NARRATIVE:
        return None
    if ind.type is IndicatorType.ORDINAL:
        index = ind.level_index(level)
        return None if index is None else str(index + 1)
    return None if value is None else _num(value)


def _actuals(w: _Writer, period_el: El, ind: Indicator, rec: Record) -> None:
    measure = measure_of(ind)
    illustrative = bool(rec.get("illustrative")) or ind.illustrative
    parts = part_dicts(rec.get("parts") or "")
    value = None
    if measure != "5":
        value = _point_value(ind, _float(rec.get("value")), rec.get("level") or None)
        if value is None and not parts:
            raise IatiExportError(f"{ind.code} {rec['period']}: an approved value has no number")
    if value is None and measure != "5":
        _part_actuals(w, period_el, ind, rec, parts)  # imported by dimension only: no total
        return
    total = w.sub(period_el, "actual")
    if value is not None:
        total.set("value", value)
    text = rec.get("narrative") if measure == "5" else rec.get("comment")
    text = text or ""
    if illustrative:
        text = f"{ILLUSTRATIVE_PREFIX} {text}".strip()
    if text:
        w.texted(total, "comment", Text(**{w.lang: text}))
    evidence = json.loads(rec["evidence"]) if rec.get("evidence") else []
    _document_links(w, total, evidence, w.lang)
    _pw_value(total, {**rec, "illustrative": illustrative})
    _part_actuals(w, period_el, ind, rec, parts)


def _part_actuals(
    w: _Writer, period_el: El, ind: Indicator, rec: Record, parts: Sequence[Record]
) -> None:
    """One ``actual`` per disaggregated part, with its dimensions."""
    for part in parts:
        el = w.sub(period_el, "actual")
        value = _point_value(ind, part.get("value"), part.get("level"))
        if ind.type is IndicatorType.PERCENTAGE and part.get("denominator"):
            value = _num(part["numerator"] / part["denominator"] * 100.0)
        if value is not None:
            el.set("value", value)
        for name, dim_value in sorted(part["dims"].items()):
            w.sub(el, "dimension", name=name, value=dim_value)
        _pw_value(el, rec, part=part)


def _float(x: Any) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _indicator(
    w: _Writer, result_el: El, ind: Indicator, counted: dict[str, Record], plan: Plan
) -> None:
    attrs = {"measure": measure_of(ind)}
    if ind.type is not IndicatorType.NARRATIVE and ind.direction is not Direction.MAINTAIN:
        attrs["ascending"] = "1" if ind.direction is Direction.INCREASE else "0"
    el = w.sub(result_el, "indicator", **attrs)
    w.texted(el, "title", ind.title)
    others = {name for name, _, _ in ind.other_languages}
    if ind.definition or "definition" in others:
        w.texted(el, "description", ind.definition)
    for name, lang, text in ind.other_languages:  # as imported, with their language
        parent = el.find("title" if name == "title" else "description")
        etree.SubElement(parent, "narrative", {XML_LANG: lang}).text = text
    if ind.sdg_indicators:
        w.sub(
            el,
            "reference",
            vocabulary="9",
            code=ind.sdg_indicators[0],
            indicator_uri="https://unstats.un.org/sdgs/metadata/",
        )
    w.sub(el, "reference", vocabulary="99", code=ind.code)
    b = ind.baseline
    base_value = _point_value(ind, b.value, b.level) if b else None
    if b is not None and (b.date is not None or b.year) and base_value is not None:
        if b.date is not None:
            base = w.sub(el, "baseline", year=str(b.date.year), iso_date=b.date.isoformat())
        else:  # a baseline known by its year only: no iso-date is invented
            base = w.sub(el, "baseline", year=str(b.year))
        base.set("value", base_value)
        if b.source:
            w.texted(base, "comment", Text(**{w.lang: b.source}))
    periods = indicator_periods(ind)
    end_period = _end_period(ind, periods)
    for period in periods:
        target = ind.target_for(period.id)
        rec = counted.get(period.id)
        end = ind.end_target if period is end_period else None
        if target is None and rec is None and end is None:
            continue
        _period(w, el, ind, period, target, rec, end)
    _pw_indicator(el, ind)


def _end_period(ind: Indicator, periods: Sequence[Period]) -> Period | None:
    """The period whose IATI ``target`` carries the end target (IATI has targets per period
    only): the one holding its date (default: the last period's end), when that period has no
    target of its own. None when there is no such period or no end target."""
    e = ind.end_target
    if e is None or not periods or ind.type is IndicatorType.NARRATIVE:
        return None
    day = e.date or periods[-1].end
    holding = [p for p in periods if p.start <= day <= p.end]
    period = (
        holding[0]
        if holding
        else max((p for p in periods if p.end <= day), key=lambda p: p.end, default=periods[-1])
    )
    return None if ind.target_for(period.id) is not None else period


def _period(
    w: _Writer,
    parent: El,
    ind: Indicator,
    period: Period,
    target: PeriodTarget | None,
    rec: Record | None,
    end: EndTarget | None = None,
) -> None:
    el = w.sub(parent, "period")
    w.sub(el, "period-start", iso_date=period.start.isoformat())
    w.sub(el, "period-end", iso_date=period.end.isoformat())
    point = target if target is not None else end
    if point is not None:
        value = _point_value(ind, point.value, point.level)
        t = w.sub(el, "target")
        if value is not None:
            t.set("value", value)
        comment = target.comment if target is not None else ""
        if ind.illustrative:
            comment = f"{ILLUSTRATIVE_TARGET} {comment}".strip()
        if comment:
            w.texted(t, "comment", Text(**{w.lang: comment}))
        if target is None:  # the end target: the Pathways definition holds it as such
            etree.SubElement(t, PW + "end-target")
    if rec is not None:
        _actuals(w, el, ind, rec)
    etree.SubElement(el, PW + "period", id=period.id)


def _own_facts(plan: Plan, config: IatiConfig) -> Mapping[str, Any]:
    """Where the exported activity's own status and dates are: the Plan node of a plan an
    import started from one activity, else the ``IatiActivity`` node of the configured
    identifier (the organisation's own file imported into its plan), else nowhere."""
    props = plan.root.props if plan.root is not None else {}
    if any(k.startswith("iati_") and v for k, v in props.items()):
        return props
    for node in plan.of_kind("IatiActivity"):
        if node.props.get("identifier") == config.activity_identifier:
            return node.props
    return {}


def _pw_activities(activity: El, plan: Plan, config: IatiConfig) -> None:
    """Every other imported activity's status and dates, as ``pw:activity`` elements at the
    end of the activity (IATI has no place for another activity's facts in this one; a
    Pathways import reads them back into ``IatiActivity`` nodes)."""
    for node in sorted(plan.of_kind("IatiActivity"), key=lambda n: n.id):
        if node.props.get("identifier") == config.activity_identifier:
            continue
        attrs = {a: str(node.props[f]) for a, f in PW_ACTIVITY.items() if node.props.get(f)}
        attrs |= {f"title-{x}": getattr(node.title, x) for x in LANGUAGES if getattr(node.title, x)}
        etree.SubElement(activity, PW + "activity", attrs, id=node.id)


def _pw_indicator(parent: El, ind: Indicator) -> None:
    el = etree.SubElement(parent, PW + "definition")
    el.text = json.dumps(encode_indicator(ind), ensure_ascii=False)


def build_activities(
    plan: Plan,
    indicators: Sequence[Indicator],
    revisions: pd.DataFrame,
    config: IatiConfig,
    *,
    lang: str | None = None,
    before: str | None = None,
    generated: dt.datetime | None = None,
    include_imported: bool = False,
) -> etree._ElementTree:
    """The ``iati-activities`` document of the plan's results framework.

    ``revisions`` is the revision log in record form (see :mod:`indicators.records`); only
    the latest approved revision of each measurement recorded before ``before`` is exported.
    ``lang`` is the default language of the narratives (default: the configuration's).
    Only the organisation's own indicators are published: those imported from another
    publisher's file (with an ``origin``) only with ``include_imported``, and then that
    publisher is named as an implementing participating-org.
    Raises :class:`IatiExportError` when the plan has no Plan node or the result breaks an
    IATI rule the schema does not check.
    """
    if not include_imported:
        indicators = [i for i in indicators if not i.origin]
    root_node = plan.root
    if root_node is None:
        raise IatiExportError("the store holds no plan; load one first (toc load)")
    lang = lang or config.default_language
    w = _Writer(lang)
    moment = (generated or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    stamp = moment.isoformat().replace("+00:00", "Z")
    nsmap = {"pw": PW_NS}
    root = etree.Element(
        "iati-activities", {"version": "2.03", "generated-datetime": stamp}, nsmap=nsmap
    )
    currency = config.currency or root_node.props.get("currency", "")
    activity = w.sub(root, "iati-activity", last_updated_datetime=stamp)
    activity.set(XML_LANG, lang)
    if currency:
        activity.set("default-currency", currency)
    w.sub(activity, "iati-identifier").text = config.activity_identifier
    rep = config.reporting_org
    rep_attrs = {"ref": rep.ref, **({"type": rep.type} if rep.type else {})}
    w.texted(activity, "reporting-org", rep.name, **rep_attrs)
    w.texted(activity, "title", root_node.title)
    w.texted(activity, "description", root_node.description or root_node.title, type="1")
    illustrative = any(i.illustrative for i in indicators)
    counted = counting_frame(revisions, before) if len(revisions) else revisions
    if len(counted):
        illustrative = illustrative or bool(counted["illustrative"].astype(bool).any())
    notices = [
        n
        for n, on in ((ILLUSTRATIVE_ACTIVITY, illustrative), (EXAMPLE_IDENTIFIERS, config.example))
        if on
    ]
    if notices:
        w.texted(activity, "description", Text(**{lang: " ".join(notices)}), type="4")
    _org(w, activity, "2", rep, rep.name)
    _participants(w, activity, plan, config)
    _publishers(w, activity, indicators, config)
    facts = _own_facts(plan, config)
    status = facts.get("iati_activity_status") or config.activity_status
    w.sub(activity, "activity-status", code=str(status))
    kept = [(code, facts.get(f"iati_{name}")) for code, name in ACTIVITY_DATES.items()]
    if any(day for _, day in kept):  # an imported activity: its own dates
        for code, day in kept:
            if day:
                w.sub(activity, "activity-date", type=code, iso_date=str(day))
    else:
        props = root_node.props
        start, end = props.get("start_year"), props.get("end_year")
        w.sub(activity, "activity-date", type="1", iso_date=f"{start}-01-01")
        w.sub(activity, "activity-date", type="3", iso_date=f"{end}-12-31")
    sector = config.sector or str(root_node.props.get("dac_sector") or "15110")
    w.sub(activity, "sector", vocabulary="1", code=sector, percentage="100")
    _sdg_tags(w, activity, plan)
    by_period: dict[str, dict[str, dict]] = {}
    for rec in counted.to_dict("records") if len(counted) else ():
        by_period.setdefault(rec["indicator"], {})[rec["period"]] = rec
    by_node: dict[str, list[Indicator]] = {}
    for ind in sorted(indicators, key=lambda i: i.code):
        by_node.setdefault(ind.measures[0], []).append(ind)
    level = {"StrategicObjective": 0, "Objective": 1, "Outcome": 2, "Output": 3}
    nodes = sorted(
        (node for node in map(plan.get, by_node) if node is not None),
        key=lambda n: (level.get(n.kind, 9), n.id),
    )
    for node in nodes:
        result = w.sub(activity, "result", type=RESULT_TYPE.get(node.kind, "9"))
        w.texted(result, "title", node.title)
        if node.description:
            w.texted(result, "description", node.description)
        for ind in by_node[node.id]:
            _indicator(w, result, ind, by_period.get(ind.code, {}), plan)
        etree.SubElement(result, PW + "node", id=node.id, kind=node.kind)
    if include_imported:
        _pw_activities(activity, plan, config)
    problems = check_activity(activity, now=moment + dt.timedelta(minutes=1))
    if problems:
        raise IatiExportError(
            "the export breaks IATI rules:\n" + "\n".join(f"  {p}" for p in problems)
        )
    tree = etree.ElementTree(root)
    checker = schema()
    if not checker.validate(tree):  # what is written must be valid IATI 2.03, checked here
        errors = [f"  {e.message}" for e in list(checker.error_log)[:20]]
        raise IatiExportError("the export is not valid IATI 2.03 XML:\n" + "\n".join(errors))
    return tree


def export_bytes(
    plan: Plan,
    indicators: Sequence[Indicator],
    revisions: pd.DataFrame,
    config: IatiConfig,
    *,
    lang: str | None = None,
    before: str | None = None,
    generated: dt.datetime | None = None,
    include_imported: bool = False,
) -> bytes:
    """The document of :func:`build_activities` as UTF-8 XML bytes, indented."""
    tree = build_activities(
        plan,
        indicators,
        revisions,
        config,
        lang=lang,
        before=before,
        generated=generated,
        include_imported=include_imported,
    )
    etree.indent(tree, space=" ")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
