"""``toc indicators ...`` and ``toc status``: the M&E officer's commands, thin over the library.

Errors of the indicator layer and the store print one clear line and exit with code 1; an
import with problems lists each (sheet, row, column, reason) first. Illustrative (demo)
indicators and values are marked wherever they are shown.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from cli.options import default_author, lang_option, output_option, print_problems
from graphdb.config import four_eyes_rule
from indicators import catalog, export, importer, system_notes
from indicators.definitions import indicator_periods
from indicators.errors import ImportFailed, IndicatorError, UnknownIndicator
from indicators.file_limits import ImportLimits
from indicators.model import IndicatorType, MeasurementValue, Part, Revision, stamp_cutoff
from indicators.pathway_status import node_status_rows, plan_status
from indicators.precision import PERCENT_DECIMALS, decimals
from indicators.rollup import RollupMethod
from indicators.status import assess_period
from indicators.template import ILLUSTRATIVE_NOTICE, write_template
from indicators.workflow import ROLES, Action, apply_step, chain, counting
from toc.cli_table import NULL, number_text
from toc.numbers import PLAIN, NumberError, read_number

__all__ = ["indicators_group", "status"]

LANG = lang_option("Language of titles.")
AS_OF = click.option(
    "--as-of",
    metavar="DATE",
    default=None,
    help="As known at the end of this date (ISO, e.g. 2028-06-30): "
    "reproduces an earlier report from the revision history.",
)


def _who(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--role",
        type=click.Choice(ROLES),
        default="me_officer",
        envvar="TOC_ROLE",
        show_default=True,
        help="Your role (env TOC_ROLE).",
    )(fn)
    return click.option(
        "--author",
        default=default_author,
        envvar="TOC_USER",
        help="Who makes this change (env TOC_USER; default: login name).",
    )(fn)


def _mark(illustrative: bool) -> str:
    return " [ILLUSTRATIVE]" if illustrative else ""


def _num(value: float | None, unit: str = "", places: int | None = None) -> str:
    """A figure on screen (:func:`toc.cli_table.number_text`, at ``places`` decimals when
    given: the indicator's precision); ``—`` for none."""
    if value is None or value != value:
        return NULL
    return number_text(float(value), places) + unit


@click.group(name="indicators")
def indicators_group() -> None:
    """Indicators and their measurements: definitions, values, review, spreadsheets.

    \b
    A typical cycle:
      toc indicators load examples/vvsg-indicators.yaml
      toc indicators template -o values-2028.xlsx --from 2028 --to 2028
      toc indicators import values-2028.xlsx --dry-run
      toc indicators import values-2028.xlsx
      toc indicators approve ind.so1.o2.twinnings 2028
      toc status

    Example: toc indicators list
    """


@indicators_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--message", "-m", default="", help="Why: kept with the definitions' versions.")
@click.option("--dry-run", is_flag=True, help="Check and show the changes, write nothing.")
@click.option("--author", default=default_author, envvar="TOC_USER", help="Who loads them.")
@pass_ctx
@domain_errors
def load_cmd(ctx: Context, file: Path, message: str, dry_run: bool, author: str) -> None:
    """Check an indicator definitions file against the stored plan and store it (all or
    nothing; every changed definition is kept as a new version).

    Example: toc indicators load examples/vvsg-indicators.yaml
    """
    result = catalog.load_definitions(
        ctx.store(), file, author=author, message=message, dry_run=dry_run
    )
    what = ", ".join(
        f"{len(v)} {k}"
        for k, v in (
            ("added", result.added),
            ("changed", result.changed),
            ("removed", result.removed),
        )
        if v
    )
    prefix = "Dry run: " if dry_run else ""
    count = len(result.file.indicators)
    click.echo(f"{prefix}{file}: {count} indicator(s); {what or 'no changes'}.")
    if result.file.notice:
        click.echo(f"Notice: {result.file.notice}")


@indicators_group.command("list")
@click.option("--node", metavar="ID", help="Only indicators measuring this node.")
@LANG
@pass_ctx
@domain_errors
def list_cmd(ctx: Context, node: str | None, lang: str) -> None:
    """List the indicators with what they measure and their current status.

    Example: toc indicators list --node so1.o2
    """
    result = plan_status(ctx.store(read_only=True))
    shown = [s for s in result.indicators.values() if node is None or node in s.indicator.measures]
    for s in shown:
        ind = s.indicator
        click.echo(
            f"{ind.code:<36} {s.status.value:<10} {ind.type.value:<10} "
            f"{', '.join(ind.measures):<14} {ind.title.get(lang)}{_mark(ind.illustrative)}"
        )
    click.echo(f"({len(shown)} indicator{'s' if len(shown) != 1 else ''})")
    if any(s.illustrative for s in shown):
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")


@indicators_group.command("show")
@click.argument("code")
@LANG
@AS_OF
@pass_ctx
@domain_errors
def show_cmd(ctx: Context, code: str, lang: str, as_of: str | None) -> None:
    """Show one indicator: its definition and, per period, target, actual and status.

    Example: toc indicators show ind.so1.o2.twinnings --lang nl
    """
    store = ctx.store(read_only=True)
    result = plan_status(store, as_of=as_of)
    if code not in result.indicators:
        raise UnknownIndicator(code)
    status = result.indicators[code]
    ind = status.indicator
    unit = " %" if ind.type is IndicatorType.PERCENTAGE else (f" {ind.unit}" if ind.unit else "")
    click.echo(
        f"{ind.code}  ({ind.type.value}, {ind.direction.value}"
        f"{', cumulative' if ind.cumulative else ''}){_mark(ind.illustrative)}"
    )
    click.echo(f"  {ind.title.get(lang)}")
    if ind.definition:
        click.echo(f"  {ind.definition.get(lang)}")
    click.echo(f"  measures: {', '.join(ind.measures)}")
    click.echo(
        f"  reported per {ind.frequency.value}"
        + (
            f" (fiscal year from month {ind.fiscal_year_start})"
            if ind.fiscal_year_start != 1
            else ""
        )
    )
    if ind.baseline:
        b = ind.baseline
        shown = b.level or _num(b.value, unit)
        click.echo(
            f"  baseline: {shown} on {b.date}" + (f" (source: {b.source})" if b.source else "")
        )
    if ind.end_target:
        e = ind.end_target
        click.echo(
            f"  end target: {e.level or _num(e.value, unit)}" + (f" by {e.date}" if e.date else "")
        )
    for dim in ind.dimensions:
        click.echo(f"  disaggregated by {dim.name}: {', '.join(dim.values)}")
    if ind.scale:
        click.echo(
            "  levels: " + "; ".join(f"{lv.code} = {lv.label.get(lang)}" for lv in ind.scale)
        )
    for label, text in (("numerator", ind.numerator), ("denominator", ind.denominator)):
        if text:
            click.echo(f"  {label}: {text.get(lang)}")
    for label, shown in (
        ("responsible", ind.responsible),
        ("data source", ind.data_source),
        ("verification", ind.verification),
        ("SDG indicators", ", ".join(ind.sdg_indicators)),
        ("note", ind.note),
    ):
        if shown:
            click.echo(f"  {label}: {shown}")
    by_period = {p.period.id: p for p in status.periods}
    click.echo("")
    click.echo(
        f"  {'period':<12} {'target':>10} {'expected':>10} {'actual':>10} {'% target':>9}  status"
    )
    for period in indicator_periods(ind):
        ps = by_period.get(period.id)
        target = ind.target_for(period.id)
        places = decimals(ind)
        target_text = (target.level or _num(target.value, places=places)) if target else NULL
        plain = assess_period(ind, period, None) if ps is None else None
        expected = ps.expected if ps else (plain.expected if plain else None)
        actual = (ps.level or _num(ps.actual, places=places)) if ps else NULL
        actual = "problem" if ps and ps.problem else actual
        click.echo(
            f"  {period.id:<12} {target_text:>10} {_num(expected, places=places):>10} "
            f"{actual:>10} {_num(ps.percent_of_target, '%', PERCENT_DECIMALS) if ps else NULL:>9}  "
            f"{ps.status.value if ps else 'no_data'}{_mark(ps.illustrative) if ps else ''}"
            + (f"  ! {'; '.join(ps.flags)}" if ps and ps.flags else "")
        )
    click.echo(f"\n  current status: {status.status.value}")
    for problem in status.problems:
        click.echo(f"  data problem (not counted): {problem}")
    if status.illustrative:
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")


@indicators_group.command("template")
@output_option("The .xlsx file to write.")
@click.option("--indicator", "codes", multiple=True, metavar="CODE", help="Only these (repeat).")
@click.option("--node", metavar="ID", help="Only indicators measuring this node.")
@click.option("--partner", metavar="ID", help="Only indicators this partner is responsible for.")
@click.option("--from", "first", type=int, metavar="YEAR", help="First year of the periods.")
@click.option("--to", "last", type=int, metavar="YEAR", help="Last year of the periods.")
@LANG
@pass_ctx
@domain_errors
def template_cmd(
    ctx: Context,
    output: Path,
    codes: tuple[str, ...],
    node: str | None,
    partner: str | None,
    first: int | None,
    last: int | None,
    lang: str,
) -> None:
    """Write a ready-to-fill XLSX template (drop-down lists of the allowed values).

    Example: toc indicators template -o values-2028.xlsx --from 2028 --to 2028
    """
    store = ctx.store(read_only=True)
    chosen = [
        i
        for i in store.indicators()
        if (not codes or i.code in codes)
        and (node is None or node in i.measures)
        and (partner is None or i.responsible == partner)
    ]
    unknown = set(codes) - {i.code for i in chosen}
    if unknown:
        raise UnknownIndicator(sorted(unknown)[0])
    if not chosen:
        raise IndicatorError("no indicators match; see `toc indicators list`")
    root = store.load_plan().root
    title = f"Measurements: {root.title.get(lang)}" if root else "Measurements"
    rows = write_template(chosen, output, lang=lang, first_year=first, last_year=last, title=title)
    click.echo(f"Wrote {output}: {len(chosen)} indicator(s), {rows} row(s) to fill.")
    if any(i.illustrative for i in chosen):
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")


@indicators_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and list every problem; write nothing.")
@click.option("--approve", is_flag=True, help="Import as approved (M&E officer or admin).")
@click.option("--sheet", default=None, help="XLSX sheet (default: Data, else the first).")
@click.option("--illustrative", is_flag=True, help="Mark every imported value illustrative.")
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "tab", "|"]),
    default=None,
    help="CSV: the column separator (default: detected from the header).",
)
@click.option(
    "--decimal",
    type=click.Choice([".", ","]),
    default=None,
    help="CSV: the decimal mark of the numbers (default: detected from the numbers).",
)
@click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="CSV: the text encoding, e.g. utf-8 or cp1252 (default: UTF-8, UTF-16 with a byte "
    "order mark, else Windows-1252 with a warning).",
)
@_who
@pass_ctx
@domain_errors
def import_cmd(
    ctx: Context,
    file: Path,
    dry_run: bool,
    approve: bool,
    sheet: str | None,
    illustrative: bool,
    delimiter: str | None,
    decimal: str | None,
    encoding: str | None,
    author: str,
    role: str,
) -> None:
    """Import values from a CSV or XLSX file in long format: a dry run first, then all or
    nothing. Unchanged values are skipped, so importing a file twice changes nothing. A
    CSV file from Excel in Dutch (semicolons, decimal commas) is read as it is. A file beyond
    the import limits (size, inflated size, cells: the TOC_IMPORT_MAX_* variables in
    docs/indicators.md) is refused before it is read.

    Example: toc indicators import values-2028.xlsx --dry-run
    """
    # Read (and check against the import limits) before the store is opened: a refused file
    # then costs no more memory than the check.
    table = importer.read_table(
        file,
        sheet,
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        limits=ImportLimits.from_environ(),
    )
    store = ctx.store()
    phases = ["reading", "checking", "comparing", "writing"]
    with click.progressbar(
        length=len(phases),
        label=f"Importing {file.name}",
        file=sys.stderr,
        show_eta=False,
        item_show_func=lambda s: s,
    ) as bar:
        done: list[str] = []

        def progress(phase: str) -> None:
            if done:
                bar.update(1, done[-1])
            done.append(phase)

        report = importer.check_file(
            store,
            file,
            author=author,
            role=role,
            approve=approve,
            illustrative=illustrative,
            sheet=sheet,
            progress=progress,
            table=table,
        )
        if report.errors:
            bar.update(len(phases) - bar.pos)
            raise ImportFailed(report.file, report.problems)
        if not dry_run:
            importer.commit(store, report, progress)
        bar.update(len(phases) - bar.pos)
    if report.reading:
        click.echo(f"Read {file.name} as {report.reading}.")
    print_problems(report.warnings)
    verb = "Would import" if dry_run else "Imported"
    status = "approved" if approve else "submitted"
    click.echo(
        f"{verb} {report.new} value(s) as {status} from {file} ({report.rows} row(s), "
        f"{report.measurements} measurement(s), {report.unchanged} unchanged, "
        f"{len(report.warnings)} warning(s))."
    )
    if report.illustrative:
        click.echo(f"{report.illustrative} of them are marked illustrative (demo values).")


@indicators_group.command("export")
@output_option("The .csv or .xlsx file to write.")
@click.option("--history", is_flag=True, help="Every revision, not only the latest.")
@AS_OF
@pass_ctx
@domain_errors
def export_cmd(ctx: Context, output: Path, history: bool, as_of: str | None) -> None:
    """Export all measurements in long format (importable again), with status and revision.

    Example: toc indicators export -o measurements.xlsx
    """
    store = ctx.store(read_only=True)
    before = stamp_cutoff(as_of) if as_of else None
    indicators = store.indicators(as_of=before)
    frame = export.measurement_rows(
        store.revision_frame(before=before), indicators, history=history, before=before
    )
    illustrative = bool(frame["illustrative"].any()) if len(frame) else False
    export.write_frames({"Measurements": frame}, output, illustrative=illustrative)
    click.echo(f"Wrote {len(frame)} row(s) to {output}.")
    if illustrative:
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")


@indicators_group.command("iptt")
@click.argument("node_id", required=False)
@output_option("Write to .csv or .xlsx (XLSX: one sheet per objective).", required=False)
@AS_OF
@LANG
@pass_ctx
@domain_errors
def iptt_cmd(
    ctx: Context, node_id: str | None, output: Path | None, as_of: str | None, lang: str
) -> None:
    """The indicator performance tracking table: per objective, indicator x period with
    baseline, target, actual, % of target and status (all objectives without NODE_ID).

    Example: toc indicators iptt so1 -o iptt-so1.xlsx
    """
    store = ctx.store(read_only=True)
    result = plan_status(store, as_of=as_of)
    plan = store.load_plan()
    if node_id is not None and plan.get(node_id) is None:
        raise IndicatorError(f"no node {node_id!r} in the plan")
    targets = (
        [node_id]
        if node_id
        else [n.id for n in plan.nodes if n.kind in ("StrategicObjective", "Objective")]
    )
    revisions = store.revision_frame(status="approved", before=result.before)
    frames = {t: export.iptt_frame(result, plan, revisions, t, lang=lang) for t in targets}
    frames = {k: v for k, v in frames.items() if len(v)}
    illustrative = any(bool(f["illustrative"].any()) for f in frames.values())
    if output:
        if not frames:
            raise IndicatorError("no indicators measure these objectives")
        export.write_frames(frames, output, illustrative=illustrative)
        click.echo(f"Wrote the IPTT of {len(frames)} objective(s) to {output}.")
    else:
        for target, frame in frames.items():
            click.echo(f"\n{target}")
            for row in frame.to_dict("records"):
                pct = row["percent_of_target"]
                places = decimals(result.indicators[row["indicator"]].indicator)
                click.echo(
                    f"  {row['indicator']:<34} {row['period']:<8} "
                    f"base {_cell(row['baseline'], places)}  target {_cell(row['target'], places)}"
                    f"  actual {_cell(row['actual'], places)}"
                    f"  {_num(pct, '%', PERCENT_DECIMALS):>7}"
                    f"  {row['status']}{_mark(row['illustrative'])}"
                    + (f"  ({_RULE_WORDS[row['to_date_rule']]})" if row["to_date_rule"] else "")
                )
    if illustrative:
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")


#: How the "to date" figure was made (indicators.to_date), as the IPTT says it.
_RULE_WORDS = {
    "sum": "sum of the periods, against the sum expected",
    "pooled_ratio": "all periods pooled, against the end target",
    "latest": "latest value, against the end target",
    "latest_level": "latest level, against the end target",
    "none": "no figure",
}


def _cell(value: Any, places: int | None = None) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return NULL
    return value if isinstance(value, str) else _num(float(value), places=places)


@indicators_group.command("history")
@click.argument("code")
@click.argument("period")
@pass_ctx
@domain_errors
def history_cmd(ctx: Context, code: str, period: str) -> None:
    """The full history of one measurement: every revision, who, when, what and why.

    Example: toc indicators history ind.so1.o2.twinnings 2028
    """
    store = ctx.store(read_only=True)
    if store.get_indicator(code) is None:
        raise UnknownIndicator(code)
    revisions = store.measurement_revisions(code, period)
    if not revisions:
        click.echo(f"{code} {period}: no values recorded.")
        return
    counted = counting(revisions)
    for r in revisions:
        v = r.value
        shown = (
            v.level
            or v.narrative
            or (f"{v.numerator:g}/{v.denominator:g}" if v.numerator is not None else _num(v.value))
        )
        mark = "  <- counts" if counted is not None and r.revision == counted.revision else ""
        click.echo(
            f"r{r.revision}  {r.recorded_at}  {r.status.value:<9} {r.author or '-'}"
            f" ({r.role or '-'})  value {shown}{_mark(r.illustrative)}{mark}"
        )
        for label, text in (
            ("why", system_notes.shown(r.reason)),
            ("review note", r.review_note),
            ("comment", v.comment),
            ("evidence", "; ".join(v.evidence)),
            ("flags", "; ".join(r.flags)),
        ):
            if text:
                click.echo(f"      {label}: {text}")
        for part in v.parts:
            dims = ", ".join(f"{d}={x}" for d, x in part.dims)
            number = part.level or (
                f"{part.numerator:g}/{part.denominator:g}"
                if part.numerator is not None
                else _num(part.value)
            )
            click.echo(f"      [{dims}] {number}")
    current = chain(revisions)[-1]
    click.echo(f"latest: r{current.revision} ({current.status.value})")


def _parse_part(text: str, kind: IndicatorType) -> Part:
    dims_text, sep, number = text.rpartition(":")
    if not sep:
        raise click.BadParameter(f"{text!r}: use DIM=VALUE[,DIM=VALUE]:NUMBER", param_hint="--part")
    dims = []
    for pair in dims_text.split(","):
        name, eq, value = pair.partition("=")
        if not eq:
            raise click.BadParameter(f"{pair!r} is not DIM=VALUE", param_hint="--part")
        dims.append((name.strip(), value.strip()))
    if kind is IndicatorType.ORDINAL:
        return Part(tuple(dims), level=number.strip())
    if kind is IndicatorType.PERCENTAGE:
        num, slash, den = number.partition("/")
        if not slash:
            raise click.BadParameter(
                "percentage parts are NUMERATOR/DENOMINATOR", param_hint="--part"
            )
        return Part(tuple(dims), numerator=_float(num), denominator=_float(den))
    return Part(tuple(dims), value=_float(number))


def _float(text: str) -> float:
    """A number typed on the command line: a decimal point, no grouping (toc.numbers)."""
    try:
        value = read_number(text, PLAIN)
    except NumberError as e:
        raise click.BadParameter(str(e)) from None
    if value is None:
        raise click.BadParameter("a number is required")
    return value


class _Number(click.ParamType):
    """A number option read with :func:`_float` (``inf``, ``1e400`` and ``1,5`` are refused
    with how to write the number)."""

    name = "number"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        try:
            return _float(value)
        except click.BadParameter as e:
            self.fail(e.message, param, ctx)


NUMBER = _Number()


@indicators_group.command("record")
@click.argument("code")
@click.argument("period")
@click.option("--value", type=NUMBER, help="The number (number, currency indicators).")
@click.option("--numerator", type=NUMBER, help="Percentage: the numerator.")
@click.option("--denominator", type=NUMBER, help="Percentage: the denominator.")
@click.option("--level", help="Ordinal: the level code.")
@click.option("--narrative", help="Narrative: the text.")
@click.option(
    "--part",
    "parts",
    multiple=True,
    metavar="DIM=VAL:NUMBER",
    help="A disaggregated value, e.g. sex=female:12 (repeat).",
)
@click.option("--comment", default="", help="A comment on the value.")
@click.option("--evidence", multiple=True, metavar="LINK", help="A link or file (repeat).")
@click.option("--draft", is_flag=True, help="Save as a draft instead of submitting.")
@click.option(
    "--base",
    type=int,
    default=None,
    metavar="N",
    help="The revision you edited (default: the latest); a different latest one is a conflict.",
)
@click.option("--reason", default="", help="Why (kept in the audit log).")
@click.option("--illustrative", is_flag=True, help="Mark the value illustrative (demo).")
@_who
@pass_ctx
@domain_errors
def record_cmd(
    ctx: Context,
    code: str,
    period: str,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    level: str | None,
    narrative: str | None,
    parts: tuple[str, ...],
    comment: str,
    evidence: tuple[str, ...],
    draft: bool,
    base: int | None,
    reason: str,
    illustrative: bool,
    author: str,
    role: str,
) -> None:
    """Record a value for one indicator and period (a new revision; submitted for review
    unless --draft).

    Example: toc indicators record ind.so1.o2.twinnings 2028 --value 32 --comment "annual survey"
    """
    store = ctx.store()
    ind = store.get_indicator(code)
    if ind is None:
        raise UnknownIndicator(code)
    measured = MeasurementValue(
        value=value,
        numerator=numerator,
        denominator=denominator,
        level=level,
        narrative=narrative,
        parts=tuple(_parse_part(p, ind.type) for p in parts),
        comment=comment,
        evidence=tuple(evidence),
    )
    action = Action.SAVE if draft else Action.SUBMIT
    revision = apply_step(
        store,
        code,
        period,
        action,
        author=author,
        role=role,
        base_revision=base,
        value=measured,
        reason=reason,
        illustrative=illustrative,
    )
    _report(code, period, revision)


def _report(code: str, period: str, revision: Revision | None) -> None:
    if revision is None:
        click.echo(f"{code} {period}: unchanged; nothing recorded.")
        return
    click.echo(
        f"{code} {period}: revision {revision.revision} ({revision.status.value})"
        f"{_mark(revision.illustrative)}"
    )
    for flag in revision.flags:
        click.echo(f"  warning: {flag}")


@indicators_group.command("approve")
@click.argument("code")
@click.argument("period")
@click.option("--base", type=int, default=None, metavar="N", help="The revision you reviewed.")
@click.option("--note", default="", help="A review note.")
@_who
@pass_ctx
@domain_errors
def approve_cmd(
    ctx: Context, code: str, period: str, base: int | None, note: str, author: str, role: str
) -> None:
    """Approve the submitted value of one indicator and period: from now on it counts.
    Approving a value you submitted yourself is recorded with a warning, or refused when the
    settings say ``[workflow] four_eyes = "refuse"`` (or TOC_FOUR_EYES=refuse).

    Example: toc indicators approve ind.so1.o2.twinnings 2028
    """
    revision = apply_step(
        ctx.store(),
        code,
        period,
        Action.APPROVE,
        author=author,
        role=role,
        base_revision=base,
        note=note,
        four_eyes=four_eyes_rule(),
    )
    _report(code, period, revision)


@indicators_group.command("return")
@click.argument("code")
@click.argument("period")
@click.option("--note", required=True, help="What to change (kept with the revision).")
@click.option("--base", type=int, default=None, metavar="N", help="The revision you reviewed.")
@_who
@pass_ctx
@domain_errors
def return_cmd(
    ctx: Context, code: str, period: str, note: str, base: int | None, author: str, role: str
) -> None:
    """Return a submitted value for a change, with a review note.

    Example: toc indicators return ind.so1.o2.twinnings 2028 --note "source missing"
    """
    revision = apply_step(
        ctx.store(),
        code,
        period,
        Action.RETURN,
        author=author,
        role=role,
        base_revision=base,
        note=note,
    )
    _report(code, period, revision)


@click.command("status")
@AS_OF
@click.option(
    "--rule",
    type=click.Choice([m.value for m in RollupMethod]),
    default="worst_of",
    show_default=True,
    help="How statuses roll up (see docs/indicators.md).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@LANG
@pass_ctx
@domain_errors
def status(ctx: Context, as_of: str | None, rule: str, fmt: str, lang: str) -> None:
    """Progress along the pathway: every objective's own status, the status of what
    contributes to it, and the assumptions to test (contributions on track, objective not).

    Example: toc status --as-of 2029-12-31 --rule weighted_mean
    """
    store = ctx.store(read_only=True)
    result = plan_status(store, as_of=as_of, rule=rule)
    titles = {n.id: n.label(lang) for n in store.load_plan().nodes}
    rows = node_status_rows(result, titles)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "as_of": as_of,
                    "rule": rule,
                    "illustrative": result.illustrative,
                    "nodes": rows,
                    "problems": result.problems(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if fmt == "csv":
        from indicators.cells import write_csv

        columns = list(rows[0]) if rows else ["node"]
        write_csv(sys.stdout, columns, (list(r.values()) for r in rows), lineterminator="\r\n")
        return
    header = f"Status{' as of ' + as_of if as_of else ''} (roll-up: {rule})"
    click.echo(header + (" -- ILLUSTRATIVE DEMO DATA" if result.illustrative else ""))
    click.echo(f"  {'node':<8} {'own':<10} {'contributions':<14} {'combined':<10} title")
    for row in rows:
        if row["kind"] == "Strategy" and row["own"] == "no_data":
            continue
        flag = "  << assumption to test" if row["assumption_to_test"] else ""
        click.echo(
            f"  {row['node']:<8} {row['own']:<10} {row['contributions']:<14} "
            f"{row['combined']:<10} {row['title'][:60]}{flag}"
        )
    problems = result.problems()
    if problems:
        click.echo("\nData problems (these figures do not count; enter corrected values):")
        for code, texts in problems.items():
            for text in texts:
                click.echo(f"  {code}: {text}")
    flagged = result.assumptions_to_test()
    if flagged:
        click.echo(
            f"\nAssumptions to test: {', '.join(flagged)}: what contributes to them is "
            "on track, yet they are not. Check the causal assumptions on their links."
        )
    if result.illustrative:
        click.echo(f"Notice: {ILLUSTRATIVE_NOTICE}")
