"""Opening a LadybugDB file that a killed program left in the middle of a checkpoint."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import ladybug
import pytest
from click.testing import CliRunner

import graphdb.ladybug_store as ladybug_store
from cli.main import cli
from graphdb.errors import StoreLocked, StoreUnavailable
from graphdb.ladybug_store import LadybugStore, open_database
from tests.conftest import small_plan
from toc.model import Plan, Text


def _crashed_mid_checkpoint(folder: Path) -> Path:
    """A store file as a program killed inside CHECKPOINT leaves it: the write-ahead log being
    applied (``.wal.checkpoint``) and an empty shadow file beside the database file."""
    live = LadybugStore(folder / "live.lbug")
    try:
        live.save_plan(small_plan(), author="tests", message="small plan")
        crashed = folder / "crashed.lbug"
        shutil.copy(folder / "live.lbug", crashed)
        shutil.copy(folder / "live.lbug.wal", folder / "crashed.lbug.wal.checkpoint")
        (folder / "crashed.lbug.shadow").touch()
    finally:
        live.close()
    with pytest.raises(RuntimeError, match="checkpoint recovery is pending"):
        ladybug.Database(str(crashed), read_only=True)
    return crashed


def test_a_read_only_open_finishes_the_recovery(tmp_path):
    crashed = _crashed_mid_checkpoint(tmp_path)
    store = LadybugStore(crashed, read_only=True)
    try:
        assert store.load_plan() == small_plan() and store.plan_version() == 1
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.glob("crashed.lbug*")) == ["crashed.lbug"]


@pytest.mark.parametrize("command", [["show", "s1"], ["summary"], ["status"], ["history"]])
def test_read_only_commands_work_on_a_store_left_mid_checkpoint(tmp_path, command):
    crashed = _crashed_mid_checkpoint(tmp_path)
    result = CliRunner().invoke(cli, ["--store", str(crashed), *command])
    assert result.exit_code == 0, result.output


class _Engine:
    """Stands in for ``ladybug.Database``: answers each open with the next of ``script``
    (an exception to raise, or a database to return) and records the opens."""

    def __init__(self, script):
        self.script, self.opens = list(script), []

    def __call__(self, path, read_only=False, **options):
        self.opens.append("ro" if read_only else "rw")
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


class _Closed:
    def close(self) -> None:
        pass


PENDING = RuntimeError(
    "Cannot open database in read-only mode while checkpoint recovery is pending. If another "
    "process is checkpointing, retry after it finishes"
)
LOCKED = RuntimeError("IO exception: Could not set lock on file x (Lock is held by PID 4242)")


def test_while_a_live_writer_checkpoints_the_open_waits_for_it(monkeypatch, tmp_path):
    done = object()
    engine = _Engine([PENDING, LOCKED, PENDING, LOCKED, done])
    monkeypatch.setattr(ladybug_store.ladybug, "Database", engine)
    monkeypatch.setattr(ladybug_store.time, "sleep", lambda s: None)
    assert open_database(tmp_path / "s.lbug", read_only=True) is done
    assert engine.opens == ["ro", "rw", "ro", "rw", "ro"]


def test_recovery_that_never_ends_says_what_to_run(monkeypatch, tmp_path):
    engine = _Engine([PENDING, _Closed(), PENDING])
    monkeypatch.setattr(ladybug_store.ladybug, "Database", engine)
    clock = iter([0.0, 1.0, 99.0])
    monkeypatch.setattr(ladybug_store.time, "monotonic", lambda: next(clock))
    with pytest.raises(StoreUnavailable) as info:
        open_database(tmp_path / "s.lbug", read_only=True)
    assert engine.opens == ["ro", "rw", "ro"]
    assert str(info.value) == (
        f"{tmp_path / 's.lbug'}: a program stopped while it was saving the store, and the "
        f"recovery could not be finished here. Run `toc --store {tmp_path / 's.lbug'} init` "
        "once (it opens the store for writing, which completes the recovery), then try again."
    )


def test_a_read_write_open_is_not_retried(monkeypatch, tmp_path):
    engine = _Engine([LOCKED])
    monkeypatch.setattr(ladybug_store.ladybug, "Database", engine)
    with pytest.raises(StoreLocked, match=r"in use by another program \(process 4242\)"):
        open_database(tmp_path / "s.lbug")
    assert engine.opens == ["rw"]


def _retitled(plan: Plan) -> Plan:
    head, *rest = plan.nodes
    return Plan.of([replace(head, title=Text(nl="Anders", en="Changed")), *rest], plan.edges)


def _killed_mid_append(folder: Path) -> Path:
    """A store file as a program killed while it appended its second save to the write-ahead
    log leaves it: the first save whole in the log, the second cut in the middle."""
    live = LadybugStore(folder / "live.lbug")
    try:
        live.save_plan(small_plan(), author="tests", message="v1")
        crashed = folder / "crashed.lbug"
        shutil.copy(folder / "live.lbug", crashed)
        first = (folder / "live.lbug.wal").read_bytes()
        live.save_plan(_retitled(small_plan()), author="tests", message="v2")
        both = (folder / "live.lbug.wal").read_bytes()
    finally:
        live.close()
    assert both.startswith(first) and len(both) > len(first)
    Path(f"{crashed}.wal").write_bytes(both[: len(first) + (len(both) - len(first)) // 2])
    with pytest.raises(RuntimeError, match="WAL file is corrupted"):
        ladybug.Database(str(crashed), read_only=True)
    return crashed


def test_a_torn_log_reads_as_its_committed_writes(tmp_path):
    crashed = _killed_mid_append(tmp_path)
    store = LadybugStore(crashed, read_only=True)
    try:
        assert store.plan_version() == 1 and store.load_plan() == small_plan()
    finally:
        store.close()
    # The first open after the crash, read-only too, replays the committed writes into the
    # file (graphdb.wal_recovery) and keeps the log as found.
    assert len(list(tmp_path.glob("crashed.lbug.wal.torn-*"))) == 1


def test_a_read_write_open_keeps_the_torn_log_and_writes_on(tmp_path, caplog):
    crashed = _killed_mid_append(tmp_path)
    torn = Path(f"{crashed}.wal").read_bytes()
    store = LadybugStore(crashed)
    try:
        assert store.plan_version() == 1
        store.save_plan(_retitled(small_plan()), author="tests", message="after the crash")
        assert store.plan_version() == 2
    finally:
        store.close()
    [kept] = tmp_path.glob("crashed.lbug.wal.torn-*")
    assert kept.read_bytes() == torn
    assert "replaying its committed writes only" in caplog.text
    again = LadybugStore(crashed, read_only=True)
    try:
        assert again.plan_version() == 2
    finally:
        again.close()


@pytest.mark.parametrize("command", [["show", "s1"], ["summary"], ["status"], ["history"]])
def test_read_only_commands_work_on_a_store_with_a_torn_log(tmp_path, command):
    crashed = _killed_mid_append(tmp_path)
    result = CliRunner().invoke(cli, ["--store", str(crashed), *command])
    assert result.exit_code == 0, result.output
