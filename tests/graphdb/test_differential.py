"""One behaviour, two stores: random examples written to the embedded store and to Neo4j give
identical answers to every read and to the same Cypher queries.

Each example replaces the previous one in both stores, so updates, deletions and kind changes
are exercised along with first saves.

Extension point: an :class:`Example` is what gets written (a plan now; measurements later)
and :data:`READS` what gets compared. Indicators add their writes to :func:`write` and their
reads (status computation, evaluation queries) to :data:`READS` or :data:`QUERIES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore
from tests.strategies import any_text, valid_plans
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.model import Plan

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@dataclass(frozen=True)
class Example:
    """What one example writes to each store."""

    plan: Plan
    author: str
    message: str


@st.composite
def examples(draw) -> Example:
    return Example(draw(valid_plans()), draw(any_text), draw(any_text))


def write(store: GraphStore, example: Example) -> None:
    store.save_plan(example.plan, author=example.author, message=example.message)


def _ids(store: GraphStore) -> list[str]:
    return [n.id for n in store.nodes()] + ["absent", "so1.o99"]


def _graph(store: GraphStore) -> tuple[list, list]:
    g = store.to_networkx()
    nodes = sorted((n, d["kind"], d["node"]) for n, d in g.nodes(data=True))
    edges = sorted((u, v, k) for u, v, k in g.edges(keys=True))
    return nodes, edges


# Every read of the store interface, as a value that must be equal for both stores. Revision
# times differ (the stores saved at different moments), everything else about them may not.
READS: dict[str, Callable[[GraphStore], Any]] = {
    "load_plan": lambda s: s.load_plan(),
    "nodes": lambda s: s.nodes(),
    "nodes of each kind": lambda s: {k: s.nodes(k) for k in NODE_KINDS},
    "edges": lambda s: s.edges(),
    "edges of each kind": lambda s: {k: s.edges(k) for k in EDGE_KINDS},
    "revisions": lambda s: [
        (r.version, r.author, r.message, r.nodes, r.edges) for r in s.revisions()
    ],
    "plan_version": lambda s: s.plan_version(),
    "get_node": lambda s: {i: s.get_node(i) for i in _ids(s)},
    # The same base-class code on both; a few ids suffice (it is slow on the embedded store).
    "neighbours": lambda s: {i: s.neighbours(i) for i in ("so1", "s1")},
    "to_networkx": _graph,
}

# Cypher written once for both engines. Name the columns (implicit names differ) and do not
# reuse a variable's name as a column alias (LadybugDB then orders by the variable).
QUERIES: list[tuple[str, dict[str, Any]]] = [
    *((f"MATCH (n:{kind}) RETURN count(n) AS c", {}) for kind in NODE_KINDS),
    *((f"MATCH ()-[e:{kind}]->() RETURN count(e) AS c", {}) for kind in EDGE_KINDS),
    ("MATCH (a)-[:CONTRIBUTES_TO]->(b) RETURN a.id AS src, b.id AS dst ORDER BY src, dst", {}),
    (
        "MATCH (s:Strategy)-[:CONTRIBUTES_TO*1..5]->(t) "
        "RETURN s.id AS src, t.id AS dst, count(*) AS paths ORDER BY src, dst",
        {},
    ),
    (
        "MATCH p = (s:Strategy)-[:CONTRIBUTES_TO*1..3]->(so:StrategicObjective) "
        "RETURN s.id AS src, so.id AS dst, length(p) AS hops ORDER BY src, dst, hops",
        {},
    ),
    (
        "MATCH p = (s:Strategy)-[:CONTRIBUTES_TO]->(o:Objective) "
        "RETURN s.id AS src, o.id AS dst, p ORDER BY src, dst",
        {},
    ),
    ("MATCH (n:Objective) RETURN n ORDER BY n.id", {}),
    ("MATCH (n:Plan) RETURN n", {}),
    ("MATCH (a)-[e:CONTRIBUTES_TO]->(b) RETURN a.id AS src, b.id AS dst, e ORDER BY src, dst", {}),
    (
        "MATCH (a)-[e:ALIGNS_WITH]->(g:SDG) WHERE e.priority = $p "
        "RETURN g.number AS n, count(a) AS c ORDER BY n",
        {"p": "primary"},
    ),
    ("MATCH (o:Objective) WHERE o.start_year >= $y RETURN o.id AS id ORDER BY id", {"y": 2050}),
    (
        "MATCH (o:Objective) OPTIONAL MATCH (s:Strategy)-[:CONTRIBUTES_TO]->(o) "
        "RETURN o.id AS objective, count(s) AS strategies ORDER BY objective",
        {},
    ),
    ("MATCH (p:Plan) RETURN p.organisation AS org, p.start_year AS y, p.dac_sector AS d", {}),
    ("MATCH (b:BudgetLine) RETURN b.amount AS amount, b.year AS year", {}),
    ("MATCH (n:SDG) RETURN n.id AS id, n.stated_in AS langs ORDER BY id", {}),
    ("MATCH (n:StrategicObjective) RETURN n.cross_cutting AS cc, count(*) AS c ORDER BY cc", {}),
    (
        "MATCH (s:Strategy)-[e:CONTRIBUTES_TO]->(o) "
        "RETURN s.id AS src, min(e.weight) AS lo, max(e.weight) AS hi ORDER BY src",
        {},
    ),
    ("MATCH (n:Strategy) WHERE n.note CONTAINS $t RETURN n.id AS id ORDER BY id", {"t": "a"}),
]


@pytest.fixture(scope="module")
def stores(request, tmp_path_factory):
    embedded = LadybugStore(tmp_path_factory.mktemp("differential") / "s.lbug")
    server = request.getfixturevalue("fresh_neo4j_store")()
    yield embedded, server
    embedded.close()
    server.close()


@SETTINGS
@given(examples())
def test_both_stores_answer_alike(stores, example):
    embedded, server = stores
    for store in stores:
        write(store, example)
    assert embedded.load_plan() == example.plan
    for name, read in READS.items():
        assert read(server) == read(embedded), name
    for cypher, params in QUERIES:
        assert server.query(cypher, params) == embedded.query(cypher, params), cypher
