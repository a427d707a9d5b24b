"""The learning part of the storage seam: evidence items, link priors and harvested outcomes,
kept as an append-only, audited log of changes, in domain terms, for every engine.

:class:`LearningStore` is a mixin of :class:`graphdb.store.GraphStore`. Every write is one
:class:`LearningChange` per record touched: which record (``evidence``, ``outcome`` or
``prior``), its key (the evidence or outcome id, or the link or assumption of a prior), the
record's version number, when, by whom, what (``add``, ``update`` or ``remove``) and the
record's full JSON. The current evidence, priors and outcomes are the latest version of each
record that is not a removal, so the log is the audit trail and nothing is ever overwritten.
Evidence a contributor submits (``submit``) counts once an M&E officer approves it
(``approve``), not when it is returned (``return``), as measured values are reviewed.

An engine implements two methods: :meth:`LearningStore.learning_log` (read every change) and
:meth:`LearningStore._append_learning` (write changes in one transaction, refusing, with
nothing written, a change whose ``uid`` exists: someone changed the record first). Every
public write checks against the stored plan first (the link or assumption exists, the
outcome's nodes exist, a cited outcome is recorded) and writes all of its changes or none.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphdb.errors import StoreError
from toc.causal import Link, causal_index
from toc.confidence import confidences
from toc.errors import Issue
from toc.evidence import Evidence, EvidenceError, check_evidence
from toc.harvest import HarvestedOutcome, check_outcomes
from toc.model import Plan

__all__ = [
    "RECORDS",
    "LearningChange",
    "LearningConflict",
    "LearningInvalid",
    "LearningStore",
    "prior_key",
]

#: The kinds of record the log holds.
RECORDS = ("evidence", "outcome", "prior")

#: Actions after which an evidence item counts: added by an M&E officer, or approved.
COUNTED_ACTIONS = ("add", "approve")

#: Fields of a change, in the order engines store them.
CHANGE_FIELDS = ("uid", "record", "key", "version", "saved_at", "author", "action", "spec")


class LearningInvalid(EvidenceError):
    """Evidence or outcomes that do not fit the stored plan; nothing was written."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


class LearningConflict(StoreError):
    """Someone changed the same record at the same time; nothing was written."""


@dataclass(frozen=True)
class LearningChange:
    """One audited change of one record (see the module doc)."""

    record: str
    key: str
    version: int
    saved_at: str
    author: str
    action: str
    spec: str

    @property
    def uid(self) -> str:
        """Unique per record and version: two writers of the same version collide."""
        return f"{self.record}|{self.key}|{self.version}"

    def row(self) -> dict[str, Any]:
        """The change as a flat row for the engines."""
        return {
            "uid": self.uid,
            "record": self.record,
            "key": self.key,
            "version": self.version,
            "saved_at": self.saved_at,
            "author": self.author,
            "action": self.action,
            "spec": self.spec,
        }

    def data(self) -> dict[str, Any]:
        """The record's JSON as a mapping."""
        loaded: dict[str, Any] = json.loads(self.spec) if self.spec else {}
        return loaded


def prior_key(subject: Link | str) -> str:
    """The log key of a prior: ``SOURCE|TARGET|KIND`` for a link, the id for an assumption."""
    if isinstance(subject, tuple):
        return "|".join(Link(*subject))
    return subject


def _subject_of(key: str) -> Link | str:
    parts = key.split("|")
    return Link(*parts) if len(parts) == 3 else key


def _now() -> str:
    """UTC to the microsecond: the log is ordered by it, so changes keep their order."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class LearningStore(ABC):
    """Evidence, priors and harvested outcomes held by a store (see the module doc)."""

    # -- engine part ---------------------------------------------------------------------------
    @abstractmethod
    def learning_log(self) -> list[LearningChange]:
        """Every change, ordered by (saved_at, record, key, version)."""

    @abstractmethod
    def _append_learning(self, changes: Sequence[LearningChange]) -> None:
        """Write ``changes`` in one transaction; raise :class:`LearningConflict` and write
        nothing when one of their uids exists."""

    if TYPE_CHECKING:  # provided by GraphStore

        def load_plan(self) -> Plan: ...

    # -- reading ---------------------------------------------------------------------------------
    def _current(self, record: str, before: str | None = None) -> dict[str, LearningChange]:
        latest: dict[str, LearningChange] = {}
        for change in self.learning_log():
            if change.record != record or (before is not None and change.saved_at >= before):
                continue
            if change.key not in latest or change.version > latest[change.key].version:
                latest[change.key] = change
        return latest

    def evidence(self) -> list[Evidence]:
        """The current evidence items (added, or submitted and approved), ordered by id."""
        current = self._current("evidence")
        return [
            Evidence.from_dict(c.data())
            for _, c in sorted(current.items())
            if c.action in COUNTED_ACTIONS
        ]

    def pending_evidence(self) -> list[tuple[Evidence, LearningChange]]:
        """Items submitted for review (by contributors) and not yet approved or returned,
        oldest first, each with its submission (who, when)."""
        current = self._current("evidence")
        waiting = [c for c in current.values() if c.action == "submit"]
        return [
            (Evidence.from_dict(c.data()), c) for c in sorted(waiting, key=lambda c: c.saved_at)
        ]

    def outcomes(self) -> list[HarvestedOutcome]:
        """The current harvested outcomes, ordered by id."""
        current = self._current("outcome")
        return [
            HarvestedOutcome.from_dict(c.data())
            for _, c in sorted(current.items())
            if c.action != "remove"
        ]

    def priors(self) -> dict[Link | str, float]:
        """The priors set on links and assumptions (others have the default)."""
        current = self._current("prior")
        return {
            _subject_of(key): float(c.data()["prior"])
            for key, c in sorted(current.items())
            if c.action != "remove"
        }

    def evidence_file_addresses(self) -> set[str]:
        """The file addresses evidence records name: every change in the audit trail that
        carries a file, removed items' earlier changes included (their history shows it)."""
        return {
            c.data()["file"]["sha256"]
            for c in self.learning_history("evidence")
            if c.action != "remove" and c.spec and "file" in c.data()
        }

    def learning_history(
        self, record: str | None = None, key: str | None = None
    ) -> list[LearningChange]:
        """The audit trail: every change, or those of one record kind and key."""
        return [
            c
            for c in self.learning_log()
            if (record is None or c.record == record) and (key is None or c.key == key)
        ]

    # -- writing ---------------------------------------------------------------------------------
    def _changes(
        self, record: str, items: Iterable[tuple[str, str, dict[str, Any] | None]], author: str
    ) -> list[LearningChange]:
        """Changes for (key, action, data) triples, numbered after the current versions."""
        if not author.strip():
            raise EvidenceError("every change names its author", None, "author")
        current = self._current(record)
        now = _now()
        out = []
        for key, action, data in items:
            before = current.get(key)
            version = before.version + 1 if before else 1
            spec = json.dumps(data, sort_keys=True, ensure_ascii=False) if data else ""
            out.append(LearningChange(record, key, version, now, author, action, spec))
        return out

    def add_learning(
        self,
        evidence: Sequence[Evidence] = (),
        outcomes: Sequence[HarvestedOutcome] = (),
        *,
        author: str,
    ) -> list[LearningChange]:
        """Record new harvested outcomes and evidence items, all or none: refused
        (:class:`LearningInvalid`, nothing written) when an id is taken, a link or assumption
        is not in the plan, a node an outcome names is not, or a cited outcome is not
        recorded (here or before). An item equal to the stored one of its id is skipped."""
        stored_e = {e.id: e for e in self.evidence()}
        stored_o = {o.id: o for o in self.outcomes()}
        # the same item again is no change: loading a file twice records it once
        evidence = [e for e in evidence if stored_e.get(e.id) != e]
        outcomes = [o for o in outcomes if stored_o.get(o.id) != o]
        issues = [Issue("error", "the id is taken", id=e.id) for e in evidence if e.id in stored_e]
        issues += [Issue("error", "the id is taken", id=o.id) for o in outcomes if o.id in stored_o]
        self._check(evidence, outcomes, issues)
        changes = self._changes("outcome", ((o.id, "add", o.to_dict()) for o in outcomes), author)
        changes += self._changes("evidence", ((e.id, "add", e.to_dict()) for e in evidence), author)
        if changes:
            self._append_learning(changes)
        return changes

    def add_evidence(self, items: Sequence[Evidence], *, author: str) -> list[LearningChange]:
        """Record new evidence items, all or none (see :meth:`add_learning`)."""
        return self.add_learning(items, (), author=author)

    def submit_evidence(self, item: Evidence, *, author: str) -> list[LearningChange]:
        """Submit an item for review (a contributor's): checked like :meth:`add_learning`,
        it counts only once approved (:meth:`review_evidence`)."""
        if item.id in {c.key for c in self.learning_history("evidence")}:
            raise LearningInvalid([Issue("error", "the id is taken", id=item.id)])
        self._check([item], [], [])
        changes = self._changes("evidence", [(item.id, "submit", item.to_dict())], author)
        self._append_learning(changes)
        return changes

    def review_evidence(
        self, item_id: str, *, approve: bool, author: str, note: str = ""
    ) -> list[LearningChange]:
        """Approve a submitted item (it counts from now on) or return it (it does not), with
        an optional note; refused for an item that is not waiting for review."""
        waiting = {e.id: (e, c) for e, c in self.pending_evidence()}
        if item_id not in waiting:
            raise EvidenceError("is not waiting for review", item_id)
        data = waiting[item_id][0].to_dict()
        if not approve:
            data = {"returned": data, "note": note[:2_000]}
        action = "approve" if approve else "return"
        changes = self._changes("evidence", [(item_id, action, data)], author)
        self._append_learning(changes)
        return changes

    def add_outcomes(
        self, outcomes: Sequence[HarvestedOutcome], *, author: str
    ) -> list[LearningChange]:
        """Record harvested outcomes, all or none (see :meth:`add_learning`)."""
        return self.add_learning((), outcomes, author=author)

    def remove_evidence(self, ids: Sequence[str], *, author: str) -> list[LearningChange]:
        """Remove evidence items (their history stays); unknown ids are refused."""
        current = {e.id for e in self.evidence()}
        unknown = [i for i in ids if i not in current]
        if unknown:
            raise EvidenceError(f"no evidence item {', '.join(map(repr, unknown))}", None)
        changes = self._changes("evidence", ((i, "remove", None) for i in ids), author)
        self._append_learning(changes)
        return changes

    def remove_outcome(self, outcome_id: str, *, author: str) -> list[LearningChange]:
        """Remove a harvested outcome; refused while evidence cites it."""
        if outcome_id not in {o.id for o in self.outcomes()}:
            raise EvidenceError(f"no harvested outcome {outcome_id!r}", None)
        citing = [e.id for e in self.evidence() if e.outcome == outcome_id]
        if citing:
            raise EvidenceError(
                f"evidence {', '.join(citing)} cites it: remove that first", outcome_id
            )
        changes = self._changes("outcome", [(outcome_id, "remove", None)], author)
        self._append_learning(changes)
        return changes

    def set_prior(
        self, subject: Link | str, prior: float | None, *, author: str
    ) -> list[LearningChange]:
        """Set the prior of a causal link or an assumption (None: back to the default)."""
        plan = self.load_plan()
        if isinstance(subject, tuple):
            subject = Link(*subject)
            known = subject in causal_index(plan).links
        else:
            node = next((n for n in plan.nodes if n.id == subject), None)
            known = node is not None and node.kind == "Assumption"
        if not known:
            what = "a causal link" if isinstance(subject, tuple) else "an Assumption"
            raise LearningInvalid([Issue("error", f"{subject} is not {what} of the plan")])
        if prior is not None:  # refused (ConfidenceError) outside (0, 1)
            confidences([subject], [], {subject: prior})
        key = prior_key(subject)
        data = None if prior is None else {"prior": prior}
        changes = self._changes(
            "prior", [(key, "remove" if prior is None else "set", data)], author
        )
        self._append_learning(changes)
        return changes

    def restore_learning(self, changes: Sequence[LearningChange]) -> None:
        """Write another store's log as it is (``toc migrate``), into an empty log."""
        if self.learning_log():
            raise StoreError("the learning log is not empty; restore into a new store")
        if changes:
            self._append_learning(list(changes))

    def _check(
        self,
        items: Sequence[Evidence],
        outcomes: Sequence[HarvestedOutcome],
        issues: list[Issue],
    ) -> None:
        plan = self.load_plan()
        issues += [i for i in check_evidence(plan, items) if i.level == "error"]
        known = [*self.outcomes(), *outcomes]
        issues += [i for i in check_outcomes(plan, outcomes) if i.level == "error"]
        recorded = {o.id for o in known}
        issues += [
            Issue("error", f"cites outcome {e.outcome!r}, which is not recorded", id=e.id)
            for e in items
            if e.outcome is not None and e.outcome not in recorded
        ]
        if issues:
            raise LearningInvalid(issues)
