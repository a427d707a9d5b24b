"""Validation: one test per rule of toc.validate, with tiny literal plans and exact messages."""

from __future__ import annotations

import pytest

from tests.conftest import small_plan
from toc.errors import Issue
from toc.kinds import FieldSpec
from toc.model import Edge, Node, Plan, Text
from toc.validate import check_value, validate

T = Text("x", "x")  # a title in both languages, so no translation warnings


def plan_node(start_year: int = 2027, end_year: int = 2036) -> Node:
    props = {"organisation": "Org", "start_year": start_year, "end_year": end_year}
    return Node("Plan", "p", Text("Plan", "Plan"), props={**props, "currency": "EUR"})


PLAN = plan_node()


def plan_of(*nodes: Node, edges: tuple[Edge, ...] = ()) -> Plan:
    """A plan with the Plan node ``p`` (2027-2036) and ``nodes``."""
    return Plan.of([PLAN, *nodes], edges)


def errors(plan: Plan) -> list[tuple[str | None, str]]:
    return [(i.id, i.message) for i in validate(plan) if i.level == "error"]


def warnings(plan: Plan) -> list[tuple[str | None, str]]:
    return [(i.id, i.message) for i in validate(plan) if i.level == "warning"]


def strategy(node_id: str = "s1") -> Node:
    return Node("Strategy", node_id, T)


def objective(node_id: str = "o1", **props) -> Node:
    return Node("Objective", node_id, T, props={"number": 1, **props})


def test_small_plan_has_no_errors_and_no_warnings():
    assert validate(small_plan()) == []


def test_plan_node_alone_is_valid():
    assert validate(plan_of()) == []


# Kinds and fields


def test_unknown_node_kind():
    assert errors(plan_of(Node("Gizmo", "g", T))) == [("g", "unknown node kind 'Gizmo'")]


def test_unknown_edge_kind():
    plan = plan_of(strategy("s1"), strategy("s2"), edges=(Edge("LIKES", "s1", "s2"),))
    assert errors(plan) == [("LIKES:s1->s2", "unknown link kind 'LIKES'")]


def test_field_the_node_kind_does_not_have():
    plan = plan_of(Node("Strategy", "s1", T, props={"colour": "red"}))
    assert errors(plan) == [("s1", "Strategy has no field 'colour'")]


def test_field_the_edge_kind_does_not_have():
    edge = Edge("CONTRIBUTES_TO", "s1", "o1", {"priority": "primary"})
    plan = plan_of(strategy(), objective(), edges=(edge,))
    assert errors(plan) == [("CONTRIBUTES_TO:s1->o1", "CONTRIBUTES_TO has no field 'priority'")]


@pytest.mark.parametrize(
    "node, message",
    [
        (objective(number="1"),
         "field 'number' must be of type int: '1' is text, not a number: write 1"),
        (Node("BudgetLine", "b", T, props={"category": "total", "amount": "1.234,5"}),
         "field 'amount' must be of type float: '1.234,5' is text, not a number: write 1234.5"),
        (Node("BudgetLine", "b", T, props={"category": "total", "amount": float("inf")}),
         "field 'amount' must be a finite number"),
        (Node("BudgetLine", "b", T, props={"category": "total", "amount": 10**400}),
         "field 'amount' must be a finite number: too large to store (at most about 1.8e308)"),
        (objective(number=1.0), "field 'number' must be of type int"),
        (objective(number=True), "field 'number' must be of type int"),
        (Node("Country", "c", T, props={"iso2": "BE", "active_2024": "yes"}),
         "field 'active_2024' must be of type bool"),
        (Node("BudgetLine", "b", T, props={"category": "total", "amount": False}),
         "field 'amount' must be of type float"),
        (Node("Partnership", "pp", T, props={
            "partnership_type": "town_twinning", "status": "active", "as_of": "2027-13-01"}),
         "field 'as_of' must be a date YYYY-MM-DD"),
        (Node("StrategicObjective", "so1", T, props={"number": 1, "short_title": "plain"}),
         "field 'short_title' must be of type text"),
    ],
)  # fmt: skip
def test_wrong_type(node, message):
    assert errors(plan_of(node)) == [(node.id, message)]


def test_int_is_accepted_for_float():
    node = Node("BudgetLine", "b", T, props={"category": "total", "amount": 5, "year": 2027})
    assert errors(plan_of(node)) == []


def test_bool_is_not_an_int_for_check_value():
    assert check_value(FieldSpec("int"), True) == "must be of type int"
    assert check_value(FieldSpec("float"), False) == "must be of type float"
    assert check_value(FieldSpec("bool"), True) is None


def test_choice_not_allowed_on_a_node():
    node = Node("BeneficiaryGroup", "bg", T, props={"beneficiary_type": "indirect"})
    assert errors(plan_of(node)) == [
        ("bg", "field 'beneficiary_type' 'indirect' is not one of direct, final")
    ]


def test_choice_not_allowed_on_an_edge():
    sdg = Node("SDG", "sdg16", T, props={"number": 16})
    edge = Edge("ALIGNS_WITH", "p", "sdg16", {"priority": "tertiary"})
    assert errors(plan_of(sdg, edges=(edge,))) == [
        ("ALIGNS_WITH:p->sdg16", "field 'priority' 'tertiary' is not one of primary, secondary")
    ]


def test_choice_in_a_list_of_strings():
    edge = Edge("PERFORMED_THROUGH", "s1", "r1", {"stated_in": ("nl", "fr")})
    plan = plan_of(strategy(), Node("Role", "r1", T), edges=(edge,))
    assert errors(plan) == [
        ("PERFORMED_THROUGH:s1->r1", "field 'stated_in' 'fr' is not one of nl, en")
    ]


def test_unknown_language_in_a_nodes_stated_in():
    node = Node("Role", "r1", T, stated_in=("fr",))
    assert errors(plan_of(node)) == [("r1", "stated_in: unknown language 'fr'")]


@pytest.mark.parametrize(
    "number, message",
    [(0, "field 'number' must be at least 1"), (18, "field 'number' must be at most 17")],
)
def test_minimum_and_maximum(number, message):
    node = Node("SDG", "sdg", T, props={"number": number})
    assert errors(plan_of(node)) == [("sdg", message)]


def test_minimum_on_an_edge_field():
    edge = Edge("CONTRIBUTES_TO", "s1", "o1", {"weight": -0.5})
    plan = plan_of(strategy(), objective(), edges=(edge,))
    assert errors(plan) == [("CONTRIBUTES_TO:s1->o1", "field 'weight' must be at least 0")]


def test_year_bounds_of_the_plan_node():
    assert errors(Plan.of([plan_node(start_year=1899)], [])) == [
        ("p", "field 'start_year' must be at least 1900")
    ]


def test_missing_required_field_on_a_node():
    assert errors(plan_of(Node("SDG", "sdg16", T))) == [
        ("sdg16", "required field 'number' is missing")
    ]


def test_missing_required_field_on_an_edge():
    sdg = Node("SDG", "sdg16", T, props={"number": 16})
    plan = plan_of(sdg, edges=(Edge("ALIGNS_WITH", "p", "sdg16"),))
    assert errors(plan) == [("ALIGNS_WITH:p->sdg16", "required field 'priority' is missing")]


def test_missing_title():
    assert errors(plan_of(Node("Role", "r1", Text()))) == [
        ("r1", "a title is required (in nl, en or both)")
    ]


# Ids and the Plan node


def test_duplicate_ids():
    plan = plan_of(strategy("x"), Node("Role", "x", T))
    assert errors(plan) == [("x", "id 'x' is used by 2 nodes; ids must be unique")]


def test_no_plan_node():
    assert errors(Plan.of([Node("Role", "r1", T)], [])) == [
        (None, "the plan needs exactly one Plan node, found 0")
    ]


def test_two_plan_nodes():
    second = Node("Plan", "p2", T, props=dict(PLAN.props))
    assert errors(plan_of(second)) == [(None, "the plan needs exactly one Plan node, found 2")]


def test_empty_plan():
    assert errors(Plan.of([], [])) == [(None, "the plan needs exactly one Plan node, found 0")]


# Links


def test_disallowed_source_and_target_kinds_list_what_is_allowed():
    sdg = Node("SDG", "sdg16", T, props={"number": 16})
    plan = plan_of(sdg, objective(), edges=(Edge("CONTRIBUTES_TO", "sdg16", "o1"),))
    assert errors(plan) == [
        (
            "CONTRIBUTES_TO:sdg16->o1",
            "CONTRIBUTES_TO may not link SDG to Objective (allowed: Strategy, Output, Outcome, "
            "Objective -> Output, Outcome, Objective, StrategicObjective)",
        )
    ]


def test_disallowed_target_kind():
    plan = plan_of(strategy(), edges=(Edge("PERFORMED_THROUGH", "s1", "p"),))
    assert errors(plan) == [
        ("PERFORMED_THROUGH:s1->p", "PERFORMED_THROUGH may not link Strategy to Plan "
                                    "(allowed: Strategy -> Role)")
    ]  # fmt: skip


def test_dangling_from_and_to():
    plan = plan_of(
        strategy(),
        edges=(Edge("CONTRIBUTES_TO", "s1", "nowhere"), Edge("CONTRIBUTES_TO", "ghost", "s1")),
    )
    assert errors(plan) == [
        (
            "CONTRIBUTES_TO:ghost->s1",
            "'from' refers to 'ghost', which is not a node of the plan",
        ),
        (
            "CONTRIBUTES_TO:s1->nowhere",
            "'to' refers to 'nowhere', which is not a node of the plan",
        ),
    ]


def test_duplicate_link():
    edges = (
        Edge("CONTRIBUTES_TO", "s1", "o1", {"weight": 1.0}),
        Edge("CONTRIBUTES_TO", "s1", "o1", {"weight": 2.0}),
    )
    plan = plan_of(strategy(), objective(), edges=edges)
    assert errors(plan) == [("CONTRIBUTES_TO:s1->o1", "this link is given twice")]


def test_same_ends_with_different_kinds_is_not_a_duplicate():
    c = Node("Country", "be", T, props={"iso2": "BE"})
    partner = Node("Partner", "x", T, props={"partner_type": "donor"})
    edges = (Edge("WORKS_IN", "x", "be"), Edge("PARTNERS_IN", "x", "s1"))
    assert errors(plan_of(c, partner, strategy(), edges=edges)) == []


def test_self_link():
    tv = Node("TextVariance", "tv", T, props={"topic": "numbers"})
    plan = plan_of(tv, edges=(Edge("CONCERNS", "tv", "tv"),))
    assert errors(plan) == [("CONCERNS:tv->tv", "a link may not point to its own source")]


def test_causal_self_link_is_also_a_cycle():
    plan = plan_of(objective(), edges=(Edge("CONTRIBUTES_TO", "o1", "o1"),))
    assert errors(plan) == [
        ("CONTRIBUTES_TO:o1->o1", "a link may not point to its own source"),
        ("o1", "CONTRIBUTES_TO links form a cycle: o1 -> o1"),
    ]


def test_assumption_that_is_not_an_assumption_node():
    edges = (Edge("CONTRIBUTES_TO", "s1", "o1", {"assumptions": ("a1", "s2", "ghost")}),)
    plan = plan_of(
        strategy("s1"), strategy("s2"), objective(), Node("Assumption", "a1", T), edges=edges
    )
    assert errors(plan) == [
        ("CONTRIBUTES_TO:s1->o1", "assumption 's2' is not an Assumption node of the plan"),
        ("CONTRIBUTES_TO:s1->o1", "assumption 'ghost' is not an Assumption node of the plan"),
    ]


def test_contributes_to_cycle_shows_the_path():
    nodes = [objective("o1"), objective("o2"), objective("o3")]
    edges = (
        Edge("CONTRIBUTES_TO", "o1", "o2"),
        Edge("CONTRIBUTES_TO", "o2", "o3"),
        Edge("CONTRIBUTES_TO", "o3", "o1"),
    )
    assert errors(plan_of(*nodes, edges=edges)) == [
        ("o1", "CONTRIBUTES_TO links form a cycle: o1 -> o2 -> o3 -> o1")
    ]


def test_cycle_through_other_link_kinds_is_allowed():
    c = Node("Country", "be", T, props={"iso2": "BE"})
    partner = Node("Partner", "x", T, props={"partner_type": "donor"})
    ship = Node("Partnership", "tw", T, props={"partnership_type": "town_twinning",
                                              "status": "active"})  # fmt: skip
    edges = (
        Edge("PARTICIPATES_IN", "x", "tw"),
        Edge("WORKS_IN", "tw", "be"),
        Edge("WORKS_IN", "x", "be"),
    )
    assert errors(plan_of(c, partner, ship, edges=edges)) == []


# Years


def test_start_year_after_end_year():
    node = objective(start_year=2031, end_year=2027)
    assert errors(plan_of(node)) == [("o1", "start_year 2031 is after end_year 2027")]


def test_plan_start_year_after_end_year():
    assert errors(Plan.of([plan_node(2036, 2027)], [])) == [
        ("p", "start_year 2036 is after end_year 2027")
    ]


@pytest.mark.parametrize(
    "node, message",
    [
        (objective(end_year=2040), "end_year 2040 lies outside the plan (2027-2036)"),
        (objective(start_year=2026), "start_year 2026 lies outside the plan (2027-2036)"),
        (Node("BudgetLine", "b", T, props={"category": "total", "amount": 1.0, "year": 2037}),
         "year 2037 lies outside the plan (2027-2036)"),
    ],
)  # fmt: skip
def test_year_outside_the_plan(node, message):
    assert errors(plan_of(node)) == [(node.id, message)]


def test_years_on_the_edges_of_the_plan_are_inside():
    node = objective(start_year=2027, end_year=2036)
    assert errors(plan_of(node)) == []


@pytest.mark.parametrize(
    "period", ["2027-31", "2027/2031", "2031-2027", "2027-2031-2035", "20a7-2031", "²⁰²⁷-2031", ""]
)
def test_malformed_period(period):
    node = Node("BudgetLine", "b", T, props={"category": "total", "amount": 1.0, "period": period})
    assert errors(plan_of(node)) == [("b", f"period {period!r} must look like 2027-2031")]


@pytest.mark.parametrize("period", ["2027-2031", "2027-2027"])
def test_well_formed_period(period):
    node = Node("BudgetLine", "b", T, props={"category": "total", "amount": 1.0, "period": period})
    assert errors(plan_of(node)) == []


def test_funding_years_before_the_plan_are_allowed():
    node = Node("Funding", "f2020", T, props={"year": 2020, "amount": 1e6, "row": "total"})
    assert errors(plan_of(node)) == []


# Warnings


def test_missing_translation():
    assert warnings(plan_of(Node("Role", "r1", Text(en="Networker")))) == [
        ("r1", "title has no nl translation")
    ]


def test_missing_translation_of_description_and_text_fields():
    node = Node("StrategicObjective", "so1", T, description=Text(nl="Uitleg"),
                props={"number": 1, "short_title": Text(en="Short")})  # fmt: skip
    plan = plan_of(node)
    assert [w for w in warnings(plan) if "translation" in w[1]] == [
        ("so1", "description has no en translation"),
        ("so1", "short_title has no nl translation"),
    ]


def test_missing_translation_whatever_the_order_of_stated_in():
    node = Node("Role", "r1", Text(en="Networker"), stated_in=("en", "nl"))
    assert warnings(plan_of(node)) == [("r1", "title has no nl translation")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_translation_warning_when_stated_in_one_language(lang):
    node = Node("Role", "r1", Text(**{lang: "Only one"}), stated_in=(lang,))
    assert validate(plan_of(node)) == []


def test_objective_no_strategy_reaches():
    so = Node("StrategicObjective", "so1", T, props={"number": 1})
    edges = (Edge("CONTRIBUTES_TO", "s1", "o1"), Edge("CONTRIBUTES_TO", "o2", "so1"))
    plan = plan_of(strategy(), objective("o1"), objective("o2"), so, edges=edges)
    assert errors(plan) == []
    assert warnings(plan) == [
        ("o2", "no strategy reaches this objective"),
        ("so1", "no strategy reaches this objective"),
    ]


def test_objective_reached_through_an_outcome():
    so = Node("StrategicObjective", "so1", T, props={"number": 1})
    outcome = Node("Outcome", "oc1", T)
    edges = (Edge("CONTRIBUTES_TO", "s1", "oc1"), Edge("CONTRIBUTES_TO", "oc1", "so1"))
    assert validate(plan_of(strategy(), outcome, so, edges=edges)) == []


# Reporting


def test_lines_mapping_puts_the_line_on_issues():
    plan = plan_of(
        Node("Gizmo", "g", T), strategy(), edges=(Edge("CONTRIBUTES_TO", "s1", "nowhere"),)
    )
    lines = {"g": 7, "CONTRIBUTES_TO:s1->nowhere": 12, "p": 3}
    issues = validate(plan, file="plan.yaml", lines=lines)
    assert issues == [
        Issue("error", "unknown node kind 'Gizmo'", "plan.yaml", 7, "g"),
        Issue(
            "error",
            "'to' refers to 'nowhere', which is not a node of the plan",
            "plan.yaml",
            12,
            "CONTRIBUTES_TO:s1->nowhere",
        ),
    ]
    assert str(issues[0]) == "plan.yaml:7: error: [g] unknown node kind 'Gizmo'"


def test_issues_without_a_known_line():
    (issue,) = validate(Plan.of([], []), file="plan.yaml", lines={"x": 1})
    assert (issue.file, issue.line, issue.id) == ("plan.yaml", None, None)
    assert str(issue) == "plan.yaml: error: the plan needs exactly one Plan node, found 0"


def test_all_problems_are_reported_at_once():
    plan = Plan.of(
        [Node("Gizmo", "g", T), strategy(), strategy()],
        [Edge("CONTRIBUTES_TO", "s1", "nowhere")],
    )
    assert errors(plan) == [
        ("s1", "id 's1' is used by 2 nodes; ids must be unique"),
        (None, "the plan needs exactly one Plan node, found 0"),
        ("g", "unknown node kind 'Gizmo'"),
        ("CONTRIBUTES_TO:s1->nowhere", "'to' refers to 'nowhere', which is not a node of the plan"),
    ]


def test_texts_ids_and_lists_are_no_longer_than_the_limits():
    long_title = Node("Strategy", "s1", Text("x" * 500, "y" * 501), description=Text("d" * 20_001))
    assert errors(plan_of(long_title)) == [
        ("s1", "title (en) has 501 characters; at most 500"),
        ("s1", "description (nl) has 20,001 characters; at most 20,000"),
    ]
    noted = Node("Strategy", "s2", T, source="s" * 2_001, note="n" * 20_000)
    assert errors(plan_of(noted)) == [("s2", "field 'source' has 2,001 characters; at most 2,000")]
    long_id = Node("Strategy", "s" * 201, T)
    assert errors(plan_of(long_id)) == [("s" * 201, "the id has 201 characters; at most 200")]
    a1 = Node("Assumption", "a1", T)
    o1 = Node("Objective", "o1", T, props={"number": 1})
    many = Edge("CONTRIBUTES_TO", "s1", "o1", {"assumptions": ("a1",) * 1_001})
    messages = [m for _, m in errors(plan_of(strategy(), o1, a1, edges=(many,)))]
    assert "field 'assumptions' lists 1,001 entries; at most 1,000" in messages
    rationale = Edge("CONTRIBUTES_TO", "s1", "o1", {"rationale": Text(en="r" * 20_001)})
    assert errors(plan_of(strategy(), o1, edges=(rationale,))) == [
        ("CONTRIBUTES_TO:s1->o1", "rationale (en) has 20,001 characters; at most 20,000")
    ]
