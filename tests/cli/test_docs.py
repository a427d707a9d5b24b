"""docs/cli.md is the --help of every command: it is regenerated here and must match."""

from __future__ import annotations

from cli.docs import cli_reference
from tests.conftest import REPO


def test_cli_reference_is_up_to_date():
    expected = cli_reference()
    actual = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "run `python -m cli.docs` to regenerate docs/cli.md"


def test_every_command_is_in_the_reference():
    from cli.main import cli

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"## `toc {name}`" in text
