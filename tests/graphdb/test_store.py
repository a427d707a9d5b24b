"""The storage interface's behaviour. Every test runs against each store backend."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import networkx as nx
import pytest

from graphdb import StoreError, StoreLocked, open_store
from graphdb.cypher_guard import QueryRefused
from tests.conftest import small_plan
from toc.diff import plan_changes
from toc.errors import PlanInvalid
from toc.model import Edge, Node, Plan, Text


def test_a_new_store_is_empty(store):
    assert store.load_plan() == Plan.of([], [])
    assert store.plan_version() == 0
    assert store.revisions() == []
    assert store.schema_version() >= 1


def test_save_and_load_round_trip(store, plan):
    revision = store.save_plan(plan, author="ann", message="first")
    assert revision.version == 1
    assert (revision.author, revision.message) == ("ann", "first")
    assert (revision.nodes, revision.edges) == (len(plan.nodes), len(plan.edges))
    assert store.load_plan() == plan
    assert store.get_node("so1.o1") == plan.node("so1.o1")
    assert store.get_node("absent") is None
    assert store.nodes("Strategy") == plan.of_kind("Strategy")
    assert store.edges("CONTRIBUTES_TO") == plan.edges_of_kind("CONTRIBUTES_TO")


def test_saving_the_same_plan_again_changes_nothing(store, plan):
    store.save_plan(plan)
    assert store.save_plan(plan) is None
    assert store.plan_version() == 1


def test_updates_deletions_and_kind_changes(store, plan):
    store.save_plan(plan)
    changed = Plan.of(
        [
            *(n for n in plan.nodes if n.id not in ("s2", "so1.o1", "r1")),
            replace(plan.node("so1.o1"), title=Text("Nieuw", "New")),
            Node("Strategy", "r1", Text("Was een rol", "Was a role")),  # kind changed
        ],
        [
            *(e for e in plan.edges if "s2" not in (e.source, e.target) and e.target != "r1"),
            Edge("CONTRIBUTES_TO", "r1", "so1.o2", {"rationale": Text(en="now a strategy")}),
        ],
    )
    revision = store.save_plan(changed, message="edit")
    assert revision.version == 2
    assert store.load_plan() == changed
    assert store.get_node("s2") is None
    assert store.get_node("r1").kind == "Strategy"
    assert [r.message for r in store.revisions()] == ["", "edit"]


def test_edge_property_update(store, plan):
    store.save_plan(plan)
    edges = [
        Edge(e.kind, e.source, e.target, {**e.props, "weight": 2.0})
        if e.key == ("CONTRIBUTES_TO", "s2", "so1.o2")
        else e
        for e in plan.edges
    ]
    store.save_plan(Plan.of(plan.nodes, edges))
    [edge] = [e for e in store.edges("CONTRIBUTES_TO") if e.source == "s2"]
    assert edge.props["weight"] == 2.0


def test_an_invalid_plan_writes_nothing(store, plan):
    store.save_plan(plan)
    broken = Plan.of(plan.nodes, [*plan.edges, Edge("CONTRIBUTES_TO", "so1", "so1.o1")])
    with pytest.raises(PlanInvalid, match="cycle"):
        store.save_plan(broken)
    assert store.load_plan() == plan
    assert store.plan_version() == 1


def test_a_failure_inside_the_transaction_rolls_back(store, plan, monkeypatch):
    store.save_plan(plan)
    bigger = Plan.of([*plan.nodes, Node("Role", "r2", Text("Rol", "Role"))], plan.edges)
    calls = {"n": 0}
    writer = sys.modules[type(store).__module__]._Writer  # the engine's plan-save steps
    original = writer.write_edges

    def fail_midway(self, *args, **kwargs):
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "write_edges", fail_midway)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save_plan(bigger)
    monkeypatch.setattr(writer, "write_edges", original)
    assert calls["n"] == 1
    assert store.get_node("r2") is None
    assert store.load_plan() == plan
    assert store.plan_version() == 1


def test_data_survives_reopening(tmp_path, plan):
    path = tmp_path / "s.lbug"
    with open_store(path) as s:
        s.save_plan(plan)
    with open_store(path) as s:
        assert s.load_plan() == plan
        assert s.plan_version() == 1


def test_a_second_writer_process_gets_a_clear_message(tmp_path, plan):
    path = tmp_path / "s.lbug"
    with open_store(path) as s:
        s.save_plan(plan)
        code = (
            "import sys\n"
            "from graphdb import open_store, StoreLocked\n"
            "try:\n"
            f"    open_store({str(path)!r})\n"
            "except StoreLocked as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 3, out.stderr
    assert "in use by another program" in out.stdout
    assert str(path) in out.stdout
    assert StoreLocked.__mro__[1] is not None


def test_query_reads_with_parameters(store, plan):
    store.save_plan(plan)
    result = store.query(
        "MATCH (s:Strategy)-[:CONTRIBUTES_TO]->(o:Objective) WHERE o.id = $id RETURN s.id AS s",
        {"id": "so1.o1"},
    )
    assert result.columns == ["s"]
    assert result.rows == [("s1",)]
    assert result.records() == [{"s": "s1"}]
    count = store.query("MATCH (n:Objective) RETURN count(n)").scalar()
    assert count == 2


def test_query_returns_nodes_as_plain_dicts(store, plan):
    store.save_plan(plan)
    [(node,)] = store.query("MATCH (n:Objective {id: 'so1.o1'}) RETURN n").rows
    assert node["_kind"] == "Objective"
    assert node["id"] == "so1.o1"
    assert node["title_en"] == "Objective 1.1"


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (n) DETACH DELETE n",
        "CREATE (:Role {id: 'x'})",
        "MATCH (n:Role) SET n.note = 'x'",
        "MERGE (:Role {id: 'x'})",
        "match (n) remove n.note",
        "DROP TABLE Role",
    ],
)
def test_query_refuses_writes(store, plan, cypher):
    store.save_plan(plan)
    with pytest.raises(QueryRefused):
        store.query(cypher)
    assert store.load_plan() == plan


def test_query_errors_are_store_errors(store):
    with pytest.raises(StoreError, match="query failed"):
        store.query("MATCH (n:NoSuchKind) RETURN n")


def test_to_networkx(store, plan):
    store.save_plan(plan)
    g = store.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(plan.nodes)
    assert g.number_of_edges() == len(plan.edges)
    assert g.nodes["so1"]["kind"] == "StrategicObjective"
    assert g.has_edge("s1", "so1.o1", key="CONTRIBUTES_TO")


def test_plan_changes_is_empty_for_equal_plans():
    assert not plan_changes(small_plan(), small_plan())
    changes = plan_changes(Plan.of([], []), small_plan())
    assert changes.summary()["nodes added"] == len(small_plan().nodes)


def test_queries_never_reveal_account_secrets(store, plan):
    """Accounts are not in the graph: a query naming them finds nothing to name."""
    from graphdb.account_store import Account

    store.save_plan(plan)
    store.add_account(Account("ann", "$argon2id$v=19$secret", "viewer"))
    for cypher in ("MATCH (a:Account) RETURN a", "MATCH (a:account) RETURN a.password_hash"):
        # The embedded store refuses the unknown table; a Neo4j server that once held a
        # store of an older version knows the label (its accounts were moved out) and
        # answers no rows. Either way no secret comes back.
        try:
            answer = store.query(cypher)
        except StoreError as refused:
            assert re.search(r"(?i)account", str(refused))
            assert "argon2" not in str(refused)
        else:
            assert answer.rows == [], answer.rows
    rows = store.query("MATCH (n) RETURN n").rows
    kinds = {node["_kind"] for (node,) in rows}
    assert kinds == {n.kind for n in plan.nodes} | {
        "StoreMeta",
        "PlanRevision",
        "PlanVersionContent",
    }
    assert "argon2" not in repr(rows) and "password_hash" not in repr(rows)


def test_the_plan_data_kinds_round_trip(store):
    """Governing bodies, staff figures, revenue shares and claims (and the language variances
    that concern them) are stored and read back alike on both engines."""
    from tests.toc.test_budget_check import PLAN_FILE
    from toc.kinds import PLAN_DATA_KINDS
    from toc.planfile import load

    vvsg = load(PLAN_FILE)
    store.save_plan(vvsg)
    assert store.load_plan() == vvsg
    for kind in ("GoverningBody", "StaffFigure", "RevenueShare", "Claim"):
        assert kind in PLAN_DATA_KINDS
        assert store.nodes(kind) == vvsg.of_kind(kind) != []
    assert store.get_node("staff.team-international.en").props["fte"] == 6.0
    concerned = {e.target for e in store.edges("CONCERNS") if e.source == "var.team-fte"}
    assert {"staff.team-international.nl", "staff.team-international.en"} <= concerned


def test_a_store_of_an_earlier_schema_gets_the_new_columns_and_link_ends(tmp_path, plan):
    """CREATE ... IF NOT EXISTS leaves old tables alone: opening a store made before a field
    (a link's basis) or a link end (a variance concerning a staff figure) existed adds them."""
    from graphdb.ladybug_store import LadybugStore

    path = tmp_path / "old.lbug"
    store = LadybugStore(path)
    store._run("ALTER TABLE CONTRIBUTES_TO DROP basis")
    store._run("MATCH (m:StoreMeta {key: 'schema_fingerprint'}) SET m.value = 'old'")
    store.close()
    store = LadybugStore(path)
    try:
        columns = {r[1] for r in store._run("CALL table_info('CONTRIBUTES_TO') RETURN *")}
        assert "basis" in columns
        edges = [
            Edge(e.kind, e.source, e.target, {**e.props, "basis": "judgement"})
            if e.kind == "CONTRIBUTES_TO"
            else e
            for e in plan.edges
        ]
        store.save_plan(Plan.of(plan.nodes, edges))
        assert {e.props.get("basis") for e in store.edges("CONTRIBUTES_TO")} == {"judgement"}
    finally:
        store.close()
