"""The pathway diagram: coloured by status, filtered, in the chosen language, downloadable.

The page embeds the SVG (each node links to its page; hovering shows its text); the same
diagram downloads as SVG, PNG or PDF. Renderings come from the app's :class:`DiagramCache`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request, url_for
from flask_babel import gettext as _

from toc.analysis import pathway_graph
from toc.kinds import CAUSAL_KINDS
from toc.lod import (
    MAX_DEPTH,
    MAX_EXPAND,
    WHOLE_BUDGET,
    LodView,
    ViewSpec,
    level_of_detail,
    search_nodes,
)
from toc.model import Node, Plan
from toc.render import FORMATS, STATUS_STYLE, DiagramFilter, diagram_nodes
from web.access import requires
from web.country_statuses import country_notice
from web.diagrams import (
    FOCUS_KINDS,
    LEVELS,
    DiagramCache,
    DiagramKey,
    filter_choices,
    filter_query,
    inline_svg,
    parse_filter,
)
from web.i18n import current_lang
from web.learning import link_confidence_of
from web.memo import per_plan
from web.page_cache import render_cached
from web.statuses import current_plan_status, current_statuses, shows_illustrative_data
from web.store import current_data_version, current_plan, current_plan_version

__all__ = ["bp", "init_app"]

bp = Blueprint("pathways", __name__, url_prefix="/pathways")

#: A node box in a drawing: ``<g id="node-<id>" ...>`` (see :mod:`toc.render`).
_NODE_ID = re.compile(rb'id="node-([^"]*)"')
_MIME = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def init_app(app: Flask) -> None:
    app.extensions["pathways.diagrams"] = DiagramCache(app.config["DIAGRAM_CACHE_SIZE"])
    app.register_blueprint(bp)


#: At most this many nodes taken away in one what-if.
MAX_WITHOUT = 50
#: Kinds a what-if may take away (as ``toc whatif``).
WHATIF_KINDS = ("Strategy", "Partner", "Partnership", "Country")


@dataclass(frozen=True)
class Learning:
    """What the diagram adds from the learning part: link confidence, a what-if."""

    confidence: bool = False
    without: tuple[str, ...] = ()


def _learning(plan: Plan) -> tuple[Learning, list[str]]:
    """The learning options of the request, and the ids of ``without`` that were ignored."""
    wanted = list(dict.fromkeys(w.strip()[:200] for w in request.args.getlist("without")))
    ok = [w for w in wanted if (n := plan.get(w)) is not None and n.kind in WHATIF_KINDS]
    ignored = [w for w in wanted if w and w not in ok]
    shown = Learning(request.args.get("confidence") == "1", tuple(ok[:MAX_WITHOUT]))
    return shown, ignored


def _whatif_marks(plan: Plan, without: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    from toc.whatif import what_if

    result = what_if(plan, list(without))
    marks = [(r.node, "removed", "") for r in result.removed]
    marks += [(c.node, "lost", f"{c.before} → 0") for c in result.lost]
    marks += [(c.node, "weakened", f"{c.before} → {c.after}") for c in result.weakened]
    return tuple(marks)


_NO_SPEC = ViewSpec()


def _view_spec(flt: DiagramFilter) -> tuple[ViewSpec, bool]:
    """The level of detail asked for in the query string, normalised (ids stripped, cut to
    200 characters, deduplicated and sorted, at most :data:`MAX_EXPAND`; depth 0 to
    :data:`MAX_DEPTH`), and whether more branches were asked for than are kept."""
    raw = request.args.getlist("expand")
    wanted = sorted({e.strip()[:200] for e in raw[: MAX_EXPAND * 4] if e.strip()})
    depth_arg = (request.args.get("depth") or "").strip()
    depth = int(depth_arg) if depth_arg.isdigit() and len(depth_arg) < 3 else None
    if depth is not None:
        depth = min(depth, MAX_DEPTH)
    too_many = len(raw) > MAX_EXPAND * 4 or len(wanted) > MAX_EXPAND
    return ViewSpec(tuple(wanted[:MAX_EXPAND]), flt.focus, depth), too_many


def _lod(plan: Plan, flt: DiagramFilter, spec: ViewSpec) -> LodView:
    """The nodes to draw for ``spec`` and the summary boxes of what is folded."""
    graph = per_plan(plan, "pathway_graph", lambda: pathway_graph(plan))
    kinds = per_plan(plan, "kinds", lambda: {n.id: n.kind for n in plan.nodes})
    candidates = per_plan(
        plan, ("diagram_nodes", flt), lambda: [n.id for n in diagram_nodes(plan, flt)]
    )
    budget = int(current_app.config.get("DIAGRAM_WHOLE_BUDGET", WHOLE_BUDGET))
    return level_of_detail(graph, kinds, candidates, spec, current_statuses(), budget)


def _expand_link(
    flt: DiagramFilter,
    spec: ViewSpec,
    learning: Learning,
    add: str | None = None,
    drop: str | None = None,
    external: bool = False,
) -> str:
    """The address of this view with ``add`` expanded or ``drop`` collapsed."""
    expand = [e for e in spec.expand if e != drop] + ([add] if add else [])
    args: dict[str, Any] = {**filter_query(flt), "expand": sorted(set(expand))}
    if spec.depth is not None:
        args["depth"] = spec.depth
    if learning.without:
        args["without"] = list(learning.without)
    if learning.confidence:
        args["confidence"] = "1"
    return url_for("pathways.index", _external=external, **args)


def _diagram(
    flt: DiagramFilter,
    fmt: str,
    link_prefix: str,
    learning: Learning = Learning(),
    view: LodView | None = None,
    spec: ViewSpec = _NO_SPEC,
    external: bool = False,
) -> bytes:
    statuses = current_statuses()
    plan = current_plan()
    confidence = None
    if learning.confidence:
        found = link_confidence_of(plan)
        confidence = tuple((k.source, k.target, c.posterior) for k, c in found.items())
    key = DiagramKey(
        plan_version=current_plan_version(),
        statuses=tuple(sorted(statuses.items())),
        flt=flt,
        lang=current_lang(),
        fmt=fmt,
        link_prefix=link_prefix,
        illustrative=shows_illustrative_data(),
        confidence=confidence,
        whatif=_whatif_marks(plan, learning.without) if learning.without else None,
        drawn=None if view is None or view.whole else view.drawn,
        summaries=()
        if view is None
        else tuple(
            (s, _expand_link(flt, spec, learning, add=s.anchor, external=external))
            for s in view.summaries
        ),
    )
    cache: DiagramCache = current_app.extensions["pathways.diagrams"]
    return cache.get(plan, key)


def _node_prefix(external: bool = False) -> str:
    return url_for("nodes.show", node_id="-", _external=external)[:-1]


@bp.route("")
@requires("read")
def index() -> str:
    """The diagram page with its filters."""
    plan = current_plan()
    flt, ignored = parse_filter(plan, request.args)
    learning, not_removable = _learning(plan)
    ignored += not_removable
    learned = current_data_version().learning if learning.confidence else 0
    spec, too_many = _view_spec(flt)
    search = (request.args.get("q") or "").strip()[:200]
    return render_cached(
        "pathways/index.html",
        ("pathways", flt, tuple(ignored), learning, learned, spec, too_many, search),
        lambda: _context(plan, flt, ignored, learning, spec, too_many, search),
    )


def _context(
    plan: Plan,
    flt: DiagramFilter,
    ignored: list[str],
    learning: Learning,
    spec: ViewSpec,
    too_many: bool,
    search: str,
) -> dict[str, object]:
    view = _lod(plan, flt, spec)
    svg = _diagram(flt, "svg", _node_prefix(), learning, view, spec)
    drawn = _drawn(plan, svg)
    hits = [plan.node(i) for i in search_nodes(plan.nodes, search, FOCUS_KINDS)] if search else []
    query = filter_query(flt)
    learning_query: dict[str, object] = {"without": list(learning.without)}
    if learning.confidence:
        learning_query["confidence"] = "1"
    return dict(
        learning=learning,
        download_query={**query, **learning_query},
        removable=per_plan(plan, "whatif_choices", lambda: _removable(plan)),
        # the filters' and the what-if's lists of options (thousands on a large plan) are the
        # same on every view of a plan version but for what is chosen: kept as fragments
        plan_version=current_plan_version(),
        whatif_kinds=WHATIF_KINDS,
        plan=plan,
        svg=inline_svg(svg, _("Pathway-of-change diagram")),
        flt=flt,
        query=query,
        unfocused={k: v for k, v in query.items() if k != "focus"},
        ignored=ignored,
        choices=per_plan(plan, "filter_choices", lambda: filter_choices(plan)),
        levels=LEVELS,
        formats=FORMATS,
        status_style=STATUS_STYLE,
        empty=b'class="node"' not in svg,
        one_language=_one_language_cue(svg),
        flagged=_flagged(plan, svg),
        drawn=drawn,
        country=country_notice(flt.country, drawn),
        view=view,
        spec=spec,
        too_many=too_many,
        max_expand=MAX_EXPAND,
        search=search,
        hits=hits,
        collapse_links=[
            (plan.node(e), _expand_link(flt, spec, learning, drop=e)) for e in view.expanded
        ],
    )


def _removable(plan: Plan) -> list[tuple[str, str, Node]]:
    """What a what-if may take away: (id, kind, node) by kind then id."""
    return [
        (n.id, n.kind, n)
        for kind in WHATIF_KINDS
        for n in sorted(plan.nodes, key=lambda n: n.id)
        if n.kind == kind
    ]


def _drawn(plan: Plan, svg: bytes) -> list[str]:
    """The causal nodes drawn in ``svg`` (their tooltips explain their status), in plan order."""
    if current_plan_status() is None:
        return []
    drawn = drawn_ids(svg)
    return [n.id for n in plan.nodes if n.kind in CAUSAL_KINDS and n.id in drawn]


def drawn_ids(svg: bytes) -> set[str]:
    """The ids of the nodes drawn in ``svg`` (each box is a group ``id="node-<id>"``), read in
    one pass: looking for every node of a 20,000-node plan in the drawing took 0.3 s.

    >>> sorted(drawn_ids(b'<g id="node-so1" class="node"></g><g id="node-a&amp;b"></g>'))
    ['a&b', 'so1']
    """
    return {html.unescape(m.decode()) for m in _NODE_ID.findall(svg)}


def _flagged(plan: Plan, svg: bytes) -> list[object]:
    """The nodes drawn in ``svg`` that are an "assumption to test" (contributions on track,
    own indicators not), in plan order."""
    result = current_plan_status()
    if result is None:
        return []
    ids = set(result.assumptions_to_test()) & drawn_ids(svg)
    return [n for n in plan.nodes if n.id in ids]


def _one_language_cue(svg: bytes) -> dict[str, str] | None:
    """The legend entry of the diagram's cue on links stated in the other language version
    only (the English text alone names SDG 17), when the diagram has such a link."""
    if b"one-language" not in svg:
        return None
    if current_lang() == "nl":
        return {"cue": "EN", "text": _("Only in the English version")}
    return {"cue": "NL", "text": _("Only in the Dutch version")}


@bp.route("/diagram.<fmt>")
@requires("read")
def download(fmt: str) -> Response:
    """The filtered diagram as a file (svg, png or pdf)."""
    if fmt not in FORMATS:
        abort(404)
    plan = current_plan()
    flt, _ignored = parse_filter(plan, request.args)
    learning, _not_removable = _learning(plan)
    spec, _too_many = _view_spec(flt)
    view = _lod(plan, flt, spec)
    data = _diagram(flt, fmt, _node_prefix(external=True), learning, view, spec, external=True)
    parts = ["pathways", current_lang(), *filter_query(flt).values()]
    filename = "-".join(p.replace(".", "_") for p in parts) + f".{fmt}"
    return Response(
        data,
        mimetype=_MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
