"""Synthetic plans of any size for benchmarks: valid, layered, deterministic for a seed.

A plan of ``nodes`` nodes has 10 strategic objectives and the 17 SDGs, then objectives (2 %),
outcomes (12 %), outputs (60 %), strategies (1 %), partners (10 %), countries (1 %) and
assumptions (the rest); links go upwards only (strategy -> output -> outcome -> objective ->
strategic objective), so there is no cycle, plus ALIGNS_WITH, PARTNERS_IN and WORKS_IN links
until there are ``edges`` links. Every node has a Dutch and an English title.

>>> plan = synthetic_plan(2_000, 4_000)
>>> len(plan.nodes), len(plan.edges)
(2000, 4000)
"""

from __future__ import annotations

import random
from collections.abc import Callable

from toc.model import Edge, Node, Plan, Text

__all__ = ["synthetic_plan"]

_SHARES = {"Objective": 0.02, "Outcome": 0.12, "Output": 0.60, "Strategy": 0.01,
           "Partner": 0.10, "Country": 0.01}  # fmt: skip


def synthetic_plan(nodes: int = 20_000, edges: int = 40_000, seed: int = 1) -> Plan:
    """A valid plan with exactly ``nodes`` nodes and ``edges`` links (``nodes`` >= 100,
    ``edges`` between about ``nodes`` and ``20 * nodes``)."""
    if nodes < 100:
        raise ValueError("a synthetic plan has at least 100 nodes")
    rnd = random.Random(seed)
    out: list[Node] = [
        Node("Plan", "plan", Text("Synthetisch plan", "Synthetic plan"),
             props={"organisation": "Bench", "start_year": 2027, "end_year": 2036,
                    "currency": "EUR"}),
        *(Node("SDG", f"sdg{g}", Text(f"SDG {g}", f"SDG {g}"), props={"number": g})
          for g in range(1, 18)),
        *(Node("StrategicObjective", f"so{i}", Text(f"Doel {i}", f"Goal {i}"),
               props={"number": i}) for i in range(1, 11)),
    ]  # fmt: skip
    ids: dict[str, list[str]] = {
        "SDG": [f"sdg{g}" for g in range(1, 18)],
        "StrategicObjective": [f"so{i}" for i in range(1, 11)],
    }
    for kind, share in _SHARES.items():
        ids[kind] = [f"{kind.lower()}{i}" for i in range(1, max(1, int(nodes * share)) + 1)]
    ids["Assumption"] = [f"assumption{i}" for i in range(1, nodes - len(out) - sum(
        len(ids[k]) for k in _SHARES) + 1)]  # fmt: skip
    for kind in [*_SHARES, "Assumption"]:
        for number, node_id in enumerate(ids[kind], 1):
            out.append(_node(kind, node_id, number, rnd))

    links: dict[tuple[str, str, str], Edge] = {}

    def add(kind: str, source: str, target: str, **props: object) -> None:
        links.setdefault((kind, source, target), Edge(kind, source, target, props))

    # The backbone: every node reaches up to a strategic objective, every objective is reached.
    for i, o in enumerate(ids["Objective"]):
        add("CONTRIBUTES_TO", o, ids["StrategicObjective"][i % 10])
    for i, o in enumerate(ids["Outcome"]):
        add("CONTRIBUTES_TO", o, ids["Objective"][i % len(ids["Objective"])])
    for i, o in enumerate(ids["Output"]):
        add("CONTRIBUTES_TO", o, ids["Outcome"][i % len(ids["Outcome"])])
    for i, o in enumerate(ids["Objective"]):
        add("CONTRIBUTES_TO", ids["Strategy"][i % len(ids["Strategy"])], o)
    pick: Callable[[str], str] = lambda kind: rnd.choice(ids[kind])  # noqa: E731
    fillers = [
        lambda: add("CONTRIBUTES_TO", pick("Output"), pick("Outcome"),
                    weight=round(rnd.uniform(0.5, 2), 2), rationale=Text(en="because")),
        lambda: add("CONTRIBUTES_TO", pick("Strategy"), pick("Output")),
        lambda: add("ALIGNS_WITH", pick("Outcome"), pick("SDG"),
                    priority=rnd.choice(["primary", "secondary"])),
        lambda: add("PARTNERS_IN", pick("Partner"), pick("Output")),
        lambda: add("WORKS_IN", pick("Partner"), pick("Country")),
    ]  # fmt: skip
    while len(links) < edges:
        rnd.choice(fillers)()
    return Plan.of(out, list(links.values())[:edges])


def _node(kind: str, node_id: str, number: int, rnd: random.Random) -> Node:
    title = Text(f"{kind} {number} (nl)", f"{kind} {number}: a synthetic {kind.lower()}")
    props: dict[str, object] = {}
    if kind in ("Objective", "Strategy"):
        props["number"] = number
    if kind in ("Objective", "Outcome", "Output"):
        start = rnd.randint(2027, 2034)
        props.update(start_year=start, end_year=rnd.randint(start, 2036))
    if kind == "Partner":
        props["partner_type"] = rnd.choice(["network", "donor", "synergy_partner"])
    if kind == "Country":
        props["iso2"] = f"{chr(65 + number // 26 % 26)}{chr(65 + number % 26)}"
    description = Text("Een langere beschrijving. " * 3, "A longer description. " * 3)
    return Node(kind, node_id, title, description, source=f"§{number}", props=props)
