"""The app's process-wide store: opened once, calls one at a time, plan cached per version."""

from __future__ import annotations

import threading

from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan
from toc.model import Node, Plan, Text
from web.store import ProcessStore


def test_opens_once_and_reopens_after_close(store_path):
    opened: list[str] = []

    def opener(location: str) -> LadybugStore:
        opened.append(location)
        return LadybugStore(location)

    holder = ProcessStore(str(store_path), opener)
    try:
        assert holder.get().plan_version() == 1
        holder.get().get_node("so1")
        assert len(opened) == 1
        holder.close()
        assert holder.get().get_account("viewer").role == "viewer"
        assert len(opened) == 2
    finally:
        holder.close()


def test_plan_is_read_again_only_when_its_version_changes(store_path):
    holder = ProcessStore(str(store_path))
    try:
        first = holder.plan()
        assert holder.plan() is first
        extra = Node("Strategy", "s9", Text("Strategie 9", "Strategy 9"))
        holder.get().save_plan(Plan.of([*small_plan().nodes, extra], small_plan().edges))
        second = holder.plan()
        assert second is not first and second.get("s9") is not None
    finally:
        holder.close()


def test_calls_from_many_threads(store_path):
    holder = ProcessStore(str(store_path))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            store = holder.get()
            for _ in range(5):
                if n % 2:
                    store.record_login_failure("viewer")
                else:
                    assert store.get_node("so1") is not None
                    assert len(holder.plan().nodes) == 12
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert holder.get().get_account("viewer").failed_logins == 20
    finally:
        holder.close()


def test_a_unit_of_work_keeps_other_threads_out_of_its_transaction(store_path):
    holder = ProcessStore(str(store_path))
    store = holder.get()
    inside, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def import_that_fails() -> None:
        extra = Node("Strategy", "s9", Text("Strategie 9", "Strategy 9"))
        try:
            with store.unit_of_work():
                store.save_plan(Plan.of([*small_plan().nodes, extra], small_plan().edges))
                inside.set()
                release.wait(5)
                raise RuntimeError("the import fails after its first write")
        except RuntimeError:
            pass

    def reader() -> None:
        seen.append(store.plan_version())

    writer = threading.Thread(target=import_that_fails)
    writer.start()
    try:
        assert inside.wait(5)
        other = threading.Thread(target=reader)
        other.start()
        other.join(0.3)
        assert other.is_alive(), "the reader waits for the unit of work to end"
        release.set()
        other.join(5)
        assert seen == [1], "it never saw the uncommitted version 2"
    finally:
        release.set()
        writer.join(5)
        holder.close()
