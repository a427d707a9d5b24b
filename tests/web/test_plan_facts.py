"""What the plan says and how it is modelled, on the web: a node's and a link's source and
note, links that are modelling judgements, the plan's own facts (governing bodies, staff) and
the cue on statements made in one language version only (SDG 17, the English text alone)."""

from __future__ import annotations

import pytest

from graphdb.ladybug_store import LadybugStore
from tests.toc.test_budget_check import PLAN_FILE
from tests.web.conftest import english_client, make_app
from toc.planfile import load
from web.store import close_store


@pytest.fixture
def vvsg_client(store_path, auth):
    store = LadybugStore(store_path)
    try:
        store.save_plan(load(PLAN_FILE), author="tests", message="VVSG plan")
    finally:
        store.close()
    app = make_app(store_path)
    client = english_client(app)
    type(auth)(client).login_as("viewer")
    yield client
    close_store(app)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_nodes_note_and_source_are_shown(vvsg_client):
    text = page(vvsg_client, "/nodes/budget.total.2027")
    assert "Modelling note" in text and "Source in the plan" in text
    assert "differs from the sum of the three cost lines (1,379,828) by +1 (rounding)" in text


def test_a_links_source_note_and_judgement_are_shown(vvsg_client):
    text = page(vvsg_client, "/nodes/so2")
    # so2 -> sdg11 is a judgement whose note says why
    assert "Judgement: the plan aligns the programme as a whole with SDG 11" in text
    assert "Modelling judgement" in text
    strategy = page(vvsg_client, "/nodes/s1")
    # the plan does not map strategies to objectives: every such link says so
    assert strategy.count('class="tag tag-judgement"') >= 2
    assert "The plan does not state this link; whoever modelled the plan drew it." in strategy
    assert "Source in the plan: §2 (English); §4" in strategy  # s1 -> sdg17


def test_a_link_stated_in_one_version_only_says_so(vvsg_client):
    text = page(vvsg_client, "/nodes/sdg17")
    assert 'class="tag tag-one-language">Stated only in English' in text
    vvsg_client.get("/language/nl")
    dutch = page(vvsg_client, "/nodes/sdg17")
    assert 'class="tag tag-one-language">Enkel vermeld in Engels' in dutch


def test_the_plans_own_facts_have_pages(vvsg_client):
    body = page(vvsg_client, "/nodes/gov.daily-board")
    assert "Governing body" in body and "Wim Dries" in body and "Members" in body
    staff = page(vvsg_client, "/nodes/staff.team-international.nl")
    assert "Staff figure" in staff and "FTE" in staff and "5.8" in staff
    assert "Stated only in" in staff
    claim = page(vvsg_client, "/nodes/claim.admin-share")
    assert "11.86%" in claim and "falls" in claim


def test_the_dutch_diagram_page_has_the_one_language_legend(vvsg_client):
    english = page(vvsg_client, "/pathways")
    assert "one-language-cue" not in english
    vvsg_client.get("/language/nl")
    dutch = page(vvsg_client, "/pathways")
    assert '<span class="one-language-cue"><span class="cue" aria-hidden="true">[EN]</span> ' in (
        dutch
    )
    assert "Alleen in de Engelse versie" in dutch
    svg = vvsg_client.get("/pathways/diagram.svg").get_data(as_text=True)
    assert "one-language" in svg and "Alleen in de Engelse versie" in svg
