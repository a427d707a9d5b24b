"""Words for a contribution story (:mod:`toc.story`) in Dutch or English, as plain text,
Markdown or HTML.

Every sentence is a template filled with the story's data: nothing is said that the data do not
say, and missing evidence is said plainly. The story is first worded once into blocks (headings,
paragraphs, lists of runs); each format then only lays the blocks out and escapes every run of
data (Markdown's special characters, HTML's ``<>&"'``). Illustrative evidence and outcomes are
marked wherever they appear, and the story says so at the top.

>>> import datetime as dt
>>> from toc.causal import Link
>>> from toc.evidence import Evidence
>>> from toc.model import Edge, Node, Plan, Text
>>> from toc.story import contribution_story
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text("Stedenbanden", "Town twinning")),
...      Node("Objective", "o1", Text("Bestuurskracht", "Governance"), props={"number": 1})],
...     [Edge("CONTRIBUTES_TO", "s1", "o1")])
>>> item = Evidence("e1", "study", "supports", "strong", "Study <b>", dt.date(2030, 1, 1), "a",
...                 link=Link("s1", "o1"), illustrative=True)
>>> story = contribution_story(plan, "o1", [item])
>>> print(render(story, "en", "text").splitlines()[0])
Contribution story: Governance (o1)
>>> "Study &lt;b&gt;" in render(story, "nl", "html")
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from toc.confidence import BAND_LABELS, Band
from toc.evidence import KIND_LABELS, SAYS_LABELS, STRENGTH_LABELS, Evidence
from toc.harvest import PLANNING_LABELS, VALENCE_LABELS, VERDICT_LABELS, HarvestedOutcome
from toc.kinds import LANGUAGES
from toc.story import AssumptionCheck, LinkStory, Story
from toc.story_phrases import PHRASES

__all__ = ["FORMATS", "blocks", "percent", "render"]

FORMATS: tuple[str, ...] = ("text", "md", "html")

#: Most strategies named in the question; the others are counted.
MAX_NAMED = 10

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Run:
    """A piece of a line: ``text`` (data or words), ``url`` (a link) or ``mark`` (a badge)."""

    kind: str
    value: str


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1 to 3), a paragraph, or a list item with sub-items."""

    kind: str  # "heading", "para", "item"
    runs: tuple[Run, ...]
    level: int = 0
    children: tuple[tuple[Run, ...], ...] = field(default_factory=tuple)


def _clean(value: str) -> str:
    return " ".join(value.split())


def percent(p: float, lang: str = "en") -> str:
    """A probability as a whole percentage; what would round to 0 % or 100 % is said as
    below 1 % or above 99 % (no finite evidence makes a link certain).

    >>> percent(0.7), percent(0.004), percent(0.9999), percent(0.5, "nl")
    ('70%', '<1%', '>99%', '50%')
    """
    shown = round(p * 100)
    if shown <= 0:
        return "<1%"
    if shown >= 100:
        return ">99%"
    return f"{shown}%"


def _ratio(value: float, lang: str) -> str:
    shown = f"{value:.2g}" if value < 10 else f"{value:.0f}"
    return "×" + (shown.replace(".", ",") if lang == "nl" else shown)


class _Words:
    def __init__(self, story: Story, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}: use {' or '.join(LANGUAGES)}")
        self.story, self.lang, self.p = story, lang, PHRASES[lang]

    def say(self, key: str, **values: object) -> str:
        return self.p[key].format(**values)

    def title(self, node_id: str) -> str:
        found = self.story.titles.get(node_id)
        return _clean(found.get(self.lang)).rstrip(".") if found is not None else node_id

    def named(self, node_id: str) -> str:
        return f"{node_id} ({self.title(node_id)})"

    def plural(self, key: str, n: int) -> str:
        return self.say(f"{key}_1") if n == 1 else self.say(f"{key}_n", n=n)

    def band(self, b: Band) -> str:
        return BAND_LABELS[b].get(self.lang)

    def pct(self, p: float) -> str:
        return percent(p, self.lang)

    def joined(self, parts: Sequence[str]) -> str:
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + f" {self.say('and')} " + parts[-1]


def _t(value: str) -> Run:
    return Run("text", value)


def _item_runs(w: _Words, item: Evidence, cited: dict[str, HarvestedOutcome]) -> tuple[Run, ...]:
    lang = w.lang
    runs = [
        _t(
            w.say(
                "item",
                date=item.date.isoformat(),
                kind=KIND_LABELS[item.kind].get(lang),
                says=SAYS_LABELS[item.says].get(lang),
                strength=STRENGTH_LABELS[item.strength].get(lang),
                text=_clean(item.source_text),
                author=_clean(item.author),
            )
        )
    ]
    if item.url:
        runs += [_t(" "), Run("url", item.url)]
    if item.attachment:
        runs.append(_t("; " + w.say("attachment", name=item.attachment)))
    if item.outcome:
        outcome = cited.get(item.outcome)
        if outcome is None:
            runs.append(_t("; " + w.say("cites_unknown", id=item.outcome)))
        else:
            title = _clean(outcome.title)
            runs.append(_t("; " + w.say("cites", id=item.outcome, title=title)))
    if item.illustrative:
        runs += [_t(" "), Run("mark", w.say("mark"))]
    return tuple(runs)


def _assumption_runs(w: _Words, check: AssumptionCheck) -> tuple[Run, ...]:
    c = check.confidence
    title = _clean(check.title.get(w.lang))
    state = w.say(check.state)
    if c.has_evidence:
        text = w.say(
            "assumption_p",
            id=check.id,
            title=title,
            state=state,
            p=w.pct(c.posterior),
            items=w.plural("items", len(c.weights)),
        )
    else:
        text = w.say("assumption", id=check.id, title=title, state=state)
    runs = [_t(text)]
    if c.illustrative:
        runs += [_t(" "), Run("mark", w.say("mark"))]
    return tuple(runs)


def _link_blocks(w: _Words, s: LinkStory) -> list[Block]:
    c = s.confidence
    out = [Block("heading", (_t(f"{w.named(s.link.source)} -> {w.named(s.link.target)}"),), 3)]
    if s.rationale:
        out.append(Block("para", (_t(w.say("rationale", text=_clean(s.rationale.get(w.lang)))),)))
    if c.has_evidence:
        line = w.say(
            "confidence",
            p=w.pct(c.posterior),
            band=w.band(c.band),
            q=w.pct(c.prior),
            items=w.plural("items", len(c.weights)),
        )
        out.append(Block("para", (_t(line),)))
        movers = ", ".join(f"{m.item.id} ({_ratio(m.ratio, w.lang)})" for m in c.movers())
        if movers:
            out.append(Block("para", (_t(w.say("weighed", items=movers)),)))
        cited = dict(w.story.cited)
        for item in s.evidence:
            out.append(Block("item", _item_runs(w, item, cited)))
    else:
        out.append(Block("para", (_t(w.say("no_evidence", q=w.pct(c.prior))),)))
    if s.assumptions:
        out.append(Block("para", (_t(w.say("assumptions")),)))
        out.extend(Block("item", _assumption_runs(w, a)) for a in s.assumptions)
    return out


def _outcome_block(w: _Words, o: HarvestedOutcome) -> Block:
    lang = w.lang
    head = w.say(
        "outcome",
        date=o.when.isoformat(),
        title=_clean(o.title),
        planning=PLANNING_LABELS[o.planning].get(lang),
        valence=VALENCE_LABELS[o.valence].get(lang),
        actor=_clean(o.social_actor),
    )
    runs = [_t(head)]
    if o.illustrative:
        runs += [_t(" "), Run("mark", w.say("mark"))]
    children = [(_t(_clean(o.description)),)]
    if o.significance:
        children.append((_t(w.say("significance", text=_clean(o.significance))),))
    if o.contribution:
        children.append((_t(w.say("contribution", text=_clean(o.contribution))),))
    if o.substantiation:
        views = "; ".join(
            w.say("view", by=_clean(v.by), verdict=VERDICT_LABELS[v.verdict].get(lang))
            for v in o.substantiation
        )
        children.append((_t(w.say("substantiation", views=views)),))
    else:
        children.append((_t(w.say("not_substantiated")),))
    return Block("item", tuple(runs), children=tuple(children))


def blocks(story: Story, lang: str = "en") -> list[Block]:
    """The story worded in ``lang``, as blocks every format lays out."""
    w = _Words(story, lang)
    node, title = story.node, w.title(story.node)
    out = [Block("heading", (_t(w.say("title", title=title, node=node)),), 1)]
    if story.as_of is not None:
        out.append(Block("para", (_t(w.say("as_of", date=story.as_of.isoformat())),)))
    if story.illustrative:
        out.append(Block("para", (Run("mark", w.say("illustrative")),)))

    out.append(Block("heading", (_t(w.say("h_question")),), 2))
    named = [w.named(s) for s in story.strategies[:MAX_NAMED]]
    if len(story.strategies) > MAX_NAMED:
        named.append(w.say("more_strategies", n=len(story.strategies) - MAX_NAMED))
    names = w.joined(named)
    if story.pathway_count:
        ask = w.say(
            "question_1" if len(story.strategies) == 1 else "question_n", names=names, title=title
        )
        out.append(Block("para", (_t(ask),)))
        count = w.say(
            "count_1" if story.pathway_count == 1 else "count_n",
            pathways=w.plural("pathways", story.pathway_count),
            strategies=w.plural("strategies", len(story.strategies)),
            node=node,
        )
        out.append(Block("para", (_t(count[:1].upper() + count[1:]),)))
    else:
        out.append(Block("para", (_t(w.say("no_pathway", node=node)),)))

    if story.pathways:
        out.append(Block("heading", (_t(w.say("h_pathways")),), 2))
        shown, total = len(story.pathways), story.pathway_count
        head = (
            w.say("some_pathways", shown=shown, count=total)
            if shown < total
            else w.say("all_pathways", count=total)
        )
        out.append(Block("para", (_t(head),)))
        for path in story.pathways:
            line = w.say(
                "pathway",
                nodes=" -> ".join(path.nodes),
                p=w.pct(path.confidence),
                band=w.band(path.band),
                weakest=str(path.weakest),
                q=w.pct(path.weakest_posterior),
            )
            out.append(Block("item", (_t(line),)))
        out.append(Block("heading", (_t(w.say("h_links")),), 2))
        for s in story.links:
            out.extend(_link_blocks(w, s))

    out.append(Block("heading", (_t(w.say("h_factors")),), 2))
    if story.factors:
        out.append(Block("para", (_t(w.say("factors", node=node)),)))
        out.extend(_outcome_block(w, o) for o in story.factors)
    else:
        out.append(Block("para", (_t(w.say("no_factors", node=node)),)))
    if story.outcomes:
        out.append(Block("para", (_t(w.say("outcomes", node=node)),)))
        out.extend(_outcome_block(w, o) for o in story.outcomes)

    out.append(Block("heading", (_t(w.say("h_conclusion")),), 2))
    if story.band is None:
        out.append(Block("para", (_t(w.say("no_claim", title=title)),)))
    else:
        p = w.pct(story.confidence or 0.0)
        key = story.band.value if story.has_evidence else "rests_on_priors"
        n = "1" if len(story.strategies) == 1 else "n"
        said = w.say(key, title=title, p=p, who=w.say(f"who_{n}"), has=w.say(f"has_{n}"))
        out.append(Block("para", (_t(said),)))
        missing, total = story.links_without_evidence, story.links_total
        gaps = (
            w.say("gaps", missing=missing, total=total, node=node)
            if missing
            else w.say("no_gaps", total=total, node=node)
        )
        out.append(Block("para", (_t(gaps),)))
    return out


# --------------------------------------------------------------------------- layouts

_MD_SPECIAL = re.compile(r"([\\`*_\[\]~])")
_MD_LEADING = re.compile(r"^(\d+)([.)])|^([-+#=>])")


def _md(value: str) -> str:
    """Markdown-safe inline text: ``&`` and ``<`` as entities (no HTML can start), then
    Markdown's emphasis, code and link characters escaped (``>`` only matters at the start
    of a line, see :func:`_md_line`)."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def _md_line(value: str) -> str:
    """A line that does not start a list, a heading or a quote by accident."""
    return _MD_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", value, 1)


def _runs_text(runs: Sequence[Run]) -> str:
    return "".join(f"[{r.value}]" if r.kind == "mark" else r.value for r in runs)


def _runs_md(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        if r.kind == "url":
            out.append(f"<{r.value.replace('>', '%3E').replace('<', '%3C')}>")
        elif r.kind == "mark":
            out.append(f"**{_md(r.value)}**")
        else:
            out.append(_md(r.value))
    return "".join(out)


def _runs_html(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        value = html.escape(r.value, quote=True)
        if r.kind == "url":
            out.append(f'<a href="{value}" rel="noopener noreferrer">{value}</a>')
        elif r.kind == "mark":
            out.append(f'<strong class="illustrative">{value}</strong>')
        else:
            out.append(value)
    return "".join(out)


def _text(items: list[Block]) -> str:
    lines: list[str] = []
    for b in items:
        if b.kind == "heading":
            if lines:
                lines.append("")
            text = _runs_text(b.runs)
            lines.append(text)
            if b.level < 3:
                lines.append(("=" if b.level == 1 else "-") * len(text))
        elif b.kind == "para":
            lines.append(_runs_text(b.runs))
        else:
            lines.append("  - " + _runs_text(b.runs))
            lines.extend("      " + _runs_text(c) for c in b.children)
    return "\n".join(lines) + "\n"


def _markdown(items: list[Block]) -> str:
    lines: list[str] = []
    previous = ""
    for b in items:
        if b.kind == "heading":
            lines += ["", "#" * b.level + " " + _runs_md(b.runs), ""]
        elif b.kind == "para":
            if previous == "item":
                lines.append("")
            lines += [_md_line(_runs_md(b.runs)), ""]
        else:
            lines.append("- " + _md_line(_runs_md(b.runs)))
            lines.extend("  - " + _md_line(_runs_md(c)) for c in b.children)
        previous = b.kind
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def _html(items: list[Block], lang: str) -> str:
    out = [f'<article class="story" lang="{lang}">']
    in_list = False
    for b in items:
        if b.kind == "item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            sub = "".join(f"<li>{_runs_html(c)}</li>" for c in b.children)
            out.append(f"<li>{_runs_html(b.runs)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if b.kind == "heading":
            level = b.level + 1  # h2 to h4: a story sits inside a page with its own h1
            out.append(f"<h{level}>{_runs_html(b.runs)}</h{level}>")
        else:
            out.append(f"<p>{_runs_html(b.runs)}</p>")
    if in_list:
        out.append("</ul>")
    out.append("</article>")
    return "\n".join(out) + "\n"


_LAYOUTS: dict[str, Callable[[list[Block], str], str]] = {
    "text": lambda items, lang: _text(items),
    "md": lambda items, lang: _markdown(items),
    "html": _html,
}


def render(story: Story, lang: str = "en", format: str = "text") -> str:
    """The story in ``lang`` (``nl`` or ``en``) as ``text``, ``md`` or ``html``.

    Raises
    ------
    ValueError
        An unknown language or format.
    """
    if format not in _LAYOUTS:
        raise ValueError(f"unknown format {format!r}: use {', '.join(FORMATS)}")
    return _LAYOUTS[format](blocks(story, lang), lang)
