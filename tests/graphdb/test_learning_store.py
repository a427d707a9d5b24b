"""Evidence, priors and harvested outcomes on every engine: stored, audited, all or nothing,
checked against the plan, and copied by ``toc migrate``."""

from __future__ import annotations

import datetime as dt

import pytest

from graphdb.ladybug_store import LadybugStore
from graphdb.learning_store import LearningConflict, LearningInvalid
from graphdb.migrate import migrate
from tests.conftest import BACKENDS, new_store, small_plan
from toc.causal import Link
from toc.confidence import ConfidenceError
from toc.evidence import Evidence, EvidenceError
from toc.harvest import HarvestedOutcome, Substantiation, cite

DAY = dt.date(2029, 6, 30)


def item(id: str = "ev1", **kw) -> Evidence:
    values = {
        "kind": "evaluation", "says": "supports", "strength": "strong",
        "source_text": "Mid-term review", "date": DAY, "author": "ann",
        "link": Link("s1", "so1.o1"),
    } | kw  # fmt: skip
    return Evidence(id, **values)


def outcome(id: str = "ho1", near: tuple[str, ...] = ("so1.o1",)) -> HarvestedOutcome:
    return HarvestedOutcome(id, "Council adopts a budget", "It voted.", DAY, "Council", near,
                            "ann", substantiation=(Substantiation("Mayor", "agrees"),))  # fmt: skip


@pytest.fixture
def saved(store):
    store.save_plan(small_plan(), author="ann")
    return store


def test_evidence_is_stored_read_back_and_audited(saved):
    changes = saved.add_evidence([item(), item("ev2", assumption="a1", link=None)], author="ann")
    assert [c.action for c in changes] == ["add", "add"]
    assert saved.evidence() == [item(), item("ev2", assumption="a1", link=None)]
    saved.remove_evidence(["ev1"], author="bob")
    assert [e.id for e in saved.evidence()] == ["ev2"]
    trail = saved.learning_history("evidence", "ev1")
    assert [(c.version, c.action, c.author) for c in trail] == [
        (1, "add", "ann"),
        (2, "remove", "bob"),
    ]
    assert all(c.saved_at for c in trail)


def test_evidence_off_the_plan_is_refused_and_nothing_is_written(saved):
    with pytest.raises(LearningInvalid, match=r"\[bad\] the link s2 -> so1 .* is not in the plan"):
        saved.add_evidence([item(), item("bad", link=Link("s2", "so1"))], author="ann")
    with pytest.raises(LearningInvalid, match="not an Assumption"):
        saved.add_evidence([item("e3", assumption="s1", link=None)], author="ann")
    assert saved.evidence() == []
    assert saved.learning_log() == []


def test_a_taken_id_an_unknown_id_and_a_missing_author_are_refused(saved):
    saved.add_evidence([item()], author="ann")
    with pytest.raises(LearningInvalid, match=r"\[ev1\] the id is taken"):
        saved.add_evidence([item(strength="weak")], author="ann")
    with pytest.raises(EvidenceError, match="no evidence item 'nope'"):
        saved.remove_evidence(["nope"], author="ann")
    with pytest.raises(EvidenceError, match="author"):
        saved.add_evidence([item("ev9")], author=" ")
    assert len(saved.learning_log()) == 1


def test_outcomes_are_stored_and_can_be_cited(saved):
    saved.add_outcomes([outcome()], author="ann")
    assert saved.outcomes() == [outcome()]
    cited = cite(outcome(), Link("s1", "so1.o1"), id="ev.ho1", author="ann")
    saved.add_evidence([cited], author="ann")
    assert saved.evidence()[0].outcome == "ho1"
    with pytest.raises(EvidenceError, match=r"ev\.ho1 cites it"):
        saved.remove_outcome("ho1", author="ann")
    with pytest.raises(LearningInvalid, match="near: 'nowhere' is not a node"):
        saved.add_outcomes([outcome("ho2", near=("nowhere",))], author="ann")
    uncited = cite(outcome("ho3"), Link("s1", "so1.o1"), id="ev.ho3", author="ann")
    with pytest.raises(LearningInvalid, match="cites outcome 'ho3', which is not recorded"):
        saved.add_evidence([uncited], author="ann")


def test_priors_are_set_checked_and_reset(saved):
    link = Link("s1", "so1.o1")
    saved.set_prior(link, 0.7, author="ann")
    saved.set_prior("a1", 0.4, author="ann")
    assert saved.priors() == {link: 0.7, "a1": 0.4}
    saved.set_prior(link, None, author="bob")
    assert saved.priors() == {"a1": 0.4}
    with pytest.raises(ConfidenceError):
        saved.set_prior(link, 1.0, author="ann")
    with pytest.raises(LearningInvalid, match="s2 -> so1 is not a causal link of the plan"):
        saved.set_prior(Link("s2", "so1"), 0.5, author="ann")
    with pytest.raises(LearningInvalid, match="s1 is not an Assumption"):
        saved.set_prior("s1", 0.5, author="ann")


def test_two_writers_of_the_same_version_collide(saved):
    saved.add_evidence([item()], author="ann")
    stale = saved._changes("evidence", [("ev1", "remove", None)], "bob")
    saved.remove_evidence(["ev1"], author="ann")
    with pytest.raises(LearningConflict):
        saved._append_learning(stale)
    assert len(saved.learning_log()) == 2


@pytest.mark.parametrize("target_backend", BACKENDS)
def test_migrate_carries_evidence_outcomes_and_priors(request, tmp_path, target_backend):
    source = LadybugStore(tmp_path / "source.lbug")
    source.save_plan(small_plan(), author="ann")
    source.add_outcomes([outcome()], author="ann")
    source.add_evidence([item(), cite(outcome(), Link("s1", "so1.o1"), id="c1", author="ann")],
                        author="ann")  # fmt: skip
    source.remove_evidence(["ev1"], author="bob")
    source.set_prior("a1", 0.3, author="ann")
    (tmp_path / "t").mkdir()
    target = new_store(request, target_backend, tmp_path / "t")
    try:
        report = migrate(source, target)
        assert report.ok, report.differences
        assert report.copied["evidence items"] == 1
        assert report.copied["learning changes"] == 5
        assert target.evidence() == source.evidence()
        assert target.outcomes() == source.outcomes()
        assert target.priors() == {"a1": 0.3}
    finally:
        target.close()
        source.close()


def test_the_same_items_again_change_nothing(saved):
    saved.add_learning([item()], [outcome()], author="ann")
    assert saved.add_learning([item()], [outcome()], author="ann") == []
    assert len(saved.learning_log()) == 2


def test_submitted_evidence_counts_once_approved_not_when_returned(saved):
    saved.submit_evidence(item(), author="cleo")
    assert saved.evidence() == [] and [e.id for e, _ in saved.pending_evidence()] == ["ev1"]
    saved.review_evidence("ev1", approve=True, author="ann")
    assert saved.evidence() == [item()] and saved.pending_evidence() == []
    saved.submit_evidence(item("ev2"), author="cleo")
    saved.review_evidence("ev2", approve=False, author="ann", note="Which page?")
    assert [e.id for e in saved.evidence()] == ["ev1"] and saved.pending_evidence() == []
    with pytest.raises(EvidenceError, match="not waiting for review"):
        saved.review_evidence("ev2", approve=True, author="ann")
    with pytest.raises(LearningInvalid, match="the id is taken"):
        saved.submit_evidence(item("ev2"), author="cleo")
    actions = [c.action for c in saved.learning_history("evidence")]
    assert actions == ["submit", "approve", "submit", "return"]


def test_an_attached_file_round_trips_with_its_evidence(saved):
    kept = saved.attachment_files.put(b"%PDF-1.4 verslag", "Verslag 2029.pdf", who="ann",
                                      when="2029-06-30T10:00:00Z")  # fmt: skip
    saved.add_evidence([item(file=kept, attachment=kept.name)], author="ann")
    (back,) = saved.evidence()
    assert back.file == kept
    assert back.file.media_type == "application/pdf"
    assert saved.attachment_files.read(back.file.sha256) == b"%PDF-1.4 verslag"


def test_a_malformed_attachment_record_is_refused():
    with pytest.raises(EvidenceError, match="file: attachment: 'x' is not a sha256 address"):
        item(file={"sha256": "x", "name": "a.pdf", "media_type": "application/pdf", "size": 1,
                   "added_by": "ann", "added_at": "t"})  # fmt: skip
