"""``toc iati export``, ``toc iati import`` and ``toc iati validate``: the results framework as
an IATI 2.03 file and back, and any file checked, thin over :mod:`indicators.iati_export`,
:mod:`indicators.iati_import` and :mod:`indicators.iati_validate`.

Exit codes as everywhere: 0 success, 1 a problem with the file, plan or store (one clear
line, after the list of problems for an import), 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.options import LANGUAGES, default_author, output_option, print_problems

__all__ = ["iati"]


@click.group(name="iati")
def iati() -> None:
    """The results framework as an IATI 2.03 activity file, and back.

    \b
    Export: results, indicators, baselines, targets and approved values, with the
    reporting organisation and identifier from a configuration file:
      toc iati export --config examples/iati-vvsg.toml -o vvsg-iati.xml
    Import the results of every activity of an IATI file (2.01-2.03), all or nothing:
      toc iati import results.xml --dry-run
      toc iati import results.xml

    Example: toc iati export --config examples/iati-vvsg.toml -o vvsg-iati.xml --lang nl
    """


@iati.command("export")
@output_option("The .xml file to write.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="TOC_IATI_CONFIG",
    help="IATI settings (TOML): reporting organisation, activity identifier. Env: TOC_IATI_CONFIG.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Default language of the narratives (default: the configuration's).",
)
@click.option(
    "--as-of",
    metavar="DATE",
    default=None,
    help="As known at the end of this date (ISO, e.g. 2028-06-30): definitions and approved "
    "values recorded by then.",
)
@click.option(
    "--include-imported",
    is_flag=True,
    help="Also publish results imported from other organisations' IATI files (their "
    "publisher named as participating-org).",
)
@pass_ctx
@domain_errors
def export_cmd(
    ctx: Context,
    output: Path,
    config_path: Path | None,
    lang: str | None,
    as_of: str | None,
    include_imported: bool,
) -> None:
    """Write the results framework as an IATI 2.03 activity file. Only approved values are
    actuals; the file is checked against the IATI rules the schema does not cover before it
    is written. Illustrative (demo) data is marked as such in the file.

    Example: toc iati export --config examples/iati-vvsg.toml -o vvsg-iati.xml
    """
    from indicators.iati_config import load_config
    from indicators.iati_export import export_bytes
    from indicators.model import stamp_cutoff

    config = load_config(config_path)
    try:
        before = stamp_cutoff(as_of) if as_of else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--as-of") from None
    store = ctx.store(read_only=True)
    indicators = store.indicators(as_of=before)
    data = export_bytes(
        store.load_plan(),
        indicators,
        store.revision_frame(before=before),
        config,
        lang=lang,
        before=before,
        include_imported=include_imported,
    )
    output.write_bytes(data)
    results = data.count(b"<result ")
    shown = [i for i in indicators if include_imported or not i.origin]
    click.echo(f"Wrote {output}: {results} result(s), {len(shown)} indicator(s).")
    if len(shown) < len(indicators):
        click.echo(
            f"{len(indicators) - len(shown)} imported indicator(s) left out "
            "(--include-imported publishes them)."
        )
    if b"ILLUSTRATIVE DATA." in data:
        click.echo("Notice: the file holds illustrative (demo) data and says so.")
    if config.example:
        click.echo("Notice: the identifiers are made-up examples; do not publish this file.")


@iati.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and list every problem; write nothing.")
@click.option(
    "--activity",
    metavar="ID",
    help="Import only the activity with this iati-identifier (default: every activity of "
    "the file).",
)
@click.option(
    "--author",
    default=default_author,
    envvar="TOC_USER",
    help="Who imports (env TOC_USER; default: login name).",
)
@click.option(
    "--role",
    type=click.Choice(["viewer", "contributor", "me_officer", "admin"]),
    default="me_officer",
    envvar="TOC_ROLE",
    show_default=True,
    help="Your role: values are imported as approved, so an M&E officer or admin.",
)
@pass_ctx
@domain_errors
def import_cmd(
    ctx: Context, file: Path, dry_run: bool, activity: str | None, author: str, role: str
) -> None:
    """Import the results of an IATI file (2.01-2.03), every activity or the one named with
    --activity: results become nodes of the
    plan, indicators definitions, actuals approved values noting the file as their source.
    The whole file is checked first; a file with any error changes nothing, and every
    problem is listed with its line and XPath.

    Example: toc iati import vvsg-iati.xml --dry-run
    """
    from indicators.file_limits import ImportLimits, check_size
    from indicators.iati_import import IatiImportFailed, check_file, commit

    if file.is_file():  # the file is read whole: held to the import file size first
        check_size(file, ImportLimits.from_environ())
    store = ctx.store()
    report = check_file(store, file, author=author, role=role, activity_id=activity)
    if report.errors:
        raise IatiImportFailed(report.file, report.problems)
    if not dry_run:
        commit(store, report)
    print_problems(report.warnings)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {report.activity or file}: {report.results} result(s), "
        f"{len(report.new_nodes)} new node(s), {len(report.added)} indicator(s) added, "
        f"{len(report.changed)} changed, {len(report.revisions)} value(s) approved "
        f"({report.unchanged} unchanged), {len(report.warnings)} warning(s)."
    )
    if report.illustrative:
        click.echo(f"{report.illustrative} of the values are marked illustrative (demo values).")


@iati.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@domain_errors
def validate_cmd(file: Path) -> None:
    """Check any IATI activity file against the IATI 2.03 schema and the ruleset rules the
    schema leaves out; every problem with its line and XPath. Exit code 1 when there is one.

    Example: toc iati validate vvsg-iati.xml
    """
    from indicators.errors import IndicatorError
    from indicators.file_limits import ImportLimits, check_size
    from indicators.iati_validate import validate_file

    if not file.is_file():
        raise IndicatorError(f"{file}: no such file")
    check_size(file, ImportLimits.from_environ())
    problems = validate_file(file)
    for problem in problems[:500]:
        click.echo(
            f"{file}:{problem.line}: {problem.xpath or '/'}: [{problem.rule}] {problem.message}"
        )
    if problems:
        raise click.ClickException(f"{file}: {len(problems)} problem(s)")
    click.echo(f"{file}: valid IATI 2.03 (schema and ruleset rules)")
