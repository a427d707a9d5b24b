"""Roll-up of statuses: combine child statuses with a configurable rule and propagate them through
a theory-of-change contribution graph (pure functions over plain data, no I/O).

Roll-up rules (:class:`RollupMethod`)
-------------------------------------
Every rule first drops children with weight 0 and ``NO_DATA`` children (unless
``RollupRule.treat_no_data_as`` maps ``NO_DATA`` to a real status, e.g. ``OFF_TRACK`` for strict
reporting).  If no child is left the result is ``NO_DATA``.

``worst_of`` (default)
    The most severe remaining status (``OFF_TRACK`` > ``AT_RISK`` > ``ON_TRACK``).  Weights only
    matter in that weight 0 excludes a child.
``weighted_mean``
    Score ``ON_TRACK`` = 1, ``AT_RISK`` = 0.5, ``OFF_TRACK`` = 0 (:data:`STATUS_SCORES`), take the
    weighted mean and map it back: ``>= on_track_min`` (default 0.8) → ``ON_TRACK``,
    ``>= at_risk_min`` (default 0.5) → ``AT_RISK``, else ``OFF_TRACK``.
``majority``
    The status with the largest total weight (weighted plurality); ties go to the more severe
    status.  Unlike the other rules a plurality is not monotone: turning an ``OFF_TRACK`` child
    into ``AT_RISK`` can make ``AT_RISK`` outvote ``ON_TRACK``.

Contribution graph (:func:`rollup_graph`)
-----------------------------------------
``contributors[n]`` lists the nodes contributing to node ``n`` (e.g. outputs → outcome).  For
every node:

* ``own`` – status from the node's own indicators (``own_status``, missing → ``NO_DATA``);
* ``contributions`` – roll-up of the *combined* statuses of its contributors (``NO_DATA`` if it
  has none);
* ``combined`` – ``own`` if it has data, else ``contributions`` (a node without its own
  measurements is judged by what feeds it);
* ``assumption_to_test`` – ``contributions`` is ``ON_TRACK`` while ``own`` is ``AT_RISK`` or
  ``OFF_TRACK``: the contributions are delivered but the result they should move is not moving,
  so the causal assumption linking them needs testing.
"""

import graphlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .progress import Status

__all__ = [
    "DEFAULT_RULE",
    "STATUS_SCORES",
    "ContributionCycleError",
    "NodeRollup",
    "RollupMethod",
    "RollupRule",
    "rollup",
    "rollup_graph",
]

STATUS_SCORES: Mapping[Status, float] = {
    Status.ON_TRACK: 1.0,
    Status.AT_RISK: 0.5,
    Status.OFF_TRACK: 0.0,
}
"""Scores used by the ``weighted_mean`` rule."""


class RollupMethod(StrEnum):
    """How child statuses are combined; see the module docstring."""

    WORST_OF = "worst_of"
    WEIGHTED_MEAN = "weighted_mean"
    MAJORITY = "majority"


@dataclass(frozen=True)
class RollupRule:
    """Configuration of a roll-up.

    Parameters
    ----------
    method : RollupMethod, default ``worst_of``
        Combination rule.
    on_track_min : float, default 0.8
        ``weighted_mean``: a mean score ``>=`` this is ``ON_TRACK``.
    at_risk_min : float, default 0.5
        ``weighted_mean``: a mean score ``>=`` this (and below ``on_track_min``) is ``AT_RISK``,
        lower is ``OFF_TRACK``.  Must satisfy ``0 < at_risk_min <= 0.5 < on_track_min <= 1`` so
        that children which all share one status roll up to that status.
    treat_no_data_as : Status or None, default None
        ``None`` ignores ``NO_DATA`` children; a data status counts them as that status.

    Examples
    --------
    >>> RollupRule("weighted_mean").on_track_min
    0.8
    >>> RollupRule(at_risk_min=0.6)
    Traceback (most recent call last):
    ...
    ValueError: need 0 < at_risk_min <= 0.5 < on_track_min <= 1, got 0.6 and 0.8
    """

    method: RollupMethod = RollupMethod.WORST_OF
    on_track_min: float = 0.8
    at_risk_min: float = 0.5
    treat_no_data_as: Status | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", RollupMethod(self.method))
        if not 0 < self.at_risk_min <= 0.5 < self.on_track_min <= 1:
            raise ValueError(
                "need 0 < at_risk_min <= 0.5 < on_track_min <= 1, "
                f"got {self.at_risk_min} and {self.on_track_min}"
            )
        if self.treat_no_data_as is not None:
            treat = Status(self.treat_no_data_as)
            if not treat.has_data:
                raise ValueError("treat_no_data_as must be a data status or None")
            object.__setattr__(self, "treat_no_data_as", treat)


DEFAULT_RULE = RollupRule()


def _coerce_rule(rule: "RollupRule | RollupMethod | str") -> RollupRule:
    return rule if isinstance(rule, RollupRule) else RollupRule(RollupMethod(rule))


def rollup(
    statuses: Iterable[tuple[Status | str, float]],
    rule: RollupRule | RollupMethod | str = DEFAULT_RULE,
) -> Status:
    """Combine weighted child statuses into one status.

    Parameters
    ----------
    statuses : iterable of (Status, weight)
        Child statuses with their weights (``>= 0``, finite).
    rule : RollupRule or RollupMethod or str
        A rule, or just a method name (other settings default).

    Returns
    -------
    Status
        ``NO_DATA`` if no child with data and a positive weight is left.

    Examples
    --------
    >>> on, risk, off = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK
    >>> rollup([(on, 1), (risk, 1), (Status.NO_DATA, 1)], "worst_of")
    <Status.AT_RISK: 'at_risk'>
    >>> rollup([(on, 3), (off, 1)], "weighted_mean")   # mean score 0.75
    <Status.AT_RISK: 'at_risk'>
    >>> rollup([(on, 1), (off, 1), (off, 1)], "majority")
    <Status.OFF_TRACK: 'off_track'>
    >>> rollup([(Status.NO_DATA, 1)], "weighted_mean")
    <Status.NO_DATA: 'no_data'>
    """
    return _rollup(statuses, _coerce_rule(rule))


_SEVERITY = {status: status.severity for status in Status}


def _rollup(statuses: Iterable[tuple[Status | str, float]], rule: RollupRule) -> Status:
    treat = rule.treat_no_data_as
    no_data = Status.NO_DATA
    counted: list[tuple[Status, float]] = []
    for status, weight in statuses:
        if status.__class__ is not Status:
            status = Status(status)
        if weight.__class__ is not float:
            if isinstance(weight, bool):
                raise TypeError(f"weight must be a number, got {weight!r}")
            weight = float(weight)
        if not 0.0 <= weight < math.inf:  # also rejects NaN
            raise ValueError(f"weight must be finite and >= 0, got {weight!r}")
        if weight == 0.0:
            continue
        if status is no_data:
            if treat is None:
                continue
            status = treat
        counted.append((status, weight))
    if not counted:
        return no_data

    method = rule.method
    if method is RollupMethod.WORST_OF:
        worst, worst_rank = no_data, -1
        for status, _ in counted:
            rank = _SEVERITY[status]
            if rank > worst_rank:
                worst, worst_rank = status, rank
        return worst
    if method is RollupMethod.WEIGHTED_MEAN:
        total = math.fsum(w for _, w in counted)
        score = math.fsum(STATUS_SCORES[s] * w for s, w in counted) / total
        if score >= rule.on_track_min:
            return Status.ON_TRACK
        if score >= rule.at_risk_min:
            return Status.AT_RISK
        return Status.OFF_TRACK
    # MAJORITY: weighted plurality, ties to the more severe status.
    per_status: dict[Status, list[float]] = {}
    for status, weight in counted:
        per_status.setdefault(status, []).append(weight)
    return max(per_status, key=lambda st: (math.fsum(per_status[st]), _SEVERITY[st]))


@dataclass(frozen=True, slots=True)
class NodeRollup:
    """Statuses of one node of the contribution graph (see the module docstring).

    Attributes
    ----------
    own : Status
        From the node's own indicators.
    contributions : Status
        Roll-up of the contributors' ``combined`` statuses (``NO_DATA`` without contributors).
    combined : Status
        ``own`` if it has data, else ``contributions``.
    assumption_to_test : bool
        ``contributions`` is ``ON_TRACK`` while ``own`` is ``AT_RISK`` or ``OFF_TRACK``.
    """

    own: Status
    contributions: Status
    combined: Status
    assumption_to_test: bool


class ContributionCycleError(graphlib.CycleError):
    """The contribution graph has a cycle.

    ``cycle`` lists node ids in "contributes to" order, first == last: each node contributes to
    the next one.  Subclass of :class:`graphlib.CycleError` (and so of ``ValueError``).
    """

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle: list[str] = list(cycle)
        super().__init__("contribution cycle: " + " -> ".join(map(str, self.cycle)), self.cycle)

    def __str__(self) -> str:
        return str(self.args[0])


_WHITE, _GREY, _BLACK = 0, 1, 2
_NOT_MOVING = (Status.AT_RISK, Status.OFF_TRACK)


def rollup_graph(
    contributors: Mapping[str, Sequence[str]],
    own_status: Mapping[str, Status | str],
    rule: RollupRule | RollupMethod | str = DEFAULT_RULE,
    weights: Mapping[tuple[str, str], float] | None = None,
) -> dict[str, NodeRollup]:
    """Own, contributions and combined status plus the assumption flag for every node of a DAG.

    Linear in nodes + edges: an iterative depth-first search computes each node once, after all
    its contributors (no recursion, so very deep chains are fine).

    Parameters
    ----------
    contributors : mapping of node id → sequence of node ids
        ``contributors[n]`` = nodes contributing to ``n``.  Ids that appear only as contributors
        (or only in *own_status*) are nodes without contributors.  Duplicates count once.
    own_status : mapping of node id → Status
        Status from each node's own indicators; missing nodes are ``NO_DATA``.
    rule : RollupRule or RollupMethod or str
        How contributors' combined statuses are rolled up (default ``worst_of``).
    weights : mapping of (contributor id, node id) → float, optional
        Weight of the edge "contributor contributes to node"; missing edges weigh 1.

    Returns
    -------
    dict of node id → NodeRollup
        One entry per node, in first-seen order (``contributors`` keys, their contributors,
        then ``own_status`` keys).

    Raises
    ------
    ContributionCycleError
        If the contributions contain a cycle (including a node contributing to itself).

    Examples
    --------
    >>> on, off = Status.ON_TRACK, Status.OFF_TRACK
    >>> result = rollup_graph({"outcome": ["output1", "output2"]},
    ...                       {"outcome": off, "output1": on, "output2": on})
    >>> result["outcome"]
    NodeRollup(own=<Status.OFF_TRACK: 'off_track'>, contributions=<Status.ON_TRACK: 'on_track'>, \
combined=<Status.OFF_TRACK: 'off_track'>, assumption_to_test=True)
    >>> rollup_graph({"a": ["b"], "b": ["a"]}, {})
    Traceback (most recent call last):
    ...
    indicators.rollup.ContributionCycleError: contribution cycle: a -> b -> a
    """
    rule = _coerce_rule(rule)
    children: dict[str, tuple[str, ...]] = {}
    nodes: dict[str, None] = {}
    for node, contribs in contributors.items():
        if isinstance(contribs, str | bytes):
            raise TypeError(f"contributors[{node!r}] must be a sequence of ids, not a string")
        unique = tuple(dict.fromkeys(contribs))
        children[node] = unique
        nodes[node] = None
    for unique in children.values():
        for c in unique:
            nodes[c] = None
    for node in own_status:
        nodes[node] = None

    no_data = Status.NO_DATA
    on_track = Status.ON_TRACK
    results: dict[str, NodeRollup] = {}
    state: dict[str, int] = {}
    empty: tuple[str, ...] = ()

    def finish(node: str) -> None:
        own = own_status.get(node, no_data)
        if own.__class__ is not Status:
            own = Status(own)
        contribs = children.get(node, empty)
        if contribs:
            if weights is None:
                parts = [(results[c].combined, 1.0) for c in contribs]
            else:
                parts = [(results[c].combined, weights.get((c, node), 1.0)) for c in contribs]
            contributions = _rollup(parts, rule)
        else:
            contributions = no_data
        combined = own if own is not no_data else contributions
        flag = contributions is on_track and own in _NOT_MOVING
        results[node] = NodeRollup(own, contributions, combined, flag)

    for root in nodes:
        if state.get(root, _WHITE) == _BLACK:
            continue
        state[root] = _GREY
        stack = [(root, iter(children.get(root, empty)))]
        while stack:
            node, it = stack[-1]
            for child in it:
                child_state = state.get(child, _WHITE)
                if child_state == _WHITE:
                    state[child] = _GREY
                    stack.append((child, iter(children.get(child, empty))))
                    break
                if child_state == _GREY:
                    path = [n for n, _ in stack]
                    # path[i + 1] contributes to path[i]; child contributes to path[-1].
                    loop = [*path[path.index(child) :], child]
                    raise ContributionCycleError(loop[::-1])
            else:
                stack.pop()
                state[node] = _BLACK
                finish(node)

    return {node: results[node] for node in nodes}
