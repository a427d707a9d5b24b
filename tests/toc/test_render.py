"""Pathway diagrams: the DOT text, filters, statuses, links, formats and safe escaping."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toc.analysis import NodeNotFound
from toc.errors import PlanError
from toc.model import Edge, Node, Plan, Text
from toc.render import FORMATS, DiagramFilter, diagram_dot, diagram_nodes, render

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
# Every element Graphviz writes for these diagrams; anything else would be injected.
SVG_TAGS = {"svg", "g", "title", "polygon", "path", "polyline", "ellipse", "text", "a"}
NODE_LINE = re.compile(r'^\s*"([^"]*)" \[label=', re.MULTILINE)
EDGE_LINE = re.compile(r'^\s*"[^"]*" -> "[^"]*".*;$', re.MULTILINE)


def drawn(dot: str) -> set[str]:
    """Ids of the nodes a DOT text draws."""
    return set(NODE_LINE.findall(dot))


def edge_lines(dot: str) -> set[str]:
    return {line.strip() for line in EDGE_LINE.findall(dot)}


def clusters(dot: str) -> dict[str, set[str]]:
    """Cluster name -> ids of the nodes drawn inside it."""
    found = {}
    for m in re.finditer(r'^  subgraph "cluster_([^"]*)" \{\n(.*?)^  \}$', dot, re.M | re.S):
        found[m.group(1)] = drawn(m.group(2))
    return found


def shown(plan: Plan, **flt: str) -> set[str]:
    return {n.id for n in diagram_nodes(plan, DiagramFilter(**flt))}


def parse_svg(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    return root


def node_groups(root: ET.Element) -> dict[str, ET.Element]:
    """Plan node id -> its <g> element (the diagram gives each node the id 'node-<id>')."""
    return {
        g.get("id").removeprefix("node-"): g
        for g in root.iter(SVG + "g")
        if g.get("class") == "node" and g.get("id", "").startswith("node-")
    }


def texts(el: ET.Element) -> list[str]:
    return [t.text or "" for t in el.iter(SVG + "text")]


def tooltip(el: ET.Element) -> str:
    return next(el.iter(SVG + "a")).get(XLINK + "title")


def tags(root: ET.Element) -> set[str]:
    return {el.tag.removeprefix(SVG) for el in root.iter()}


def read_back(text: str) -> str:
    """Text as a tooltip reads back: Graphviz writes runs of spaces as no-break spaces, and
    a raw tab in an attribute reads back as a space (XML attribute normalisation)."""
    return text.replace("\xa0", " ").replace("\t", " ")


def squeeze(text: str) -> str:
    """Text without any whitespace: wrapping and Graphviz may change spaces, nothing else."""
    return "".join(text.split())


# The DOT text


def test_every_causal_node_and_sdg_is_drawn(plan):
    dot = diagram_dot(plan)
    assert drawn(dot) == {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16", "sdg11"}
    assert dot.startswith("digraph pathways {\n")
    assert dot.endswith("}\n")


def test_other_kinds_are_not_drawn(plan):
    dot = diagram_dot(plan)
    for node_id in ("p", "r1", "be", "enabel", "a1"):
        assert f'"{node_id}"' not in dot


def test_pathway_links_are_drawn(plan):
    assert edge_lines(diagram_dot(plan)) == {
        '"s1" -> "so1.o1";',
        '"s2" -> "so1.o2";',
        '"so1.o1" -> "so1";',
        '"so1.o2" -> "so1";',
        '"so1" -> "sdg16" [style=solid, color="#9aa5b1"];',
    }


def test_secondary_alignment_is_dashed(plan):
    extra = Edge("ALIGNS_WITH", "so1.o2", "sdg11", {"priority": "secondary"})
    dot = diagram_dot(Plan.of(plan.nodes, [*plan.edges, extra]))
    assert '"so1.o2" -> "sdg11" [style=dashed, color="#9aa5b1"];' in dot


def test_one_cluster_per_strategic_objective(plan):
    assert clusters(diagram_dot(plan)) == {"so1": {"so1", "so1.o1", "so1.o2"}}


def test_clusters_with_two_strategic_objectives():
    t = Text("x", "x")
    nodes = [
        Node("Strategy", "s1", t),
        Node("StrategicObjective", "so1", t, props={"number": 1}),
        Node("StrategicObjective", "so2", t, props={"number": 2}),
        Node("Objective", "so1.o1", t, props={"number": 1}),
        Node("Objective", "so2.o1", t, props={"number": 1}),
        Node("Objective", "so2.o2", t, props={"number": 2}),
        Node("Objective", "loose", t, props={"number": 3}),  # feeds no strategic objective
    ]
    edges = [
        Edge("CONTRIBUTES_TO", "s1", "so1.o1"),
        Edge("CONTRIBUTES_TO", "so1.o1", "so1"),
        Edge("CONTRIBUTES_TO", "so2.o1", "so2"),
        Edge("CONTRIBUTES_TO", "so2.o2", "so2"),
        Edge("CONTRIBUTES_TO", "s1", "loose"),
    ]
    dot = diagram_dot(Plan.of(nodes, edges))
    assert clusters(dot) == {"so1": {"so1", "so1.o1"}, "so2": {"so2", "so2.o1", "so2.o2"}}
    assert "loose" in drawn(dot)
    assert "<B>so2.2</B>" not in dot and "<B>2.2</B>" in dot


def test_strategic_objective_without_objectives_is_not_a_cluster():
    so = Node("StrategicObjective", "so1", Text(en="Alone"), props={"number": 1})
    dot = diagram_dot(Plan.of([so], []))
    assert clusters(dot) == {}
    assert drawn(dot) == {"so1"}


def test_strategies_and_sdgs_share_a_rank(plan):
    dot = diagram_dot(plan)
    assert '  { rank=same; "s1" "s2" }' in dot
    assert '  { rank=same; "sdg11" "sdg16" }' in dot


def test_empty_plan_draws_an_empty_graph():
    dot = diagram_dot(Plan.of([], []))
    assert drawn(dot) == set()
    assert parse_svg(render(dot, "svg")) is not None


# Filters


def test_no_filter_shows_every_causal_node_and_sdg(plan):
    assert shown(plan) == {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16", "sdg11"}
    assert [n.id for n in diagram_nodes(plan)] == [
        "so1.o1", "so1.o2", "sdg11", "sdg16", "so1", "s1", "s2"]  # fmt: skip


@pytest.mark.parametrize(
    "flt, expected",
    [
        ({"focus": "s1"}, {"s1", "so1.o1", "so1", "sdg16"}),
        ({"focus": "so1.o2"}, {"s2", "so1.o2", "so1", "sdg16"}),
        ({"focus": "so1"}, {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16"}),
        ({"focus": "sdg11"}, {"sdg11"}),
        ({"sdg": "sdg16"}, {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16"}),
        ({"sdg": "sdg11"}, {"sdg11"}),
        ({"country": "be"}, {"s2", "so1.o2", "so1", "sdg16"}),
        ({"strategic_objective": "so1"}, {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16"}),
        ({"focus": "s1", "sdg": "sdg16"}, {"s1", "so1.o1", "so1", "sdg16"}),
        ({"focus": "s1", "country": "be"}, {"so1", "sdg16"}),
        ({"focus": "r1"}, set()),  # a role is no causal node
    ],
)
def test_filters_keep_exactly_the_expected_nodes(plan, flt, expected):
    assert shown(plan, **flt) == expected
    assert drawn(diagram_dot(plan, flt=DiagramFilter(**flt))) == expected


def test_country_filter_follows_partners_working_there(plan):
    extra = Edge("WORKS_IN", "enabel", "be")  # enabel PARTNERS_IN s1
    plan = Plan.of(plan.nodes, [*plan.edges, extra])
    assert shown(plan, country="be") == {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16"}


def test_country_nobody_works_in_shows_nothing(plan):
    nl = Node("Country", "nl", Text("Nederland", "Netherlands"), props={"iso2": "NL"})
    assert shown(Plan.of([*plan.nodes, nl], plan.edges), country="nl") == set()


def test_filtered_diagram_draws_only_links_between_shown_nodes(plan):
    dot = diagram_dot(plan, flt=DiagramFilter(focus="s1"))
    assert edge_lines(dot) == {
        '"s1" -> "so1.o1";',
        '"so1.o1" -> "so1";',
        '"so1" -> "sdg16" [style=solid, color="#9aa5b1"];',
    }
    assert clusters(dot) == {"so1": {"so1", "so1.o1"}}


@pytest.mark.parametrize("field", ["focus", "sdg", "country", "strategic_objective"])
def test_unknown_filter_id_raises(plan, field):
    with pytest.raises(NodeNotFound, match="no node with id 'nope' in the plan"):
        diagram_nodes(plan, DiagramFilter(**{field: "nope"}))
    with pytest.raises(NodeNotFound):
        diagram_dot(plan, flt=DiagramFilter(**{field: "nope"}))


# Languages


def test_language_switch_changes_labels(plan):
    en, nl = diagram_dot(plan, "en"), diagram_dot(plan, "nl")
    assert "label=<Strategy 1>" in en and "label=<Strategie 1>" in nl
    assert "<B>SO 1</B><BR/>Goal 1>" in en and "<B>SD 1</B><BR/>Doel 1>" in nl
    assert "<B>1.1</B> Objective 1.1>" in en and "<B>1.1</B> Doel 1.1>" in nl
    assert "<B>SDG 16</B><BR/>Peace>" in en and "<B>SDG 16</B><BR/>Vrede>" in nl
    assert 'tooltip="Strategy 1"' in en and 'tooltip="Strategie 1"' in nl
    assert "Strategie" not in en and "Strategy" not in nl


def test_missing_translation_falls_back_to_the_other_language():
    plan = Plan.of([Node("Strategy", "s1", Text(en="Only English"))], [])
    assert "label=<Only English>" in diagram_dot(plan, "nl")


def test_short_title_is_the_label_and_the_title_the_tooltip():
    so = Node("StrategicObjective", "so1", Text("Lange titel", "Long title"),
              props={"number": 1, "short_title": Text("Kort", "Short")})  # fmt: skip
    dot = diagram_dot(Plan.of([so], []))
    assert "<B>SO 1</B><BR/>Short>" in dot
    assert 'tooltip="Long title"' in dot


def test_description_goes_into_the_tooltip():
    s = Node("Strategy", "s1", Text(en="Title"), description=Text(en="Why"))
    assert 'tooltip="Title\\n\\nWhy"' in diagram_dot(Plan.of([s], []))


def test_long_titles_are_wrapped():
    s = Node("Strategy", "s1", Text(en="one two three four five six seven eight"))
    assert "label=<one two three four five<BR/>six seven eight>" in diagram_dot(Plan.of([s], []))


def test_unknown_language_is_an_error(plan):
    with pytest.raises(PlanError, match="unknown language 'fr'; use nl or en"):
        diagram_dot(plan, "fr")


# Statuses


STATUSES = {"s1": "on_track", "so1.o1": "at_risk", "so1": "off_track", "s2": "no_data"}


def test_statuses_add_the_cue_text_and_the_legend(plan):
    dot = diagram_dot(plan, statuses=STATUSES)
    assert "label=<Strategy 1<BR/><I>✔ On track</I>>" in dot
    assert "<I>▲ At risk</I>" in dot
    assert "<I>✖ Off track</I>" in dot
    assert "label=<Strategy 2<BR/><I>? No data</I>>" in dot
    assert dot.count('"__legend" [shape=plaintext') == 1
    assert "<B>Legend</B>" in dot
    for label in ("On track", "At risk", "Off track", "No data"):
        assert f'<TD ALIGN="LEFT">{label}</TD>' in dot


def test_status_cue_and_legend_in_dutch(plan):
    dot = diagram_dot(plan, "nl", statuses=STATUSES)
    assert "<I>✔ Op schema</I>" in dot
    assert "<B>Legende</B>" in dot
    assert '<TD ALIGN="LEFT">Geen gegevens</TD>' in dot


def test_status_styles_the_border_too(plan):
    dot = diagram_dot(plan, statuses={"so1": "off_track"})
    line = next(line for line in dot.splitlines() if line.strip().startswith('"so1" ['))
    assert 'fillcolor="#f4a6a6"' in line
    assert 'style="rounded,filled,bold,dashed"' in line


def test_nodes_without_status_look_like_no_data_without_a_cue(plan):
    dot = diagram_dot(plan, statuses={})
    line = next(line for line in dot.splitlines() if line.strip().startswith('"s2" ['))
    assert line.strip().startswith('"s2" [label=<Strategy 2>,')
    assert 'fillcolor="#e6e6e6", style="rounded,filled,dotted"' in line
    assert '"__legend"' in dot


def test_sdgs_keep_their_colour_with_statuses(plan):
    dot = diagram_dot(plan, statuses={"sdg16": "on_track"})
    line = next(line for line in dot.splitlines() if line.strip().startswith('"sdg16" ['))
    assert 'fillcolor="#00689D"' in line
    assert "✔" not in line


def test_no_statuses_no_legend(plan):
    dot = diagram_dot(plan)
    assert "__legend" not in dot
    assert "✔" not in dot and "No data" not in dot


def test_statuses_render_with_the_legend(plan):
    root = parse_svg(render(diagram_dot(plan, statuses=STATUSES), "svg"))
    all_text = [t for g in root.iter(SVG + "g") if g.get("class") == "node" for t in texts(g)]
    for label in ("Legend", "On track", "At risk", "Off track", "No data", "✔ On track"):
        assert label in all_text


# Links


def test_link_prefix_adds_url_attributes(plan):
    dot = diagram_dot(plan, link_prefix="https://example.org/nodes/")
    for node_id in drawn(dot):
        assert f'URL="https://example.org/nodes/{node_id}", target="_top"' in dot
    assert "URL=" not in diagram_dot(plan)


def test_links_in_the_svg(plan):
    root = parse_svg(render(diagram_dot(plan, link_prefix="/nodes/"), "svg"))
    groups = node_groups(root)
    assert set(groups) == drawn(diagram_dot(plan))
    for node_id, g in groups.items():
        a = next(g.iter(SVG + "a"))
        assert a.get(XLINK + "href") == f"/nodes/{node_id}"
        assert a.get("target") == "_top"


# Formats


@pytest.mark.parametrize(
    "fmt, check",
    [
        ("svg", lambda data: b"<svg" in data),
        ("png", lambda data: data.startswith(b"\x89PNG")),
        ("pdf", lambda data: data.startswith(b"%PDF")),
    ],
)
def test_render_formats(plan, fmt, check):
    data = render(diagram_dot(plan), fmt)
    assert isinstance(data, bytes)
    assert check(data)


def test_formats():
    assert FORMATS == ("svg", "png", "pdf")


@pytest.mark.parametrize("fmt", ["gif", "dot", "", "SVG"])
def test_unknown_format_is_an_error(plan, fmt):
    message = f"unknown diagram format {fmt!r}; use one of svg, png, pdf"
    with pytest.raises(PlanError, match=re.escape(message)):
        render(diagram_dot(plan), fmt)


def test_graphviz_failure_is_a_plan_error():
    with pytest.raises(PlanError, match=r"^Graphviz failed: .*syntax error"):
        render("digraph {", "svg")


def test_svg_nodes_carry_the_plan_ids(plan):
    root = parse_svg(render(diagram_dot(plan), "svg"))
    groups = node_groups(root)
    assert set(groups) == {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16", "sdg11"}
    assert texts(groups["s1"]) == ["Strategy 1"]
    assert tooltip(groups["so1"]) == "Goal 1"


# Escaping

NASTY = [
    "He said \"hi\" and 'bye'",
    "C:\\new\\table\\",
    "\\N \\G \\l \\E \\T \\H \\L \\n",
    "\\",
    '\\"',
    "<b>not bold</b> & <i>",
    "{braces} [x] ]; } -> a",
    "]]> <!-- c --> <?pi?>",
    "&amp; &nbsp; &#1; &#x41;",
    "line one\nline two",
    "التنمية المستدامة",
    "可持续发展目标",
    "🌍 partners 🤝 ✨",
    "Ελληνικά ✓ עברית",
    "</text><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "   ",
]


def nasty_plan(title: str) -> Plan:
    """Every drawn kind, every text set to ``title``."""
    t = Text(title, title)
    nodes = [
        Node("Strategy", "s1", t, description=t),
        Node("Objective", "so1.o1", t, props={"number": 1}),
        Node("StrategicObjective", "so1", t, props={"number": 1, "short_title": t}),
        Node("SDG", "sdg16", t, props={"number": 16}),
    ]
    edges = [
        Edge("CONTRIBUTES_TO", "s1", "so1.o1"),
        Edge("CONTRIBUTES_TO", "so1.o1", "so1"),
        Edge("ALIGNS_WITH", "so1", "sdg16", {"priority": "primary"}),
    ]
    return Plan.of(nodes, edges)


@pytest.mark.parametrize("title", NASTY)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_nasty_titles_render_safely(title, lang):
    plan = nasty_plan(title)
    dot = diagram_dot(plan, lang, statuses={"s1": "at_risk"}, link_prefix="/n/")
    assert drawn(dot) == {"s1", "so1.o1", "so1", "sdg16"}
    data = render(dot, "svg")
    assert b"<script" not in data and b"<svg onload" not in data
    root = parse_svg(data)
    assert tags(root) <= SVG_TAGS
    groups = node_groups(root)
    assert set(groups) == {"s1", "so1.o1", "so1", "sdg16"}
    # The label shows the text itself (wrapping may move spaces, nothing else)...
    cue = "▲ Risico" if lang == "nl" else "▲ At risk"
    assert squeeze("".join(texts(groups["s1"]))) == squeeze(title + cue)
    for node_id in ("so1.o1", "so1", "sdg16"):
        assert squeeze(title) in squeeze("".join(texts(groups[node_id])))
    # ...and so does the tooltip (Graphviz may only turn spaces into no-break spaces).
    assert read_back(tooltip(groups["s1"])) == read_back(f"{title}\n\n{title}")
    assert read_back(tooltip(groups["so1"])) == read_back(title)


@pytest.mark.parametrize("title", ["</text><script>alert(1)</script>", "a < b > c"])
def test_angle_brackets_are_escaped_in_the_dot_label(title):
    dot = diagram_dot(nasty_plan(title))
    label = next(line for line in dot.splitlines() if line.strip().startswith('"s1" ['))
    assert "&lt;" in label and "&gt;" in label
    assert "<script" not in label.split(", tooltip=")[0]


def test_short_titles_render_exactly():
    for title in ("C:\\new\\table\\", "\\N \\G \\l", "可持续发展目标", "&amp; <b>"):
        root = parse_svg(render(diagram_dot(nasty_plan(title)), "svg"))
        assert texts(node_groups(root)["s1"]) == [title]


@pytest.mark.parametrize("title", ["   ", "\t\n", "\x85", "\u3000"])
def test_blank_titles_still_render(title):
    # A blank title wraps to no line at all; an empty HTML label is a Graphviz syntax error.
    dot = diagram_dot(Plan.of([Node("Strategy", "s1", Text(en=title))], []))
    assert "label=< >" in dot
    assert set(node_groups(parse_svg(render(dot, "svg")))) == {"s1"}


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_nasty_titles_render_to_other_formats(fmt):
    plan = nasty_plan('\\N "q" <b> ]; } 🌍 التنمية')
    assert render(diagram_dot(plan), fmt)[:4] in (b"\x89PNG", b"%PDF")


# Property: any text renders to well-formed SVG with nothing injected


def _xml_char(c: str) -> bool:
    """True for characters XML 1.0 can carry."""
    o = ord(c)
    return o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


titles = st.text(st.characters(codec="utf-8").filter(_xml_char), max_size=40)
texts_ = st.builds(Text, titles, titles)
titles_ = texts_.filter(bool)  # a node needs a title in at least one language


@st.composite
def titled_plans(draw) -> Plan:
    """A small random causal plan with random titles; acyclic by construction."""
    strategies = [f"s{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    sos = [f"so{i}" for i in range(1, draw(st.integers(1, 2)) + 1)]
    objectives = [f"{sos[i % len(sos)]}.o{i + 1}" for i in range(draw(st.integers(0, 3)))]
    sdgs = draw(st.lists(st.integers(1, 17), unique=True, max_size=2))
    nodes = [Node("Strategy", s, draw(titles_), draw(texts_)) for s in strategies]
    nodes += [
        Node("StrategicObjective", so, draw(titles_),
             props={"number": i, "short_title": draw(st.none() | titles_)})
        for i, so in enumerate(sos, 1)
    ]  # fmt: skip
    nodes += [
        Node("Objective", o, draw(titles_), props={"number": i})
        for i, o in enumerate(objectives, 1)
    ]
    nodes += [Node("SDG", f"sdg{g}", draw(titles_), props={"number": g}) for g in sdgs]
    edges = []
    # Links go only forward: strategies -> objectives (in order) -> strategic objectives.
    for s in strategies:
        edges += [Edge("CONTRIBUTES_TO", s, t) for t in objectives + sos if draw(st.booleans())]
    for i, o in enumerate(objectives):
        later = objectives[i + 1 :] + sos
        edges += [Edge("CONTRIBUTES_TO", o, t) for t in later if draw(st.booleans())]
    for src in sos + objectives:
        for g in sdgs:
            if draw(st.booleans()):
                priority = draw(st.sampled_from(["primary", "secondary"]))
                edges.append(Edge("ALIGNS_WITH", src, f"sdg{g}", {"priority": priority}))
    return Plan.of(nodes, edges)


@settings(max_examples=25, deadline=None, database=None)
@given(plan=titled_plans(), lang=st.sampled_from(["en", "nl"]), with_status=st.booleans())
def test_any_titles_render_to_well_formed_svg(plan, lang, with_status):
    statuses = {n.id: "off_track" for n in plan.nodes} if with_status else None
    data = render(diagram_dot(plan, lang, statuses=statuses, link_prefix="/n/"), "svg")
    root = parse_svg(data)
    assert tags(root) <= SVG_TAGS
    assert b"<script" not in data
    groups = node_groups(root)
    assert set(groups) == {n.id for n in diagram_nodes(plan)}
    for node in plan.nodes:
        g = groups[node.id]
        assert squeeze(node.label(lang)) in squeeze("".join(texts(g)))
        title, desc = node.title.get(lang), node.description.get(lang)
        expected = (title + ("\n\n" + desc if desc else ""))[:600]
        assert read_back(tooltip(g)) == read_back(expected)


@pytest.mark.parametrize("title", ["]", "[", "a]b", "]]>", "[x]"])
def test_square_brackets_in_titles(title):
    """Graphviz 2.43 rejected or dropped a ']' in HTML-label text (found by hypothesis)."""
    nodes = [
        Node("StrategicObjective", "so1", Text(en=title), props={"number": 1}),
        Node("Strategy", "s1", Text(en=title)),
    ]
    svg = render(diagram_dot(Plan.of(nodes, []), "en"), "svg").decode()
    assert svg.count(html.escape(title, quote=False)) >= 2


def test_a_very_long_title_is_cut_in_the_diagram():
    plan = Plan.of([Node("Strategy", "s1", Text(en="word " * 2_000_000))], [])
    dot = diagram_dot(plan, lang="en")
    label = re.search(r"label=<(.*?)>, ", dot).group(1)
    assert label.count("word") == 60 and label.endswith("word…")  # 300 characters
    assert len(dot) < 5_000  # with the tooltip's 600 characters


def test_the_dutch_diagram_marks_what_only_the_english_text_says():
    """The English translation alone names SDG 17: in the Dutch diagram its node and links carry
    an [EN] cue and the legend says what it means; the English diagram needs no such cue."""
    from pathlib import Path

    from toc.planfile import load

    vvsg = load(Path(__file__).resolve().parents[2] / "examples" / "vvsg-2027-2036.yaml")
    dutch = diagram_dot(vvsg, "nl")
    links = [ln for ln in dutch.splitlines() if '-> "sdg17"' in ln]
    assert links and all('label="EN"' in ln and "one-language" in ln for ln in links)
    assert "<B>[EN]</B>" in next(ln for ln in dutch.splitlines() if ln.startswith('  "sdg17" ['))
    assert "Alleen in de Engelse versie" in dutch and "__legend" in dutch
    english = diagram_dot(vvsg, "en")
    assert "one-language" not in english and "[EN]" not in english
    assert "__legend" not in english  # no statuses, no one-language cue: no legend
