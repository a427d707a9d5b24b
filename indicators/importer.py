"""Import measurements from a spreadsheet: a CSV file or an XLSX workbook in long format (the
template of :mod:`indicators.template`, or any file with the same columns).

One row is one value: ``indicator``, ``period``, a column per disaggregation dimension (empty
on the row with the total), ``value`` or ``numerator`` and ``denominator`` (percentages) or
``level`` (ordinal) or ``narrative``, then ``comment``, ``evidence`` (links or file names
separated by ``;``) and ``illustrative`` (true/false). Rows with no value at all are "not
reported" and skipped. Columns of the measurement export (status, revision, ...) are accepted
and ignored, so an export can be imported back.

An import is a dry run first (:func:`check_file`): every problem is listed with sheet, row
and column as the user sees them in the spreadsheet (header row 1, first data row 2) and a
reason; nothing is silently coerced: text or a formula where a number belongs, an unknown
indicator, a period outside the plan, a duplicate row, a value for a dimension the indicator
does not have are all errors. :func:`commit` then appends one revision per changed
measurement, all or nothing, as ``submitted`` (or ``approved`` when an M&E officer imports
with ``approve``); a measurement whose latest revision already holds the same value is left
alone, so importing the same file twice changes nothing. Disaggregated parts that do not add
up to the total are warnings, kept as flags on the revision.

The steps live in their own modules: :mod:`indicators.import_read` (reading),
:mod:`indicators.import_check` (the cell checks) and :mod:`indicators.import_build` (the
revisions); this module runs them and commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from indicators.errors import ImportFailed, ImportProblem, PermissionDenied, RevisionConflict
from indicators.file_limits import ImportLimits
from indicators.import_build import build_revisions, latest_revisions
from indicators.import_check import (
    IGNORED_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    CheckedRows,
    check_frame,
)
from indicators.import_read import Table, formula_cells, read_table
from indicators.import_reasons import Why
from indicators.model import RevisionStatus, now_stamp
from indicators.store_protocol import IndicatorStorage
from indicators.system_notes import import_note
from indicators.workflow import may

__all__ = [
    "IGNORED_COLUMNS",
    "NUMBER_COLUMNS",
    "TEXT_COLUMNS",
    "CheckedRows",
    "ImportReport",
    "Table",
    "check_file",
    "check_frame",
    "commit",
    "formula_cells",
    "import_file",
    "read_table",
]

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    """The result of checking a file: problems, counts, and the revisions a commit appends."""

    file: str
    rows: int = 0
    measurements: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    revisions: pd.DataFrame | None = None
    expected_count: int = 0
    reading: str = ""
    #: How a CSV file was read, for a page to word in its language: separator, encoding (the
    #: codec name), decimal mark and whether the mark was given (empty for a workbook).
    read_as: tuple[str, str, str, bool] = ("", "", "", False)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def new(self) -> int:
        return 0 if self.revisions is None else len(self.revisions)

    @property
    def illustrative(self) -> int:
        """How many of the new revisions are illustrations (demo data)."""
        return 0 if self.revisions is None else int(self.revisions["illustrative"].sum())


def check_file(
    store: IndicatorStorage,
    path: str | Path,
    *,
    author: str,
    role: str = "contributor",
    approve: bool = False,
    illustrative: bool = False,
    sheet: str | None = None,
    now: str | None = None,
    progress: Progress | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    limits: ImportLimits | None = None,
    table: Table | None = None,
) -> ImportReport:
    """The dry run: read and check a file against the stored indicators and compare it with
    the stored values. Writes nothing. ``approve`` imports approved values (M&E officers).
    A CSV file's ``delimiter``, ``encoding`` and ``decimal`` mark are detected unless given
    (:func:`indicators.import_read.read_table`); the report says how it was read. A file
    beyond ``limits`` is refused before it is read
    (:class:`~indicators.file_limits.FileRefused`); ``table`` is the file as
    :func:`read_table` read it already (the command line reads it before it opens the store,
    so that a refused file costs no more than the check)."""
    step = progress or (lambda _label: None)
    action = "approve" if approve else "submit"
    if not may(role, action):
        raise PermissionDenied(f"a {role or 'user without role'} may not {action} values")
    step("reading")
    table = (
        table
        if table is not None
        else read_table(
            path, sheet, delimiter=delimiter, encoding=encoding, decimal=decimal, limits=limits
        )
    )
    step("checking")
    indicators = store.indicators()
    rows, problems = check_frame(table, indicators)
    notes = [ImportProblem.because(table.sheet, 0, "", n, "warning") for n in _notes(table)]
    report = ImportReport(
        str(path),
        rows=len(table.frame),
        problems=sorted([*problems, *notes]),
        reading=_reading(table, rows),
        read_as=_read_as(table, rows),
    )
    if report.errors or rows.empty:
        return report
    step("comparing")
    report.expected_count = store.revision_count()
    latest = latest_revisions(store, rows.codes())
    status = RevisionStatus.APPROVED if approve else RevisionStatus.SUBMITTED
    revisions, unchanged, warnings = build_revisions(
        rows,
        indicators,
        latest,
        status=status,
        author=author,
        role=role,
        now=now or now_stamp(),
        reason=import_note(Path(path).name, approved=approve),
        illustrative=illustrative,
        sheet=table.sheet,
    )
    report.measurements = int((~rows.part).sum())
    report.unchanged = unchanged
    report.revisions = revisions
    report.problems = sorted([*problems, *notes, *warnings])
    return report


def _notes(table: Table) -> tuple[Why, ...]:
    return table.dialect.notes if table.dialect is not None else ()


def _read_as(table: Table, rows: CheckedRows) -> tuple[str, str, str, bool]:
    if table.dialect is None:
        return ("", "", "", False)
    return (
        table.dialect.delimiter,
        table.dialect.encoding,
        rows.decimal,
        table.decimal is not None,
    )


def _reading(table: Table, rows: CheckedRows) -> str:
    """How a CSV file was read, in words (empty for a workbook)."""
    if table.dialect is None:
        return ""
    mark = "decimal comma" if rows.decimal == "," else "decimal point"
    given = " (given)" if table.decimal is not None else ""
    return f"{table.dialect.describe()}, {mark}{given}"


def commit(store: IndicatorStorage, report: ImportReport, progress: Progress | None = None) -> int:
    """Append the revisions of a checked file, all or nothing. Raises :class:`ImportFailed`
    when the report has errors and :class:`RevisionConflict` when values were recorded since
    the check (run the import again). Returns how many revisions were appended."""
    if report.errors:
        raise ImportFailed(report.file, report.problems)
    if report.revisions is None or report.revisions.empty:
        return 0
    if progress:
        progress("writing")
    try:
        return store.append_revisions(report.revisions, expected_count=report.expected_count)
    except RevisionConflict as e:
        raise RevisionConflict(
            f"{report.file}: values were recorded since the file was checked; nothing was "
            f"imported. Run the import again. ({e})"
        ) from None


def import_file(store: IndicatorStorage, path: str | Path, **options: Any) -> ImportReport:
    """Check a file and, when it has no errors, commit it (see :func:`check_file`)."""
    progress = options.get("progress")
    report = check_file(store, path, **options)
    if report.errors:
        raise ImportFailed(report.file, report.problems)
    commit(store, report, progress)
    return report
