"""The `toc` group and its plan commands: thin over the library, one store per invocation.

Exit codes: 0 success, 1 the plan or store has a problem (message on stderr, no traceback),
2 wrong usage.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.lazy import LazyGroup
from cli.options import default_author, lang_option, output_option
from graphdb import DEFAULT_STORE, default_location, open_store
from indicators.errors import StoreError
from toc import version_notes
from toc.diagram_formats import FORMATS
from toc.diff_report import FORMATS as DIFF_FORMATS
from toc.diff_report import format_diff
from toc.kinds import NODE_KINDS

__all__ = ["main"]

LANG = lang_option("Language of plan texts.")


#: Subcommands imported when they run (they need pandas, Flask, WeasyPrint...): name ->
#: (module, attribute, the one-line help ``toc --help`` shows).
LAZY_COMMANDS = {
    "evidence": (
        "cli.evidence",
        "evidence_group",
        "Evidence on causal links and assumptions: add, list,...",
    ),
    "iati": (
        "cli.iati",
        "iati",
        "The results framework as an IATI 2.03 activity file, and back.",
    ),
    "indicators": (
        "cli.indicators",
        "indicators_group",
        "Indicators and their measurements: definitions, values,...",
    ),
    "outcomes": (
        "cli.evidence",
        "outcomes_group",
        "Harvested outcomes (outcome harvesting): add, list, cite...",
    ),
    "query": (
        "cli.query",
        "query",
        "Evaluation queries: named questions about the plan graph,...",
    ),
    "report": (
        "cli.report",
        "report",
        "Write the progress report: pathway diagram with statuses,...",
    ),
    "serve": ("cli.serve", "serve", "Serve the web app on the store until stopped with Ctrl-C."),
    "status": (
        "cli.indicators",
        "status",
        "Progress along the pathway: every objective's own status,...",
    ),
    "story": (
        "cli.learning",
        "story",
        "The contribution story of an objective (contribution...",
    ),
    "users": ("cli.users", "users", "Manage the accounts of the web app."),
    "whatif": (
        "cli.learning",
        "whatif",
        "What removing strategies, partners, partnerships, countries...",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--store",
    envvar="TOC_STORE",
    default=None,
    metavar="PATH|URL",
    help=f"Store location: a file for the embedded store (default {DEFAULT_STORE}) "
    "or a neo4j:// URL. Env: TOC_STORE.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Settings file (TOML): store location, Neo4j user, password (file) and database; "
    "default ./pathways.toml or ~/.config/pathways/config.toml. Env: TOC_CONFIG.",
)
@click.version_option(package_name="toc-pathways")
@click.pass_context
def cli(ctx: click.Context, store: str | None, config: str | None) -> None:
    """Pathways: a theory of change and its outcome monitoring, stored as a graph.

    \b
    Typical use:
      toc load examples/vvsg-2027-2036.yaml
      toc show so2
      toc render --lang nl -o pathways.svg

    Exit codes: 0 success, 1 a problem with the plan or store, 2 wrong usage.
    """
    if config:
        os.environ["TOC_CONFIG"] = config
    try:
        location = store or default_location()
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    ctx.obj = Context(location)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@pass_ctx
@domain_errors
def init(ctx: Context) -> None:
    """Create an empty store (nothing happens if it exists).

    Example: toc --store data/pathways.lbug init
    """
    store = ctx.store()
    click.echo(f"Store ready at {store.location} (schema version {store.schema_version()})")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--author",
    default=default_author,
    envvar="TOC_USER",
    help="Who makes this change (env TOC_USER; default: login name).",
)
@click.option("--message", "-m", default="", help="Why: kept in the plan's history.")
@click.option("--dry-run", is_flag=True, help="Check and name the changed nodes, write nothing.")
@pass_ctx
@domain_errors
def load(ctx: Context, file: Path, author: str, message: str, dry_run: bool) -> None:
    """Check a plan file and make it the stored plan (all or nothing).

    Example: toc load examples/vvsg-2027-2036.yaml -m "initial plan"
    """
    from toc.planfile import load_with_issues

    plan, issues = load_with_issues(file)
    for issue in issues:
        click.echo(str(issue), err=True)
    if any(i.level == "error" for i in issues):
        errors = sum(i.level == "error" for i in issues)
        raise click.ClickException(f"{errors} error(s) in {file}; the store was not changed")
    store = ctx.store()
    if dry_run:
        from toc.diff import diff_plans
        from toc.diff_report import node_lines

        diff = diff_plans(store.load_plan(), plan)
        click.echo("Dry run: " + _summary(diff.summary()) if diff else "No changes.")
        for line in node_lines(diff):
            click.echo(line)
        return
    revision = store.save_plan(
        plan, author=author, message=message or version_notes.load_note(file.name)
    )
    kinds = Counter(n.kind for n in plan.nodes)
    if revision is None:
        click.echo(f"{file}: no changes; the store already holds this plan.")
        return
    click.echo(
        f"Loaded {file} into {store.location}: {len(plan.nodes)} nodes, {len(plan.edges)} links "
        f"(plan version {revision.version})."
    )
    click.echo("  " + ", ".join(f"{k} {kinds[k]}" for k in NODE_KINDS if kinds[k]))


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no changes"


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@domain_errors
def export(ctx: Context, file: Path) -> None:
    """Write the stored plan to a plan file (YAML; JSON when FILE ends in .json).

    Example: toc export backup.yaml
    """
    plan = ctx.store(read_only=True).load_plan()
    if file.suffix == ".json":
        from toc.document import encode

        file.write_text(json.dumps(encode(plan), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        from toc.planfile import dump

        dump(plan, file)
    click.echo(f"Wrote {len(plan.nodes)} nodes and {len(plan.edges)} links to {file}")


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@pass_ctx
@domain_errors
def check(ctx: Context, file: Path | None, strict: bool) -> None:
    """Validate a plan file, or the stored plan when no FILE is given.

    Exit code 1 when there are errors (or warnings, with --strict).

    Example: toc check examples/vvsg-2027-2036.yaml
    """
    from toc.planfile import load_with_issues
    from toc.validate import validate

    if file is not None:
        plan, issues = load_with_issues(file)
        what = str(file)
    else:
        plan = ctx.store(read_only=True).load_plan()
        issues = validate(plan)
        what = "the stored plan"
    for issue in issues:
        click.echo(str(issue))
    errors = sum(i.level == "error" for i in issues)
    warnings = len(issues) - errors
    kinds = Counter(n.kind for n in plan.nodes)
    click.echo(
        f"{what}: {len(plan.nodes)} nodes ({kinds['StrategicObjective']} strategic objectives, "
        f"{kinds['Objective']} objectives, {kinds['Strategy']} strategies), "
        f"{len(plan.edges)} links; {errors} error(s), {warnings} warning(s)"
    )
    if errors or (strict and warnings):
        sys.exit(1)


@cli.command()
@click.argument("node_id")
@LANG
@pass_ctx
@domain_errors
def show(ctx: Context, node_id: str, lang: str) -> None:
    """Show one node: its texts, fields and links.

    Example: toc show so2.o3 --lang nl
    """
    from toc.analysis import NodeNotFound

    store = ctx.store(read_only=True)
    node = store.get_node(node_id)
    if node is None:
        raise NodeNotFound(node_id)
    click.echo(f"{node.id}  ({node.kind})")
    click.echo(f"  {node.title.get(lang)}")
    if node.description:
        click.echo("")
        for para in node.description.get(lang).split("\n"):
            click.echo(f"  {para}")
    click.echo("")
    for key, value in node.props.items():
        shown = value.get(lang) if hasattr(value, "get") and hasattr(value, "nl") else value
        if isinstance(shown, tuple):
            shown = ", ".join(shown)
        click.echo(f"  {key}: {shown}")
    if node.source:
        click.echo(f"  source: {node.source}")
    if tuple(node.stated_in) != ("nl", "en"):
        click.echo(f"  stated only in: {', '.join(node.stated_in)}")
    if node.note:
        click.echo(f"  note: {node.note}")
    links = store.neighbours(node_id)
    if links:
        click.echo("\nLinks:")
        for direction, edge, other in sorted(links, key=lambda x: (x[0], x[1].kind, x[2].id)):
            arrow = "->" if direction == "out" else "<-"
            extra = f" [{edge.props['priority']}]" if "priority" in edge.props else ""
            click.echo(f"  {arrow} {edge.kind}{extra} {other.id}: {other.label(lang)}")


@cli.command()
@click.argument("source")
@click.argument("target", required=False)
@LANG
@pass_ctx
@domain_errors
def paths(ctx: Context, source: str, target: str | None, lang: str) -> None:
    """List the pathways from SOURCE up to TARGET, or to every strategic objective and SDG.

    Example: toc paths s1 sdg16
    """
    from toc.analysis import pathways

    plan = ctx.store(read_only=True).load_plan()
    found = pathways(plan, source, target)
    if not found:
        click.echo("No pathway found.")
        sys.exit(1)
    for path in found:
        click.echo(" -> ".join(path))
        click.echo("   " + " -> ".join(plan.node(i).label(lang)[:40] for i in path))
    click.echo(f"{len(found)} pathway(s)")


@cli.command()
@pass_ctx
@domain_errors
def gaps(ctx: Context) -> None:
    """Report structural gaps: objectives no strategy reaches, SDGs with no objective,
    strategies feeding nothing, objectives no indicator measures, nodes with no link (plan
    data such as budget lines and funding is not counted). Exit code 0 even when gaps exist.

    Example: toc gaps
    """
    from toc.analysis import find_gaps

    store = ctx.store(read_only=True)
    measured = {node for i in store.indicators() for node in i.measures}
    found = find_gaps(store.load_plan(), measured)
    for name, ids in found.items():
        label = name.replace("_", " ")
        click.echo(f"{label}: {', '.join(ids) if ids else 'none'}")


@cli.command()
@LANG
@pass_ctx
@domain_errors
def network(ctx: Context, lang: str) -> None:
    """Where the pathways are broad and where they are thin: the objectives each strategy
    feeds, nodes every pathway to an objective must pass through, and objectives that only
    one strategy reaches.

    Example: toc network --lang nl
    """
    from toc.network import single_points_of_failure, single_strategy_objectives, strategy_reach

    plan = ctx.store(read_only=True).load_plan()
    click.echo("Objectives each strategy feeds:")
    for strategy, objectives in strategy_reach(plan).items():
        label = plan.node(strategy).label(lang)[:50]
        click.echo(f"  {strategy} ({len(objectives)}) {label}: {', '.join(objectives) or '-'}")
    bottlenecks = single_points_of_failure(plan)
    click.echo("Single points of failure (on every pathway to the objective):")
    for objective, nodes in bottlenecks.items():
        click.echo(f"  {objective}: {', '.join(nodes)}")
    if not bottlenecks:
        click.echo("  none")
    single = single_strategy_objectives(plan)
    click.echo("Objectives reached by only one strategy:")
    for objective, strategy in single.items():
        click.echo(f"  {objective} <- {strategy}")
    if not single:
        click.echo("  none")


@cli.command(name="render")
@LANG
@click.option("--focus", metavar="ID", help="Only the pathways through this node.")
@click.option("--sdg", metavar="ID", help="Only what leads to this SDG (e.g. sdg16).")
@click.option("--country", metavar="ID", help="Only what is linked to this country.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from -o's suffix."
)
@output_option("File to write (.svg, .png, .pdf or .dot).")
@pass_ctx
@domain_errors
def render_cmd(
    ctx: Context,
    lang: str,
    focus: str | None,
    sdg: str | None,
    country: str | None,
    fmt: str | None,
    output: Path,
) -> None:
    """Draw the pathway-of-change diagram.

    Example: toc render --lang nl --focus so2 -o so2.svg
    """
    from toc.render import DiagramFilter, diagram_dot, render

    plan = ctx.store(read_only=True).load_plan()
    dot = diagram_dot(plan, lang, DiagramFilter(focus=focus, sdg=sdg, country=country))
    suffix = output.suffix.lstrip(".").lower()
    fmt = fmt or (suffix if suffix in (*FORMATS, "dot") else "svg")
    data = dot.encode() if fmt == "dot" else render(dot, fmt)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes)")


@cli.command()
@click.argument("cypher")
@click.option("--param", "-p", multiple=True, metavar="KEY=VALUE", help="Query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@pass_ctx
@domain_errors
def cypher(ctx: Context, cypher: str, param: tuple[str, ...], fmt: str) -> None:
    """Run a read-only Cypher query against the store.

    Example: toc cypher "MATCH (o:Objective) RETURN o.id, o.title_en ORDER BY o.id"
    """
    params = {}
    for item in param:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        params[key] = _parse_param(value)
    result = ctx.store(read_only=True).query(cypher, params)
    _print_rows(result.columns, result.rows, fmt)


def _parse_param(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=2,
                              ensure_ascii=False, default=str))  # fmt: skip
        return
    if fmt == "csv":
        from indicators.cells import write_csv

        write_csv(sys.stdout, columns, rows, lineterminator="\r\n")
        return
    from toc.cli_table import table_lines

    for line in table_lines(columns, rows, lang=os.environ.get("TOC_LANG") or "en", width=60):
        click.echo(line)


@cli.command()
@pass_ctx
@domain_errors
def history(ctx: Context) -> None:
    """List the saved versions of the plan.

    Example: toc history
    """
    for r in ctx.store(read_only=True).revisions():
        click.echo(
            f"v{r.version}  {r.saved_at}  {r.author or '-'}  {r.nodes} nodes, {r.edges} links"
            f"  {version_notes.shown(r.message)}"
        )


@cli.command(name="diff")
@click.argument("old", required=False, type=click.IntRange(min=0))
@click.argument("new", required=False, type=click.IntRange(min=0))
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="Changes from this date.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="...up to this date.")
@click.option(
    "--format", "fmt", type=click.Choice(DIFF_FORMATS), default="table", show_default=True
)
@pass_ctx
@domain_errors
def diff_command(
    ctx: Context, old: int | None, new: int | None, since: Any, until: Any, fmt: str
) -> None:
    """Compare two versions of the plan: nodes and links added, removed and changed, field by
    field in both languages, with who saved each version in between, when and why. Give two
    version numbers (0 is the empty plan before the first save; NEW defaults to the latest),
    or --from and --to dates (both included; --to defaults to today).

    Example: toc diff 1 3 --format md;  toc diff --from 2027-01-01 --to 2027-06-30
    """
    import datetime as dt

    store = ctx.store(read_only=True)
    if since is not None or until is not None:
        if old is not None or new is not None:
            raise click.UsageError("give two versions or --from/--to dates, not both")
        first = since.date() if since else dt.date.min + dt.timedelta(days=1)
        old, new = store.version_range(first, until.date() if until else dt.date.today())
    elif old is None:
        raise click.UsageError("give two versions (e.g. toc diff 1 2) or --from DATE")
    if new is None:
        new = store.plan_version()
    diff = store.diff_versions(old, new)
    click.echo(format_diff(diff, old, new, store.versions_between(old, new), fmt))


@cli.command()
@click.argument("version", type=click.IntRange(min=1))
@click.option("--message", "-m", required=True, help="Why: kept in the plan's history.")
@click.option(
    "--author",
    default=default_author,
    envvar="TOC_USER",
    help="Who makes this change (env TOC_USER; default: login name).",
)
@pass_ctx
@domain_errors
def restore(ctx: Context, version: int, message: str, author: str) -> None:
    """Make the plan as it was in VERSION the current plan again, as a new version (history
    is never rewritten). Refused, with nothing written, when indicators measure a node that
    VERSION does not have.

    Example: toc restore 3 -m "undo the merge of objectives 2.1 and 2.2"
    """
    store = ctx.store()
    revision = store.restore_version(version, author=author, message=message)
    if revision is None:
        click.echo(f"The plan already equals version {version}; nothing was saved.")
        return
    click.echo(
        f"Restored version {version} as version {revision.version} "
        f"({revision.nodes} nodes, {revision.edges} links)."
    )


@cli.command()
@pass_ctx
@domain_errors
def summary(ctx: Context) -> None:
    """Count the stored plan's nodes and links by kind.

    Example: toc summary
    """
    store = ctx.store(read_only=True)
    plan = store.load_plan()
    root = plan.root
    if root is not None:
        click.echo(f"{root.title.get('en')} (version {store.plan_version()})")
    for kind, count in sorted(Counter(n.kind for n in plan.nodes).items()):
        click.echo(f"  {kind:<20} {count}")
    for kind, count in sorted(Counter(e.kind for e in plan.edges).items()):
        click.echo(f"  {kind:<20} {count}")


@cli.command()
@click.option("--from", "source", required=True, metavar="PATH|URL", help="Store to copy.")
@click.option("--to", "target", required=True, metavar="PATH|URL", help="Empty store to fill.")
@domain_errors
def migrate(source: str, target: str) -> None:
    """Copy a whole store (plan and its history, accounts, indicators, measurements) into an
    empty one, e.g. from the embedded file to Neo4j or back, then check that both hold the
    same. Exit code 1 when the check finds a difference.

    Example: toc migrate --from data/pathways.lbug --to neo4j://localhost:7687
    """
    from graphdb.migrate import migrate as copy_store

    with open_store(source, read_only=True) as src, open_store(target) as dst:
        report = copy_store(src, dst)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise click.ClickException(f"{len(report.differences)} difference(s) after the copy")


def main() -> None:
    """Entry point of the `toc` console script."""
    cli(prog_name="toc")
