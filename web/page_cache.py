"""Rendered page content kept between requests, shared by every user it looks the same for.

The main pages (overview, diagram, node and indicator pages) show the same content to
everyone in one language with the same data, yet rendering it costs most of a request. So
their page-specific blocks (title, content, scripts) are rendered once per
:func:`data_version` (plan version, indicator definitions, measurement log), language, role
and page key, kept in an LRU cache, and placed into the layout on each request. The layout
itself (navigation, signed-in user, sign-out form with its CSRF token, flashed messages) is
rendered on every request, so nothing personal is ever shared.

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

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from web.i18n import current_lang
from web.statuses import data_version

__all__ = ["BLOCKS", "PageCache", "cached_fragment", "init_app", "render_cached"]

#: The blocks of ``base.html`` a page fills in; these are what is cached.
BLOCKS = ("title", "main_class", "content", "scripts")
_KEY = "pathways.pages"
_FRAGMENTS = "pathways.fragments"


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
    app.extensions[_FRAGMENTS] = PageCache(512 if size > 0 else 0)
    app.add_template_global(cached_fragment)


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
    return render_template(template, cached_blocks=blocks)
