"""The documented limits of what Pathways reads: file sizes, nesting, counts and text lengths.

Every file, form and API call comes from someone who may be careless or hostile, so each has
a bound well above any real plan (the VVSG plan is 200 KB, 171 nodes, nested 6 levels, its
longest title 200 characters) and well below what would exhaust memory or time. The numbers
are documented in docs/plan-format.md and docs/indicators-format.md; the plan file, the
indicator file, the web forms and the JSON API all take them from here, so they agree.

>>> text_limit("title"), text_limit("description"), text_limit("note")
(500, 20000, 20000)
>>> str_limit("organisation")
2000
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "INDICATOR_FILE",
    "MAX_ID_LENGTH",
    "MAX_INDICATORS",
    "MAX_LINKS",
    "MAX_LIST_ITEMS",
    "MAX_NODES",
    "PLAN_FILE",
    "FileLimits",
    "str_limit",
    "text_limit",
]


@dataclass(frozen=True)
class FileLimits:
    """Bounds on one YAML file, checked before and while it is parsed.

    ``max_values`` counts every mapping, list and scalar, an alias counting as everything it
    stands for, so an anchor expanded a billion times ("billion laughs") is refused early.
    """

    max_bytes: int
    max_depth: int
    max_values: int
    max_scalar_chars: int = 100_000


#: A plan file: 10 MB (a synthetic plan of 20,000 nodes and 40,000 links is 8.8 MB).
PLAN_FILE = FileLimits(max_bytes=10 * 1024 * 1024, max_depth=20, max_values=2_000_000)
#: An indicator definition file: 5 MB.
INDICATOR_FILE = FileLimits(max_bytes=5 * 1024 * 1024, max_depth=20, max_values=1_000_000)

MAX_NODES = 20_000
MAX_LINKS = 100_000
MAX_INDICATORS = 5_000
#: Node ids, indicator codes and the entries of a list of strings.
MAX_ID_LENGTH = 200
#: Entries of one list of strings (assumptions of a link, nodes an indicator measures...).
MAX_LIST_ITEMS = 1_000

_SHORT_TEXT = 500
_LONG_TEXT = 20_000
_STR = 2_000
#: Texts (per language) that are headings or labels; every other text may be long.
_SHORT_TEXTS = frozenset({"title", "short_title", "label", "scale label", "numerator",
                          "denominator"})  # fmt: skip
#: Plain strings that hold prose; every other plain string is a code, name or reference.
_LONG_STRS = frozenset({"note", "value_nl", "value_en", "notice", "verification"})


def text_limit(field: str) -> int:
    """The most characters a bilingual text field may hold in each language."""
    return _SHORT_TEXT if field in _SHORT_TEXTS else _LONG_TEXT


def str_limit(field: str) -> int:
    """The most characters a plain string field may hold."""
    return _LONG_TEXT if field in _LONG_STRS else _STR
