"""The one place where the errors of the layers below become what a `toc` user sees.

Every command is wrapped in :func:`domain_errors`: an error the user can act on (a plan, an
indicator file, the store, a refused query, a file that cannot be written) becomes one clear
line and exit code 1, a file's list of problems is printed first, and a wrong query name or
parameter is a usage error (exit code 2). Anything else is a bug and keeps its traceback: no
bare ``ValueError`` is taken for the user's mistake.

The error classes are named by module, not imported: the heavy layers (pandas, Flask,
WeasyPrint) stay unloaded until a command needs them, and an exception can only be an
instance of a class whose module has been imported, so only loaded modules are consulted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

import click

from cli.options import print_problems

__all__ = ["ISSUE_LISTS", "ONE_LINE", "PROBLEM_LISTS", "USAGE", "domain_errors"]

P = ParamSpec("P")
R = TypeVar("R")

#: Errors that carry ``issues`` (validation of a whole file: errors and warnings).
ISSUE_LISTS = (("toc.errors", "PlanInvalid"), ("indicators.errors", "IndicatorsInvalid"))
#: Errors that carry ``problems`` (an import: sheet, row, column, reason).
PROBLEM_LISTS = (
    ("indicators.errors", "ImportFailed"),
    ("indicators.iati_import", "IatiImportFailed"),
)
#: Errors in how a command was called: exit code 2, like click's own.
USAGE = (("graphdb.evaluation", "UnknownQuery"), ("graphdb.evaluation.run", "ParameterError"))
#: Errors whose message is the whole story: one line, exit code 1.
ONE_LINE = (
    ("toc.errors", "PlanError"),
    ("toc.numbers", "NumberError"),
    ("graphdb.errors", "StoreError"),
    ("graphdb.cypher_guard", "QueryRefused"),
    ("indicators.errors", "IndicatorError"),
    ("indicators.model", "BadMoment"),
    ("indicators.periods", "PeriodError"),
    ("indicators.iati_export", "IatiExportError"),
    ("web.accounts", "AccountInputError"),
    ("web.report.build", "ReportError"),
)


def _loaded(names: Sequence[tuple[str, str]]) -> tuple[type[BaseException], ...]:
    """The classes named whose modules are imported (no other can have been raised)."""
    return tuple(getattr(sys.modules[m], name) for m, name in names if m in sys.modules)


def _explain(e: Exception) -> NoReturn:
    """Raise the click exception that tells the user about ``e``, or ``e`` itself."""
    if isinstance(e, _loaded(ISSUE_LISTS)):
        for issue in e.issues:  # type: ignore[attr-defined]
            click.echo(str(issue), err=True)
        errors = len(e.errors)  # type: ignore[attr-defined]
        raise click.ClickException(f"{errors} error(s); nothing was changed") from None
    if isinstance(e, _loaded(PROBLEM_LISTS)):
        print_problems(e.problems)  # type: ignore[attr-defined]
        raise click.ClickException(str(e)) from None
    if isinstance(e, _loaded(USAGE)):
        raise click.UsageError(str(e)) from None
    if isinstance(e, _loaded(ONE_LINE)):
        raise click.ClickException(str(e)) from None
    if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):
        # a file that cannot be written or read (-o into a missing folder); a broken pipe
        # (output piped into `head`) is left to click, which ends quietly
        where = f"{e.filename}: " if e.filename else ""
        raise click.ClickException(f"{where}{e.strerror or e}") from None
    raise e


def domain_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command, turning the errors a user can act on into a clear message."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as e:
            _explain(e)

    return wrapper
