"""Diagram filters from query strings, SVG cleaning and the cache of renderings."""

from __future__ import annotations

import pytest

from tests.conftest import small_plan
from toc.render import DiagramFilter
from web.diagrams import DiagramCache, DiagramKey, clean_svg, filter_query, inline_svg, parse_filter


@pytest.mark.parametrize(
    "args, expected, ignored",
    [
        ({}, DiagramFilter(), []),
        ({"so": "so1", "sdg": "sdg16"}, DiagramFilter(strategic_objective="so1", sdg="sdg16"), []),
        ({"country": "be", "partner": "enabel"}, DiagramFilter(country="be", partner="enabel"), []),
        ({"level": "Objective", "focus": "s1"}, DiagramFilter(level="Objective", focus="s1"), []),
        ({"level": "Strategy"}, DiagramFilter(), []),  # the lowest level is "everything"
        ({"so": "sdg16", "country": "nope", "focus": "r1", "level": "SDG"}, DiagramFilter(),
         ["so", "country", "focus", "level"]),
        ({"so": "  "}, DiagramFilter(), []),
    ],
)  # fmt: skip
def test_parse_filter(args, expected, ignored):
    assert parse_filter(small_plan(), args) == (expected, ignored)


def test_filter_query_round_trips():
    flt = DiagramFilter(strategic_objective="so1", partner="enabel", level="Objective")
    query = filter_query(flt)
    assert query == {"so": "so1", "partner": "enabel", "level": "Objective"}
    assert parse_filter(small_plan(), query) == (flt, [])


SVG = (
    b'<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="20pt" viewBox="0 0 10 20">'
    b'<script>alert(1)</script><g onclick="alert(2)"><a xlink:href="javascript:alert(3)">'
    b'<text>x</text></a><a xlink:href="/nodes/a" xlink:title="A &amp; B"><text>y</text></a>'
    b"<foreignObject><div/></foreignObject></g></svg>"
)


def test_clean_svg_removes_scripts_handlers_and_script_links():
    cleaned = clean_svg(SVG).decode()
    assert "<script" not in cleaned and "onclick" not in cleaned
    assert "javascript:" not in cleaned and "foreignObject" not in cleaned
    assert 'xlink:href="/nodes/a"' in cleaned and 'xlink:title="A &amp; B"' in cleaned
    assert not cleaned.startswith("<?xml") and "DOCTYPE" not in cleaned


def test_inline_svg_is_sized_by_css_and_named():
    markup = str(inline_svg(clean_svg(SVG), 'Diagram "x"'))
    head = markup[: markup.index(">")]
    assert 'width="' not in head and 'height="' not in head and 'viewBox="0 0 10 20"' in head
    assert 'role="img"' in head and 'aria-label="Diagram &#34;x&#34;"' in head
    assert "<text>y</text>" in markup  # the body is untouched, not escaped


def _key(**kw) -> DiagramKey:
    base = {"plan_version": 1, "statuses": (), "flt": DiagramFilter(), "lang": "en",
            "fmt": "svg", "link_prefix": "/nodes/"}  # fmt: skip
    return DiagramKey(**{**base, **kw})


def test_cache_renders_once_per_key_and_drops_the_least_recently_used():
    calls: list[str] = []

    def renderer(dot: str, fmt: str) -> bytes:
        calls.append(fmt)
        return SVG if fmt == "svg" else b"%PDF"

    cache = DiagramCache(size=2, renderer=renderer)
    plan = small_plan()
    a, b, c = _key(), _key(lang="nl"), _key(fmt="pdf")
    assert cache.get(plan, a) == cache.get(plan, a)
    cache.get(plan, b)
    cache.get(plan, a)  # a is now the most recently used
    cache.get(plan, c)  # drops b
    cache.get(plan, a)
    cache.get(plan, b)
    assert cache.renders == 4 and calls == ["svg", "svg", "pdf", "svg"]


def test_statuses_colour_the_rendered_diagram():
    captured: list[str] = []

    def renderer(dot: str, fmt: str) -> bytes:
        captured.append(dot)
        return SVG

    cache = DiagramCache(renderer=renderer)
    cache.get(small_plan(), _key(statuses=(("so1", "off_track"),)))
    assert '"so1" [label=<<B>SO 1</B><BR/>Goal 1<BR/><I>✖ Off track</I>>' in captured[0]
