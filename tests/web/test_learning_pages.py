"""The learning pages: a link's evidence and confidence with its form, the contribution story,
harvested outcomes, and the confidences on node pages; who may record, in both languages."""

from __future__ import annotations

import io
import re

from graphdb import open_store
from tests.web.conftest import csrf_token

LINK = "/evidence/s1/so1.o1"


def record(client, **extra):
    data = {"kind": "evaluation", "says": "supports", "strength": "strong",
            "source_text": "Mid-term review, p. 12", "date": "2025-06-30", "url": "",
            "csrf_token": csrf_token(client, LINK)} | extra  # fmt: skip
    return client.post(LINK, data=data)


def test_an_me_officer_records_evidence_and_the_confidence_moves(client, auth, store_location):
    auth.login_as("me_officer")
    before = client.get(LINK).get_data(as_text=True)
    assert "No evidence recorded for this link" in before and "<strong>50%</strong>" in before
    response = record(client)
    assert response.status_code == 302
    page = client.get(LINK).get_data(as_text=True)
    assert "Evidence ev1 recorded." in page and "Mid-term review, p. 12" in page
    assert "<strong>89%</strong>" in page and "(very high)" in page
    node = client.get("/nodes/so1.o1").get_data(as_text=True)
    assert "Evidence and confidence" in node and "<strong>89%</strong>" in node
    story = client.get("/story/so1.o1").get_data(as_text=True)
    assert "Mid-term review, p. 12" in story and "5. Conclusion" in story
    token = csrf_token(client, LINK)
    gone = client.post("/evidence/ev1/remove", data={"csrf_token": token, "next": LINK})
    assert gone.status_code == 302 and gone.headers["Location"] == LINK
    assert "No evidence recorded for this link" in client.get(LINK).get_data(as_text=True)
    with open_store(store_location, read_only=True) as store:
        trail = [(c.action, c.author) for c in store.learning_history("evidence", "ev1")]
    assert [action for action, _ in trail] == ["add", "remove"]
    assert len({author for _, author in trail}) == 1 and trail[0][1]


def test_a_refused_item_says_why_and_writes_nothing(client, auth):
    auth.login_as("me_officer")
    page = record(client, date="2199-01-01").get_data(as_text=True)
    assert "The evidence was not recorded" in page and "after today" in page
    page = record(client, source_text="").get_data(as_text=True)
    assert "Say what the source says." in page
    assert "No evidence recorded for this link" in client.get(LINK).get_data(as_text=True)


def test_viewers_read_but_do_not_record(client, auth):
    auth.login_as("viewer")
    page = client.get(LINK).get_data(as_text=True)
    assert "Confidence that this link holds" in page and "Record evidence" not in page
    assert client.post(LINK, data={}).status_code in (400, 403)
    assert client.get("/evidence/s2/so1").status_code == 404
    assert client.get("/story/sdg16").status_code == 404


def test_outcomes_are_listed_and_recorded(client, auth):
    auth.login_as("me_officer")
    assert "No harvested outcomes recorded." in client.get("/outcomes").get_data(as_text=True)
    data = {"title": "Council adopts a budget", "description": "It voted.",
            "social_actor": "Council", "when": "2025-03-01", "near": "so1.o1",
            "valence": "negative", "planning": "unplanned", "significance": "", "contribution": "",
            "csrf_token": csrf_token(client, "/outcomes")}  # fmt: skip
    assert client.post("/outcomes", data=data).status_code == 302
    page = client.get("/outcomes?near=so1.o1").get_data(as_text=True)
    assert "Council adopts a budget" in page and "unplanned" in page
    story = client.get("/story/so1.o1").get_data(as_text=True)
    assert "Council adopts a budget" in story


def test_the_pages_speak_dutch(client, auth):
    auth.login_as("me_officer")
    client.get("/language/nl")
    page = client.get(LINK).get_data(as_text=True)
    assert "Vertrouwen dat dit verband standhoudt" in page and "Bewijs vastleggen" in page
    assert re.search(r"Conclusie", client.get("/story/so1.o1").get_data(as_text=True))
    assert "Geoogste uitkomsten" in client.get("/outcomes").get_data(as_text=True)


def test_the_diagram_shows_link_confidence_with_a_legend(client, auth):
    auth.login_as("viewer")
    plain = client.get("/pathways").get_data(as_text=True)
    assert 'class="confidence"' not in plain
    page = client.get("/pathways?confidence=1").get_data(as_text=True)
    assert page.count('class="edge confidence"') == 4 and "50%" in page
    assert "Link label: confidence that the link holds" in page
    svg = client.get("/pathways/diagram.svg?confidence=1").get_data(as_text=True)
    assert "50%" in svg


def test_a_whatif_on_the_pathways_page_marks_what_is_lost(client, auth):
    auth.login_as("viewer")
    page = client.get("/pathways?without=s2&without=nope").get_data(as_text=True)
    assert "What-if without s2" in page
    assert "Removed in the what-if" in page and "Keeps fewer pathways (2 → 1)" in page
    assert "Loses every pathway (1 → 0)" in page  # so1.o2 had only s2
    assert "nope" in page  # named among the ignored filters
    dutch = client.get("/pathways?without=s2", headers={"Accept-Language": "nl"})
    client.get("/language/nl")
    dutch = client.get("/pathways?without=s2").get_data(as_text=True)
    assert "Verliest elk pad" in dutch and "Wat als zonder s2" in dutch


def test_the_evidence_queries_run_on_the_queries_page(client, auth):
    auth.login_as("viewer")
    page = client.get("/queries/links_without_evidence?run=1")
    assert page.status_code == 200 and "so1.o1" in page.get_data(as_text=True)
    assert client.get("/queries/weakest_links?run=1").status_code == 200
    fell = client.get("/queries/confidence_fell?run=1&since=2020-01-01&until=2030-01-01")
    assert fell.status_code == 200


def test_a_contributor_submits_evidence_in_scope_and_it_counts_once_approved(client, auth):
    auth.login_as("contributor")
    assert "Record evidence" in client.get(LINK).get_data(as_text=True)
    assert record(client).status_code == 302
    page = client.get(LINK).get_data(as_text=True)
    assert "submitted for review" in page and "Waiting for review" in page
    assert "<strong>50%</strong>" in page  # not counted yet
    outside = client.get("/evidence/s2/so1.o2").get_data(as_text=True)
    assert "Record evidence" not in outside
    token = csrf_token(client, LINK)
    assert client.post("/evidence/s2/so1.o2", data={"csrf_token": token}).status_code == 403
    auth.logout()
    auth.login_as("me_officer")
    token = csrf_token(client, LINK)
    done = client.post("/evidence/ev1/review", data={"csrf_token": token, "next": LINK,
                                                     "decision": "approve"})  # fmt: skip
    assert done.status_code == 302
    page = client.get(LINK).get_data(as_text=True)
    assert "Evidence ev1 approved." in page and "<strong>89%</strong>" in page
    assert "Waiting for review" not in page


def test_evidence_on_an_assumption(client, auth):
    auth.login_as("me_officer")
    path = "/assumptions/a1/evidence"
    assert "Evidence on this assumption" in client.get("/nodes/a1").get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert "Confidence that this assumption holds" in page and "<strong>50%</strong>" in page
    data = {"kind": "testimony", "says": "contradicts", "strength": "moderate",
            "source_text": "The council lost interest", "date": "2025-06-30", "url": "",
            "csrf_token": csrf_token(client, path)}  # fmt: skip
    assert client.post(path, data=data).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "The council lost interest" in page and "<strong>50%</strong>" not in page
    assert client.get("/assumptions/s1/evidence").status_code == 404
    story = client.get("/story/so1.o1").get_data(as_text=True)
    assert "did not hold" in story or "inconclusive" in story


def test_a_file_is_attached_listed_and_served_safely(client, auth):
    auth.login_as("me_officer")
    upload = (io.BytesIO(b"%PDF-1.4 verslag"), "Verslag bezoek.pdf")
    assert record(client, file=upload).status_code == 302
    page = client.get(LINK).get_data(as_text=True)
    assert "file Verslag bezoek.pdf (1 kB)" in page and "/evidence/ev1/file" in page
    served = client.get("/evidence/ev1/file")
    assert served.status_code == 200 and served.data == b"%PDF-1.4 verslag"
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith('attachment; filename="Verslag')
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]
    assert client.get("/evidence/ev9/file").status_code == 404


def test_a_refused_file_is_named_with_its_reason_in_both_languages(client, auth, store_location):
    auth.login_as("me_officer")
    page = record(client, file=(io.BytesIO(b"<html>x</html>"), "r.pdf")).get_data(as_text=True)
    assert "r.pdf was not attached: markup (HTML, SVG, XML or script) is not allowed" in page
    client.get("/language/nl")
    page = record(client, file=(io.BytesIO(b"MZ\x90"), "r.pdf")).get_data(as_text=True)
    assert "r.pdf is niet bijgevoegd: een programma is niet toegestaan" in page
    with open_store(store_location, read_only=True) as store:
        assert store.evidence() == [] and not store.attachment_files.addresses()


def test_a_waiting_items_file_is_refused_to_other_readers(client, auth):
    auth.login_as("contributor")
    assert record(client, file=(io.BytesIO(b"%PDF-1.4 x"), "a.pdf")).status_code == 302
    assert client.get("/evidence/ev1/file").status_code == 200
    auth.logout()
    auth.login_as("viewer")
    assert client.get("/evidence/ev1/file").status_code == 403
