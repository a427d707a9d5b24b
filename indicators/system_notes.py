"""The reasons the system itself stores with a revision, as codes a page can word in its own
language, told apart from what a person typed.

A revision's ``reason`` is free text: a person writes why they changed a value, and the system
writes one when it records a value itself (an import, the copy of an input refused by an edit
conflict, an IATI import). Stored as English, the system's reasons could only be re-worded by
guessing from the text, which mislabels a person who typed the same words. They are therefore
stored as a code behind a reserved prefix that nobody types by accident,
``§pathways:import file=data.csv`` (:mod:`toc.coded_notes`); :func:`parse` accepts only the
exact text :func:`encode` writes, so any other text is a person's.

Stores written before the codes hold the system's English phrases ("import data.csv",
"import data.csv (approved on import)", "save refused: conflict", "IATI import of X from
f.xml"); :func:`parse` reads those as the same notes, so old and new data read alike. (A person
who once typed exactly such a phrase reads as the system there; a new revision does not, as
the system no longer writes the phrases, but the phrases still parse - old data cannot tell.)

The domain knows only English (the command line's): :func:`english` words a note;
the web words it in the user's language from :attr:`SystemNote.code` and its arguments.

>>> text = encode("import_approved", file="values 2027.csv")
>>> text
'§pathways:import_approved file=values%202027.csv'
>>> parse(text)
CodedNote(code='import_approved', args=(('file', 'values 2027.csv'),))
>>> shown(text)
'imported from values 2027.csv and approved on import'
>>> shown("import values.csv")
'imported from values.csv'
>>> shown("checked by hand")
'checked by hand'
"""

from __future__ import annotations

import re

from toc.coded_notes import PREFIX, CodedNote, decode
from toc.coded_notes import encode as encode_note

__all__ = [
    "ACTIONS",
    "CODES",
    "PREFIX",
    "SystemNote",
    "conflict_note",
    "encode",
    "english",
    "iati_import_note",
    "import_note",
    "parse",
    "shown",
]

#: The codes and, in order, the names of their arguments.
CODES: dict[str, tuple[str, ...]] = {
    "import": ("file",),
    "import_approved": ("file",),
    "conflict": ("action",),
    "iati_import": ("activity", "file"),
}

#: The workflow steps a conflict note names (:class:`indicators.workflow.Action` values).
ACTIONS = ("save", "submit", "approve", "return")

#: A reason the system stored: its code in :data:`CODES` and its arguments.
SystemNote = CodedNote


def encode(code: str, /, **args: str) -> str:
    """The stored text of the note ``code`` with ``args``: every argument of the code, no
    other (a wrong code or argument is a programming error: ValueError)."""
    return encode_note(CODES, code, **args)


def import_note(file: str, *, approved: bool) -> str:
    """The reason of a revision imported from ``file`` (approved on import, or not)."""
    return encode("import_approved" if approved else "import", file=file)


def conflict_note(action: str) -> str:
    """The reason of the copy kept of an input refused by an edit conflict."""
    if action not in ACTIONS:
        raise ValueError(f"unknown workflow step {action!r}")
    return encode("conflict", action=action)


def iati_import_note(activity: str, file: str) -> str:
    """The reason of a value imported from an IATI file (``activity`` may be ``''``)."""
    return encode("iati_import", activity=activity, file=file)


def parse(text: str) -> SystemNote | None:
    """The system note ``text`` is (a code or an old English phrase), or None for a
    person's text."""
    if not text:
        return None
    if text.startswith(PREFIX):
        return _parse_code(text)
    return _parse_old(text)


def _parse_code(text: str) -> SystemNote | None:
    note = decode(CODES, text)
    if note is not None and note.code == "conflict" and note.arg("action") not in ACTIONS:
        return None
    return note


_OLD_IMPORT = re.compile(r"import (?P<file>.+?)(?P<approved> \(approved on import\))?")
_OLD_CONFLICT = re.compile(r"(?P<action>save|submit|approve|return) refused: conflict")
_OLD_IATI = re.compile(r"IATI import of (?P<activity>.+) from (?P<file>.+)")


def _parse_old(text: str) -> SystemNote | None:
    if match := _OLD_CONFLICT.fullmatch(text):
        return SystemNote("conflict", (("action", match["action"]),))
    if match := _OLD_IATI.fullmatch(text):
        activity = "" if match["activity"] == "an activity" else match["activity"]
        return SystemNote("iati_import", (("activity", activity), ("file", match["file"])))
    if match := _OLD_IMPORT.fullmatch(text):
        code = "import_approved" if match["approved"] else "import"
        return SystemNote(code, (("file", match["file"]),))
    return None


def english(note: SystemNote) -> str:
    """The note in English words (the command line's)."""
    file = note.arg("file")
    if note.code == "import":
        return f"imported from {file}"
    if note.code == "import_approved":
        return f"imported from {file} and approved on import"
    if note.code == "conflict":
        return f"{note.arg('action')} refused: the value had been changed meanwhile"
    if note.code == "iati_import":
        activity = note.arg("activity")
        return f"IATI import of {activity} from {file}" if activity else f"IATI import from {file}"
    raise ValueError(f"unknown system note {note.code!r}")  # pragma: no cover


def shown(text: str) -> str:
    """A stored reason in English words: a system note worded, a person's text as typed."""
    note = parse(text)
    return text if note is None else english(note)
