"""Rendered page content kept between requests, shared by every user it looks the same for.

The main pages (overview, diagram, node and indicator pages) show the same content to
everyone in one language with the same data, yet rendering it costs most of a request. So
their page-specific blocks (title, content, scripts) are rendered once per
:func:`data_version` (plan version, indicator definitions, measurement log), language, role
and page key, kept in an LRU cache, and placed into the layout on each request. The layout
around them is rendered once per page and role too, with markers where it is personal (the
signed-in user's name, the sign-out form's CSRF token, the language links back to the current
address) that are filled in for each request, so nothing personal is ever shared; a request
with messages to show gets the whole layout rendered.

A view passes what else its content depends on in ``key`` (the node id, the query string, a
contributor's right to enter values), and builds its template context only on a miss::

    return render_cached("nodes/show.html", ("node", node_id), lambda: {...})

Templates take part through ``base.html``: called with ``capture_blocks`` it renders only
the page's blocks into that dict; called with ``cached_blocks`` it places them.

Parts of the layout that depend only on a few things (the main navigation: language, role and
area) are kept the same way with :func:`cached_fragment`, used in templates as
``{% call cached_fragment("nav", request.blueprint, current_user.role) %}...{% endcall %}``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import Flask, current_app, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from web.i18n import current_lang
from web.statuses import data_version

__all__ = ["BLOCKS", "PageCache", "cached_fragment", "init_app", "render_cached"]

#: The blocks of ``base.html`` a page fills in; these are what is cached.
BLOCKS = ("title", "main_class", "content", "scripts")
_KEY = "pathways.pages"
_FRAGMENTS = "pathways.fragments"
_SHELLS = "pathways.shells"


class PageCache:
    """Rendered blocks by key, least recently used dropped first; safe across threads."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.renders = 0

    def get(self, key: Hashable) -> Any:
        with self._lock:
            blocks = self._items.get(key)
            if blocks is not None:
                self._items.move_to_end(key)
            return blocks

    def put(self, key: Hashable, blocks: Any) -> None:
        with self._lock:
            self.renders += 1
            self._items[key] = blocks
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def init_app(app: Flask) -> None:
    """Keep the app's page cache (``PAGE_CACHE_SIZE`` entries; 0 turns it off) and its
    cache of layout fragments."""
    size = int(app.config.get("PAGE_CACHE_SIZE", 256))
    app.extensions[_KEY] = PageCache(size)
    # the navigation per area and role, review cards, rows of revision histories
    app.extensions[_FRAGMENTS] = PageCache(max(4096, 16 * size) if size > 0 else 0)
    app.extensions[_SHELLS] = PageCache(size)
    app.add_template_global(cached_fragment)
    app.add_template_global(shell_slot)


def cached_fragment(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """The markup ``caller()`` renders, kept per language and ``key`` (a template ``call``
    block; everything the markup depends on besides the language must be in ``key``)."""
    cache: PageCache = current_app.extensions[_FRAGMENTS]
    if cache.size <= 0:
        return Markup(caller())
    full_key = (current_lang(), request.script_root, *key)
    html = cache.get(full_key)
    if html is None:
        html = Markup(caller())
        cache.put(full_key, html)
    return html


def render_cached(template: str, key: Hashable, context: Callable[[], Mapping[str, Any]]) -> str:
    """The page ``template`` with its blocks from the cache, rendered from ``context()`` when
    they are not cached for ``key`` and the current data, language and role."""
    cache: PageCache = current_app.extensions[_KEY]
    if cache.size <= 0:
        return render_template(template, **context())
    full_key = (template, key, data_version(), current_lang(), current_user.role)
    blocks = cache.get(full_key)
    if blocks is None:
        blocks = {}
        render_template(template, capture_blocks=blocks, **context())
        blocks = {name: Markup(blocks.get(name, "")) for name in BLOCKS}
        cache.put(full_key, blocks)
    if session.get("_flashes"):
        return render_template(template, cached_blocks=blocks)
    shells: PageCache = current_app.extensions[_SHELLS]
    # the layout shows the page's blocks but its content, so it is kept by those: a page whose
    # content changes with every new value (an indicator's history) keeps its layout
    around = tuple(blocks[name] for name in BLOCKS if name != "content")
    shell_key = (template, current_lang(), current_user.role, around, request.blueprint,
                 request.script_root)  # fmt: skip
    shell = shells.get(shell_key)
    if shell is None:
        shell = _render_shell(template, blocks)
        shells.put(shell_key, shell)
    before, after = shell
    return "".join((_fill(before), str(blocks["content"]), _fill(after)))


# -- the layout around cached blocks ---------------------------------------------------------
#
# Around a page's cached blocks, the layout differs per request only in a few places: the
# signed-in user's name, the sign-out form's CSRF token and the language links (which return
# to the current address). The layout is rendered once per page and role with markers in
# those places, and the markers are filled in for each request; the page content between the
# two halves is never scanned, so nothing a user typed can be taken for a marker. Requests with
# messages to show get the full layout.

_SLOT = "\x00pathways:{}\x00"


def shell_slot(name: str) -> Markup:
    """A marker in the layout, filled in per request (see :func:`render_cached`)."""
    return Markup(_SLOT.format(name))


def _render_shell(template: str, blocks: Mapping[str, Markup]) -> tuple[str, str]:
    marker = _SLOT.format("content")
    shell_blocks = {**blocks, "content": Markup(marker)}
    html = render_template(template, cached_blocks=shell_blocks, shell=True)
    before, _, after = html.partition(marker)
    return before, after


def _fill(part: str) -> str:
    part = part.replace(_SLOT.format("user"), str(escape(current_user.name)))
    part = part.replace(_SLOT.format("csrf"), generate_csrf())
    path = request.full_path.rstrip("?")
    for code in current_app.config["LANGUAGES"]:
        href = url_for("auth.language", lang=code, next=path)
        part = part.replace(_SLOT.format(f"lang-{code}"), str(escape(href)))
    return part
