"""The annual progress report: its figures (statuses, IPTT, comments, illustrative marks), the
year and as-of semantics, both languages, the PDF, ``toc report`` and the web download.

Values are recorded with explicit timestamps in 2028, so "as of" dates fall between them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb.ladybug_store import LadybugStore
from indicators.export import iptt_frame
from indicators.model import MeasurementValue
from indicators.pathway_status import compute_plan_status, plan_status
from indicators.workflow import Action, apply_step
from web.report import ReportError, build_report, render_html, render_pdf
from web.report.build import periods_through
from web.report_pages import REPORT_CSP

NOW = dt.datetime(2029, 1, 15, 9, 0, tzinfo=dt.UTC)


def _approve(store, code, period, value, at, *, comment="", illustrative=False) -> None:
    apply_step(store, code, period, Action.SUBMIT, author="partner", role="me_officer",
               value=MeasurementValue(comment=comment, **value), illustrative=illustrative,
               now=f"{at}T10:00:00.000000Z")  # fmt: skip
    apply_step(store, code, period, Action.APPROVE, author="me", role="me_officer",
               illustrative=illustrative, now=f"{at}T11:00:00.000000Z")  # fmt: skip


def record_values(store) -> None:
    """2027 values approved in January 2028 (ind.o2's is illustrative); an early 2029 value
    approved in February 2028; a 2028 value approved in September 2028."""
    _approve(store, "ind.o1", "2027", {"value": 12.0}, "2028-01-10",
             comment="Twinnings grew in Ghent")  # fmt: skip
    _approve(store, "ind.o2", "2027", {"numerator": 25.0, "denominator": 100.0}, "2028-01-10",
             illustrative=True)  # fmt: skip
    _approve(store, "ind.o1", "2029", {"value": 19.0}, "2028-02-01", comment="Entered early")
    _approve(store, "ind.o1", "2028", {"value": 11.0}, "2028-09-01", comment="Late value")


@pytest.fixture
def store(store_path):
    """The web tests' small plan and indicators with the values of :func:`record_values`."""
    s = LadybugStore(store_path)
    record_values(s)
    yield s
    s.close()


def _rows(data):
    return [r for s in data.sections for r in ((s.so,) if s.so else ()) + s.objectives]


# -- figures -------------------------------------------------------------------------------------


def test_status_rows_match_compute_plan_status(store):
    data = build_report(store, as_of="2028-06-30", now=NOW)
    expected = plan_status(store, as_of="2028-06-30")
    rows = _rows(data)
    assert [r.id for r in rows] == ["so1", "so1.o1", "so1.o2"]
    for row in rows:
        node = expected.nodes[row.id]
        assert (row.own, row.contributions, row.combined, row.assumption_to_test) == (
            node.own.value,
            node.contributions.value,
            node.combined.value,
            node.assumption_to_test,
        )
    assert data.statuses == {n: r.combined.value for n, r in expected.nodes.items()}
    assert sum(data.counts.values()) == 3


def test_a_year_report_counts_the_periods_through_that_year(store):
    """--year 2027 --as-of 2028-06-30: the 2029 value entered early does not count, although
    it was approved before the as-of date; without a year it does."""
    year = build_report(store, year=2027, as_of="2028-06-30", now=NOW)
    plan = store.load_plan()
    before = year.cutoff
    frame = periods_through(
        store.revision_frame(status="approved", before=before),
        store.indicators(as_of=before),
        dt.date(2027, 12, 31),
    )
    expected = compute_plan_status(plan, store.indicators(as_of=before), frame, before=before)
    assert year.statuses == {n: r.combined.value for n, r in expected.nodes.items()}
    ind = next(i for i in year.indicators if i.indicator.code == "ind.o1")
    assert [p.period.id for p in ind.periods] == ["2027"]
    assert [r.period for r in ind.year_rows] == ["2027"]

    everything = build_report(store, as_of="2028-06-30", now=NOW)
    ind = next(i for i in everything.indicators if i.indicator.code == "ind.o1")
    assert [p.period.id for p in ind.periods] == ["2027", "2029"]


def test_year_alone_means_as_of_the_end_of_that_year(store):
    data = build_report(store, year=2028, now=NOW)
    assert (data.as_of, data.cutoff) == (dt.date(2028, 12, 31), "2029-01-01T00:00:00.000000Z")
    assert data.periods_through == dt.date(2028, 12, 31)
    ind = next(i for i in data.indicators if i.indicator.code == "ind.o1")
    assert [(p.period.id, p.actual) for p in ind.periods] == [("2027", 12.0), ("2028", 11.0)]


def test_iptt_numbers_match_the_iptt_and_appear_in_the_report(store):
    data = build_report(store, as_of="2028-06-30", now=NOW)
    result = plan_status(store, as_of="2028-06-30")
    frame = iptt_frame(
        result, store.load_plan(), store.revision_frame(status="approved", before=result.before),
        "so1",
    )  # fmt: skip
    [table] = data.iptt
    assert table.node.id == "so1"
    by_code = {i.code: i for i in table.indicators}
    assert set(by_code) == {"ind.o1", "ind.o2"}
    want = frame[(frame["indicator"] == "ind.o2") & (frame["period"] == "2027")].iloc[0]
    got = next(r for r in by_code["ind.o2"].rows if r.period == "2027")
    assert got.actual == pytest.approx(want["actual"]) == pytest.approx(25.0)
    assert got.percent_of_target == pytest.approx(want["percent_of_target"])
    assert got.status == want["status"]
    html = render_html(data)
    assert 'id="iptt"' in html
    assert '<td class="num">25 <span class="demo"' in html  # ind.o2's 2027 value, illustrative
    assert f"{round(got.percent_of_target)}\u00a0%" in html
    assert "12" in html and "Twinnings grew in Ghent" in html


def test_a_value_approved_after_the_as_of_date_is_absent(store):
    early = build_report(store, as_of="2028-06-30", now=NOW)
    html = render_html(early)
    assert "Late value" not in html
    rows = {(r.period, r.actual) for t in early.iptt for i in t.indicators for r in i.rows}
    assert ("2028", 11.0) not in rows
    later = build_report(store, as_of="2028-09-30", now=NOW)
    assert "Late value" in render_html(later)


def test_a_report_as_of_a_date_is_reproduced_later(store):
    """Made again after more values were approved, the report as of the same date is the same
    document."""
    first = render_html(build_report(store, as_of="2028-06-30", now=NOW))
    _approve(store, "ind.o2", "2028", {"numerator": 40.0, "denominator": 100.0}, "2028-12-01",
             comment="Added later")  # fmt: skip
    assert render_html(build_report(store, as_of="2028-06-30", now=NOW)) == first


def test_illustrative_figures_are_marked(store):
    data = build_report(store, as_of="2028-06-30", now=NOW)
    assert data.illustrative
    assert data.illustrative_indicators == ("ind.o2",)
    assert data.illustrative_values == 1
    html = render_html(data)
    assert 'class="banner-demo"' in html and "Illustrative data" in html
    iptt = html[html.index('id="iptt"') : html.index('id="comments"')]
    ind_o2 = iptt[iptt.index("ind.o2") :]
    assert 'class="demo"' in ind_o2  # the illustrative value carries the ◆ marker
    ind_o1 = iptt[iptt.index("ind.o1") : iptt.index("ind.o2")]
    assert 'class="demo"' not in ind_o1 and "tag-demo" not in ind_o1
    assert "Illustrative data: not real monitoring data" in html  # every page's footer


def test_a_report_without_illustrative_data_says_so(store_path):
    with LadybugStore(store_path) as s:
        _approve(s, "ind.o1", "2027", {"value": 12.0}, "2028-01-10")
        html = render_html(build_report(s, year=2027, as_of="2028-06-30", now=NOW))
    assert 'class="banner-demo"' not in html and "No figure in this report is illustrative." in html


def test_dutch_and_english_titles(store):
    nl = render_html(build_report(store, year=2027, as_of="2028-06-30", lang="nl", now=NOW))
    en = render_html(build_report(store, year=2027, as_of="2028-06-30", lang="en", now=NOW))
    assert '<html lang="nl">' in nl and '<html lang="en">' in en
    assert "Jaarlijks voortgangsrapport 2027" in nl and "Annual progress report 2027" in en
    assert "Doel 1.1" in nl and "Objective 1.1" not in nl
    assert "Objective 1.1" in en and "Status per strategische doelstelling" in nl
    assert "Opvolgingstabel van de indicatoren (IPTT)" in nl
    assert "Gemeenten" in nl and "Municipalities" in en  # indicator titles


def test_a_missing_translation_is_shown_in_the_other_language_with_a_marker(store):
    from toc.model import Node, Plan, Text

    plan = store.load_plan()
    nodes = [
        Node(n.kind, n.id, Text(nl="", en="Only English"), props=n.props) if n.id == "so1.o2"
        else n
        for n in plan.nodes
    ]  # fmt: skip
    data = build_report(store, lang="nl", plan=Plan.of(nodes, plan.edges), now=NOW)
    html = render_html(data)
    assert 'Only English <abbr class="fallback" lang="en"' in html


def test_bad_requests_raise_report_errors(store):
    with pytest.raises(ReportError, match="outside the plan"):
        build_report(store, year=2040)
    with pytest.raises(ReportError, match="not an ISO date"):
        build_report(store, as_of="30/06/2028")
    with pytest.raises(ReportError, match="unknown language"):
        build_report(store, lang="fr")


def test_a_missing_pango_library_is_one_clear_error(store, monkeypatch):
    import sys
    import types

    broken = types.ModuleType("weasyprint")

    def missing(name):
        raise OSError("cannot load library 'libpango-1.0-0'")

    broken.__getattr__ = missing
    monkeypatch.setitem(sys.modules, "weasyprint", broken)
    with pytest.raises(ReportError, match=r"needs the Pango library .*system-packages.sh pango"):
        render_pdf(build_report(store, year=2028, now=NOW))


def test_text_is_escaped(store):
    from toc.model import Node, Plan, Text

    plan = store.load_plan()
    evil = Text("<script>x</script>", "<script>x</script>")
    nodes = [Node(n.kind, n.id, evil, props=n.props) if n.id == "so1.o1" else n for n in plan.nodes]
    html = render_html(build_report(store, plan=Plan.of(nodes, plan.edges), now=NOW))
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- PDF -----------------------------------------------------------------------------------------


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pypdf when installed, else poppler's pdftotext)."""
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        import io

        return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    if shutil.which("pdftotext") is None:
        pytest.skip("reading a PDF needs pypdf or pdftotext (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


def test_the_pdf_has_every_chapter(store, tmp_path):
    pytest.importorskip("weasyprint", reason="the PDF needs WeasyPrint (pip install weasyprint)")
    data = build_report(store, year=2027, as_of="2028-06-30", now=NOW)
    pdf = render_pdf(data)
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf, tmp_path)
    # cover, diagram, status table, indicators, IPTT, comments and notes: a page each at least
    assert len(pages) >= 6
    text = "\n".join(pages)
    for words in (
        "Annual progress report 2027",
        "Pathway of change",
        "Status per strategic objective and objective",
        "Indicator performance tracking table (IPTT)",
        "Narrative comments",
        "Twinnings grew in Ghent",
        "Illustrative data",
    ):
        assert words in text, words
    assert "Annual progress report 2027" in pages[1]  # running header
    assert f"As of 2028-06-30 · Page 2 / {len(pages)}" in pages[1]


# -- toc report ----------------------------------------------------------------------------------


@pytest.fixture
def closed_store(store_path) -> Path:
    """The store with the values, closed so that ``toc`` can open it."""
    with LadybugStore(store_path) as s:
        record_values(s)
    return store_path


def test_toc_report_writes_html(closed_store, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        ["--store", str(closed_store), "report", "--year", "2027", "--as-of", "2028-06-30",
         "--lang", "nl", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote the nl report" in result.output and "illustrative" in result.output
    html = out.read_text(encoding="utf-8")
    assert "Jaarlijks voortgangsrapport 2027" in html and "Twinnings grew in Ghent" in html


def test_toc_report_writes_pdf(closed_store, tmp_path):
    pytest.importorskip("weasyprint", reason="the PDF needs WeasyPrint (pip install weasyprint)")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(
        cli, ["--store", str(closed_store), "report", "--year", "2028", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_toc_report_errors(closed_store, tmp_path):
    runner = CliRunner()
    base = ["--store", str(closed_store), "report"]
    unknown = runner.invoke(cli, [*base, "--year", "2028", "-o", str(tmp_path / "r.txt")])
    assert unknown.exit_code == 2 and "name a .pdf or .html file" in unknown.output
    outside = runner.invoke(cli, [*base, "--year", "2050", "-o", str(tmp_path / "r.html")])
    assert outside.exit_code == 1 and "outside the plan (2027-2036)" in outside.output
    assert "Traceback" not in outside.output
    bad = runner.invoke(cli, [*base, "--as-of", "yesterday", "-o", str(tmp_path / "r.html")])
    assert bad.exit_code == 1 and "not an ISO date" in bad.output
    forced = runner.invoke(cli, [*base, "--format", "html", "-o", str(tmp_path / "r.txt")])
    assert forced.exit_code == 0 and "<html" in (tmp_path / "r.txt").read_text(encoding="utf-8")


# -- web -----------------------------------------------------------------------------------------


@pytest.fixture
def web_values(app):
    from web.store import get_store

    with app.app_context():
        record_values(get_store())


def test_the_report_page_and_its_link(client, auth, web_values):
    auth.login_as("viewer")
    assert 'href="/report"' in client.get("/").get_data(as_text=True)
    page = client.get("/report").get_data(as_text=True)
    assert 'action="/report/download"' in page and 'name="as_of"' in page
    assert '<option value="2029" selected>' in page  # the year of the latest approved value


def test_download_html(client, auth, web_values):
    auth.login_as("viewer")
    response = client.get("/report/download?year=2027&as_of=2028-06-30&lang=nl&format=html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="pathways-report-2027-nl.html"'
    )
    assert response.headers["Content-Security-Policy"] == REPORT_CSP
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Jaarlijks voortgangsrapport 2027" in html and "<script" not in html


def test_download_pdf(client, auth, web_values):
    pytest.importorskip("weasyprint", reason="the PDF needs WeasyPrint (pip install weasyprint)")
    auth.login_as("contributor")
    response = client.get("/report/download?year=2028&lang=en&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")


def test_a_bad_request_returns_to_the_form_with_the_reason(client, auth):
    auth.login_as("viewer")
    response = client.get("/report/download?year=2050&format=pdf")
    assert response.status_code == 302 and response.headers["Location"] == "/report"
    page = client.get("/report").get_data(as_text=True)
    assert "outside the plan" in page
    assert client.get("/report/download?year=abc").status_code == 302


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/report/download?format=html")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_each_strategic_objective_has_its_contribution_story_as_of_the_report(store):
    from toc.causal import Link
    from toc.evidence import Evidence

    early = Evidence("ev.early", "evaluation", "supports", "strong", "Review 2028", "2028-03-01",
                     "me", link=Link("s1", "so1.o1"))  # fmt: skip
    late = Evidence("ev.late", "study", "supports", "strong", "Study 2030", "2030-03-01", "me",
                    link=Link("s2", "so1.o2"))  # fmt: skip
    store.add_evidence([early, late], author="me")
    data = build_report(store, as_of="2028-06-30", now=NOW)
    assert [node for node, _ in data.stories] == ["so1"]
    story = data.stories[0][1]
    assert "Review 2028" in story and "Study 2030" not in story
    html = render_html(data)
    assert 'id="story-so1"' in html and "Contribution stories" in html
    dutch = render_html(build_report(store, as_of="2028-06-30", lang="nl", now=NOW))
    assert "Bijdrageverhalen" in dutch and "Conclusie" in dutch
