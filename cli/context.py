"""What every `toc` command shares: the store location, opened on first use and closed at exit.

Commands receive it with :data:`pass_ctx` (one context style for every command), so none of
them opens a store of its own or needs to know whether it is the embedded file or Neo4j.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from graphdb.store import GraphStore

__all__ = ["Context", "pass_ctx"]


class Context:
    """The store of one `toc` invocation: where it is, opened on first use."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._store: GraphStore | None = None

    def store(self, read_only: bool = False) -> GraphStore:
        """The store, opened (read-only when asked) the first time a command needs it."""
        if self._store is None:
            from graphdb import open_store

            self._store = open_store(self.location, read_only=read_only)
        return self._store

    def close(self) -> None:
        """Close the store if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None


#: Passes the invocation's :class:`Context` as a command's first argument.
pass_ctx = click.make_pass_decorator(Context)
