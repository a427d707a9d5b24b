"""`toc whatif` and `toc story`: what removing parts of the plan does to its pathways, and the
contribution story of an objective, from the stored plan, its indicators, and the recorded
evidence, priors and harvested outcomes.

Both are thin: the computation is :func:`toc.whatif.what_if` and
:func:`toc.story.contribution_story` (pure), the evidence of indicator trends is
:func:`indicators.link_evidence.derived_evidence`, and the store only supplies the plan, the
indicators, the approved values and the recorded evidence (:mod:`graphdb.learning_store`).
A story or a what-if that rests on illustrative (demo) data says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from toc.illustrative import notice
from toc.story_render import FORMATS as STORY_FORMATS
from toc.story_render import render as render_story

if TYPE_CHECKING:
    from toc.whatif import WhatIf

__all__ = ["story", "whatif"]


def _lines_of_whatif(
    result: WhatIf,
    titles: dict[str, str],
    best: dict[str, tuple[float | None, float | None]] | None = None,
) -> list[str]:
    """The table format of a what-if: one section per key, ids with their titles; with
    ``best``, the confidence of each weakened node's most credible pathway before and after."""

    def name(node: str) -> str:
        return f"{node} ({titles[node]})" if node in titles else node

    out = ["Removed:"]
    for r in result.removed:
        why = "" if r.reason == "named" else f"  [no {r.reason} left: {', '.join(r.because)}]"
        out.append(f"  {r.kind:<18} {name(r.node)}{why}")
    out.append("Lost (every pathway gone):")
    out += [f"  {c.kind:<18} {name(c.node)}  {c.before} -> 0" for c in result.lost] or ["  —"]
    out.append("Weakened (fewer pathways):")
    best = best or {}

    def credible(node: str) -> str:
        before, after = best.get(node, (None, None))
        if before is None or after is None:
            return ""
        return f"  (most credible pathway {before:.0%} -> {after:.0%})"

    out += [
        f"  {c.kind:<18} {name(c.node)}  {c.before} -> {c.after}{credible(c.node)}"
        for c in result.weakened
    ] or ["  —"]
    out.append("Indicators whose node loses every contributing strategy:")
    out += [f"  {i.indicator}  ({', '.join(i.nodes)})" for i in result.indicators] or ["  —"]
    out.append("Funding attached to what is removed:")
    funding = []
    for f in result.funding:
        amount = "—" if f.amount is None else f"EUR {f.amount:,.0f}"
        when = f" {f.year}" if f.year is not None else (f" {f.period}" if f.period else "")
        via = f"  via {', '.join(f.funders)}" if f.funders else ""
        funding.append(f"  {name(f.node)}{when}  {amount}{via}")
    out += funding or ["  —"]
    return out


@click.command("whatif")
@click.option(
    "--without",
    "without",
    multiple=True,
    required=True,
    metavar="ID",
    help="A strategy, partner, partnership, country or funding node to take away (repeat).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True)
@pass_ctx
@domain_errors
def whatif(ctx: Context, without: Sequence[str], fmt: str, lang: str) -> None:
    """What removing strategies, partners, partnerships, countries or funding does: the
    objectives that lose every pathway (lost), those left with fewer (weakened, before and
    after, with the confidence of their most credible pathway from the recorded evidence),
    indicators whose node loses every contributing strategy, and the funding attached.

    Example: toc whatif --without s2 --without p.enabel --format json
    """
    from indicators.link_evidence import derived_evidence
    from indicators.pathway_status import plan_status
    from toc.whatif import what_if
    from toc.whatif_confidence import best_pathway_confidence

    store = ctx.store(read_only=True)
    plan = store.load_plan()
    indicators = store.indicators()
    measures = {i.code: list(i.measures) for i in indicators}
    result = what_if(plan, list(without), measures)
    evidence = [*derived_evidence(plan, plan_status(store)), *store.evidence()]
    best = best_pathway_confidence(plan, result, evidence, store.priors())
    illustrative = (
        any(i.illustrative for i in indicators if i.code in measures) and bool(result.indicators)
    ) or any(e.illustrative for e in evidence if e.link is not None)
    if fmt == "json":
        body = result.to_dict()
        body["confidence"] = {
            node: {"before": before, "after": after} for node, (before, after) in best.items()
        }
        if illustrative:
            body["illustrative"] = True
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    titles = {n.id: n.title.get(lang) for n in plan.nodes}
    for line in _lines_of_whatif(result, titles, best):
        click.echo(line)
    if illustrative:
        click.echo(notice(lang))


@click.command("story")
@click.argument("node")
@click.option("--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(STORY_FORMATS)),
    default="text",
    show_default=True,
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Use the evidence and approved values known on this day (YYYY-MM-DD).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE."
)
@pass_ctx
@domain_errors
def story(
    ctx: Context,
    node: str,
    lang: str,
    fmt: str,
    as_of: dt.datetime | None,
    output: str | None,
) -> None:
    """The contribution story of an objective (contribution analysis, after Mayne): the
    pathways from the strategies to it, the evidence and confidence of each link (the
    recorded evidence, priors and harvested outcomes, and the trends of their indicators),
    the assumptions, and a conclusion worded by confidence.

    Example: toc story so2.o3 --lang nl --format md
    """
    from indicators.link_evidence import derived_evidence
    from indicators.pathway_status import plan_status
    from toc.story import contribution_story

    store = ctx.store(read_only=True)
    plan = store.load_plan()
    day = as_of.date() if as_of else None
    status = plan_status(store, as_of=day)
    evidence = [*derived_evidence(plan, status), *store.evidence()]
    made = contribution_story(
        plan, node, evidence, store.outcomes(), priors=store.priors(), as_of=day
    )
    text = render_story(made, lang, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"Wrote the story of {node} to {output}.")
    else:
        click.echo(text.rstrip("\n"))
