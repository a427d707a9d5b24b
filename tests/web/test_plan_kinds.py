"""Editing nodes and links of every kind the plan file knows (issue 16): forms built from the
kind registry, the same validation as a plan file, conflict checks, removal with a preview."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import csrf_token
from toc import planfile
from toc.model import Edge, Node, Plan, Text
from web.kind_fields import node_values
from web.plan_edit import fingerprint
from web.store import get_store


@pytest.fixture
def me(client, auth):
    auth.login_as("me_officer")
    return client


def _plan(app):
    with app.app_context():
        store = get_store()
        return store.plan_version(), store.load_plan()


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def _form(values: dict) -> dict:
    """Form values as a browser posts them: ticked boxes as "y", unticked left out."""
    data = {}
    for name, value in values.items():
        if value is True:
            data[name] = "y"
        elif value is not False:
            data[name] = value
    return data


def _edit(client, node: Node, **changes):
    data = _form({**node_values(node), "base": fingerprint(node), **changes})
    return _post(client, f"/plan/nodes/{node.id}", data)


def _save(app, plan: Plan) -> None:
    with app.app_context():
        get_store().save_plan(plan, author="t")


def test_edit_an_objective_of_the_demo_plan(app, me):
    _save(app, planfile.load("examples/vvsg-2027-2036.yaml"))
    _, plan = _plan(app)
    node = plan.node("so2.o3")
    page = me.get("/plan/nodes/so2.o3").get_data(as_text=True)
    assert 'name="p_title_nl"' in page and 'name="p_title_en"' in page
    assert 'name="p_number"' in page
    response = _edit(me, node, p_title_en="A sharper objective", p_number="7")
    assert response.status_code == 302, response.get_data(as_text=True)
    changed = _plan(app)[1].node("so2.o3")
    assert changed.title.en == "A sharper objective" and changed.title.nl == node.title.nl
    assert changed.props["number"] == 7
    assert changed.source == node.source and changed.note == node.note


def test_edit_a_strategic_objective_strategy_partner_and_country(app, me):
    _, plan = _plan(app)
    assert (
        _edit(me, plan.node("so1"), p_short_title_en="Goal", p_cross_cutting=True).status_code
        == 302
    )
    assert _edit(me, plan.node("s1"), p_number="2", p_note="first named").status_code == 302
    enabel = plan.node("enabel")
    edited = _edit(
        me, enabel, p_acronym="ENB", p_also_types=["donor", "network"], p_status="active"
    )
    assert edited.status_code == 302
    assert _edit(me, plan.node("be"), p_region="belgium", p_active_2024=True).status_code == 302
    _, plan = _plan(app)
    assert plan.node("so1").props["short_title"] == Text("", "Goal")
    assert plan.node("so1").props["cross_cutting"] is True
    assert (plan.node("s1").props["number"], plan.node("s1").note) == (2, "first named")
    assert plan.node("enabel").props["also_types"] == ("donor", "network")
    assert plan.node("enabel").props["acronym"] == "ENB"
    assert plan.node("be").props == {"iso2": "BE", "region": "belgium", "active_2024": True}


def test_edit_the_plan_node_but_not_remove_it(app, me):
    _, plan = _plan(app)
    assert _edit(me, plan.node("p"), p_organisation="VVSG").status_code == 302
    assert _plan(app)[1].node("p").props["organisation"] == "VVSG"
    assert me.get("/plan/nodes/p/delete").status_code == 404
    assert _post(me, "/plan/nodes/p/delete", {}).status_code == 404


def test_validation_errors_are_shown_at_their_field_and_nothing_is_saved(app, me):
    before = _plan(app)
    node = before[1].node("so1.o2")
    response = _edit(me, node, p_number="0", p_title_en="Typed")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="p_number-errors">\s*<li>must be at least 1</li>', page)
    assert 'value="Typed"' in page  # the input is kept
    assert _plan(app) == before
    # A number that is not one, a year out of range, an unknown choice, a date.
    page = _edit(me, node, p_number="two").get_data(as_text=True)
    assert "Give a whole number, such as 3." in page
    page = _edit(me, node, p_end_year="2300").get_data(as_text=True)
    assert re.search(r'id="p_end_year-errors">\s*<li>must be at most 2200</li>', page)
    page = _edit(me, before[1].node("be"), p_region="mars").get_data(as_text=True)
    assert re.search(r"id=\"p_region-errors\">\s*<li>&#39;mars&#39; is not one of", page)
    page = _edit(me, node, p_title_nl="", p_title_en="").get_data(as_text=True)
    assert "A title is required" in page
    page = _edit(me, node, p_title_en="t" * 501).get_data(as_text=True)
    assert "Field cannot be longer than 500 characters." in page
    assert _plan(app) == before


def test_a_stale_form_is_refused_with_the_input_kept(app, me):
    _, plan = _plan(app)
    node = plan.node("s2")
    assert _edit(me, node, p_title_en="Theirs").status_code == 302
    response = _edit(me, node, p_title_en="Mine")  # still the fingerprint of the old node
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else changed this" in page
    assert 'value="Mine"' in page
    assert _plan(app)[1].node("s2").title.en == "Theirs"


def test_add_a_beneficiary_group_and_a_partnership(app, me):
    form = me.get("/plan/nodes/new?kind=BeneficiaryGroup").get_data(as_text=True)
    assert 'value="beneficiarygroup.1"' in form  # a free id is suggested
    data = {"node_id": "bg.youth", "p_title_en": "Young people", "p_beneficiary_type": "final"}
    response = _post(me, "/plan/nodes/new?kind=BeneficiaryGroup", data)
    assert response.headers["Location"] == "/plan/nodes/bg.youth"
    data = {"node_id": "tw.1", "p_title_nl": "Stedenband", "p_partnership_type": "town_twinning",
            "p_status": "active", "p_as_of": "2026-05-01", "p_named_in_plan": "y"}  # fmt: skip
    assert _post(me, "/plan/nodes/new?kind=Partnership", data).status_code == 302
    _, plan = _plan(app)
    assert plan.node("bg.youth").props == {"beneficiary_type": "final"}
    assert plan.node("tw.1").props == {
        "partnership_type": "town_twinning", "status": "active", "as_of": "2026-05-01",
        "named_in_plan": True}  # fmt: skip
    # A bad id, a taken id and a missing required field are refused at their fields.
    bad = _post(me, "/plan/nodes/new?kind=BeneficiaryGroup", {"node_id": "a b", "p_title_en": "x"})
    assert "Use letters, digits" in bad.get_data(as_text=True)
    taken = _post(me, "/plan/nodes/new?kind=Role", {"node_id": "r1", "p_title_en": "x"})
    assert "This id is taken." in taken.get_data(as_text=True)
    missing = _post(
        me, "/plan/nodes/new?kind=BeneficiaryGroup", {"node_id": "bg2", "p_title_en": "x"}
    )
    assert re.search(r'id="p_beneficiary_type-errors">\s*<li>', missing.get_data(as_text=True))


def test_links_of_every_kind_with_their_fields(app, me):
    _, plan = _plan(app)
    budget = Node("BudgetLine", "b.2027", Text(en="Budget 2027"),
                  props={"category": "total", "year": 2027, "amount": 1000.0})  # fmt: skip
    _save(app, Plan.of([*plan.nodes, budget], plan.edges))
    form = me.get("/plan/links/new?kind=FUNDS").get_data(as_text=True)
    assert '<option value="enabel">' in form and '<option value="b.2027">' in form
    assert '<option value="s1">' not in form  # only the kinds the link kind allows
    data = {"source": "enabel", "target": "b.2027", "p_rationale_en": "Enabel pays 1,000",
            "p_basis": "judgement"}  # fmt: skip
    assert _post(me, "/plan/links/new?kind=FUNDS", data).status_code == 302
    edge = next(e for e in _plan(app)[1].edges if e.kind == "FUNDS")
    assert edge.props == {"rationale": Text("", "Enabel pays 1,000"), "basis": "judgement"}
    path = "/plan/links/FUNDS/enabel/b.2027"
    data = {"p_rationale_en": "Enabel pays it all", "base": fingerprint(edge)}
    assert _post(me, path, data).status_code == 302
    edge = next(e for e in _plan(app)[1].edges if e.kind == "FUNDS")
    assert edge.props == {"rationale": Text("", "Enabel pays it all")}
    # The budget line's amount is a number field of the node.
    page = _edit(me, budget, p_amount="1e999").get_data(as_text=True)
    assert "Give a number" in page
    assert _edit(me, budget, p_amount="2500.5").status_code == 302
    assert _plan(app)[1].node("b.2027").props["amount"] == 2500.5
    # A link the kind does not allow is refused by validation.
    wrong = {"source": "s1", "target": "r1", "p_role": "x"}
    assert _post(me, "/plan/links/new?kind=PARTICIPATES_IN", wrong).status_code == 200
    assert _post(me, f"{path}/delete", {}).status_code == 302
    assert not [e for e in _plan(app)[1].edges if e.kind == "FUNDS"]


def test_delete_shows_what_depends_on_the_node(app, me):
    page = me.get("/plan/nodes/s2/delete").get_data(as_text=True)
    assert "Links removed with it" in page
    assert 'href="/nodes/so1.o2"' in page and 'href="/nodes/be"' in page
    assert "Left without links" in page
    before = _plan(app)
    assert _post(me, "/plan/nodes/s2/delete", {}).headers["Location"] == "/plan"
    _, plan = _plan(app)
    assert plan.get("s2") is None and not [e for e in plan.edges if "s2" in (e.source, e.target)]
    assert _plan(app)[0] == before[0] + 1


def test_delete_is_refused_while_indicators_measure_the_node(app, me):
    page = me.get("/plan/nodes/so1.o1/delete").get_data(as_text=True)
    assert "cannot be removed while indicators measure it" in page
    assert 'href="/indicators/ind.o1"' in page
    assert 'type="submit"' not in page.split("<main", 1)[1]
    before = _plan(app)
    _post(me, "/plan/nodes/so1.o1/delete", {})
    assert _plan(app) == before


def test_viewers_may_not_edit(client, auth):
    auth.login_as("viewer")
    for path in ("/plan/nodes/so1", "/plan/nodes/new?kind=Partner", "/plan/nodes/s2/delete",
                 "/plan/links/new?kind=FUNDS", "/plan/links/WORKS_IN/s2/be"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_pages_in_dutch(app, me):
    me.get("/language/nl")
    page = me.get("/plan/nodes/so1").get_data(as_text=True)
    assert "Titel (Nederlands)" in page and "Titel (Engels)" in page
    assert "so1 verwijderen" in page
    page = me.get("/plan/nodes/so1.o2/delete").get_data(as_text=True)
    assert "Verbanden die mee verdwijnen" in page
    plan_page = me.get("/plan").get_data(as_text=True)
    assert "Alles in het plan" in plan_page


def test_the_plan_page_links_to_every_kind(me):
    page = me.get("/plan").get_data(as_text=True)
    assert 'href="/plan/nodes/new?kind=Partnership"' in page
    assert 'href="/plan/nodes/new?kind=BudgetLine"' in page
    assert 'href="/plan/links/new?kind=FUNDS"' in page
    assert 'href="/plan/nodes/p"' in page and 'href="/plan/nodes/so1"' in page
    assert 'href="/plan/links/WORKS_IN/s2/be"' in page
    node_page = me.get("/nodes/enabel").get_data(as_text=True)
    assert 'href="/plan/nodes/enabel"' in node_page


def test_a_link_is_added_from_a_node_page(app, me):
    page = me.get("/plan/nodes/s1").get_data(as_text=True)
    assert 'href="/plan/links/new?kind=WORKS_IN&amp;source=s1"' in page
    form = me.get("/plan/links/new?kind=WORKS_IN&source=s1").get_data(as_text=True)
    assert '<option selected value="s1">' in form
    assert (
        _post(me, "/plan/links/new?kind=WORKS_IN", {"source": "s1", "target": "be"}).status_code
        == 302
    )
    assert ("WORKS_IN", "s1", "be") in {e.key for e in _plan(app)[1].edges}
    again = _post(me, "/plan/links/new?kind=WORKS_IN", {"source": "s1", "target": "be"})
    assert "These two are linked already." in again.get_data(as_text=True)
    assert isinstance(Edge("WORKS_IN", "s1", "be"), Edge)


def test_the_delete_preview_lists_the_evidence_on_the_links_that_go(app, me):
    import datetime as dt

    from toc.causal import Link
    from toc.evidence import Evidence

    with app.app_context():
        get_store().add_evidence(
            [
                Evidence(
                    "ev.review",
                    kind="evaluation",
                    says="supports",
                    strength="strong",
                    source_text="Mid-term review of strategy 1",
                    date=dt.date(2029, 6, 30),
                    author="t",
                    link=Link("s1", "so1.o1"),
                )
            ],
            author="t",
        )
    page = me.get("/plan/nodes/s1/delete").get_data(as_text=True)
    assert "Evidence that no longer counts" in page
    assert "Mid-term review of strategy 1" in page and "ev.review" in page
    # A node whose links carry no evidence shows no such section.
    assert "Evidence that no longer counts" not in me.get("/plan/nodes/so2/delete").get_data(
        as_text=True
    )
