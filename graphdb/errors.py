"""Named errors of the storage layer, importable by every store module without cycles."""

from __future__ import annotations

__all__ = [
    "QueryMemoryExceeded",
    "QueryTimeout",
    "QueryTooLarge",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
]


class StoreError(Exception):
    """A store cannot do what was asked; the message says why and where."""


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
