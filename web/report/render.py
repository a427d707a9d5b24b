"""Lay out a :class:`~web.report.data.ReportData` as a standalone HTML document and as a PDF.

The HTML is one self-contained file: its print stylesheet, the pathway diagram and the
indicator charts are inside it (inline SVG), so it opens offline and WeasyPrint turns it into
the PDF without fetching anything (every URL is refused). Templates live in
``web/templates/report/`` and are rendered by a Jinja environment of their own, with the
interface catalogue of the report's language, so the command line needs no Flask app and the
web app's language choice does not leak into a report asked for in the other language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NoReturn

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from toc.render import STATUS_STYLE, diagram_dot, render
from web.charts import line_chart
from web.diagrams import clean_svg, inline_svg
from web.i18n import TRANSLATIONS
from web.measurements import chart_points, trajectory_ends
from web.report.build import ReportError
from web.report.data import IndicatorSection, ReportData

__all__ = ["TEMPLATES", "render_html", "render_pdf"]

TEMPLATES = Path(__file__).parents[1] / "templates" / "report"


@cache
def _translations(lang: str) -> NullTranslations:
    """The interface catalogue of ``lang`` (English is the source language: no catalogue)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang], domain="messages")


@cache
def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "css"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The method is added to the environment by the jinja2.ext.i18n extension at run time.
    env.install_gettext_translations(_translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        num=lambda value: _number(value, lang),
        pct=lambda value: _percent(value, lang),
        day=lambda value: format_date(value, "long", locale=lang),
        moment=lambda value: format_datetime(value, "medium", tzinfo=dt.UTC, locale=lang),
        css_string=_css_string,
    )
    env.globals.update(
        status_label=lambda s: STATUS_STYLE.get(s or "no_data", STATUS_STYLE["no_data"])[
            3 if lang == "en" else 4
        ],
        status_cue=lambda s: STATUS_STYLE.get(s or "no_data", STATUS_STYLE["no_data"])[1],
        status_names=tuple(STATUS_STYLE),
    )
    return env


def _number(value: float | str | None, lang: str) -> str:
    """A figure in the report's language: level codes as they are, no value as a dash."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return format_decimal(value, format="#,##0.##", locale=lang)


def _percent(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0", locale=lang) + "\u00a0%"


def _css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string that cannot end the string or the style element."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '\\"<>\n\r' or ord(ch) < 32 else ch for ch in str(value)
    )
    return Markup(f'"{escaped}"')


#: Graphviz writes ``font-family="Helvetica,sans-Serif"``, which WeasyPrint reads as one unknown
#: family (and then draws wider text than Graphviz measured); its leading spaces would collapse.
_DIAGRAM_CSS = 'text { font-family: Helvetica, "Liberation Sans", Arial, sans-serif; }'


def _diagram(data: ReportData, label: str) -> Markup:
    """The whole pathway diagram coloured by the report's statuses, as inline SVG."""
    dot = diagram_dot(data.plan, data.lang, statuses=data.statuses, illustrative=data.illustrative)
    return _with_style(inline_svg(clean_svg(render(dot, "svg")), label), _DIAGRAM_CSS)


def _with_style(svg: Markup, css: str) -> Markup:
    """``svg`` with ``css`` in a style element of its own (the document's stylesheet does not
    reach inside inline SVG in WeasyPrint). ``css`` is our own template text, not user input."""
    text = str(svg)
    head_end = text.index(">", text.index("<svg")) + 1
    return Markup(text[:head_end] + "<style>" + css + "</style>" + text[head_end:])


def _chart(section: IndicatorSection, gettext: Callable[..., str], lang: str) -> Markup | None:
    """The indicator's chart (baseline, target trajectory, counted values), None for
    narrative indicators, which have no numbers to draw."""
    ind = section.indicator
    if ind.type.value == "narrative":
        return None
    targets, actuals = chart_points(ind, section.periods)
    return line_chart(
        *trajectory_ends(ind),
        targets,
        actuals,
        title=section.title.text,
        width=520,
        height=210,
        labels={
            "baseline": gettext("Baseline"),
            "target": gettext("Target"),
            "actual": gettext("Actual"),
            "trajectory": gettext("Baseline and targets"),
            "values": gettext("Approved values, by status"),
        },
        lang=lang,
    )


def render_html(data: ReportData) -> str:
    """The report as one HTML document (UTF-8 text), styles and pictures inside."""
    env = _environment(data.lang)
    gettext = _translations(data.lang).gettext
    css = env.get_template("chart.css").render()
    charts = {
        s.indicator.code: _with_style(chart, css)
        for s in data.indicators
        if (chart := _chart(s, gettext, data.lang)) is not None
    }
    return env.get_template("report.html").render(
        r=data,
        diagram=_diagram(data, gettext("Pathway-of-change diagram")),
        charts=charts,
        rule_names={
            "worst_of": gettext("the most severe status counts"),
            "weighted_mean": gettext("weighted mean of the statuses"),
            "majority": gettext("the status with the most weight counts"),
        },
        so_rows={s.so.id: s.so for s in data.sections if s.so is not None},
        # escaped by the story renderer, every piece of data in it
        stories=[(node, Markup(html)) for node, html in data.stories],
    )


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    """WeasyPrint's URL fetcher for the report: it has nothing to fetch, so refuse all."""
    raise ValueError(f"the report does not load external resources ({url[:60]})")


def render_pdf(data: ReportData) -> bytes:
    """The report as a PDF (A4, page numbers, running headers); ReportError when WeasyPrint
    is not installed."""
    try:
        from weasyprint import HTML  # imported here: it takes a while to load
    except ImportError:
        raise ReportError(
            "making a PDF needs WeasyPrint: pip install weasyprint (or write .html)"
        ) from None
    except OSError as e:  # WeasyPrint is there, the Pango library it draws text with is not
        raise ReportError(
            f"making a PDF needs the Pango library ({e}): scripts/ensure-system-packages.sh "
            "pango, or apt-get install libpango-1.0-0 libpangoft2-1.0-0 (or write .html)"
        ) from None

    return HTML(string=render_html(data), url_fetcher=_refuse).write_pdf()
