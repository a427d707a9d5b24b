"""A write-ahead log left by a killed writer is replayed in a child process, never here."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import ladybug
import pytest

from graphdb import wal_recovery
from graphdb.ladybug_store import open_database
from graphdb.store import StoreUnavailable

WRITER = """
import os, sys, ladybug
db = ladybug.Database(sys.argv[1])
c = ladybug.Connection(db)
c.execute("CREATE NODE TABLE IF NOT EXISTS T(id STRING PRIMARY KEY)")
for i in range(int(sys.argv[2])):
    c.execute(f"CREATE (:T {{id: 'n{i}'}})")
if sys.argv[3] == "kill":
    os.kill(os.getpid(), 9)
print("ready", flush=True)
sys.stdin.read()
"""


def _killed_writer(path: Path, rows: int) -> None:
    done = subprocess.run([sys.executable, "-c", WRITER, str(path), str(rows), "kill"], check=False)
    assert done.returncode == -9
    assert Path(f"{path}.wal").stat().st_size > 0  # the kill left its log


def _count(db: ladybug.Database) -> int:
    return ladybug.Connection(db).execute("MATCH (t:T) RETURN count(*)").get_next()[0]


@pytest.mark.parametrize("read_only", [True, False])
def test_a_left_log_is_replayed_before_the_open(tmp_path, read_only):
    path = tmp_path / "s.lbug"
    _killed_writer(path, 30)
    db = open_database(path, read_only=read_only)
    try:
        assert _count(db) == 30
    finally:
        db.close()
    assert not Path(f"{path}.wal").exists() or Path(f"{path}.wal").stat().st_size == 0


def test_a_torn_log_is_kept_aside_and_its_committed_writes_replayed(tmp_path):
    path = tmp_path / "s.lbug"
    _killed_writer(path, 30)
    wal = Path(f"{path}.wal")
    wal.write_bytes(wal.read_bytes()[:-7])  # the last record cut short
    db = open_database(path, read_only=True)
    try:
        assert 0 < _count(db) < 30
    finally:
        db.close()
    assert len(list(tmp_path.glob("s.lbug.wal.torn-*"))) == 1


def test_an_engine_crash_on_the_log_is_an_error_not_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "s.lbug"
    _killed_writer(path, 5)
    monkeypatch.setattr(wal_recovery, "CHILD", "import os, signal; os.kill(os.getpid(), 11)")
    with pytest.raises(StoreUnavailable, match=r"crashed while replaying.*signal 11"):
        open_database(path, read_only=True)
    assert Path(f"{path}.wal").stat().st_size > 0  # nothing was thrown away


def test_beside_a_live_writer_the_read_only_open_reads_its_log(tmp_path):
    path = tmp_path / "s.lbug"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "12", "hold"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        started = time.monotonic()
        db = open_database(path, read_only=True)
        try:
            assert _count(db) == 12
        finally:
            db.close()
        assert time.monotonic() - started < 10
        assert writer.poll() is None  # the writer was left alone
    finally:
        writer.communicate("")
