"""Import the results section of an IATI 2.0x activity file into the stored plan: results become
nodes, indicators become indicator definitions, actuals become approved measurements.

An import is a dry run first (:func:`check_file`, or :func:`analyse` on data already read):
the whole file is read and checked against the stored plan, indicators and values before
anything is written, and every problem is listed with the file, line, XPath and reason.
A file with any error changes nothing. :func:`commit` then writes the plan (new result
nodes), the indicator definitions and the approved revisions in one unit of work of the
store: one transaction, so a failure or a kill -9 midway leaves the store as it was, with
no attempt in the plan history or the definition versions.

Mapping (docs/iati.md): a ``result`` is the node its Pathways extension names (an export of
Pathways), else a new Output (type 1) or Outcome (other types) ``iati.rN``; an ``indicator``
is the definition its extension holds, updated with what the IATI elements say (titles,
description, direction, baseline, targets), else a new one ``iati.rN.iM`` (or the code of its
vocabulary-99 reference): measure 1 is a number, 2 a percentage, 4 an ordinal scale, 5 a
narrative (measure 3, nominal, has no Pathways type and is refused). Periods must be whole
years, half years or quarters. Each ``actual`` without ``dimension`` is the total of its
period, those with dimensions its disaggregated parts. Values are recorded as approved, with
the file and activity as the revision's reason (a system note, :mod:`indicators.system_notes`);
a value equal to the one already approved is left alone, so importing a file twice changes
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from indicators.catalog import protected_changes
from indicators.definitions import (
    check_against_plan,
    decode_indicator,
    encode_indicator,
    indicator_periods,
    with_plan_years,
)
from indicators.errors import IndicatorError, PermissionDenied, StoreError
from indicators.iati_export import ACTIVITY_DATES, PW, PW_ACTIVITY
from indicators.iati_read import (
    XML_LANG,
    IatiProblem,
    IndicatorRead,
    Problems,
    activity_key,
    element_text,
    identifier,
    parse_activities,
    parse_date,
    read_indicator,
    report_unknown,
)
from indicators.iati_rules import check_results
from indicators.model import (
    CAUSAL_MEASURABLE,
    Indicator,
    Revision,
    RevisionStatus,
    iati_origin,
    now_stamp,
)
from indicators.records import revisions_to_frame
from indicators.store_protocol import IndicatorStorage
from indicators.system_notes import iati_import_note
from indicators.workflow import check_value, latest, may, value_flags
from toc.errors import Issue, PlanError
from toc.kinds import LANGUAGES
from toc.model import Node, Plan, Text
from toc.validate import validate

#: Ruleset rules whose breach the import reports as a warning and reads past.
_WARNING_RULES = frozenset({"8.11.1"})

__all__ = ["IatiImport", "IatiImportFailed", "IatiProblem", "analyse", "check_file", "commit"]


class IatiImportFailed(IndicatorError):
    """An IATI file has errors; nothing was written. ``problems`` lists all of them."""

    def __init__(self, file: str, problems: Sequence[IatiProblem]) -> None:
        self.file = file
        self.problems = list(problems)
        errors = [p for p in self.problems if p.level == "error"]
        super().__init__(f"{file}: {len(errors)} problem(s); nothing was imported")


@dataclass
class IatiImport:
    """The result of checking a file: its problems and, when it has none, what a commit
    writes (``plan`` and ``indicators`` are None when they do not change)."""

    file: str
    #: The activity imported (its iati-identifier), or ``"N activities"``.
    activity: str = ""
    #: The iati-identifiers of the activities imported, in file order.
    activities: tuple[str, ...] = ()
    problems: list[IatiProblem] = field(default_factory=list)
    plan: Plan | None = None
    indicators: list[Indicator] | None = None
    revisions: list[Revision] = field(default_factory=list)
    expected_count: int = 0
    results: int = 0
    new_nodes: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    values: int = 0
    unchanged: int = 0
    author: str = ""

    @property
    def errors(self) -> list[IatiProblem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[IatiProblem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def illustrative(self) -> int:
        return sum(1 for r in self.revisions if r.illustrative)


# -- the whole file --------------------------------------------------------------------------------


def _node_for(
    result: etree._Element,
    position: str,
    plan: Plan,
    lang: str,
    out: Problems,
    counts: dict[str, int],
) -> Node | None:
    marker = result.find(PW + "node")
    kind_code = result.get("type")
    if marker is not None:
        node_id, kind = marker.get("id", ""), marker.get("kind", "")
        if kind not in CAUSAL_MEASURABLE or not node_id:
            out.add(marker, f"the Pathways node {node_id!r} of kind {kind!r} cannot be measured")
            return None
    else:
        node_id = f"iati.{position}"
        kind = "Output" if kind_code == "1" else "Outcome"
    existing = plan.get(node_id)
    if existing is not None:
        if existing.kind != kind:
            out.add(result, f"node {node_id} is a {existing.kind} in the plan, not a {kind}")
            return None
        return existing
    title = element_text(result.find("title"), lang, out)
    if not title:
        out.add(result, "the result has no title")
        return None
    props = {}
    if kind in ("Objective", "StrategicObjective"):
        counts[kind] = counts.get(kind, len(plan.of_kind(kind))) + 1
        props["number"] = counts[kind]
    return Node(
        kind,
        node_id,
        title,
        element_text(result.find("description"), lang, out),
        source="",
        note="Imported from an IATI result.",
        props=props,
    )


def _plan_root(
    activities: Sequence[etree._Element], lang: str, out: Problems, reads: list[IndicatorRead]
) -> Node | None:
    """The Plan node of a store without plan: title, publisher, currency and description of
    the file's first activity, years of all activities' dates and periods."""
    activity = activities[0]
    title = element_text(activity.find("title"), lang, out)
    org = activity.find("reporting-org")
    organisation = (
        (element_text(org, lang, out).get(lang) or (org.get("ref") or ""))
        if org is not None
        else ""
    )
    currency = activity.get("default-currency", "")
    years = []
    for each in activities:
        for el in each.findall("activity-date"):
            day = parse_date(el.get("iso-date"))
            if day is not None:
                years.append(day.year)
    for read in reads:
        for y in (read.indicator.start_year, read.indicator.end_year):
            if y:
                years.append(y)
    missing = [
        n
        for n, v in (
            ("a title", title),
            ("a reporting-org", organisation),
            ("a default-currency", currency),
            ("dates", years),
        )
        if not v
    ]
    if missing:
        out.add(
            activity,
            f"the store holds no plan, and the activity lacks {', '.join(missing)} to start one",
        )
        return None
    general = [d for d in activity.findall("description") if d.get("type", "1") == "1"]
    props: dict[str, object] = {
        "organisation": organisation,
        "start_year": min(years),
        "end_year": max(years),
        "currency": currency,
    }
    if len(activities) == 1:  # the plan is this activity: keep its status and dates
        props |= _activity_facts(activity)
    return Node(
        "Plan",
        "plan",
        title,
        element_text(general[0], lang, out) if general else Text(),
        props=props,
    )


def _activity_facts(activity: etree._Element) -> dict[str, str]:
    """The activity's status code and dates, as the Plan fields the export writes back."""
    facts: dict[str, str] = {}
    status = activity.find("activity-status")
    code = (status.get("code") or "").strip() if status is not None else ""
    if code in {"1", "2", "3", "4", "5", "6"}:
        facts["iati_activity_status"] = code
    for el in activity.findall("activity-date"):
        name = ACTIVITY_DATES.get(el.get("type", ""))
        day = parse_date(el.get("iso-date"))
        if name and day is not None and f"iati_{name}" not in facts:
            facts[f"iati_{name}"] = day.isoformat()
    return facts


def _activity_node(activity: etree._Element, position: int, out: Problems) -> Node | None:
    """The ``IatiActivity`` node that keeps an imported activity's status and dates in a plan
    it did not start (None when the activity has no identifier or neither status nor
    dates, or a Pathways export's: its status and dates are those of the plan it was
    written from, and the other activities it names come as ``pw:activity``). Its id
    ``iati.<key>`` carries the key of the activity's codes, so importing the same file again
    finds it."""
    ident = identifier(activity)
    facts = _activity_facts(activity)
    if not ident or not facts or activity.find(f"result/{PW}node") is not None:
        return None
    lang = (activity.get(XML_LANG) or "en").lower()
    # Its title's warnings (other languages) are reported once, with the results.
    title = element_text(activity.find("title"), lang, Problems(out.file))
    org = activity.find("reporting-org")
    publisher = (org.get("ref") or "").strip() if org is not None else ""
    props: dict[str, object] = {
        "identifier": ident,
        **({"publisher": publisher} if publisher else {}),
    }
    return Node(
        "IatiActivity",
        f"iati.{activity_key(activity, position)}",
        title if (title.nl or title.en) else Text(en=ident),
        props={**props, **facts},
    )


_PW_ACTIVITY_ID = re.compile(r"^iati\.[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}$")


def _pw_activity_node(el: etree._Element, out: Problems) -> Node | None:
    """The ``IatiActivity`` node a ``pw:activity`` element of a Pathways export gives back
    (another activity's status and dates); its fields are checked with the plan."""
    node_id = el.get("id") or ""
    unknown = sorted(set(el.attrib) - {"id", *PW_ACTIVITY, *(f"title-{x}" for x in LANGUAGES)})
    ident = (el.get("identifier") or "").strip()
    if not _PW_ACTIVITY_ID.match(node_id) or not ident or unknown:
        why = (
            f"unknown attributes {unknown}"
            if unknown
            else "it needs an id iati.<key> and an identifier"
        )
        out.add(el, f"pw:activity is not one Pathways writes: {why}")
        return None
    title = Text(**{x: el.get(f"title-{x}", "") for x in LANGUAGES})
    props = {f: el.get(a, "").strip() for a, f in PW_ACTIVITY.items() if el.get(a, "").strip()}
    return Node(
        "IatiActivity", node_id, title if (title.nl or title.en) else Text(en=ident), props=props
    )


def _kept_activity(plan: Plan, node: Node) -> Node | None:
    """``node`` as the plan should hold it: the stored node with the file's title and facts
    (a note added in the plan stays); None when the plan holds it so already."""
    stored = plan.get(node.id)
    if stored is None:
        return node
    kept = replace(stored, title=node.title, props=node.props)
    return None if kept == stored else kept


def _origin(activity: etree._Element) -> str:
    """The provenance of what a plain IATI file holds (:func:`indicators.model.iati_origin`):
    its reporting-org ref and the activity's iati-identifier."""
    org = activity.find("reporting-org")
    ref = (org.get("ref") or "").strip() if org is not None else ""
    return iati_origin(ref, identifier(activity))


@dataclass
class _Read:
    """What the activities of a file hold, gathered across them: the nodes their results
    stand for and the indicators, by id and code, and which activity each indicator is from
    (so that codes and nodes of two activities never meet unnoticed)."""

    nodes: dict[str, Node] = field(default_factory=dict)
    reads: dict[str, IndicatorRead] = field(default_factory=dict)
    activity_of: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)


def _read_results(
    activity: etree._Element, key: str, plan: Plan, lang: str, out: Problems, into: _Read
) -> None:
    """The nodes one activity's results stand for and the indicators read, added to
    ``into``; generated ids and codes carry the activity's ``key``."""
    origin = _origin(activity)
    nodes, reads, counts, first_line = into.nodes, into.reads, into.counts, into.first_line
    ident = identifier(activity)
    for r_pos, result in enumerate(activity.findall("result"), 1):
        report_unknown(result, out)
        node = _node_for(result, f"{key}.r{r_pos}", plan, lang, out, counts)
        if node is None:
            continue
        if node.id in nodes:
            out.add(result, f"node {node.id} has a result already (line {first_line[node.id]})")
            continue
        nodes[node.id], first_line[node.id] = node, result.sourceline
        for i_pos, el in enumerate(result.findall("indicator"), 1):
            read = read_indicator(el, node.id, f"{key}.r{r_pos}.i{i_pos}", lang, out, origin)
            if read is None:
                continue
            code = read.indicator.code
            if code in reads and read.publisher_code:
                # Publishers reuse their own codes; the generated one keeps both indicators.
                generated = f"iati.{read.position}"
                line = reads[code].element.sourceline
                out.add(
                    el,
                    f"indicator code {code} is used before (line {line}); this indicator is "
                    f"imported as {generated}",
                    "warning",
                )
                read = replace(read, indicator=replace(read.indicator, code=generated))
                code = generated
            if code in reads:
                line = reads[code].element.sourceline
                out.add(el, f"indicator {code} is given twice (first on line {line})")
            reads[code] = read
            into.activity_of[code] = ident


def _result_of(activities: Sequence[etree._Element], node_id: str | None) -> etree._Element:
    """The result element standing for a node (else the first activity), to point problems
    at."""
    for activity in activities:
        for result in activity.findall("result"):
            marker = result.find(PW + "node")
            if marker is not None and marker.get("id") == node_id:
                return result
    return activities[0]


def _check_definitions(
    reads: dict[str, IndicatorRead],
    new_plan: Plan,
    old: dict[str, Indicator],
    measured: set[str],
    activity: etree._Element,
    out: Problems,
) -> list[Indicator]:
    """The imported definitions, completed from the plan and checked with the rules of a
    definitions file and of the catalogue; problems point at the indicator elements."""
    imported = []
    for read in reads.values():
        ind = read.indicator
        partner = new_plan.get(ind.responsible) if ind.responsible else None
        if ind.responsible and (partner is None or partner.kind != "Partner"):
            out.add(
                read.element,
                f"the responsible partner {ind.responsible!r} is not in the plan; the "
                "indicator is imported without it",
                "warning",
            )
            ind = replace(ind, responsible="")
        ind = with_plan_years(ind, new_plan)
        issues: list[Issue] = []
        decode_indicator(encode_indicator(ind), None, None, issues)  # baseline, end target...
        for issue in issues:
            out.add(read.element, f"as a Pathways {ind.type.value} indicator: {issue.message}")
        imported.append(ind)
    for issue in check_against_plan(imported, new_plan):
        if issue.level == "error":
            out.add(reads[issue.id].element if issue.id in reads else activity, issue.message)
    new_set = {**old, **{i.code: i for i in imported}}
    for issue in protected_changes(old, new_set, measured):
        found = reads.get(issue.id or "")
        out.add(found.element if found else activity, f"{issue.id} {issue.message}")
    return imported


def _revisions(
    imported: Sequence[Indicator],
    reads: dict[str, IndicatorRead],
    activity_of: dict[str, str],
    revisions: Sequence[Revision],
    report: IatiImport,
    role: str,
    now: str,
    out: Problems,
) -> None:
    """The approved revisions of the values read, into ``report``: values equal to the
    approved ones are counted as unchanged."""
    history: dict[tuple[str, str], list[Revision]] = {}
    for rev in revisions:
        history.setdefault(rev.key, []).append(rev)
    name = Path(report.file).name
    for ind in imported:
        reason = iati_import_note(activity_of.get(ind.code, ""), name)
        own = {p.id for p in indicator_periods(ind)}
        for period_id, (value, marked, element) in reads[ind.code].values.items():
            if period_id not in own:
                out.add(
                    element,
                    f"period {period_id} is outside {ind.code}'s reporting years "
                    f"({ind.start_year}-{ind.end_year})",
                )
                continue
            problems = check_value(ind, value, total_optional=True)
            for text in problems:
                out.add(element, text)
            if problems:
                continue
            report.values += 1
            past = history.get((ind.code, period_id), [])
            current = latest(past)
            if current and current.status is RevisionStatus.APPROVED and current.value == value:
                report.unchanged += 1
                continue
            report.revisions.append(
                Revision(
                    ind.code,
                    period_id,
                    max((r.revision for r in past), default=0) + 1,
                    RevisionStatus.APPROVED,
                    value,
                    report.author,
                    now,
                    role,
                    reason,
                    base_revision=current.revision if current else 0,
                    illustrative=marked or ind.illustrative,
                    flags=value_flags(ind, value),
                )
            )


def _read_activity(
    activity: etree._Element, position: int, count: int, plan: Plan, out: Problems, into: _Read
) -> None:
    """Check one activity with the ruleset and read its results into ``into``. In a file of
    several activities one without results is skipped with a warning (publishers' files
    hold activities with budgets or transactions only)."""
    lang = (activity.get(XML_LANG) or "en").lower()
    for problem in check_results(activity):
        found = activity.getroottree().xpath(problem.xpath)
        # 8.11.1 (references at result and indicator level) is broken by IATI's own 2.03
        # example; both references are harmless to the import.
        level = "warning" if problem.rule in _WARNING_RULES else "error"
        out.add(found[0] if found else activity, f"[{problem.rule}] {problem.message}", level)
    if activity.find("result") is None:
        if count == 1:
            out.add(activity, "the activity has no results to import")
        else:
            name = identifier(activity) or f"number {position}"
            out.add(activity, f"activity {name} has no results; it is skipped", "warning")
        return
    _read_results(activity, activity_key(activity, position), plan, lang, out, into)


def analyse(
    data: bytes,
    file: str,
    plan: Plan,
    indicators: Sequence[Indicator],
    revisions: Sequence[Revision],
    *,
    author: str,
    role: str = "me_officer",
    now: str | None = None,
    activity_id: str | None = None,
) -> IatiImport:
    """Check an IATI document against a plan, its indicators and its revisions (pure: the
    dry run of :func:`check_file`); the report lists every problem and, when there is none,
    what :func:`commit` would write."""
    if not may(role, "approve"):
        raise PermissionDenied(f"a {role or 'user without role'} may not import approved values")
    out = Problems(file)
    report = IatiImport(file, author=author)
    activities = parse_activities(data, out, activity_id)
    if not activities:
        report.problems = out.items
        return report
    report.activities = tuple(identifier(a) for a in activities)
    report.activity = (
        report.activities[0] if len(activities) == 1 else f"{len(activities)} activities"
    )
    read = _Read()
    for position, activity in enumerate(activities, 1):
        _read_activity(activity, position, len(activities), plan, out, read)
    report.results = sum(len(a.findall("result")) for a in activities)
    if not report.results and len(activities) > 1:
        out.add(activities[0].getparent(), "none of the activities has results to import")
    nodes, reads = read.nodes, read.reads
    if out.errors:
        report.problems = sorted(out.items)
        return report

    new_nodes = [n for n in nodes.values() if plan.get(n.id) is None]
    changed_nodes: dict[str, Node] = {}
    if plan.root is None:
        lang = (activities[0].get(XML_LANG) or "en").lower()
        root = _plan_root(activities, lang, out, list(reads.values()))
        if root is not None:
            new_nodes.insert(0, root)
    found: list[Node | None] = [
        _pw_activity_node(el, out) for a in activities for el in a.findall(PW + "activity")
    ]
    if plan.root is not None or len(activities) > 1:  # else the Plan node keeps the facts
        found += [
            _activity_node(activity, position, out)
            for position, activity in enumerate(activities, 1)
            if activity.find("result") is not None
        ]
    # One node per activity: what a file's own activity says wins over a pw:activity.
    by_id = {node.id: node for node in found if node is not None}
    for node in by_id.values():
        kept = _kept_activity(plan, node)
        if kept is None:
            continue
        if plan.get(kept.id) is None:
            new_nodes.append(kept)
        else:
            changed_nodes[kept.id] = kept
    new_plan = Plan.of([*(changed_nodes.get(n.id, n) for n in plan.nodes), *new_nodes], plan.edges)
    for issue in validate(new_plan):
        if issue.level == "error":
            where = _result_of(activities, issue.id)
            out.add(where, f"the plan would not be valid: [{issue.id}] {issue.message}")
    old = {i.code: i for i in indicators}
    measured = {r.indicator for r in revisions}
    imported = _check_definitions(reads, new_plan, old, measured, activities[0], out)
    if not out.errors:
        stamp = now or now_stamp()
        _revisions(imported, reads, read.activity_of, revisions, report, role, stamp, out)
    report.problems = sorted(out.items)
    if report.errors:
        report.revisions = []
        return report
    new_set = {**old, **{i.code: i for i in imported}}
    report.expected_count = len(revisions)
    report.new_nodes = tuple(n.id for n in new_nodes)
    report.plan = new_plan if new_nodes or changed_nodes else None
    report.added = tuple(sorted(c for c in reads if c not in old))
    report.changed = tuple(sorted(c for c in reads if c in old and old[c] != new_set[c]))
    if report.added or report.changed:
        report.indicators = [new_set[c] for c in sorted(new_set)]
    return report


def check_file(
    store: IndicatorStorage,
    path: str | Path,
    *,
    author: str,
    role: str = "me_officer",
    activity_id: str | None = None,
    now: str | None = None,
) -> IatiImport:
    """The dry run: read ``path`` and check it against what the store holds. Writes nothing."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IndicatorError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise IndicatorError(f"{path}: is a folder, not a file") from None
    revisions = store.measurement_revisions()
    report = analyse(
        data,
        str(path),
        store.load_plan(),
        store.indicators(),
        revisions,
        author=author,
        role=role,
        now=now,
        activity_id=activity_id,
    )
    report.expected_count = store.revision_count()
    return report


def commit(store: IndicatorStorage, report: IatiImport) -> None:
    """Write a checked import, plan, definitions and values, in one unit of work of the store
    (:meth:`graphdb.store.GraphStore.unit_of_work`): all of it or, when any write fails or
    the process dies, none of it, with nothing in the history. Raises
    :class:`IatiImportFailed` for a report with errors."""
    if report.errors:
        raise IatiImportFailed(report.file, report.problems)
    message = f"IATI import of {report.activity} from {Path(report.file).name}"
    try:
        with store.unit_of_work():
            if report.plan is not None:
                store.save_plan(report.plan, author=report.author, message=message)
            if report.indicators is not None:
                store.save_indicators(report.indicators, author=report.author, message=message)
            if report.revisions:
                store.append_revisions(
                    revisions_to_frame(report.revisions), expected_count=report.expected_count
                )
    except (StoreError, IndicatorError, PlanError, OSError, RuntimeError) as e:
        raise IndicatorError(
            f"{report.file}: the import failed while writing; nothing was imported ({e})"
        ) from e
