"""Evidence on the causal links and assumptions of a plan: what an item is, how it is checked,
and its words in Dutch and English.

An evidence item records one observation that bears on one hypothesis: a causal link holds
(``link``, see :class:`toc.causal.Link`) or an assumption holds (``assumption``, an Assumption
node id). It says whether it **supports** or **contradicts** that hypothesis, how **strong**
the assessor judges it, and where it comes from (source text, URL, attached file, date,
author). How much an item moves the confidence in its hypothesis is the business of
:mod:`toc.confidence`; the two likelihoods may be overridden here, per item, together.

Everything an item holds is checked when it is made (:class:`EvidenceError` names the item and
the field); :func:`check_evidence` checks a set of items against a plan (the link or the
assumption exists, ids are unique). Labels of kinds and strengths live here as data
(:data:`KIND_LABELS`, :data:`STRENGTH_LABELS`, :data:`SAYS_LABELS`) so every layer words them
the same way.

>>> import datetime as dt
>>> from toc.causal import Link
>>> item = Evidence("ev1", "evaluation", "supports", "strong", "Mid-term review, p. 12",
...                 dt.date(2029, 6, 30), "M. Peeters", link=Link("s1", "so1.o1"))
>>> item.kind, item.strength, item.subject
(<EvidenceKind.EVALUATION: 'evaluation'>, <Strength.STRONG: 'strong'>, Link(source='s1', \
target='so1.o1', kind='CONTRIBUTES_TO'))
>>> KIND_LABELS[item.kind].get("nl")
'evaluatie'
>>> Evidence.from_dict(item.to_dict()) == item
True
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from toc.attachments import Attachment
from toc.causal import CAUSAL_LINK_KINDS, Link
from toc.errors import Issue, PlanError
from toc.model import Plan, Text

__all__ = [
    "EVIDENCE_ID",
    "KIND_LABELS",
    "SAYS_LABELS",
    "STRENGTH_LABELS",
    "TYPED_KINDS",
    "Evidence",
    "EvidenceError",
    "EvidenceKind",
    "Says",
    "Strength",
    "check_evidence",
    "parse_date",
]

#: Evidence ids: like plan ids, and ``:`` too (derived items are ``indicators:SOURCE:TARGET``).
EVIDENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$")

#: Limits on the texts of an item, in characters.
MAX_SOURCE_TEXT = 10_000
MAX_SHORT_TEXT = 500
MAX_URL = 2_000

_FIRST_YEAR, _LAST_YEAR = 1900, 2200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EvidenceError(PlanError):
    """An evidence item (or a harvested outcome) is not valid: ``item`` names it, ``field``
    the field at fault."""

    def __init__(
        self,
        message: str,
        item: str | None = None,
        field: str | None = None,
        noun: str = "evidence",
    ) -> None:
        self.item, self.field, self.reason = item, field, message
        where = (f"{noun} {item!r}" if item else noun) + (f", {field}" if field else "")
        super().__init__(f"{where}: {message}")


class EvidenceKind(StrEnum):
    """Where an observation comes from.

    ``indicator_trend`` items are derived from indicator data
    (:mod:`indicators.link_evidence`), not typed in; ``harvested_outcome`` items cite an
    outcome of :mod:`toc.harvest` by its id.
    """

    INDICATOR_TREND = "indicator_trend"
    EVALUATION = "evaluation"
    STUDY = "study"
    MONITORING_VISIT = "monitoring_visit"
    TESTIMONY = "testimony"
    DOCUMENT = "document"
    HARVESTED_OUTCOME = "harvested_outcome"
    OTHER = "other"


#: The kinds a person records by hand (indicator trends are derived).
TYPED_KINDS: tuple[EvidenceKind, ...] = tuple(
    k for k in EvidenceKind if k is not EvidenceKind.INDICATOR_TREND
)


class Says(StrEnum):
    """What an item says about its hypothesis."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class Strength(StrEnum):
    """How strongly the assessor judges the item to bear on its hypothesis."""

    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


KIND_LABELS: Mapping[EvidenceKind, Text] = {
    EvidenceKind.INDICATOR_TREND: Text("indicatortrend", "indicator trend"),
    EvidenceKind.EVALUATION: Text("evaluatie", "evaluation"),
    EvidenceKind.STUDY: Text("studie", "study"),
    EvidenceKind.MONITORING_VISIT: Text("monitoringbezoek", "monitoring visit"),
    EvidenceKind.TESTIMONY: Text("getuigenis", "testimony"),
    EvidenceKind.DOCUMENT: Text("document", "document"),
    EvidenceKind.HARVESTED_OUTCOME: Text("geoogste uitkomst", "harvested outcome"),
    EvidenceKind.OTHER: Text("ander", "other"),
}

STRENGTH_LABELS: Mapping[Strength, Text] = {
    Strength.WEAK: Text("zwak", "weak"),
    Strength.MODERATE: Text("matig", "moderate"),
    Strength.STRONG: Text("sterk", "strong"),
}

SAYS_LABELS: Mapping[Says, Text] = {
    Says.SUPPORTS: Text("ondersteunt", "supports"),
    Says.CONTRADICTS: Text("spreekt tegen", "contradicts"),
}


def _choice(enum: type[StrEnum], value: Any, item: str, field: str) -> Any:
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise EvidenceError(f"{value!r} is not one of {allowed}", item, field) from None


def _text(value: Any, item: str, field: str, limit: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise EvidenceError(f"must be text, got {type(value).__name__}", item, field)
    value = value.strip()
    if required and not value:
        raise EvidenceError("must not be empty", item, field)
    if len(value) > limit:
        raise EvidenceError(f"is longer than {limit:,} characters", item, field)
    if _CONTROL.search(value):
        raise EvidenceError("contains control characters", item, field)
    return value


def parse_date(value: Any, item: str, field: str) -> dt.date:
    """A date from a ``datetime.date`` or ISO ``YYYY-MM-DD`` text, within 1900-2200."""
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise EvidenceError(f"{value!r} is not a date YYYY-MM-DD", item, field) from None
    if not isinstance(value, dt.date):
        raise EvidenceError(f"must be a date, got {type(value).__name__}", item, field)
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise EvidenceError(f"{value} is outside {_FIRST_YEAR}-{_LAST_YEAR}", item, field)
    return value


def _probability(value: Any, item: str, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EvidenceError(f"must be a number, got {type(value).__name__}", item, field)
    value = float(value)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise EvidenceError(f"must lie strictly between 0 and 1, got {value!r}", item, field)
    return value


@dataclass(frozen=True)
class Evidence:
    """One evidence item on a causal link or an assumption.

    Parameters
    ----------
    id : str
        Unique id (:data:`EVIDENCE_ID`).
    kind : EvidenceKind or str
        Where the observation comes from.
    says : Says or str
        ``supports`` or ``contradicts`` its hypothesis.
    strength : Strength or str
        ``weak``, ``moderate`` or ``strong``.
    source_text : str
        What the source says, or where (up to 10,000 characters).
    date : datetime.date or str
        When the observation was made or became known (``YYYY-MM-DD``).
    author : str
        Who recorded it.
    link : Link, optional
        The causal link it bears on (its kind must be causal: :data:`CAUSAL_LINK_KINDS`).
    assumption : str, optional
        The Assumption it bears on. Exactly one of ``link`` and ``assumption`` is given.
    url : str, optional
        An ``http`` or ``https`` address of the source.
    attachment : str, optional
        The name of an attached file (a plain name: no folders).
    file : Attachment, optional
        The attached file itself as kept beside the store (:mod:`toc.attachments`): its
        sha256, shown name, media type, size, who attached it and when.
    outcome : str, optional
        The harvested outcome a ``harvested_outcome`` item cites (required for that kind,
        refused for the others).
    illustrative : bool
        Demo data, not a real finding: shown as such wherever the item is used.
    p_e_given_h, p_e_given_not_h : float, optional
        Overrides of the likelihoods P(E|H) and P(E|not H) of :mod:`toc.confidence`, both
        or neither, each strictly between 0 and 1. A supporting item needs
        P(E|H) >= P(E|not H), a contradicting one P(E|H) <= P(E|not H): the override says how
        much, not which way.

    Raises
    ------
    EvidenceError
        Naming the item and the field, for any value that is not valid.
    """

    id: str
    kind: EvidenceKind
    says: Says
    strength: Strength
    source_text: str
    date: dt.date
    author: str
    link: Link | None = None
    assumption: str | None = None
    url: str | None = None
    attachment: str | None = None
    file: Attachment | None = None
    outcome: str | None = None
    illustrative: bool = False
    p_e_given_h: float | None = None
    p_e_given_not_h: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not EVIDENCE_ID.match(self.id):
            raise EvidenceError(
                f"{self.id!r} is not a valid id (letters, digits, '_.:-', at most 200)",
                None,
                "id",
            )
        item = self.id
        put = object.__setattr__
        put(self, "kind", _choice(EvidenceKind, self.kind, item, "kind"))
        put(self, "says", _choice(Says, self.says, item, "says"))
        put(self, "strength", _choice(Strength, self.strength, item, "strength"))
        put(self, "source_text", _text(self.source_text, item, "source_text", MAX_SOURCE_TEXT))
        put(self, "author", _text(self.author, item, "author", MAX_SHORT_TEXT))
        put(self, "date", parse_date(self.date, item, "date"))
        if not isinstance(self.illustrative, bool):
            raise EvidenceError("must be true or false", item, "illustrative")
        self._check_subject()
        self._check_references()
        self._check_likelihoods()

    def _check_subject(self) -> None:
        item = self.id
        if (self.link is None) == (self.assumption is None):
            raise EvidenceError("give either a link or an assumption, not both or neither", item)
        if self.link is not None:
            link = self.link
            if not isinstance(link, tuple) or len(link) not in (2, 3):
                raise EvidenceError("must be (source, target, kind)", item, "link")
            link = Link(*link)
            if not all(isinstance(part, str) and part for part in link):
                raise EvidenceError("source, target and kind must be ids", item, "link")
            if link.kind not in CAUSAL_LINK_KINDS:
                raise EvidenceError(
                    f"{link.kind} is not a causal link kind ({', '.join(CAUSAL_LINK_KINDS)})",
                    item,
                    "link",
                )
            object.__setattr__(self, "link", link)
        elif not isinstance(self.assumption, str) or not self.assumption:
            raise EvidenceError("must be an Assumption id", item, "assumption")

    def _check_references(self) -> None:
        item = self.id
        if self.url is not None:
            url = _text(self.url, item, "url", MAX_URL)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
                raise EvidenceError(f"{url!r} is not an http(s) address", item, "url")
            object.__setattr__(self, "url", url)
        if self.attachment is not None:
            name = _text(self.attachment, item, "attachment", 255)
            if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
                raise EvidenceError(f"{name!r} is not a plain file name", item, "attachment")
            object.__setattr__(self, "attachment", name)
        if self.file is not None and not isinstance(self.file, Attachment):
            try:
                object.__setattr__(self, "file", Attachment.from_dict(self.file))
            except ValueError as e:
                raise EvidenceError(str(e), item, "file") from None
        cites = self.kind is EvidenceKind.HARVESTED_OUTCOME
        if cites and not (isinstance(self.outcome, str) and self.outcome):
            raise EvidenceError("a harvested_outcome item names its outcome", item, "outcome")
        if not cites and self.outcome is not None:
            raise EvidenceError(
                f"only harvested_outcome items cite an outcome, this is {self.kind}",
                item,
                "outcome",
            )

    def _check_likelihoods(self) -> None:
        item = self.id
        p_h = _probability(self.p_e_given_h, item, "p_e_given_h")
        p_not_h = _probability(self.p_e_given_not_h, item, "p_e_given_not_h")
        if (p_h is None) != (p_not_h is None):
            raise EvidenceError(
                "override P(E|H) and P(E|not H) together: their ratio is the judgement", item
            )
        if p_h is not None and p_not_h is not None:
            if self.says is Says.SUPPORTS and p_h < p_not_h:
                raise EvidenceError(
                    f"a supporting item needs P(E|H) >= P(E|not H), got {p_h} < {p_not_h}", item
                )
            if self.says is Says.CONTRADICTS and p_h > p_not_h:
                raise EvidenceError(
                    f"a contradicting item needs P(E|H) <= P(E|not H), got {p_h} > {p_not_h}",
                    item,
                )
        object.__setattr__(self, "p_e_given_h", p_h)
        object.__setattr__(self, "p_e_given_not_h", p_not_h)

    @property
    def subject(self) -> Link | str:
        """The hypothesis it bears on: its link, or its assumption id."""
        return self.link if self.link is not None else self.assumption  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the inverse of :meth:`from_dict`); unset fields left out."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "says": self.says.value,
            "strength": self.strength.value,
            "source_text": self.source_text,
            "date": self.date.isoformat(),
            "author": self.author,
        }
        if self.link is not None:
            source, target, kind = self.link
            out["link"] = {"source": source, "target": target, "kind": kind}
        else:
            out["assumption"] = self.assumption
        for name in ("url", "attachment", "outcome", "p_e_given_h", "p_e_given_not_h"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.file is not None:
            out["file"] = self.file.to_dict()
        if self.illustrative:
            out["illustrative"] = True
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, today: dt.date | None = None) -> Evidence:
        """An item from a mapping (a JSON object, a form, a stored row).

        ``today``, when given, refuses a date after it: evidence is about what happened.

        Examples
        --------
        >>> Evidence.from_dict({"id": "e", "kind": "study", "says": "supports",
        ...                     "strength": "huge", "source_text": "x", "date": "2030-01-01",
        ...                     "author": "a", "assumption": "a1"})
        Traceback (most recent call last):
        ...
        toc.evidence.EvidenceError: evidence 'e', strength: 'huge' is not one of weak, \
moderate, strong
        """
        if not isinstance(data, Mapping):
            raise EvidenceError(f"must be a mapping, got {type(data).__name__}")
        item = data.get("id") if isinstance(data.get("id"), str) else None
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise EvidenceError(f"unknown field(s) {', '.join(unknown)}", item)
        missing = [f for f in _REQUIRED if f not in data]
        if missing:
            raise EvidenceError(f"missing field(s) {', '.join(missing)}", item)
        values = dict(data)
        link = values.get("link")
        if link is not None:
            if isinstance(link, Mapping):
                extra = sorted(str(k) for k in link if k not in ("source", "target", "kind"))
                if extra or "source" not in link or "target" not in link:
                    raise EvidenceError("needs source and target (and kind)", item, "link")
                kind = link.get("kind", "CONTRIBUTES_TO")
                values["link"] = Link(link["source"], link["target"], kind)
            elif isinstance(link, list | tuple):
                values["link"] = tuple(link)
            else:
                raise EvidenceError("must be {source, target, kind}", item, "link")
        made = cls(**values)
        if today is not None and made.date > today:
            raise EvidenceError(f"{made.date} is after today ({today})", made.id, "date")
        return made


_REQUIRED = ("id", "kind", "says", "strength", "source_text", "date", "author")


def check_evidence(plan: Plan, items: Iterable[Evidence]) -> list[Issue]:
    """Problems of ``items`` against ``plan``: ids given twice, a link that is not in the plan,
    an assumption that is not an Assumption node (errors); an assumption that no link relies
    on (a warning: its evidence shows, but no pathway uses it).

    Examples
    --------
    >>> import datetime as dt
    >>> from toc.model import Node, Text
    >>> plan = Plan.of([Node("Strategy", "s1", Text(en="S"))], [])
    >>> item = Evidence("e1", "study", "supports", "weak", "x", dt.date(2030, 1, 1), "a",
    ...                 link=Link("s1", "o9"))
    >>> [str(i) for i in check_evidence(plan, [item])]
    ['error: [e1] the link s1 -> o9 (CONTRIBUTES_TO) is not in the plan']
    """
    items = list(items)
    links = {(e.source, e.target, e.kind) for e in plan.edges}
    assumptions = {n.id for n in plan.nodes if n.kind == "Assumption"}
    relied_on = {
        a for e in plan.edges if e.kind in CAUSAL_LINK_KINDS for a in e.props.get("assumptions", ())
    }
    issues: list[Issue] = []
    for item_id, count in sorted(Counter(i.id for i in items).items()):
        if count > 1:
            issues.append(Issue("error", f"the id is given {count} times", id=item_id))
    for item in items:
        if item.link is not None and tuple(item.link) not in links:
            issues.append(
                Issue(
                    "error",
                    f"the link {item.link} ({item.link.kind}) is not in the plan",
                    id=item.id,
                )
            )
        if item.assumption is not None:
            if item.assumption not in assumptions:
                issues.append(
                    Issue(
                        "error", f"{item.assumption!r} is not an Assumption of the plan", id=item.id
                    )
                )
            elif item.assumption not in relied_on:
                issues.append(
                    Issue("warning", f"no causal link relies on {item.assumption!r}", id=item.id)
                )
    return issues
