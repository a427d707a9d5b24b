"""Plan versions keep their content on every engine: rebuilt, compared, restored, copied."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from graphdb.store import StoreError
from graphdb.versions import VersionContent, VersionNotKept, decode_content, encode_content
from tests.conftest import small_plan
from toc.diff import FieldChange, diff_plans
from toc.model import Edge, Node, Plan, Text


def three_versions() -> list[Plan]:
    """The small plan, then an edited title and a new strategy, then a link removed."""
    one = small_plan()
    two = Plan.of(
        [
            *(n for n in one.nodes if n.id != "so1.o1"),
            replace(one.node("so1.o1"), title=Text("Doel 1.1", "Objective one")),
            Node("Strategy", "s3", Text("Strategie 3", "Strategy 3")),
        ],
        [*one.edges, Edge("CONTRIBUTES_TO", "s3", "so1.o2")],
    )
    three = Plan.of(two.nodes, [e for e in two.edges if e.kind != "WORKS_IN"])
    return [one, two, three]


def test_every_save_keeps_the_content_of_its_version(store):
    plans = three_versions()
    for i, plan in enumerate(plans, 1):
        store.save_plan(plan, author=f"user{i}", message=f"v{i}")
    for i, plan in enumerate(plans, 1):
        assert store.plan_at(i) == plan
    assert store.kept_versions() == [1, 2, 3]
    bases = [c.base for c in store.version_contents()]
    assert bases == ["empty", "previous", "previous"]


def test_two_versions_compare_field_by_field(store):
    for plan in three_versions():
        store.save_plan(plan)
    d = store.diff_versions(1, 2)
    assert [n.id for n in d.added_nodes] == ["s3"]
    assert [(c.id, c.fields) for c in d.changed_nodes] == [
        ("so1.o1", (FieldChange("title.en", "Objective 1.1", "Objective one"),))
    ]
    assert [e.key for e in d.added_links] == [("CONTRIBUTES_TO", "s3", "so1.o2")]
    back = store.diff_versions(3, 1)
    assert [n.id for n in back.removed_nodes] == ["s3"]
    assert [e.kind for e in back.added_links] == ["WORKS_IN"]


def test_restore_makes_a_new_version_with_the_old_content(store):
    plans = three_versions()
    for plan in plans:
        store.save_plan(plan)
    revision = store.restore_version(1, author="ann", message="back to the start")
    assert revision.version == 4
    assert (revision.author, revision.message) == ("ann", "back to the start")
    assert store.load_plan() == plans[0]
    assert store.plan_at(3) == plans[2]  # history is never rewritten
    assert not store.diff_versions(1, 4)
    assert store.restore_version(4) is None  # already that content


def test_unknown_versions_are_refused(store):
    store.save_plan(small_plan())
    with pytest.raises(VersionNotKept, match=r"no plan version 7 \(versions 1 to 1\)"):
        store.plan_at(7)


def test_a_store_from_before_versions_kept_content_gets_a_baseline(store):
    """A store copied with its revisions but no content (as an older version made them)."""
    plans = three_versions()
    revisions = [
        replace(store_revision, version=v)
        for v, store_revision in enumerate([_revision(p) for p in plans], 1)
    ]
    store.restore(plans[2], revisions)
    assert store.kept_versions() == []
    written = store.ensure_baseline()
    assert written.version == 3 and written.base == "empty"
    assert store.ensure_baseline() is None  # once
    assert store.plan_at(3) == plans[2]
    with pytest.raises(VersionNotKept, match=r"version 1 was saved before .* kept is version 3"):
        store.plan_at(1)
    store.save_plan(plans[0], message="after the baseline")
    assert store.diff_versions(3, 4) == diff_plans(plans[2], plans[0])


def _revision(plan: Plan):
    from graphdb.store import PlanRevision

    return PlanRevision(0, "2025-01-01T00:00:00+00:00", "old", "old", len(plan.nodes), 0)


def test_versions_by_date(store):
    store.save_plan(small_plan())
    today = dt.datetime.now(dt.UTC).date()
    assert store.version_at(today) == 1
    assert store.version_at(today - dt.timedelta(days=1)) == 0


def test_content_round_trips_and_damage_is_refused():
    d = diff_plans(Plan.of([], []), small_plan())
    assert decode_content(encode_content(d)) == d
    with pytest.raises(StoreError, match="damaged"):
        VersionContent(1, "empty", "not base64!").diff()
