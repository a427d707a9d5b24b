"""The overview, pathway and node pages: content, filters, downloads, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan
from tests.web.conftest import english_client, make_app
from toc.model import Edge, Node, Plan, Text
from web.store import close_store


@pytest.fixture
def viewer(client, auth):
    auth.login_as("viewer")
    return client


def test_overview_lists_the_plan_and_its_strategic_objectives(viewer):
    text = viewer.get("/").get_data(as_text=True)
    assert "<h1>Plan</h1>" in text and "2027 to 2036" in text
    assert 'href="/nodes/so1"' in text and "Goal 1" in text
    assert "2 objectives" in text
    assert 'href="/pathways?so=so1"' in text
    # Until indicators report, every result has no data: 5 causal nodes in the small plan.
    assert re.search(
        r'status-no_data">\s*<a class="count-link" href="/nodes/status/no_data">\s*'
        r'<span class="count-number">5</span>',
        text,
    )


def test_status_counts_link_to_the_nodes_with_that_status(viewer):
    text = viewer.get("/nodes/status/no_data").get_data(as_text=True)
    for node in ("so1", "so1.o1", "so1.o2", "s1", "s2"):
        assert f'href="/nodes/{node}"' in text
    text = viewer.get("/nodes/status/on_track").get_data(as_text=True)
    assert "No result or strategy has this status." in text
    assert viewer.get("/nodes/status/bogus").status_code == 404


def test_pathways_page_embeds_the_diagram(viewer):
    text = viewer.get("/pathways").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert 'role="img"' in text and 'aria-label="Pathway-of-change diagram"' in text
    assert 'xlink:href="/nodes/so1.o1"' in text
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text
    assert 'src="/static/diagram.js"' in text
    for fmt in ("svg", "png", "pdf"):
        assert f'href="/pathways/diagram.{fmt}"' in text


def test_pathways_filters(viewer):
    text = viewer.get("/pathways?level=Objective").get_data(as_text=True)
    assert 'id="node-so1.o1"' in text and 'id="node-s1"' not in text
    assert '<option value="Objective" selected>' in text
    text = viewer.get("/pathways?partner=enabel").get_data(as_text=True)
    assert 'id="node-s1"' in text and 'id="node-s2"' not in text
    assert 'href="/pathways/diagram.svg?partner=enabel"' in text
    text = viewer.get("/pathways?country=be&so=so1").get_data(as_text=True)
    assert 'id="node-s2"' in text and 'id="node-s1"' not in text


def test_unknown_filter_values_are_ignored_with_a_notice(viewer):
    text = viewer.get("/pathways?sdg=so1&country=nowhere&level=Planet").get_data(as_text=True)
    assert "Some filters were ignored" in text and "sdg, country, level" in text
    assert 'id="node-s1"' in text


def test_a_filter_matching_nothing_says_so(viewer):
    text = viewer.get("/pathways?focus=sdg11").get_data(as_text=True)
    assert "Only the pathways through" in text
    assert 'id="node-so1"' not in text


@pytest.mark.parametrize(
    "fmt, mime, magic",
    [("svg", "image/svg+xml", b"<svg"), ("png", "image/png", b"\x89PNG"),
     ("pdf", "application/pdf", b"%PDF")],
)  # fmt: skip
def test_downloads(viewer, fmt, mime, magic):
    response = viewer.get(f"/pathways/diagram.{fmt}?so=so1")
    assert response.status_code == 200 and response.mimetype == mime
    assert magic in response.data[:200]
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="pathways-en-so1.{fmt}"'
    if fmt == "svg":
        assert b'xlink:href="http://localhost/nodes/s1"' in response.data


def test_unknown_download_format_is_404(viewer):
    assert viewer.get("/pathways/diagram.gif").status_code == 404


def test_diagrams_are_rendered_once_per_plan_version_filter_and_language(app, viewer):
    cache = app.extensions["pathways.diagrams"]
    viewer.get("/pathways")
    viewer.get("/pathways")
    viewer.get("/pathways?level=Objective")
    assert cache.renders == 2
    viewer.get("/language/nl")
    viewer.get("/pathways")
    assert cache.renders == 3


def test_node_page_shows_links_assumptions_partners_and_sdgs(viewer):
    text = viewer.get("/nodes/so1.o1").get_data(as_text=True)
    assert "<h1>Objective 1.1</h1>" in text
    assert "What contributes to it" in text and 'href="/nodes/s1"' in text
    assert "because" in text  # the link's rationale
    assert "Assumes" in text and 'href="/nodes/a1"' in text
    assert "What it contributes to" in text and 'href="/nodes/so1"' in text
    assert "Partners" in text and 'href="/nodes/enabel"' in text  # through s1
    assert "SDGs" in text and 'href="/nodes/sdg16"' in text  # through so1
    assert 'href="/pathways?focus=so1.o1"' in text


def test_assumption_page_lists_the_links_relying_on_it(viewer):
    text = viewer.get("/nodes/a1").get_data(as_text=True)
    assert "Links that rely on this assumption" in text
    assert 'href="/nodes/s1"' in text and 'href="/nodes/so1.o1"' in text


def test_unknown_node_is_404(viewer):
    response = viewer.get("/nodes/nope")
    assert response.status_code == 404 and b"Not found" in response.data


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of a page with its attributes, as a browser's parser sees them."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def _plan_with(title: Text, description: Text | None = None) -> Plan:
    plan = small_plan()
    nodes = [n for n in plan.nodes if n.id != "so1.o2"]
    nodes.append(Node("Objective", "so1.o2", title, description or Text(), props={"number": 2}))
    return Plan.of(nodes, plan.edges)


@pytest.fixture
def custom_store(store_path):
    def save(plan: Plan, variance: Node | None = None):
        store = LadybugStore(store_path)
        nodes, edges = list(plan.nodes), list(plan.edges)
        if variance is not None:
            nodes.append(variance)
            edges.append(Edge("CONCERNS", variance.id, "so1.o2"))
        store.save_plan(Plan.of(nodes, edges))
        store.close()
        return store_path

    return save


def test_plan_text_is_escaped_everywhere(custom_store, auth):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    app = make_app(custom_store(_plan_with(Text(nl=evil, en=evil), Text(en=evil + "\n\n" + evil))))
    try:
        client = english_client(app)
        type(auth)(client).login_as("viewer")
        for url in ("/", "/pathways", "/nodes/so1.o2", "/nodes/so1", "/pathways/diagram.svg"):
            body = client.get(url).get_data(as_text=True)
            tags = _tags(body)
            assert not [t for t in tags if t[0] == "img"], url
            assert all(dict(a).get("src", "").startswith("/static/") for t, a in tags
                       if t == "script"), url  # fmt: skip
            assert not [n for _, a in tags for n, _ in a if n.lower().startswith("on")], url
        assert "&lt;script&gt;" in client.get("/nodes/so1.o2").get_data(as_text=True)
    finally:
        close_store(app)


def test_missing_translation_shows_the_other_language_marked(custom_store, auth):
    plan = _plan_with(Text(nl="Alleen Nederlands"), Text(nl="Eerste alinea.\n\nTweede alinea."))
    app = make_app(custom_store(plan))
    try:
        client = english_client(app)
        type(auth)(client).login_as("viewer")
        text = client.get("/nodes/so1.o2").get_data(as_text=True)
        assert '<span lang="nl">Alleen Nederlands</span> <abbr class="fallback"' in text
        assert 'title="Not available in this language; shown in Nederlands">NL</abbr>' in text
        assert '<p lang="nl">Eerste alinea.' in text and '<p lang="nl">Tweede alinea.</p>' in text
        client.get("/language/nl")
        text = client.get("/nodes/so1.o2").get_data(as_text=True)
        assert "<h1>Alleen Nederlands</h1>" in text
    finally:
        close_store(app)


def test_language_variances_concerning_a_node(custom_store, auth):
    variance = Node(
        "TextVariance",
        "tv1",
        Text("Aantal VTE", "Number of FTE"),
        props={"topic": "fte", "value_nl": "5,8 VTE", "value_en": "6 FTE"},
    )
    app = make_app(custom_store(small_plan(), variance))
    try:
        client = english_client(app)
        type(auth)(client).login_as("viewer")
        text = client.get("/nodes/so1.o2").get_data(as_text=True)
        assert "Differences between the language versions" in text
        assert '<td lang="nl">5,8 VTE</td>' in text and '<td lang="en">6 FTE</td>' in text
    finally:
        close_store(app)
