"""What an annual progress report contains, as plain data: no markup, no store, no Flask.

:func:`web.report.build.build_report` fills a :class:`ReportData` from the store;
:mod:`web.report.render` turns it into HTML and PDF. Keeping the two apart lets tests check the
figures of a report without parsing a document, and lets the same data give both formats.
Numbers stay numbers (float, or a level code for ordinal scales) until the renderer formats
them in the report's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from indicators.model import Indicator
from indicators.status import PeriodStatus
from toc.model import Plan, Text

__all__ = [
    "Comment",
    "IndicatorSection",
    "IpttIndicator",
    "IpttTable",
    "NodeRow",
    "ObjectiveSection",
    "PeriodRow",
    "ReportData",
    "Shown",
    "shown",
]

#: A figure as the report shows it: a number, a level code (ordinal scales) or nothing.
Figure = float | str | None


@dataclass(frozen=True)
class Shown:
    """A plan text in the report's language; ``fallback`` names the language shown instead
    when the plan lacks that translation (the report marks it, as the pages do)."""

    text: str
    fallback: str | None = None


def shown(text: Text | None, lang: str) -> Shown:
    """``text`` in ``lang``, else in the other language with its code as ``fallback``."""
    if not text:
        return Shown("")
    if text.has(lang):
        return Shown(text.get(lang))
    other = "en" if lang == "nl" else "nl"
    return Shown(text.get(other), other)


@dataclass(frozen=True)
class NodeRow:
    """One strategic objective or objective in the status table.

    ``ref`` is its short reference (``1`` for a strategic objective, ``1.2`` for an
    objective); statuses are status names (:data:`toc.render.STATUS_STYLE`); ``illustrative``
    says whether a status shown derives from illustrative indicators or values.
    """

    id: str
    kind: str
    ref: str
    title: Shown
    own: str
    contributions: str
    combined: str
    assumption_to_test: bool
    indicators: tuple[str, ...]
    illustrative: bool


@dataclass(frozen=True)
class ObjectiveSection:
    """A strategic objective with its objectives (``so`` None: objectives under none)."""

    so: NodeRow | None
    objectives: tuple[NodeRow, ...]


@dataclass(frozen=True)
class PeriodRow:
    """One period of an indicator: target, expected value, actual, % of target, status.
    ``in_year`` marks the periods of the report's year; ``period`` is ``"to date"`` for the
    row against the end target."""

    period: str
    target: Figure
    expected: Figure
    actual: Figure
    percent_of_target: float | None
    status: str
    in_year: bool
    illustrative: bool
    #: the to-date rule (:mod:`indicators.to_date`) on the "to date" row, else ""
    rule: str = ""


@dataclass(frozen=True)
class IndicatorSection:
    """An indicator with its counted periods (for the chart) and the value of the report's
    year. ``measures`` holds (node kind, node ref, title) for each node it measures."""

    indicator: Indicator
    title: Shown
    strategic_objective: str | None
    measures: tuple[tuple[str, str, Shown], ...]
    status: str
    periods: tuple[PeriodStatus, ...]
    year_rows: tuple[PeriodRow, ...]
    illustrative: bool


@dataclass(frozen=True)
class IpttIndicator:
    """The IPTT rows of one indicator: its baseline and one row per period shown, plus the
    "to date" row."""

    code: str
    title: Shown
    node: str
    unit: str
    baseline: Figure
    baseline_date: str
    rows: tuple[PeriodRow, ...]
    illustrative: bool


@dataclass(frozen=True)
class IpttTable:
    """The IPTT of one strategic objective: its indicators and those of what contributes to
    it, each once."""

    node: NodeRow
    indicators: tuple[IpttIndicator, ...]


@dataclass(frozen=True)
class Comment:
    """The comment (or narrative text) of a counted value."""

    indicator: str
    title: Shown
    period: str
    text: str
    narrative: bool
    recorded_at: str
    illustrative: bool


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, for one language and one moment.

    ``year`` is the year reported on (its periods are highlighted; with ``periods_through``
    set, later periods are left out); ``as_of`` the date the figures are known at and
    ``cutoff`` the exclusive timestamp that implements it (None: everything recorded).
    ``statuses`` maps every causal node to its combined status (for the diagram).
    """

    lang: str
    plan: Plan
    title: Shown
    organisation: str
    plan_years: tuple[int | None, int | None]
    year: int | None
    as_of: dt.date
    as_of_text: str
    cutoff: str | None
    periods_through: dt.date | None
    generated_at: dt.datetime
    rule: str
    statuses: dict[str, str]
    counts: dict[str, int]
    sections: tuple[ObjectiveSection, ...]
    assumptions_to_test: tuple[NodeRow, ...]
    indicators: tuple[IndicatorSection, ...]
    iptt: tuple[IpttTable, ...]
    comments: tuple[Comment, ...]
    illustrative: bool
    illustrative_indicators: tuple[str, ...]
    illustrative_values: int
    #: A contribution story per strategic objective: (its id, the story as HTML).
    stories: tuple[tuple[str, str], ...] = ()
