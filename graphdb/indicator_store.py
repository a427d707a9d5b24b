"""The indicator part of the storage seam: indicator definitions and the append-only log of
measurement revisions, in domain terms, for every engine.

:class:`IndicatorStore` is a mixin of :class:`graphdb.store.GraphStore`. An engine implements
the five engine methods; everything else here is built on them:

* ``indicator_history()`` and ``_write_indicators(...)``: definitions. Every saved change of
  a definition is kept as a numbered :class:`IndicatorVersion` (its full JSON), so the
  definitions as they were on a date can be read back; the current ones are also nodes
  ``Indicator`` linked ``MEASURES`` to the nodes they measure, for graph queries.
* ``revision_count()``, ``_append_revision_frame(...)`` and ``_revision_table(...)``: the
  measurement log, one row per revision in the record form of :mod:`indicators.records`.
  Appends are all-or-nothing; rows are never changed or deleted.

A plan change that would remove (or change the kind of) a node that indicators measure is
refused with :class:`IndicatorsInUse`, naming the indicators: ``GraphStore.save_plan`` checks
it before anything is written.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from indicators.errors import IndicatorError, IndicatorsInUse, RevisionConflict
from indicators.model import Indicator, Revision, now_stamp
from indicators.record_columns import COLUMNS
from indicators.store_protocol import IndicatorsSaved, IndicatorVersion, spec_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = [  # the values and errors are the indicator domain's, named here for the engines
    "IndicatorStore",
    "IndicatorVersion",
    "IndicatorsInUse",
    "IndicatorsSaved",
    "RevisionConflict",
    "spec_json",
]


class IndicatorStore(ABC):
    """Indicator definitions and measurement revisions held by a store (see the module doc).

    The five engine methods are abstract: every engine holds indicators, so no caller asks
    whether it does.
    """

    # -- definitions: engine part ------------------------------------------------------------
    @abstractmethod
    def indicator_history(self) -> list[IndicatorVersion]:
        """Every saved version of every definition, ordered by (saved_at, code, version)."""

    @abstractmethod
    def _write_indicators(
        self,
        upsert: Sequence[Indicator],
        remove: Sequence[str],
        versions: Sequence[IndicatorVersion],
    ) -> None:
        """In one transaction: create or update the ``Indicator`` nodes of ``upsert`` (their
        ``MEASURES`` links replaced by those of ``indicator.measures``), delete those whose
        codes are in ``remove`` with their links, and append ``versions``."""

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
        versions: list[IndicatorVersion] = []
        upsert: list[Indicator] = []
        added: list[str] = []
        changed: list[str] = []
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
    @abstractmethod
    def revision_count(self, status: str | None = None) -> int:
        """How many revisions the log holds (it only grows: a concurrency token); with
        ``status``, how many have that status (``approved``: what statuses are computed
        from, so this count grows exactly when they may change)."""

    @abstractmethod
    def _append_revision_frame(self, frame: pd.DataFrame, expected_count: int | None) -> None:
        """Append the rows of ``frame`` (columns of :data:`indicators.records.COLUMNS`) in one
        transaction. When ``expected_count`` is given and the log does not hold exactly that
        many revisions inside the transaction, or when a ``uid`` already exists, raise
        :class:`RevisionConflict` and write nothing."""

    @abstractmethod
    def _revision_table(
        self, cypher: str, params: Mapping[str, Any], columns: Sequence[str]
    ) -> pd.DataFrame:
        """The rows of ``cypher`` (which returns ``columns``, in that order) as a frame with
        those column names, in any order and with the engine's own value types:
        :meth:`revision_frame` orders and types it."""

    @abstractmethod
    def _revision_rows(self, cypher: str, params: Mapping[str, Any]) -> list[list[Any]]:
        """The rows of ``cypher``, each a list of the engine's values (None where missing),
        in any order: :meth:`measurement_revisions` orders them. Few rows are read this way
        without pandas (a submission reads one measurement's history: a frame cost 5 ms)."""

    def _absent_revision_columns(self) -> frozenset[str]:
        """The record columns the engine's log cannot return (an embedded store of an older
        version opened read-only: read as missing). Neo4j reads an absent property as null,
        so by default none."""
        return frozenset()

    def revision_frame(
        self,
        *,
        indicator: str | None = None,
        period: str | None = None,
        status: str | None = None,
        before: str | None = None,
        since: str | None = None,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Revisions as a frame (all columns, or ``columns``), optionally only those of one
        indicator, one period, one status, recorded before the timestamp ``before`` and
        recorded at or after ``since`` (what a cache of the log lacks: a few rows, not all);
        ordered by (indicator, period, revision), with the column types of the record form
        (text ``""`` for missing text, NaN for missing numbers)."""
        wanted = revision_frame_columns(columns)
        fetch = list(dict.fromkeys([*wanted, "indicator", "period", "revision"]))
        cypher, params = _revision_query(
            fetch, indicator, period, status, before, since, self._absent_revision_columns()
        )
        frame = self._revision_table(cypher, params, fetch)
        frame = frame.sort_values(["indicator", "period", "revision"], kind="stable")
        return typed_revision_frame(frame.reset_index(drop=True)[wanted])

    # -- measurement revisions: built on the above ----------------------------------------------
    def append_revisions(
        self, revisions: Sequence[Revision] | pd.DataFrame, *, expected_count: int | None = None
    ) -> int:
        """Append revisions (objects or a record frame) all or nothing; returns how many.
        See :meth:`_append_revision_frame` for ``expected_count``."""
        import pandas as pd  # imported on use: commands that only read the plan skip it

        if not isinstance(revisions, pd.DataFrame):
            from indicators.records import revision_columns

            if not revisions:
                return 0
            columns = revision_columns(revisions)
            _refuse_repeated(columns["uid"])
            self._append_revision_columns(columns, expected_count)
            return len(revisions)
        frame = revisions
        if frame.empty:
            return 0
        missing = [c for c in COLUMNS if c not in frame]
        if missing:
            raise IndicatorError(f"revision frame lacks column(s) {', '.join(missing)}")
        if frame["uid"].duplicated().any():
            _refuse_repeated(list(frame["uid"]))
        self._append_revision_frame(frame[list(COLUMNS)], expected_count)
        return len(frame)

    def _append_revision_columns(
        self, columns: dict[str, list[Any]], expected_count: int | None
    ) -> None:
        """Append revisions given as column lists (:func:`indicators.records.revision_columns`)
        as :meth:`_append_revision_frame` appends a frame. An engine may append them without
        building a frame (what a submission of one value does); by default, a frame."""
        from indicators.records import frame_of_columns

        self._append_revision_frame(frame_of_columns(columns), expected_count)

    def value_file_addresses(self) -> set[str]:
        """The file addresses indicator values name: every revision's, so a file stays while
        any revision in the history (an old one, a conflict copy) still shows it."""
        from indicators.records import files_from_json

        cells = self.revision_frame(columns=["files"])["files"]
        return {f.sha256 for cell in cells.unique() if cell for f in files_from_json(cell)}

    def measurement_revisions(
        self,
        indicator: str | None = None,
        period: str | None = None,
        *,
        before: str | None = None,
        since: str | None = None,
        excluding: Collection[str] = (),
    ) -> list[Revision]:
        """Revisions as objects, ordered by (indicator, period, revision); ``before`` and
        ``since`` as for :meth:`revision_frame`; none whose uid is in ``excluding`` (what a
        cache of the log already holds of the recent ones: converting rows is the cost)."""
        from indicators.records import row_to_revision

        fetch = list(COLUMNS)
        cypher, params = _revision_query(
            fetch, indicator, period, None, before, since, self._absent_revision_columns(),
            excluding,
        )  # fmt: skip
        rows = self._revision_rows(cypher, params)
        revisions = [row_to_revision(dict(zip(fetch, row, strict=True))) for row in rows]
        return sorted(revisions, key=lambda r: (r.indicator, r.period, r.revision))


def _refuse_repeated(uids: Sequence[str]) -> None:
    """Refuse an append that holds one revision twice."""
    seen: set[str] = set()
    for uid in uids:
        if uid in seen:
            raise RevisionConflict(f"revision {uid} appears twice in one append")
        seen.add(uid)


def _revision_query(
    fetch: Sequence[str],
    indicator: str | None,
    period: str | None,
    status: str | None,
    before: str | None,
    since: str | None,
    absent: frozenset[str] = frozenset(),
    excluding: Collection[str] = (),
) -> tuple[str, dict[str, Any]]:
    """The Cypher (and its parameters) that reads the ``fetch`` properties of the revisions
    matching the filters that are given, less those whose uid is in ``excluding``; ``absent``
    properties (the store's schema lacks them) are read as null."""
    where: list[str] = []
    params: dict[str, Any] = {}
    for name, value, op, param in (
        ("indicator", indicator, "=", "indicator"),
        ("period", period, "=", "period"),
        ("status", status, "=", "status"),
        ("recorded_at", before, "<", "before"),
        ("recorded_at", since, ">=", "since"),
    ):
        if value is not None:
            where.append(f"r.{name} {op} ${param}")
            params[param] = value
    if excluding:  # an empty list parameter has no type an engine can infer
        where.append("NOT r.uid IN $excluding")
        params["excluding"] = list(excluding)
    cypher = "MATCH (r:MeasurementRevision)"
    if where:
        cypher += " WHERE " + " AND ".join(where)
    cypher += " RETURN " + ", ".join(
        f"NULL AS {c}" if c in absent else f"r.{c} AS {c}" for c in fetch
    )
    return cypher, params


def typed_revision_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the column types of the record form, whatever types the engine gave:
    text ``""`` where missing, floats (NaN where missing), integers and booleans."""
    for column in frame.columns:
        kind = COLUMNS[column]
        values = frame[column]
        if kind == "str":
            missing = values.isna()
            if values.dtype != object or missing.any():
                frame[column] = values.astype(object).where(~missing, "")
        elif values.dtype != _DTYPES[kind]:  # converting a column of the right type copies it
            frame[column] = values.astype(_DTYPES[kind])
    return frame


#: The dtype of each non-text kind of column.
_DTYPES: dict[str, Any] = {"float": "float64", "int": "int64", "bool": "bool"}


def revision_frame_columns(columns: Sequence[str] | None) -> list[str]:
    """The requested columns checked against the record form (all when None)."""
    if columns is None:
        return list(COLUMNS)
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise IndicatorError(f"unknown revision column(s): {', '.join(unknown)}")
    return list(columns)
