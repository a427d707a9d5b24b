"""Named errors of the indicator layer, each saying which file, line, row, indicator or period
is concerned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indicators.import_reasons import Why
from toc.errors import Issue, PlanError

if TYPE_CHECKING:
    from indicators.model import Revision

__all__ = [
    "ConflictError",
    "FileFormatError",
    "ImportFailed",
    "ImportProblem",
    "IndicatorError",
    "IndicatorsInUse",
    "IndicatorsInvalid",
    "PermissionDenied",
    "RevisionConflict",
    "StoreError",
    "UnknownIndicator",
    "WorkflowError",
]


class StoreError(Exception):
    """A store cannot do what was asked; the message says why and where.

    The root of every store error (``graphdb.errors`` builds on it): defined here, in the
    indicator domain, so that the indicator services can name the errors of the store they
    are given (:mod:`indicators.store_protocol`) without importing the stores.
    """


class RevisionConflict(StoreError):
    """Revisions were appended since the caller read the log (or a revision number is
    taken); nothing was written. Read again and retry."""


class IndicatorsInUse(PlanError):
    """A plan change would remove or re-kind nodes that indicators measure (a
    :class:`toc.errors.PlanError`, so every caller of ``save_plan`` reports it).

    ``measured`` maps each such node id to the codes of the indicators measuring it.
    """

    def __init__(self, measured: dict[str, list[str]]) -> None:
        self.measured = measured
        listing = "; ".join(f"{node}: {', '.join(codes)}" for node, codes in measured.items())
        PlanError.__init__(
            self,
            f"the new plan removes or changes the kind of {len(measured)} node(s) that "
            f"indicators measure ({listing}). Change those indicators first "
            "(toc indicators load), then load the plan again; nothing was changed.",
        )


class IndicatorError(Exception):
    """Something about indicators or measurements cannot be done; the message says why."""


class FileFormatError(IndicatorError, ValueError):
    """A file name whose extension names no format that can be written."""


class IndicatorsInvalid(IndicatorError):
    """An indicator file or set has errors; ``issues`` lists all of them (with warnings)."""

    def __init__(self, issues: Sequence[Issue], file: str | None = None) -> None:
        self.issues = list(issues)
        self.file = file
        errors = self.errors
        super().__init__(
            f"{len(errors)} error(s) in the indicators:\n" + "\n".join(f"  {i}" for i in errors)
        )

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]


class UnknownIndicator(IndicatorError):
    """No indicator has this code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"no indicator {code!r} (see `toc indicators list`)")


class WorkflowError(IndicatorError):
    """A step of the review workflow is not allowed from where the measurement stands.

    ``reason`` names the rule (``"period"``, ``"value_required"``, ``"invalid_value"``,
    ``"transition"``, ``"note_required"``, ``"returned_unedited"``, ``"permission"``,
    ``"system_reason"``: a person's reason that would read as the system's note) and
    ``details`` its particulars, so a page can say it in its own language; the message is
    the English text the command line and the API show.
    """

    def __init__(
        self,
        message: str,
        indicator: str = "",
        period: str = "",
        reason: str = "",
        details: dict[str, object] | None = None,
    ) -> None:
        self.indicator, self.period = indicator, period
        self.reason, self.details = reason, dict(details or {})
        where = f"{indicator} {period}: " if indicator else ""
        super().__init__(where + message)


class PermissionDenied(WorkflowError):
    """The role given may not take this step."""


class ConflictError(IndicatorError):
    """Someone else changed the measurement since the edited revision was read.

    ``latest`` is the revision now current, ``rejected`` the input that was refused; it was
    kept in the log as a draft flagged ``conflict`` (``kept`` is True), so nothing is lost.
    """

    def __init__(self, latest: Revision | None, rejected: Revision, kept: bool = True) -> None:
        self.latest, self.rejected, self.kept = latest, rejected, kept
        now = (
            f"revision {latest.revision} ({latest.status.value}) by {latest.author or '-'} "
            f"at {latest.recorded_at}"
            if latest
            else "a different state"
        )
        kept_note = (
            f"; your input is kept as revision {rejected.revision} (draft, flagged conflict)"
            if kept
            else ""
        )
        super().__init__(
            f"{rejected.indicator} {rejected.period}: conflict: you edited revision "
            f"{rejected.base_revision}, but the measurement is now at {now}{kept_note}. "
            "Review the latest revision and apply your change to it."
        )


@dataclass(frozen=True, order=True)
class ImportProblem:
    """One problem of an import file: where (sheet, row and column as the user sees them in
    the spreadsheet, header row included; row 0 for the file as a whole, e.g. its encoding)
    and why. ``level`` is "error" or "warning".

    ``reason`` is the English text (the command line's); ``code`` and ``params`` the same
    reason as a code of :data:`indicators.import_reasons.REASONS` and its particulars, so that
    a page can word it in its own language (empty for a reason a page worded already)."""

    sheet: str
    row: int
    column: str
    reason: str
    level: str = "error"
    code: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def because(
        cls, sheet: str, row: int, column: str, why: Why, level: str = "error"
    ) -> ImportProblem:
        """The problem at (sheet, row, column) for the reason ``why``."""
        return cls(sheet, row, column, why.text, level, why.code, why.params)

    def __str__(self) -> str:
        where = f"{self.sheet} " if self.sheet else ""
        where += f"row {self.row}" if self.row else "file"  # row 0: the file as a whole
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.level}: {self.reason}"


class ImportFailed(IndicatorError):
    """An import file has errors; nothing was written. ``problems`` lists all of them."""

    def __init__(self, file: str, problems: Sequence[ImportProblem]) -> None:
        self.file = file
        self.problems = list(problems)
        errors = [p for p in self.problems if p.level == "error"]
        super().__init__(f"{file}: {len(errors)} problem(s); nothing was imported")
