"""Texts the system stores as a code with arguments, so a page can word them in its user's
language, told apart without guessing from what a person typed.

A free-text field (a revision's reason, a plan version's message) holds either a person's
words or the system's. The system's are stored behind a reserved prefix that nobody types by
accident, ``§pathways:<code> name=value ...``, with URL-quoted arguments in the order the
code's table names them; :func:`decode` accepts only the exact text :func:`encode` writes, so
any other text is a person's. :mod:`indicators.system_notes` (revision reasons) and
:mod:`toc.version_notes` (plan and indicator version messages) each keep their own table.

>>> codes = {"load": ("file",)}
>>> text = encode(codes, "load", file="plan 2027.yaml")
>>> text
'§pathways:load file=plan%202027.yaml'
>>> decode(codes, text)
CodedNote(code='load', args=(('file', 'plan 2027.yaml'),))
>>> decode(codes, "load plan.yaml") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

__all__ = ["PREFIX", "CodedNote", "decode", "encode"]

#: What starts every coded note: nobody types it by accident.
PREFIX = "§pathways:"

_CODE = re.compile(r"[a-z_]+")


@dataclass(frozen=True)
class CodedNote:
    """A text the system stored: its code and its arguments, in the table's order."""

    code: str
    args: tuple[tuple[str, str], ...]

    def arg(self, name: str) -> str:
        """The argument ``name`` (``''`` when the note has none by that name)."""
        return dict(self.args).get(name, "")


def encode(codes: Mapping[str, tuple[str, ...]], code: str, /, **args: str) -> str:
    """The stored text of the note ``code`` with ``args``: every argument the table names for
    the code, no other (a wrong code or argument is a programming error: ValueError)."""
    names = codes.get(code)
    if names is None:
        raise ValueError(f"unknown note code {code!r}")
    if set(args) != set(names):
        raise ValueError(f"note {code!r} takes {', '.join(names)}, not {sorted(args)}")
    return PREFIX + " ".join([code, *(f"{n}={quote(args[n], safe='')}" for n in names)])


def decode(codes: Mapping[str, tuple[str, ...]], text: str) -> CodedNote | None:
    """The note ``text`` encodes with a code of ``codes``, or None for any other text (a
    person's, or a spelling :func:`encode` does not write)."""
    if not text.startswith(PREFIX):
        return None
    code, *pairs = text[len(PREFIX) :].split(" ")
    names = codes.get(code) if _CODE.fullmatch(code) else None
    if names is None or len(pairs) != len(names):
        return None
    args: list[tuple[str, str]] = []
    for name, pair in zip(names, pairs, strict=True):
        key, eq, quoted = pair.partition("=")
        try:
            value = unquote(quoted, errors="strict")
        except UnicodeDecodeError:
            return None
        if key != name or not eq or quote(value, safe="") != quoted:
            return None  # only the one spelling encode writes is a code
        args.append((name, value))
    return CodedNote(code, tuple(args))
