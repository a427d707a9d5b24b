"""``toc report``: write the annual progress report (PDF or HTML) from the command line.

Thin over :mod:`web.report`, which is imported when the command runs (it loads Jinja and, for
a PDF, WeasyPrint), so ``toc --help`` stays fast. Exit codes as everywhere: 0 written, 1 the
store, the plan or the request has a problem (one line, no traceback), 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.options import lang_option, output_option
from indicators.rollup import RollupMethod

__all__ = ["report"]

_FORMATS = ("pdf", "html")


@click.command("report")
@click.option(
    "--year",
    type=int,
    metavar="YEAR",
    help="The year reported on: periods ending by 31 December count, as known at the end of "
    "that day; its periods are highlighted.",
)
@click.option(
    "--as-of",
    metavar="DATE",
    default=None,
    help="As known at the end of this date (ISO, e.g. 2029-03-31), or at an exact ISO "
    "date-time. With --year: that year's periods, as known then.",
)
@lang_option("Language of the report.")
@output_option("File to write (.pdf or .html).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default=None,
    help="pdf or html (default: from the output's extension).",
)
@click.option(
    "--rule",
    type=click.Choice([m.value for m in RollupMethod]),
    default="worst_of",
    show_default=True,
    help="How statuses roll up (see docs/indicators.md).",
)
@pass_ctx
@domain_errors
def report(
    ctx: Context,
    year: int | None,
    as_of: str | None,
    lang: str,
    output: Path,
    fmt: str | None,
    rule: str,
) -> None:
    """Write the progress report: pathway diagram with statuses, status per strategic
    objective and objective, indicator charts, IPTT, narrative comments and which figures
    are illustrative. Without --year and --as-of: as known now.

    \b
    Examples:
      toc report --year 2028 --lang nl -o report.pdf
      toc report --year 2028 --as-of 2029-03-31 -o report-2028.html
    """
    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        raise click.UsageError(
            f"cannot tell the format from {output.name!r}: name a .pdf or .html file, "
            "or give --format"
        )
    from indicators.rollup import RollupRule
    from web.report import build_report, render_html, render_pdf

    data = build_report(
        ctx.store(read_only=True),
        year=year,
        as_of=as_of,
        lang=lang,
        rule=RollupRule(RollupMethod(rule)),
    )
    body = render_pdf(data) if fmt == "pdf" else render_html(data).encode()
    try:
        output.write_bytes(body)
    except OSError as e:
        raise click.ClickException(f"cannot write {output}: {e.strerror or e}") from None
    moment = f"year {year}" if year is not None else "now"
    if as_of:
        moment = f"{moment if year is not None else 'figures'} as of {as_of}"
    click.echo(f"Wrote the {lang} report ({moment}) to {output} ({len(body):,} bytes).")
    if data.illustrative:
        click.echo(
            "Notice: the report contains illustrative (demo) indicators or values; "
            "they are marked in it."
        )
