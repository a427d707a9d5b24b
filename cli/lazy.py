"""A click group whose heavier subcommands are imported only when they run.

The indicator, report, query, IATI, user and server commands pull in pandas, Flask,
WeasyPrint and more: about a second before anything happens. Commands that only read or
check a plan need none of it, so those subcommands are named here with where they live and
their one-line help (for ``toc --help``), and imported when called.
``tests/toc/test_cli.py`` checks that each one-line help matches the command's own.

>>> group = LazyGroup(name="demo", lazy={"tool": ("cli.main", "cli", "A tool.")})
>>> group.list_commands(None)
['tool']
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

__all__ = ["LazyGroup"]


class LazyGroup(click.Group):
    """A group with ``lazy`` subcommands: name -> (module, attribute, one-line help)."""

    def __init__(
        self, *args: Any, lazy: Mapping[str, tuple[str, str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context | None) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})  # type: ignore[arg-type]

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            module, attribute, _ = self.lazy[name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, name)
        return super().get_command(ctx, name)  # type: ignore[arg-type]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, without importing the lazy commands."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(n) for n in names), default=0)
        rows = []
        for name in names:
            if name in self.lazy and name not in self.commands:
                rows.append((name, self.lazy[name][2]))
                continue
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
