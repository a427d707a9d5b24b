"""Named errors of the storage layer, importable by every store module without cycles."""

from __future__ import annotations

__all__ = ["QueryTimeout", "StoreError", "StoreLocked", "StoreUnavailable"]


class StoreError(Exception):
    """A store cannot do what was asked; the message says why and where."""


class StoreLocked(StoreError):
    """Another process holds the embedded store for writing."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened (server down, bad credentials, bad path)."""


class QueryTimeout(StoreError):
    """A read query ran longer than its timeout and was stopped; nothing was returned."""
