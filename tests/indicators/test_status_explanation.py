"""Why a node has its status (indicators.status_explanation): own data, contributions, none,
and the assumption-to-test flag, on a plan status built by hand and on a computed one."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.pathway_status import PlanStatus, compute_plan_status
from indicators.progress import Status
from indicators.rollup import NodeRollup
from indicators.status import STATUS_COLUMNS
from indicators.status_explanation import explain_status, nodes_by_status

ON, AT, OFF, NONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA


def _status(**nodes: NodeRollup) -> PlanStatus:
    return PlanStatus(nodes=dict(nodes), indicators={}, measured_by={})


def test_own_status_with_contributions_on_track_is_an_assumption_to_test():
    e = explain_status(_status(so1=NodeRollup(OFF, ON, OFF, True)), "so1", ["a", "b"])
    assert (e.source, e.combined, e.own, e.contributions) == ("own", OFF, OFF, ON)
    assert e.assumption_to_test and e.contributors == 2


def test_without_own_data_the_status_comes_from_contributions():
    e = explain_status(_status(o=NodeRollup(NONE, AT, AT, False)), "o", ["s1"])
    assert (e.source, e.combined, e.assumption_to_test) == ("contributions", AT, False)


def test_no_data_anywhere_and_an_unknown_node():
    assert explain_status(_status(o=NodeRollup(NONE, NONE, NONE, False)), "o").source == "none"
    unknown = explain_status(_status(), "missing")
    assert (unknown.source, unknown.combined, unknown.indicators) == ("none", NONE, 0)


def test_one_indicator_with_data_gives_actual_and_expected(plan):
    from indicators.definitions import loads

    defs = loads(
        """
format: toc-indicators/1
indicators:
  - code: ind.o1
    measures: [so1.o1]
    title: {nl: Gemeenten, en: Municipalities}
    type: number
    direction: increase
    frequency: year
    baseline: {value: 10, date: 2026-12-31}
    end_target: {value: 20, date: 2031-12-31}
  - code: ind.o1b
    measures: [so1.o1]
    title: {nl: Tweede, en: Second}
    type: number
    direction: increase
    frequency: year
    baseline: {value: 0, date: 2026-12-31}
    end_target: {value: 5, date: 2031-12-31}
""",
        plan=plan,
    ).indicators
    row = dict.fromkeys(STATUS_COLUMNS)
    row.update(indicator="ind.o1", period="2028", value=11.0, revision=1, status="approved",
               recorded_at="2029-01-10T00:00:00+00:00", illustrative=False, flags="")  # fmt: skip
    result = compute_plan_status(plan, defs, pd.DataFrame([row], columns=list(STATUS_COLUMNS)))
    e = explain_status(result, "so1.o1")
    assert (e.indicators, e.with_data, e.indicator, e.period) == (2, 1, "ind.o1", "2028")
    assert e.actual == 11.0 and e.expected == pytest.approx(14.0, abs=0.01)  # by days
    assert sum(e.by_status.values()) == 1 and e.source == "own"


def test_nodes_by_status_keeps_order():
    statuses = {"a": "off_track", "b": "on_track", "c": "off_track"}
    assert nodes_by_status(statuses, "off_track") == ["a", "c"]
    assert nodes_by_status(statuses, "at_risk") == []
