"""The words that mark an output resting on illustrative (demonstration) data, in both languages.

One text for every output that cannot carry a per-row mark: the pathway diagram (SVG, PNG,
PDF), the notice line of command-line tables, the About sheet and the JSON API. Demo
indicators and their values are illustrations made for a demonstration, never the
organisation's data, and an output derived from them must say so
(:func:`indicators.illustrative.rests_on_illustrative` decides when).

>>> notice("nl").startswith("◆ Illustratief")
True
"""

from __future__ import annotations

__all__ = ["MARK", "NOTICE", "notice"]

#: The mark put beside each illustrative figure where figures are shown one by one.
MARK = "◆"

NOTICE = {
    "en": (
        f"{MARK} Illustrative: statuses and figures here rest on demonstration data, "
        "not on data of the organisation."
    ),
    "nl": (
        f"{MARK} Illustratief: statussen en cijfers hier steunen op demonstratiegegevens, "
        "niet op gegevens van de organisatie."
    ),
}


def notice(lang: str) -> str:
    """The notice in ``lang`` (English for any other language)."""
    return NOTICE.get(lang, NOTICE["en"])
