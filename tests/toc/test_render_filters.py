"""Diagram filters by partner and by level (lowest causal kind drawn)."""

from __future__ import annotations

import pytest

from toc.analysis import NodeNotFound
from toc.errors import PlanError
from toc.model import Edge, Plan
from toc.render import DiagramFilter, diagram_dot, diagram_nodes


def shown(plan: Plan, **flt) -> set[str]:
    return {n.id for n in diagram_nodes(plan, DiagramFilter(**flt))}


def test_partner_shows_what_it_helps_and_what_that_leads_to(plan):
    assert shown(plan, partner="enabel") == {"s1", "so1.o1", "so1", "sdg16"}


def test_partner_helping_nothing_shows_nothing(plan):
    plan = Plan.of(plan.nodes, [e for e in plan.edges if e.kind != "PARTNERS_IN"])
    assert shown(plan, partner="enabel") == set()


def test_partner_combines_with_other_filters(plan):
    plan = Plan.of(plan.nodes, [*plan.edges, Edge("PARTNERS_IN", "enabel", "so1.o2")])
    assert shown(plan, partner="enabel", focus="s2") == {"so1.o2", "so1", "sdg16"}


@pytest.mark.parametrize(
    "level, expected",
    [
        ("Strategy", {"s1", "s2", "so1.o1", "so1.o2", "so1", "sdg16", "sdg11"}),
        ("Objective", {"so1.o1", "so1.o2", "so1", "sdg16", "sdg11"}),
        ("StrategicObjective", {"so1", "sdg16", "sdg11"}),
    ],
)
def test_level_hides_the_kinds_below_it(plan, level, expected):
    assert shown(plan, level=level) == expected


def test_level_draws_no_links_to_hidden_nodes(plan):
    dot = diagram_dot(plan, flt=DiagramFilter(level="Objective"))
    assert '"s1" ->' not in dot and '"so1.o1" -> "so1";' in dot


def test_unknown_partner_or_level(plan):
    with pytest.raises(NodeNotFound):
        diagram_nodes(plan, DiagramFilter(partner="nope"))
    with pytest.raises(PlanError, match="unknown level 'SDG'"):
        diagram_nodes(plan, DiagramFilter(level="SDG"))
