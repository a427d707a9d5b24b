"""Importing measurements from a file: upload, dry run, confirm.

Contributors, M&E officers and admins upload a filled template (XLSX) or a CSV file in long
format (:mod:`indicators.importer`). The file is kept on the server under a random token
(:mod:`web.uploads`) and checked without writing anything: the page lists every problem with
sheet, row, column and reason, or summarises what would be written. Confirming imports it
all or nothing; cancelling removes the file.

Contributors may import values only for indicators in their scope (:mod:`web.scope`): the
server reports every row of another indicator as a problem, so such a file cannot be
imported. M&E officers and admins may import values as approved.

What the user confirms is what is written: if values were recorded between the dry run and
the confirmation, the file is checked again and the new report shown for confirmation.

A file beyond the import limits (:mod:`indicators.file_limits`: its size, and for a workbook
what it inflates to and how many cells it spans) is refused with the limit it broke: its
size and archive directory as soon as it arrives (it is not kept), the rest when it is
checked.

A CSV file's separator, encoding and decimal mark are detected (:mod:`indicators.import_read`)
and the check says how it was read; the user may give them instead, on the upload form or on
the check page, and they travel with the check (query and confirmation) as :data:`OPTIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField

from graphdb.indicator_store import RevisionConflict
from indicators import importer
from indicators.errors import ImportProblem, IndicatorError, PermissionDenied
from indicators.file_limits import FileRefused, ImportLimits, check_csv
from indicators.importer import ImportReport
from indicators.xlsx_guard import check_archive
from web.access import requires
from web.file_refusals import refusal_text
from web.scope import concerned
from web.store import current_plan, get_store
from web.uploads import SUFFIXES, Upload, UploadError, UploadFolder

__all__ = ["OPTIONS", "bp", "init_app", "scope_problems"]

bp = Blueprint("imports", __name__, url_prefix="/import")

_KEY = "pathways.uploads"
_LIMITS = "pathways.import_limits"
#: Revisions shown in the summary of a dry run.
PREVIEW_ROWS = 200


#: How a CSV file may be read, as the upload form and the check page offer it: option ->
#: allowed values ("" = detect).
OPTIONS: dict[str, tuple[str, ...]] = {
    "delimiter": ("", ",", ";", "tab", "|"),
    "decimal": ("", ",", "."),
    "encoding": ("", "utf-8", "utf-16", "cp1252"),
}


def _choices() -> dict[str, list[tuple[str, str]]]:
    names = {
        ",": _l("comma (,)"),
        ";": _l("semicolon (;)"),
        "tab": _l("tab"),
        "|": _l("vertical bar (|)"),
        ".": _l("point (12.5)"),
        "utf-8": "UTF-8",
        "utf-16": "UTF-16",
        "cp1252": _l("Windows-1252 (Excel on Windows)"),
    }
    decimal = {",": _l("comma (12,5)"), ".": _l("point (12.5)")}
    return {
        option: [
            (v, _l("detect") if not v else (decimal[v] if option == "decimal" else names[v]))
            for v in values
        ]
        for option, values in OPTIONS.items()
    }


class UploadForm(FlaskForm):
    file = FileField(_l("File (XLSX or CSV)"), render_kw={"accept": ",".join(SUFFIXES)})
    approve = BooleanField(_l("Import the values as approved (no review)"))
    delimiter = SelectField(_l("CSV: column separator"), choices=[], validate_choice=False)
    decimal = SelectField(_l("CSV: decimal mark"), choices=[], validate_choice=False)
    encoding = SelectField(_l("CSV: encoding"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for option, choices in _choices().items():
            getattr(self, option).choices = choices


class CsvOptions(TypedDict, total=False):
    """How to read a CSV file, as chosen on the pages (:data:`OPTIONS`); an option left out
    is detected. The keys are keyword arguments of :func:`indicators.importer.check_file`."""

    delimiter: str
    decimal: str
    encoding: str


def _options(values: Mapping[str, str]) -> CsvOptions:
    """The CSV reading options in a request's values (unknown values mean "detect")."""

    def chosen(option: str) -> str:
        value = values.get(option, "")
        return value if value in OPTIONS[option] else ""

    found = CsvOptions()
    if delimiter := chosen("delimiter"):
        found["delimiter"] = delimiter
    if decimal := chosen("decimal"):
        found["decimal"] = decimal
    if encoding := chosen("encoding"):
        found["encoding"] = encoding
    return found


def init_app(app: Flask) -> None:
    """The folder of kept uploads (``IMPORT_FOLDER``, default ``uploads`` in the instance
    folder; ``IMPORT_MAX_AGE_SECONDS``) and the limits an import file is held to
    (``IMPORT_MAX_BYTES`` and the other ``IMPORT_MAX_*`` keys: :mod:`indicators.file_limits`)."""
    limits = ImportLimits.from_config(app.config)
    app.extensions[_LIMITS] = limits
    app.extensions[_KEY] = UploadFolder(
        Path(app.config.get("IMPORT_FOLDER") or Path(app.instance_path) / "uploads"),
        max_bytes=limits.file_bytes,
        max_age=float(app.config.get("IMPORT_MAX_AGE_SECONDS", 3600)),
    )
    app.jinja_env.filters["timestamp"] = _timestamp
    app.register_blueprint(bp)


def uploads() -> UploadFolder:
    return current_app.extensions[_KEY]


def limits() -> ImportLimits:
    return current_app.extensions[_LIMITS]


def _refused_on_arrival(upload: Upload) -> str:
    """Why an upload is refused as soon as it is kept (its size and characters for CSV, its
    archive's directory for XLSX: nothing inflated yet); "" when it is not."""
    try:
        if upload.path.suffix.lower() == ".xlsx":
            check_archive(upload.path, limits(), upload.filename)
        else:
            check_csv(upload.path, limits(), upload.filename)
    except FileRefused as e:
        return refusal_text(e, upload.filename)
    return ""


_UPLOAD_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large: at most %(size)s MB."),
    "file_type": _l("Upload an XLSX workbook or a CSV file."),
    "encrypted": _l(
        "The workbook is password-protected (encrypted) or an old .xls file: save it as an "
        ".xlsx workbook without a password."
    ),
}


@bp.route("", methods=["GET", "POST"])
@requires("submit")
def index() -> Response | str:
    """The upload form, and the files to download."""
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data
        if not data or not getattr(data, "filename", ""):
            form.file.errors.append(_("Choose a file."))
        else:
            try:
                upload = uploads().save(
                    data.stream,
                    data.filename,
                    owner=current_user.username,
                    approve=bool(form.approve.data) and current_user.can("review"),
                )
            except UploadError as e:
                message = str(_UPLOAD_MESSAGES[e.code])
                form.file.errors.append(
                    message % {"size": _max_mb()} if "%(" in message else message
                )
            else:
                refused = _refused_on_arrival(upload)
                if not refused:
                    options = _options({o: getattr(form, o).data or "" for o in OPTIONS})
                    return redirect(url_for("imports.upload", token=upload.token, **options))
                uploads().discard(upload.token)
                form.file.errors.append(refused)
    return render_template("imports/index.html", form=form, suffixes=SUFFIXES, max_mb=_max_mb())


def _max_mb() -> str:
    return f"{uploads().max_bytes / (1024 * 1024):g}"


def _timestamp(seconds: float) -> str:
    """A POSIX time for display in the request's locale and time zone."""
    return format_datetime(dt.datetime.fromtimestamp(seconds, dt.UTC), "medium")


def scope_problems(
    path: Path, sheet_name: str | None = None, options: CsvOptions | None = None
) -> list[ImportProblem]:
    """A problem for every row of an indicator outside the signed-in user's scope
    (``options``: how to read a CSV file, see :data:`OPTIONS`)."""
    if current_user.can("review"):
        return []
    table = importer.read_table(path, limits=limits(), **(options or {}))
    column = next((c for c in table.frame.columns if str(c).strip().lower() == "indicator"), None)
    if column is None:
        return []
    plan = current_plan()
    allowed: dict[str, bool] = {}
    known = {i.code: i for i in get_store().indicators()}
    letter = table.letters.get(str(column))
    where = f"{letter} (indicator)" if letter else "indicator"
    problems = []
    for pos, cell in enumerate(table.frame[column].tolist()):
        code = str(cell).strip()
        ind = known.get(code)
        if ind is None:
            continue  # unknown codes are the importer's to report
        if code not in allowed:
            allowed[code] = current_user.in_scope(concerned(plan, ind.measures))
        if not allowed[code]:
            problems.append(
                ImportProblem(
                    sheet_name or table.sheet,
                    table.header_row + 1 + pos,
                    where,
                    _(
                        "%(code)s is outside your scope: you may enter values only for "
                        "indicators that concern your partners, partnerships or countries.",
                        code=code,
                    ),
                )
            )
    return problems


def _check(upload: Upload, options: CsvOptions) -> tuple[ImportReport | None, str]:
    """The dry run of an upload: (report, error message when the file cannot be read)."""
    try:
        report = importer.check_file(
            get_store(),
            upload.path,
            author=current_user.username,
            role=current_user.role,
            approve=upload.approve,
            limits=limits(),
            **options,
        )
        outside = scope_problems(upload.path, options=options)
    except PermissionDenied:
        abort(403)
    except FileRefused as e:
        return None, refusal_text(e, upload.filename)
    except IndicatorError as e:
        return None, str(e).replace(str(upload.path), upload.filename)
    if outside:
        report.problems = sorted([*report.problems, *outside])
        report.revisions = None
    return report, ""


def _page(
    upload: Upload,
    report: ImportReport | None,
    error: str,
    options: CsvOptions,
    notice: str = "",
) -> str:
    rows = []
    if report is not None and report.revisions is not None:
        rows = report.revisions.head(PREVIEW_ROWS).to_dict("records")
    return render_template(
        "imports/report.html",
        upload=upload,
        report=report,
        error=error,
        notice=notice,
        preview=rows,
        preview_limit=PREVIEW_ROWS,
        options=options,
        choices=_choices(),
        is_csv=Path(upload.filename).suffix.lower() in (".csv", ".txt"),
    )


@bp.route("/<token>", methods=["GET", "POST"])
@requires("submit")
def upload(token: str) -> Response | str:
    """The dry run of an uploaded file (GET); import or cancel it (POST)."""
    kept = uploads().get(token, current_user.username)
    if kept is None:
        flash(_("This upload is no longer available; upload the file again."), "warning")
        return redirect(url_for("imports.index"))
    if request.method == "POST" and request.form.get("action") == "cancel":
        uploads().discard(token)
        flash(_("Import cancelled; nothing was written."), "info")
        return redirect(url_for("imports.index"))
    options = _options(request.values)
    report, error = _check(kept, options)
    count = report.expected_count if report is not None and report.revisions is not None else None
    if request.method == "GET" or report is None or report.errors:
        kept = uploads().checked(kept, count) if count is not None else kept
        return _page(kept, report, error, options)
    if not report.new:
        uploads().discard(token)
        flash(_("Nothing to import: every value in the file is stored already."), "info")
        return redirect(url_for("imports.index"))
    if kept.checked_count is None or count != kept.checked_count:
        if kept.checked_count is None:
            notice = _("Look at the check of the file below, then confirm to import it.")
        else:
            notice = _(
                "Values were recorded since you checked this file. Here is the new check: "
                "confirm again to import it."
            )
        kept = uploads().checked(kept, count) if count is not None else kept
        return _page(kept, report, error, options, notice)
    try:
        written = importer.commit(get_store(), report)
    except RevisionConflict:
        notice = _(
            "Values were recorded while the file was being imported; nothing was written. "
            "Check the new report and confirm again."
        )
        report, error = _check(kept, options)
        if report is not None and report.revisions is not None:
            kept = uploads().checked(kept, report.expected_count)
        return _page(kept, report, error, options, notice)
    uploads().discard(token)
    flash(
        _("Imported %(count)s value(s) from %(file)s.", count=written, file=kept.filename),
        "success",
    )
    return redirect(url_for("imports.index"))
