"""Indicator definition files (YAML, ``format: toc-indicators/1``): read, check against the
plan, write. Every problem is collected with its file and line, so a file is fixed in one pass.

The format is documented in docs/indicators-format.md. In short::

    format: toc-indicators/1
    notice: These indicators are illustrations, not VVSG data.
    defaults: {frequency: year, illustrative: true}
    indicators:
      - code: ind.so1.o2.twinnings
        measures: [so1.o2]
        title: {nl: Aantal stedenbanden, en: Number of town twinnings}
        type: number
        direction: increase
        cumulative: true
        baseline: {value: 30, date: 2024-12-31, source: "§3 SO1 O2: about 30"}
        targets: {2027: 30, 2029: 32}
        end_target: {value: 34}

The same mapping, as JSON, is how a store keeps each version of a definition
(:func:`encode_indicator` / :func:`decode_indicator`).

>>> ind = decode_indicator({"code": "ind.x", "measures": ["so1"], "title": {"en": "X"},
...     "type": "narrative", "direction": "maintain"})
>>> ind.code, ind.type.value
('ind.x', 'narrative')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from indicators.errors import IndicatorsInvalid
from indicators.import_columns import RESERVED_COLUMNS
from indicators.model import (
    CAUSAL_MEASURABLE,
    Baseline,
    Dimension,
    EndTarget,
    Frequency,
    Indicator,
    IndicatorType,
    Level,
    Period,
    PeriodTarget,
)
from indicators.periods import PeriodError, overlaps, parse_period, periods
from indicators.progress import Direction
from toc.errors import Issue, PlanError
from toc.kinds import LANGUAGES
from toc.limits import (
    INDICATOR_FILE,
    MAX_ID_LENGTH,
    MAX_INDICATORS,
    MAX_LIST_ITEMS,
    str_limit,
    text_limit,
)
from toc.model import Plan, Text
from toc.numbers import file_number
from toc.planfile import read_document
from toc.yaml_reader import read_text_file

__all__ = [
    "FORMAT",
    "RESERVED_COLUMNS",
    "IndicatorFile",
    "check_against_plan",
    "decode",
    "decode_indicator",
    "encode_indicator",
    "indicator_from_stored",
    "indicator_periods",
    "load",
    "loads",
    "with_plan_years",
]

FORMAT = "toc-indicators/1"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
SDG_INDICATOR = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$")

_E = TypeVar("_E", bound=Enum)


_KEYS = (
    "code",
    "measures",
    "title",
    "definition",
    "type",
    "unit",
    "unit_nl",
    "direction",
    "scale",
    "baseline",
    "targets",
    "target_comments",
    "end_target",
    "frequency",
    "fiscal_year_start",
    "start_year",
    "end_year",
    "dimensions",
    "cumulative",
    "numerator",
    "denominator",
    "sdg_indicators",
    "responsible",
    "data_source",
    "verification",
    "weight",
    "illustrative",
    "note",
    "origin",
    "periods",
    "other_languages",
)
_DEFAULTABLE = ("frequency", "fiscal_year_start", "start_year", "end_year", "illustrative")


@dataclass(frozen=True)
class IndicatorFile:
    """What an indicator file holds: a notice shown with its indicators, and the indicators."""

    indicators: tuple[Indicator, ...]
    notice: str = ""


class _Collector:
    """Collects issues for one indicator, with the line of the mapping it is in."""

    def __init__(self, file: str | None, code: str | None) -> None:
        self.file, self.code = file, code
        self.issues: list[Issue] = []

    def error(self, message: str, obj: Any = None, line: int | None = None) -> None:
        line = line if line is not None else getattr(obj, "line", None)
        self.issues.append(Issue("error", message, self.file, line, self.code))


def _text(value: Any, where: str, out: _Collector, obj: Any) -> Text:
    if value is None:
        return Text()
    if not isinstance(value, Mapping):
        out.error(f"{where}: expected a mapping {{nl: ..., en: ...}}", obj)
        return Text()
    extra = set(value) - set(LANGUAGES)
    if extra:
        out.error(f"{where}: unknown language(s) {sorted(extra)}; use nl and en", obj)
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        v = value.get(lang)
        if v is not None and not isinstance(v, str):
            out.error(f"{where}: the {lang} text must be a string", obj)
            v = None
        if v is not None and len(v) > text_limit(where):
            out.error(
                f"{where} ({lang}) has {len(v):,} characters; at most {text_limit(where):,}", obj
            )
        texts[lang] = v or ""
    return Text(**texts)


def _str(value: Any, where: str, out: _Collector, obj: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        out.error(f"{where}: expected text", obj)
        return ""
    text = str(value)
    if len(text) > str_limit(where):
        out.error(f"{where} has {len(text):,} characters; at most {str_limit(where):,}", obj)
    return text


def _number(value: Any, where: str, out: _Collector, obj: Any) -> float | None:
    """A number of the file (see :func:`toc.numbers.file_number`: finite, within the float
    range, not text)."""
    if value is None:
        return None
    number, problem = file_number(value)
    if problem:
        finite = problem.startswith(("not a finite", "too "))
        out.error(
            f"{where}: must be a finite number ({problem})" if finite else f"{where}: {problem}",
            obj,
        )
        return None
    return number


def _date(value: Any, where: str, out: _Collector, obj: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    out.error(f"{where}: expected an ISO date like 2024-12-31, got {value!r}", obj)
    return None


def _baseline_year(value: Any, day: dt.date | None, out: _Collector, obj: Any) -> int | None:
    """The year of a baseline given by year only (IATI's ``baseline/@year``): a whole number
    1900-2200, and not beside a date (the date holds its year)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        out.error(f"baseline year: expected a year like 2026, not {value!r}", obj)
        return None
    if day is not None and day.year != value:
        out.error(f"baseline year {value} is not the year of its date {day}", obj)
    return None if day is not None else value


#: The fields whose texts an indicator may hold in other languages than Dutch and English.
_OTHER_LANGUAGE_FIELDS = ("title", "definition")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def _other_languages(value: Any, out: _Collector, obj: Any) -> tuple[tuple[str, str, str], ...]:
    """Title and definition in other languages (as an IATI file gave them):
    ``{title: {fr: ...}, definition: {fr: ...}}``; Dutch and English belong in the fields."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        out.error("other_languages: expected {title: {fr: text}, definition: {fr: text}}", obj)
        return ()
    kept = []
    for name, texts in value.items():
        if name not in _OTHER_LANGUAGE_FIELDS or not isinstance(texts, Mapping):
            out.error(f"other_languages: {name!r} is not title or definition with texts", obj)
            continue
        for lang, text in texts.items():
            if not isinstance(lang, str) or not _LANGUAGE_CODE.match(lang) or lang in ("nl", "en"):
                out.error(f"other_languages: {lang!r} is not a language code other than nl/en", obj)
                continue
            kept.append((name, lang, _str(text, f"{name} in {lang}", out, texts)))
    return tuple(kept)


def _other_languages_doc(kept: Sequence[tuple[str, str, str]]) -> dict[str, dict[str, str]] | None:
    doc: dict[str, dict[str, str]] = {}
    for name, lang, text in kept:
        doc.setdefault(name, {})[lang] = text
    return doc or None


def _target_comments(
    value: Any, targets: Mapping[Any, Any], out: _Collector, obj: Any
) -> dict[str, str]:
    """The comments on period targets (IATI ``target/comment``): period -> text, each
    period one that has a target."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        out.error("target_comments: expected a mapping period -> text", obj)
        return {}
    periods = {str(p) for p in targets}
    comments: dict[str, str] = {}
    for period, text in value.items():
        if str(period) not in periods:
            out.error(f"target_comments: period {period} has no target", obj)
        comments[str(period)] = _str(text, f"target comment {period}", out, value)
    return comments


def _int(value: Any, where: str, out: _Collector, obj: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        out.error(f"{where}: expected a whole number, got {value!r}", obj)
        return None
    return value


def _enum(enum: type[_E], value: Any, where: str, out: _Collector, obj: Any) -> _E | None:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        out.error(f"{where}: {value!r} is not one of {allowed}", obj)
        return None


def _point(
    value: Any, where: str, kind: IndicatorType | None, out: _Collector, obj: Any
) -> tuple[float | None, str | None]:
    """A baseline or target value: a number, or a level code for ordinal indicators."""
    if kind is IndicatorType.ORDINAL:
        if isinstance(value, bool) or not isinstance(value, str | int):
            out.error(f"{where}: expected a level code of the scale, got {value!r}", obj)
            return None, None
        return None, str(value)
    return _number(value, where, out, obj), None


def decode_indicator(
    entry: Mapping[str, Any],
    file: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    issues: list[Issue] | None = None,
) -> Indicator | None:
    """One indicator from its mapping; problems go to ``issues`` (or raise
    :class:`IndicatorsInvalid` when no list is given). None when it cannot be built."""
    code = entry.get("code") if isinstance(entry, Mapping) else None
    out = _Collector(file, code if isinstance(code, str) else None)
    result = _decode(entry, out, dict(defaults or {}))
    if issues is None:
        if out.issues:
            raise IndicatorsInvalid(out.issues, file)
    else:
        issues.extend(out.issues)
    return None if out.issues else result


def _decode(entry: Any, out: _Collector, defaults: dict[str, Any]) -> Indicator | None:
    if not isinstance(entry, Mapping):
        out.error("an indicator must be a mapping with code, title, measures, type, ...", entry)
        return None
    unknown = [k for k in entry if k not in _KEYS]
    for key in unknown:
        out.error(f"unknown field {key!r}", entry)
    data = {**{k: v for k, v in defaults.items() if k in _DEFAULTABLE}, **entry}
    raw_code = data.get("code")
    code = raw_code if isinstance(raw_code, str) else ""
    if not isinstance(raw_code, str) or not CODE.match(raw_code):
        out.error(f"code {raw_code!r}: letters, digits, '.', '_' and '-' only", entry)
    elif len(code) > MAX_ID_LENGTH:
        out.error(f"code: {len(code):,} characters; at most {MAX_ID_LENGTH}", entry)
    title = _text(data.get("title"), "title", out, entry)
    if not title:
        out.error("title is required (nl and/or en)", entry)
    measures = data.get("measures")
    if isinstance(measures, str):
        measures = [measures]
    if (
        not isinstance(measures, list)
        or not measures
        or not all(isinstance(m, str) for m in measures)
    ):
        out.error("measures: a list of node ids (outcomes, objectives, ...) is required", entry)
        measures = []
    if len(set(measures)) != len(measures):
        out.error("measures: a node is listed twice", entry)
    if len(measures) > MAX_LIST_ITEMS:
        out.error(f"measures: {len(measures):,} nodes; at most {MAX_LIST_ITEMS:,}", entry)
    kind = _enum(IndicatorType, data.get("type"), "type", out, entry)
    direction = _enum(Direction, data.get("direction", "increase"), "direction", out, entry)
    frequency = _enum(Frequency, data.get("frequency", "year"), "frequency", out, entry)
    fiscal = 1
    raw_fiscal = data.get("fiscal_year_start", 1)
    month = _int(raw_fiscal, "fiscal_year_start", out, entry)
    if month is not None and 1 <= month <= 12:
        fiscal = month
    elif month is not None or raw_fiscal is None:
        # ``fiscal_year_start: null`` is refused too: an indicator has a first month.
        out.error("fiscal_year_start: a month number 1-12", entry)
    start_year = _int(data.get("start_year"), "start_year", out, entry)
    end_year = _int(data.get("end_year"), "end_year", out, entry)
    if start_year is not None and end_year is not None and end_year < start_year:
        out.error(f"end_year {end_year} is before start_year {start_year}", entry)
    custom = _custom_periods(data.get("periods"), frequency, out, entry)

    scale: list[Level] = []
    raw_scale = data.get("scale")
    if raw_scale is not None:
        if kind is not IndicatorType.ORDINAL:
            out.error("scale: only ordinal indicators have a scale", entry)
        elif not isinstance(raw_scale, list):
            out.error("scale: a list of {code, label: {nl, en}}, worst first", entry)
        else:
            for item in raw_scale:
                if not isinstance(item, Mapping) or "code" not in item:
                    out.error("scale: each level needs a code and a label", item or entry)
                    continue
                extra = set(item) - {"code", "label"}
                if extra:
                    out.error(f"scale: unknown field(s) {sorted(extra)}", item)
                label = _text(item.get("label"), "scale label", out, item)
                scale.append(Level(_str(item["code"], "scale code", out, item), label))
    if kind is IndicatorType.ORDINAL:
        codes = [lv.code for lv in scale]
        if len(scale) < 2:
            out.error("scale: an ordinal indicator needs at least two levels", entry)
        if len(set(codes)) != len(codes) or not all(codes):
            out.error("scale: level codes must be unique and not empty", entry)

    baseline = None
    raw = data.get("baseline")
    if raw is not None:
        if not isinstance(raw, Mapping):
            out.error("baseline: expected {value, date, source}", entry)
        else:
            extra = set(raw) - {"value", "date", "year", "source"}
            if extra:
                out.error(f"baseline: unknown field(s) {sorted(extra)}", raw)
            value, level = _point(raw.get("value"), "baseline value", kind, out, raw)
            day = _date(raw.get("date"), "baseline date", out, raw)
            year = _baseline_year(raw.get("year"), day, out, raw)
            baseline = Baseline(
                value=value,
                level=level,
                date=day,
                source=_str(raw.get("source"), "baseline source", out, raw),
                year=year,
            )
    targets: list[PeriodTarget] = []
    raw = data.get("targets")
    if raw is not None:
        if not isinstance(raw, Mapping):
            out.error("targets: expected a mapping period -> value, e.g. {2027: 31}", entry)
        else:
            comments = _target_comments(data.get("target_comments"), raw, out, entry)
            for period, value in raw.items():
                v, lv = _point(value, f"target {period}", kind, out, raw)
                targets.append(PeriodTarget(str(period), v, lv, comments.get(str(period), "")))
    elif data.get("target_comments"):
        out.error("target_comments: there are no targets to comment on", entry)
    end_target = None
    raw = data.get("end_target")
    if raw is not None:
        if not isinstance(raw, Mapping):
            out.error("end_target: expected {value, date}", entry)
        else:
            extra = set(raw) - {"value", "date"}
            if extra:
                out.error(f"end_target: unknown field(s) {sorted(extra)}", raw)
            value, level = _point(raw.get("value"), "end target value", kind, out, raw)
            end_target = EndTarget(value, level, _date(raw.get("date"), "end target", out, raw))

    dimensions: list[Dimension] = []
    raw = data.get("dimensions")
    if raw is not None:
        if not isinstance(raw, Mapping):
            out.error("dimensions: expected a mapping name -> list of allowed values", entry)
        else:
            for name, values in raw.items():
                if not isinstance(name, str) or not DIMENSION_NAME.match(name):
                    out.error(f"dimension {name!r}: lower-case letters, digits and _", raw)
                    continue
                if name in RESERVED_COLUMNS:
                    out.error(f"dimension {name!r}: the name is a column of the import format", raw)
                    continue
                if not isinstance(values, list) or not values:
                    out.error(f"dimension {name}: a list of allowed values is required", raw)
                    continue
                texts = [str(v) for v in values if not isinstance(v, bool | Mapping | list)]
                if len(texts) != len(values) or len(set(texts)) != len(texts) or "" in texts:
                    out.error(f"dimension {name}: values must be unique, non-empty text", raw)
                    continue
                if len(texts) > MAX_LIST_ITEMS or max(map(len, texts)) > MAX_ID_LENGTH:
                    out.error(
                        f"dimension {name}: at most {MAX_LIST_ITEMS:,} values of at most "
                        f"{MAX_ID_LENGTH} characters",
                        raw,
                    )
                    continue
                dimensions.append(Dimension(name, tuple(texts)))

    cumulative = data.get("cumulative", False)
    if not isinstance(cumulative, bool):
        out.error("cumulative: true or false", entry)
        cumulative = False
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        out.error("illustrative: true or false", entry)
        illustrative = False
    numerator = _text(data.get("numerator"), "numerator", out, entry)
    denominator = _text(data.get("denominator"), "denominator", out, entry)
    if kind is IndicatorType.PERCENTAGE and not (numerator and denominator):
        out.error("a percentage needs numerator and denominator labels", entry)
    if kind is not IndicatorType.PERCENTAGE and (numerator or denominator):
        out.error("numerator and denominator belong to percentage indicators only", entry)
    sdgs = data.get("sdg_indicators") or []
    if not isinstance(sdgs, list) or not all(
        isinstance(s, str) and SDG_INDICATOR.match(s) for s in sdgs
    ):
        out.error("sdg_indicators: a list of SDG indicator codes like '16.6.2' (quoted)", entry)
        sdgs = []
    weight = _number(data.get("weight", 1.0), "weight", out, entry)
    if weight is not None and weight < 0:
        out.error("weight must be >= 0", entry)

    origin = _str(data.get("origin"), "origin", out, entry)
    if kind is not None and (kind.quantitative or kind is IndicatorType.ORDINAL) and not origin:
        # IATI makes both optional: imported definitions (with an origin) may lack them.
        if (
            baseline is None
            or (baseline.date is None and baseline.year is None)
            or (baseline.value is None and baseline.level is None)
        ):
            out.error("baseline: value and date are required for this type", entry)
        if end_target is None or (end_target.value is None and end_target.level is None):
            out.error("end_target: a value is required for this type", entry)
    if kind is IndicatorType.ORDINAL:
        known = {lv.code for lv in scale}
        points: list[tuple[str, Baseline | EndTarget | PeriodTarget | None]] = [
            ("baseline", baseline),
            ("end target", end_target),
        ]
        points += [(f"target {t.period}", t) for t in targets]
        for name, point in points:
            if point is not None and point.level is not None and point.level not in known:
                out.error(f"{name}: {point.level!r} is not a level of the scale", entry)
    if kind is IndicatorType.NARRATIVE and (targets or end_target):
        out.error("narrative indicators have no targets", entry)

    # Read before the verdict, so an error in these texts is reported with all the others.
    definition = _text(data.get("definition"), "definition", out, entry)
    names = ("unit", "unit_nl", "responsible", "data_source", "verification", "note")
    fields = {name: _str(data.get(name), name, out, entry) for name in names}
    if out.issues:
        return None
    # Each is None only after an error above (an unknown value, or null).
    assert kind is not None and direction is not None and frequency is not None
    return Indicator(
        code=code,
        title=title,
        measures=tuple(measures),
        type=kind,
        direction=direction,
        definition=definition,
        unit=fields["unit"],
        unit_nl=fields["unit_nl"],
        scale=tuple(scale),
        baseline=baseline,
        targets=tuple(targets),
        end_target=end_target,
        frequency=frequency,
        fiscal_year_start=fiscal,
        start_year=start_year,
        end_year=end_year,
        dimensions=tuple(dimensions),
        cumulative=cumulative,
        numerator=numerator,
        denominator=denominator,
        sdg_indicators=tuple(sdgs),
        responsible=fields["responsible"],
        data_source=fields["data_source"],
        verification=fields["verification"],
        weight=weight if weight is not None else 1.0,
        illustrative=illustrative,
        note=fields["note"],
        origin=origin,
        periods=custom,
        other_languages=_other_languages(data.get("other_languages"), out, entry),
    )


def _custom_periods(
    raw: Any, frequency: Frequency | None, out: _Collector, entry: Any
) -> tuple[Period, ...]:
    """The listed periods of a custom frequency: ``start..end`` ids, none overlapping."""
    if frequency is not Frequency.CUSTOM:
        if raw:
            out.error("periods are listed only for frequency custom", entry)
        return ()
    if not isinstance(raw, list) or not raw:
        out.error("frequency custom: list the periods, e.g. [2020-07-06..2020-09-06]", entry)
        return ()
    if len(raw) > MAX_LIST_ITEMS:
        out.error(f"periods: {len(raw):,} periods; at most {MAX_LIST_ITEMS:,}", entry)
        return ()
    found: list[Period] = []
    for item in raw:
        try:
            period = parse_period(str(item)) if isinstance(item, str) else None
        except PeriodError as e:
            out.error(f"periods: {e}", entry)
            continue
        if period is None or not period.id.count(".."):
            out.error(f"periods: {item!r} is not start..end, e.g. 2020-07-06..2020-09-06", entry)
            continue
        found.append(period)
    for first, second in overlaps(found):
        if first.id == second.id:
            out.error(f"periods: {first.id} is listed twice", entry)
        else:
            out.error(f"periods {first.id} and {second.id} overlap; periods may not overlap", entry)
    return tuple(sorted(found, key=lambda p: p.start))


def indicator_periods(indicator: Indicator) -> list[Period]:
    """The reporting periods of an indicator (its years must be known: see
    :func:`with_plan_years`)."""
    if indicator.frequency is Frequency.CUSTOM:
        return list(indicator.periods)
    if indicator.start_year is None or indicator.end_year is None:
        raise PeriodError(f"{indicator.code}: start_year and end_year are not known")
    return periods(
        indicator.start_year, indicator.end_year, indicator.frequency, indicator.fiscal_year_start
    )


def with_plan_years(indicator: Indicator, plan: Plan) -> Indicator:
    """The indicator with its reporting years filled in where it gives none: from the first
    measured node that has years (an objective's five years), else from the plan."""
    sources = [plan.get(n) for n in indicator.measures] + [plan.root]
    years = [
        (n.props.get("start_year"), n.props.get("end_year"))
        for n in sources
        if n is not None and n.props.get("start_year") and n.props.get("end_year")
    ]
    start, end = years[0] if years else (None, None)
    return replace(
        indicator, start_year=indicator.start_year or start, end_year=indicator.end_year or end
    )


def _check_points(ind: Indicator, out: _Collector, line: int | None) -> None:
    """Targets within the indicator's periods and on the right side of the baseline."""
    try:
        own = {p.id: p for p in indicator_periods(ind)}
    except PeriodError as e:
        out.error(str(e), line=line)
        return
    base = ind.number_of(ind.baseline.value, ind.baseline.level) if ind.baseline else None
    for target in ind.targets:
        if target.period not in own:
            first, last = (min(own), max(own)) if own else ("-", "-")
            out.error(
                f"target period {target.period!r} is not one of this indicator's "
                f"{ind.frequency.value} periods ({first} .. {last})",
                line=line,
            )
    points = [(f"target {t.period}", ind.number_of(t.value, t.level)) for t in ind.targets]
    if ind.end_target is not None:
        points.append(("end target", ind.number_of(ind.end_target.value, ind.end_target.level)))
        last_end = max((p.end for p in own.values()), default=None)
        if ind.end_target.date and ind.baseline and ind.baseline.date:
            if ind.end_target.date < ind.baseline.date:
                out.error("end target date is before the baseline date", line=line)
        elif last_end and ind.baseline and ind.baseline.date and last_end < ind.baseline.date:
            out.error("the indicator's last period ends before its baseline date", line=line)
    if base is None:
        return
    for name, value in points:
        if value is None:
            continue
        if ind.direction is Direction.INCREASE and value < base:
            out.error(f"{name} {value:g} is below the baseline {base:g} of an increase", line=line)
        if ind.direction is Direction.DECREASE and value > base:
            out.error(f"{name} {value:g} is above the baseline {base:g} of a decrease", line=line)


def check_against_plan(
    indicators: Sequence[Indicator],
    plan: Plan,
    file: str | None = None,
    lines: Mapping[str, int] | None = None,
) -> list[Issue]:
    """Problems of indicators with respect to the plan: measured nodes must exist and be
    outputs, outcomes, objectives or strategic objectives; the responsible partner must be a
    Partner; reporting years must be known; targets must fit the periods and the direction."""
    issues: list[Issue] = []
    lines = lines or {}
    seen: dict[str, int | None] = {}
    for ind in indicators:
        line = lines.get(ind.code)
        out = _Collector(file, ind.code)
        if ind.code in seen:
            first = seen[ind.code]
            out.error(f"code {ind.code!r} is used twice (first on line {first})", line=line)
        seen[ind.code] = line
        for node_id in ind.measures:
            node = plan.get(node_id)
            if node is None:
                out.error(f"measures {node_id!r}: no such node in the plan", line=line)
            elif node.kind not in CAUSAL_MEASURABLE:
                out.error(
                    f"measures {node_id!r}: a {node.kind} cannot be measured; indicators "
                    f"measure {', '.join(CAUSAL_MEASURABLE)}",
                    line=line,
                )
        if ind.responsible:
            partner = plan.get(ind.responsible)
            if partner is None or partner.kind != "Partner":
                out.error(
                    f"responsible {ind.responsible!r}: no such Partner in the plan", line=line
                )
        filled = with_plan_years(ind, plan)
        if filled.start_year is None or filled.end_year is None:
            out.error("start_year/end_year: not set and the plan has no years", line=line)
        else:
            _check_points(filled, out, line)
        issues += out.issues
    return issues


def decode(doc: Any, file: str | None = None) -> tuple[IndicatorFile, list[Issue], dict[str, int]]:
    """An indicator file from its document: (file, issues, line of each indicator by code)."""
    issues: list[Issue] = []
    lines: dict[str, int] = {}
    if not isinstance(doc, Mapping):
        return IndicatorFile(()), [Issue("error", "expected a mapping at the top", file, 1)], {}
    # A document read by :func:`read_document` knows its line; a plain mapping does not.
    top: int | None = getattr(doc, "line", None)
    if doc.get("format") != FORMAT:
        issues.append(
            Issue("error", f"format must be {FORMAT!r}, got {doc.get('format')!r}", file, 1)
        )
    for key in doc:
        if key not in ("format", "notice", "defaults", "indicators"):
            issues.append(Issue("error", f"unknown top-level key {key!r}", file, top))
    notice = doc.get("notice") or ""
    if not isinstance(notice, str):
        issues.append(Issue("error", "notice must be text", file, top))
        notice = ""
    if len(notice) > str_limit("notice"):
        message = f"notice has {len(notice):,} characters; at most {str_limit('notice'):,}"
        issues.append(Issue("error", message, file, top))
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, Mapping) or set(defaults) - set(_DEFAULTABLE):
        issues.append(Issue("error", f"defaults may set only {', '.join(_DEFAULTABLE)}", file, top))
        defaults = {}
    entries = doc.get("indicators") or []
    if not isinstance(entries, list):
        issues.append(Issue("error", "indicators must be a list", file, top))
        entries = []
    if len(entries) > MAX_INDICATORS:
        message = f"the file has {len(entries):,} indicators; at most {MAX_INDICATORS:,}"
        return IndicatorFile(()), [*issues, Issue("error", message, file, top)], {}
    out = []
    for entry in entries:
        ind = decode_indicator(entry, file, defaults, issues)
        if ind is not None:
            line = getattr(entry, "line", None)
            if line is not None:
                lines.setdefault(ind.code, line)
            out.append(ind)
    return IndicatorFile(tuple(out), notice.strip()), issues, lines


def loads(text: str, file: str | None = None, plan: Plan | None = None) -> IndicatorFile:
    """Read an indicator file's text; with ``plan``, check it against the plan and fill in
    reporting years from it. Raises :class:`IndicatorsInvalid` listing every error."""
    try:
        doc = read_document(text, file, INDICATOR_FILE)
    except PlanError as e:
        raise IndicatorsInvalid([Issue("error", e.message, e.file, e.line)], file) from None
    result, issues, lines = decode(doc, file)
    if plan is not None and not any(i.level == "error" for i in issues):
        issues += check_against_plan(result.indicators, plan, file, lines)
        result = IndicatorFile(
            tuple(with_plan_years(i, plan) for i in result.indicators), result.notice
        )
    if any(i.level == "error" for i in issues):
        raise IndicatorsInvalid(issues, file)
    return result


def load(path: str | Path, plan: Plan | None = None) -> IndicatorFile:
    """Read an indicator file (see :func:`loads`)."""
    try:
        text = read_text_file(path, INDICATOR_FILE)
    except PlanError as e:
        raise IndicatorsInvalid([Issue("error", e.message, e.file, e.line)], str(path)) from None
    return loads(text, str(path), plan)


def _text_doc(text: Text) -> dict[str, str] | None:
    doc = {lang: getattr(text, lang) for lang in LANGUAGES if getattr(text, lang)}
    return doc or None


def _point_doc(value: float | None, level: str | None) -> str | int | float | None:
    if level is not None:
        return level
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def encode_indicator(ind: Indicator) -> dict[str, Any]:
    """The indicator as a plain mapping in the file format (dates as ISO text); the inverse of
    :func:`decode_indicator`."""
    doc: dict[str, Any] = {
        "code": ind.code,
        "measures": list(ind.measures),
        "title": _text_doc(ind.title),
        "definition": _text_doc(ind.definition),
        "type": ind.type.value,
        "unit": ind.unit or None,
        "unit_nl": ind.unit_nl or None,
        "direction": ind.direction.value,
        "scale": [{"code": lv.code, "label": _text_doc(lv.label)} for lv in ind.scale] or None,
        "baseline": None,
        "targets": {t.period: _point_doc(t.value, t.level) for t in ind.targets} or None,
        "target_comments": {t.period: t.comment for t in ind.targets if t.comment} or None,
        "end_target": None,
        "frequency": ind.frequency.value,
        "fiscal_year_start": ind.fiscal_year_start,
        "start_year": ind.start_year,
        "end_year": ind.end_year,
        "dimensions": {d.name: list(d.values) for d in ind.dimensions} or None,
        "cumulative": ind.cumulative,
        "numerator": _text_doc(ind.numerator),
        "denominator": _text_doc(ind.denominator),
        "sdg_indicators": list(ind.sdg_indicators) or None,
        "responsible": ind.responsible or None,
        "data_source": ind.data_source or None,
        "verification": ind.verification or None,
        "weight": _point_doc(ind.weight, None),
        "illustrative": ind.illustrative,
        "note": ind.note or None,
        "origin": ind.origin or None,
        "periods": [p.id for p in ind.periods] or None,
        "other_languages": _other_languages_doc(ind.other_languages),
    }
    if ind.baseline is not None:
        b = ind.baseline
        doc["baseline"] = {
            k: v
            for k, v in (
                ("value", _point_doc(b.value, b.level)),
                ("date", b.date.isoformat() if b.date else None),
                ("year", b.year if b.year and b.date is None else None),
                ("source", b.source or None),
            )
            if v is not None
        }
    if ind.end_target is not None:
        e = ind.end_target
        doc["end_target"] = {
            k: v
            for k, v in (
                ("value", _point_doc(e.value, e.level)),
                ("date", e.date.isoformat() if e.date else None),
            )
            if v is not None
        }
    for level in doc["scale"] or ():
        if level["label"] is None:
            del level["label"]
    return {k: v for k, v in doc.items() if v is not None}


def indicator_from_stored(doc: Mapping[str, Any]) -> Indicator:
    """An indicator from a mapping :func:`encode_indicator` wrote (a stored definition),
    without the checks of :func:`decode_indicator`: stores read thousands of them at a time
    and they were checked when saved. About ten times faster; the round trip through both
    is tested on every shipped definition.
    """

    def text(value: Mapping[str, str] | None) -> Text:
        return Text(**value) if value else Text()

    def point(value: Any) -> tuple[float | None, str | None]:
        if value is None:
            return None, None
        return (None, value) if isinstance(value, str) else (float(value), None)

    def date(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    baseline = end_target = None
    if "baseline" in doc:
        raw = doc["baseline"]
        baseline = Baseline(
            *point(raw.get("value")),
            date(raw.get("date")),
            raw.get("source", ""),
            raw.get("year"),
        )
    if "end_target" in doc:
        raw = doc["end_target"]
        end_target = EndTarget(*point(raw.get("value")), date(raw.get("date")))
    return Indicator(
        code=doc["code"],
        title=text(doc.get("title")),
        measures=tuple(doc["measures"]),
        type=IndicatorType(doc["type"]),
        direction=Direction(doc["direction"]),
        definition=text(doc.get("definition")),
        unit=doc.get("unit", ""),
        unit_nl=doc.get("unit_nl", ""),
        scale=tuple(Level(lv["code"], text(lv.get("label"))) for lv in doc.get("scale", ())),
        baseline=baseline,
        targets=tuple(
            PeriodTarget(period, *point(value), doc.get("target_comments", {}).get(period, ""))
            for period, value in doc.get("targets", {}).items()
        ),
        end_target=end_target,
        frequency=Frequency(doc["frequency"]),
        fiscal_year_start=doc["fiscal_year_start"],
        start_year=doc.get("start_year"),
        end_year=doc.get("end_year"),
        dimensions=tuple(Dimension(n, tuple(v)) for n, v in doc.get("dimensions", {}).items()),
        cumulative=doc["cumulative"],
        numerator=text(doc.get("numerator")),
        denominator=text(doc.get("denominator")),
        sdg_indicators=tuple(doc.get("sdg_indicators", ())),
        responsible=doc.get("responsible", ""),
        data_source=doc.get("data_source", ""),
        verification=doc.get("verification", ""),
        weight=float(doc["weight"]),
        illustrative=doc["illustrative"],
        note=doc.get("note", ""),
        origin=doc.get("origin", ""),
        periods=tuple(parse_period(p) for p in doc.get("periods", ())),
        other_languages=tuple(
            (name, lang, text)
            for name, texts in doc.get("other_languages", {}).items()
            for lang, text in texts.items()
        ),
    )
