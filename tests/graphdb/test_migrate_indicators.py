"""``toc migrate`` with indicators and measurements: the embedded store to Neo4j and back
(:mod:`tests.graphdb.test_migrate` has the plan and accounts). Every definition version and
every measurement revision arrives unchanged, column types included, and the pathway
statuses computed from each copy are the same. Neo4j takes the log in several batches of one
transaction (smaller batches than in production, to keep the test quick).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from graphdb import StoreError, neo4j_indicators
from graphdb.ladybug_store import LadybugStore
from graphdb.migrate import migrate, verify
from indicators.model import MeasurementValue, Part, Revision
from indicators.pathway_status import plan_status
from indicators.records import COLUMNS
from tests.graphdb.test_migrate import fill
from tests.indicators.conftest import T0, small_indicators
from toc.model import Text

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

T1 = "2027-06-01T00:00:00.000000Z"
BULK = 3_500
BATCH = 1_000
CODES = np.array(["ind.count", "ind.pct", "ind.level", "ind.story"], dtype=object)


def rich_revisions() -> list[Revision]:
    """A few revisions using every column: parts, evidence, flags, notes, odd text."""
    parts = (Part((("sex", "female"),), 5.0), Part((("country", "be"), ("sex", "male")), 7.5))
    return [
        Revision("ind.count", "2027", 1, "approved",
                 MeasurementValue(value=12.0, parts=parts, comment='"quoted" \\ ünïcødé 🙂',
                                  evidence=("https://x.org/a", "file.pdf")),
                 author="ann", recorded_at=T0, role="contributor", illustrative=True,
                 flags=("parts_do_not_add_up",)),
        Revision("ind.pct", "2027", 1, "returned",
                 MeasurementValue(numerator=3.0, denominator=None, comment="a\nb"),
                 author="bo", recorded_at=T1, role="me_officer", reason="check",
                 review_note="denominator?", base_revision=0),
        Revision("ind.level", "2027", 1, "approved", MeasurementValue(level="mid"),
                 author="", recorded_at=T1),
        Revision("ind.story", "2027", 1, "draft", MeasurementValue(narrative="中文 \x00 end"),
                 author="cy", recorded_at=T1),
    ]  # fmt: skip


def bulk_frame(count: int) -> pd.DataFrame:
    """``count`` revisions in record form, built column by column (revision numbers from 2,
    after those of :func:`rich_revisions`); every third value missing."""
    i = np.arange(count)
    codes = CODES[i % 4]
    periods = (2027 + (i // 4) % 10).astype(str).astype(object)
    numbers = (i // 40 + 2).astype("int64")
    frame = pd.DataFrame(
        {
            "uid": [f"{c}|{p}|{n}" for c, p, n in zip(codes, periods, numbers, strict=True)],
            "indicator": codes,
            "period": periods,
            "revision": numbers,
            "status": np.array(["approved", "submitted", "draft"], dtype=object)[i % 3],
            "value": np.where(i % 3 == 0, np.nan, i * 0.25),
            "numerator": np.where(codes == "ind.pct", (i % 50).astype(float), np.nan),
            "denominator": np.where(codes == "ind.pct", 50.0, np.nan),
            "level": np.where(codes == "ind.level", "high", "").astype(object),
            "recorded_at": [f"2028-01-01T00:00:{i % 60:02d}.{i:06d}Z" for i in range(count)],
            "base_revision": numbers - 1,
            "illustrative": i % 7 == 0,
        }
    )
    for column, kind in COLUMNS.items():
        if column not in frame:
            frame[column] = pd.Series([""] * count, dtype=object) if kind == "str" else 0
    return frame[list(COLUMNS)]


@pytest.fixture
def source(tmp_path):
    """An embedded store with two plan versions, an account, two saves of the indicators (one
    renames, one removes) and 3,504 measurement revisions."""
    store = LadybugStore(tmp_path / "source.lbug")
    fill(store)
    first = small_indicators()
    store.save_indicators(first, author="ann", message="first", now=T0)
    renamed = [replace(first[0], title=Text(en="Count, renamed")), *first[1:3]]
    store.save_indicators(renamed, author="bo", message="second", now=T1)
    store.append_revisions(rich_revisions(), expected_count=0)
    store.append_revisions(bulk_frame(BULK), expected_count=4)
    yield store
    store.close()


def test_indicators_and_measurements_to_neo4j_and_back(
    source, fresh_neo4j_store, tmp_path, monkeypatch
):
    monkeypatch.setattr(neo4j_indicators, "_BATCH", BATCH)
    expected = source.revision_frame()
    assert len(expected) == BULK + 4
    rich = sorted(rich_revisions(), key=lambda r: r.indicator)
    with fresh_neo4j_store() as server:
        there = migrate(source, server)
        assert there.ok, there.differences
        assert there.copied["indicator versions"] == 6
        assert there.copied["measurement revisions"] == BULK + 4
        pd.testing.assert_frame_equal(server.revision_frame(), expected)
        assert server.indicator_history() == source.indicator_history()
        assert server.indicators() == source.indicators()
        assert [r for r in server.measurement_revisions(period="2027") if r.revision == 1] == rich
        assert plan_status(server) == plan_status(source)
        assert plan_status(server, as_of="2027-03-01") == plan_status(source, as_of="2027-03-01")
        links = "MATCH (i:Indicator)-[:MEASURES]->(n) RETURN i.code AS c, n.id AS n ORDER BY c"
        assert server.query(links) == source.query(links)

        with pytest.raises(StoreError, match="not empty"):
            migrate(source, server)
        assert server.revision_count() == BULK + 4

        with LadybugStore(tmp_path / "back.lbug") as back:
            again = migrate(server, back)
            assert again.ok, again.differences
            assert verify(source, back) == []
            pd.testing.assert_frame_equal(back.revision_frame(), expected)
            assert back.indicator_history() == source.indicator_history()
            assert back.measurement_revisions() == source.measurement_revisions()
            assert plan_status(back) == plan_status(source)
