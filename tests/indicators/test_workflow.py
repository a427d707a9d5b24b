"""The review workflow: transitions, roles, conflicts, corrections, disaggregation flags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.errors import ConflictError, PermissionDenied, WorkflowError
from indicators.model import MeasurementValue, Part, RevisionStatus
from indicators.workflow import (
    SELF_APPROVED,
    TRANSITIONS,
    Action,
    apply_step,
    chain,
    check_value,
    counting,
    disaggregation_flags,
    latest,
    step,
)
from tests.indicators.conftest import small_indicators

COUNT, PCT, LEVEL, STORY = small_indicators()
S = RevisionStatus


def stamp(i: int) -> str:
    return f"2027-02-{i % 28 + 1:02d}T10:{i // 28 % 60:02d}:00.000000Z"


def take(history, action, value=None, *, role="me_officer", base=None, note="", i=0):
    current = latest(history)
    base = (current.revision if current else 0) if base is None else base
    return step(
        history,
        COUNT,
        "2027",
        action,
        author="ann",
        role=role,
        now=stamp(i),
        base_revision=base,
        value=value,
        note=note,
    )


def v(x: float, **kw) -> MeasurementValue:
    return MeasurementValue(value=x, **kw)


def test_the_review_cycle():
    history = []
    for action, value, status in [
        (Action.SAVE, v(3), S.DRAFT),
        (Action.SUBMIT, v(3), S.SUBMITTED),
        (Action.RETURN, None, S.RETURNED),
        (Action.SUBMIT, v(4), S.SUBMITTED),
        (Action.APPROVE, None, S.APPROVED),
    ]:
        history.append(take(history, action, value, note="fix" if action is Action.RETURN else ""))
        assert history[-1].status is status
    assert [r.revision for r in history] == [1, 2, 3, 4, 5]
    assert counting(history).value == v(4)
    assert history[2].review_note == "fix"


def test_a_correction_goes_through_review_and_the_approved_value_keeps_counting():
    history = [take([], Action.SUBMIT, v(3), i=1)]
    history.append(take(history, Action.APPROVE, i=2))
    history.append(take(history, Action.SUBMIT, v(5), i=3))
    assert latest(history).status is S.SUBMITTED
    assert counting(history).value == v(3)
    history.append(take(history, Action.APPROVE, i=4))
    assert counting(history).value == v(5)
    # As known before the correction was approved, the old value counts.
    assert counting(history, before=history[3].recorded_at).value == v(3)


def test_steps_not_allowed_from_the_latest_status():
    with pytest.raises(WorkflowError, match="cannot approve a new measurement"):
        take([], Action.APPROVE)
    history = [take([], Action.SAVE, v(1))]
    with pytest.raises(WorkflowError, match="cannot return draft"):
        take(history, Action.RETURN, note="x")
    history.append(take(history, Action.SUBMIT, v(1)))
    with pytest.raises(WorkflowError, match="needs a note"):
        take(history, Action.RETURN)
    history.append(take(history, Action.RETURN, note="why?"))
    with pytest.raises(WorkflowError, match="edit it before submitting again"):
        take(history, Action.SUBMIT, v(1))


def test_roles():
    with pytest.raises(PermissionDenied):
        take([], Action.SUBMIT, v(1), role="viewer")
    history = [take([], Action.SUBMIT, v(1), role="contributor")]
    with pytest.raises(PermissionDenied, match="contributor may not approve"):
        take(history, Action.APPROVE, role="contributor")


def test_unchanged_steps_change_nothing():
    history = [take([], Action.SUBMIT, v(1))]
    assert take(history, Action.SUBMIT, v(1)) is None
    history.append(take(history, Action.APPROVE))
    assert take(history, Action.SUBMIT, v(1)) is None
    assert take(history, Action.APPROVE) is None


def test_a_stale_edit_is_a_conflict_and_keeps_the_input():
    history = [take([], Action.SUBMIT, v(1))]
    history.append(take(history, Action.SUBMIT, v(2)))  # someone else, based on r1
    with pytest.raises(ConflictError) as caught:
        take(history, Action.SUBMIT, v(9), base=1)
    conflict = caught.value
    assert conflict.latest == history[-1]
    assert conflict.kept and conflict.rejected.conflict
    assert conflict.rejected.status is S.DRAFT and conflict.rejected.value == v(9)
    assert "you edited revision 1" in str(conflict)
    # The kept copy is outside the review chain.
    history.append(conflict.rejected)
    assert latest(history).revision == 2
    assert chain(history) == history[:2]
    assert take(history, Action.SUBMIT, v(9)).revision == 4


def test_value_checks():
    assert check_value(COUNT, v(1)) == []
    assert check_value(COUNT, MeasurementValue(level="x")) == [
        "a value is required",
        "only a value is recorded for a number indicator",
    ]
    assert "the denominator must be > 0 and the numerator >= 0" in check_value(
        PCT, MeasurementValue(numerator=1, denominator=0)
    )
    assert check_value(LEVEL, MeasurementValue(level="mid")) == []
    assert "'top' is not a level of the scale (low, mid, high)" in check_value(
        LEVEL, MeasurementValue(level="top")
    )
    assert check_value(STORY, MeasurementValue(narrative="x")) == []
    bad = v(3, parts=(Part((("colour", "red"),), 1.0), Part((("sex", "other"),), 2.0)))
    problems = " | ".join(check_value(COUNT, bad))
    assert "has no dimension 'colour'" in problems and "'other' is not a value of sex" in problems


def test_parts_that_do_not_add_up_are_flagged_not_fixed():
    parts = (
        Part((("sex", "female"),), 4.0),
        Part((("sex", "male"),), 5.0),
        Part((("country", "be"),), 10.0),
    )
    value = v(10, parts=parts)
    assert disaggregation_flags(COUNT, value) == ["parts by sex add up to 9, not to the total 10"]
    revision = take([], Action.SUBMIT, value)
    assert revision.value == value and revision.flags == tuple(disaggregation_flags(COUNT, value))
    pct = MeasurementValue(
        numerator=3,
        denominator=10,
        parts=(
            Part((("sex", "female"),), numerator=1, denominator=4),
            Part((("sex", "male"),), numerator=1, denominator=6),
        ),
    )
    assert disaggregation_flags(PCT, pct) == ["parts by sex add up to 2/10, not to the total 3/10"]


steps = st.lists(
    st.tuples(st.sampled_from(list(Action)), st.integers(0, 3), st.booleans()), max_size=25
)


@settings(max_examples=150, deadline=None)
@given(steps)
def test_random_step_sequences_keep_the_log_consistent(sequence):
    """Whatever happens: the log only grows, revision numbers are 1..n, every status follows
    the transition table, and the counting value is the latest approved one."""
    history = []
    for i, (action, x, stale) in enumerate(sequence):
        value = v(float(x)) if action in (Action.SAVE, Action.SUBMIT) else None
        current = latest(history)
        base = (current.revision if current else 0) - (1 if stale and current else 0)
        try:
            revision = take(history, action, value, base=base, note="n", i=i)
        except ConflictError as e:
            assert stale
            if e.kept:
                history.append(e.rejected)
            continue
        except WorkflowError:
            continue
        if revision is None:
            continue
        assert not stale or current is None
        before = current.status if current else None
        assert TRANSITIONS[before][action] is revision.status
        history.append(revision)
    assert [r.revision for r in history] == list(range(1, len(history) + 1))
    approved = [r for r in chain(history) if r.status is S.APPROVED]
    assert counting(history) == (approved[-1] if approved else None)


def test_apply_step_on_a_store(istore):
    first = apply_step(
        istore, "ind.count", "2027", "submit", author="ann", role="contributor", value=v(11)
    )
    assert first.revision == 1 and first.status is S.SUBMITTED
    apply_step(istore, "ind.count", "2027", "approve", author="bo", role="me_officer")
    with pytest.raises(ConflictError):
        apply_step(
            istore,
            "ind.count",
            "2027",
            "submit",
            author="cy",
            role="contributor",
            base_revision=1,
            value=v(12),
        )
    history = istore.measurement_revisions("ind.count", "2027")
    assert [(r.revision, r.status.value, r.conflict) for r in history] == [
        (1, "submitted", False),
        (2, "approved", False),
        (3, "draft", True),
    ]
    with pytest.raises(WorkflowError, match="not one of this indicator's periods"):
        apply_step(istore, "ind.count", "2040", "submit", author="a", role="admin", value=v(1))


# -- four eyes -----------------------------------------------------------------------------------


def _submitted_by(author: str) -> list:
    first = step([], COUNT, "2027", Action.SUBMIT, author=author, role="me_officer",
                 now=stamp(1), base_revision=0, value=v(3))  # fmt: skip
    return [first]


def test_approving_ones_own_submission_is_flagged_by_default():
    history = _submitted_by("ann")
    approved = take(history, Action.APPROVE, i=2)  # take() acts as ann
    assert approved.status is S.APPROVED and SELF_APPROVED in approved.flags
    other = step(history, COUNT, "2027", Action.APPROVE, author="bo", role="me_officer",
                 now=stamp(2), base_revision=1)  # fmt: skip
    assert other.status is S.APPROVED and SELF_APPROVED not in other.flags


def test_the_refuse_rule_makes_it_a_refusal_for_the_submitter_only():
    history = _submitted_by("ann")
    with pytest.raises(PermissionDenied, match="another reviewer must approve") as refused:
        step(history, COUNT, "2027", Action.APPROVE, author="ann", role="me_officer",
             now=stamp(2), base_revision=1, four_eyes="refuse")  # fmt: skip
    assert refused.value.reason == "four_eyes"
    other = step(history, COUNT, "2027", Action.APPROVE, author="bo", role="admin",
                 now=stamp(2), base_revision=1, four_eyes="refuse")  # fmt: skip
    assert other.status is S.APPROVED
    # returning one's own submission is not an approval: allowed
    back = step(history, COUNT, "2027", Action.RETURN, author="ann", role="me_officer",
                now=stamp(2), base_revision=1, note="typo", four_eyes="refuse")  # fmt: skip
    assert back.status is S.RETURNED
