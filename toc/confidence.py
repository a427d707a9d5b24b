"""Confidence that a causal link (or an assumption) holds, by Bayesian updating on its evidence,
as in process tracing (Befani and Stedman-Bryce 2017; Befani 2020); and the confidence of a
pathway from its links. docs/confidence.md explains the method with a worked example.

* Every hypothesis ("this link holds", "this assumption holds") has a **prior** probability,
  0.5 unless set per link (no lean either way before the evidence).
* Every evidence item has a **sensitivity** P(E|H), the chance of observing it if the link
  holds, and a **type I error** P(E|not H), the chance of observing it anyway: from
  :data:`LIKELIHOODS` by the item's kind and strength, or the item's own overrides.
* A **contradicting** item uses the table's pair swapped: P(E|H) = the type I error and
  P(E|not H) = the sensitivity, so its likelihood ratio is the reciprocal of a supporting
  item's of the same kind and strength. A contradicting item records an observation that
  points away from the link (an evaluation finding the change came about otherwise), not the
  mere absence of a supporting one, and its assessor grades it on the same scale; the
  complements (1 - P) would instead model "expected evidence not found" (a failed hoop
  test), for which an item's overrides are the way. With the swap, a strong item for and a
  strong item of the same kind against cancel out exactly.
* The **posterior** follows Bayes' rule in odds form: posterior odds = prior odds times the
  product of the items' likelihood ratios, computed as a sum of log ratios
  (:func:`math.fsum`, exact, so the order of the items never matters) and clamped to
  [1e-9, 1 - 1e-9] so no finite body of evidence claims certainty. **Assumption**: the items
  are conditionally independent given the hypothesis (each is a separate observation); two
  reports of the same observation must be recorded as one item.
* A **pathway** holds when every one of its links holds: its confidence is the product of its
  links' posteriors (the probability that all hold, under independence), shown beside its
  **weakest link** (the lowest posterior), which bounds it from above.
* **Bands** name a probability (:data:`BAND_LIMITS`): very low < 0.15 <= low < 0.35 <=
  moderate < 0.65 <= high < 0.85 <= very high; symmetric about 0.5, so evidence that is as
  strong against a link as for another lands in the mirrored band.

>>> import datetime as dt
>>> from toc.causal import Link
>>> from toc.evidence import Evidence
>>> link = Link("s3", "so3.o1")
>>> items = [Evidence("e1", "evaluation", "supports", "moderate", "review", dt.date(2029, 6, 1),
...                   "me", link=link),
...          Evidence("e2", "testimony", "contradicts", "weak", "mayor", dt.date(2029, 7, 1),
...                   "me", link=link)]
>>> result = assess(link, items)
>>> round(result.posterior, 4), result.band.value
(0.7, 'high')
>>> [w.item.id for w in result.movers()]
['e1', 'e2']
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from toc.causal import CausalIndex, Link, causal_index
from toc.errors import PlanError
from toc.evidence import Evidence, EvidenceKind, Says, Strength
from toc.model import Plan, Text

__all__ = [
    "BAND_LABELS",
    "BAND_LIMITS",
    "DEFAULT_PRIOR",
    "EPSILON",
    "LIKELIHOODS",
    "Band",
    "Confidence",
    "ConfidenceError",
    "PathwayConfidence",
    "Weight",
    "assess",
    "assumption_confidences",
    "band",
    "confidences",
    "likelihoods",
    "link_confidences",
    "log_likelihood_ratio",
    "pathway_confidence",
    "posterior",
]

DEFAULT_PRIOR = 0.5
EPSILON = 1e-9
_MAX_LOG_ODDS = math.log((1 - EPSILON) / EPSILON)

_K, _S = EvidenceKind, Strength

#: (P(E|H), P(E|not H)) of a **supporting** item, by kind and strength; docs/confidence.md
#: gives the reasons. Strength sets how diagnostic the item is (weak: a straw in the wind,
#: strong: close to a smoking gun); the kind sets how easily such an observation arises when
#: the link does not hold (independent evaluations and studies least, co-moving indicators,
#: testimony and the organisation's own documents most).
LIKELIHOODS: Mapping[tuple[EvidenceKind, Strength], tuple[float, float]] = {
    (_K.EVALUATION, _S.WEAK): (0.60, 0.40),
    (_K.EVALUATION, _S.MODERATE): (0.70, 0.25),
    (_K.EVALUATION, _S.STRONG): (0.80, 0.10),
    (_K.STUDY, _S.WEAK): (0.60, 0.40),
    (_K.STUDY, _S.MODERATE): (0.70, 0.25),
    (_K.STUDY, _S.STRONG): (0.80, 0.10),
    (_K.MONITORING_VISIT, _S.WEAK): (0.60, 0.45),
    (_K.MONITORING_VISIT, _S.MODERATE): (0.70, 0.35),
    (_K.MONITORING_VISIT, _S.STRONG): (0.80, 0.20),
    (_K.HARVESTED_OUTCOME, _S.WEAK): (0.60, 0.45),
    (_K.HARVESTED_OUTCOME, _S.MODERATE): (0.70, 0.35),
    (_K.HARVESTED_OUTCOME, _S.STRONG): (0.80, 0.20),
    (_K.INDICATOR_TREND, _S.WEAK): (0.70, 0.55),
    (_K.INDICATOR_TREND, _S.MODERATE): (0.80, 0.50),
    (_K.INDICATOR_TREND, _S.STRONG): (0.90, 0.40),
    (_K.TESTIMONY, _S.WEAK): (0.60, 0.50),
    (_K.TESTIMONY, _S.MODERATE): (0.65, 0.40),
    (_K.TESTIMONY, _S.STRONG): (0.75, 0.25),
    (_K.DOCUMENT, _S.WEAK): (0.60, 0.50),
    (_K.DOCUMENT, _S.MODERATE): (0.65, 0.40),
    (_K.DOCUMENT, _S.STRONG): (0.75, 0.25),
    (_K.OTHER, _S.WEAK): (0.55, 0.50),
    (_K.OTHER, _S.MODERATE): (0.60, 0.40),
    (_K.OTHER, _S.STRONG): (0.70, 0.30),
}

_LOG_RATIO = {
    (kind, strength, says): (1 if says is Says.SUPPORTS else -1) * math.log(p_h / p_not_h)
    for (kind, strength), (p_h, p_not_h) in LIKELIHOODS.items()
    for says in Says
}


class ConfidenceError(PlanError):
    """A prior, a pathway or an item does not fit the computation asked for."""


class Band(StrEnum):
    """A named range of probability (see :data:`BAND_LIMITS`)."""

    VERY_LOW = "very_low"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


#: Lower limits (inclusive) of every band but the lowest.
BAND_LIMITS: tuple[tuple[float, Band], ...] = (
    (0.85, Band.VERY_HIGH),
    (0.65, Band.HIGH),
    (0.35, Band.MODERATE),
    (0.15, Band.LOW),
)

BAND_LABELS: Mapping[Band, Text] = {
    Band.VERY_LOW: Text("zeer laag", "very low"),
    Band.LOW: Text("laag", "low"),
    Band.MODERATE: Text("matig", "moderate"),
    Band.HIGH: Text("hoog", "high"),
    Band.VERY_HIGH: Text("zeer hoog", "very high"),
}


def band(probability: float) -> Band:
    """The band of a probability.

    Examples
    --------
    >>> band(0.5), band(0.65), band(0.1)
    (<Band.MODERATE: 'moderate'>, <Band.HIGH: 'high'>, <Band.VERY_LOW: 'very_low'>)
    """
    for limit, name in BAND_LIMITS:
        if probability >= limit:
            return name
    return Band.VERY_LOW


def likelihoods(item: Evidence) -> tuple[float, float]:
    """P(E|H) and P(E|not H) of an item: its overrides, else the table (swapped for a
    contradicting item).

    Examples
    --------
    >>> import datetime as dt
    >>> item = Evidence("e", "study", "contradicts", "strong", "x", dt.date(2030, 1, 1), "a",
    ...                 assumption="a1")
    >>> likelihoods(item)
    (0.1, 0.8)
    """
    if item.p_e_given_h is not None and item.p_e_given_not_h is not None:
        return item.p_e_given_h, item.p_e_given_not_h
    p_h, p_not_h = LIKELIHOODS[(item.kind, item.strength)]
    return (p_h, p_not_h) if item.says is Says.SUPPORTS else (p_not_h, p_h)


def log_likelihood_ratio(item: Evidence) -> float:
    """``log(P(E|H) / P(E|not H))``: positive for support, negative against, 0 neutral."""
    if item.p_e_given_h is not None and item.p_e_given_not_h is not None:
        return math.log(item.p_e_given_h) - math.log(item.p_e_given_not_h)
    return _LOG_RATIO[(item.kind, item.strength, item.says)]


def _check_prior(prior: float, subject: object = None) -> float:
    if isinstance(prior, bool) or not isinstance(prior, int | float):
        raise ConfidenceError(f"the prior of {subject} must be a number, got {prior!r}")
    if not (math.isfinite(prior) and 0.0 < prior < 1.0):
        raise ConfidenceError(f"the prior of {subject} must lie strictly between 0 and 1")
    return float(prior)


def posterior(prior: float, log_ratios: Iterable[float]) -> float:
    """The posterior probability from a prior and the log likelihood ratios of the items.

    In log-odds, exactly summed, clamped to ``[EPSILON, 1 - EPSILON]``.

    Examples
    --------
    >>> posterior(0.5, [])
    0.5
    >>> round(posterior(0.5, [math.log(4)]), 6)
    0.8
    >>> posterior(0.5, [1e6]) == 1 - EPSILON
    True
    """
    return _posterior(_check_prior(prior), math.fsum(log_ratios))


def _posterior(prior: float, total: float) -> float:
    """:func:`posterior` of a checked prior and the exact sum of the log ratios."""
    if total == 0:
        # The round trip through log-odds may miss the prior by a rounding step: no
        # evidence, or evidence that cancels out, gives the prior itself.
        return min(1.0 - EPSILON, max(EPSILON, prior))
    log_odds = math.log(prior) - math.log1p(-prior) + total
    if log_odds >= _MAX_LOG_ODDS:
        return 1.0 - EPSILON
    if log_odds <= -_MAX_LOG_ODDS:
        return EPSILON
    if log_odds >= 0:
        p = 1.0 / (1.0 + math.exp(-log_odds))
    else:
        z = math.exp(log_odds)
        p = z / (1.0 + z)
    # ... and support never ends below the prior, nor contradiction above it.
    p = max(p, prior) if total > 0 else min(p, prior)
    return min(1.0 - EPSILON, max(EPSILON, p))


class Weight(NamedTuple):
    """How much one item moved its hypothesis: its log likelihood ratio."""

    item: Evidence
    log_ratio: float

    @property
    def ratio(self) -> float:
        """The likelihood ratio P(E|H) / P(E|not H)."""
        return math.exp(self.log_ratio)


@dataclass(frozen=True)
class Confidence:
    """The confidence in one hypothesis (a link or an assumption) from its evidence.

    ``weights`` holds every item counted, the one that moved the posterior most first
    (largest ``|log ratio|``, ties by date then id).
    """

    subject: Link | str
    prior: float
    posterior: float
    weights: tuple[Weight, ...] = ()

    @property
    def band(self) -> Band:
        return band(self.posterior)

    @property
    def has_evidence(self) -> bool:
        return bool(self.weights)

    @property
    def illustrative(self) -> bool:
        """Whether any counted item is an illustration."""
        return any(w.item.illustrative for w in self.weights)

    def movers(self, n: int = 3) -> tuple[Weight, ...]:
        """The ``n`` items that moved the posterior most (items of ratio 1 never count)."""
        return tuple(w for w in self.weights if w.log_ratio != 0)[:n]


def assess(
    subject: Link | str,
    items: Iterable[Evidence],
    prior: float = DEFAULT_PRIOR,
    as_of: dt.date | None = None,
) -> Confidence:
    """The confidence in ``subject`` from ``items`` (all bearing on it) dated up to ``as_of``.

    Raises
    ------
    ConfidenceError
        For a prior outside (0, 1) or an item about another subject.
    """
    prior = _check_prior(prior, subject)
    weights = []
    for item in items:
        if item.subject != subject:
            raise ConfidenceError(f"evidence {item.id!r} is about {item.subject}, not {subject}")
        if as_of is None or item.date <= as_of:
            weights.append(Weight(item, log_likelihood_ratio(item)))
    return _confidence(subject, prior, weights)


def _confidence(subject: Link | str, prior: float, weights: list[Weight]) -> Confidence:
    if len(weights) > 1:
        weights.sort(key=_weight_order)
    value = _posterior(prior, math.fsum([w.log_ratio for w in weights]))
    return Confidence(subject, prior, value, tuple(weights))


def _weight_order(w: Weight) -> tuple[float, dt.date, str]:
    return (-abs(w.log_ratio), w.item.date, w.item.id)


def _group(
    items: Iterable[Evidence], as_of: dt.date | None, wanted: Collection[Link | str]
) -> dict[Link | str, list[Weight]]:
    """The weights of the items dated up to ``as_of`` on ``wanted`` subjects, by subject."""
    groups: dict[Link | str, list[Weight]] = {}
    table, new = _LOG_RATIO, tuple.__new__
    for item in items:
        if as_of is not None and item.date > as_of:
            continue
        subject = item.subject
        if subject not in wanted:
            continue
        if item.p_e_given_h is None:
            ratio = table[(item.kind, item.strength, item.says)]
        else:
            ratio = log_likelihood_ratio(item)
        weight = new(Weight, (item, ratio))
        found = groups.get(subject)
        if found is None:
            groups[subject] = [weight]
        else:
            found.append(weight)
    return groups


def confidences(
    subjects: Iterable[Link | str],
    items: Iterable[Evidence],
    priors: Mapping[Link | str, float] | None = None,
    as_of: dt.date | None = None,
) -> dict[Link | str, Confidence]:
    """The confidence of each of ``subjects`` (links or assumption ids), in their order, from
    the items bearing on them (others are not counted).

    Examples
    --------
    >>> confidences(["a1"], [], {"a1": 0.7})
    {'a1': Confidence(subject='a1', prior=0.7, posterior=0.7, weights=())}
    """
    subjects = list(dict.fromkeys(subjects))
    groups = _group(items, as_of, set(subjects))
    out: dict[Link | str, Confidence] = {}
    for subject in subjects:
        prior = (
            DEFAULT_PRIOR
            if not priors
            else _check_prior(priors.get(subject, DEFAULT_PRIOR), subject)
        )
        weights = groups.get(subject)
        if weights is None:
            out[subject] = Confidence(subject, prior, _posterior(prior, 0.0), ())
        else:
            out[subject] = _confidence(subject, prior, weights)
    return out


def link_confidences(
    plan: Plan | CausalIndex,
    items: Iterable[Evidence],
    priors: Mapping[Link, float] | None = None,
    as_of: dt.date | None = None,
) -> dict[Link, Confidence]:
    """The confidence of every causal link of the plan, in plan order.

    ``priors`` sets a link's prior (others get :data:`DEFAULT_PRIOR`). Items on links that are
    not in the plan, and items on assumptions, are not counted (see
    :func:`toc.evidence_queries.orphaned_evidence`).

    Examples
    --------
    >>> from toc.model import Edge, Node, Text
    >>> plan = Plan.of([Node("Strategy", "s", Text(en="S")), Node("Output", "x", Text(en="X"))],
    ...                [Edge("CONTRIBUTES_TO", "s", "x")])
    >>> link_confidences(plan, [], priors={Link("s", "x"): 0.3})[Link("s", "x")].posterior
    0.3
    """
    index = plan if isinstance(plan, CausalIndex) else causal_index(plan)
    found = confidences(index.links, items, _widened(priors), as_of)
    return {link: found[link] for link in index.links}


def assumption_confidences(
    plan: Plan,
    items: Iterable[Evidence],
    priors: Mapping[str, float] | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Confidence]:
    """The confidence that each Assumption of the plan holds, by id."""
    ids = [n.id for n in plan.nodes if n.kind == "Assumption"]
    found = confidences(ids, items, _widened(priors), as_of)
    return {i: found[i] for i in ids}


def _widened(
    priors: Mapping[Link, float] | Mapping[str, float] | None,
) -> Mapping[Link | str, float] | None:
    """Priors keyed by links or by assumption ids, as the mapping :func:`confidences` reads."""
    return None if priors is None else dict(priors.items())


@dataclass(frozen=True)
class PathwayConfidence:
    """The confidence of a pathway: every link holds (the product), and its weakest link."""

    nodes: tuple[str, ...]
    confidence: float
    weakest: Link
    weakest_posterior: float

    @property
    def band(self) -> Band:
        return band(self.confidence)

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(Link(a, b) for a, b in itertools.pairwise(self.nodes))


def pathway_confidence(
    nodes: Sequence[str], confidences: Mapping[Link, Confidence | float]
) -> PathwayConfidence:
    """The confidence of the pathway through ``nodes`` from the confidence of its links.

    Examples
    --------
    >>> pathway_confidence(["s", "o", "so"], {Link("s", "o"): 0.9, Link("o", "so"): 0.5})
    PathwayConfidence(nodes=('s', 'o', 'so'), confidence=0.45, weakest=Link(source='o', \
target='so', kind='CONTRIBUTES_TO'), weakest_posterior=0.5)
    """
    nodes = tuple(nodes)
    if len(nodes) < 2:
        raise ConfidenceError("a pathway has at least one link (two nodes)")
    values = []
    for a, b in itertools.pairwise(nodes):
        link = Link(a, b)
        found = confidences.get(link)
        if found is None:
            raise ConfidenceError(f"no confidence for the link {link}: is it in the plan?")
        values.append((found.posterior if isinstance(found, Confidence) else found, link))
    weakest_value, weakest = min(values, key=lambda v: (v[0], v[1]))
    return PathwayConfidence(nodes, math.prod(v for v, _ in values), weakest, weakest_value)
