"""The annual progress report: the plan's progress for a year or an as-of date, as a
standalone HTML document or a PDF, in Dutch or English.

:func:`build_report` gathers the figures from the store (:mod:`web.report.build`), and
:func:`render_html` / :func:`render_pdf` lay them out (:mod:`web.report.render`). The report is a
view: it reads the store and the indicator computations, and writes nothing. It needs no Flask
app, so ``toc report`` and the web app's download make the same document.
"""

from web.report.build import ReportError, build_report
from web.report.data import ReportData
from web.report.render import render_html, render_pdf

__all__ = ["ReportData", "ReportError", "build_report", "render_html", "render_pdf"]
