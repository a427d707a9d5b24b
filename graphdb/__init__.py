"""Storage of plan graphs behind one interface: the embedded LadybugDB default and Neo4j.

Open a store by location: a file path for the embedded store, a ``neo4j://`` or ``bolt://``
URL for Neo4j.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphdb.store import GraphStore, QueryResult, StoreError, StoreLocked, StoreUnavailable

#: Names this package hands out from :mod:`graphdb.store`, imported on first use: the store
#: module brings the engines' shared code, the indicator domain and networkx (about 0.5 s),
#: which ``toc --help`` and the commands that only name a location do not need.
_FROM_STORE = frozenset(
    {"GraphStore", "QueryResult", "StoreError", "StoreLocked", "StoreUnavailable"}
)

__all__ = [
    "DEFAULT_STORE",
    "GraphStore",
    "QueryResult",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "default_location",
    "is_neo4j_location",
    "open_store",
]

DEFAULT_STORE = "data/pathways.lbug"
_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        from graphdb import store

        return getattr(store, name)
    raise AttributeError(f"module 'graphdb' has no attribute {name!r}")


def is_neo4j_location(location: str | Path) -> bool:
    """Whether ``location`` names a Neo4j server (a Bolt or routing URL), not a store file.

    >>> is_neo4j_location("neo4j+s://team.databases.neo4j.io"), is_neo4j_location("data/a.lbug")
    (True, False)
    """
    return str(location).startswith(_NEO4J_SCHEMES)


def default_location() -> str:
    """The store location from ``TOC_STORE``, else the configuration file's
    ``[store] location`` (:mod:`graphdb.config`), else ``data/pathways.lbug``."""
    if os.environ.get("TOC_STORE"):
        return os.environ["TOC_STORE"]
    from graphdb.config import load_settings

    return load_settings().store_location or DEFAULT_STORE


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store at ``location`` (a path or a Neo4j URL); the caller closes it."""
    from graphdb.store import StoreUnavailable

    location = str(location or default_location())
    if is_neo4j_location(location):
        try:
            from graphdb.neo4j_store import Neo4jStore
        except ImportError as e:  # pragma: no cover - until the Neo4j backend lands
            raise StoreUnavailable(f"{location}: the Neo4j backend is not available: {e}") from None
        return Neo4jStore.from_url(location)
    from graphdb.ladybug_store import LadybugStore

    return LadybugStore(location, read_only=read_only)
