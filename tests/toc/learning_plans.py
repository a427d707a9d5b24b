"""Tiny literal plans and hypothesis strategies shared by the tests of evidence, confidence,
what-if and stories."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from toc.causal import Link
from toc.evidence import Evidence, EvidenceKind, Says, Strength
from toc.model import Edge, Node, Plan, Text

T = Text("x nl", "x")
DAY = dt.date(2030, 1, 1)


def node(kind: str, node_id: str, title: Text = T, **props) -> Node:
    if kind in ("Objective", "StrategicObjective") and "number" not in props:
        props["number"] = 1
    if kind == "Partner" and "partner_type" not in props:
        props["partner_type"] = "network"
    if kind == "Country" and "iso2" not in props:
        props["iso2"] = node_id[-2:].upper()
    return Node(kind, node_id, title, props=props)


def contrib(source: str, target: str, **props) -> Edge:
    return Edge("CONTRIBUTES_TO", source, target, props)


def item(
    item_id: str,
    link: Link | None = None,
    *,
    kind: str = "evaluation",
    says: str = "supports",
    strength: str = "moderate",
    date: dt.date = DAY,
    assumption: str | None = None,
    **extra,
) -> Evidence:
    """An evidence item with defaults for everything the test does not care about."""
    return Evidence(
        item_id, kind, says, strength, f"source of {item_id}", date, "tester",
        link=link, assumption=assumption, **extra,
    )  # fmt: skip


def ladder() -> Plan:
    """s1, s2 -> o1; s2 -> o2; o1, o2 -> so; s1 -> so directly; o3 reached by no strategy.

    Pathways into so: s1-o1-so, s2-o1-so, s2-o2-so, s1-so: 4.
    """
    nodes = [
        node("Strategy", "s1", Text("Strategie 1", "Strategy 1")),
        node("Strategy", "s2", Text("Strategie 2", "Strategy 2")),
        node("Objective", "o1", Text("Doel 1", "Objective 1")),
        node("Objective", "o2", Text("Doel 2", "Objective 2")),
        node("Objective", "o3", Text("Doel 3", "Objective 3")),
        node("StrategicObjective", "so", Text("Strategisch doel", "Strategic objective")),
        node("Assumption", "a1", Text("Veronderstelling", "Assumption one")),
    ]
    edges = [
        contrib("s1", "o1", rationale=Text("omdat", "because"), assumptions=("a1",)),
        contrib("s2", "o1"),
        contrib("s2", "o2"),
        contrib("o1", "so"),
        contrib("o2", "so"),
        contrib("s1", "so"),
        contrib("o3", "so"),
    ]
    return Plan.of(nodes, edges)


@st.composite
def dags(draw, max_nodes: int = 9) -> Plan:
    """A random layered plan: strategies, outputs, outcomes, objectives, a strategic
    objective, with random upward CONTRIBUTES_TO links (a DAG by construction)."""
    layers = ["Strategy", "Output", "Outcome", "Objective", "StrategicObjective"]
    nodes: list[Node] = []
    by_layer: list[list[str]] = []
    for level, kind in enumerate(layers):
        count = draw(st.integers(1, 2 if level == 4 else max(1, max_nodes // 4)))
        ids = [f"{kind.lower()}{i}" for i in range(count)]
        by_layer.append(ids)
        nodes.extend(node(kind, i) for i in ids)
    edges: dict[tuple[str, str], Edge] = {}
    for low in range(4):
        for source in by_layer[low]:
            for high in range(low + 1, 5):
                if high == 1 and low != 0:
                    continue
                for target in by_layer[high]:
                    if draw(st.booleans()):
                        edges[(source, target)] = contrib(source, target)
    return Plan.of(nodes, edges.values())


kinds = st.sampled_from(list(EvidenceKind))
strengths = st.sampled_from(list(Strength))
says = st.sampled_from(list(Says))


@st.composite
def items_on(draw, link: Link, says_value: Says | None = None, count: int = 8) -> list[Evidence]:
    """Up to ``count`` items on ``link`` of any kind and strength, some with overrides."""
    out = []
    for i in range(draw(st.integers(0, count))):
        kind = draw(kinds)
        direction = says_value if says_value is not None else draw(says)
        extra = {}
        if draw(st.booleans()):
            a = draw(st.floats(1e-6, 1 - 1e-6))
            b = draw(st.floats(1e-6, 1 - 1e-6))
            high, low = max(a, b), min(a, b)
            p_h, p_not_h = (high, low) if direction is Says.SUPPORTS else (low, high)
            extra = {"p_e_given_h": p_h, "p_e_given_not_h": p_not_h}
        if kind is EvidenceKind.HARVESTED_OUTCOME:
            extra["outcome"] = "ho1"
        out.append(
            item(f"e{i}", link, kind=kind.value, says=direction.value,
                 strength=draw(strengths).value,
                 date=DAY + dt.timedelta(days=draw(st.integers(0, 3000))), **extra)
        )  # fmt: skip
    return out
