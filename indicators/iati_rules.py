"""The IATI Standard ruleset checks the 2.03 XSD leaves out, for an activity file as an lxml tree.

The schema types almost every code and value as a string, so a file can validate and still be
wrong: a period that ends before it starts, a quantitative indicator without values, values
on a qualitative one, percentages that do not sum to 100. The export runs these checks before
it writes (it never writes a file that breaks them), the import runs the results rules on
what it reads, and users can run them on any file (``check_activities``).

Rules checked (IATI Standard Ruleset numbering where it has one):

* activity: a start date (activity-date type 1 or 2); planned start before planned end and
  actual start before actual end; actual dates and last-updated-datetime not in the future;
  identifiers without ``/ & | ?``; the iati-identifier starts with the reporting-org ref;
  a default currency; a language for every narrative (``xml:lang`` on the activity or the
  narrative) and at most one narrative per language in an element; sector percentages
  (vocabulary 1) and recipient country/region percentages sum to 100; participating-org has
  a ref or a narrative; codes from the codelists used here (activity status, result type,
  indicator measure, organisation role and type, description type, tag vocabularies 2 and 3,
  indicator reference vocabulary 9).
* results: 8.6.1 period-start not after period-end (equal dates are valid); 8.8-8.10
  baseline, target and actual values present and decimal for measures 1-4 (unit,
  percentage, nominal, ordinal) and omitted for 5 (qualitative); 8.11.1 references at
  result level or at indicator level, not both (the import warns only: IATI's own 2.03
  example breaks it); each indicator reference vocabulary at most once per indicator.

>>> from lxml import etree
>>> xml = b'''<iati-activities version="2.03"><iati-activity><result type="1"><indicator
...   measure="5"><period><period-start iso-date="2027-12-31"/><period-end iso-date="2027-01-01"/>
...   <actual value="3"/></period></indicator></result></iati-activity></iati-activities>'''
>>> [p.rule for p in check_results(etree.fromstring(xml)[0])]
['8.6.1', '8.10']
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

__all__ = [
    "QUALITATIVE",
    "RESULT_TYPES",
    "RuleProblem",
    "check_activities",
    "check_activity",
    "check_results",
    "is_decimal",
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: ResultType codes: output, outcome, impact, other.
RESULT_TYPES = frozenset({"1", "2", "3", "9"})
#: IndicatorMeasure codes: unit, percentage, nominal, ordinal, qualitative.
MEASURES = frozenset({"1", "2", "3", "4", "5"})
QUALITATIVE = "5"
_ACTIVITY_STATUS = frozenset({"1", "2", "3", "4", "5", "6"})
_ROLES = frozenset({"1", "2", "3", "4"})
_ORG_TYPES = frozenset(
    {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}
)
_DESCRIPTION_TYPES = frozenset({"1", "2", "3", "4"})
_BAD_ID = re.compile(r"[/&|?]")
_SDG_TARGET = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
_SDG_INDICATOR = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$")


@dataclass(frozen=True, order=True)
class RuleProblem:
    """A broken rule: where (line and XPath in the file) and why."""

    line: int
    xpath: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.xpath}: [{self.rule}] {self.message}"


def is_decimal(text: str | None) -> bool:
    """Whether ``text`` is an xsd:decimal (digits with an optional sign and point; no
    exponent, no NaN or infinity).

    >>> is_decimal("12.5"), is_decimal("-3"), is_decimal("1e3"), is_decimal("abc")
    (True, True, False, False)
    """
    if text is None:
        return False
    return re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*", text) is not None


class _Out:
    def __init__(self, root: etree._Element) -> None:
        self.tree = root.getroottree()
        self.items: list[RuleProblem] = []

    def add(self, element: etree._Element, rule: str, message: str) -> None:
        self.items.append(
            RuleProblem(element.sourceline or 0, self.tree.getpath(element), rule, message)
        )


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _own(element: etree._Element, tag: str) -> list[etree._Element]:
    return [c for c in element if c.tag == tag]


def check_results(activity: etree._Element) -> list[RuleProblem]:
    """The results rules (8.x) for one ``iati-activity`` element."""
    out = _Out(activity)
    _results(activity, out)
    return sorted(out.items)


def _results(activity: etree._Element, out: _Out) -> None:
    for result in _own(activity, "result"):
        kind = result.get("type")
        if kind not in RESULT_TYPES:
            out.add(result, "codelist", f"result type {kind!r} is not a ResultType (1, 2, 3, 9)")
        result_refs = _own(result, "reference")
        for indicator in _own(result, "indicator"):
            measure = indicator.get("measure")
            if measure not in MEASURES:
                out.add(
                    indicator,
                    "codelist",
                    f"indicator measure {measure!r} is not an IndicatorMeasure (1-5)",
                )
            refs = _own(indicator, "reference")
            if result_refs and refs:
                out.add(
                    indicator,
                    "8.11.1",
                    "references are given at result level, so the indicator may not have any",
                )
            counts = Counter(r.get("vocabulary") for r in refs)
            for ref in refs:
                vocab = ref.get("vocabulary")
                if counts[vocab] > 1:
                    out.add(ref, "8.11", f"reference vocabulary {vocab} is given more than once")
                    counts[vocab] = 0
                if vocab == "9" and not _SDG_INDICATOR.match(ref.get("code") or ""):
                    out.add(ref, "codelist", f"{ref.get('code')!r} is not an SDG indicator code")
            points = [(b, "8.8", "baseline") for b in _own(indicator, "baseline")]
            for period in _own(indicator, "period"):
                start = _own(period, "period-start")
                end = _own(period, "period-end")
                first = _date(start[0].get("iso-date")) if start else None
                last = _date(end[0].get("iso-date")) if end else None
                if first is None or last is None:
                    out.add(period, "8.6", "period-start and period-end need an ISO iso-date")
                elif first > last:  # IATI's rule: "If they are equal, they are valid"
                    out.add(
                        period,
                        "8.6.1",
                        f"period-start {first} must not be after period-end {last}",
                    )
                points += [(t, "8.9", "target") for t in _own(period, "target")]
                points += [(a, "8.10", "actual") for a in _own(period, "actual")]
            for element, rule, name in points:
                value = element.get("value")
                if measure == QUALITATIVE:
                    if value is not None:
                        out.add(
                            element,
                            rule,
                            f"a {name} of a qualitative indicator (measure 5) must have no value",
                        )
                elif measure in MEASURES:
                    if value is None:
                        out.add(element, rule, f"a {name} of measure {measure} needs a value")
                    elif not is_decimal(value):
                        out.add(element, rule, f"{name} value {value!r} is not a number")


def _narratives(activity: etree._Element, out: _Out) -> None:
    default = activity.get(XML_LANG)
    parents: dict[etree._Element, list[str | None]] = {}
    for narrative in activity.iter("narrative"):
        lang = narrative.get(XML_LANG) or default
        if not lang:
            out.add(narrative, "language", "no xml:lang on the narrative nor on the activity")
        parents.setdefault(narrative.getparent(), []).append(lang)
    for parent, langs in parents.items():
        for lang, n in Counter(langs).items():
            if n > 1 and lang:
                out.add(parent, "language", f"{n} narratives in language {lang!r}; give one")


def _percentages(
    elements: Iterable[etree._Element], where: etree._Element, out: _Out, what: str
) -> None:
    elements = list(elements)
    if not elements:
        return
    values = []
    for element in elements:
        text = element.get("percentage")
        if text is None:
            if len(elements) > 1:
                out.add(element, "percentage", f"{what}: a percentage is needed when repeated")
            return
        if not is_decimal(text) or Decimal(text) < 0:
            out.add(element, "percentage", f"{what}: percentage {text!r} is not a number >= 0")
            return
        values.append(Decimal(text))
    if sum(values) != 100:
        out.add(where, "percentage", f"{what}: percentages sum to {sum(values)}, not 100")


def check_activity(
    activity: etree._Element, *, now: dt.datetime | None = None
) -> list[RuleProblem]:
    """Every rule of the module doc for one ``iati-activity`` element, sorted by line."""
    out = _Out(activity)
    now = now or dt.datetime.now(dt.UTC)
    today = now.date()
    reporting = activity.find("reporting-org")
    ref = reporting.get("ref", "") if reporting is not None else ""
    ident_el = activity.find("iati-identifier")
    ident = (ident_el.text or "").strip() if ident_el is not None else ""
    if ident_el is not None:
        if _BAD_ID.search(ident):
            out.add(ident_el, "identifier", "the iati-identifier may not contain / & | ?")
        if ref and not ident.startswith(ref):
            out.add(ident_el, "identifier", f"the iati-identifier must start with {ref!r}")
    for org in [reporting, *activity.findall("participating-org")]:
        if org is None:
            continue
        if _BAD_ID.search(org.get("ref", "")):
            out.add(org, "identifier", "an organisation ref may not contain / & | ?")
        kind = org.get("type")
        if kind is not None and kind not in _ORG_TYPES:
            out.add(org, "codelist", f"organisation type {kind!r} is not an OrganisationType")
    for org in activity.findall("participating-org"):
        if org.get("role") not in _ROLES:
            out.add(org, "codelist", f"role {org.get('role')!r} is not an OrganisationRole")
        if not org.get("ref") and org.find("narrative") is None:
            out.add(org, "participating-org", "needs a ref or a narrative")
    if not activity.get("default-currency"):
        out.add(activity, "currency", "no default-currency (and no currency on every value)")
    status = activity.find("activity-status")
    if status is not None and status.get("code") not in _ACTIVITY_STATUS:
        out.add(status, "codelist", f"activity-status {status.get('code')!r} is not 1-6")
    for description in activity.findall("description"):
        kind = description.get("type")
        if kind is not None and kind not in _DESCRIPTION_TYPES:
            out.add(description, "codelist", f"description type {kind!r} is not 1-4")
    dates = {}
    for element in activity.findall("activity-date"):
        day = _date(element.get("iso-date"))
        if day is None:
            out.add(element, "date", f"iso-date {element.get('iso-date')!r} is not a date")
            continue
        dates[element.get("type")] = (element, day)
        if element.get("type") in ("2", "4") and day > today:
            out.add(element, "date", "an actual date may not be in the future")
    if "1" not in dates and "2" not in dates:
        out.add(activity, "date", "an activity-date of type 1 or 2 (start) is required")
    for first, last in (("1", "3"), ("2", "4")):
        if first in dates and last in dates and dates[first][1] > dates[last][1]:
            out.add(dates[last][0], "date", "the end date is before the start date")
    stamp = activity.get("last-updated-datetime")
    if stamp:
        try:
            moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            if moment > now + dt.timedelta(minutes=5):
                out.add(activity, "date", "last-updated-datetime is in the future")
        except ValueError:
            out.add(activity, "date", f"last-updated-datetime {stamp!r} is not a date-time")
    sectors = [s for s in activity.findall("sector") if s.get("vocabulary", "1") == "1"]
    if not activity.findall("sector") and not activity.findall("transaction/sector"):
        out.add(activity, "sector", "a sector is required (on the activity or its transactions)")
    _percentages(sectors, activity, out, "sector (vocabulary 1)")
    for sector in sectors:
        if not re.fullmatch(r"\d{5}", sector.get("code", "")):
            out.add(sector, "codelist", f"{sector.get('code')!r} is not a DAC 5-digit code")
    regions = activity.findall("recipient-country") + activity.findall("recipient-region")
    _percentages(regions, activity, out, "recipient country/region")
    for tag in activity.findall("tag"):
        vocab, code = tag.get("vocabulary"), tag.get("code", "")
        if vocab == "2" and not (code.isdigit() and 1 <= int(code) <= 17):
            out.add(tag, "codelist", f"{code!r} is not an SDG goal (1-17)")
        if vocab == "3" and not _SDG_TARGET.match(code):
            out.add(tag, "codelist", f"{code!r} is not an SDG target code such as 16.6")
    _narratives(activity, out)
    _results(activity, out)
    return sorted(out.items)


def check_activities(root: etree._Element, *, now: dt.datetime | None = None) -> list[RuleProblem]:
    """The rules for every activity of an ``iati-activities`` document."""
    return sorted(p for a in root.iter("iati-activity") for p in check_activity(a, now=now))
