"""The indicator part of the storage interface, against every engine that implements it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphdb.indicator_store import IndicatorsInUse, RevisionConflict
from indicators.model import MeasurementValue, Part, Revision, Text
from indicators.records import revisions_to_frame
from tests.conftest import small_plan
from tests.indicators.conftest import T0, small_indicators
from toc.model import Edge, Plan


def rev(indicator="ind.count", period="2027", number=1, status="submitted", value=12.0, **kw):
    return Revision(
        indicator,
        period,
        number,
        status,
        MeasurementValue(value=value, **kw),
        author="ann",
        recorded_at=kw.pop("at", T0),
    )


def test_definitions_are_stored_with_their_links(istore):
    assert istore.indicators() == sorted(small_indicators(), key=lambda i: i.code)
    assert istore.get_indicator("ind.pct").type.value == "percentage"
    assert istore.get_indicator("absent") is None
    links = istore.query(
        "MATCH (i:Indicator)-[:MEASURES]->(n) RETURN i.code AS code, n.id AS node ORDER BY code"
    ).rows
    assert links == [
        ("ind.count", "so1.o1"),
        ("ind.level", "so1.o2"),
        ("ind.pct", "so1"),
        ("ind.story", "so1.o2"),
    ]
    # Indicators are not part of the plan.
    assert istore.load_plan() == small_plan()


def test_saving_definitions_keeps_every_version(istore):
    old = small_indicators()
    changed = [replace(old[0], title=Text(en="Count, renamed")), *old[1:3]]
    saved = istore.save_indicators(changed, author="bo", now="2027-06-01T00:00:00.000000Z")
    assert (saved.changed, saved.removed, saved.added) == (("ind.count",), ("ind.story",), ())
    assert not istore.save_indicators(changed, now="2027-07-01T00:00:00.000000Z")
    assert [i.code for i in istore.indicators()] == ["ind.count", "ind.level", "ind.pct"]
    assert istore.get_indicator("ind.count").title.en == "Count, renamed"
    before = istore.indicators(as_of="2027-05-01T00:00:00.000000Z")
    assert before == sorted(small_indicators(), key=lambda i: i.code)
    history = [(v.code, v.version, v.removed) for v in istore.indicator_history()]
    assert ("ind.count", 2, False) in history and ("ind.story", 2, True) in history
    links = istore.query("MATCH (i:Indicator)-[:MEASURES]->(n) RETURN count(*) AS n").scalar()
    assert links == 3


def test_revisions_append_and_read_back(istore):
    parts = (Part((("sex", "female"),), 5.0), Part((("sex", "male"),), 7.0))
    first = rev(parts=parts, comment="c", evidence=("https://x", "file.pdf"))
    assert istore.append_revisions([first], expected_count=0) == 1
    second = replace(rev(number=2, status="approved"), base_revision=1, flags=("note",))
    istore.append_revisions([second])
    assert istore.measurement_revisions() == [first, second]
    assert istore.measurement_revisions("ind.count", "2027") == [first, second]
    assert istore.measurement_revisions("ind.pct") == []
    frame = istore.revision_frame(status="approved", columns=["indicator", "revision", "value"])
    assert frame.to_dict("records") == [{"indicator": "ind.count", "revision": 2, "value": 12.0}]
    assert istore.revision_count() == 2


def test_appends_are_all_or_nothing(istore):
    istore.append_revisions([rev()])
    with pytest.raises(RevisionConflict, match="recorded since"):
        istore.append_revisions([rev(number=2)], expected_count=0)
    with pytest.raises(RevisionConflict, match="already exists"):
        istore.append_revisions([rev(period="2028"), rev()])  # the second one exists
    with pytest.raises(RevisionConflict, match="twice"):
        istore.append_revisions([rev(period="2029"), rev(period="2029")])
    assert istore.revision_count() == 1


def test_bulk_appends_use_the_bulk_path_and_stay_atomic(istore):
    many = [
        rev(period=p, number=n)
        for p in ("2027", "2028", "2029", "2030", "2031")
        for n in range(1, 61)
    ]
    istore.append_revisions(revisions_to_frame(many), expected_count=0)
    assert istore.revision_count() == 300
    again = [rev(period="2030", number=n) for n in range(61, 361)]
    with pytest.raises(RevisionConflict):
        istore.append_revisions(again, expected_count=299)
    assert istore.revision_count() == 300
    assert len(istore.revision_frame(period="2031")) == 60


def test_a_plan_change_that_orphans_indicators_is_refused(istore):
    plan = small_plan()
    smaller = Plan.of(
        [n for n in plan.nodes if n.id != "so1.o2"],
        [e for e in plan.edges if "so1.o2" not in (e.source, e.target)],
    )
    with pytest.raises(IndicatorsInUse) as caught:
        istore.save_plan(smaller)
    assert caught.value.measured == {"so1.o2": ["ind.level", "ind.story"]}
    assert "ind.level, ind.story" in str(caught.value)
    assert istore.load_plan() == plan
    # Without the indicators measuring it, the node can go.
    istore.save_indicators([i for i in small_indicators() if "so1.o2" not in i.measures])
    assert istore.save_plan(smaller) is not None


def test_restoring_a_version_without_a_measured_node_is_refused(istore):
    plan = small_plan()
    bigger = Plan.of(
        [*plan.nodes, replace(plan.node("so1.o2"), id="so1.o3")],
        [*plan.edges, Edge("CONTRIBUTES_TO", "so1.o3", "so1")],
    )
    istore.save_plan(bigger)
    istore.save_indicators(
        [replace(small_indicators()[0], measures=("so1.o3",)), *small_indicators()[1:]]
    )
    with pytest.raises(IndicatorsInUse) as caught:
        istore.restore_version(1, message="undo so1.o3")
    assert caught.value.measured == {"so1.o3": ["ind.count"]}
    assert istore.load_plan() == bigger
    assert istore.plan_version() == 2


def test_a_frame_built_from_the_revisions_read_equals_the_stores_own_frame(istore):
    """The web app computes statuses off the log it holds (:func:`revisions_to_frame`) instead
    of reading the log again: that frame must be the store's, column types included."""
    from pandas.testing import assert_frame_equal

    from indicators.status import STATUS_COLUMNS

    parts = (Part((("sex", "female"),), 5.0), Part((("sex", "male"),), 7.0))
    log = [
        rev(parts=parts, comment="c", evidence=("https://x",), status="approved"),
        replace(rev(number=2, status="approved", value=13.5), base_revision=1, flags=("x",)),
        rev(period="2028", status="submitted"),
        replace(rev("ind.pct", value=None, numerator=3.0, denominator=4.0, status="approved"),
                illustrative=True),
        rev("ind.level", value=None, level="mid", status="approved", narrative="n"),
        rev("ind.story", value=None, narrative="a story", status="approved"),
    ]  # fmt: skip
    istore.append_revisions(log, expected_count=0)
    for columns in (STATUS_COLUMNS, None):
        read = istore.measurement_revisions()
        approved = [r for r in read if r.status.value == "approved"]
        assert_frame_equal(
            revisions_to_frame(approved, columns),
            istore.revision_frame(status="approved", columns=columns),
        )
