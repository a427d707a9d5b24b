"""Command-line options that several ``toc`` commands share, defined once.

>>> import click
>>> @click.command()
... @lang_option("Language of the titles.")
... def hello(lang): click.echo(lang)
>>> from click.testing import CliRunner
>>> CliRunner().invoke(hello, ["--lang", "nl"]).output
'nl\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

__all__ = ["LANGUAGES", "default_author", "lang_option", "output_option", "print_problems"]

#: The languages of plan texts and of the interface.
LANGUAGES = ("nl", "en")


def lang_option(help: str) -> Callable[[Any], Any]:
    """``--lang nl|en`` (default English, or ``TOC_LANG``), with ``help`` saying what it sets."""
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default="en",
        envvar="TOC_LANG",
        show_default=True,
        help=help,
    )


def output_option(help: str, required: bool = True) -> Callable[[Any], Any]:
    """``-o/--output FILE`` (a path, not a folder), with ``help`` naming what is written."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        help=help,
    )


def default_author() -> str:
    """The login name, the default ``--author`` of commands that record a change."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def print_problems(problems: Sequence[object], limit: int = 200) -> None:
    """A file's problems, one per line on stderr (at most ``limit``, then how many more)."""
    for problem in problems[:limit]:
        click.echo(str(problem), err=True)
    if len(problems) > limit:
        click.echo(f"... and {len(problems) - limit} more", err=True)
