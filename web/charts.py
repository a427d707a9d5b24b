"""Server-rendered SVG charts of an indicator: baseline, target trajectory and actual values per
period (pure: numbers and dates in, markup out; no JavaScript, no external resources).

The trajectory (the expected line) runs from the baseline to the end target, through the period
targets the definition sets. Actual values are plotted at the end of their period, each with
its status colour and symbol, so the chart reads without colour too. The time axis is labelled
on the same basis: each year's label sits at the year's end (31 December), under the values of
the periods ending then. Numbers follow the language (``13,5`` in Dutch), and the legend names
only the series that are drawn. Every text is escaped.

>>> import datetime as dt
>>> pts = [Point(dt.date(2028, 12, 31), 12.0, "on_track")]
>>> svg = str(line_chart(dt.date(2026, 12, 31), 10, dt.date(2031, 12, 31), 20, [], pts,
...                      title="Agreements"))
>>> svg.startswith('<svg') and "<title>Agreements</title>" in svg
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

from markupsafe import Markup, escape

from toc.render import STATUS_STYLE
from web.number_format import format_decimal

__all__ = ["PLOT_LIMIT", "Point", "axis_number", "line_chart", "nice_ticks", "plottable"]


@dataclass(frozen=True)
class Point:
    """A value at a date; ``status`` (a status name) for actual values."""

    date: dt.date
    value: float
    status: str | None = None
    label: str = ""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high``.

    >>> nice_ticks(0, 23)
    [0.0, 10.0, 20.0, 30.0]
    >>> nice_ticks(10, 16)
    [10.0, 12.0, 14.0, 16.0]
    >>> nice_ticks(5, 5)
    [4.0, 4.5, 5.0, 5.5, 6.0]
    """
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [float(round(math.floor(low / step) * step, 10))]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(float(round(ticks[-1] + step, 10)))
    return ticks


def axis_number(value: float, lang: str = "en") -> str:
    """A figure on the chart in ``lang``: whole from 100 on, else at most one decimal.

    >>> axis_number(13.5, "nl"), axis_number(12500, "nl"), axis_number(13.5)
    ('13,5', '12.500', '13.5')
    """
    pattern = "#,##0" if abs(value) >= 100 or value == int(value) else "#,##0.#"
    return format_decimal(value, pattern, lang)


#: Figures beyond this size are not drawn: the axis of two of them would overflow.
PLOT_LIMIT = 1e300


def plottable(value: float | None) -> TypeGuard[float]:
    """Whether a chart can draw ``value``: a finite number of at most :data:`PLOT_LIMIT`
    (so never None). A stored figure that is not finite is a data problem, named on the page
    instead."""
    return value is not None and math.isfinite(value) and abs(value) <= PLOT_LIMIT


def line_chart(
    baseline_date: dt.date | None,
    baseline: float | None,
    end_date: dt.date | None,
    end_target: float | None,
    targets: Sequence[Point],
    actuals: Sequence[Point],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    small: bool = False,
    labels: dict[str, str] | None = None,
    lang: str = "en",
) -> Markup:
    """The chart as an ``<svg>`` element. ``labels`` names the series in the chosen language
    (keys ``baseline``, ``target``, ``actual``, and for the legend ``trajectory`` and
    ``values``); ``lang`` formats the numbers."""
    labels = {
        "baseline": "Baseline",
        "target": "Target",
        "actual": "Actual",
        "trajectory": "Baseline and targets",
        "values": "Approved values, by status",
        **(labels or {}),
    }

    def _fmt(value: float) -> str:
        return axis_number(value, lang)

    trajectory: list[Point] = []
    if baseline_date is not None and baseline is not None:
        trajectory.append(Point(baseline_date, float(baseline)))
    trajectory += sorted(targets, key=lambda p: p.date)
    if end_date is not None and end_target is not None:
        trajectory.append(Point(end_date, float(end_target)))
    trajectory = [p for p in trajectory if plottable(p.value)]
    actuals = [p for p in actuals if plottable(p.value)]
    points = trajectory + list(actuals)
    pad_l, pad_r, pad_t, pad_b = (6, 6, 6, 6) if small else (56, 24, 16, 52)
    if not points:
        return Markup(
            '<svg class="chart{small}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" '
            'xmlns="http://www.w3.org/2000/svg"><title>{t}</title></svg>'
        ).format(small=" chart-small" if small else "", w=width, h=height, t=title)
    dates = [p.date for p in points]
    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - dt.timedelta(days=180), last + dt.timedelta(days=180)
    ticks = nice_ticks(min(p.value for p in points), max(p.value for p in points))
    low, high = ticks[0], ticks[-1]
    span_days = (last - first).days
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(day: dt.date) -> float:
        return round(pad_l + (day - first).days / span_days * plot_w, 1)

    def y(value: float) -> float:
        return round(pad_t + (high - value) / (high - low) * plot_h, 1)

    parts: list[str] = []
    out = parts.append
    out(
        str(
            Markup(
                '<svg class="chart{small}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" '
                'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
            ).format(small=" chart-small" if small else "", w=width, h=height, t=title)
        )
    )
    if not small:
        for tick in ticks:
            out(
                f'<line class="grid" x1="{pad_l}" x2="{width - pad_r}" y1="{y(tick)}" '
                f'y2="{y(tick)}"/><text class="tick" x="{pad_l - 6}" y="{y(tick) + 4}" '
                f'text-anchor="end">{escape(_fmt(tick))}</text>'
            )
        for year in range(first.year, last.year + 1):
            day = dt.date(year, 12, 31)  # the year's end, where its annual values are drawn
            if not first <= day <= last or x(day) < pad_l + 16:  # off the axis, or on the values
                continue
            out(
                f'<text class="tick" x="{x(day)}" y="{height - pad_b + 16}" '
                f'text-anchor="middle">{year}</text>'
            )
    if len(trajectory) >= 2:
        path = " ".join(f"{x(p.date)},{y(p.value)}" for p in trajectory)
        out(f'<polyline class="trajectory" points="{path}"><title>{escape(labels["target"])}'
            "</title></polyline>")  # fmt: skip
    for i, p in enumerate(trajectory):
        name = labels["baseline"] if i == 0 and baseline is not None else labels["target"]
        out(
            f'<circle class="target-point" cx="{x(p.date)}" cy="{y(p.value)}" '
            f'r="{3 if small else 4}">'
            f"<title>{escape(name)} {escape(p.date.isoformat())}: {escape(_fmt(p.value))}</title>"
            "</circle>"
        )
    ordered = sorted(actuals, key=lambda p: p.date)
    if len(ordered) >= 2:
        path = " ".join(f"{x(p.date)},{y(p.value)}" for p in ordered)
        out(f'<polyline class="actual" points="{path}"/>')
    for p in ordered:
        fill, cue, *_ = STATUS_STYLE.get(p.status or "no_data", STATUS_STYLE["no_data"])
        r = 4 if small else 7
        tip = f"{labels['actual']} {p.label or p.date.isoformat()}: {_fmt(p.value)}"
        out(
            f'<g class="actual-point status-{escape(p.status or "no_data")}">'
            f'<circle cx="{x(p.date)}" cy="{y(p.value)}" r="{r}" fill="{fill}"/>'
            + (
                ""
                if small
                else f'<text x="{x(p.date)}" y="{y(p.value) + 4}" text-anchor="middle" '
                f'class="cue">{escape(cue)}</text>'
            )
            + f"<title>{escape(tip)}</title></g>"
        )
    if not small:
        out(_legend(labels, len(trajectory) >= 2, bool(trajectory), bool(ordered), pad_l, height))
    out("</svg>")
    return Markup("".join(parts))


def _legend(
    labels: dict[str, str], line: bool, points: bool, actual: bool, left: int, height: int
) -> str:
    """The legend under the time axis: an entry for each series drawn, none for the rest."""
    parts, x, y = ['<g class="legend">'], float(left), height - 8
    if points:
        if line:
            parts.append(f'<line class="trajectory" x1="{x}" x2="{x + 22}" y1="{y - 4}" '
                         f'y2="{y - 4}"/>')  # fmt: skip
        parts.append(f'<circle class="target-point" cx="{x + 11}" cy="{y - 4}" r="3"/>')
        parts.append(
            f'<text class="tick" x="{x + 28}" y="{y}">{escape(labels["trajectory"])}</text>'
        )
        x += 40 + 6.5 * len(labels["trajectory"])
    if actual:
        parts.append(f'<line class="actual" x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}"/>')
        parts.append(f'<circle cx="{x + 11}" cy="{y - 4}" r="4" fill="#b7e1b0" '
                     'stroke="currentColor"/>')  # fmt: skip
        parts.append(f'<text class="tick" x="{x + 28}" y="{y}">{escape(labels["values"])}</text>')
    parts.append("</g>")
    return "".join(parts) if len(parts) > 2 else ""
