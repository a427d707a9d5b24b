"""Shared fixtures: small plans built in code, the VVSG plan file, and fresh stores."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore
from toc.model import Edge, Node, Plan, Text

REPO = Path(__file__).resolve().parents[1]
VVSG_PLAN = REPO / "examples" / "vvsg-2027-2036.yaml"

# CI explores the same examples on every run (a landing must not depend on luck); local runs
# keep exploring new ones, and every failure found is turned into an explicit test. Neither
# has a per-example deadline: on a busy machine a 200 ms deadline fails examples that are
# merely slow there (speed is the benchmarks' business, bench/).
settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")


def small_plan() -> Plan:
    """A tiny but complete plan: 2 strategies, 2 objectives, 1 strategic objective, 2 SDGs."""
    nodes = [
        Node("Plan", "p", Text("Plan", "Plan"), props={
            "organisation": "Org", "start_year": 2027, "end_year": 2036, "currency": "EUR"}),
        Node("StrategicObjective", "so1", Text("Doel 1", "Goal 1"), props={"number": 1}),
        Node("Objective", "so1.o1", Text("Doel 1.1", "Objective 1.1"),
             props={"number": 1, "start_year": 2027, "end_year": 2031}),
        Node("Objective", "so1.o2", Text("Doel 1.2", "Objective 1.2"), props={"number": 2}),
        Node("Strategy", "s1", Text("Strategie 1", "Strategy 1")),
        Node("Strategy", "s2", Text("Strategie 2", "Strategy 2")),
        Node("SDG", "sdg16", Text("Vrede", "Peace"), props={"number": 16}),
        Node("SDG", "sdg11", Text("Steden", "Cities"), props={"number": 11}),
        Node("Role", "r1", Text("Netwerker", "Networker")),
        Node("Country", "be", Text("België", "Belgium"), props={"iso2": "BE"}),
        Node("Partner", "enabel", Text("Enabel", "Enabel"),
             props={"partner_type": "synergy_partner"}),
        Node("Assumption", "a1", Text("Gemeenten blijven geïnteresseerd", "Interest lasts")),
    ]  # fmt: skip
    edges = [
        Edge("CONTRIBUTES_TO", "s1", "so1.o1", {"rationale": Text("omdat", "because"),
                                                "assumptions": ("a1",)}),
        Edge("CONTRIBUTES_TO", "s2", "so1.o2"),
        Edge("CONTRIBUTES_TO", "so1.o1", "so1"),
        Edge("CONTRIBUTES_TO", "so1.o2", "so1"),
        Edge("ALIGNS_WITH", "so1", "sdg16", {"priority": "primary"}),
        Edge("ALIGNS_WITH", "p", "sdg11", {"priority": "secondary"}),
        Edge("PERFORMED_THROUGH", "s1", "r1"),
        Edge("WORKS_IN", "s2", "be"),
        Edge("PARTNERS_IN", "enabel", "s1"),
    ]  # fmt: skip
    return Plan.of(nodes, edges)


@pytest.fixture
def plan() -> Plan:
    return small_plan()


@pytest.fixture(autouse=True)
def _private_credentials(tmp_path_factory, monkeypatch):
    """Credential files of Neo4j stores opened without an explicit one go to a fresh folder
    per test, never to the user's own (``~/.local/share/pathways``, ``TOC_CREDENTIALS``); so
    do their evidence files (``TOC_FILES``, see :mod:`graphdb.attachment_files`)."""
    monkeypatch.delenv("TOC_CREDENTIALS", raising=False)
    monkeypatch.delenv("TOC_FILES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


# Every store test runs once per engine. Neo4j tests are also "slow": `make test-fast` skips them.
BACKENDS = ["ladybug", pytest.param("neo4j", marks=[pytest.mark.neo4j, pytest.mark.slow])]


def new_store(request: pytest.FixtureRequest, backend: str, folder: Path) -> GraphStore:
    """A fresh, empty store of ``backend``: a file in ``folder``, or the test Neo4j wiped."""
    if backend == "neo4j":
        return request.getfixturevalue("fresh_neo4j_store")()
    return LadybugStore(folder / "store.lbug")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store of each engine (the embedded one in a temporary directory)."""
    s = new_store(request, request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def neo4j_server():
    """One Neo4j for the whole session: ``NEO4J_URI`` (with ``NEO4J_USER``,
    ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) when set, else the harness server started here.

    Tests skip, with the reason, only when no JDK or Maven is installed; any other failure to
    start Neo4j fails them. Careful: the tests delete everything in that database.
    """
    from graphdb.neo4j_testserver import (
        Neo4jTestServerUnavailable,
        neo4j_connection_settings,
        start_test_server,
    )

    settings = neo4j_connection_settings()
    if settings is not None:
        yield settings
        return
    try:
        server = start_test_server()
    except Neo4jTestServerUnavailable as e:
        if shutil.which("java") and shutil.which("mvn"):
            raise
        pytest.skip(
            f"Neo4j tests need a JDK and Maven (scripts/ensure-system-packages.sh jdk): {e}"
        )
    with server:
        yield server.settings


@pytest.fixture(scope="session")
def fresh_neo4j_store(neo4j_server) -> Iterator[Callable[[], GraphStore]]:
    """A function that empties the test database and opens a store on it (the caller closes
    it), with a new, empty credential file. The schema (constraints, StoreMeta) stays, as in
    any store after its first open."""
    import neo4j

    from graphdb.credentials import credentials_path
    from graphdb.neo4j_store import Neo4jStore

    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.user else None
    database = os.environ.get("NEO4J_DATABASE") or None
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth) as driver:

        def fresh() -> GraphStore:
            # In batches: a test may leave more nodes than one bounded transaction can delete.
            with driver.session(database=database) as session:
                session.run(
                    "MATCH (n) WHERE NOT n:StoreMeta "
                    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()
            driver.execute_query(  # what staging appends note (graphdb.neo4j_indicators)
                "MATCH (m:StoreMeta) WHERE m.key STARTS WITH 'staging:' DELETE m",
                database_=database,
            )
            # The default credential file (in this test's own XDG_DATA_HOME, see
            # _private_credentials), so that an app or command opening the same URL finds it.
            location = neo4j_server.uri + (f"?database={database}" if database else "")
            credentials = credentials_path(location, neo4j=True)
            for leftover in credentials.parent.glob(credentials.name + "*"):
                leftover.unlink()
            return Neo4jStore(neo4j_server.uri, auth=auth, database=database)

        yield fresh
