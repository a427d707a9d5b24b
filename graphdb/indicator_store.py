"""The indicator part of the storage seam: indicator definitions and the append-only log of
measurement revisions, in domain terms, for every engine.

:class:`IndicatorStore` is a mixin of :class:`graphdb.store.GraphStore`. An engine implements
the five engine methods; everything else here is built on them:

* ``indicator_history()`` and ``_write_indicators(...)``: definitions. Every saved change of
  a definition is kept as a numbered :class:`IndicatorVersion` (its full JSON), so the
  definitions as they were on a date can be read back; the current ones are also nodes
  ``Indicator`` linked ``MEASURES`` to the nodes they measure, for graph queries.
* ``revision_count()``, ``_append_revision_frame(...)`` and ``revision_frame(...)``: the
  measurement log, one row per revision in the record form of :mod:`indicators.records`.
  Appends are all-or-nothing; rows are never changed or deleted.

A plan change that would remove (or change the kind of) a node that indicators measure is
refused with :class:`IndicatorsInUse`, naming the indicators: :meth:`_guard_plan_changes` is
called by ``GraphStore.save_plan`` before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from graphdb.errors import StoreError
from indicators.definitions import encode_indicator, indicator_from_stored
from indicators.errors import IndicatorError
from indicators.model import Indicator, Revision, now_stamp
from indicators.record_columns import COLUMNS
from toc.errors import PlanError
from toc.kinds import CAUSAL_KINDS

if TYPE_CHECKING:
    import pandas as pd

    from toc.diff import PlanChanges

__all__ = [
    "IndicatorStore",
    "IndicatorVersion",
    "IndicatorsInUse",
    "IndicatorsSaved",
    "RevisionConflict",
]


class RevisionConflict(StoreError):
    """Revisions were appended since the caller read the log (or a revision number is
    taken); nothing was written. Read again and retry."""


class IndicatorsInUse(PlanError):
    """A plan change would remove or re-kind nodes that indicators measure (a
    :class:`toc.errors.PlanError`, so every caller of ``save_plan`` reports it).

    ``measured`` maps each such node id to the codes of the indicators measuring it.
    """

    def __init__(self, measured: dict[str, list[str]]) -> None:
        self.measured = measured
        listing = "; ".join(f"{node}: {', '.join(codes)}" for node, codes in measured.items())
        PlanError.__init__(
            self,
            f"the new plan removes or changes the kind of {len(measured)} node(s) that "
            f"indicators measure ({listing}). Change those indicators first "
            "(toc indicators load), then load the plan again; nothing was changed.",
        )


@dataclass(frozen=True)
class IndicatorVersion:
    """One saved version of one indicator definition (``removed``: the indicator was taken
    out of the set in this version; ``spec`` is then empty)."""

    code: str
    version: int
    saved_at: str
    author: str
    message: str
    spec: str
    removed: bool = False

    def indicator(self) -> Indicator:
        return _decode_spec(self.spec)


@dataclass(frozen=True)
class IndicatorsSaved:
    """What a save of indicator definitions changed."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    saved_at: str

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@lru_cache(maxsize=65_536)
def _decode_spec(spec: str) -> Indicator:
    """A stored definition (decoded once per process: definitions are immutable values)."""
    return indicator_from_stored(json.loads(spec))


def spec_json(indicator: Indicator) -> str:
    """The canonical JSON of a definition (what versions store and compare)."""
    return json.dumps(encode_indicator(indicator), ensure_ascii=False)


class IndicatorStore:
    """Indicator definitions and measurement revisions held by a store (see the module doc).

    The five engine methods raise :class:`NotImplementedError` for an engine that does not
    implement them yet (instead of being abstract, so such an engine still opens and serves
    plans); :attr:`holds_indicators` tells whether it does.
    """

    @property
    def holds_indicators(self) -> bool:
        """Whether this engine implements the indicator storage."""
        return all(
            getattr(type(self), name) is not getattr(IndicatorStore, name)
            for name in _ENGINE_METHODS
        )

    def _missing(self, what: str) -> NotImplementedError:
        backend = getattr(self, "backend", "") or type(self).__name__
        return NotImplementedError(f"the {backend} store does not hold indicators yet ({what})")

    # -- definitions: engine part ------------------------------------------------------------
    def indicator_history(self) -> list[IndicatorVersion]:
        """Every saved version of every definition, ordered by (saved_at, code, version)."""
        raise self._missing("indicator_history")

    def _write_indicators(
        self,
        upsert: Sequence[Indicator],
        remove: Sequence[str],
        versions: Sequence[IndicatorVersion],
    ) -> None:
        """In one transaction: create or update the ``Indicator`` nodes of ``upsert`` (their
        ``MEASURES`` links replaced by those of ``indicator.measures``), delete those whose
        codes are in ``remove`` with their links, and append ``versions``."""
        raise self._missing("_write_indicators")

    # -- definitions: built on the above -----------------------------------------------------
    def indicators(self, *, as_of: str | None = None) -> list[Indicator]:
        """The current definitions ordered by code, or those in force before the timestamp
        ``as_of`` (see :func:`indicators.model.stamp_cutoff`)."""
        latest: dict[str, IndicatorVersion] = {}
        for version in self.indicator_history():
            if as_of is not None and version.saved_at >= as_of:
                continue
            if version.code not in latest or version.version > latest[version.code].version:
                latest[version.code] = version
        return [v.indicator() for _, v in sorted(latest.items()) if not v.removed]

    def get_indicator(self, code: str, *, as_of: str | None = None) -> Indicator | None:
        """The definition with ``code`` (None when there is none)."""
        return next((i for i in self.indicators(as_of=as_of) if i.code == code), None)

    def save_indicators(
        self,
        indicators: Sequence[Indicator],
        *,
        author: str = "",
        message: str = "",
        now: str | None = None,
    ) -> IndicatorsSaved:
        """Make ``indicators`` the current set, all or nothing: new ones are added, changed
        ones get a new version, those not in the set are removed (their history and their
        measurements stay). Callers check the domain rules first (see
        :func:`indicators.catalog.save_definitions`)."""
        now = now or now_stamp()
        history = self.indicator_history()
        current: dict[str, IndicatorVersion] = {}
        for version in history:
            if version.code not in current or version.version > current[version.code].version:
                current[version.code] = version
        new = {i.code: i for i in indicators}
        if len(new) != len(indicators):
            raise IndicatorError("the indicator set has duplicate codes")
        versions, upsert, added, changed = [], [], [], []
        for code, ind in sorted(new.items()):
            spec = spec_json(ind)
            before = current.get(code)
            if before is not None and not before.removed and before.spec == spec:
                continue
            number = before.version + 1 if before else 1
            versions.append(IndicatorVersion(code, number, now, author, message, spec))
            upsert.append(ind)
            (changed if before is not None and not before.removed else added).append(code)
        removed = [c for c, v in sorted(current.items()) if not v.removed and c not in new]
        for code in removed:
            versions.append(
                IndicatorVersion(code, current[code].version + 1, now, author, message, "", True)
            )
        result = IndicatorsSaved(tuple(added), tuple(changed), tuple(removed), now)
        if result:
            self._write_indicators(upsert, removed, versions)
        return result

    # -- measurement revisions: engine part ----------------------------------------------------
    def revision_count(self) -> int:
        """How many revisions the log holds (it only grows: a concurrency token)."""
        raise self._missing("revision_count")

    def _append_revision_frame(self, frame: pd.DataFrame, expected_count: int | None) -> None:
        """Append the rows of ``frame`` (columns of :data:`indicators.records.COLUMNS`) in one
        transaction. When ``expected_count`` is given and the log does not hold exactly that
        many revisions inside the transaction, or when a ``uid`` already exists, raise
        :class:`RevisionConflict` and write nothing."""
        raise self._missing("_append_revision_frame")

    def revision_frame(
        self,
        *,
        indicator: str | None = None,
        period: str | None = None,
        status: str | None = None,
        before: str | None = None,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Revisions as a frame (all columns, or ``columns``), optionally only those of one
        indicator, one period, one status, and recorded before the timestamp ``before``;
        ordered by (indicator, period, revision), with the column types of the record form
        (text ``""`` for missing text, NaN for missing numbers)."""
        raise self._missing("revision_frame")

    # -- measurement revisions: built on the above ----------------------------------------------
    def append_revisions(
        self, revisions: Sequence[Revision] | pd.DataFrame, *, expected_count: int | None = None
    ) -> int:
        """Append revisions (objects or a record frame) all or nothing; returns how many.
        See :meth:`_append_revision_frame` for ``expected_count``."""
        import pandas as pd  # imported on use: commands that only read the plan skip it

        from indicators.records import revisions_to_frame

        frame = revisions if isinstance(revisions, pd.DataFrame) else revisions_to_frame(revisions)
        if frame.empty:
            return 0
        missing = [c for c in COLUMNS if c not in frame]
        if missing:
            raise IndicatorError(f"revision frame lacks column(s) {', '.join(missing)}")
        if frame["uid"].duplicated().any():
            dup = frame.loc[frame["uid"].duplicated(), "uid"].iloc[0]
            raise RevisionConflict(f"revision {dup} appears twice in one append")
        self._append_revision_frame(frame[list(COLUMNS)], expected_count)
        return len(frame)

    def measurement_revisions(
        self,
        indicator: str | None = None,
        period: str | None = None,
        *,
        before: str | None = None,
    ) -> list[Revision]:
        """Revisions as objects, ordered by (indicator, period, revision)."""
        frame = self.revision_frame(indicator=indicator, period=period, before=before)
        from indicators.records import frame_to_revisions

        return frame_to_revisions(frame)

    # -- what the roll-up reads --------------------------------------------------------------------
    def contribution_graph(self) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
        """The causal nodes (id -> kind: strategies, outputs, outcomes, objectives, strategic
        objectives) and the ``CONTRIBUTES_TO`` links as (source, target, weight; default 1).
        Built from the plan here; engines may answer faster."""
        kinds = {n.id: n.kind for kind in CAUSAL_KINDS for n in self.nodes(kind)}
        links = [
            (e.source, e.target, float(e.props.get("weight", 1.0)))
            for e in self.edges("CONTRIBUTES_TO")
        ]
        return kinds, links

    # -- the plan guard ---------------------------------------------------------------------------
    def _guard_plan_changes(self, changes: PlanChanges) -> None:
        """Refuse a plan change that removes or re-kinds a node an indicator measures."""
        touched = {n.id for n in changes.delete_nodes}
        if not touched or not self.holds_indicators:
            return
        measured: dict[str, list[str]] = {}
        for ind in self.indicators():
            for node_id in ind.measures:
                if node_id in touched:
                    measured.setdefault(node_id, []).append(ind.code)
        if measured:
            raise IndicatorsInUse(dict(sorted(measured.items())))


_ENGINE_METHODS = (
    "indicator_history",
    "_write_indicators",
    "revision_count",
    "_append_revision_frame",
    "revision_frame",
)


def revision_frame_columns(columns: Sequence[str] | None) -> list[str]:
    """The requested columns checked against the record form (all when None)."""
    if columns is None:
        return list(COLUMNS)
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise IndicatorError(f"unknown revision column(s): {', '.join(unknown)}")
    return list(columns)
