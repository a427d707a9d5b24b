"""Harvested outcomes (outcome harvesting, Wilson-Grau): changes that happened, planned or not,
positive or negative, recorded with who changed, how the organisation contributed and who
substantiated it; and how one is cited as evidence on a causal link.

An outcome is a change in the behaviour, relationships, actions or policies of a **social
actor** (who changed), observed **when** and **where** (Country ids), with its
**significance** and the organisation's **contribution**. It is **linked to the nodes it bears
on** (``near``: the objectives or other plan nodes it is close to). **Substantiation** asks
people independent of the harvest whether they agree with the description: each says
``agrees``, ``partly`` or ``disagrees``.

An outcome does not by itself change the confidence in any link: cited on a link with
:func:`cite`, it becomes an evidence item of kind ``harvested_outcome`` referring to it. Unless
the citation says otherwise, its strength follows the substantiation
(:data:`CITATION_STRENGTH`): a change others confirm is better evidence than one they dispute.

>>> import datetime as dt
>>> from toc.causal import Link
>>> outcome = HarvestedOutcome(
...     "ho1", "Council of Bohicon adopts a participatory budget",
...     "The council voted a budget line decided by neighbourhood assemblies.",
...     dt.date(2029, 3, 1), social_actor="Municipal council of Bohicon", near=("so2.o3",),
...     author="M&E officer", substantiation=(Substantiation("Mayor's office", "agrees"),))
>>> outcome.other_factor
False
>>> item = cite(outcome, Link("s1", "so2.o3"), id="ev.ho1", author="M&E officer")
>>> item.kind.value, item.outcome, item.strength.value
('harvested_outcome', 'ho1', 'moderate')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from toc.causal import Link
from toc.errors import Issue
from toc.evidence import (
    EVIDENCE_ID,
    MAX_SHORT_TEXT,
    MAX_SOURCE_TEXT,
    Evidence,
    EvidenceError,
    EvidenceKind,
    Says,
    Strength,
    parse_date,
)
from toc.model import Plan, Text

__all__ = [
    "CITATION_STRENGTH",
    "PLANNING_LABELS",
    "VALENCE_LABELS",
    "VERDICT_LABELS",
    "HarvestedOutcome",
    "Planning",
    "Substantiation",
    "Valence",
    "Verdict",
    "check_outcomes",
    "cite",
    "outcomes_near",
    "substantiation_verdict",
]

#: Most substantiations, places and nodes one outcome may have.
MAX_LIST = 100


class Valence(StrEnum):
    """Whether the change is for the better or for the worse."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class Planning(StrEnum):
    """Whether the plan aimed at the change."""

    PLANNED = "planned"
    UNPLANNED = "unplanned"


class Verdict(StrEnum):
    """What a substantiator says about the outcome's description."""

    AGREES = "agrees"
    PARTLY = "partly"
    DISAGREES = "disagrees"


VALENCE_LABELS: Mapping[Valence, Text] = {
    Valence.POSITIVE: Text("positief", "positive"),
    Valence.NEGATIVE: Text("negatief", "negative"),
}
PLANNING_LABELS: Mapping[Planning, Text] = {
    Planning.PLANNED: Text("gepland", "planned"),
    Planning.UNPLANNED: Text("niet gepland", "unplanned"),
}
VERDICT_LABELS: Mapping[Verdict, Text] = {
    Verdict.AGREES: Text("akkoord", "agrees"),
    Verdict.PARTLY: Text("gedeeltelijk akkoord", "partly agrees"),
    Verdict.DISAGREES: Text("niet akkoord", "disagrees"),
}

#: The strength of a citation when it names none, by the outcome's substantiation verdict
#: (None: not substantiated).
CITATION_STRENGTH: Mapping[Verdict | None, Strength] = {
    Verdict.AGREES: Strength.MODERATE,
    Verdict.PARTLY: Strength.WEAK,
    Verdict.DISAGREES: Strength.WEAK,
    None: Strength.WEAK,
}


def _error(message: str, outcome: str | None, field: str | None = None) -> EvidenceError:
    return EvidenceError(message, outcome, field, noun="outcome")


def _text(value: Any, outcome: str, field: str, limit: int, *, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise _error("must not be empty", outcome, field)
        return ""
    if not isinstance(value, str):
        raise _error(f"must be text, got {type(value).__name__}", outcome, field)
    value = value.strip()
    if required and not value:
        raise _error("must not be empty", outcome, field)
    if len(value) > limit:
        raise _error(f"is longer than {limit:,} characters", outcome, field)
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise _error("contains control characters", outcome, field)
    return value


def _ids(value: Any, outcome: str, field: str, *, required: bool) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _error("must be a list of ids", outcome, field)
    ids = tuple(value)
    if not all(isinstance(i, str) and i for i in ids):
        raise _error("must be a list of ids", outcome, field)
    if required and not ids:
        raise _error("needs at least one id", outcome, field)
    if len(ids) > MAX_LIST:
        raise _error(f"has more than {MAX_LIST} ids", outcome, field)
    if len(set(ids)) != len(ids):
        raise _error("names an id twice", outcome, field)
    return ids


@dataclass(frozen=True)
class Substantiation:
    """One substantiator's view of an outcome: who, what they say, an optional note."""

    by: str
    verdict: Verdict
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", _text(self.by, "", "substantiation.by", MAX_SHORT_TEXT))
        try:
            object.__setattr__(self, "verdict", Verdict(self.verdict))
        except ValueError:
            raise _error(
                f"{self.verdict!r} is not one of agrees, partly, disagrees",
                None,
                "substantiation.verdict",
            ) from None
        note = _text(self.note, "", "substantiation.note", MAX_SOURCE_TEXT, required=False)
        object.__setattr__(self, "note", note)


@dataclass(frozen=True)
class HarvestedOutcome:
    """One harvested outcome (see the module docstring for the fields' meaning).

    Raises
    ------
    EvidenceError
        Naming the outcome and the field, for any value that is not valid.
    """

    id: str
    title: str
    description: str
    when: dt.date
    social_actor: str
    near: tuple[str, ...]
    author: str
    where: tuple[str, ...] = ()
    significance: str = ""
    contribution: str = ""
    substantiation: tuple[Substantiation, ...] = ()
    valence: Valence = Valence.POSITIVE
    planning: Planning = Planning.PLANNED
    illustrative: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not EVIDENCE_ID.match(self.id):
            raise _error(f"{self.id!r} is not a valid id", None, "id")
        oid, put = self.id, object.__setattr__
        put(self, "title", _text(self.title, oid, "title", MAX_SHORT_TEXT))
        put(self, "description", _text(self.description, oid, "description", MAX_SOURCE_TEXT))
        put(self, "social_actor", _text(self.social_actor, oid, "social_actor", MAX_SHORT_TEXT))
        put(self, "author", _text(self.author, oid, "author", MAX_SHORT_TEXT))
        for name in ("significance", "contribution"):
            put(self, name, _text(getattr(self, name), oid, name, MAX_SOURCE_TEXT, required=False))
        try:
            put(self, "when", parse_date(self.when, oid, "when"))
        except EvidenceError as e:
            raise _error(e.reason, oid, "when") from None
        put(self, "near", _ids(self.near, oid, "near", required=True))
        put(self, "where", _ids(self.where, oid, "where", required=False))
        if isinstance(self.substantiation, Substantiation) or not isinstance(
            self.substantiation, Iterable
        ):
            raise _error("must be a list", oid, "substantiation")
        subs = tuple(self.substantiation)
        if not all(isinstance(s, Substantiation) for s in subs) or len(subs) > MAX_LIST:
            raise _error(f"must be at most {MAX_LIST} substantiations", oid, "substantiation")
        put(self, "substantiation", subs)
        for name, enum in (("valence", Valence), ("planning", Planning)):
            try:
                put(self, name, enum(getattr(self, name)))
            except ValueError:
                allowed = ", ".join(m.value for m in enum)
                raise _error(
                    f"{getattr(self, name)!r} is not one of {allowed}", oid, name
                ) from None
        if not isinstance(self.illustrative, bool):
            raise _error("must be true or false", oid, "illustrative")

    @property
    def other_factor(self) -> bool:
        """Unplanned or negative: an influence the theory of change did not foresee."""
        return self.planning is Planning.UNPLANNED or self.valence is Valence.NEGATIVE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the inverse of :meth:`from_dict`)."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "when": self.when.isoformat(),
            "social_actor": self.social_actor,
            "near": list(self.near),
            "author": self.author,
            "where": list(self.where),
            "significance": self.significance,
            "contribution": self.contribution,
            "substantiation": [
                {"by": s.by, "verdict": s.verdict.value, "note": s.note}
                for s in self.substantiation
            ],
            "valence": self.valence.value,
            "planning": self.planning.value,
            "illustrative": self.illustrative,
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, today: dt.date | None = None
    ) -> HarvestedOutcome:
        """An outcome from a mapping; ``today``, when given, refuses a ``when`` after it.

        Examples
        --------
        >>> HarvestedOutcome.from_dict({"id": "o", "title": "t", "description": "d",
        ...     "when": "2031-01-01", "social_actor": "x", "near": ["so1"], "author": "a"},
        ...     today=dt.date(2030, 1, 1))
        Traceback (most recent call last):
        ...
        toc.evidence.EvidenceError: outcome 'o', when: 2031-01-01 is after today (2030-01-01)
        """
        if not isinstance(data, Mapping):
            raise _error(f"must be a mapping, got {type(data).__name__}", None)
        oid = data.get("id") if isinstance(data.get("id"), str) else None
        unknown = sorted(str(k) for k in data if k not in cls.__dataclass_fields__)
        if unknown:
            raise _error(f"unknown field(s) {', '.join(unknown)}", oid)
        required = ("id", "title", "description", "when", "social_actor", "near", "author")
        missing = [f for f in required if f not in data]
        if missing:
            raise _error(f"missing field(s) {', '.join(missing)}", oid)
        values = dict(data)
        subs = values.get("substantiation", ())
        if isinstance(subs, str) or not isinstance(subs, Iterable):
            raise _error("must be a list", oid, "substantiation")
        parsed = []
        for s in subs:
            if not isinstance(s, Mapping) or set(s) - {"by", "verdict", "note"}:
                raise _error("each needs by, verdict (and a note)", oid, "substantiation")
            if "by" not in s or "verdict" not in s:
                raise _error("each needs by and verdict", oid, "substantiation")
            parsed.append(Substantiation(s["by"], s["verdict"], s.get("note", "")))
        values["substantiation"] = tuple(parsed)
        made = cls(**values)
        if today is not None and made.when > today:
            raise _error(f"{made.when} is after today ({today})", made.id, "when")
        return made


def substantiation_verdict(outcome: HarvestedOutcome) -> Verdict | None:
    """The least favourable verdict of its substantiators, None when none was asked.

    >>> import datetime as dt
    >>> o = HarvestedOutcome("o", "t", "d", dt.date(2030, 1, 1), "x", ("so1",), "a",
    ...     substantiation=(Substantiation("p", "agrees"), Substantiation("q", "partly")))
    >>> substantiation_verdict(o)
    <Verdict.PARTLY: 'partly'>
    """
    verdicts = {s.verdict for s in outcome.substantiation}
    for verdict in (Verdict.DISAGREES, Verdict.PARTLY, Verdict.AGREES):
        if verdict in verdicts:
            return verdict
    return None


def cite(
    outcome: HarvestedOutcome,
    link: Link,
    *,
    id: str,
    author: str,
    says: Says | str = Says.SUPPORTS,
    strength: Strength | str | None = None,
    date: dt.date | None = None,
    source_text: str | None = None,
) -> Evidence:
    """An evidence item on ``link`` that cites ``outcome``.

    The strength defaults by substantiation (:data:`CITATION_STRENGTH`), the date to the
    outcome's, the source text to its title and significance; the item is illustrative when
    the outcome is.
    """
    chosen = CITATION_STRENGTH[substantiation_verdict(outcome)] if strength is None else strength
    text = source_text or " ".join(
        part for part in (outcome.title + ".", outcome.significance) if part
    )
    return Evidence(
        id=id,
        kind=EvidenceKind.HARVESTED_OUTCOME,
        # text is turned into the enum, or refused naming the field, when the item is made
        says=cast(Says, says),
        strength=cast(Strength, chosen),
        source_text=text[:MAX_SOURCE_TEXT],
        date=date or outcome.when,
        author=author,
        link=link,
        outcome=outcome.id,
        illustrative=outcome.illustrative,
    )


def outcomes_near(outcomes: Iterable[HarvestedOutcome], node_id: str) -> list[HarvestedOutcome]:
    """The outcomes linked to ``node_id``, by date then id."""
    return sorted((o for o in outcomes if node_id in o.near), key=lambda o: (o.when, o.id))


def check_outcomes(
    plan: Plan, outcomes: Iterable[HarvestedOutcome], evidence: Iterable[Evidence] = ()
) -> list[Issue]:
    """Problems of ``outcomes`` against ``plan``: ids given twice, ``near`` ids that are not
    nodes, ``where`` ids that are not Countries; and evidence citing an outcome that is not
    among them (all errors).

    Examples
    --------
    >>> import datetime as dt
    >>> from toc.model import Node
    >>> plan = Plan.of([Node("Objective", "o1", Text(en="O"), props={"number": 1})], [])
    >>> o = HarvestedOutcome("ho", "t", "d", dt.date(2030, 1, 1), "x", ("o1", "o2"), "a",
    ...                      where=("o1",))
    >>> [str(i) for i in check_outcomes(plan, [o])]
    ["error: [ho] near: 'o2' is not a node of the plan", "error: [ho] where: 'o1' is not a \
Country of the plan"]
    """
    outcomes = list(outcomes)
    kinds = {n.id: n.kind for n in plan.nodes}
    issues: list[Issue] = []
    seen: set[str] = set()
    for o in outcomes:
        if o.id in seen:
            issues.append(Issue("error", "the id is given more than once", id=o.id))
        seen.add(o.id)
        for node_id in o.near:
            if node_id not in kinds:
                issues.append(
                    Issue("error", f"near: {node_id!r} is not a node of the plan", id=o.id)
                )
        for node_id in o.where:
            if kinds.get(node_id) != "Country":
                issues.append(
                    Issue("error", f"where: {node_id!r} is not a Country of the plan", id=o.id)
                )
    for item in evidence:
        if item.outcome is not None and item.outcome not in seen:
            issues.append(
                Issue(
                    "error",
                    f"cites the outcome {item.outcome!r}, which is not recorded",
                    id=item.id,
                )
            )
    return issues
