"""The measurements part of the differential test (:mod:`tests.graphdb.test_differential`):
random indicator saves and measurement appends, written to the embedded store and to Neo4j,
give identical revision frames (values and column types), identical definitions, identical
refusals, identical answers to the same Cypher, and identical pathway statuses
(:func:`indicators.pathway_status.plan_status`).

The log grows from one example to the next in both stores, so reads are checked on logs of
every size; revision numbers continue each measurement's own sequence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphdb.indicator_store import RevisionConflict
from graphdb.ladybug_store import LadybugStore
from graphdb.store import GraphStore
from indicators.definitions import indicator_periods
from indicators.model import MeasurementValue, Part, Revision, now_stamp, stamp_cutoff
from indicators.pathway_status import plan_status
from indicators.status import STATUS_COLUMNS
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from tests.strategies import nasty_text

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

INDICATORS = {i.code: i for i in small_indicators()}
PERIODS = {code: [p.id for p in indicator_periods(i)] for code, i in INDICATORS.items()}
STATUSES = ["draft", "submitted", "approved", "returned"]

numbers = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False))
moments = st.datetimes(
    dt.datetime(2027, 1, 1), dt.datetime(2037, 12, 31), timezones=st.just(dt.UTC)
)
stamps = moments.map(now_stamp)
labels = st.text(min_size=1, max_size=6)


@st.composite
def values(draw, code: str) -> MeasurementValue:
    """A value of the indicator's type, sometimes missing, with parts by its dimensions."""
    kind = INDICATORS[code].type.value
    common = {
        "comment": draw(nasty_text),
        "evidence": tuple(draw(st.lists(labels, max_size=2))),
    }
    if kind == "number":
        sexes = draw(st.lists(st.sampled_from(["female", "male"]), unique=True))
        parts = tuple(Part((("sex", s),), draw(numbers)) for s in sexes)
        return MeasurementValue(value=draw(numbers), parts=parts, **common)
    if kind == "percentage":
        numerator = draw(st.one_of(st.none(), st.floats(0, 1000)))
        denominator = draw(st.one_of(st.none(), st.floats(1, 1000)))
        return MeasurementValue(numerator=numerator, denominator=denominator, **common)
    if kind == "ordinal":
        return MeasurementValue(level=draw(st.sampled_from([None, "low", "mid", "high"])), **common)
    return MeasurementValue(narrative=draw(st.one_of(st.none(), nasty_text)), **common)


@st.composite
def measurements(draw) -> Revision:
    """A revision without its number yet (0): that comes from the store's log."""
    code = draw(st.sampled_from(sorted(INDICATORS)))
    return Revision(
        code,
        draw(st.sampled_from(PERIODS[code])),
        0,
        draw(st.sampled_from(STATUSES)),
        draw(values(code)),
        author=draw(nasty_text),
        recorded_at=draw(stamps),
        role=draw(st.sampled_from(["", "contributor", "me_officer"])),
        reason=draw(nasty_text),
        review_note=draw(nasty_text),
        illustrative=draw(st.booleans()),
        flags=tuple(draw(st.lists(labels, max_size=2))),
    )


@dataclass(frozen=True)
class Example:
    """One round: maybe a new set of definitions (codes kept, saved at a time), then an
    append of measurements, and the moment the "as of" reads look at."""

    keep: frozenset[str] | None
    saved_at: str
    revisions: list[Revision]
    as_of: dt.date


@st.composite
def examples(draw) -> Example:
    keep = draw(st.one_of(st.none(), st.frozensets(st.sampled_from(sorted(INDICATORS)))))
    return Example(
        keep,
        draw(stamps),
        draw(st.lists(measurements(), max_size=12)),
        draw(moments).date(),
    )


def numbered(store: GraphStore, drafts: list[Revision]) -> list[Revision]:
    """The drafts numbered after the last revision of their measurement in ``store``."""
    frame = store.revision_frame(columns=["indicator", "period", "revision"])
    last = frame.groupby(["indicator", "period"])["revision"].max().to_dict() if len(frame) else {}
    out = []
    for draft in drafts:
        key = (draft.indicator, draft.period)
        last[key] = last.get(key, 0) + 1
        out.append(replace(draft, revision=last[key], base_revision=last[key] - 1))
    return out


def write(store: GraphStore, example: Example, revisions: list[Revision], count: int) -> None:
    if example.keep is not None:
        chosen = [INDICATORS[c] for c in sorted(example.keep)]
        store.save_indicators(chosen, author="me", message="round", now=example.saved_at)
    assert store.append_revisions(revisions, expected_count=count) == len(revisions)


def refusals(store: GraphStore, revisions: list[Revision], count: int) -> list[str]:
    """What a stale append and a repeated revision are told; the log must not change."""
    if not revisions:
        return []
    out = []
    again = replace(revisions[0], revision=revisions[0].revision + 1000)
    for attempt, expected in (([again], count), ([again, revisions[-1]], None)):
        with pytest.raises(RevisionConflict) as caught:
            store.append_revisions(attempt, expected_count=expected)
        out.append(str(caught.value))
    assert store.revision_count() == count + len(revisions)
    return out


def _frame(**kw: Any) -> Callable[[GraphStore], pd.DataFrame]:
    return lambda s: s.revision_frame(**kw)


def _graph(store: GraphStore) -> tuple[dict[str, str], list]:
    kinds, links = store.contribution_graph()
    return kinds, sorted(links)


# Frames are compared with pandas' strict check (values, dtypes, index); the rest with ==.
FRAMES: dict[str, Callable[[GraphStore], pd.DataFrame]] = {
    "all": _frame(),
    "one indicator": _frame(indicator="ind.count"),
    "one period": _frame(period="2028"),
    "approved": _frame(status="approved"),
    "before": _frame(before="2030-01-01T00:00:00.000000Z"),
    "status columns": _frame(status="approved", columns=STATUS_COLUMNS),
    "two columns": _frame(columns=["value", "uid"]),
    "nothing": _frame(indicator="absent"),
}

READS: dict[str, Callable[[GraphStore, Example], Any]] = {
    "revision_count": lambda s, e: s.revision_count(),
    "measurement_revisions": lambda s, e: s.measurement_revisions(),
    "one measurement": lambda s, e: s.measurement_revisions("ind.pct", "2027"),
    "measurements as of": lambda s, e: s.measurement_revisions(before=stamp_cutoff(e.as_of)),
    "indicator_history": lambda s, e: s.indicator_history(),
    "indicators": lambda s, e: s.indicators(),
    "indicators as of": lambda s, e: s.indicators(as_of=stamp_cutoff(e.as_of)),
    "contribution_graph": lambda s, e: _graph(s),
    "plan_status": lambda s, e: plan_status(s),
    "plan_status as of": lambda s, e: plan_status(s, as_of=e.as_of),
    "plan_status weighted": lambda s, e: plan_status(s, rule="weighted_mean"),
}

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("MATCH (i:Indicator) RETURN i ORDER BY i.code", {}),
    ("MATCH (v:IndicatorVersion) RETURN v ORDER BY v.uid", {}),
    ("MATCH (r:MeasurementRevision) RETURN r ORDER BY r.uid", {}),
    (
        "MATCH (r:MeasurementRevision) RETURN r.indicator AS ind, r.status AS st, count(*) AS c "
        "ORDER BY ind, st",
        {},
    ),
    ("MATCH (r:MeasurementRevision) WHERE r.value IS NULL RETURN count(*) AS c", {}),
    ("MATCH (r:MeasurementRevision) WHERE r.level = '' RETURN count(*) AS c", {}),
    (
        "MATCH (r:MeasurementRevision) RETURN r.uid AS uid, r.revision AS rev, r.value AS v, "
        "r.numerator AS num, r.level AS lvl, r.parts AS parts, r.illustrative AS ill, "
        "r.base_revision AS base, r.flags AS flags ORDER BY uid",
        {},
    ),
    (
        "MATCH (r:MeasurementRevision {status: $s}) "
        "RETURN r.indicator AS ind, max(r.revision) AS latest, min(r.value) AS lo ORDER BY ind",
        {"s": "approved"},
    ),
    (
        "MATCH (r:MeasurementRevision) WHERE r.recorded_at < $t RETURN count(*) AS c",
        {"t": "2030-06-01T00:00:00.000000Z"},
    ),
    (
        "MATCH (i:Indicator)-[:MEASURES]->(n) RETURN i.code AS code, n.id AS node, "
        "i.type AS type, i.unit AS unit, i.cumulative AS cum ORDER BY code, node",
        {},
    ),
    (
        "MATCH (i:Indicator)-[:MEASURES]->(n)<-[:CONTRIBUTES_TO*1..2]-(s:Strategy) "
        "RETURN i.code AS code, s.id AS strategy, count(*) AS paths ORDER BY code, strategy",
        {},
    ),
    (
        "MATCH (v:IndicatorVersion) RETURN v.code AS code, v.version AS version, "
        "v.removed AS removed, v.saved_at AS saved ORDER BY code, version",
        {},
    ),
    (
        "MATCH (i:Indicator) OPTIONAL MATCH (r:MeasurementRevision {indicator: i.code}) "
        "RETURN i.code AS code, count(r) AS revisions ORDER BY code",
        {},
    ),
]


@pytest.fixture(scope="module")
def stores(request, tmp_path_factory):
    embedded = LadybugStore(tmp_path_factory.mktemp("differential") / "m.lbug")
    server = request.getfixturevalue("fresh_neo4j_store")()
    for store in (embedded, server):
        store.save_plan(small_plan(), author="test")
        store.save_indicators(small_indicators(), author="test", now=T0)
    yield embedded, server
    embedded.close()
    server.close()


@SETTINGS
@given(examples())
def test_measurements_answer_alike(stores, example):
    embedded, server = stores
    count = embedded.revision_count()
    assert server.revision_count() == count
    revisions = numbered(embedded, example.revisions)
    for store in stores:
        write(store, example, revisions, count)
    assert refusals(server, revisions, count) == refusals(embedded, revisions, count)
    for name, frame in FRAMES.items():
        pd.testing.assert_frame_equal(frame(server), frame(embedded), obj=name)
    for name, read in READS.items():
        assert read(server, example) == read(embedded, example), name
    for cypher, params in QUERIES:
        assert server.query(cypher, params) == embedded.query(cypher, params), cypher
