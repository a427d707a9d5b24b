"""What the indicator services need of a store, stated in the indicator domain.

The services of this package (loading definitions, importing values, the review workflow,
the IATI import, the statuses) work on any store that has these methods; ``graphdb``'s
stores do (both engines), and a test may pass a fake. The package thus never imports
``graphdb``: the store depends on the indicator model, not the other way round.

The values a store hands back, :class:`IndicatorVersion` and :class:`IndicatorsSaved`, are
defined here too; the store's errors are in :mod:`indicators.errors` (:class:`StoreError`,
:class:`RevisionConflict`, :class:`IndicatorsInUse`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from indicators.definitions import encode_indicator, indicator_from_stored
from indicators.model import Indicator, Revision

if TYPE_CHECKING:
    import pandas as pd

    from toc.model import Plan

__all__ = ["IndicatorStorage", "IndicatorVersion", "IndicatorsSaved", "spec_json"]


@lru_cache(maxsize=65_536)
def _decode_spec(spec: str) -> Indicator:
    """A stored definition (decoded once per process: definitions are immutable values)."""
    return indicator_from_stored(json.loads(spec))


def spec_json(indicator: Indicator) -> str:
    """The canonical JSON of a definition (what versions store and compare)."""
    return json.dumps(encode_indicator(indicator), ensure_ascii=False)


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
        """The definition this version saved."""
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


class IndicatorStorage(Protocol):
    """A store holding a plan, indicator definitions and the measurement log.

    Writes are all or nothing. ``expected_count`` of :meth:`append_revisions` is a
    compare-and-set on the log's length: when the log has grown since it was read, the
    store raises :class:`indicators.errors.RevisionConflict` and writes nothing.
    """

    def load_plan(self) -> Plan:
        """The stored plan (empty when none was loaded)."""
        ...

    def unit_of_work(self) -> AbstractContextManager[None]:
        """A context in which every write goes into one transaction: all or nothing."""
        ...

    def save_plan(self, plan: Plan, author: str = "", message: str = "") -> object:
        """Make ``plan`` the stored plan (a new plan version; nothing when unchanged)."""
        ...

    def indicator_history(self) -> list[IndicatorVersion]:
        """Every saved version of every definition."""
        ...

    def indicators(self, *, as_of: str | None = None) -> list[Indicator]:
        """The current definitions, or those in force before the timestamp ``as_of``."""
        ...

    def get_indicator(self, code: str, *, as_of: str | None = None) -> Indicator | None:
        """The definition with ``code`` (None when there is none)."""
        ...

    def save_indicators(
        self,
        indicators: Sequence[Indicator],
        *,
        author: str = "",
        message: str = "",
        now: str | None = None,
    ) -> IndicatorsSaved:
        """Make ``indicators`` the current set, all or nothing."""
        ...

    def revision_count(self) -> int:
        """How many revisions the log holds (it only grows)."""
        ...

    def append_revisions(
        self, revisions: Sequence[Revision] | pd.DataFrame, *, expected_count: int | None = None
    ) -> int:
        """Append revisions all or nothing; returns how many."""
        ...

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
        """Revisions in the record form, filtered, ordered by (indicator, period, revision)."""
        ...

    def measurement_revisions(
        self,
        indicator: str | None = None,
        period: str | None = None,
        *,
        before: str | None = None,
        since: str | None = None,
        excluding: Collection[str] = (),
    ) -> list[Revision]:
        """Revisions as objects, ordered by (indicator, period, revision); none whose uid is
        in ``excluding``."""
        ...

    def contribution_graph(self) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
        """The causal nodes (id -> kind) and the ``CONTRIBUTES_TO`` links (source, target,
        weight)."""
        ...
