"""`toc evidence` and `toc outcomes`: record, list and remove evidence on causal links and
assumptions, and harvested outcomes, in the store (audited: who, when, what).

Thin commands over :class:`graphdb.learning_store.LearningStore`: the checks (the link or
assumption is in the plan, ids are free, a cited outcome is recorded) and the all-or-nothing
write are the store's; the items are :class:`toc.evidence.Evidence` and
:class:`toc.harvest.HarvestedOutcome`, which check their own fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.options import default_author
from indicators.model import now_stamp
from toc.attachments import AttachmentRefused
from toc.causal import Link
from toc.evidence import TYPED_KINDS, Evidence, EvidenceKind
from toc.harvest import (
    HarvestedOutcome,
    Planning,
    Substantiation,
    Valence,
    Verdict,
    cite,
    outcomes_near,
)
from toc.illustrative import notice

__all__ = ["evidence_group", "outcomes_group"]

_AUTHOR = click.option(
    "--author", default=default_author, envvar="TOC_USER", show_default="login name",
    help="Who records it (the audit trail names them). Env: TOC_USER.",
)  # fmt: skip


def _free_id(prefix: str, taken: set[str]) -> str:
    """The first of PREFIX1, PREFIX2, ... not taken."""
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _subject(source: str | None, target: str | None, assumption: str | None) -> dict[str, object]:
    if assumption is not None:
        if source is not None:
            raise click.UsageError("give SOURCE TARGET or --assumption, not both")
        return {"assumption": assumption}
    if source is None or target is None:
        raise click.UsageError("give the link as SOURCE TARGET, or --assumption ID")
    return {"link": Link(source, target)}


def _line(e: Evidence) -> str:
    subject = f"{e.link.source} -> {e.link.target}" if e.link else f"assumption {e.assumption}"
    mark = "  [illustrative]" if e.illustrative else ""
    cited = f"  cites {e.outcome}" if e.outcome else ""
    return (
        f"{e.id}  {subject}  {e.says.value} ({e.strength.value}, {e.kind.value})  "
        f"{e.date}  {e.author}{cited}{mark}\n    {e.source_text[:200]}"
    )


@click.group("evidence")
def evidence_group() -> None:
    """Evidence on causal links and assumptions: add, list, remove, load a file.

    Example: toc evidence add s1 so1.o1 --kind evaluation --strength strong
    --source "Mid-term review, p. 12" --author "M. Peeters"
    """


@evidence_group.command("add")
@click.argument("source", required=False)
@click.argument("target", required=False)
@click.option("--assumption", default=None, metavar="ID", help="An Assumption instead of a link.")
@click.option(
    "--kind", required=True,
    type=click.Choice([k.value for k in TYPED_KINDS if k is not EvidenceKind.HARVESTED_OUTCOME]),
    help="Where the observation comes from (cite an outcome with `toc outcomes cite`).",
)  # fmt: skip
@click.option(
    "--strength", required=True, type=click.Choice(["weak", "moderate", "strong"]),
    help="How strongly it bears on the link or assumption.",
)  # fmt: skip
@click.option("--contradicts", is_flag=True, help="It contradicts (default: it supports).")
@click.option("--source", "source_text", required=True, metavar="TEXT", help="What it says, where.")
@click.option("--url", default=None, metavar="URL", help="An http(s) address of the source.")
@click.option(
    "--file", "file", default=None, metavar="PATH",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Attach a file (PDF, image, office document, CSV or text; 10 MB at most).",
)  # fmt: skip
@click.option(
    "--date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="When it was observed (YYYY-MM-DD; default today, never later).",
)  # fmt: skip
@click.option("--id", "item_id", default=None, help="Its id (default ev1, ev2, ...).")
@_AUTHOR
@pass_ctx
@domain_errors
def add_cmd(
    ctx: Context,
    source: str | None,
    target: str | None,
    assumption: str | None,
    kind: str,
    strength: str,
    contradicts: bool,
    source_text: str,
    url: str | None,
    file: Path | None,
    date: dt.datetime | None,
    item_id: str | None,
    author: str,
) -> None:
    """Record one evidence item on the causal link SOURCE -> TARGET (or on --assumption).

    Example: toc evidence add s3 so3.o1 --kind monitoring_visit --strength moderate
    --source "Visit report Benin 2029" --date 2029-09-15 --author ann
    """
    store = ctx.store()
    today = dt.date.today()
    data = {
        "id": item_id or _free_id("ev", {c.key for c in store.learning_history("evidence")}),
        "kind": kind,
        "says": "contradicts" if contradicts else "supports",
        "strength": strength,
        "source_text": source_text,
        "date": (date.date() if date else today).isoformat(),
        "author": author,
        **_subject(source, target, assumption),
    }
    if url:
        data["url"] = url
    Evidence.from_dict(data, today=today)  # every field checked before a file is kept
    if file is not None:
        files = store.attachment_files
        with file.open("rb") as f:
            content = f.read(files.max_bytes + 1)
        try:
            kept = files.put(content, file.name, who=author, when=now_stamp())
        except AttachmentRefused as e:
            raise click.ClickException(f"{file}: {e.reason}") from None
        data |= {"file": kept, "attachment": kept.name}
    item = Evidence.from_dict(data, today=today)
    store.add_evidence([item], author=author)
    attached = f" with {item.file.name} ({item.file.size:,} bytes)" if item.file else ""
    click.echo(f"Recorded evidence {item.id} on {item.subject}{attached}.")


@evidence_group.command("files-gc")
@pass_ctx
@domain_errors
def files_gc_cmd(ctx: Context) -> None:
    """Remove the kept files that no evidence item or indicator value names.

    Such files are left by a save that failed, or by a value form that was never sent again.

    A file named by any change in the evidence audit trail, removed items included, or by
    any revision of any indicator value is kept.

    Example: toc evidence files-gc
    """
    store = ctx.store()
    removed = store.attachment_files.collect_garbage(store.named_file_addresses())
    click.echo(f"Removed {len(removed)} unreferenced file(s).")


@evidence_group.command("list")
@click.argument("source", required=False)
@click.argument("target", required=False)
@click.option("--assumption", default=None, metavar="ID", help="Only items on this assumption.")
@pass_ctx
@domain_errors
def list_cmd(ctx: Context, source: str | None, target: str | None, assumption: str | None) -> None:
    """The recorded evidence, or that on the link SOURCE -> TARGET (or one assumption).

    Example: toc evidence list s1 so1.o1
    """
    items = ctx.store(read_only=True).evidence()
    if assumption is not None:
        items = [e for e in items if e.assumption == assumption]
    elif source is not None:
        items = [
            e for e in items if e.link and e.link.source == source
            and (target is None or e.link.target == target)
        ]  # fmt: skip
    for e in items:
        click.echo(_line(e))
    if not items:
        click.echo("No evidence recorded.")
    elif any(e.illustrative for e in items):
        click.echo(notice("en"))


@evidence_group.command("remove")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_AUTHOR
@pass_ctx
@domain_errors
def remove_cmd(ctx: Context, ids: Sequence[str], author: str) -> None:
    """Remove evidence items (the audit trail keeps them).

    Example: toc evidence remove ev3
    """
    ctx.store().remove_evidence(list(ids), author=author)
    click.echo(f"Removed {', '.join(ids)}.")


@evidence_group.command("prior")
@click.argument("source", required=False)
@click.argument("target", required=False)
@click.option("--assumption", default=None, metavar="ID", help="An Assumption instead of a link.")
@click.option("--set", "value", type=float, default=None, help="The prior, strictly in (0, 1).")
@click.option("--reset", is_flag=True, help="Back to the default prior (0.5).")
@_AUTHOR
@pass_ctx
@domain_errors
def prior_cmd(
    ctx: Context,
    source: str | None,
    target: str | None,
    assumption: str | None,
    value: float | None,
    reset: bool,
    author: str,
) -> None:
    """Set the prior confidence of the link SOURCE -> TARGET (or of --assumption), before any
    evidence: how plausible the link is on its own (default 0.5).

    Example: toc evidence prior s1 so1.o1 --set 0.7
    """
    if (value is None) == (not reset):
        raise click.UsageError("give --set P or --reset")
    _subject(source, target, assumption)  # one of the two, or a usage error
    key: Link | str = assumption if assumption is not None else Link(str(source), str(target))
    ctx.store().set_prior(key, None if reset else value, author=author)
    click.echo(f"Prior of {key}: {'default' if reset else value}.")


@evidence_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_AUTHOR
@pass_ctx
@domain_errors
def load_cmd(ctx: Context, file: Path, author: str) -> None:
    """Record the outcomes and evidence of a YAML file, all or none (see toc.learning_file).

    Example: toc evidence load examples/vvsg-evidence-illustrative.yaml
    """
    from toc.learning_file import load_learning

    evidence, outcomes = load_learning(file, today=dt.date.today())
    changes = ctx.store().add_learning(evidence, outcomes, author=author)
    new_o = sum(c.record == "outcome" for c in changes)
    new_e = len(changes) - new_o
    same = len(evidence) + len(outcomes) - len(changes)
    kept = f" ({same} already recorded as they are)" if same else ""
    click.echo(f"Recorded {new_o} outcome(s) and {new_e} evidence item(s){kept}.")


@click.group("outcomes")
def outcomes_group() -> None:
    """Harvested outcomes (outcome harvesting): add, list, cite one as evidence on a link.

    Example: toc outcomes add --near so2.o3 --title "Council adopts a participatory budget"
    --actor "Council of Bohicon" --author ann
    """


@outcomes_group.command("add")
@click.option("--near", multiple=True, required=True, metavar="NODE", help="A node it bears on.")
@click.option("--title", required=True)
@click.option("--description", default=None, help="What changed (default: the title).")
@click.option("--actor", "social_actor", required=True, help="Who changed.")
@click.option(
    "--when", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="When it happened (YYYY-MM-DD; default today).",
)  # fmt: skip
@click.option("--where", multiple=True, metavar="COUNTRY", help="A Country id (repeat).")
@click.option("--significance", default="")
@click.option("--contribution", default="", help="How the organisation contributed.")
@click.option(
    "--substantiated-by", "subs", multiple=True, metavar="WHO:VERDICT",
    help="A substantiator and agrees|partly|disagrees, e.g. 'Mayor:agrees' (repeat).",
)  # fmt: skip
@click.option("--negative", is_flag=True, help="A negative change (default positive).")
@click.option("--unplanned", is_flag=True, help="Not foreseen by the plan.")
@click.option("--id", "outcome_id", default=None, help="Its id (default ho1, ho2, ...).")
@_AUTHOR
@pass_ctx
@domain_errors
def outcomes_add(
    ctx: Context,
    near: Sequence[str],
    title: str,
    description: str | None,
    social_actor: str,
    when: dt.datetime | None,
    where: Sequence[str],
    significance: str,
    contribution: str,
    subs: Sequence[str],
    negative: bool,
    unplanned: bool,
    outcome_id: str | None,
    author: str,
) -> None:
    """Record a harvested outcome near one or more plan nodes.

    Example: toc outcomes add --near so3.o1 --title "Association joins the national
    dialogue" --actor "ANCB" --where country.bj --substantiated-by "Ministry:agrees"
    """
    store = ctx.store()
    substantiation = []
    for s in subs:
        who, _, verdict = s.rpartition(":")
        if not who:
            raise click.UsageError(f"--substantiated-by {s!r}: write WHO:VERDICT")
        if verdict not in {v.value for v in Verdict}:
            raise click.UsageError(f"--substantiated-by {s!r}: VERDICT is agrees|partly|disagrees")
        substantiation.append(Substantiation(who, Verdict(verdict)))
    today = dt.date.today()
    made = HarvestedOutcome(
        id=outcome_id or _free_id("ho", {c.key for c in store.learning_history("outcome")}),
        title=title,
        description=description or title,
        when=when.date() if when else today,
        social_actor=social_actor,
        near=tuple(near),
        author=author,
        where=tuple(where),
        significance=significance,
        contribution=contribution,
        substantiation=tuple(substantiation),
        valence=Valence.NEGATIVE if negative else Valence.POSITIVE,
        planning=Planning.UNPLANNED if unplanned else Planning.PLANNED,
    )
    if made.when > today:
        raise click.UsageError(f"--when {made.when} is after today")
    store.add_outcomes([made], author=author)
    click.echo(f"Recorded outcome {made.id} near {', '.join(made.near)}.")


@outcomes_group.command("list")
@click.option("--near", default=None, metavar="NODE", help="Only those near this node.")
@pass_ctx
@domain_errors
def outcomes_list(ctx: Context, near: str | None) -> None:
    """The harvested outcomes, or those near one node.

    Example: toc outcomes list --near so3.o1
    """
    outcomes = ctx.store(read_only=True).outcomes()
    if near is not None:
        outcomes = outcomes_near(outcomes, near)
    for o in outcomes:
        tags = [o.valence.value, o.planning.value] + (["illustrative"] if o.illustrative else [])
        click.echo(f"{o.id}  {o.when}  {o.title}  [{', '.join(tags)}]")
        click.echo(f"    who changed: {o.social_actor}; near {', '.join(o.near)}")
    if not outcomes:
        click.echo("No harvested outcomes recorded.")
    elif any(o.illustrative for o in outcomes):
        click.echo(notice("en"))


@outcomes_group.command("cite")
@click.argument("outcome")
@click.argument("source")
@click.argument("target")
@click.option("--contradicts", is_flag=True, help="It contradicts the link (default: supports).")
@click.option(
    "--strength", type=click.Choice(["weak", "moderate", "strong"]), default=None,
    help="Default: moderate when every substantiator agrees, weak otherwise.",
)  # fmt: skip
@click.option("--id", "item_id", default=None, help="The evidence id (default ev1, ev2, ...).")
@_AUTHOR
@pass_ctx
@domain_errors
def outcomes_cite(
    ctx: Context,
    outcome: str,
    source: str,
    target: str,
    contradicts: bool,
    strength: str | None,
    item_id: str | None,
    author: str,
) -> None:
    """Cite the harvested outcome OUTCOME as evidence on the link SOURCE -> TARGET.

    Example: toc outcomes cite ho1 s3 so3.o1
    """
    store = ctx.store()
    found = next((o for o in store.outcomes() if o.id == outcome), None)
    if found is None:
        raise click.ClickException(f"no harvested outcome {outcome!r}")
    item = cite(
        found,
        Link(source, target),
        id=item_id or _free_id("ev", {c.key for c in store.learning_history("evidence")}),
        author=author,
        says="contradicts" if contradicts else "supports",
        strength=strength,
    )
    store.add_evidence([item], author=author)
    click.echo(f"Recorded evidence {item.id}: {outcome} on {source} -> {target}.")
