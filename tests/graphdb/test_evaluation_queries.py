"""The evaluation queries (:mod:`graphdb.evaluation`, run by :mod:`graphdb.evaluation.run`):
each runs on both engines with the VVSG plan and its illustrative data and gives the same
answer; small hand-made plans prove what each kind of answer means; ad-hoc Cypher is read-only
with a timeout and a row limit on both engines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from graphdb.cypher_guard import QueryRefused
from graphdb.evaluation import CRITERIA, QUERIES, UnknownQuery, get_query
from graphdb.evaluation.run import ParameterError, parameter_values, run_cypher, run_query
from graphdb.ladybug_store import LadybugStore
from graphdb.store import QueryTimeout
from indicators.model import MeasurementValue, Revision
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from toc.model import Edge, Node, Plan, Text

SLOW = (
    "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
    "WITH x + y AS z WHERE z % 7 = 1 RETURN sum(z) AS s"
)


def status(**by_node: tuple[str, str]) -> list[dict[str, str]]:
    """A hand-made ``$status``: node id -> (combined, own)."""
    return [{"id": i.replace("_", "."), "status": c, "own": o} for i, (c, o) in by_node.items()]


def approved(code: str, period: str, value: float) -> Revision:
    return Revision(code, period, 1, "approved", MeasurementValue(value=value), author="t",
                    recorded_at=T0)  # fmt: skip


# -- the library ---------------------------------------------------------------------------------


def test_the_library_serves_every_criterion_with_bilingual_texts():
    assert len(QUERIES) >= 15
    assert {q.criterion for q in QUERIES.values()} == set(CRITERIA)
    for q in QUERIES.values():
        for text in (q.title, q.explanation, *(p.description for p in q.parameters)):
            assert text.nl and text.en and text.nl != text.en, q.name
        cypher = q.cypher()
        assert "RETURN" in cypher and "ORDER BY" in cypher, q.name  # same row order everywhere
        for p in q.parameters:
            assert f"${p.name}" in cypher, (q.name, p.name)


def test_an_unknown_query_or_parameter_is_named():
    with pytest.raises(UnknownQuery, match="no evaluation query named 'nope'"):
        get_query("nope")


# -- same answers on both engines, VVSG plan and demo data ---------------------------------------


@pytest.fixture(scope="module")
def vvsg_embedded(tmp_path_factory):
    from bench.web_load import build_demo_store

    path = tmp_path_factory.mktemp("vvsg") / "demo.lbug"
    build_demo_store(path)
    store = LadybugStore(path, read_only=True)
    yield store
    store.close()


def test_every_query_answers_on_the_vvsg_demo(vvsg_embedded):
    empty = []
    for name in QUERIES:
        result = run_query(vvsg_embedded, name, row_limit=None)
        assert result.columns, name
        if not result.rows:
            empty.append(name)
    assert empty == [], "each query has an answer on the demo"
    pathways = run_query(vvsg_embedded, "sdg_pathways", {"strategy": "s1", "sdg": "sdg16"})
    # the strategy -> objective step is a modelling judgement, and the answer says so
    assert pathways.rows == [
        ("s1", "sdg16", 16, "s1", "so2.o3", "contributes", 1, "judgement"),
        ("s1", "sdg16", 16, "so2.o3", "so2", "contributes", 1, "stated"),
    ]
    # s1 aligns with SDG 17 directly (the English text's claim): that is a pathway too
    direct = run_query(vvsg_embedded, "sdg_pathways", {"sdg": "sdg17"})
    assert direct.rows == [("s1", "sdg17", 17, "s1", "sdg17", "aligns", 0, "stated")]
    # SDGs sort by their number, not their id (sdg2 before sdg11)
    numbers = [r[2] for r in run_query(vvsg_embedded, "sdg_pathways", {"strategy": "s1"}).rows]
    assert numbers == sorted(numbers) and numbers[0] == 2
    for name in ("sdg_partners", "sdg_countries", "sdg_alignment"):
        ordered = [r[1] for r in run_query(vvsg_embedded, name, row_limit=None).rows]
        assert ordered == sorted(ordered), name
    # the twelve town twinnings and others name no country: that is not "none"
    coverage = run_query(vvsg_embedded, "country_coverage").records()
    where = {r["country"]: r["partnership_location"] for r in coverage}
    assert where["country.bj"] == "known" and where["country.sn"] == "location_unknown"
    assert coverage[0]["unlocated_partnerships"] > 0
    # years after the demo's last values have no status of their own
    budget = run_query(vvsg_embedded, "budget_vs_progress").records()
    later = [r for r in budget if r["year"] == 2033]
    assert later and {r["status"] for r in later} == {"no_data"}
    assert {r["status_to_date"] for r in later} != {"no_data"}
    # only objectives and results back an SDG; the plan and s1 align with SDG 2, 5, 6, 17
    backing = {r[0]: r[2:4] for r in run_query(vvsg_embedded, "sdg_alignment").rows}
    assert backing["sdg2"] == (0, 0) and backing["sdg17"] == (0, 0)
    assert backing["sdg16"] == (2, 0)
    flagged = run_query(vvsg_embedded, "on_track_under_off_track").rows
    assert flagged == [("so1", "off_track", "so1.o1"), ("so1", "off_track", "so1.o2")]


@pytest.mark.neo4j
@pytest.mark.slow
def test_every_query_gives_the_same_answer_on_neo4j(vvsg_embedded, fresh_neo4j_store):
    from graphdb.migrate import migrate

    server = fresh_neo4j_store()
    try:
        assert migrate(vvsg_embedded, server).ok
        for name in QUERIES:
            here = run_query(vvsg_embedded, name, row_limit=None)
            there = run_query(server, name, row_limit=None)
            assert there.params == here.params, name
            assert (there.columns, there.rows) == (here.columns, here.rows), name
    finally:
        server.close()


# -- what the answers mean, on small plans (both engines) ----------------------------------------


def test_a_link_without_indicator_is_reported(store):
    plan = small_plan()
    store.save_plan(plan)
    only_o1 = [i for i in small_indicators() if i.code == "ind.count"]  # measures so1.o1
    store.save_indicators(only_o1, author="t", now=T0)
    rows = run_query(store, "sdg_pathways", {"strategy": "s1"}).rows
    assert rows == [
        ("s1", "sdg16", 16, "s1", "so1.o1", "contributes", 1, "stated"),
        ("s1", "sdg16", 16, "so1.o1", "so1", "contributes", 0, "stated"),
    ]
    assert run_query(store, "sdg_pathways", {"sdg": "sdg11"}).rows == []


def test_a_strategy_aligned_with_an_sdg_directly_is_a_pathway(store):
    plan = small_plan()
    direct = Edge("ALIGNS_WITH", "s2", "sdg11", {"priority": "secondary"})
    store.save_plan(Plan.of(plan.nodes, [*plan.edges, direct]))
    rows = run_query(store, "sdg_pathways", {"sdg": "sdg11"}).rows
    assert rows == [("s2", "sdg11", 11, "s2", "sdg11", "aligns", 0, "stated")]
    every = run_query(store, "sdg_pathways").rows
    assert [r[:3] for r in every] == [("s1", "sdg16", 16)] * 2 + [("s2", "sdg11", 11)] + [
        ("s2", "sdg16", 16)
    ] * 2


def test_sdg_alignment_counts_objectives_and_results_only(store):
    plan = small_plan()  # so1 -> sdg16 primary; the plan node p -> sdg11 secondary
    extra = [Edge("ALIGNS_WITH", "s1", "sdg11", {"priority": "primary"}),
             Edge("ALIGNS_WITH", "so1.o2", "sdg11", {"priority": "secondary"})]  # fmt: skip
    store.save_plan(Plan.of(plan.nodes, [*plan.edges, *extra]))
    store.save_indicators(small_indicators(), author="t", now=T0)
    rows = run_query(store, "sdg_alignment").rows
    assert [r[:4] for r in rows] == [("sdg11", 11, 0, 1), ("sdg16", 16, 1, 0)]


def test_country_coverage_tells_an_unknown_location_from_none(store):
    plan = small_plan()
    pship = Node("Partnership", "ps1", Text("Stedenband", "Twinning"),
                 props={"partnership_type": "town_twinning", "status": "active"})  # fmt: skip
    store.save_plan(plan)
    assert run_query(store, "country_coverage").rows == [("be", None, 0, 0, "none", 0, 0, 1)]
    store.save_plan(Plan.of([*plan.nodes, pship], plan.edges))
    assert run_query(store, "country_coverage").rows == [
        ("be", None, 0, 0, "location_unknown", 1, 0, 1)
    ]
    placed = Edge("WORKS_IN", "ps1", "be")
    store.save_plan(Plan.of([*plan.nodes, pship], [*plan.edges, placed]))
    assert run_query(store, "country_coverage").rows == [("be", None, 1, 1, "known", 0, 0, 1)]


def test_answers_show_names_beside_the_ids(store):
    store.save_plan(small_plan())
    result = run_query(store, "sdg_pathways", {"strategy": "s1"}).with_names(small_plan(), "nl")
    assert result.columns == ["strategy", "strategy_name", "sdg", "sdg_name", "number",
                              "link_from", "link_from_name", "link_to", "link_to_name", "link",
                              "indicators", "basis"]  # fmt: skip
    assert result.rows[0][:4] == ("s1", "Strategie 1", "sdg16", "Vrede")


def test_a_judgement_link_says_so_in_the_answer(store):
    plan = small_plan()
    edges = [
        Edge(e.kind, e.source, e.target, {**e.props, "basis": "judgement"})
        if (e.source, e.target) == ("s1", "so1.o1")
        else e
        for e in plan.edges
    ]
    store.save_plan(Plan.of(plan.nodes, edges))
    rows = run_query(store, "sdg_pathways", {"strategy": "s1"}).rows
    assert [(r[3], r[4], r[7]) for r in rows] == [
        ("s1", "so1.o1", "judgement"),
        ("so1.o1", "so1", "stated"),
    ]


def test_an_on_track_contribution_under_an_off_track_result_is_reported(store):
    store.save_plan(small_plan())
    given = status(
        s1=("no_data", "no_data"),
        so1_o1=("on_track", "on_track"),
        so1_o2=("at_risk", "at_risk"),
        so1=("off_track", "off_track"),
    )
    rows = run_query(store, "on_track_under_off_track", {"status": given}).rows
    assert rows == [("so1", "off_track", "so1.o1")]
    calm = status(so1_o1=("on_track", "on_track"), so1=("on_track", "on_track"))
    assert run_query(store, "on_track_under_off_track", {"status": calm}).rows == []


def test_shared_assumptions_count_links_and_list_unused_ones(store):
    plan = small_plan()
    extra = [Node("Assumption", "a2", Text("Niemand", "Nobody relies on this")),
             Node("Assumption", "a3", Text("Twee", "Two links"))]  # fmt: skip
    edges = [
        Edge(e.kind, e.source, e.target, {**e.props, "assumptions": ("a1", "a3")})
        if (e.kind, e.source, e.target) == ("CONTRIBUTES_TO", "so1.o2", "so1")
        else e
        for e in plan.edges
    ]
    edges = [
        Edge(e.kind, e.source, e.target, {**e.props, "assumptions": ("a3",)})
        if (e.kind, e.source, e.target) == ("CONTRIBUTES_TO", "s2", "so1.o2")
        else e
        for e in edges
    ]
    store.save_plan(Plan.of([*plan.nodes, *extra], edges))
    rows = run_query(store, "shared_assumptions").rows
    assert rows == [("a1", 2, 2, 2), ("a3", 2, 2, 2), ("a2", 0, 0, 0)]


def test_progress_per_sdg_joins_the_computed_statuses(store):
    store.save_plan(small_plan())  # so1 aligns with sdg16; the plan node with sdg11
    given = status(so1=("off_track", "off_track"), so1_o1=("on_track", "on_track"))
    rows = run_query(store, "sdg_progress", {"status": given}).rows
    assert rows == [("sdg16", 16, 1, 0, 0, 1, 0)]
    unaligned = status(so1_o2=("at_risk", "at_risk"))
    assert run_query(store, "sdg_progress", {"status": unaligned}).rows == []


def test_assumptions_on_links_into_an_off_track_result(store):
    store.save_plan(small_plan())
    given = status(so1_o1=("off_track", "off_track"), so1_o2=("off_track", "off_track"))
    rows = run_query(store, "assumptions_under_pressure", {"status": given}).rows
    assert rows == [("a1", "s1", "so1.o1", "off_track")]  # s2 -> so1.o2 relies on nothing


def test_results_without_approved_data_in_a_year(store):
    store.save_plan(small_plan())
    store.save_indicators(small_indicators(), author="t", now=T0)
    store.append_revisions([approved("ind.count", "2028", 12.0)])
    rows = run_query(store, "no_recent_data", {"year": "2028"}).rows
    assert ("so1.o1", 1, 0, 0) not in rows
    assert ("so1", 1, 0, 0) in rows and ("so1.o2", 2, 0, 0) in rows
    assert ("so1.o1", 1, 0, 0) in run_query(store, "no_recent_data", {"year": "2029"}).rows
    # the default year is the latest year with approved data
    assert parameter_values(store, get_query("no_recent_data"))["year"] == "2028"


def test_partners_and_countries_of_an_sdg(store):
    store.save_plan(small_plan())  # enabel helps s1 -> so1.o1 -> so1 -> sdg16; s2 works in be
    assert run_query(store, "sdg_partners", {"sdg": "sdg16"}).rows == [
        ("sdg16", 16, "enabel", "synergy_partner", 1, "s1")
    ]
    assert run_query(store, "sdg_countries", {"sdg": "sdg16"}).rows == [
        ("sdg16", 16, "be", None, 1, "s2")
    ]


def test_objectives_resting_on_one_strategy(store):
    plan = small_plan()
    store.save_plan(Plan.of(plan.nodes, [*plan.edges, Edge("CONTRIBUTES_TO", "s2", "so1.o1")]))
    rows = run_query(store, "single_strategy_objectives").rows
    assert rows == [("so1.o2", 1, "s2", "stated")]
    # the only pathway runs through a link the plan does not state: the answer says so
    judged = [
        Edge(e.kind, e.source, e.target, {**e.props, "basis": "judgement"})
        if (e.source, e.target) == ("s2", "so1.o2")
        else e
        for e in [*plan.edges, Edge("CONTRIBUTES_TO", "s2", "so1.o1")]
    ]
    store.save_plan(Plan.of(plan.nodes, judged))
    assert run_query(store, "single_strategy_objectives").rows == [("so1.o2", 1, "s2", "judgement")]


def test_plan_changes_between_two_dates_node_by_node(store):
    plan = small_plan()
    store.save_plan(plan, author="ann", message="first")
    extra = Node("Strategy", "s3", Text("Strategie 3", "Strategy 3"))
    link = Edge("CONTRIBUTES_TO", "s3", "so1.o2")
    retitled = replace(plan.node("so1.o1"), title=Text("Doel één", "Objective one"), note="n")
    nodes = [retitled if n.id == "so1.o1" else n for n in plan.nodes if n.id != "r1"]
    edges = [e for e in plan.edges if e.target != "r1"]
    store.save_plan(Plan.of([*nodes, extra], [*edges, link]), author="bo", message="s3")
    result = run_query(store, "plan_changes")
    assert result.columns[:4] == ["version", "saved_at", "author", "message"]
    rows = [(r[0], r[2], r[3], *r[4:]) for r in result.rows]
    assert len([r for r in rows if r[0] == 1]) == len(plan.nodes) + len(plan.edges)
    assert [r for r in rows if r[0] == 2] == [
        (2, "bo", "s3", "node", "Role", "r1", "removed", ""),
        (2, "bo", "s3", "node", "Strategy", "s3", "added", ""),
        (2, "bo", "s3", "node", "Objective", "so1.o1", "changed", "note, title.en, title.nl"),
        (2, "bo", "s3", "link", "PERFORMED_THROUGH", "s1 -> r1", "removed", ""),
        (2, "bo", "s3", "link", "CONTRIBUTES_TO", "s3 -> so1.o2", "added", ""),
    ]
    assert run_query(store, "plan_changes", {"until": "2000-01-01"}).rows == []
    today = dt.datetime.now(dt.UTC).date()
    later = run_query(store, "plan_changes", {"since": (today + dt.timedelta(days=1)).isoformat()})
    assert later.rows == []


def test_budget_by_year_and_funding_shares(store):
    plan = small_plan()
    budget = [
        Node("BudgetLine", f"b.{c}", Text(c, c), props={"category": c, "year": 2027, "amount": a})
        for c, a in (("operating", 80.0), ("management", 5.0), ("administration", 15.0),
                     ("total", 100.0))
    ]  # fmt: skip
    store.save_plan(Plan.of([*plan.nodes, *budget], plan.edges))
    assert run_query(store, "budget_by_year").rows == [(2027, 80.0, 5.0, 15.0, 100.0, 0.2)]
    rows = run_query(store, "budget_vs_progress").rows
    assert rows == [(2027, 100.0, "so1", "no_data", "no_data", 0, 0)]
    store.save_indicators(small_indicators(), author="t", now=T0)
    given = [{"id": "so1", "year": 2027, "period": "2027", "status": "on_track"}]
    rows = run_query(store, "budget_vs_progress", {"progress": given}).rows
    assert rows == [(2027, 100.0, "so1", "no_data", "on_track", 4, 0)]  # nothing that year
    store.append_revisions([approved("ind.count", "2027", 12.0)])
    rows = run_query(store, "budget_vs_progress", {"progress": given}).rows
    assert rows == [(2027, 100.0, "so1", "on_track", "on_track", 4, 1)]


def test_parameters_are_checked():
    query = get_query("sdg_pathways")
    with _MemoryStore() as store:
        with pytest.raises(ParameterError, match="no parameter colour"):
            parameter_values(store, query, {"colour": "red"})
        with pytest.raises(ParameterError, match="not a Strategy node"):
            parameter_values(store, query, {"strategy": "so1"})
        with pytest.raises(ParameterError, match="not a year"):
            parameter_values(store, get_query("no_recent_data"), {"year": "last"})
        with pytest.raises(ParameterError, match="not a date"):
            parameter_values(store, get_query("plan_changes"), {"since": "yesterday"})


class _MemoryStore:
    """Just enough of a store for parameter checks: the small plan, no history."""

    backend = "memory"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def load_plan(self):
        return small_plan()

    def revisions(self):
        return []


# -- ad-hoc Cypher: read-only, timeout, row limit (both engines) ---------------------------------


def test_ad_hoc_cypher_stops_at_the_timeout(store):
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.5 s"):
        run_cypher(store, SLOW, timeout=0.5)
    assert store.query("RETURN 1 AS one").rows == [(1,)]  # the store works on afterwards


def test_ad_hoc_cypher_keeps_at_most_the_row_limit(store):
    store.save_plan(small_plan())
    cut = run_cypher(store, "MATCH (n:Strategy|Objective) RETURN n.id AS id ORDER BY id",
                     row_limit=3)  # fmt: skip
    assert cut.rows == [("s1",), ("s2",), ("so1.o1",)] and cut.truncated
    whole = run_cypher(store, "MATCH (n:Strategy) RETURN n.id AS id ORDER BY id", row_limit=2)
    assert len(whole.rows) == 2 and not whole.truncated
    assert not store.query("MATCH (n:Strategy) RETURN n.id AS id").truncated


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (n) DETACH DELETE n",
        "CREATE (:Role {id: 'x'})",
        "MATCH (n:Role) SET n.note = 'x'",
        "MERGE (:Role {id: 'x'})",
        "MATCH (a:Role) RETURN a.id AS u; MATCH (n) DETACH DELETE n",
        "CALL db.createLabel('X')",
    ],
)
def test_ad_hoc_cypher_refuses_writes_before_running(store, cypher):
    plan = small_plan()
    store.save_plan(plan)
    with pytest.raises(QueryRefused):
        run_cypher(store, cypher)
    assert store.load_plan() == plan


def test_the_catalogue_in_the_docs_is_up_to_date():
    from graphdb.evaluation.catalogue import catalogue
    from tests.conftest import REPO

    actual = (REPO / "docs" / "evaluation-queries.md").read_text(encoding="utf-8")
    assert actual == catalogue(), "run `python -m graphdb.evaluation.catalogue`"


def test_the_administration_claim_sits_beside_the_computed_share(store):
    """The plan's §5 statement and the share its own figures give, in one answer (both engines):
    the VVSG plan says the share falls, its budget keeps it at 11.86 % in every year."""
    from tests.toc.test_budget_check import PLAN_FILE
    from toc.planfile import load

    vvsg = load(PLAN_FILE)
    store.save_plan(vvsg)
    result = run_query(store, "administration_share_claim", row_limit=None)
    assert result.columns[:4] == ["claim", "statement_en", "statement_nl", "claimed"]
    rows = result.records()
    assert [r["year"] for r in rows] == list(range(2027, 2037))
    assert {(r["claim"], r["claimed"]) for r in rows} == {("claim.admin-share", "falls")}
    assert rows[0]["statement_en"].startswith("The share of administrative costs falls")
    assert {f"{100 * r['share']:.2f}" for r in rows} == {"11.86"}
    first = rows[0]
    assert (first["administration"], first["total"]) == (163699.0, 1379829.0)


def test_evidence_queries_read_the_recorded_evidence(store):
    from toc.causal import Link
    from toc.evidence import Evidence

    store.save_plan(small_plan())
    for_s1 = Evidence("e1", "evaluation", "supports", "strong", "Review", "2029-03-01", "t",
                      link=Link("s1", "so1.o1"))  # fmt: skip
    against = Evidence("e2", "study", "contradicts", "strong", "Study", "2029-09-01", "t",
                       link=Link("s2", "so1.o2"), illustrative=True)  # fmt: skip
    store.add_evidence([for_s1, against], author="t")
    weakest = run_query(store, "weakest_links")
    assert weakest.rows == [("so1", "s2", "so1.o2", 11, 1)] and weakest.illustrative
    missing = run_query(store, "links_without_evidence").rows
    assert missing == [("so1.o1", "so1", 50), ("so1.o2", "so1", 50)]
    fell = run_query(store, "confidence_fell", {"since": "2029-06-01", "until": "2029-12-31"})
    assert fell.rows == [("s2", "so1.o2", 50, 11)]
    assert (
        run_query(store, "confidence_fell", {"since": "2029-01-01", "until": "2029-06-01"}).rows
        == []
    )


def test_the_dutch_texts_of_the_queries_are_dutch_and_say_u():
    """The catalogue's Dutch is not translated through the .po, so the checks of the .po
    (no English left, "u" not "je") are made here; "on hold" was left in one."""
    import re

    english = re.compile(r"\b(on hold|the|and|with|which|from)\b")
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    for q in QUERIES.values():
        texts = [q.title.nl, q.explanation.nl, *(p.description.nl for p in q.parameters)]
        for text in texts:
            assert not english.search(text), (q.name, text)
            assert not informal.search(text), (q.name, text)
