"""A contribution story for one result of the plan, after Mayne's contribution analysis: the
pathways from the strategies to it, the evidence and confidence of each link, the assumptions
and whether they held, the other influencing factors recorded, and a conclusion by confidence
band. Built from the plan and its data only; :mod:`toc.story_render` words it.

The steps of contribution analysis (Mayne 2008, 2012) map onto the story's parts:

1. the cause-effect question: the node and the strategies that reach it (``strategies``);
2. the theory of change: its pathways (``pathway_count``; the most credible ones in
   ``pathways``, each with its confidence and weakest link, see :mod:`toc.confidence`);
3. the evidence on each link of those pathways (``links``: items, posterior, band) and on the
   assumptions the links rely on (held, did not hold, inconclusive or untested);
4. other influencing factors: harvested outcomes near the node that were unplanned or
   negative (``factors``), beside the planned, positive ones (``outcomes``);
5. the contribution claim, weighed: the confidence of the most credible pathway. Pathways
   share links, so they are not independent; the probability that at least one holds is at
   least that of the most credible one, which makes it a cautious summary.

Only the ``limit`` most credible pathways are shown (ties: fewer links, then ids): a large plan
has thousands. They are found by a k-best pass over the topological order (each node keeps its
``limit`` best partial pathways), not by enumerating every pathway. The counts of links and of
links without evidence cover every pathway into the node.

>>> import datetime as dt
>>> from toc.evidence import Evidence
>>> from toc.model import Edge, Node, Plan, Text
>>> plan = Plan.of(
...     [Node("Strategy", "s1", Text("S1 nl", "S1")), Node("Objective", "o1", Text("O nl", "O"),
...       props={"number": 1})],
...     [Edge("CONTRIBUTES_TO", "s1", "o1")])
>>> item = Evidence("e1", "study", "supports", "strong", "Study", dt.date(2030, 1, 1), "a",
...                 link=Link("s1", "o1"))
>>> story = contribution_story(plan, "o1", [item])
>>> story.pathway_count, round(story.confidence, 4), story.band.value
(1, 0.8889, 'very_high')
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from toc.analysis import NodeNotFound
from toc.causal import CausalIndex, Link, ancestors, causal_index, pathway_counts
from toc.confidence import (
    Band,
    Confidence,
    ConfidenceError,
    PathwayConfidence,
    band,
    confidences,
    pathway_confidence,
)
from toc.evidence import Evidence
from toc.harvest import HarvestedOutcome, outcomes_near
from toc.model import Edge, Node, Plan, Text

__all__ = [
    "STORY_KINDS",
    "AssumptionCheck",
    "LinkStory",
    "Story",
    "StoryError",
    "contribution_story",
]

#: Kinds a story can be told for.
STORY_KINDS: tuple[str, ...] = ("StrategicObjective", "Objective", "Outcome", "Output")

#: Most pathways a story shows.
MAX_LIMIT = 100


class StoryError(ConfidenceError):
    """A story that cannot be told: a node of the wrong kind, or a limit out of range."""


@dataclass(frozen=True)
class AssumptionCheck:
    """An assumption a link relies on, with the confidence its own evidence gives it."""

    id: str
    title: Text
    confidence: Confidence

    @property
    def state(self) -> str:
        """``held`` (high or very high), ``not_held`` (low or very low), ``inconclusive``
        (moderate) or ``untested`` (no evidence)."""
        if not self.confidence.has_evidence:
            return "untested"
        b = self.confidence.band
        if b in (Band.HIGH, Band.VERY_HIGH):
            return "held"
        if b in (Band.LOW, Band.VERY_LOW):
            return "not_held"
        return "inconclusive"


@dataclass(frozen=True)
class LinkStory:
    """One link of a shown pathway: its rationale, evidence (by date) and assumptions."""

    link: Link
    rationale: Text
    confidence: Confidence
    assumptions: tuple[AssumptionCheck, ...] = ()

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        items = (w.item for w in self.confidence.weights)
        return tuple(sorted(items, key=lambda e: (e.date, e.id)))


@dataclass(frozen=True)
class Story:
    """A contribution story (see the module docstring). ``titles`` holds the title of every
    node the story names."""

    node: str
    kind: str
    titles: Mapping[str, Text]
    strategies: tuple[str, ...]
    pathway_count: int
    pathways: tuple[PathwayConfidence, ...]
    links: tuple[LinkStory, ...]
    links_total: int
    links_without_evidence: int
    outcomes: tuple[HarvestedOutcome, ...] = ()
    factors: tuple[HarvestedOutcome, ...] = ()
    cited: Mapping[str, HarvestedOutcome] = field(default_factory=dict)
    as_of: dt.date | None = None

    @property
    def title(self) -> Text:
        return self.titles[self.node]

    @property
    def confidence(self) -> float | None:
        """The confidence of the most credible pathway, None when no strategy reaches it."""
        return self.pathways[0].confidence if self.pathways else None

    @property
    def band(self) -> Band | None:
        value = self.confidence
        return None if value is None else band(value)

    @property
    def has_evidence(self) -> bool:
        """Whether any link on any pathway into the node has evidence."""
        return self.links_without_evidence < self.links_total

    @property
    def illustrative(self) -> bool:
        """Whether any evidence or outcome the story shows is an illustration."""
        return (
            any(s.confidence.illustrative for s in self.links)
            or any(a.confidence.illustrative for s in self.links for a in s.assumptions)
            or any(o.illustrative for o in (*self.outcomes, *self.factors, *self.cited.values()))
        )


def _best_pathways(
    index: CausalIndex,
    node_id: str,
    up: set[str],
    counts: Mapping[str, int],
    log_p: Mapping[tuple[str, str], float],
    limit: int,
) -> list[tuple[str, ...]]:
    """The ``limit`` pathways into ``node_id`` with the largest sum of log posteriors."""
    best: dict[str, list[tuple[float, int, tuple[str, ...]]]] = {}
    kinds = index.kinds
    for v in index.order:
        if v not in up or counts[v] == 0:
            continue
        if kinds[v] == "Strategy":
            best[v] = [(0.0, 1, (v,))]
            continue
        candidates = [
            (score + log_p[(e.source, v)], length + 1, (*path, v))
            for e in index.into.get(v, ())
            for score, length, path in best.get(e.source, ())
        ]
        best[v] = heapq.nsmallest(limit, candidates, key=lambda c: (-c[0], c[1], c[2]))
    return [path for _, _, path in best.get(node_id, ())]


def contribution_story(
    plan: Plan,
    node_id: str,
    evidence: Iterable[Evidence] = (),
    outcomes: Iterable[HarvestedOutcome] = (),
    *,
    priors: Mapping[Link | str, float] | None = None,
    as_of: dt.date | None = None,
    limit: int = 10,
    index: CausalIndex | None = None,
) -> Story:
    """The contribution story of ``node_id``.

    Parameters
    ----------
    plan : Plan
        A valid plan.
    node_id : str
        A node of a kind in :data:`STORY_KINDS`.
    evidence : iterable of Evidence
        Items on links and assumptions (others are not used); only those dated up to
        ``as_of`` count.
    outcomes : iterable of HarvestedOutcome
        Harvested outcomes; those near the node, and those cited by shown evidence, appear.
    priors : mapping, optional
        Priors of links (by :class:`~toc.causal.Link`) and assumptions (by id); default 0.5.
    limit : int
        Most pathways shown, 1 to 100.
    index : CausalIndex, optional
        The plan's :func:`~toc.causal.causal_index`, when the caller already has it.

    Raises
    ------
    NodeNotFound
        ``node_id`` is not in the plan.
    StoryError
        A node of another kind, or a limit out of range.
    """
    node = plan.get(node_id)
    if node is None:
        raise NodeNotFound(node_id)
    if node.kind not in STORY_KINDS:
        raise StoryError(
            f"{node_id} is of kind {node.kind}; a story is told for a {', '.join(STORY_KINDS)}"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise StoryError(f"the limit must be a whole number from 1 to {MAX_LIMIT}")
    index = index if index is not None else causal_index(plan)
    priors = priors or {}
    up = ancestors(index, node_id)
    up.add(node_id)
    counts = pathway_counts(index, among=up)

    edges: dict[Link, Edge] = {}
    new = tuple.__new__
    for v in up:
        for e in index.into.get(v, ()):
            if counts[e.source] > 0:
                edges[new(Link, (e.source, e.target, e.kind))] = e
    assumption_ids = {a for e in edges.values() for a in e.props.get("assumptions", ())}
    found = confidences([*edges, *sorted(assumption_ids)], evidence, priors, as_of)
    link_confidence: dict[Link, Confidence] = {k: found[k] for k in edges}
    log_p: dict[tuple[str, str], float] = {}
    for link, c in link_confidence.items():
        key = (link.source, link.target)
        log_p[key] = max(log_p.get(key, -math.inf), math.log(c.posterior))

    paths = _best_pathways(index, node_id, up, counts, log_p, limit)
    posteriors = {Link(k.source, k.target): c.posterior for k, c in link_confidence.items()}
    pathways = tuple(pathway_confidence(p, posteriors) for p in paths)
    shown: dict[Link, None] = {}
    for p in pathways:
        for link in p.links:
            shown.setdefault(link, None)

    def check(assumption_id: str) -> AssumptionCheck:
        assumption = plan.get(assumption_id)
        title = assumption.title if assumption is not None else Text(en=assumption_id)
        return AssumptionCheck(assumption_id, title, found[assumption_id])

    link_stories = []
    for link in shown:
        e = edges[link]
        rationale = e.props.get("rationale")
        link_stories.append(
            LinkStory(
                link,
                rationale if isinstance(rationale, Text) else Text(),
                link_confidence[link],
                tuple(check(a) for a in e.props.get("assumptions", ())),
            )
        )
    outcomes = list(outcomes)
    near = outcomes_near(outcomes, node_id)
    by_id = {o.id: o for o in outcomes}
    cited = {
        item.outcome: by_id[item.outcome]
        for s in link_stories
        for item in s.evidence
        if item.outcome is not None and item.outcome in by_id
    }
    named = {node_id, *(n for p in pathways for n in p.nodes)}
    strategies = tuple(n for n in up if index.kinds[n] == "Strategy" and counts[n])
    named.update(strategies)
    return Story(
        node=node_id,
        kind=node.kind,
        titles={n: _label(plan.node(n)) for n in sorted(named)},
        strategies=tuple(sorted(strategies)),
        pathway_count=counts[node_id],
        pathways=pathways,
        links=tuple(link_stories),
        links_total=len(link_confidence),
        links_without_evidence=sum(1 for c in link_confidence.values() if not c.has_evidence),
        outcomes=tuple(o for o in near if not o.other_factor),
        factors=tuple(o for o in near if o.other_factor),
        cited=dict(sorted(cited.items())),
        as_of=as_of,
    )


def _label(node: Node) -> Text:
    """The short title when the node has one (strategic objectives), else the title."""
    short = node.props.get("short_title")
    return short if isinstance(short, Text) and short else node.title
