"""Pathway diagrams for the web: filters from the query string, a cache of rendered diagrams, and
SVG made safe to place inside a page.

Rendering the VVSG diagram takes Graphviz about 0.16 s (SVG) to 0.5 s (PNG), so each rendering
is kept in a small in-process LRU cache keyed by everything it depends on: plan version,
statuses, filters, language, format and link target. A new plan version or new statuses give
new keys; old entries fall out of the LRU.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from toc.lod import Summary
from toc.model import Plan
from toc.render import DiagramFilter, diagram_dot, render

__all__ = [
    "LEVELS",
    "DiagramCache",
    "DiagramKey",
    "clean_svg",
    "filter_choices",
    "filter_query",
    "inline_svg",
    "parse_filter",
]

#: The choices of the "level" filter: the lowest causal kind drawn.
LEVELS = ("Strategy", "Output", "Outcome", "Objective", "StrategicObjective")

#: Query-string parameter -> (DiagramFilter field, node kind the id must have).
FILTER_PARAMS: dict[str, tuple[str, str]] = {
    "so": ("strategic_objective", "StrategicObjective"),
    "sdg": ("sdg", "SDG"),
    "country": ("country", "Country"),
    "partner": ("partner", "Partner"),
}
#: Kinds a ``focus`` node (show only its pathways) may have.
FOCUS_KINDS = (*LEVELS, "SDG")

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"


def parse_filter(plan: Plan, args: Mapping[str, str]) -> tuple[DiagramFilter, list[str]]:
    """The diagram filter asked for in ``args`` (``so``, ``sdg``, ``country``, ``partner``,
    ``focus``, ``level``), and the names of parameters that were ignored because their value
    is not a node of the right kind (or not a level)."""
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for param, (field, kind) in FILTER_PARAMS.items():
        value = (args.get(param) or "").strip()
        if not value:
            continue
        node = plan.get(value)
        if node is None or node.kind != kind:
            ignored.append(param)
        else:
            chosen[field] = value
    focus = (args.get("focus") or "").strip()
    if focus:
        node = plan.get(focus)
        if node is None or node.kind not in FOCUS_KINDS:
            ignored.append("focus")
        else:
            chosen["focus"] = focus
    level = (args.get("level") or "").strip()
    if level and level != LEVELS[0]:
        if level in LEVELS:
            chosen["level"] = level
        else:
            ignored.append("level")
    return DiagramFilter(**chosen), ignored


def filter_query(flt: DiagramFilter) -> dict[str, str]:
    """The query-string parameters that give ``flt`` back through :func:`parse_filter`."""
    params = {p: getattr(flt, field) for p, (field, _) in FILTER_PARAMS.items()}
    params["focus"] = flt.focus
    params["level"] = flt.level
    return {k: v for k, v in params.items() if v}


def filter_choices(plan: Plan) -> dict[str, list[tuple[str, object]]]:
    """The nodes each filter can choose from: (id, node) pairs in plan order."""
    by_kind: dict[str, list[tuple[str, object]]] = {}
    for param, (_, kind) in FILTER_PARAMS.items():
        nodes = plan.of_kind(kind)
        if kind in ("StrategicObjective", "SDG"):
            nodes = sorted(nodes, key=lambda n: n.props.get("number", 0))
        by_kind[param] = [(n.id, n) for n in nodes]
    return by_kind


@dataclass(frozen=True)
class DiagramKey:
    """Everything a rendered diagram depends on."""

    plan_version: int
    statuses: tuple[tuple[str, str], ...]
    flt: DiagramFilter
    lang: str
    fmt: str
    link_prefix: str
    illustrative: bool = False
    #: ((source, target, probability), ...) when links show their confidence.
    confidence: tuple[tuple[str, str, float], ...] | None = None
    #: ((node, state, words), ...) when a what-if is drawn.
    whatif: tuple[tuple[str, str, str], ...] | None = None
    #: The level of detail: the ids drawn (None: all the filter leaves) and the summary boxes
    #: with the link that expands each.
    drawn: frozenset[str] | None = None
    summaries: tuple[tuple[Summary, str | None], ...] = ()


#: The most bytes of renderings the cache holds (besides its count bound), so that many large
#: views asked for by hostile query strings cannot exhaust memory.
MAX_CACHE_BYTES = 64 * 1024 * 1024


class DiagramCache:
    """Rendered diagrams, least recently used dropped first (at most ``size`` of them and
    ``max_bytes`` in all); safe across threads.

    Two threads asking for the same missing diagram may both render it; the result is the same.
    """

    def __init__(
        self,
        size: int = 64,
        renderer: Callable[[str, str], bytes] = render,
        max_bytes: int = MAX_CACHE_BYTES,
    ) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._renderer = renderer
        self._items: OrderedDict[DiagramKey, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.renders = 0

    def get(self, plan: Plan, key: DiagramKey) -> bytes:
        """The diagram for ``key``, rendered from ``plan`` when not cached."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        dot = diagram_dot(
            plan,
            key.lang,
            key.flt,
            statuses=dict(key.statuses),
            link_prefix=key.link_prefix,
            illustrative=key.illustrative,
            confidence=None
            if key.confidence is None
            else {(a, b): p for a, b, p in key.confidence},
            whatif=None if key.whatif is None else {n: (st, w) for n, st, w in key.whatif},
            drawn=key.drawn,
            summaries=key.summaries,
        )
        data = self._renderer(dot, key.fmt)
        if key.fmt == "svg":
            data = clean_svg(data)
        with self._lock:
            self.renders += 1
            if key not in self._items:
                self.bytes += len(data)
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size or (
                self.bytes > self.max_bytes and len(self._items) > 1
            ):
                _old, dropped = self._items.popitem(last=False)
                self.bytes -= len(dropped)
        return data

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


_UNSAFE_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "use"}


def clean_svg(data: bytes) -> bytes:
    """Graphviz SVG without scripts, event handlers or script links (labels are escaped by
    :mod:`toc.render` already; this is a second line of defence), as UTF-8 without an XML
    declaration or doctype."""
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", _XLINK)
    root = ET.fromstring(data)
    for parent in root.iter():
        for child in list(parent):
            if _local(child.tag) in _UNSAFE_ELEMENTS:
                parent.remove(child)
        for name in list(parent.attrib):
            value = parent.attrib[name].strip().lower()
            if _local(name).lower().startswith("on") or (
                _local(name) == "href" and not value.startswith(("/", "#", "http:", "https:"))
            ):
                del parent.attrib[name]
    return ET.tostring(root, encoding="unicode").encode()


def inline_svg(data: bytes, label: str) -> Markup:
    """A cleaned SVG (from :func:`clean_svg`) as markup to place in a page: sized by CSS,
    with an accessible name. Only the opening tag changes, so this is cheap per request."""
    text = data.decode()
    start = text.index("<svg")
    end = text.index(">", start)
    head = re.sub(r'\s(?:width|height)="[^"]*"', "", text[start:end])
    attrs = str(Markup(' role="img" class="diagram-svg" aria-label="{}"').format(label))
    return Markup(text[:start] + head + attrs + text[end:])


def _local(tag: str) -> str:
    return re.sub(r"^\{[^}]*\}", "", tag)
