"""What-if: what goes with a removed node, which objectives lose or keep fewer pathways, which
indicators lose what they measure, and which funding is attached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.definitions import load as load_indicators
from tests.toc.learning_plans import dags, ladder, node
from toc.analysis import NodeNotFound
from toc.causal import causal_index, pathway_counts
from toc.model import Edge, Plan
from toc.planfile import load
from toc.whatif import REMOVABLE_KINDS, WhatIf, WhatIfError, what_if

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def network() -> Plan:
    """The ladder plus the plan's other links:

    * s1 is carried out with partners p1 and p2, works in countries c1 and c2;
    * s2 is carried out with p2 alone and works in no country;
    * p1 works in c1 only; p2 in no country;
    * partnership ps1 (p1 and p2 take part) works in c2; ps2 has p1 alone;
    * donor d funds budget line b1 and funding record f1; p2 funds b2.
    """
    base = ladder()
    nodes = [
        *base.nodes,
        node("Partner", "p1"), node("Partner", "p2"), node("Partner", "d"),
        node("Country", "c1"), node("Country", "c2"),
        node("Partnership", "ps1", partnership_type="town_twinning", status="active"),
        node("Partnership", "ps2", partnership_type="town_twinning", status="active"),
        node("BudgetLine", "b1", category="operating", year=2027, amount=1000.0),
        node("BudgetLine", "b2", category="total", period="2027-2031", amount=5000.0),
        node("Funding", "f1", year=2024, amount=250.0, row="donor"),
    ]  # fmt: skip
    links = [
        ("PARTNERS_IN", "p1", "s1"), ("PARTNERS_IN", "p2", "s1"), ("PARTNERS_IN", "p2", "s2"),
        ("PARTNERS_IN", "p1", "o2"),
        ("WORKS_IN", "s1", "c1"), ("WORKS_IN", "s1", "c2"), ("WORKS_IN", "p1", "c1"),
        ("WORKS_IN", "ps1", "c2"),
        ("PARTICIPATES_IN", "p1", "ps1"), ("PARTICIPATES_IN", "p2", "ps1"),
        ("PARTICIPATES_IN", "p1", "ps2"),
        ("FUNDS", "d", "b1"), ("FUNDS", "d", "f1"), ("FUNDS", "p2", "b2"),
    ]  # fmt: skip
    return Plan.of(nodes, [*base.edges, *(Edge(k, s, t) for k, s, t in links)])


def removed(result: WhatIf) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.node, r.reason, r.because) for r in result.removed]


def test_removing_a_strategy():
    result = what_if(network(), ["s2"], {"ind.o2": ["o2"], "ind.o1": ["o1"], "ind.s2": ["s2"]})
    assert result.to_dict() == {
        "removed": [{"node": "s2", "kind": "Strategy", "reason": "named", "because": []}],
        "lost": [{"node": "o2", "kind": "Objective", "before": 1}],
        "weakened": [
            {"node": "so", "kind": "StrategicObjective", "before": 4, "after": 2},
            {"node": "o1", "kind": "Objective", "before": 2, "after": 1},
        ],
        "indicators": [{"indicator": "ind.o2", "nodes": ["o2"]},
                       {"indicator": "ind.s2", "nodes": ["s2"]}],
        "funding": [],
    }  # fmt: skip


def test_a_strategy_goes_when_its_last_partner_goes():
    assert removed(what_if(network(), ["p1"])) == [
        ("p1", "named", ()),
        ("ps2", "participants", ("p1",)),
    ]
    result = what_if(network(), ["p1", "p2"])
    assert removed(result) == [
        ("p1", "named", ()),
        ("p2", "named", ()),
        ("ps1", "participants", ("p1", "p2")),
        ("ps2", "participants", ("p1",)),
        ("s1", "partners", ("p1", "p2")),
        ("s2", "partners", ("p2",)),
    ]
    assert [c.node for c in result.lost] == ["so", "o1", "o2"]
    assert result.weakened == ()


def test_a_partner_of_an_objective_carries_no_pathway():
    """p1 helps reach o2 (PARTNERS_IN), but o2's pathway runs through s2."""
    result = what_if(network(), ["p1"])
    assert result.lost == () and result.weakened == ()


def test_countries_take_what_works_only_there():
    result = what_if(network(), ["c1"])
    assert removed(result) == [("c1", "named", ()), ("p1", "countries", ("c1",)),
                               ("ps2", "participants", ("p1",))]  # fmt: skip
    result = what_if(network(), ["c1", "c2"])
    assert removed(result) == [
        ("c1", "named", ()),
        ("c2", "named", ()),
        ("p1", "countries", ("c1",)),
        ("ps1", "countries", ("c2",)),
        ("ps2", "participants", ("p1",)),
        ("s1", "countries", ("c1", "c2")),
    ]
    assert [(c.node, c.before, c.after) for c in result.weakened] == [("so", 4, 2), ("o1", 2, 1)]
    assert result.lost == ()


def test_a_partnership_carries_no_pathway():
    result = what_if(network(), ["ps1"])
    assert removed(result) == [("ps1", "named", ())]
    assert (result.lost, result.weakened, result.funding) == ((), (), ())


def test_funding_attached_to_a_removed_donor():
    result = what_if(network(), ["d"])
    assert [f.to_dict() for f in result.funding] == [
        {"node": "b1", "kind": "BudgetLine", "amount": 1000.0, "year": 2027,
         "category": "operating", "funders": ["d"]},
        {"node": "f1", "kind": "Funding", "amount": 250.0, "year": 2024, "category": "donor",
         "funders": ["d"]},
    ]  # fmt: skip
    assert result.lost == () and result.weakened == ()


def test_a_removed_budget_line_is_listed_itself():
    result = what_if(network(), ["b2"])
    assert [f.to_dict() for f in result.funding] == [
        {"node": "b2", "kind": "BudgetLine", "amount": 5000.0, "period": "2027-2031",
         "category": "total", "funders": []}
    ]  # fmt: skip


def test_removing_an_objective_cuts_what_runs_through_it():
    result = what_if(network(), ["o1"], {"ind.o1": ["o1"]})
    assert [(c.node, c.before, c.after) for c in result.weakened] == [("so", 4, 2)]
    assert result.lost == ()  # o1 is removed, not lost
    assert [i.to_dict() for i in result.indicators] == [{"indicator": "ind.o1", "nodes": ["o1"]}]


def test_a_node_without_pathways_before_is_not_lost():
    """o3 has no pathway at all: removing everything leaves it unreported."""
    result = what_if(network(), ["s1", "s2"], {"ind.o3": ["o3"]})
    assert [c.node for c in result.lost] == ["so", "o1", "o2"]
    assert result.indicators == ()


def test_indicators_on_unknown_nodes_are_left_out():
    result = what_if(network(), ["s2"], {"ind.gone": ["nowhere", "o2"], "ind.none": []})
    assert [i.to_dict() for i in result.indicators] == [{"indicator": "ind.gone", "nodes": ["o2"]}]


def test_a_measured_node_given_as_text_is_refused():
    with pytest.raises(WhatIfError, match=r"the nodes ind\.x measures must be a list of ids"):
        what_if(network(), ["s1"], {"ind.x": "o1"})


def test_the_json_has_the_documented_keys_and_serialises():
    result = what_if(network(), ["s1", "s1"])
    data = result.to_dict()
    assert list(data) == ["removed", "lost", "weakened", "indicators", "funding"]
    assert json.loads(json.dumps(data)) == data
    assert [r["node"] for r in data["removed"]] == ["s1"]  # repeats count once


@pytest.mark.parametrize(
    "without, error, message",
    [
        ([], WhatIfError, "name at least one node"),
        (["nowhere"], NodeNotFound, "no node with id 'nowhere'"),
        (["a1"], WhatIfError, "a1 is of kind Assumption; a what-if removes Strategy, Partner"),
        ("s1", WhatIfError, "give the ids to remove as a list, not one text"),
    ],
)
def test_what_cannot_be_removed(without, error, message):
    with pytest.raises(error, match=message):
        what_if(network(), without)


def test_the_vvsg_plan_without_three_countries():
    """Without Benin, Ecuador and Senegal, s3 (umbrella associations, which works only there)
    goes with the three sister associations and the Benin partnership; s1 keeps Nicaragua."""
    plan = load(EXAMPLES / "vvsg-2027-2036.yaml")
    measures = {
        i.code: i.measures for i in load_indicators(EXAMPLES / "vvsg-indicators.yaml").indicators
    }
    result = what_if(plan, ["country.bj", "country.ec", "country.sn"], measures)
    assert removed(result) == [
        ("country.bj", "named", ()),
        ("country.ec", "named", ()),
        ("country.sn", "named", ()),
        ("partner.sa-benin", "countries", ("country.bj",)),
        ("partner.sa-ecuador", "countries", ("country.ec",)),
        ("partner.sa-senegal", "countries", ("country.sn",)),
        ("pship.sa1", "countries", ("country.bj",)),
        ("s3", "countries", ("country.bj", "country.ec", "country.sn")),
    ]
    data = result.to_dict()
    assert data["lost"] == [
        {"node": "so3", "kind": "StrategicObjective", "before": 2},
        {"node": "so3.o1", "kind": "Objective", "before": 1},
        {"node": "so3.o2", "kind": "Objective", "before": 1},
    ]
    assert [(c["node"], c["before"], c["after"]) for c in data["weakened"]] == [
        ("so1", 6, 4),
        ("so2", 4, 3),
        ("so1.o1", 3, 2),
        ("so1.o2", 3, 2),
        ("so2.o3", 2, 1),
    ]
    assert data["indicators"] == [
        {"indicator": "ind.so3.o1.sister-associations", "nodes": ["so3.o1"]},
        {"indicator": "ind.so3.o2.multilevel", "nodes": ["so3.o2"]},
    ]
    assert data["funding"] == []


def test_the_vvsg_plan_without_its_federal_donor():
    plan = load(EXAMPLES / "vvsg-2027-2036.yaml")
    result = what_if(plan, ["partner.dgd"])
    kinds = [f.kind for f in result.funding]
    assert (kinds.count("BudgetLine"), kinds.count("Funding"), kinds.count("Plan")) == (48, 5, 1)
    first = result.funding[0].to_dict()
    assert first == {"node": "budget.administration.2027", "kind": "BudgetLine",
                     "amount": 163699.0, "year": 2027, "category": "administration",
                     "funders": ["partner.dgd"]}  # fmt: skip
    assert result.lost == () and result.weakened == ()


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_removing_more_never_leaves_more_pathways(plan, data):
    index = causal_index(plan)
    ids = sorted(index.kinds)
    some = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    more = data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    fewer = what_if(plan, some, index=index)
    after_fewer = pathway_counts(index, {r.node for r in fewer.removed})
    after_more = pathway_counts(index, set(some) | set(more))
    before = pathway_counts(index)
    for node_id in ids:
        assert after_more[node_id] <= after_fewer[node_id] <= before[node_id]
    for change in (*fewer.lost, *fewer.weakened):
        assert change.after == after_fewer[change.node] < change.before == before[change.node]


def test_every_removable_kind_can_be_removed():
    plan = network()
    for kind in REMOVABLE_KINDS:
        found = [n.id for n in plan.nodes if n.kind == kind]
        if found:
            assert what_if(plan, found[:1]).removed[0].node == found[0]
