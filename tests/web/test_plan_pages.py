"""Editing the plan: outcomes and outputs, links, assumptions, history. Every edit is validated
with the whole plan and saved as one new version, or not at all."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.web.conftest import csrf_token
from toc.model import Node, Plan, Text
from web.store import get_store


def _post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def _plan(app):
    with app.app_context():
        store = get_store()
        return store.plan_version(), store.load_plan()


@pytest.fixture
def me(client, auth):
    auth.login_as("me_officer")
    return client


def _add_outcome(client, node_id="so1.o1.oc1", **fields):
    data = {
        "node_id": node_id,
        "title_nl": "Betere samenwerking",
        "title_en": "Better cooperation",
        "contributes_to": "so1.o1",
        "rationale_en": "because it is needed",
        **fields,
    }
    return _post(client, "/plan/nodes/new?kind=Outcome&parent=so1.o1", **data)


def test_plan_page_lists_the_structure(me):
    page = me.get("/plan").get_data(as_text=True)
    assert "<h1>Edit the plan</h1>" in page
    assert 'href="/plan/nodes/new?kind=Outcome&amp;parent=so1.o1"' in page
    assert 'href="/plan/links/CONTRIBUTES_TO/s1/so1.o1"' in page
    assert 'href="/plan/assumptions/a1"' in page
    assert 'href="/plan/indicators/ind.o1"' in page
    assert "CONTRIBUTES_TO <span" not in page and "Contributes to <span" in page
    assert "Add a link: Contributes to" in page
    me.get("/language/nl")
    dutch = me.get("/plan").get_data(as_text=True)  # link kinds by their names, not codes
    assert "Draagt bij aan <span" in dutch and "Een verband toevoegen: Draagt bij aan" in dutch
    new = me.get("/plan/links/new?kind=WORKS_IN").get_data(as_text=True)
    assert "Nieuw verband: Werkt in" in new and "WORKS_IN" not in new.split("<main")[1]
    me.get("/language/en")
    form = me.get("/plan/nodes/new?kind=Outcome&parent=so1.o1").get_data(as_text=True)
    assert 'value="so1.o1.oc1"' in form  # a free id is suggested
    assert '<option selected value="so1.o1">' in form


def test_add_an_outcome_and_an_output_under_it(app, me):
    response = _add_outcome(me, start_year="2027", end_year="2031")
    assert response.status_code == 302
    assert response.headers["Location"] == "/plan#node-so1.o1.oc1"
    version, plan = _plan(app)
    assert version == 2
    node = plan.node("so1.o1.oc1")
    assert (node.kind, node.title, node.props["start_year"]) == (
        "Outcome",
        Text("Betere samenwerking", "Better cooperation"),
        2027,
    )
    (link,) = [e for e in plan.edges if e.source == "so1.o1.oc1"]
    assert (link.target, link.props["rationale"]) == ("so1.o1", Text("", "because it is needed"))
    output = _post(me, "/plan/nodes/new?kind=Output&parent=so1.o1.oc1", node_id="so1.o1.op1",
                   title_en="Training", contributes_to="so1.o1.oc1")  # fmt: skip
    assert output.status_code == 302
    _, plan = _plan(app)
    assert plan.node("so1.o1.op1").kind == "Output"
    page = me.get("/plan").get_data(as_text=True)
    assert "Saved: Output so1.o1.op1 added." in page
    assert re.search(r'id="node-so1.o1.oc1".*id="node-so1.o1.op1"', page, re.S)
    history = me.get("/plan/history").get_data(as_text=True)
    assert "Output so1.o1.op1 added" in history and "Outcome so1.o1.oc1 added" in history
    assert "<td>me</td>" in history and "§pathways" not in history
    me.get("/language/nl")  # the system's messages are kept as codes, worded for each reader
    dutch = me.get("/plan/history").get_data(as_text=True)
    assert "so1.o1.op1 toegevoegd" in dutch and "Resultaat so1.o1.oc1 toegevoegd" in dutch
    assert "Saved:" not in dutch and " added" not in dutch.split("<main")[1]


def test_the_english_messages_of_an_older_store_are_worded_in_dutch(app, me):
    with app.app_context():
        store = get_store()
        plan = store.load_plan()
        node = plan.node("so1.o1")
        edited = dataclasses.replace(node, title=Text("Anders", "Otherwise"))
        changed = Plan.of([edited if n.id == node.id else n for n in plan.nodes], plan.edges)
        store.save_plan(changed, author="old", message="Objective so1.o1 changed")
    me.get("/language/nl")
    dutch = me.get("/plan/history").get_data(as_text=True)
    assert "so1.o1 gewijzigd" in dutch and "so1.o1 changed" not in dutch


def test_validation_errors_are_shown_next_to_the_fields_and_nothing_is_written(app, me):
    response = _add_outcome(me, end_year="2040")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(
        r'id="end_year-errors">\s*<li>Until \(year\): 2040 lies outside the plan \(2027-2036\)',
        page,
    )
    assert "end_year" not in re.sub(r'(id|name|for|aria-\w+)="[^"]*"', "", page)
    assert "Nothing was saved." in page
    assert 'value="Better cooperation"' in page  # the input is kept
    assert _plan(app)[0] == 1
    page = _add_outcome(me, title_nl="", title_en="").get_data(as_text=True)
    assert "Give a title in Dutch, English or both." in page
    page = _add_outcome(me, node_id="bad id!").get_data(as_text=True)
    assert "Use letters, digits and . _ -" in page

    page = _add_outcome(me, node_id="so1").get_data(as_text=True)
    assert re.search(r'id="node_id-errors">\s*<li>This id is taken.', page)
    page = _add_outcome(me, start_year="twenty").get_data(as_text=True)
    assert 'id="start_year-errors"' in page
    assert _plan(app)[0] == 1


def test_validation_errors_name_the_fields_by_their_dutch_labels(app, me):
    me.get("/language/nl")
    page = _add_outcome(me, end_year="2040", start_year="2030").get_data(as_text=True)
    assert re.search(r'id="end_year-errors">\s*<li>Tot \(jaar\): 2040 valt buiten het plan', page)
    assert "lies outside" not in page and "end_year 2040" not in page


def test_edit_an_outcome_and_edit_conflicts(app, me):
    _add_outcome(me)
    form = me.get("/plan/nodes/so1.o1.oc1").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', form).group(1)
    response = _post(me, "/plan/nodes/so1.o1.oc1", title_nl="Nieuw", title_en="New", base=base)
    assert response.status_code == 302
    assert _plan(app)[1].node("so1.o1.oc1").title == Text("Nieuw", "New")
    # Someone else's change since the form was shown is not overwritten unnoticed.
    response = _post(me, "/plan/nodes/so1.o1.oc1", title_en="Mine", base=base)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else changed this" in page
    assert 'value="Mine"' in page
    assert _plan(app)[1].node("so1.o1.oc1").title == Text("Nieuw", "New")
    fresh = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    assert _post(me, "/plan/nodes/so1.o1.oc1", title_en="Mine", base=fresh).status_code == 302
    assert _plan(app)[1].node("so1.o1.oc1").title == Text("", "Mine")
    assert me.get("/plan/nodes/so1").status_code == 200  # every kind is editable (issue 16)
    assert me.get("/plan/nodes/no-such-node").status_code == 404


def test_a_measured_node_cannot_be_removed(app, me):
    from indicators.definitions import decode_indicator

    _add_outcome(me)
    with app.app_context():
        store = get_store()
        extra = decode_indicator({"code": "ind.oc", "measures": ["so1.o1.oc1"],
                                  "title": {"en": "Outcome"}, "type": "narrative",
                                  "direction": "maintain", "start_year": 2027,
                                  "end_year": 2031})  # fmt: skip
        store.save_indicators([*store.indicators(), extra], author="t")
    version = _plan(app)[0]
    response = _post(me, "/plan/nodes/so1.o1.oc1/delete")
    assert response.headers["Location"] == "/plan/nodes/so1.o1.oc1"
    page = me.get("/plan/nodes/so1.o1.oc1").get_data(as_text=True)
    assert "Indicators measure this node (so1.o1.oc1: ind.oc)" in page
    assert _plan(app)[0] == version
    with app.app_context():
        store = get_store()
        store.save_indicators([i for i in store.indicators() if i.code != "ind.oc"], author="t")
    assert _post(me, "/plan/nodes/so1.o1.oc1/delete").headers["Location"] == "/plan"
    plan = _plan(app)[1]
    assert plan.get("so1.o1.oc1") is None
    assert not [e for e in plan.edges if "so1.o1.oc1" in (e.source, e.target)]


def test_links_rationale_assumptions_and_cycles(app, me):
    _add_outcome(me)
    form = me.get("/plan/links/new?kind=CONTRIBUTES_TO&source=s2").get_data(as_text=True)
    assert '<option selected value="s2">' in form
    response = _post(me, "/plan/links/new?kind=CONTRIBUTES_TO", source="s2",
                     target="so1.o1.oc1", rationale_nl="omdat", rationale_en="because",
                     assumptions="a1", weight="0,5")  # fmt: skip
    assert response.status_code == 200  # English: 0,5 is not a number
    assert "write 0.5 (decimals after a point" in response.get_data(as_text=True)
    response = _post(me, "/plan/links/new?kind=CONTRIBUTES_TO", source="s2",
                     target="so1.o1.oc1", rationale_nl="omdat", rationale_en="because",
                     assumptions="a1", weight="0.5")  # fmt: skip
    assert response.status_code == 302
    link = next(e for e in _plan(app)[1].edges if e.key == ("CONTRIBUTES_TO", "s2", "so1.o1.oc1"))
    assert link.props["assumptions"] == ("a1",) and link.props["weight"] == 0.5
    assert link.props["rationale"] == Text("omdat", "because")
    version = _plan(app)[0]
    # A link that closes a cycle is refused, with the reason at the target.
    page = _post(me, "/plan/links/new?kind=CONTRIBUTES_TO", source="so1",
                 target="so1.o1.oc1").get_data(as_text=True)  # fmt: skip
    assert re.search(r'id="target-errors">\s*<li>(CONTRIBUTES_TO may not link|.*cycle)', page)
    page = _post(me, "/plan/links/new?kind=CONTRIBUTES_TO", source="s2",
                 target="so1.o1.oc1").get_data(as_text=True)  # fmt: skip
    assert "These two are linked already." in page
    page = _post(me, "/plan/links/new?kind=CONTRIBUTES_TO", source="so1.o1.oc1",
                 target="s1").get_data(as_text=True)  # fmt: skip
    assert re.search(r'id="target-errors">\s*<li>CONTRIBUTES_TO may not link Outcome to', page)
    assert _plan(app)[0] == version
    # Change a link: the assumption goes, the rationale changes.
    form = me.get("/plan/links/CONTRIBUTES_TO/s2/so1.o1.oc1").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', form).group(1)
    assert 'name="weight" type="text" value="0.5"' in form
    response = _post(me, "/plan/links/CONTRIBUTES_TO/s2/so1.o1.oc1", rationale_en="why not",
                     weight="0.5", base=base)  # fmt: skip
    assert response.status_code == 302
    link = next(e for e in _plan(app)[1].edges if e.key == ("CONTRIBUTES_TO", "s2", "so1.o1.oc1"))
    assert "assumptions" not in link.props and link.props["rationale"] == Text("", "why not")
    assert link.props["weight"] == 0.5
    assert _post(me, "/plan/links/CONTRIBUTES_TO/s2/so1.o1.oc1/delete").status_code == 302
    assert ("CONTRIBUTES_TO", "s2", "so1.o1.oc1") not in {e.key for e in _plan(app)[1].edges}


def test_sdg_alignment(app, me):
    response = _post(me, "/plan/links/new?kind=ALIGNS_WITH", source="so1.o1", target="sdg11",
                     priority="secondary")  # fmt: skip
    assert response.status_code == 302
    link = next(e for e in _plan(app)[1].edges if e.key == ("ALIGNS_WITH", "so1.o1", "sdg11"))
    assert link.props["priority"] == "secondary"
    form = me.get("/plan/links/new?kind=ALIGNS_WITH").get_data(as_text=True)
    assert 'name="priority"' in form and 'name="assumptions"' not in form
    assert me.get("/plan/links/new?kind=FUNDS").status_code == 200  # every link kind (issue 16)
    assert me.get("/plan/links/new?kind=NO_SUCH").status_code == 404
    assert me.get("/plan/links/ALIGNS_WITH/so1/nope").status_code == 404


def test_assumptions_are_attached_to_links(app, me):
    response = _post(me, "/plan/assumptions/new", node_id="a.funding",
                     title_en="Funding continues", links=["s1|so1.o1", "s2|so1.o2"])  # fmt: skip
    assert response.status_code == 302
    plan = _plan(app)[1]
    assert plan.node("a.funding").kind == "Assumption"
    relying = {e.key[1:] for e in plan.edges if "a.funding" in e.props.get("assumptions", ())}
    assert relying == {("s1", "so1.o1"), ("s2", "so1.o2")}
    assert next(e for e in plan.edges if e.key == ("CONTRIBUTES_TO", "s1", "so1.o1")).props[
        "assumptions"
    ] == ("a1", "a.funding")
    form = me.get("/plan/assumptions/a.funding").get_data(as_text=True)
    assert len(re.findall(r"<input checked[^>]*name=\"links\"", form)) == 2
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', form).group(1)
    response = _post(me, "/plan/assumptions/a.funding", title_en="Funding continues",
                     links=["s2|so1.o2"], base=base)  # fmt: skip
    assert response.status_code == 302
    plan = _plan(app)[1]
    relying = {e.key[1:] for e in plan.edges if "a.funding" in e.props.get("assumptions", ())}
    assert relying == {("s2", "so1.o2")}
    assert _post(me, "/plan/nodes/a.funding/delete").status_code == 302
    plan = _plan(app)[1]
    assert plan.get("a.funding") is None
    assert all("a.funding" not in e.props.get("assumptions", ()) for e in plan.edges)


def test_only_me_officers_and_admins_edit_the_plan(app, client, auth):
    auth.login_as("contributor")
    assert client.get("/plan").status_code == 403
    assert _post(client, "/plan/nodes/new?kind=Outcome", node_id="x", title_en="X",
                 contributes_to="so1.o1").status_code == 403  # fmt: skip
    assert "/plan" not in client.get("/").get_data(as_text=True).replace("/pathways", "")
    auth.logout()
    auth.login_as("admin")
    assert client.get("/plan").status_code == 200
    assert _plan(app)[0] == 1


def test_edits_need_csrf(app, me):
    response = me.post(
        "/plan/nodes/new?kind=Outcome",
        data={"node_id": "x", "title_en": "X", "contributes_to": "so1.o1"},
    )
    assert response.status_code == 400
    assert me.post("/plan/links/CONTRIBUTES_TO/s1/so1.o1/delete").status_code == 400
    assert _plan(app)[0] == 1


def test_pages_show_plan_changes_at_once(app, me):
    assert "Better cooperation" not in me.get("/nodes/so1.o1").get_data(as_text=True)
    _add_outcome(me)
    assert "Better cooperation" in me.get("/nodes/so1.o1").get_data(as_text=True)
    assert me.get("/nodes/so1.o1.oc1").status_code == 200


def test_new_node_kinds(me):
    assert me.get("/plan/nodes/new?kind=Objective").status_code == 200  # any registry kind
    assert me.get("/plan/nodes/new?kind=NoSuchKind").status_code == 404
    assert me.get("/plan/nodes/new?kind=Plan").status_code == 404  # there is one plan node
    assert me.get("/plan/nodes/new?kind=Assumption").headers["Location"] == "/plan/assumptions/new"
    assert isinstance(Node("Outcome", "x", Text(en="x")), Node)


@pytest.mark.parametrize(
    "field, value, limit",
    [
        ("title_en", "t" * 501, 500),
        ("description_nl", "d" * 20_001, 20_000),
        ("rationale_en", "r" * 20_001, 20_000),
        ("node_id", "so1.o1." + "x" * 194, 200),
    ],
)
def test_texts_longer_than_the_plan_limits_are_refused_at_their_field(app, me, field, value, limit):
    before = _plan(app)
    response = _add_outcome(me, **{field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Field cannot be longer than {limit} characters." in page
    assert _plan(app) == before
    # At the limit it is saved.
    assert _add_outcome(me, **{field: value[:limit]}).status_code == 302
