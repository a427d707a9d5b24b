"""The indicator domain: definitions, periods, measured values and their revisions. No I/O here.

An :class:`Indicator` measures one or more nodes of the plan (outcomes, outputs, objectives,
strategic objectives). Values are recorded per :class:`Period` as a :class:`MeasurementValue`,
and every change to a value is a new :class:`Revision` of the measurement ``(indicator,
period)``: the log is append-only, so the history of any value can be shown and a report
reproduced as it was known on a given date.

Numbers are floats. Percentages are stored in percent (``12.5`` means 12.5 %) and, for the
totals and every disaggregated part, as the numerator and denominator they come from, so
they aggregate by summing numerators and denominators (see :mod:`indicators.progress`).

>>> ind = Indicator("ind.a", Text(en="Twinnings"), measures=("so1.o1",), type="number",
...                 direction="increase")
>>> ind.type, ind.direction
(<IndicatorType.NUMBER: 'number'>, <Direction.INCREASE: 'increase'>)
>>> MeasurementValue(value=3.0).number(ind)
3.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from indicators.progress import Direction
from toc.attachments import Attachment
from toc.model import Text

__all__ = [
    "CAUSAL_MEASURABLE",
    "BadMoment",
    "Baseline",
    "Dimension",
    "EndTarget",
    "Frequency",
    "Indicator",
    "IndicatorType",
    "Level",
    "MeasurementValue",
    "Part",
    "Period",
    "PeriodTarget",
    "Revision",
    "RevisionStatus",
    "iati_origin",
    "now_stamp",
    "origin_publisher",
    "stamp_cutoff",
]

#: Node kinds an indicator may measure.
CAUSAL_MEASURABLE: tuple[str, ...] = ("Output", "Outcome", "Objective", "StrategicObjective")

#: The revision flag of an input kept after an edit conflict (see :mod:`indicators.workflow`).
CONFLICT = "conflict"


class IndicatorType(StrEnum):
    """What kind of value an indicator records."""

    NUMBER = "number"
    PERCENTAGE = "percentage"
    CURRENCY = "currency"
    ORDINAL = "ordinal"
    NARRATIVE = "narrative"

    @property
    def quantitative(self) -> bool:
        """Number, percentage or currency."""
        return self in (IndicatorType.NUMBER, IndicatorType.PERCENTAGE, IndicatorType.CURRENCY)

    @property
    def summable(self) -> bool:
        """Whether disaggregated parts add up to the total (numbers, money, ratio parts)."""
        return self.quantitative


class Frequency(StrEnum):
    """How often an indicator is reported; periods are generated from it."""

    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    #: Any start..end dates (project windows, two- or five-year periods), listed on the
    #: indicator (:attr:`Indicator.periods`) instead of generated.
    CUSTOM = "custom"


class RevisionStatus(StrEnum):
    """Where a revision stands in the review workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: ISO start and end dates (both inclusive) and a stable id such as
    ``2027``, ``2027-S2``, ``2027-Q3``, for fiscal years not starting in January
    ``FY2027-28``, and for custom periods ``2020-07-06..2020-09-06`` (see
    :mod:`indicators.periods`)."""

    start: dt.date
    end: dt.date
    id: str

    def __str__(self) -> str:
        return self.id

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Level:
    """One labelled level of an ordinal scale; scales are ordered worst to best."""

    code: str
    label: Text


@dataclass(frozen=True)
class Dimension:
    """A disaggregation dimension (e.g. sex, country, partner) and its allowed values."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Baseline:
    """The starting point: a number (or a level code for ordinal indicators), its date and
    where it comes from. IATI lets a baseline give only its ``year``: then ``date`` is None
    and ``year`` holds it (no day is invented)."""

    value: float | None = None
    level: str | None = None
    date: dt.date | None = None
    source: str = ""
    year: int | None = None

    @property
    def when(self) -> str:
        """The date as shown: ISO, or the year alone; '' when neither is known."""
        if self.date is not None:
            return self.date.isoformat()
        return str(self.year) if self.year else ""


@dataclass(frozen=True)
class PeriodTarget:
    """The value expected at the end of one period (a number, or a level code), with the
    comment a publisher gave it (IATI ``target/comment``)."""

    period: str
    value: float | None = None
    level: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class EndTarget:
    """The value to reach by ``date`` (default: the end of the indicator's last period)."""

    value: float | None = None
    level: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Indicator:
    """An indicator definition. ``code`` is its stable id, e.g. ``ind.so1.o2.twinnings``."""

    code: str
    title: Text
    measures: tuple[str, ...]
    type: IndicatorType
    direction: Direction
    definition: Text = field(default_factory=Text)
    unit: str = ""
    #: The unit in Dutch ("overeenkomsten"); empty: the pages show ``unit`` in every language.
    unit_nl: str = ""
    scale: tuple[Level, ...] = ()
    baseline: Baseline | None = None
    targets: tuple[PeriodTarget, ...] = ()
    end_target: EndTarget | None = None
    frequency: Frequency = Frequency.YEAR
    fiscal_year_start: int = 1
    start_year: int | None = None
    end_year: int | None = None
    dimensions: tuple[Dimension, ...] = ()
    cumulative: bool = False
    numerator: Text = field(default_factory=Text)
    denominator: Text = field(default_factory=Text)
    sdg_indicators: tuple[str, ...] = ()
    responsible: str = ""
    data_source: str = ""
    verification: str = ""
    weight: float = 1.0
    illustrative: bool = False
    note: str = ""
    #: Where an imported definition came from (``iati:<reporting-org ref>/<iati-identifier>``,
    #: see :func:`iati_origin`; empty for the organisation's own). IATI makes baselines and
    #: end targets optional, so an imported definition may lack them; the export leaves
    #: imported results out unless asked.
    origin: str = ""
    #: The periods of a ``custom`` frequency, in order, none overlapping (ids ``start..end``).
    periods: tuple[Period, ...] = ()
    #: Title and definition in languages other than Dutch and English, as an imported IATI
    #: file gave them: ``(field, language, text)`` with field ``title`` or ``definition``,
    #: kept so that the export writes them again with their ``xml:lang``.
    other_languages: tuple[tuple[str, str, str], ...] = ()

    def unit_for(self, lang: str) -> str:
        """The unit in ``lang``: the Dutch unit on Dutch pages when the definition gives one,
        else ``unit``."""
        return self.unit_nl or self.unit if lang == "nl" else self.unit

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", IndicatorType(self.type))
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        for name in ("measures", "scale", "targets", "dimensions", "sdg_indicators", "periods"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def level_index(self, code: str | None) -> int | None:
        """The 0-based position of a level code on the scale (None for None or unknown)."""
        if code is None:
            return None
        for i, level in enumerate(self.scale):
            if level.code == code:
                return i
        return None

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def target_for(self, period_id: str) -> PeriodTarget | None:
        return next((t for t in self.targets if t.period == period_id), None)

    def number_of(self, value: float | None, level: str | None) -> float | None:
        """A baseline or target as a number: the value, or the level's index on the scale."""
        if self.type is IndicatorType.ORDINAL:
            index = self.level_index(level)
            return None if index is None else float(index)
        return value


@dataclass(frozen=True)
class Part:
    """One disaggregated value: the dimension values it is for, e.g. ``(("sex", "female"),)``,
    sorted by dimension name, and its number (or numerator and denominator, or level)."""

    dims: tuple[tuple[str, str], ...]
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    level: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dims", tuple(sorted(tuple(d) for d in self.dims)))

    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.dims)


@dataclass(frozen=True)
class MeasurementValue:
    """What was recorded for one indicator and period.

    Exactly one of these carries the total, by indicator type: ``value`` (number, currency),
    ``numerator`` and ``denominator`` (percentage; ``value`` is then their ratio in percent),
    ``level`` (ordinal, a level code) or ``narrative`` (text). ``parts`` hold disaggregated
    values. ``evidence`` lists links or file names as typed; ``files`` are the files attached
    to the value, kept beside the store under their content's hash
    (:mod:`graphdb.attachment_files`): a record of each, never the bytes, so the value and its
    history stay small and a file attached to several revisions is kept once.
    """

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    level: str | None = None
    narrative: str | None = None
    parts: tuple[Part, ...] = ()
    comment: str = ""
    evidence: tuple[str, ...] = ()
    files: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        parts = tuple(sorted(self.parts, key=lambda p: p.dims))
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "evidence", tuple(self.evidence))
        files = tuple(
            f if isinstance(f, Attachment) else Attachment.from_dict(f) for f in self.files
        )
        if len({f.sha256 for f in files}) != len(files):
            raise ValueError("a file is attached to the value twice")
        object.__setattr__(self, "files", files)

    def number(self, indicator: Indicator) -> float | None:
        """The total as a number for progress: the value, the percentage from numerator and
        denominator, or the level's index; None for narratives and missing values."""
        kind = indicator.type
        if kind is IndicatorType.PERCENTAGE:
            if self.numerator is None or not self.denominator:
                return self.value
            return self.numerator / self.denominator * 100.0
        if kind is IndicatorType.ORDINAL:
            index = indicator.level_index(self.level)
            return None if index is None else float(index)
        if kind is IndicatorType.NARRATIVE:
            return None
        return self.value

    def is_empty(self) -> bool:
        return (
            self.value is None
            and self.numerator is None
            and self.denominator is None
            and self.level is None
            and not self.narrative
            and not self.parts
        )


@dataclass(frozen=True)
class Revision:
    """One entry of the append-only audit log of a measurement ``(indicator, period)``.

    ``revision`` numbers start at 1 per measurement. ``base_revision`` is the revision the
    author edited (0 for a new measurement): the optimistic-concurrency check. ``recorded_at``
    is a UTC timestamp from :func:`now_stamp`. ``flags`` carry warnings (a disaggregation that
    does not add up) and ``"conflict"`` for an input kept after an edit conflict.
    """

    indicator: str
    period: str
    revision: int
    status: RevisionStatus
    value: MeasurementValue
    author: str
    recorded_at: str
    role: str = ""
    reason: str = ""
    review_note: str = ""
    base_revision: int = 0
    illustrative: bool = False
    flags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", RevisionStatus(self.status))
        object.__setattr__(self, "flags", tuple(self.flags))

    @property
    def key(self) -> tuple[str, str]:
        return (self.indicator, self.period)

    @property
    def conflict(self) -> bool:
        """An input kept after an edit conflict; it is not part of the review chain."""
        return CONFLICT in self.flags


def iati_origin(publisher: str, activity: str = "") -> str:
    """The origin of a definition imported from an IATI file: ``iati:<publisher ref>``, then
    ``/<iati-identifier>`` of its activity (a publisher ref holds no ``/``); ``iati`` alone
    when the file names neither."""
    if not publisher and not activity:
        return "iati"
    return f"iati:{publisher}/{activity}" if activity else f"iati:{publisher}"


def origin_publisher(origin: str) -> str:
    """The publisher's reporting-org ref in an :func:`iati_origin` (``''`` when none)."""
    return origin.partition(":")[2].partition("/")[0]


class BadMoment(ValueError):
    """An "as of" date or date-time that cannot be read."""


def now_stamp(moment: dt.datetime | None = None) -> str:
    """A UTC timestamp with microseconds, ``2027-03-01T09:30:00.000000Z``: fixed width, so
    timestamps compare correctly as text in every engine.

    >>> now_stamp(dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC))
    '2027-03-01T09:30:00.000000Z'
    """
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stamp_cutoff(as_of: dt.date | dt.datetime | str) -> str:
    """The exclusive timestamp bound for "as known on ``as_of``": a date includes the whole
    day (UTC); a datetime is exact; text is read as ISO date or datetime.

    >>> stamp_cutoff(dt.date(2028, 6, 30))
    '2028-07-01T00:00:00.000000Z'
    """
    if isinstance(as_of, str):
        text = as_of.strip()
        try:
            as_of = (
                dt.date.fromisoformat(text)
                if len(text) == 10
                else dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            )
        except ValueError:
            raise BadMoment(f"not an ISO date or date-time: {as_of!r}") from None
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=dt.UTC)
        return now_stamp(as_of + dt.timedelta(microseconds=1))
    start = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return now_stamp(start)
