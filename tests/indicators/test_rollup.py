"""Tests for indicators.rollup: roll-up rules and the contribution-graph roll-up."""

import doctest
import graphlib
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import rollup as rollup_module
from indicators.progress import Status
from indicators.rollup import (
    DEFAULT_RULE,
    STATUS_SCORES,
    ContributionCycleError,
    NodeRollup,
    RollupMethod,
    RollupRule,
    rollup,
    rollup_graph,
)

ON, RISK, OFF, NONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA
METHODS = list(RollupMethod)


def test_doctests_pass():
    result = doctest.testmod(rollup_module)
    assert result.attempted >= 5
    assert result.failed == 0


# ----------------------------------------------------------------------------- rollup rules


def test_rule_defaults_and_validation():
    assert DEFAULT_RULE.method is RollupMethod.WORST_OF
    assert (DEFAULT_RULE.on_track_min, DEFAULT_RULE.at_risk_min) == (0.8, 0.5)
    assert DEFAULT_RULE.treat_no_data_as is None
    assert RollupRule("majority").method is RollupMethod.MAJORITY
    assert RollupRule(treat_no_data_as="off_track").treat_no_data_as is OFF
    assert dict(STATUS_SCORES) == {ON: 1.0, RISK: 0.5, OFF: 0.0}
    bad_rules = [
        {"at_risk_min": 0.0},
        {"at_risk_min": 0.6},
        {"on_track_min": 0.5},
        {"on_track_min": 1.1},
        {"treat_no_data_as": NONE},
        {"method": "average"},
    ]
    for bad in bad_rules:
        with pytest.raises(ValueError):
            RollupRule(**bad)


def test_worst_of_exact():
    assert rollup([(ON, 1), (RISK, 1)], "worst_of") is RISK
    assert rollup([(ON, 1), (OFF, 1), (RISK, 1)], "worst_of") is OFF
    assert rollup([(ON, 1), (NONE, 1)], "worst_of") is ON  # NO_DATA ignored
    assert rollup([(ON, 1), (OFF, 0)], "worst_of") is ON  # weight 0 excluded
    assert rollup([(NONE, 1), (NONE, 2)], "worst_of") is NONE
    assert rollup([], "worst_of") is NONE
    assert rollup([(ON, 1)]) is ON  # default rule is worst_of
    strict = RollupRule(treat_no_data_as=OFF)
    assert rollup([(ON, 1), (NONE, 1)], strict) is OFF
    assert rollup([("on_track", 1), ("at_risk", 2)]) is RISK  # string values accepted


def test_weighted_mean_exact():
    wm = RollupMethod.WEIGHTED_MEAN
    assert rollup([(ON, 1), (ON, 1)], wm) is ON
    assert rollup([(ON, 4), (OFF, 1)], wm) is ON  # 0.8, inclusive
    assert rollup([(ON, 3), (OFF, 1)], wm) is RISK  # 0.75
    assert rollup([(ON, 1), (OFF, 1)], wm) is RISK  # 0.5, inclusive
    assert rollup([(RISK, 1), (OFF, 1)], wm) is OFF  # 0.25
    assert rollup([(RISK, 5)], wm) is RISK
    assert rollup([(OFF, 1), (NONE, 100)], wm) is OFF  # NO_DATA ignored, not scored as 0
    assert rollup([(ON, 1), (NONE, 1)], RollupRule(wm, treat_no_data_as=OFF)) is RISK
    assert rollup([(NONE, 1)], wm) is NONE
    assert rollup([(ON, 0.1), (OFF, 0.9)], wm) is OFF  # weights matter
    assert rollup([(ON, 0.9), (OFF, 0.1)], wm) is ON
    lenient = RollupRule(wm, on_track_min=0.7, at_risk_min=0.2)
    assert rollup([(ON, 3), (OFF, 1)], lenient) is ON
    assert rollup([(RISK, 1), (OFF, 1)], lenient) is RISK


def test_majority_exact():
    # plurality is not monotone: improving the OFF child to AT_RISK makes AT_RISK win
    assert rollup([(ON, 2), (RISK, 1.5), (OFF, 1)], "majority") is ON
    assert rollup([(ON, 2), (RISK, 1.5), (RISK, 1)], "majority") is RISK
    assert rollup([(ON, 1), (ON, 1), (OFF, 1)], "majority") is ON
    assert rollup([(ON, 1), (OFF, 1)], "majority") is OFF  # tie -> more severe
    assert rollup([(ON, 1), (RISK, 1), (OFF, 1)], "majority") is OFF
    assert rollup([(ON, 3), (OFF, 1), (OFF, 1)], "majority") is ON  # weighted
    assert rollup([(RISK, 1), (NONE, 5)], "majority") is RISK
    assert rollup([(NONE, 1)], "majority") is NONE


def test_invalid_weights():
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            rollup([(ON, bad)])
    with pytest.raises(TypeError):
        rollup([(ON, True)])
    with pytest.raises(ValueError):
        rollup([("great", 1)])


# ----------------------------------------------------------------------------- rule properties

statuses = st.sampled_from(list(Status))
weights = st.floats(min_value=0.001, max_value=1000, allow_nan=False) | st.integers(1, 100)
children = st.lists(st.tuples(statuses, weights), max_size=20)


def _data(children_):
    return [s for s, w in children_ if s.has_data and w > 0]


@given(children)
def test_worst_of_never_better_than_any_child(kids):
    result = rollup(kids, "worst_of")
    for status, _ in kids:
        assert result.severity >= status.severity
    assert (result is NONE) == (not _data(kids))
    if _data(kids):
        assert result in _data(kids)


@given(children, st.sampled_from(METHODS))
def test_all_rules_stay_between_worst_and_best(kids, method):
    result = rollup(kids, method)
    data = _data(kids)
    if not data:
        assert result is NONE
        return
    sev = [s.severity for s in data]
    assert min(sev) <= result.severity <= max(sev)
    if method is not RollupMethod.WEIGHTED_MEAN:
        assert result in data


@given(children, st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_rollup_is_order_independent(kids, method, rnd):
    shuffled = list(kids)
    rnd.shuffle(shuffled)
    assert rollup(shuffled, method) is rollup(kids, method)


@given(
    children,
    statuses,
    weights,
    st.sampled_from([RollupMethod.WORST_OF, RollupMethod.WEIGHTED_MEAN]),
)
def test_improving_a_child_never_worsens_the_rollup(kids, status, weight, method):
    """Monotonicity of worst_of and weighted_mean (majority, a plurality vote, is not monotone)."""
    better = {OFF: RISK, RISK: ON, ON: ON, NONE: NONE}[status]
    before = rollup([*kids, (status, weight)], method)
    after = rollup([*kids, (better, weight)], method)
    assert after.severity <= before.severity or before is NONE


@given(st.lists(statuses, min_size=1, max_size=10), st.sampled_from(METHODS))
def test_unanimous_children_keep_their_status(kid_statuses, method):
    status = kid_statuses[0]
    assert rollup([(status, 1.0) for _ in kid_statuses], method) is status


# ----------------------------------------------------------------------------- graph roll-up


def test_graph_small_exact():
    contributors = {
        "impact": ["outcome_a", "outcome_b"],
        "outcome_a": ["output_1", "output_2"],
        "outcome_b": ["output_3"],
    }
    own = {
        "impact": NONE,
        "outcome_a": OFF,
        "output_1": ON,
        "output_2": ON,
        "output_3": RISK,
        "orphan": ON,
    }
    result = rollup_graph(contributors, own)
    assert list(result) == [
        "impact", "outcome_a", "outcome_b", "output_1", "output_2", "output_3", "orphan",
    ]  # fmt: skip
    assert result["output_1"] == NodeRollup(ON, NONE, ON, False)
    assert result["outcome_a"] == NodeRollup(OFF, ON, OFF, True)  # assumption to test
    assert result["outcome_b"] == NodeRollup(NONE, RISK, RISK, False)  # judged by contributions
    assert result["impact"] == NodeRollup(NONE, OFF, OFF, False)  # worst of OFF, RISK
    assert result["orphan"] == NodeRollup(ON, NONE, ON, False)


def test_graph_rule_and_weights():
    contributors = {"goal": ["a", "b", "c"]}
    own = {"goal": RISK, "a": ON, "b": ON, "c": OFF}
    assert rollup_graph(contributors, own)["goal"].contributions is OFF
    wm = rollup_graph(contributors, own, "weighted_mean")["goal"]
    assert wm.contributions is RISK  # 2/3
    weighted = rollup_graph(contributors, own, "weighted_mean", weights={("c", "goal"): 0.25})
    assert weighted["goal"].contributions is ON  # 2 / 2.25 = 0.89
    assert weighted["goal"].assumption_to_test is True
    zero = rollup_graph(contributors, own, weights={("c", "goal"): 0})
    assert zero["goal"] == NodeRollup(RISK, ON, RISK, True)


def test_graph_flag_only_for_at_risk_or_off_track():
    for own_goal, flag in ((ON, False), (RISK, True), (OFF, True), (NONE, False)):
        result = rollup_graph({"goal": ["x"]}, {"goal": own_goal, "x": ON})
        assert result["goal"].assumption_to_test is flag
    result = rollup_graph({"goal": ["x"]}, {"goal": OFF, "x": RISK})
    assert result["goal"].assumption_to_test is False


def test_graph_combined_passes_through_nodes_without_data():
    # a <- b <- c: b has no own data, so a sees c's status through b.
    result = rollup_graph({"a": ["b"], "b": ["c"]}, {"a": OFF, "c": ON})
    assert result["b"] == NodeRollup(NONE, ON, ON, False)
    assert result["a"] == NodeRollup(OFF, ON, OFF, True)


def test_graph_edge_cases():
    assert rollup_graph({}, {}) == {}
    assert rollup_graph({"a": []}, {}) == {"a": NodeRollup(NONE, NONE, NONE, False)}
    dup = rollup_graph({"a": ["b", "b"]}, {"b": ON, "a": "off_track"})
    assert dup["a"] == NodeRollup(OFF, ON, OFF, True)
    diamond = rollup_graph({"top": ["l", "r"], "l": ["base"], "r": ["base"]}, {"base": RISK})
    assert diamond["top"].combined is RISK
    with pytest.raises(TypeError):
        rollup_graph({"a": "bc"}, {})


def test_graph_cycles_raise():
    with pytest.raises(ContributionCycleError) as info:
        rollup_graph({"a": ["a"]}, {})
    assert info.value.cycle == ["a", "a"]
    with pytest.raises(ContributionCycleError, match="a -> b -> a"):
        rollup_graph({"a": ["b"], "b": ["a"]}, {})
    contributors = {"x": ["a"], "a": ["b"], "b": ["c"], "c": ["a"], "d": []}
    with pytest.raises(ContributionCycleError) as info:
        rollup_graph(contributors, {})
    cycle = info.value.cycle
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[:-1]) == ["a", "b", "c"]
    for u, v in itertools.pairwise(cycle):  # u contributes to v
        assert u in contributors[v]
    assert isinstance(info.value, graphlib.CycleError)
    assert isinstance(info.value, ValueError)


# ----------------------------------------------------------------------------- graph properties


@st.composite
def dags(draw, max_nodes=25):
    """Random DAG: node i may only have contributors with a smaller index; labels shuffled."""
    n = draw(st.integers(0, max_nodes))
    labels = draw(st.permutations([f"n{i}" for i in range(n)]))
    contributors = {}
    for i in range(n):
        if draw(st.booleans()) or i == 0:
            picks = draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=4)) if i else []
            contributors[labels[i]] = [labels[j] for j in picks]
    own = {label: draw(statuses) for label in labels if draw(st.booleans())}
    return labels, contributors, own


def _naive(contributors, own, rule, weights=None):
    """Straight recursive recomputation of the documented definitions (exponential, no memo)."""
    weights = weights or {}

    def combined(node):
        own_s = own.get(node, NONE)
        return own_s if own_s.has_data else contributions(node)

    def contributions(node):
        kids = list(dict.fromkeys(contributors.get(node, [])))
        if not kids:
            return NONE
        return rollup([(combined(c), weights.get((c, node), 1.0)) for c in kids], rule)

    nodes = set(contributors) | {c for cs in contributors.values() for c in cs} | set(own)
    out = {}
    for node in nodes:
        o, c = own.get(node, NONE), contributions(node)
        out[node] = NodeRollup(o, c, combined(node), c is ON and o in (RISK, OFF))
    return out


@settings(deadline=None, max_examples=60)
@given(dags(max_nodes=12), st.sampled_from(METHODS))
def test_graph_equals_naive_recomputation(dag, method):
    _, contributors, own = dag
    result = rollup_graph(contributors, own, method)
    assert result == _naive(contributors, own, RollupRule(method))


@settings(deadline=None, max_examples=50)
@given(dags(), st.sampled_from(METHODS))
def test_graph_invariants(dag, method):
    _labels, contributors, own = dag
    result = rollup_graph(contributors, own, method)
    assert set(result) == set(contributors) | {c for cs in contributors.values() for c in cs} | set(
        own
    )
    for node, r in result.items():
        assert r.own is own.get(node, NONE)
        assert r.combined is (r.own if r.own.has_data else r.contributions)
        assert r.assumption_to_test == (r.contributions is ON and r.own in (RISK, OFF))
        kids = contributors.get(node, [])
        expected = rollup([(result[k].combined, 1) for k in dict.fromkeys(kids)], method)
        assert r.contributions is expected
    # Input order of the mapping does not matter.
    reordered = dict(reversed(list(contributors.items())))
    assert rollup_graph(reordered, own, method) == result


@settings(deadline=None, max_examples=50)
@given(dags(), st.data())
def test_graph_back_edge_is_detected(dag, data):
    """Adding an edge that closes a loop always raises ContributionCycleError."""
    labels, contributors, own = dag
    edges = [(c, n) for n, cs in contributors.items() for c in cs]  # c contributes to n
    if not edges:
        # A self-loop is the smallest cycle.
        node = data.draw(st.sampled_from(labels)) if labels else "only"
        contributors = {**contributors, node: [*contributors.get(node, []), node]}
    else:
        c, n = data.draw(st.sampled_from(edges))
        # n already receives from c: make c receive from n as well.
        contributors = {**contributors, c: [*contributors.get(c, []), n]}
    with pytest.raises(ContributionCycleError) as info:
        rollup_graph(contributors, own)
    cycle = info.value.cycle
    assert cycle[0] == cycle[-1]
    for u, v in itertools.pairwise(cycle):
        assert u in contributors[v]


def _big_graph(n):
    """n nodes: a long chain (depth n/2) plus a layered part with ~3 contributors per node."""
    contributors = {}
    half = n // 2
    for i in range(1, half):
        contributors[f"chain{i}"] = [f"chain{i - 1}"]
    for i in range(half):
        contributors[f"layer{i}"] = [f"layer{j}" for j in (i - 1, i - 7, i - 50) if j >= 0]
    statuses_cycle = [ON, RISK, OFF, NONE, ON]
    own = {node: statuses_cycle[k % 5] for k, node in enumerate(contributors) if k % 3}
    return contributors, own


@pytest.mark.parametrize("method", METHODS)
def test_a_graph_of_20000_nodes_with_a_chain_10000_deep_rolls_up(method):
    """No recursion limit on deep plans: every node gets a status. How fast is the benchmark's
    figure (bench/indicators.py, against its baseline in the same run), not a clock here."""
    contributors, own = _big_graph(20_000)
    result = rollup_graph(contributors, own, method)
    assert len(result) == 20_000
