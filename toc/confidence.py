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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

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
    prior = _check_prior(prior)
    total = math.fsum(log_ratios)
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
    # The round trip through log-odds may miss the prior by a rounding step: no evidence (or
    # evidence that cancels out) gives the prior itself, and support never ends below it.
    if total == 0:
        p = prior
    elif total > 0:
        p = max(p, prior)
    else:
        p = min(p, prior)
    return min(1.0 - EPSILON, max(EPSILON, p))


@dataclass(frozen=True)
class Weight:
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
    weights.sort(key=lambda w: (-abs(w.log_ratio), w.item.date, w.item.id))
    value = posterior(prior, [w.log_ratio for w in weights])
    return Confidence(subject, prior, value, tuple(weights))


def _group(
    subjects: Iterable[Link | str], items: Iterable[Evidence], as_of: dt.date | None
) -> dict[Link | str, list[Weight]]:
    groups: dict[Link | str, list[Weight]] = {s: [] for s in subjects}
    for item in items:
        found = groups.get(item.subject)
        if found is not None and (as_of is None or item.date <= as_of):
            found.append(Weight(item, log_likelihood_ratio(item)))
    return groups


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
    priors = priors or {}
    groups = _group(index.links, items, as_of)
    return {
        link: _confidence(link, _check_prior(priors.get(link, DEFAULT_PRIOR), link), weights)
        for link, weights in groups.items()
    }


def assumption_confidences(
    plan: Plan,
    items: Iterable[Evidence],
    priors: Mapping[str, float] | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Confidence]:
    """The confidence that each Assumption of the plan holds, by id."""
    priors = priors or {}
    ids = [n.id for n in plan.nodes if n.kind == "Assumption"]
    groups = _group(ids, items, as_of)
    return {
        a: _confidence(a, _check_prior(priors.get(a, DEFAULT_PRIOR), a), weights)
        for a, weights in groups.items()
    }


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
