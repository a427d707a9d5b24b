"""The update workflow of measurements: who may do what, which step may follow which, edit
conflicts, and the checks on a value. Pure rules first, then the store calls that apply them.

Statuses and steps (each step appends a new revision; nothing is overwritten)::

    (new) --save--> draft --submit--> submitted --approve--> approved
                      ^                   |  \\--return (with a note)--> returned
                      |                   |                                 |
                      +----- save --------+---------- save / submit --------+

* ``save`` keeps a draft, ``submit`` sends a value for review: from a new measurement, a
  draft, a submitted value (an edit before review), a returned value (it must have been edited)
  or an approved one (a correction, which goes through review again; the approved revision
  keeps counting until the correction is approved).
* ``approve`` and ``return`` apply to a submitted revision; returning needs a note.
* Roles (the same names as the web accounts): ``contributor`` may save and submit;
  ``me_officer`` and ``admin`` may do everything; ``viewer`` nothing.
* Four eyes: a reviewer approving a value they submitted themselves is warned by default (the
  approval carries the flag :data:`SELF_APPROVED`, so the log shows it for good); with the rule
  ``refuse`` (``[workflow] four_eyes`` in the settings file, or ``TOC_FOUR_EYES``) the step is
  refused with :class:`PermissionDenied` (reason ``four_eyes``) and someone else must approve.

Conflicts: every step names the revision its author edited (``base_revision``, 0 for a new
measurement). When another revision has been added since, the step is refused with
:class:`~indicators.errors.ConflictError` carrying the latest revision and the refused input;
the refused value (or review note) is kept in the log as a ``draft`` revision flagged
``conflict``. Such copies are outside the review chain: they never become "the latest
revision" and never count, but the history shows them so nobody's input is lost.

Disaggregated parts that do not add up to the total are flagged on the revision
(:func:`disaggregation_flags`), never corrected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import StrEnum

from indicators.definitions import indicator_periods
from indicators.errors import (
    ConflictError,
    PermissionDenied,
    RevisionConflict,
    UnknownIndicator,
    WorkflowError,
)
from indicators.model import (
    CONFLICT,
    Indicator,
    IndicatorType,
    MeasurementValue,
    Revision,
    RevisionStatus,
    now_stamp,
)
from indicators.plausibility import plausibility_warnings
from indicators.store_protocol import IndicatorStorage
from indicators.system_notes import conflict_note
from indicators.system_notes import parse as parse_system_note
from toc.numbers import finite_problem

__all__ = [
    "FOUR_EYES_RULES",
    "ROLES",
    "SELF_APPROVED",
    "TRANSITIONS",
    "Action",
    "apply_step",
    "chain",
    "check_value",
    "counting",
    "disaggregation_flags",
    "latest",
    "may",
    "number_problems",
    "step",
    "value_flags",
]

ROLES: tuple[str, ...] = ("viewer", "contributor", "me_officer", "admin")

#: The flag on an approval by the person who submitted the value (English, as every flag).
SELF_APPROVED = "approved by the person who submitted it (four-eyes rule)"
#: What :func:`step` does on such an approval: record it with the flag, or refuse it.
FOUR_EYES_RULES: tuple[str, ...] = ("warn", "refuse")


class Action(StrEnum):
    """A workflow step."""

    SAVE = "save"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


_S = RevisionStatus
_EDITS = {Action.SAVE: _S.DRAFT, Action.SUBMIT: _S.SUBMITTED}

#: From the latest status (None: no revision yet), the steps allowed and where they lead.
TRANSITIONS: dict[RevisionStatus | None, dict[Action, RevisionStatus]] = {
    None: dict(_EDITS),
    _S.DRAFT: dict(_EDITS),
    _S.SUBMITTED: {**_EDITS, Action.APPROVE: _S.APPROVED, Action.RETURN: _S.RETURNED},
    _S.RETURNED: dict(_EDITS),
    _S.APPROVED: dict(_EDITS),
}

_PERMISSIONS: dict[str, frozenset[Action]] = {
    "viewer": frozenset(),
    "contributor": frozenset({Action.SAVE, Action.SUBMIT}),
    "me_officer": frozenset(Action),
    "admin": frozenset(Action),
}

_TOLERANCE = 1e-9


def may(role: str, action: Action | str) -> bool:
    """Whether ``role`` may take the step ``action``.

    >>> may("contributor", "submit"), may("contributor", "approve"), may("me_officer", "return")
    (True, False, True)
    """
    return Action(action) in _PERMISSIONS.get(role, frozenset())


def chain(history: Sequence[Revision]) -> list[Revision]:
    """The review chain of one measurement: its revisions without conflict copies, in order."""
    return sorted((r for r in history if not r.conflict), key=lambda r: r.revision)


def latest(history: Sequence[Revision]) -> Revision | None:
    """The latest revision of the review chain (None for a new measurement)."""
    revs = chain(history)
    return revs[-1] if revs else None


def counting(history: Sequence[Revision], before: str | None = None) -> Revision | None:
    """The revision that counts in progress: the latest approved one (recorded before the
    timestamp ``before`` when given)."""
    approved = [
        r
        for r in chain(history)
        if r.status is RevisionStatus.APPROVED and (before is None or r.recorded_at < before)
    ]
    return approved[-1] if approved else None


def _sum(numbers: Iterable[float]) -> float:
    """An exact sum; ``inf`` when it is beyond the float range (parts of 1e308 each)."""
    try:
        return math.fsum(numbers)
    except OverflowError:
        return math.inf


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def check_value(
    indicator: Indicator, value: MeasurementValue, *, total_optional: bool = False
) -> list[str]:
    """What is wrong with ``value`` for this indicator (empty when it can be recorded).

    With ``total_optional`` (IATI imports: a publisher may give actuals by dimension only),
    a value that has disaggregated parts and no total at all is accepted as "no total"."""
    kind = indicator.type
    errors: list[str] = []

    def check_point(
        where: str,
        number: float | None,
        numerator: float | None,
        denominator: float | None,
        level: str | None,
        narrative: str | None,
    ) -> None:
        unstorable = _point_number_problems(where, number, numerator, denominator)
        if unstorable:
            errors.extend(unstorable)
            return
        if kind in (IndicatorType.NUMBER, IndicatorType.CURRENCY):
            if number is None:
                errors.append(f"{where}a value is required")
            if numerator is not None or denominator is not None or level or narrative:
                errors.append(f"{where}only a value is recorded for a {kind.value} indicator")
        elif kind is IndicatorType.PERCENTAGE:
            if numerator is None or denominator is None:
                errors.append(f"{where}a percentage is recorded as numerator and denominator")
            elif denominator <= 0 or numerator < 0:
                errors.append(f"{where}the denominator must be > 0 and the numerator >= 0")
            elif number is not None and not math.isclose(
                number, numerator / denominator * 100, rel_tol=1e-6, abs_tol=1e-6
            ):
                errors.append(
                    f"{where}value {number:g} % does not match {numerator:g}/{denominator:g} "
                    f"= {numerator / denominator * 100:g} %"
                )
            if level or narrative:
                errors.append(f"{where}a percentage has no level or narrative")
        elif kind is IndicatorType.ORDINAL:
            if level is None:
                errors.append(f"{where}a level is required")
            elif indicator.level_index(level) is None:
                codes = ", ".join(lv.code for lv in indicator.scale)
                errors.append(f"{where}{level!r} is not a level of the scale ({codes})")
            if number is not None or numerator is not None or denominator is not None:
                errors.append(f"{where}an ordinal indicator records a level, not a number")
        else:
            if not narrative or not narrative.strip():
                errors.append(f"{where}a narrative text is required")
            if number is not None or numerator is not None or denominator is not None or level:
                errors.append(f"{where}a narrative indicator records text only")

    v = value
    no_total = (
        total_optional
        and bool(v.parts)
        and v.value is None
        and v.numerator is None
        and v.denominator is None
        and v.level is None
        and not v.narrative
    )
    if not no_total:
        check_point("", v.value, v.numerator, v.denominator, v.level, v.narrative)
    seen = set()
    for part in v.parts:
        label = ", ".join(f"{d}={x}" for d, x in part.dims)
        if kind is IndicatorType.NARRATIVE:
            errors.append("narrative indicators have no disaggregated values")
            break
        if not part.dims:
            errors.append("a disaggregated value needs at least one dimension value")
        if part.dims in seen:
            errors.append(f"[{label}] is given twice")
        seen.add(part.dims)
        for name, x in part.dims:
            dim = indicator.dimension(name)
            if dim is None:
                known = ", ".join(d.name for d in indicator.dimensions) or "none"
                errors.append(f"[{label}] {indicator.code} has no dimension {name!r} ({known})")
            elif x not in dim.values:
                errors.append(f"[{label}] {x!r} is not a value of {name} ({', '.join(dim.values)})")
        check_point(f"[{label}] ", part.value, part.numerator, part.denominator, part.level, None)
    if any(not e.strip() for e in v.evidence):
        errors.append("evidence items must not be empty")
    return errors


def _point_number_problems(
    where: str, number: float | None, numerator: float | None, denominator: float | None
) -> list[str]:
    """Why the numbers of one total or part cannot be stored: not finite, beyond the float
    range, or a ratio (numerator / denominator in percent) beyond it."""
    problems = []
    for name, x in (("value", number), ("numerator", numerator), ("denominator", denominator)):
        if x is None:
            continue
        problem = finite_problem(x)
        if problem == "not a finite number" or problem == "not a number":
            problems.append(f"{where}{name} must be a finite number")
        elif problem:
            problems.append(f"{where}{name} is {problem}")
    if problems or numerator is None or denominator is None or not denominator > 0:
        return problems
    if not math.isfinite(float(numerator) / float(denominator) * 100.0):
        problems.append(
            f"{where}{float(numerator):g}/{float(denominator):g} as a percentage is too large "
            "to store"
        )
    return problems


def number_problems(value: MeasurementValue) -> list[str]:
    """Why the numbers of ``value`` (its total and its parts) cannot be stored or counted:
    each must be a finite number within the float range, and so must each percentage
    numerator / denominator. The part of :func:`check_value` that holds whatever the
    indicator; it is also checked before a value is approved (one stored by an earlier
    version, or written to the store directly, may not meet it).

    >>> number_problems(MeasurementValue(numerator=1e308, denominator=1e-10))
    ['1e+308/1e-10 as a percentage is too large to store']
    """
    problems = _point_number_problems("", value.value, value.numerator, value.denominator)
    for part in value.parts:
        label = ", ".join(f"{d}={x}" for d, x in part.dims)
        problems += _point_number_problems(
            f"[{label}] ", part.value, part.numerator, part.denominator
        )
    return problems


def disaggregation_flags(indicator: Indicator, value: MeasurementValue) -> list[str]:
    """Warnings for disaggregated parts that do not add up to the total: per set of
    dimensions (e.g. all parts by sex), the parts' values, or numerators and denominators for
    percentages, must sum to the total's. Nothing is corrected.

    >>> from indicators.model import Part, Text
    >>> ind = Indicator("i", Text(en="I"), ("n",), "number", "increase")
    >>> v = MeasurementValue(value=10.0, parts=(Part((("sex", "f"),), 4.0),
    ...                                         Part((("sex", "m"),), 5.0)))
    >>> disaggregation_flags(ind, v)
    ['parts by sex add up to 9, not to the total 10']
    """
    if not indicator.type.summable or not value.parts:
        return []
    groups: dict[tuple[str, ...], list] = {}
    for part in value.parts:
        groups.setdefault(part.dimension_names, []).append(part)
    flags = []
    for names, parts in sorted(groups.items()):
        by = " x ".join(names)
        if indicator.type is IndicatorType.PERCENTAGE:
            num = _sum(p.numerator or 0.0 for p in parts)
            den = _sum(p.denominator or 0.0 for p in parts)
            if value.numerator is None or value.denominator is None:
                continue
            if not (_close(num, value.numerator) and _close(den, value.denominator)):
                flags.append(
                    f"parts by {by} add up to {num:g}/{den:g}, not to the total "
                    f"{value.numerator:g}/{value.denominator:g}"
                )
        else:
            total = _sum(p.value or 0.0 for p in parts)
            if value.value is not None and not _close(total, value.value):
                flags.append(f"parts by {by} add up to {total:g}, not to the total {value.value:g}")
    return flags


def value_flags(indicator: Indicator, value: MeasurementValue) -> tuple[str, ...]:
    """The warnings a revision of ``value`` carries for the reviewer: parts that do not add
    up (:func:`disaggregation_flags`) and implausible numbers
    (:func:`indicators.plausibility.plausibility_warnings`)."""
    return (*disaggregation_flags(indicator, value), *plausibility_warnings(indicator, value))


def _normalised(indicator: Indicator, value: MeasurementValue) -> MeasurementValue:
    """Percentages carry their ratio in percent as ``value``."""
    if (
        indicator.type is IndicatorType.PERCENTAGE
        and value.numerator is not None
        and (value.denominator)
    ):
        return replace(value, value=value.numerator / value.denominator * 100.0)
    return value


def step(
    history: Sequence[Revision],
    indicator: Indicator,
    period: str,
    action: Action | str,
    *,
    author: str,
    role: str,
    now: str,
    base_revision: int,
    value: MeasurementValue | None = None,
    reason: str = "",
    note: str = "",
    illustrative: bool = False,
    four_eyes: str = "warn",
) -> Revision | None:
    """The revision one workflow step appends to ``history`` (the revisions of the
    measurement ``(indicator, period)``), or None when the step changes nothing (saving or
    submitting the value the measurement already has in that status). ``four_eyes`` says what
    an approval by the value's submitter does (:data:`FOUR_EYES_RULES`).

    Raises :class:`PermissionDenied`, :class:`WorkflowError` (a step not allowed from the
    latest status, an invalid value, an unknown period) or :class:`ConflictError` (the latest
    revision is not ``base_revision``; its ``rejected`` revision is the conflict copy to keep).
    """
    action = Action(action)
    code = indicator.code
    if not may(role, action):
        raise PermissionDenied(
            f"a {role or 'user without role'} may not {action.value}",
            code,
            period,
            "permission",
            {"role": role, "action": action.value},
        )
    if period not in {p.id for p in indicator_periods(indicator)}:
        raise WorkflowError(
            f"{period!r} is not one of this indicator's periods", code, period, "period"
        )
    if parse_system_note(reason) is not None:  # else it would be shown as the system's words
        raise WorkflowError(
            f"the reason {reason[:80]!r} reads as a note the system writes; word it differently",
            code,
            period,
            "system_reason",
        )
    current = latest(history)
    number = max((r.revision for r in history), default=0) + 1
    if action in _EDITS:
        if value is None:
            raise WorkflowError("a value is required", code, period, "value_required")
        problems = check_value(indicator, value)
        if problems:
            raise WorkflowError(
                "; ".join(problems), code, period, "invalid_value", {"problems": problems}
            )
        value = _normalised(indicator, value)
    elif current is not None:
        value = current.value
        if action is Action.APPROVE:
            problems = number_problems(value)
            if problems:
                raise WorkflowError(
                    "this value cannot be approved: " + "; ".join(problems),
                    code,
                    period,
                    "invalid_value",
                    {"problems": problems},
                )
    flags = value_flags(indicator, value) if value is not None else ()
    illustrative = illustrative or indicator.illustrative
    if (current.revision if current else 0) != base_revision:
        kept = action is not Action.APPROVE and value is not None
        rejected = Revision(
            code,
            period,
            number,
            RevisionStatus.DRAFT,
            value or MeasurementValue(),
            author,
            now,
            role,
            reason or conflict_note(action.value),
            note,
            base_revision,
            illustrative,
            (CONFLICT, *flags),
        )
        raise ConflictError(current, rejected, kept=kept)
    before = current.status if current else None
    if current is not None and (
        (action is Action.APPROVE and before is RevisionStatus.APPROVED)
        or (
            action is Action.RETURN
            and before is RevisionStatus.RETURNED
            and current.review_note == note
        )
    ):
        return None  # already done: approving or returning again changes nothing
    target = TRANSITIONS[before].get(action)
    if target is None:
        where = before.value if before else "a new measurement"
        raise WorkflowError(
            f"cannot {action.value} {where}",
            code,
            period,
            "transition",
            {"action": action.value, "status": before.value if before else ""},
        )
    if (
        action is Action.APPROVE
        and current is not None
        and current.status is RevisionStatus.SUBMITTED
        and current.author == author
    ):
        if four_eyes not in FOUR_EYES_RULES:
            raise ValueError(f"unknown four-eyes rule {four_eyes!r}")
        if four_eyes == "refuse":
            raise PermissionDenied(
                f"{author} submitted this value; another reviewer must approve it (four-eyes rule)",
                code,
                period,
                "four_eyes",
                {"author": author},
            )
        flags = (*flags, SELF_APPROVED)
    if action is Action.RETURN and not note.strip():
        raise WorkflowError(
            "returning a value needs a note saying what to change", code, period, "note_required"
        )
    if action in _EDITS and current is not None and current.value == value:
        if current.status is target or (
            target is RevisionStatus.SUBMITTED and current.status is RevisionStatus.APPROVED
        ):
            return None
        if current.status is RevisionStatus.RETURNED and target is RevisionStatus.SUBMITTED:
            raise WorkflowError(
                "the value was returned for a change; edit it before submitting again",
                code,
                period,
                "returned_unedited",
            )
    assert value is not None, "only edits start from nothing, and they bring a value"
    return Revision(
        code,
        period,
        number,
        target,
        value,
        author,
        now,
        role,
        reason,
        note if action in (Action.RETURN, Action.APPROVE) else "",
        base_revision,
        illustrative,
        flags,
    )


def apply_step(
    store: IndicatorStorage,
    code: str,
    period: str,
    action: Action | str,
    *,
    author: str,
    role: str,
    base_revision: int | None = None,
    value: MeasurementValue | None = None,
    reason: str = "",
    note: str = "",
    illustrative: bool = False,
    now: str | None = None,
    four_eyes: str = "warn",
) -> Revision | None:
    """Take one workflow step on a store and append its revision (see :func:`step`, also for
    ``four_eyes``).

    ``base_revision`` None means "the latest revision", for callers that have just read it
    (the command line); the web app passes the revision its form showed. On a conflict the
    refused input is appended as a conflict copy before :class:`ConflictError` is raised.
    Returns the new revision, or None when nothing changed.
    """
    indicator = store.get_indicator(code)
    if indicator is None:
        raise UnknownIndicator(code)
    last_error: RevisionConflict | None = None
    for _ in range(5):
        count = store.revision_count()
        history = store.measurement_revisions(code, period)
        current = latest(history)
        base = (current.revision if current else 0) if base_revision is None else base_revision
        stamp = now or now_stamp()
        try:
            revision = step(
                history,
                indicator,
                period,
                action,
                author=author,
                role=role,
                now=stamp,
                base_revision=base,
                value=value,
                reason=reason,
                note=note,
                illustrative=illustrative,
                four_eyes=four_eyes,
            )
        except ConflictError as conflict:
            if conflict.kept:
                try:
                    store.append_revisions([conflict.rejected], expected_count=count)
                except RevisionConflict as e:
                    last_error = e
                    continue
            raise
        if revision is None:
            return None
        try:
            store.append_revisions([revision], expected_count=count)
        except RevisionConflict as e:
            last_error = e
            continue
        return revision
    raise last_error or RevisionConflict("the measurement log kept changing; try again")
