"""Neo4j clusters and Aura: the routing URL forms, and reads sent with READ access so that a
cluster can route them to its followers and read replicas.

The harness server is a single Neo4j, which answers the routing protocol too: the test opens
it with ``neo4j://`` (routing) as well as ``bolt://`` (direct) and writes and reads through
it. The TLS forms (``neo4j+s://``, ``neo4j+ssc://``) need a server with certificates, which
the harness has not; their parsing and the way they reach the driver are tested without one.
"""

from __future__ import annotations

import socket

import neo4j
import pytest

from graphdb import StoreUnavailable, open_store
from graphdb.neo4j_store import Neo4jStore, parse_url
from tests.conftest import small_plan

ROUTING_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc")


@pytest.mark.parametrize("scheme", [*ROUTING_SCHEMES, "bolt", "bolt+s", "bolt+ssc"])
def test_every_url_form_keeps_its_scheme_credentials_and_database(scheme):
    url = f"{scheme}://ann:s%40cret@abc123.databases.neo4j.io:7687?database=plans"
    target = parse_url(url, environ={})
    assert target.address == f"{scheme}://abc123.databases.neo4j.io:7687"
    assert target.auth == ("ann", "s@cret")
    assert target.database == "plans"
    assert "s@cret" not in target.location and target.location.startswith(f"{scheme}://")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("scheme", ROUTING_SCHEMES)
def test_a_routing_url_without_a_server_is_a_clear_store_error(scheme):
    """The TLS forms reach the driver as they are (it does the TLS), and a server that does
    not answer is one line naming the URL."""
    url = f"{scheme}://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreUnavailable, match=r"^" + scheme.replace("+", r"\+") + "://"):
        open_store(url)


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_routing_scheme_on_the_harness_server_writes_and_reads(
    fresh_neo4j_store, neo4j_server, monkeypatch
):
    fresh_neo4j_store().close()  # an empty database
    address = neo4j_server.uri.split("://", 1)[1]
    modes: list[str] = []
    for name, mode in (("execute_read", "read"), ("execute_write", "write")):
        original = getattr(neo4j.Session, name)

        def spy(self, work, *args, _original=original, _mode=mode, **kwargs):
            modes.append(_mode)
            return _original(self, work, *args, **kwargs)

        monkeypatch.setattr(neo4j.Session, name, spy)
    auth = f"{neo4j_server.user}:{neo4j_server.password}@" if neo4j_server.password else ""
    store = open_store(f"neo4j://{auth}{address}")
    try:
        assert isinstance(store, Neo4jStore) and store.location.startswith("neo4j://")
        modes.clear()
        store.save_plan(small_plan(), author="test", message="over a routing URL")
        assert "write" in modes
        modes.clear()
        # reads: READ access, which a cluster routes to followers and read replicas
        assert store.load_plan() == small_plan()
        assert store.data_version().plan == 1
        assert store.indicators() == [] and store.learning_log() == []
        assert store.query("MATCH (n:Strategy) RETURN count(n) AS n").rows == [(2,)]
        assert modes and set(modes) == {"read"}, modes
    finally:
        store.close()
