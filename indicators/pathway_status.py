"""Status along the pathway: each node's status from its own indicators, the status of what
contributes to it, and the "assumption to test" signal. The one service the command line, the
web app and reports call: :func:`plan_status`.

* An indicator's **current status** is the status of its latest period with an approved value
  (as known at the cutoff), see :mod:`indicators.status`.
* A node's **own** status rolls up the current statuses of the indicators measuring it, with
  the indicators' weights, by the configured rule (:class:`indicators.rollup.RollupRule`:
  ``worst_of`` by default, or ``weighted_mean`` / ``majority``).
* Its **contributions** status rolls up, by the same rule, the combined statuses of the nodes
  linked to it by ``CONTRIBUTES_TO`` (edge ``weight``, default 1); a node's **combined** status
  is its own when it has data, else its contributions' (:func:`indicators.rollup.rollup_graph`).
* **Assumption to test**: contributions on track while the node's own status is at risk or off
  track: what should move it is delivered, yet it does not move.

A stored value or definition that cannot be used (a number that is not finite, written by an
earlier version or directly into the store) does not count: its indicator carries the
reason in :attr:`IndicatorStatus.problems` and every page, the API and the command line show
it, instead of failing (:func:`data_problems`).

The plan's links are the current ones; indicator definitions and values are those in force at
the cutoff, so a report made "as of" a date is reproduced from the revision history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypedDict

import numpy as np
import pandas as pd

from indicators.definitions import indicator_periods
from indicators.errors import IndicatorError
from indicators.model import Indicator, IndicatorType, stamp_cutoff
from indicators.progress import DEFAULT_THRESHOLDS, Status, Thresholds
from indicators.rollup import (
    DEFAULT_RULE,
    ContributionCycleError,
    NodeRollup,
    RollupMethod,
    RollupRule,
    rollup,
    rollup_graph,
)
from indicators.status import (
    STATUS_COLUMNS,
    CountingRow,
    PeriodStatus,
    counting_frame,
    definition_problems,
    indicator_statuses,
    row_problem,
)
from indicators.store_protocol import IndicatorStorage
from toc.kinds import CAUSAL_KINDS
from toc.model import Plan

__all__ = [
    "IndicatorStatus",
    "PlanStatus",
    "compute_plan_status",
    "data_problems",
    "plan_links",
    "plan_status",
]


@dataclass(frozen=True, eq=False)
class IndicatorStatus:
    """An indicator with its counted values. The current status (of the latest period with a
    counted value) is computed at once, the status of every period when asked for."""

    indicator: Indicator
    latest: CountingRow | None = None
    source: pd.DataFrame | None = None
    positions: tuple[int, ...] = ()
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    illustrative_values: bool = False
    problems: tuple[str, ...] = ()

    @cached_property
    def rows(self) -> tuple[CountingRow, ...]:
        """The counted revisions of this indicator, as records."""
        if self.source is None or not self.positions:
            return ()
        return tuple(self.source.iloc[list(self.positions)].to_dict("records"))

    @cached_property
    def periods(self) -> tuple[PeriodStatus, ...]:
        """Statuses of the periods with a counted value, in period order."""
        return tuple(indicator_statuses(self.indicator, self.rows, thresholds=self.thresholds))

    @cached_property
    def current(self) -> PeriodStatus | None:
        """The latest period with a counted value."""
        if self.latest is None:
            return None
        found = indicator_statuses(self.indicator, [self.latest], thresholds=self.thresholds)
        return found[-1] if found else None

    @property
    def status(self) -> Status:
        current = self.current
        return current.status if current is not None else Status.NO_DATA

    @property
    def illustrative(self) -> bool:
        return self.indicator.illustrative or self.illustrative_values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndicatorStatus):
            return NotImplemented
        return self.indicator == other.indicator and self.periods == other.periods

    # Defining __eq__ leaves __hash__ None: unhashable, as the cached properties need.


def _period_order(indicator: Indicator) -> dict[str, int]:
    return {p.id: i for i, p in enumerate(indicator_periods(indicator))}


@dataclass(frozen=True)
class PlanStatus:
    """Statuses of every indicator and every causal node of the plan at one moment."""

    nodes: dict[str, NodeRollup]
    indicators: dict[str, IndicatorStatus]
    measured_by: dict[str, tuple[str, ...]]
    rule: RollupRule = DEFAULT_RULE
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    before: str | None = None
    kinds: dict[str, str] = field(default_factory=dict)

    @cached_property
    def illustrative(self) -> bool:
        """Whether any indicator or counted value is an illustration (demo data); asked on
        every page, so kept (a plan status is not changed once computed)."""
        return any(s.illustrative for s in self.indicators.values())

    def problems(self) -> dict[str, list[str]]:
        """Per indicator code, why stored figures of it cannot be used (only those with
        problems; see :func:`data_problems`)."""
        return {c: list(s.problems) for c, s in self.indicators.items() if s.problems}

    def assumptions_to_test(self) -> list[str]:
        """Nodes whose contributions are on track while they themselves are not."""
        return [n for n, r in self.nodes.items() if r.assumption_to_test]


def plan_links(plan: Plan) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
    """The causal nodes of a plan (id -> kind) and its contribution links (source, target,
    weight), as :meth:`graphdb.indicator_store.IndicatorStore.contribution_graph` gives them."""
    kinds = {n.id: n.kind for n in plan.nodes if n.kind in CAUSAL_KINDS}
    links = [
        (e.source, e.target, float(e.props.get("weight", 1.0)))
        for e in plan.edges_of_kind("CONTRIBUTES_TO")
    ]
    return kinds, links


def compute_plan_status(
    plan: Plan | tuple[Mapping[str, str], Sequence[tuple[str, str, float]]],
    indicators: Sequence[Indicator],
    revisions: pd.DataFrame,
    *,
    before: str | None = None,
    rule: RollupRule = DEFAULT_RULE,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> PlanStatus:
    """Statuses from a plan (or its causal nodes and links, see :func:`plan_links`),
    definitions and a revision frame (pure)."""
    kinds, links = plan_links(plan) if isinstance(plan, Plan) else plan
    counted = counting_frame(revisions, before)
    positions: dict[str, tuple[int, ...]] = {}
    latest: dict[str, CountingRow] = {}
    marked: dict[str, bool] = {}
    if not counted.empty:
        # Period ids of one indicator sort in time order; the last row is the latest period.
        counted = counted.sort_values(["indicator", "period"], kind="stable").reset_index(drop=True)
        positions = {
            str(code): tuple(int(i) for i in idx)
            for code, idx in counted.groupby("indicator", sort=False).indices.items()
        }
        flags = counted.groupby("indicator", sort=False)["illustrative"].any()
        marked = {str(code): bool(flag) for code, flag in flags.items()}
        last = counted.drop_duplicates("indicator", keep="last")
        latest = {row["indicator"]: row for row in last.to_dict("records")}
    problems = data_problems(indicators, counted)
    statuses: dict[str, IndicatorStatus] = {}
    measured_by: dict[str, list[str]] = {}
    for ind in indicators:
        statuses[ind.code] = IndicatorStatus(
            ind,
            latest.get(ind.code),
            counted,
            positions.get(ind.code, ()),
            thresholds,
            bool(marked.get(ind.code, False)),
            tuple(problems.get(ind.code, ())),
        )
        for node_id in ind.measures:
            measured_by.setdefault(node_id, []).append(ind.code)

    own: dict[str, Status] = {node_id: Status.NO_DATA for node_id in kinds}
    for node_id, codes in measured_by.items():
        if node_id in kinds:
            own[node_id] = rollup(
                [(statuses[c].status, statuses[c].indicator.weight) for c in codes], rule
            )
    contributors: dict[str, list[str]] = {}
    weights: dict[tuple[str, str], float] = {}
    for source, target, weight in links:
        if source in kinds and target in kinds:
            contributors.setdefault(target, []).append(source)
            weights[(source, target)] = weight
    try:
        nodes = rollup_graph(contributors, own, rule, weights)
    except ContributionCycleError as e:
        raise IndicatorError(f"the plan's contributions form a cycle: {e}") from None
    ordered = {n: nodes[n] for n in sorted(nodes, key=lambda n: (_level(kinds.get(n)), n))}
    return PlanStatus(
        nodes=ordered,
        indicators=statuses,
        measured_by={k: tuple(v) for k, v in sorted(measured_by.items())},
        rule=rule,
        thresholds=thresholds,
        before=before,
        kinds=dict(kinds),
    )


def data_problems(indicators: Sequence[Indicator], counted: pd.DataFrame) -> dict[str, list[str]]:
    """Per indicator code, why its definition or a counted value cannot be used
    (:func:`indicators.status.definition_problems`, :func:`indicators.status.row_problem`):
    such values do not count, and the pages say so instead of failing. The rows are screened
    column-wise; Python looks only at the suspect ones."""
    by_code = {i.code: i for i in indicators}
    out: dict[str, list[str]] = {}
    for ind in indicators:
        found = definition_problems(ind)
        if found:
            out[ind.code] = found
    if counted.empty:
        return out
    suspect = np.zeros(len(counted), dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for name in ("value", "numerator", "denominator"):
            if name in counted:
                suspect |= np.isinf(counted[name].to_numpy(dtype=np.float64))
        if "numerator" in counted and "denominator" in counted:
            num = counted["numerator"].to_numpy(dtype=np.float64)
            den = counted["denominator"].to_numpy(dtype=np.float64)
            suspect |= (den <= 0) | (num < 0) | np.isinf(num / den)
    if "level" in counted:
        ordinal = {c for c, i in by_code.items() if i.type is IndicatorType.ORDINAL}
        leveled = counted["indicator"].isin(list(ordinal)) & (counted["level"].fillna("") != "")
        suspect |= leveled.to_numpy()
    for row in counted.loc[suspect].to_dict("records"):
        defined = by_code.get(row["indicator"])
        problem = row_problem(defined, row) if defined is not None else ""
        if defined is not None and problem:
            out.setdefault(defined.code, []).append(problem)
    return out


def _level(kind: str | None) -> int:
    return -CAUSAL_KINDS.index(kind) if kind in CAUSAL_KINDS else 1


def plan_status(
    store: IndicatorStorage,
    *,
    as_of: dt.date | dt.datetime | str | None = None,
    rule: RollupRule | str = DEFAULT_RULE,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> PlanStatus:
    """Statuses of the stored plan, as known at the end of ``as_of`` (a date, date-time or ISO
    text; None: now). ``rule`` is a :class:`RollupRule` or a method name."""
    if not isinstance(rule, RollupRule):
        rule = RollupRule(RollupMethod(rule))
    before = stamp_cutoff(as_of) if as_of is not None else None
    graph = store.contribution_graph()
    indicators = store.indicators(as_of=before)
    frame = store.revision_frame(status="approved", before=before, columns=STATUS_COLUMNS)
    return compute_plan_status(
        graph, indicators, frame, before=before, rule=rule, thresholds=thresholds
    )


class NodeStatusRow(TypedDict):
    """One node's line of the status table (``toc status``)."""

    node: str
    kind: str
    title: str
    own: str
    contributions: str
    combined: str
    assumption_to_test: bool
    indicators: str


def node_status_rows(result: PlanStatus, titles: Mapping[str, str]) -> list[NodeStatusRow]:
    """One display row per node: id, kind, title, own, contributions, combined, flag."""
    return [
        {
            "node": node_id,
            "kind": result.kinds.get(node_id, ""),
            "title": titles.get(node_id, ""),
            "own": r.own.value,
            "contributions": r.contributions.value,
            "combined": r.combined.value,
            "assumption_to_test": r.assumption_to_test,
            "indicators": ", ".join(result.measured_by.get(node_id, ())),
        }
        for node_id, r in result.nodes.items()
    ]
