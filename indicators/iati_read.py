"""Reading an IATI 2.0x activity file for the import: the XML parsed with line numbers, and
each ``result/indicator`` read into what it says (an indicator definition, targets and actual
values), every problem noted with line and XPath. :mod:`indicators.iati_import` puts the
results together, checks them against the stored plan and writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from lxml import etree

from indicators.definitions import (
    CODE,
    DIMENSION_NAME,
    RESERVED_COLUMNS,
    decode_indicator,
)
from indicators.iati_export import ILLUSTRATIVE_PREFIX, ILLUSTRATIVE_TARGET, PW, measure_of
from indicators.model import (
    Baseline,
    Dimension,
    EndTarget,
    Frequency,
    Indicator,
    IndicatorType,
    Level,
    MeasurementValue,
    Part,
    PeriodTarget,
)
from indicators.periods import PeriodError, custom_period, overlaps, period_of
from indicators.progress import Direction
from toc.errors import Issue
from toc.kinds import LANGUAGES
from toc.model import Text
from toc.numbers import PLAIN, NumberError, reading

__all__ = [
    "XML_LANG",
    "IatiProblem",
    "IndicatorRead",
    "Problems",
    "activity_key",
    "element_text",
    "identifier",
    "parse_activities",
    "parse_activity",
    "parse_date",
    "read_indicator",
    "report_unknown",
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: An xml:lang value kept with a narrative (ISO 639 code, optionally with a region).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")
#: An element of a parsed IATI file.
El: TypeAlias = etree._Element
_TYPES = {
    "1": IndicatorType.NUMBER,
    "2": IndicatorType.PERCENTAGE,
    "4": IndicatorType.ORDINAL,
    "5": IndicatorType.NARRATIVE,
}
_MONTHS = {12: Frequency.YEAR, 6: Frequency.SEMESTER, 3: Frequency.QUARTER}
#: The most levels an ordinal scale read from plain IATI values (1..n) may have.
MAX_LEVELS = 100
_KNOWN = {
    "result": {"title", "description", "document-link", "reference", "indicator"},
    "indicator": {"title", "description", "document-link", "reference", "baseline", "period"},
    "baseline": {"location", "dimension", "document-link", "comment"},
    "period": {"period-start", "period-end", "target", "actual"},
    "target": {"location", "dimension", "comment", "document-link"},
    "actual": {"location", "dimension", "comment", "document-link"},
}
_MAX_PROBLEMS = 500


@dataclass(frozen=True, order=True)
class IatiProblem:
    """One problem of an IATI file: where (line and XPath) and why; ``level`` "error" or
    "warning"."""

    file: str
    line: int
    xpath: str
    reason: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.xpath or '/'}: {self.level}: {self.reason}"


class Problems:
    """The problems found so far, each with the line and XPath of its element."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[IatiProblem] = []
        self.tree: etree._ElementTree | None = None

    def add(self, element: El | None, reason: str, level: str = "error") -> None:
        if len(self.items) >= _MAX_PROBLEMS:
            return
        line = getattr(element, "sourceline", None) or 0
        path = self.tree.getpath(element) if self.tree is not None and element is not None else ""
        self.items.append(IatiProblem(self.file, line, path, reason, level))

    @property
    def errors(self) -> int:
        return sum(1 for p in self.items if p.level == "error")


# -- reading ---------------------------------------------------------------------------------


def parse_activities(
    data: bytes, out: Problems, activity_id: str | None = None
) -> list[etree._Element]:
    """The activities of an IATI document to import: all of them, or the one whose
    iati-identifier is ``activity_id``. Empty (with the problem in ``out``) when the file is
    not an IATI 2.01-2.03 document, names no such activity, or gives one identifier to
    several activities (an identifier must be unique: which one is meant is not known)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line = e.lineno or 0
        out.items.append(IatiProblem(out.file, line, "", f"not well-formed XML: {e.msg}"))
        return []
    out.tree = root.getroottree()
    if root.tag != "iati-activities":
        out.add(root, f"the root element is <{root.tag}>, not <iati-activities>")
        return []
    version = root.get("version", "")
    if not re.fullmatch(r"2\.0[1-3]", version):
        out.add(root, f"IATI version {version!r} is not supported; this reads 2.01 to 2.03")
        return []
    activities = root.findall("iati-activity")
    by_id: dict[str, list[etree._Element]] = {}
    for activity in activities:
        by_id.setdefault(identifier(activity), []).append(activity)
    if activity_id:
        activities = by_id.get(activity_id, [])
        if not activities:
            out.add(root, f"no iati-activity with iati-identifier {activity_id!r}")
            return []
    if not activities:
        out.add(root, "the file holds no iati-activity")
        return []
    chosen = {identifier(a) for a in activities}
    twice = False
    for ident, same in by_id.items():
        if ident in chosen and len(same) > 1:
            twice = True
            lines = ", ".join(str(a.sourceline) for a in same)
            named = f"iati-identifier {ident!r}" if ident else "no iati-identifier"
            out.add(
                same[1],
                f"{len(same)} activities have {named} (lines {lines}); an identifier must "
                "be unique, so none of them is imported",
            )
    return [] if twice else activities


def parse_activity(data: bytes, out: Problems, activity_id: str | None) -> etree._Element | None:
    """The one activity of a document (its only one, or ``activity_id``), else None with the
    problem in ``out``."""
    activities = parse_activities(data, out, activity_id)
    if len(activities) > 1:
        ids = ", ".join(identifier(a) or "?" for a in activities)
        out.add(
            activities[0].getparent(),
            f"the file holds {len(activities)} activities ({ids}); choose one with --activity",
        )
        return None
    return activities[0] if activities else None


def identifier(activity: etree._Element) -> str:
    """An activity's iati-identifier, stripped ('' when it has none)."""
    return (activity.findtext("iati-identifier") or "").strip()


#: The longest activity key in generated codes; longer identifiers are cut and hashed.
_MAX_KEY = 100


def activity_key(activity: etree._Element, position: int) -> str:
    """The part of generated codes (``iati.<key>.r1.i1``) that keeps activities apart: the
    iati-identifier with characters the code rules do not allow replaced by ``_``; when
    anything was replaced or cut, a short hash of the identifier follows, so that two
    identifiers never share a key. An activity without identifier is ``a<position>``."""
    ident = identifier(activity)
    if not ident:
        return f"a{position}"
    key = re.sub(r"[^A-Za-z0-9_.\-]", "_", ident)
    if not key[0].isalnum():
        key = "a" + key
    if key != ident or len(key) > _MAX_KEY:
        digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:8]
        key = f"{key[:_MAX_KEY]}-{digest}"
    return key


def element_text(element: El | None, default_lang: str, out: Problems) -> Text:
    """The narratives of an element as a Dutch/English text (other languages: the first is
    taken as English when there is no English, with a warning)."""
    if element is None:
        return Text()
    found: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for narrative in element.findall("narrative"):
        lang = (narrative.get(XML_LANG) or default_lang or "en").lower()
        text = " ".join((narrative.text or "").split())
        if not text:
            continue
        if lang in LANGUAGES:
            found.setdefault(lang, text)
        else:
            others.append((lang, text))
    if not found and others:
        out.add(
            element,
            f"no Dutch or English narrative; the {others[0][0]!r} one is used as English "
            "(every language is kept on indicators)",
            "warning",
        )
        found["en"] = others[0][1]
    return Text(nl=found.get("nl", ""), en=found.get("en", ""))


def other_narratives(element: El | None, default_lang: str) -> tuple[tuple[str, str], ...]:
    """The narratives of an element in languages other than Dutch and English, as
    ``(language, text)``, the first per language, in file order."""
    if element is None:
        return ()
    found: dict[str, str] = {}
    for narrative in element.findall("narrative"):
        lang = (narrative.get(XML_LANG) or default_lang or "en").lower()
        text = " ".join((narrative.text or "").split())
        if text and lang not in LANGUAGES and LANGUAGE_CODE.match(lang):
            found.setdefault(lang, text)
    return tuple(found.items())


def _comment(element: El, default_lang: str, out: Problems) -> tuple[str, bool]:
    """An element's comment as one text, and whether it was marked illustrative."""
    text = element_text(element.find("comment"), default_lang, out).get(default_lang or "en")
    if text.startswith(ILLUSTRATIVE_PREFIX):
        return text[len(ILLUSTRATIVE_PREFIX) :].strip(), True
    return text, False


def report_unknown(element: El, out: Problems) -> None:
    """Elements the results section may not hold (IATI ones in the wrong place, typos);
    elements of other namespaces are extensions and are ignored."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag.startswith("{"):
            continue
        allowed = _KNOWN.get(element.tag, set())
        if tag not in allowed:
            out.add(child, f"unknown element <{tag}> in <{element.tag}>")
        elif tag in _KNOWN:
            report_unknown(child, out)


def _iso(parent: El, tag: str) -> dt.date | None:
    child = parent.find(tag)
    return None if child is None else parse_date(child.get("iso-date"))


def _float(text: str | None) -> float | None:
    """An IATI number (xsd:decimal, read with :data:`toc.numbers.PLAIN`); None when it is
    missing, not a number (the rules report it) or cannot be stored (see :func:`_number`)."""
    if text is None:
        return None
    try:
        return reading(text, PLAIN).value
    except NumberError:
        return None


def _number(
    text: str | None, element: El, what: str, out: Problems, every: bool = False
) -> float | None:
    """:func:`_float`, reporting a number too large (or too close to zero) to store, which
    the IATI rules do not (a 400-digit value is a valid xsd:decimal); with ``every``, any
    text that is not a number too (attributes the rules do not check)."""
    if text is None:
        return None
    try:
        return reading(text, PLAIN).value
    except NumberError as e:
        if every or e.reason in ("too_large", "too_small", "too_long"):
            out.add(element, f"{what}: {e}")
        return None


def parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


# -- one indicator -------------------------------------------------------------------------------


@dataclass
class IndicatorRead:
    """An indicator as read, with its values per period and where each came from."""

    indicator: Indicator
    element: etree._Element
    values: dict[str, tuple[MeasurementValue, bool, etree._Element]] = field(default_factory=dict)
    #: Where the indicator is in the file (``<activity key>.r2.i1``): the generated code
    #: ``iati.<activity key>.r2.i1``.
    position: str = ""
    #: Whether the code is the publisher's own (a vocabulary-99 reference), not a Pathways one.
    publisher_code: bool = False


def _calendar(start: dt.date, end: dt.date) -> tuple[Frequency, int, str] | None:
    """The frequency, fiscal year start and period id of a whole year, half year or quarter."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    frequency = _MONTHS.get(months)
    if frequency is None or start.day != 1:
        return None
    fiscal = (start.month - 1) % months + 1
    fiscal_year = start.year if start.month >= fiscal else start.year - 1
    index = (start.month - fiscal) % 12 // months + 1
    try:
        period = period_of(fiscal_year, index, frequency, fiscal)
    except PeriodError:
        return None
    if period.start != start or period.end != end:
        return None
    return frequency, fiscal, period.id


def _scale_value(
    ind_type: IndicatorType,
    scale: Sequence[Level],
    text: str | None,
    element: El,
    what: str,
    out: Problems,
) -> tuple[float | None, str | None]:
    """A baseline, target or actual value as (number, level); problems reported."""
    number = _number(text, element, what, out)
    if number is None:
        return None, None  # missing or not a number: the rules report it
    if ind_type is IndicatorType.ORDINAL:
        if not number.is_integer() or not 1 <= number <= len(scale):
            out.add(element, f"{what} {text!r} is not a level of the scale (1 to {len(scale)})")
            return None, None
        return None, scale[int(number) - 1].code
    return number, None


def _pw_definition(indicator_el: El, out: Problems) -> Indicator | None:
    el = indicator_el.find(PW + "definition")
    if el is None:
        return None
    try:
        doc = json.loads(el.text or "")
    except ValueError as e:
        out.add(el, f"the Pathways definition is not valid JSON: {e}")
        return None
    issues: list[Issue] = []
    ind = decode_indicator(doc, None, None, issues) if isinstance(doc, dict) else None
    for issue in issues:
        out.add(el, f"the Pathways definition: {issue.message}")
    if ind is None and not issues:
        out.add(el, "the Pathways definition is not a mapping")
    return ind


def read_indicator(
    el: El, node_id: str, position: str, lang: str, out: Problems, origin: str = ""
) -> IndicatorRead | None:
    """One indicator with its values per period (None when it has errors, all reported).
    ``origin`` names the publisher of a file that is not a Pathways export (see
    :attr:`indicators.model.Indicator.origin`)."""
    before = out.errors
    report_unknown(el, out)
    measure = el.get("measure", "")
    pw = _pw_definition(el, out)
    if measure == "3":
        out.add(el, "measure 3 (nominal) has no Pathways indicator type; not imported")
        return None
    kind = _TYPES.get(measure)
    if kind is None:
        return None  # the rules report unknown measures
    if pw is not None and measure_of(pw) != measure:
        out.add(
            el, f"measure {measure} does not fit the Pathways definition's type {pw.type.value}"
        )
        return None
    if pw is not None and pw.type is IndicatorType.CURRENCY:
        kind = IndicatorType.CURRENCY
    refs = {r.get("vocabulary"): (r.get("code") or "").strip() for r in el.findall("reference")}
    code = pw.code if pw is not None else refs.get("99", "")
    publisher_code = pw is None and bool(code) and bool(CODE.match(code))
    if not code or not CODE.match(code):
        code = f"iati.{position}"
    title = element_text(el.find("title"), lang, out)
    if not title:
        out.add(el, "the indicator has no title")
    definition = element_text(el.find("description"), lang, out)
    other_languages = tuple(
        (name, code_, text)
        for name, tag in (("title", "title"), ("definition", "description"))
        for code_, text in other_narratives(el.find(tag), lang)
    )
    direction = _direction(el, kind, pw, out)
    if direction is None:
        return None
    scale = pw.scale if pw is not None and pw.scale else _ordinal_scale(el, kind)

    baseline = _baseline(el, kind, scale, lang, out)

    periods: dict[str, tuple[etree._Element, dt.date, dt.date]] = {}
    targets: list[PeriodTarget] = []
    values: dict[str, tuple[MeasurementValue, bool, etree._Element]] = {}
    dims: dict[str, set[str]] = {}
    dated = []
    for p in el.findall("period"):
        start, end = _iso(p, "period-start"), _iso(p, "period-end")
        if start is None or end is None or start > end:
            continue  # the rules report it (equal dates are valid: a one-day period)
        dated.append((p, start, end, _calendar(start, end)))
    calendars = {(f[0], f[1]) for *_, f in dated if f is not None}
    # Whole years, halves or quarters of one calendar keep it; any other mix (project
    # windows, two- or five-year periods, one whole-project period) is a custom frequency.
    custom = any(f is None for *_, f in dated) or len(calendars) > 1
    for p, start, end, found in dated:
        period_id = custom_period(start, end).id if custom or found is None else found[2]
        marker = p.find(PW + "period")
        if marker is not None and marker.get("id") != period_id:
            out.add(p, f"the Pathways period {marker.get('id')!r} does not match {start} .. {end}")
        if period_id in periods:
            out.add(
                p,
                f"period {period_id} is given twice (first on line "
                f"{periods[period_id][0].sourceline})",
            )
            continue
        periods[period_id] = (p, start, end)
    if custom:
        spans = {custom_period(s_, e_): p_ for p_, s_, e_ in periods.values()}
        for first, second in overlaps(list(spans)):
            out.add(
                spans[second],
                f"periods {first.id} and {second.id} overlap (first on line "
                f"{spans[first].sourceline}); an indicator's periods may not overlap",
            )
    for period_id, (p, _, _) in periods.items():
        _read_targets(p, kind, scale, period_id, targets, out, lang, pw)
        value = _read_actuals(p, kind, scale, lang, dims, out, pw)
        if value is not None:
            values[period_id] = value
    if out.errors > before:
        return None

    if custom:
        frequency, fiscal = Frequency.CUSTOM, 1
        listed = tuple(sorted((custom_period(s_, e_) for _, s_, e_ in periods.values()),
                              key=lambda x: x.start))  # fmt: skip
    else:
        frequency, fiscal = next(iter(calendars)) if calendars else (Frequency.YEAR, 1)
        listed = ()
    ids = list(periods)
    years = sorted(
        periods[i][1].year
        if fiscal == 1 or periods[i][1].month >= fiscal
        else periods[i][1].year - 1
        for i in ids
    )
    if custom:
        years = sorted({*years, *(periods[i][2].year for i in ids)})
    sdg = [refs["9"]] if refs.get("9") else []
    end_target = None
    if targets:
        last = targets[-1]
        end_target = EndTarget(last.value, last.level, periods[last.period][2])
    dimensions = _dimensions(pw, dims)
    if pw is None and (kind.quantitative or kind is IndicatorType.ORDINAL):
        if baseline is None or (baseline.value is None and baseline.level is None):
            out.add(el, "the indicator has no baseline (IATI makes it optional)", "warning")
        if end_target is None:
            out.add(el, "the indicator has no target (IATI makes it optional)", "warning")
    if pw is not None:
        measures = (node_id, *(m for m in pw.measures if m != node_id))
        indicator = replace(
            pw,
            measures=measures,
            title=title or pw.title,
            definition=definition,
            other_languages=other_languages or pw.other_languages,
            direction=direction,
            baseline=baseline,
            targets=tuple(targets),
            dimensions=dimensions,
            sdg_indicators=pw.sdg_indicators
            if (not sdg or sdg[0] in pw.sdg_indicators)
            else (*sdg, *pw.sdg_indicators),
            frequency=frequency if periods else pw.frequency,
            fiscal_year_start=fiscal if periods else pw.fiscal_year_start,
            periods=listed if periods else pw.periods,
        )
    else:
        percent = kind is IndicatorType.PERCENTAGE
        indicator = Indicator(
            code=code,
            title=title,
            measures=(node_id,),
            type=kind,
            direction=direction,
            definition=definition,
            scale=scale,
            baseline=baseline,
            targets=tuple(targets),
            end_target=end_target,
            frequency=frequency,
            fiscal_year_start=fiscal,
            start_year=years[0] if years else None,
            end_year=years[-1] if years else None,
            dimensions=dimensions,
            numerator=Text(en="percentage points (from IATI)") if percent else Text(),
            denominator=Text(en="100") if percent else Text(),
            sdg_indicators=tuple(sdg),
            note="Imported from IATI.",
            origin=origin or "iati",
            periods=listed,
            other_languages=other_languages,
        )
    return IndicatorRead(indicator, el, values, position, publisher_code)


def _direction(
    el: El, kind: IndicatorType, pw: Indicator | None, out: Problems
) -> Direction | None:
    """From ``ascending``; absent: the Pathways definition's, else increase (narratives:
    maintain)."""
    ascending = el.get("ascending")
    if ascending in ("1", "true"):
        return Direction.INCREASE
    if ascending in ("0", "false"):
        return Direction.DECREASE
    if ascending is not None:
        out.add(el, f"ascending {ascending!r} is not a boolean (1, 0, true, false)")
        return None
    if pw is not None:
        return pw.direction
    return Direction.MAINTAIN if kind is IndicatorType.NARRATIVE else Direction.INCREASE


def _ordinal_scale(el: El, kind: IndicatorType) -> tuple[Level, ...]:
    """Levels 1..n of an ordinal indicator without Pathways scale (n: the highest value)."""
    if kind is not IndicatorType.ORDINAL:
        return ()
    top = 0
    for point in el.iter("baseline", "target", "actual"):
        number = _float(point.get("value"))
        if number is not None and number.is_integer() and number <= MAX_LEVELS:
            top = max(top, int(number))  # higher values are no level: reported as such
    return tuple(Level(str(i), Text(en=str(i))) for i in range(1, max(top, 2) + 1))


def _totals(parent: El, tag: str, warning: str, out: Problems) -> list[El]:
    """The ``tag`` children without dimensions; each one with dimensions gets ``warning``
    (Pathways keeps baselines and targets for the total only)."""
    for child in parent.findall(tag):
        if child.find("dimension") is not None:
            out.add(child, warning, "warning")
    return [child for child in parent.findall(tag) if child.find("dimension") is None]


def _baseline(
    el: El, kind: IndicatorType, scale: Sequence[Level], lang: str, out: Problems
) -> Baseline | None:
    """The one baseline without dimensions (disaggregated ones are reported, not kept)."""
    baselines = _totals(
        el,
        "baseline",
        "a disaggregated baseline is not kept (Pathways keeps one baseline, for the total)",
        out,
    )
    if len(baselines) > 1:
        out.add(baselines[1], "Pathways keeps one baseline per indicator; found more")
    elif baselines:
        b = baselines[0]
        text = (b.get("year") or "").strip()
        year = int(text) if text.isdigit() and 1900 <= int(text) <= 2200 else None
        day = parse_date(b.get("iso-date"))
        if day is None and year is None:
            out.add(b, f"baseline year {text!r} is not a year")
        source, _ = _comment(b, lang, out)
        if kind is IndicatorType.NARRATIVE:
            out.add(b, "the baseline of a qualitative indicator is not kept", "warning")
        else:
            value, level = _scale_value(kind, scale, b.get("value"), b, "baseline", out)
            # A baseline given by year only keeps the year: no day is invented.
            return Baseline(value, level, day, source, None if day else year)
    return None


def _dimensions(pw: Indicator | None, dims: dict[str, set[str]]) -> tuple[Dimension, ...]:
    """The dimensions seen in the actuals with those of the Pathways definition, in its order."""
    merged = {name: set(values) for name, values in dims.items()}
    if pw is not None:
        for dim in pw.dimensions:
            merged.setdefault(dim.name, set()).update(dim.values)
    first = [d.name for d in pw.dimensions] if pw is not None else []
    names = [*first, *sorted(set(merged) - set(first))]
    return tuple(Dimension(name, _ordered(pw, name, merged[name])) for name in names)


def _ordered(pw: Indicator | None, name: str, values: set[str]) -> tuple[str, ...]:
    dimension = pw.dimension(name) if pw is not None else None
    own = dimension.values if dimension is not None else ()
    return (*own, *sorted(values - set(own)))


def _read_targets(
    p: El,
    kind: IndicatorType,
    scale: Sequence[Level],
    period_id: str,
    targets: list[PeriodTarget],
    out: Problems,
    lang: str,
    pw: Indicator | None = None,
) -> None:
    found = _totals(
        p,
        "target",
        "a disaggregated target is not kept (one target per period, for the total)",
        out,
    )
    if len(found) > 1:
        out.add(found[1], f"period {period_id} has more than one target")
    elif found and pw is not None and found[0].find(PW + "end-target") is not None:
        return  # an end target published as IATI target: the definition holds it
    elif found and kind is not IndicatorType.NARRATIVE:
        value, level = _scale_value(kind, scale, found[0].get("value"), found[0], "target", out)
        if value is not None or level is not None:
            comment, _ = _comment(found[0], lang, out)
            if comment.startswith(ILLUSTRATIVE_TARGET):  # what a Pathways export adds
                comment = comment[len(ILLUSTRATIVE_TARGET) :].strip()
            targets.append(PeriodTarget(period_id, value, level, comment))


def _dims(actual: El, out: Problems) -> tuple[tuple[str, str], ...] | None:
    pairs = []
    for d in actual.findall("dimension"):
        name = re.sub(r"[^a-z0-9_]+", "_", (d.get("name") or "").strip().lower()).strip("_")
        value = (d.get("value") or "").strip()
        if not name or not value:
            out.add(d, "a dimension needs a name and a value")
            return None
        if not DIMENSION_NAME.match(name) or name in RESERVED_COLUMNS:
            out.add(d, f"dimension name {d.get('name')!r} cannot be used (it becomes {name!r})")
            return None
        pairs.append((name, value))
    if len({n for n, _ in pairs}) != len(pairs):
        out.add(actual, "a dimension is given twice on one actual")
        return None
    return tuple(pairs)


def _point(
    kind: IndicatorType, scale: Sequence[Level], actual: El, out: Problems, lang: str
) -> dict[str, Any] | None:
    """The numbers (or level) of one actual: value, numerator, denominator, level."""
    pwv = actual.find(PW + "value")
    extra = dict(pwv.attrib) if pwv is not None else {}
    if kind is IndicatorType.NARRATIVE:
        return {}
    value, level = _scale_value(kind, scale, actual.get("value"), actual, "actual value", out)
    if value is None and level is None:
        return None
    if kind is IndicatorType.ORDINAL:
        if extra.get("level") and extra["level"] != level:
            out.add(actual, f"level {extra['level']!r} does not match value {actual.get('value')}")
            return None
        return {"level": level}
    if kind is IndicatorType.PERCENTAGE:
        num = _number(extra.get("numerator"), actual, "pw:value numerator", out, every=True)
        den = _number(extra.get("denominator"), actual, "pw:value denominator", out, every=True)
        if (num is None and extra.get("numerator") is not None) or (
            den is None and extra.get("denominator") is not None
        ):
            return None
        if value is None:
            return None
        if num is None or den is None or den <= 0:
            num, den = value, 100.0
        elif not math.isclose(num / den * 100.0, value, rel_tol=1e-6, abs_tol=1e-6):
            out.add(actual, f"value {value:g} % does not match {num:g}/{den:g}")
            return None
        return {"numerator": num, "denominator": den, "value": num / den * 100.0}
    return {"value": value}


def partition_total(
    kind: IndicatorType, parts: Sequence[Part], declared: Mapping[str, Sequence[str]]
) -> dict | None:
    """The total of disaggregated parts where they partition the whole: one dimension,
    each of its values once (all the values the definition declares, when it declares
    some), numbers or percentages. None otherwise (e.g. one female/adult actual): such a
    period has no total.

    >>> parts = [Part((("sex", "female"),), 2.0), Part((("sex", "male"),), 3.0)]
    >>> partition_total(IndicatorType.NUMBER, parts, {})
    {'value': 5.0}
    >>> partition_total(IndicatorType.NUMBER, parts[:1], {}) is None
    True
    """
    if kind not in (IndicatorType.NUMBER, IndicatorType.CURRENCY, IndicatorType.PERCENTAGE):
        return None
    names = {p.dimension_names for p in parts}
    if len(parts) < 2 or len(names) != 1 or len(next(iter(names))) != 1:
        return None
    name = next(iter(names))[0]
    values = [p.dims[0][1] for p in parts]
    if len(set(values)) != len(values):
        return None
    if declared.get(name) and set(declared[name]) != set(values):
        return None
    if kind is IndicatorType.PERCENTAGE:
        if any(p.numerator is None or p.denominator is None for p in parts):
            return None
        num = math.fsum(p.numerator for p in parts)  # type: ignore[misc]
        den = math.fsum(p.denominator for p in parts)  # type: ignore[misc]
        if den <= 0:
            return None
        return {"numerator": num, "denominator": den, "value": num / den * 100.0}
    if any(p.value is None for p in parts):
        return None
    return {"value": math.fsum(p.value for p in parts)}  # type: ignore[misc]


def _read_actuals(
    p: El,
    kind: IndicatorType,
    scale: Sequence[Level],
    lang: str,
    dims: dict[str, set[str]],
    out: Problems,
    pw: Indicator | None = None,
) -> tuple[MeasurementValue, bool, El] | None:
    totals = [a for a in p.findall("actual") if a.find("dimension") is None]
    parts_el = [a for a in p.findall("actual") if a.find("dimension") is not None]
    if not totals and not parts_el:
        return None
    if len(totals) > 1:
        out.add(
            totals[1],
            "a period needs at most one actual without dimensions (the total "
            f"its disaggregated values belong to); found {len(totals)}",
        )
        return None
    for a in p.findall("actual"):
        if a.find("location") is not None:
            out.add(a, "locations of actuals are not kept", "warning")
    if totals:
        total = totals[0]
        point = _point(kind, scale, total, out, lang)
    else:
        # Actuals by dimension only (IATI's own 2.02 and 2.03 examples): the parts are
        # imported; the total is theirs where they partition the whole, else there is none.
        if kind is IndicatorType.NARRATIVE:
            out.add(parts_el[0], "a qualitative indicator has no disaggregated actuals")
            return None
        total = parts_el[0]
        point = {}
    if point is None:
        return None
    comment, marked = _comment(total, lang, out)
    pwv = total.find(PW + "value")
    marked = marked or (pwv is not None and pwv.get("illustrative") == "true")
    narrative = None
    if kind is IndicatorType.NARRATIVE:
        narrative = comment
        comment = pwv.get("comment", "") if pwv is not None else ""
    if pwv is not None and pwv.find(PW + "evidence") is not None:
        evidence = tuple((e.text or "").strip() for e in pwv.findall(PW + "evidence"))
    else:
        evidence = tuple(d.get("url", "").strip() for d in total.findall("document-link"))
    parts = []
    for a in parts_el:
        pairs = _dims(a, out)
        point_ = _point(kind, scale, a, out, lang)
        if pairs is None or point_ is None:
            continue
        for name, value in pairs:
            dims.setdefault(name, set()).add(value)
        # A percentage part is its numerator and denominator (as recorded in Pathways).
        part_value = None if kind is IndicatorType.PERCENTAGE else point_.get("value")
        parts.append(
            Part(
                pairs,
                part_value,
                point_.get("numerator"),
                point_.get("denominator"),
                point_.get("level"),
            )
        )
    if not totals:
        declared = {d.name: d.values for d in pw.dimensions} if pw is not None else {}
        # Plain IATI percentages carry no numerators: their parts cannot be summed.
        summable = pw is not None or kind is not IndicatorType.PERCENTAGE
        derived = partition_total(kind, parts, declared) if summable else None
        if derived is None:
            out.add(
                p,
                "the period gives actuals by dimension only and they do not add up to a "
                "whole; the parts are imported with no total",
                "warning",
            )
        else:
            out.add(
                p,
                "the period gives actuals by dimension only; their sum is imported as the total",
                "warning",
            )
            point = derived
        comment, marked, evidence = "", False, ()
    measured = MeasurementValue(
        value=point.get("value"),
        numerator=point.get("numerator"),
        denominator=point.get("denominator"),
        level=point.get("level"),
        narrative=narrative,
        parts=tuple(parts),
        comment=comment,
        evidence=tuple(e for e in evidence if e),
    )
    return measured, marked, total
