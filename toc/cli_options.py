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

from collections.abc import Callable
from typing import Any

import click

__all__ = ["LANGUAGES", "lang_option"]

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
