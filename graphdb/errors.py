"""Named errors of the storage layer, importable by every store module without cycles.

Their root, :class:`StoreError`, is the indicator domain's (:mod:`indicators.errors`), so
the layers below the stores can catch store errors without importing them.
"""

from __future__ import annotations

from indicators.errors import StoreError
from toc.errors import PlanConflict

__all__ = [
    "PlanSavedMeanwhile",
    "QueryMemoryExceeded",
    "QueryTimeout",
    "QueryTooLarge",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
]


class PlanSavedMeanwhile(StoreError, PlanConflict):
    """A save of the plan found the stored plan at another version than the one it was
    based on; nothing was written. Both a store error and a plan conflict, so the callers of
    either kind handle it."""

    def __init__(self, message: str, *, stored: int) -> None:
        PlanConflict.__init__(self, message)
        self.stored = stored


class StoreLocked(StoreError):
    """Another process holds the embedded store for writing."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened (server down, bad credentials, bad path)."""


class QueryTimeout(StoreError):
    """A read query ran longer than its timeout and was stopped; nothing was returned."""


class QueryMemoryExceeded(StoreError):
    """A read query needed more memory than one query may use and was stopped; ``limit_mb``
    is that limit (None when the engine did not say)."""

    def __init__(self, message: str, limit_mb: int | None = None) -> None:
        super().__init__(message)
        self.limit_mb = limit_mb


class QueryTooLarge(StoreError):
    """A read query's answer is larger than ``limit_mb`` MB; nothing was returned."""

    def __init__(self, message: str, limit_mb: int) -> None:
        super().__init__(message)
        self.limit_mb = limit_mb
