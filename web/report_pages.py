"""The annual progress report in the web app: choose a year or an as-of date and a language,
download the report as PDF or as a standalone HTML file.

Everyone signed in may download it: it shows what the pages show. The report is made on request
from the store (:mod:`web.report`), in the language chosen on the form, whatever the
interface's language. The HTML file carries its own styles, which the app's Content Security
Policy would block inside the app; it is sent as an attachment with a policy of its own that
allows those styles and nothing else (no script, no loads).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from indicators.rollup import DEFAULT_RULE, RollupRule
from web.access import requires
from web.i18n import current_lang
from web.report import ReportError, build_report, render_html, render_pdf
from web.statuses import current_plan_status
from web.store import current_plan, get_store

__all__ = ["bp"]

bp = Blueprint("report", __name__, url_prefix="/report")

#: The policy of a downloaded HTML report: its embedded styles and pictures, nothing else.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
_FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def _plan_years() -> list[int]:
    root = current_plan().root
    start = root.props.get("start_year") if root else None
    end = root.props.get("end_year") if root else None
    return list(range(start, end + 1)) if start and end else []


def _latest_year_with_values(years: list[int]) -> int | None:
    """The year of the latest approved value (the year a report is most likely wanted for),
    else the plan's first year."""
    result = current_plan_status()
    ends = [
        p.period.end.year for s in (result.indicators.values() if result else ()) for p in s.periods
    ]
    found = max((y for y in ends if y in years), default=None)
    return found if found is not None else (years[0] if years else None)


@bp.route("")
@requires("read")
def index() -> str:
    """The form: year or as-of date, language, format."""
    years = _plan_years()
    return render_template(
        "report/index.html",
        years=years,
        chosen_year=_latest_year_with_values(years),
        lang=current_lang(),
    )


def _rule() -> RollupRule:
    rule = current_app.config.get("STATUS_ROLLUP") or DEFAULT_RULE
    return rule if isinstance(rule, RollupRule) else RollupRule(rule)


@bp.route("/download")
@requires("read")
def download() -> WerkzeugResponse:
    """The report for ``year`` and/or ``as_of`` in ``lang`` as ``format`` (pdf or html;
    without a year or date: as of now, in HTML)."""
    args = request.args
    fmt = args.get("format", "html")
    lang = args.get("lang") or current_lang()
    year_text, as_of = (args.get("year") or "").strip(), (args.get("as_of") or "").strip() or None
    try:
        if fmt not in _FORMATS:
            raise ReportError(_("Choose PDF or HTML."))
        if year_text and not year_text.isdigit():
            raise ReportError(_("Not a year: %(year)s", year=year_text))
        year = int(year_text) if year_text else None
        data = build_report(
            get_store(), year=year, as_of=as_of, lang=lang, plan=current_plan(), rule=_rule()
        )
        body = render_pdf(data) if fmt == "pdf" else render_html(data).encode()
    except ReportError as e:
        flash(_("No report: %(reason)s", reason=str(e)), "error")
        return redirect(url_for("report.index"))
    name = f"pathways-report-{year or data.as_of.isoformat()}-{lang}.{fmt}"
    response = Response(body, mimetype=_FORMATS[fmt].split(";")[0])
    if fmt == "html":
        response.headers["Content-Type"] = _FORMATS["html"]
        response.headers["Content-Security-Policy"] = REPORT_CSP
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
