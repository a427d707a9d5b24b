"""Replay the write-ahead log a killed writer left, in a child process, before opening here.

A LadybugDB file whose writer was killed (``kill -9``, a power cut) keeps its last
transactions in ``<file>.wal`` until the next read-write open replays them. The engine
replays that log in native code, and on a log cut short mid-record it has been seen to
crash the process that opens it (a segmentation fault in about 1 of 40 kill drills, on a
read-only open that skips the torn record). A crash there would take down the caller: the
web app, a command, the test run. So when a log is left and no program holds the file,
:func:`replay_left_log` lets a short-lived child process do the replay (a read-write open
and close, which moves the log into the file); only then does the caller open the file.

What the child reports decides what the caller does:

- replayed, or nothing to replay: the caller opens a file without a log;
- another program holds the file (a live writer, whose log is normal): the caller opens as
  before (read-only reads the log as it stands; read-write reports the lock);
- the file cannot be written here (a read-only folder): the caller opens read-only as before;
- the log ended in a record cut short: a copy is kept (``<file>.wal.torn-<time>``) and the
  child replays the committed records only;
- the engine refused the file: the caller opens it as before, and reports what the engine
  says;
- the engine crashed: :class:`StoreUnavailable` names the file and what to do, and the
  caller keeps running.

Like SQLite, whose readers roll back a journal a crashed writer left, a read-only open thus
finishes the recovery a crash left pending: it changes the file only by writing the
transactions that were committed before the crash.

A clean close leaves no log, so the child runs only after a crash or beside a live writer;
it starts in about 0.1 s (only ``ladybug`` is imported).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from graphdb.store import StoreUnavailable

__all__ = ["REPLAY_TIMEOUT_SECONDS", "keep_torn_log", "replay_left_log"]

log = logging.getLogger(__name__)

#: How long the child may take to replay a log (a large import's log takes seconds).
REPLAY_TIMEOUT_SECONDS = 300.0

_REPLAYED, _HELD, _READ_ONLY, _TORN, _REFUSED = 0, 3, 4, 5, 6

#: The child: open the file read-write (replaying its log) and close it (checkpointing it).
#: Its exit status is one of the codes above; a refusal's text goes to stderr.
CHILD = """
import sys
import ladybug
path, tolerate = sys.argv[1], sys.argv[2] == "1"
try:
    ladybug.Database(path, throw_on_wal_replay_failure=not tolerate).close()
except RuntimeError as e:
    text = str(e)
    if "Could not set lock" in text:
        sys.exit(3)
    if "Permission denied" in text or "Read-only file system" in text:
        sys.exit(4)
    torn = ("Checksum verification failed", "WAL file is corrupted", "Reading past the end")
    if any(marker in text for marker in torn):
        sys.exit(5)
    sys.stderr.write(text)
    sys.exit(6)
"""


def replay_left_log(path: Path) -> None:
    """Replay ``<path>.wal`` in a child process when one is left; see the module docstring.

    Returns at once when there is no log (the usual case: every clean close removes it).
    """
    wal = Path(f"{path}.wal")
    if not _has_log(wal):
        return
    status, detail = _run_child(path, tolerate=False)
    if status == _TORN:
        kept = keep_torn_log(wal)
        log.warning(
            "%s: its write-ahead log ended in a write cut short (a program stopped while it "
            "saved); replaying its committed writes only. The log as found is kept in %s.",
            path,
            kept,
        )
        status, detail = _run_child(path, tolerate=True)
    if status < 0:
        raise StoreUnavailable(
            f"{path}: the storage engine crashed while replaying the write-ahead log a stopped "
            f"program left ({wal.name}, signal {-status}). The store file is as it was. Keep a "
            f"copy of {path} and {wal.name}, then open it once for writing (`toc --store "
            f"{path} init`); if that fails too, restore the last backup."
        )
    if status not in (_REPLAYED, _HELD, _READ_ONLY):
        log.warning("%s: the write-ahead log was not replayed beforehand: %s", path, detail)


def _has_log(wal: Path) -> bool:
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _run_child(path: Path, *, tolerate: bool) -> tuple[int, str]:
    args = [sys.executable, "-I", "-c", CHILD, str(path), "1" if tolerate else "0"]
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=REPLAY_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return _REFUSED, f"the replay took longer than {REPLAY_TIMEOUT_SECONDS:.0f} s"
    return done.returncode, done.stderr.strip()[-500:]


def keep_torn_log(wal: Path) -> Path:
    """Copy the log aside before the engine cuts its torn end off.

    A kill leaves only an uncommitted transaction in the torn end, so the copy is normally
    never needed; it is kept because the engine cannot tell a torn end from damage in the
    middle of the log, which would drop committed writes after it.
    """
    kept = Path(f"{wal}.torn-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
    shutil.copyfile(wal, kept)
    return kept
