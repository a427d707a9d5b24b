"""The messages the system itself keeps with a plan version or an indicator definition's
version, as codes a page can word in its own language.

A version's message says why it was saved. A person types it (``toc load -m``, the reason of a
restore); when they do not, or when an edit page saves a change, the system writes one. Kept
as English ("Output o1 added", "load plan.yaml") such messages stayed English on Dutch pages;
they are therefore stored as codes (:mod:`toc.coded_notes`), ``§pathways:node_added
kind=Output id=o1``. Stores written before hold the English phrases: :func:`parse` reads those
as the same notes (a person who typed exactly such a phrase reads as the system there).

The domain knows only English (the command line's), :func:`english`; the web words a note in
the user's language from its code and arguments.

>>> text = node_note("added", "Output", "o1")
>>> text
'§pathways:node_added kind=Output id=o1'
>>> shown(text)
'Output o1 added'
>>> shown("Link s1 → o1 changed")
'link s1 → o1 changed'
>>> shown(load_note("vvsg plan.yaml"))
'loaded from vvsg plan.yaml'
>>> shown("VVSG plan (demo)")
'VVSG plan (demo)'
"""

from __future__ import annotations

import re

from toc.coded_notes import CodedNote, decode, encode
from toc.kinds import NODE_KINDS

__all__ = [
    "CODES",
    "VERBS",
    "english",
    "indicator_note",
    "link_note",
    "load_note",
    "node_note",
    "parse",
    "restore_note",
    "shown",
]

#: What an edit did to a node, a link or an indicator definition.
VERBS = ("added", "changed", "removed")

#: The codes and, in order, the names of their arguments.
CODES: dict[str, tuple[str, ...]] = {
    **{f"node_{verb}": ("kind", "id") for verb in VERBS},
    **{f"link_{verb}": ("source", "target") for verb in VERBS},
    **{f"indicator_{verb}": ("code",) for verb in VERBS},
    "load": ("file",),
    "restore": ("version",),
}


def _verb(verb: str) -> str:
    if verb not in VERBS:
        raise ValueError(f"unknown edit {verb!r}: one of {', '.join(VERBS)}")
    return verb


def node_note(verb: str, kind: str, node_id: str) -> str:
    """The message of a version that added, changed or removed the node ``node_id``."""
    return encode(CODES, f"node_{_verb(verb)}", kind=kind, id=node_id)


def link_note(verb: str, source: str, target: str) -> str:
    """The message of a version that added, changed or removed the link source -> target."""
    return encode(CODES, f"link_{_verb(verb)}", source=source, target=target)


def indicator_note(verb: str, code: str) -> str:
    """The message of the indicator definitions' version that added or changed ``code``."""
    return encode(CODES, f"indicator_{_verb(verb)}", code=code)


def load_note(file: str) -> str:
    """The message of a version loaded from the file named ``file``."""
    return encode(CODES, "load", file=file)


def restore_note(version: int) -> str:
    """The message of a version that restores the content of ``version``."""
    return encode(CODES, "restore", version=str(version))


def parse(text: str) -> CodedNote | None:
    """The note ``text`` is (a code, or an English phrase an older store kept), or None for a
    person's text."""
    if not text:
        return None
    return decode(CODES, text) or _parse_old(text)


_OLD_NODE = re.compile(r"(?P<kind>[A-Z][A-Za-z]*) (?P<id>\S+) (?P<verb>added|changed|removed)")
_OLD_LINK = re.compile(r"Link (?P<source>\S+) → (?P<target>\S+) (?P<verb>added|changed|removed)")
_OLD_INDICATOR = re.compile(r"indicator (?P<code>\S+) (?P<verb>added|changed)")
_OLD_LOAD = re.compile(r"load (?P<file>.+\.(?:ya?ml|json))", re.IGNORECASE)
_OLD_RESTORE = re.compile(r"restore version (?P<version>[0-9]+)")


def _parse_old(text: str) -> CodedNote | None:
    if (match := _OLD_NODE.fullmatch(text)) and match["kind"] in NODE_KINDS:
        return CodedNote(f"node_{match['verb']}", (("kind", match["kind"]), ("id", match["id"])))
    if match := _OLD_LINK.fullmatch(text):
        args = (("source", match["source"]), ("target", match["target"]))
        return CodedNote(f"link_{match['verb']}", args)
    if match := _OLD_INDICATOR.fullmatch(text):
        return CodedNote(f"indicator_{match['verb']}", (("code", match["code"]),))
    if match := _OLD_LOAD.fullmatch(text):
        return CodedNote("load", (("file", match["file"]),))
    if match := _OLD_RESTORE.fullmatch(text):
        return CodedNote("restore", (("version", match["version"]),))
    return None


def english(note: CodedNote) -> str:
    """The note in English words (the command line's)."""
    what, _, verb = note.code.rpartition("_")
    if what == "node":
        return f"{note.arg('kind')} {note.arg('id')} {verb}"
    if what == "link":
        return f"link {note.arg('source')} → {note.arg('target')} {verb}"
    if what == "indicator":
        return f"indicator {note.arg('code')} {verb}"
    if note.code == "load":
        return f"loaded from {note.arg('file')}"
    if note.code == "restore":
        return f"restored version {note.arg('version')}"
    raise ValueError(f"unknown version note {note.code!r}")  # pragma: no cover


def shown(text: str) -> str:
    """A stored version message in English words: the system's worded, a person's as typed."""
    note = parse(text)
    return text if note is None else english(note)
