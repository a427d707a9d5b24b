"""Level of detail of pathway diagrams: summaries count exactly the hidden nodes, and every
view stays within its bounds."""

from __future__ import annotations

from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_plan
from toc.analysis import pathway_graph
from toc.lod import MAX_EXPAND, ViewSpec, level_of_detail, summarise

STATUSES = ("on_track", "at_risk", "off_track", "no_data")


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=5),
        st.tuples(st.sampled_from(["Output", "Outcome"]), st.sampled_from(STATUSES)),
        max_size=30,
    )
)
def test_summary_counts_equal_the_hidden_nodes(hidden):  # fmt: skip
    kinds = {k: v[0] for k, v in hidden.items()}
    statuses = {k: v[1] for k, v in hidden.items() if v[1] != "no_data"}
    s = summarise("a", list(hidden), kinds, statuses)
    assert dict(s.kinds) == Counter(v[0] for v in hidden.values())
    assert dict(s.statuses) == Counter(v[1] for v in hidden.values())
    assert s.hidden == len(hidden) == sum(dict(s.statuses).values())


PLAN = synthetic_plan(2_000, 4_000)
GRAPH = pathway_graph(PLAN)
KINDS = {n.id: n.kind for n in PLAN.nodes}
CANDIDATES = [
    n.id for n in PLAN.nodes if n.kind not in ("Partner", "Country", "Assumption", "Plan")
]


def test_default_view_of_a_large_plan_is_objectives_and_summaries():
    view = level_of_detail(GRAPH, KINDS, CANDIDATES, ViewSpec())
    assert not view.whole
    assert {KINDS[i] for i in view.drawn} == {"StrategicObjective", "Objective", "SDG"}
    assert view.summaries and all(KINDS[s.anchor] == "Objective" for s in view.summaries)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.sampled_from([*CANDIDATES[:300], "nope"]), max_size=100),
    st.sampled_from([None, "so1", "objective3", "output7"]),
    st.integers(0, 9),
)
def test_views_stay_bounded(expand, focus, depth):
    view = level_of_detail(GRAPH, KINDS, CANDIDATES, ViewSpec(tuple(expand), focus, depth),
                           max_drawn=400)  # fmt: skip
    assert len(view.drawn) <= 400
    assert len(view.expanded) + len(view.not_expanded) <= MAX_EXPAND
    for s in view.summaries:
        assert s.anchor in view.drawn
        assert s.hidden <= len(nx.ancestors(GRAPH, s.anchor))
