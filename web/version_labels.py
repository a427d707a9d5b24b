"""The messages kept with plan and indicator versions in the user's language: the system's
(:mod:`toc.version_notes`: a code, or an English phrase of an older store) worded, a person's
message shown as typed."""

from __future__ import annotations

from flask_babel import gettext as _

from toc.version_notes import parse
from web.labels import kind_label

__all__ = ["version_label"]


def version_label(text: str) -> str:
    """A version's message in the user's language.

    >>> version_label("VVSG plan (demo)")
    'VVSG plan (demo)'
    """
    note = parse(text or "")
    if note is None:
        return text
    arg = note.arg
    words = {
        "node_added": lambda: _(
            "%(kind)s %(id)s added", kind=kind_label(arg("kind")), id=arg("id")
        ),
        "node_changed": lambda: _(
            "%(kind)s %(id)s changed", kind=kind_label(arg("kind")), id=arg("id")
        ),
        "node_removed": lambda: _(
            "%(kind)s %(id)s removed", kind=kind_label(arg("kind")), id=arg("id")
        ),
        "link_added": lambda: _(
            "Link %(source)s → %(target)s added", source=arg("source"), target=arg("target")
        ),
        "link_changed": lambda: _(
            "Link %(source)s → %(target)s changed", source=arg("source"), target=arg("target")
        ),
        "link_removed": lambda: _(
            "Link %(source)s → %(target)s removed", source=arg("source"), target=arg("target")
        ),
        "indicator_added": lambda: _("indicator %(code)s added", code=arg("code")),
        "indicator_changed": lambda: _("indicator %(code)s changed", code=arg("code")),
        "indicator_removed": lambda: _("indicator %(code)s removed", code=arg("code")),
        "load": lambda: _("loaded from %(file)s", file=arg("file")),
        "restore": lambda: _("restored version %(version)s", version=arg("version")),
    }
    return words[note.code]()
