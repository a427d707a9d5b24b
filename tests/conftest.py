"""Shared fixtures: small plans built in code, the VVSG plan file, and fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphdb.ladybug_store import LadybugStore
from toc.model import Edge, Node, Plan, Text

REPO = Path(__file__).resolve().parents[1]
VVSG_PLAN = REPO / "examples" / "vvsg-2027-2036.yaml"


def small_plan() -> Plan:
    """A tiny but complete plan: 2 strategies, 2 objectives, 1 strategic objective, 2 SDGs."""
    nodes = [
        Node("Plan", "p", Text("Plan", "Plan"), props={
            "organisation": "Org", "start_year": 2027, "end_year": 2036, "currency": "EUR"}),
        Node("StrategicObjective", "so1", Text("Doel 1", "Goal 1"), props={"number": 1}),
        Node("Objective", "so1.o1", Text("Doel 1.1", "Objective 1.1"),
             props={"number": 1, "start_year": 2027, "end_year": 2031}),
        Node("Objective", "so1.o2", Text("Doel 1.2", "Objective 1.2"), props={"number": 2}),
        Node("Strategy", "s1", Text("Strategie 1", "Strategy 1")),
        Node("Strategy", "s2", Text("Strategie 2", "Strategy 2")),
        Node("SDG", "sdg16", Text("Vrede", "Peace"), props={"number": 16}),
        Node("SDG", "sdg11", Text("Steden", "Cities"), props={"number": 11}),
        Node("Role", "r1", Text("Netwerker", "Networker")),
        Node("Country", "be", Text("België", "Belgium"), props={"iso2": "BE"}),
        Node("Partner", "enabel", Text("Enabel", "Enabel"),
             props={"partner_type": "synergy_partner"}),
        Node("Assumption", "a1", Text("Gemeenten blijven geïnteresseerd", "Interest lasts")),
    ]  # fmt: skip
    edges = [
        Edge("CONTRIBUTES_TO", "s1", "so1.o1", {"rationale": Text("omdat", "because"),
                                                "assumptions": ("a1",)}),
        Edge("CONTRIBUTES_TO", "s2", "so1.o2"),
        Edge("CONTRIBUTES_TO", "so1.o1", "so1"),
        Edge("CONTRIBUTES_TO", "so1.o2", "so1"),
        Edge("ALIGNS_WITH", "so1", "sdg16", {"priority": "primary"}),
        Edge("ALIGNS_WITH", "p", "sdg11", {"priority": "secondary"}),
        Edge("PERFORMED_THROUGH", "s1", "r1"),
        Edge("WORKS_IN", "s2", "be"),
        Edge("PARTNERS_IN", "enabel", "s1"),
    ]  # fmt: skip
    return Plan.of(nodes, edges)


@pytest.fixture
def plan() -> Plan:
    return small_plan()


@pytest.fixture
def store(tmp_path):
    """A fresh, empty embedded store in a temporary directory."""
    s = LadybugStore(tmp_path / "store.lbug")
    yield s
    s.close()
