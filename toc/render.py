"""Pathway-of-change diagrams: DOT text built from a plan, rendered by Graphviz.

The diagram reads left to right, from strategies through 5-year and 10-year objectives to
SDGs, with each strategic objective and its 5-year objectives grouped in a box. Building the
DOT text is a pure function (:func:`diagram_dot`); only :func:`render` calls Graphviz.

All user text goes into HTML-like labels, escaped, and attribute values are quoted with
backslashes and quotes escaped, so no title can break or inject into the DOT or the SVG.

>>> from toc.model import Edge, Node, Plan, Text
>>> plan = Plan.of([Node("Strategy", "s1", Text(en='Say "hi" <b>'))], [])
>>> '&quot;hi&quot; &lt;b&gt;' in diagram_dot(plan, lang="en")
True
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import graphviz
import networkx as nx

from toc.analysis import NodeNotFound, pathway_graph
from toc.diagram_formats import FORMATS
from toc.errors import PlanError
from toc.illustrative import notice
from toc.lod import Summary
from toc.model import Node, Plan

__all__ = [
    "CHANGE_STYLE",
    "FORMATS",
    "STATUS_STYLE",
    "WHATIF_STYLE",
    "DiagramFilter",
    "diagram_dot",
    "diagram_nodes",
    "render",
    "summary_text",
]


_COLUMNS = ("Strategy", "Output", "Outcome", "Objective", "StrategicObjective", "SDG")
_CAUSAL_LEVELS = _COLUMNS[:-1]
_KIND_FILL = {
    "Strategy": "#dbe9f6",
    "Output": "#eef3e2",
    "Outcome": "#e2f0d9",
    "Objective": "#fff5d6",
    "StrategicObjective": "#fde0c5",
}
# Official SDG colours for the goals' fill.
_SDG_FILL = {
    1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 4: "#C5192D", 5: "#FF3A21", 6: "#26BDE2",
    7: "#FCC30B", 8: "#A21942", 9: "#FD6925", 10: "#DD1367", 11: "#FD9D24", 12: "#BF8B2E",
    13: "#3F7E44", 14: "#0A97D9", 15: "#56C02B", 16: "#00689D", 17: "#19486A",
}  # fmt: skip

#: Status -> (fill colour, text cue, border style, legend label en, legend label nl).
#: Colour is never the only cue: each status has its own symbol and border.
STATUS_STYLE: dict[str, tuple[str, str, str, str, str]] = {
    "on_track": ("#b7e1b0", "✔", "solid", "On track", "Op schema"),
    "at_risk": ("#ffe08a", "▲", "bold", "At risk", "Risico"),
    "off_track": ("#f4a6a6", "✖", "bold,dashed", "Off track", "Achterop"),
    "no_data": ("#e6e6e6", "?", "dotted", "No data", "Geen gegevens"),
}


#: Change -> (fill colour, text cue, border style, shape, legend label en, legend label nl), for
#: diagrams that compare two versions: each change has its own shape, border and words too.
CHANGE_STYLE: dict[str, tuple[str, str, str, str, str, str]] = {
    "added": ("#c8ecc4", "+", "rounded,filled,bold", "box", "Added", "Toegevoegd"),
    "removed": ("#f6c9c9", "−", "filled,dashed", "octagon", "Removed", "Geschrapt"),
    "changed": ("#ffe9a8", "✎", "filled,bold", "note", "Changed", "Gewijzigd"),
    "kind changed": ("#ffe9a8", "✎", "filled,bold", "note", "Kind changed", "Soort gewijzigd"),
}
#: Link change -> (colour, DOT style, label).
_LINK_CHANGE = {"added": ("#2e7d32", "bold", "+"), "removed": ("#c62828", "dashed", "−"),
                "changed": ("#b26a00", "bold", "✎")}  # fmt: skip

#: What-if state -> (fill, cue, DOT style, English, Dutch): what a what-if removes, which
#: objectives lose every pathway and which keep fewer (words and shape, not colour alone).
WHATIF_STYLE: dict[str, tuple[str, str, str, str, str]] = {
    "removed": (
        "#e4e7eb",
        "✕",
        "filled,dashed",
        "Removed in the what-if",
        "Weggenomen in de wat-als",
    ),
    "lost": ("#f6c9c9", "⊘", "filled,bold", "Loses every pathway", "Verliest elk pad"),
    "weakened": (
        "#ffe9a8",
        "↓",
        "rounded,filled,bold",
        "Keeps fewer pathways",
        "Houdt minder paden",
    ),
}


@dataclass(frozen=True)
class DiagramFilter:
    """What to show: everything, one node's pathways, or what touches an SDG, a country or a
    partner; ``level`` is the lowest causal kind drawn (e.g. "Objective" hides strategies)."""

    focus: str | None = None
    sdg: str | None = None
    country: str | None = None
    strategic_objective: str | None = None
    partner: str | None = None
    level: str | None = None


def diagram_nodes(plan: Plan, flt: DiagramFilter | None = None) -> list[Node]:
    """The nodes a filtered diagram shows (causal nodes and SDGs only)."""
    flt = flt or DiagramFilter()
    g = pathway_graph(plan)
    shown = {n.id for n in plan.nodes if n.kind in _COLUMNS}
    for node_id in (flt.focus, flt.sdg, flt.country, flt.strategic_objective, flt.partner):
        if node_id is not None and plan.get(node_id) is None:
            raise NodeNotFound(node_id)
    if flt.level is not None and flt.level not in _CAUSAL_LEVELS:
        raise PlanError(f"unknown level {flt.level!r}; use one of {', '.join(_CAUSAL_LEVELS)}")
    if flt.focus:
        shown &= {flt.focus} | nx.ancestors(g, flt.focus) | nx.descendants(g, flt.focus)
    if flt.strategic_objective:
        so = flt.strategic_objective
        shown &= {so} | nx.ancestors(g, so) | nx.descendants(g, so)
    if flt.sdg:
        shown &= {flt.sdg} | nx.ancestors(g, flt.sdg)
    if flt.country:
        shown &= _country_scope(plan, g, flt.country)
    if flt.partner:
        helps = [e for e in plan.edges if e.kind == "PARTNERS_IN" and e.source == flt.partner]
        seeds = {e.target for e in helps}
        shown &= seeds.union(*(nx.descendants(g, s) for s in seeds))
    if flt.level:
        hidden = _CAUSAL_LEVELS[: _CAUSAL_LEVELS.index(flt.level)]
        shown = {i for i in shown if plan.node(i).kind not in hidden}
    return [n for n in plan.nodes if n.id in shown]


def _country_scope(plan: Plan, g: nx.DiGraph, country: str) -> set[str]:
    """Nodes linked to a country (strategies working there, or what its partners help with)
    and everything downstream of them."""
    in_country = {e.source for e in plan.edges if e.kind == "WORKS_IN" and e.target == country}
    seeds = {i for i in in_country if plan.node(i).kind in _COLUMNS}
    seeds |= {e.target for e in plan.edges if e.kind == "PARTNERS_IN" and e.source in in_country}
    scope = set(seeds)
    for s in seeds:
        scope |= nx.descendants(g, s)
    return scope


def _html(text: str) -> str:
    """Text for an HTML-like label: XML-escaped, and backslashes doubled because Graphviz
    expands escapes such as \\N and \\G in label text."""
    escaped = html.escape(text, quote=True).replace("\\", "\\\\")
    # Graphviz 2.43 fails on (or drops) a "]" in HTML-label text; entities pass through.
    return escaped.replace("[", "&#91;").replace("]", "&#93;")


def _wrap(text: str, width: int) -> str:
    # A whitespace-only text wraps to nothing; an empty HTML label is a Graphviz syntax error.
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [" "]
    return "<BR/>".join(_html(line) for line in lines)


def _q(value: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines kept as \\n."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


#: The most characters of a title a diagram shows: a box of about ten lines. Stored titles
#: are at most 500 characters (toc.limits); a store filled otherwise must not stall Graphviz.
LABEL_CHARS = 300


def _clip(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: The cue on an element stated only in the other language version, and its legend text.
ONE_LANGUAGE_CUE: dict[str, tuple[str, str, str]] = {
    # the diagram's language -> (cue, legend en, legend nl)
    "nl": ("EN", "Only in the English version", "Alleen in de Engelse versie"),
    "en": ("NL", "Only in the Dutch version", "Alleen in de Nederlandse versie"),
}
ONE_LANGUAGE_COLOUR = "#b45309"


def only_in_other_language(stated_in: tuple[str, ...], lang: str) -> bool:
    """True when an element is not stated in the diagram's language ``lang`` (the plan says it
    only in the other version, as the English text alone names SDG 17)."""
    return lang not in stated_in


def _legend_text(lang: str) -> str:
    _cue, en, nl = ONE_LANGUAGE_CUE[lang]
    return en if lang == "en" else nl


def _label(node: Node, lang: str, status: str | None) -> str:
    width = 26 if node.kind in ("Strategy", "SDG") else 32
    name = _clip(node.label(lang))
    head = ""
    if node.kind == "StrategicObjective":
        prefix = "SD" if lang == "nl" else "SO"
        head = f"<B>{prefix} {node.props.get('number', '')}</B><BR/>"
    elif node.kind == "Objective":
        so_number = node.id.split(".")[0].removeprefix("so")
        head = f"<B>{_html(so_number)}.{node.props.get('number', '')}</B> "
    elif node.kind == "SDG":
        head = f"<B>SDG {node.props.get('number', '')}</B><BR/>"
    cue = ""
    if status in STATUS_STYLE:
        style = STATUS_STYLE[status]
        cue = f"<BR/><I>{style[1]} {html.escape(style[3] if lang == 'en' else style[4])}</I>"
    if only_in_other_language(node.stated_in, lang):
        only = ONE_LANGUAGE_CUE[lang][0]
        cue += f"<BR/><B>[{only}]</B>"
    return f"<{head}{_wrap(name, width)}{cue}>"


#: Kind -> (English plural, Dutch plural), for the counts of a summary box.
_PLURALS = {
    "StrategicObjective": ("strategic objectives", "strategische doelstellingen"),
    "Objective": ("objectives", "doelstellingen"),
    "Outcome": ("outcomes", "resultaten"),
    "Output": ("outputs", "outputs"),
    "Strategy": ("strategies", "strategieën"),
}


def summary_text(summary: Summary, lang: str) -> tuple[str, str]:
    """The two lines of a summary box: hidden nodes by kind, then by status, in words.

    >>> s = Summary("o1", (("Outcome", 2), ("Output", 5)), (("off_track", 1), ("on_track", 6)), 7)
    >>> summary_text(s, "en")
    ('+ 2 outcomes, 5 outputs', '6 on track, 1 off track')
    >>> summary_text(s, "nl")[1]
    '6 op schema, 1 achterop'
    """
    counts = dict(summary.kinds)
    order = [k for k in _PLURALS if k in counts] + sorted(k for k in counts if k not in _PLURALS)
    words = [f"{counts[k]} {_PLURALS.get(k, (k, k))[0 if lang == 'en' else 1]}" for k in order]
    by_status = dict(summary.statuses)
    status_words = [
        f"{by_status[s]} {(style[3] if lang == 'en' else style[4]).lower()}"
        for s, style in STATUS_STYLE.items()
        if by_status.get(s)
    ]
    return "+ " + ", ".join(words), ", ".join(status_words)


def _summary_line(summary: Summary, lang: str, url: str | None, with_status: bool) -> list[str]:
    """The DOT lines of a summary box and its link to the node it folds under."""
    kinds, states = summary_text(summary, lang)
    more = "Select to expand" if lang == "en" else "Kies om open te klappen"
    label = f"<{_html(kinds)}" + (f"<BR/><I>{_html(states)}</I>" if with_status else "")
    label += f'<BR/><FONT POINT-SIZE="8">{_html(more)}</FONT>>' if url else ">"
    node_id = "summary-" + summary.anchor
    attrs = [
        f"label={label}",
        'shape=box, style="dashed,rounded,filled", fillcolor="#f7f7f9", color="#5f6b7a"',
        f"tooltip={_q(kinds + (chr(10) + states if with_status else ''))}",
        f"id={_q(node_id)}",
        'class="summary"',
    ]
    if url is not None:
        attrs += [f"URL={_q(url.replace('&', '&amp;'))}", 'target="_top"']
    return [
        f"  {_q(node_id)} [{', '.join(attrs)}];",
        f'  {_q(node_id)} -> {_q(summary.anchor)} [style=dashed, color="#9aa5b1"];',
    ]


def _tooltip(node: Node, lang: str) -> str:
    text = node.title.get(lang)
    desc = node.description.get(lang)
    tip = (text + ("\n\n" + desc if desc else ""))[:600]
    # Graphviz decodes HTML entities in a tooltip, then reads backslash escapes twice
    # (\n, then \N and \G), so '&' and each backslash are escaped here and again by _q.
    return tip.replace("&", "&amp;").replace("\\", "\\\\")


def diagram_dot(
    plan: Plan,
    lang: str = "en",
    flt: DiagramFilter | None = None,
    statuses: Mapping[str, str] | None = None,
    link_prefix: str | None = None,
    illustrative: bool = False,
    changes: Mapping[str, str] | None = None,
    link_changes: Mapping[tuple[str, str, str], str] | None = None,
    confidence: Mapping[tuple[str, str], float] | None = None,
    whatif: Mapping[str, tuple[str, str]] | None = None,
    drawn: Collection[str] | None = None,
    summaries: Sequence[tuple[Summary, str | None]] = (),
) -> str:
    """The DOT source of the pathway-of-change diagram.

    ``statuses`` maps node ids to a status name (see :data:`STATUS_STYLE`) to colour nodes by
    progress; ``link_prefix`` makes each node a link to ``link_prefix + id``;
    ``illustrative`` puts the notice of :mod:`toc.illustrative` under the title, so that every
    copy of a diagram coloured by demo data (SVG, PNG, PDF) says so. ``changes``
    (node id -> "added", "removed", "changed") and ``link_changes`` ((kind, source, target) ->
    the same) mark what differs from another version, by shape, border, words and colour
    (:data:`CHANGE_STYLE`); draw them on :func:`toc.diff.union_plan` of the two versions so
    removed nodes and links are there to be marked. ``confidence`` ((source, target) -> the
    probability that the link holds) labels each contribution link with its percentage and
    draws it thicker the more credible it is; ``whatif`` (node id -> (state, words), states of
    :data:`WHATIF_STYLE`) marks what a what-if removes, loses and weakens. Both add a legend.
    ``drawn`` keeps only those of the filtered nodes (a level of detail, :mod:`toc.lod`), and
    ``summaries`` ((summary, link or None), ...) draws a box per folded branch next to the
    node it folds under, saying in words what it hides.
    """
    if lang not in ("nl", "en"):
        raise PlanError(f"unknown language {lang!r}; use nl or en")
    nodes = diagram_nodes(plan, flt)
    if drawn is not None:
        keep = set(drawn)
        nodes = [n for n in nodes if n.id in keep]
    ids = {n.id for n in nodes}
    lines = [
        "digraph pathways {",
        '  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.9, fontname="Helvetica",'
        ' bgcolor="white", compound=true];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10,'
        ' margin="0.12,0.06", penwidth=1.2];',
        '  edge [color="#7a869a", arrowsize=0.7];',
    ]
    root = plan.root
    title = f"<B>{_html(_clip(root.title.get(lang)))}</B>" if root is not None else ""
    if illustrative:
        mark = f'<FONT POINT-SIZE="10" COLOR="#5b3a8c">{html.escape(notice(lang))}</FONT>'
        title = f"{title}<BR/>{mark}" if title else mark
    if title:
        lines.append(f'  graph [label=<{title}>, labelloc="t", labeljust="l", fontsize=14];')
    grouped: dict[str, list[Node]] = {}
    contributes: dict[str, list[str]] = {}
    for e in plan.edges:
        if e.kind == "CONTRIBUTES_TO":
            contributes.setdefault(e.source, []).append(e.target)
    for n in nodes:
        if n.kind == "Objective":
            owners = [t for t in contributes.get(n.id, []) if t in ids]
            so = next((t for t in owners if plan.node(t).kind == "StrategicObjective"), None)
            if so:
                grouped.setdefault(so, []).append(n)
    by_kind: dict[str, list[Node]] = {}
    for n in nodes:
        by_kind.setdefault(n.kind, []).append(n)

    def node_line(n: Node, indent: str = "  ") -> str:
        status = (statuses or {}).get(n.id) if statuses is not None else None
        attrs = {"label": None, "tooltip": _q(_tooltip(n, lang))}
        if n.kind == "SDG":
            fill = _SDG_FILL.get(n.props.get("number", 0), "#cccccc")
            attrs |= {"fillcolor": _q(fill), "fontcolor": '"white"', "shape": "box"}
        elif statuses is not None and n.kind in _KIND_FILL:
            fill, _, border, _, _ = STATUS_STYLE.get(status or "no_data", STATUS_STYLE["no_data"])
            attrs |= {"fillcolor": _q(fill), "style": _q(f"rounded,filled,{border}")}
        else:
            attrs["fillcolor"] = _q(_KIND_FILL.get(n.kind, "#ffffff"))
        if link_prefix is not None:
            attrs["URL"] = _q(link_prefix + n.id)
            attrs["target"] = '"_top"'
        label = _label(n, lang, status if statuses is not None and n.kind in _KIND_FILL else None)
        state, words_of_state = (whatif or {}).get(n.id, (None, ""))
        if state in WHATIF_STYLE:
            fill, cue, style, en, nl = WHATIF_STYLE[state]
            attrs |= {"fillcolor": _q(fill), "style": _q(style), "fontcolor": '"black"'}
            said = f"{cue} {en if lang == 'en' else nl}" + (
                f" ({words_of_state})" if words_of_state else ""
            )
            label = f"{label[:-1]}<BR/><I>{html.escape(said)}</I>>"
        change = (changes or {}).get(n.id)
        if change in CHANGE_STYLE:
            fill, cue, style, shape, en, nl = CHANGE_STYLE[change]
            attrs |= {"fillcolor": _q(fill), "style": _q(style), "shape": shape,
                      "fontcolor": '"black"', "penwidth": "2"}  # fmt: skip
            words = html.escape(f"{cue} {en if lang == 'en' else nl}")
            label = f"{label[:-1]}<BR/><I>{words}</I>>"
        rest = ", ".join(f"{k}={v}" for k, v in attrs.items() if v is not None)
        return f"{indent}{_q(n.id)} [label={label}, {rest}, id={_q('node-' + n.id)}];"

    in_cluster = {n.id for members in grouped.values() for n in members} | set(grouped)
    for so_id, members in sorted(grouped.items()):
        so_node = plan.node(so_id)
        lines.append(f"  subgraph {_q('cluster_' + so_id)} {{")
        lines.append('    style="rounded,dashed"; color="#b0b7c3"; label="";')
        lines.append(node_line(so_node, "    "))
        lines.extend(node_line(m, "    ") for m in sorted(members, key=lambda m: m.id))
        lines.append("  }")
    for kind in _COLUMNS:
        members = [n for n in by_kind.get(kind, []) if n.id not in in_cluster]
        if not members:
            continue
        lines.extend(node_line(n) for n in members)
    for kind in _COLUMNS:
        column = [n.id for n in by_kind.get(kind, [])]
        if column and kind in ("Strategy", "SDG"):
            lines.append("  { rank=same; " + " ".join(_q(i) for i in column) + " }")
    for summary, url in summaries:
        if summary.anchor in ids:
            lines.extend(_summary_line(summary, lang, url, statuses is not None))
    one_language = any(only_in_other_language(n.stated_in, lang) for n in nodes)
    for e in plan.edges:
        if e.source in ids and e.target in ids and e.kind in ("CONTRIBUTES_TO", "ALIGNS_WITH"):
            attrs: dict[str, str] = {}
            if e.kind == "ALIGNS_WITH":
                primary = e.props.get("priority") == "primary"
                attrs = {"style": "solid" if primary else "dashed", "color": '"#9aa5b1"'}
            stated_in = tuple(e.props.get("stated_in") or ("nl", "en"))
            if only_in_other_language(stated_in, lang):
                one_language = True
                cue = ONE_LANGUAGE_CUE[lang][0]
                attrs |= {
                    "color": _q(ONE_LANGUAGE_COLOUR),
                    "fontcolor": _q(ONE_LANGUAGE_COLOUR),
                    "penwidth": "1.6",
                    "label": _q(cue),
                    "fontsize": "9",
                    "class": '"one-language"',
                }
            p = (confidence or {}).get((e.source, e.target))
            if e.kind == "CONTRIBUTES_TO" and p is not None:
                attrs |= {
                    "label": _q(f"{round(p * 100)}%"),
                    "fontsize": "9",
                    "fontname": '"Helvetica"',
                    "penwidth": f"{0.6 + 3.4 * p:.2f}",
                    "class": '"confidence"',
                }
            marked = (link_changes or {}).get(e.key)
            if marked in _LINK_CHANGE:
                colour, dot_style, cue = _LINK_CHANGE[marked]
                attrs |= {
                    "style": dot_style,
                    "color": _q(colour),
                    "penwidth": "2",
                    "label": _q(cue),
                    "fontcolor": _q(colour),
                }
            style = " [" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]" if attrs else ""
            lines.append(f"  {_q(e.source)} -> {_q(e.target)}{style};")
    if statuses is not None or one_language:
        lines.extend(_legend(lang, statuses is not None, one_language))
    if changes is not None:
        lines.extend(_change_legend(lang))
    if confidence is not None or whatif is not None:
        lines.extend(_learning_legend(lang, confidence is not None, whatif is not None))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(lang: str, statuses: bool = True, one_language: bool = False) -> list[str]:
    title = "Legend" if lang == "en" else "Legende"
    rows = ""
    if statuses:
        rows = "".join(
            f'<TR><TD BGCOLOR="{fill}">{html.escape(cue)}</TD>'
            f'<TD ALIGN="LEFT">{html.escape(en if lang == "en" else nl)}</TD></TR>'
            for fill, cue, _, en, nl in STATUS_STYLE.values()
        )
    if one_language:
        cue = ONE_LANGUAGE_CUE[lang][0]
        rows += (
            f'<TR><TD><FONT COLOR="{ONE_LANGUAGE_COLOUR}"><B>[{cue}]</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{html.escape(_legend_text(lang))}</TD></TR>'
        )
    table = (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
        f'<TR><TD COLSPAN="2"><B>{title}</B></TD></TR>{rows}</TABLE>>'
    )
    return [f'  "__legend" [shape=plaintext, style="", label={table}];']


def _learning_legend(lang: str, confidence: bool, whatif: bool) -> list[str]:
    """The legend of link confidence (label and width) and of the what-if marks."""
    title = "Evidence and what-if" if lang == "en" else "Bewijs en wat-als"
    rows = ""
    if confidence:
        said = (
            "Link label: confidence that the link holds; the thicker, the more credible"
            if lang == "en"
            else "Label van een verband: vertrouwen dat het standhoudt; "
            "hoe dikker, hoe geloofwaardiger"
        )
        rows += f'<TR><TD>70%</TD><TD ALIGN="LEFT">{html.escape(said)}</TD></TR>'
    if whatif:
        rows += "".join(
            f'<TR><TD BGCOLOR="{fill}">{html.escape(cue)}</TD>'
            f'<TD ALIGN="LEFT">{html.escape(en if lang == "en" else nl)}</TD></TR>'
            for fill, cue, _, en, nl in WHATIF_STYLE.values()
        )
    table = (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
        f'<TR><TD COLSPAN="2"><B>{title}</B></TD></TR>{rows}</TABLE>>'
    )
    return [f'  "__learning" [shape=plaintext, style="", label={table}];']


def _change_legend(lang: str) -> list[str]:
    title = "Changes" if lang == "en" else "Wijzigingen"
    rows = "".join(
        f'<TR><TD BGCOLOR="{fill}">{html.escape(cue)}</TD>'
        f'<TD ALIGN="LEFT">{html.escape(en if lang == "en" else nl)}</TD></TR>'
        for change, (fill, cue, _, _, en, nl) in CHANGE_STYLE.items()
        if change != "kind changed"
    )
    table = (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
        f'<TR><TD COLSPAN="2"><B>{title}</B></TD></TR>{rows}</TABLE>>'
    )
    return [f'  "__changes" [shape=plaintext, style="", label={table}];']


def render(dot_source: str, fmt: str = "svg") -> bytes:
    """Lay out and render DOT text with Graphviz's ``dot``; raises PlanError when Graphviz
    is missing or the format is unknown."""
    if fmt not in FORMATS:
        raise PlanError(f"unknown diagram format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        return graphviz.Source(dot_source).pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise PlanError(
            "Graphviz's `dot` program is not installed: install the 'graphviz' package "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
        ) from None
    except graphviz.CalledProcessError as e:
        raise PlanError(_graphviz_failure(e.returncode, e.stderr)) from None
    except OSError as e:
        raise PlanError(f"Graphviz could not be run: {e.strerror or e}") from None


def _graphviz_failure(returncode: int, stderr: bytes | str | None) -> str:
    """One line saying why ``dot`` failed, even when it said nothing (killed, out of memory).

    >>> _graphviz_failure(-9, b"")
    'Graphviz failed: dot was stopped by signal 9 (out of memory?) without a message'
    >>> _graphviz_failure(1, b"Error: syntax error in line 3\\n")
    'Graphviz failed: Error: syntax error in line 3'
    """
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else (stderr or "")
    message = " ".join(text.split())[:500]
    if message:
        return f"Graphviz failed: {message}"
    if returncode < 0:
        return (
            f"Graphviz failed: dot was stopped by signal {-returncode} (out of memory?) "
            "without a message"
        )
    return f"Graphviz failed: dot ended with exit status {returncode} without a message"
