"""Run ad-hoc Cypher on an embedded store in a separate, bounded process.

LadybugDB runs a query inside the calling process, and neither its timeout nor its buffer
pool bounds an expression such as ``RETURN size(range(1, 600000000))`` (8 GB in 28 s, see
ENGINE-NOTES). So :meth:`GraphStore.query` on an embedded store hands the query to a
:class:`QueryWorker`: one child process (:mod:`graphdb.ladybug_worker`), started on the first
query and kept for the next ones, that opens the store read-only under a memory limit. A query
that runs past its deadline gets the child killed (a new one starts on the next query); one
that needs too much memory fails inside the child. Either way the caller gets a clear
:class:`StoreError` and its own process is untouched.

Example::

    worker = QueryWorker("data/demo.lbug", memory_mb=512)
    columns, rows, truncated = worker.run("RETURN 1 AS one", {}, seconds=5, row_limit=10)
    worker.close()
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from graphdb.cypher_guard import QueryRefused
from graphdb.errors import QueryMemoryExceeded, QueryTimeout, QueryTooLarge, StoreError
from graphdb.ladybug_worker import HEADER, decode, encode

__all__ = ["QueryWorker"]

#: Seconds a child gets beyond the query's own timeout (its engine stops most queries itself).
GRACE_SECONDS = 2.0
#: Seconds a new child may take to start and answer its first query, beyond the timeout.
START_SECONDS = 10.0
_SCRIPT = Path(__file__).with_name("ladybug_worker.py")


class QueryWorker:
    """The query process of one embedded store (see the module docstring).

    ``memory_mb`` is what one query may use beyond the store the child maps; ``max_bytes``
    the largest answer; ``threads`` the engine threads per query. Thread-safe: queries run
    one at a time.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        memory_mb: int = 512,
        max_bytes: int = 32 * 1024 * 1024,
        threads: int = 1,
    ) -> None:
        self.path = str(Path(path).resolve())
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self.threads = threads
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._home: str | None = None
        self._fresh = True

    # -- the child -------------------------------------------------------------------------------
    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        self._home = tempfile.mkdtemp(prefix="pathways-query-")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": self._home,
            "TMPDIR": self._home,
            "LANG": "C.UTF-8",
            "MALLOC_ARENA_MAX": "2",
        }
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", str(_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=self._home,
                env=env,
                start_new_session=True,
            )
        except OSError as e:
            raise StoreError(f"query failed: cannot start the query process: {e}") from None
        self._fresh = True
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
        if self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def close(self) -> None:
        """Stop the child (a later :meth:`run` starts a new one)."""
        with self._lock:
            process = self._process
            if process is not None and process.poll() is None and process.stdin is not None:
                try:
                    process.stdin.close()  # the child ends at the end of its input
                    process.wait(2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop()

    # -- queries ---------------------------------------------------------------------------------
    def run(
        self,
        cypher: str,
        params: dict[str, Any],
        *,
        seconds: float,
        row_limit: int | None,
        generation: int = 0,
    ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
        """(columns, rows, truncated) of ``cypher``; raises :class:`QueryTimeout`,
        :class:`QueryMemoryExceeded`, :class:`QueryTooLarge`, :class:`QueryRefused` (the
        engine refused to write) or :class:`StoreError`. ``generation`` changes when the
        caller wrote to the store: the child then opens it again."""
        request = {
            "path": self.path,
            "cypher": cypher,
            "params": params,
            "seconds": seconds,
            "row_limit": row_limit,
            "max_bytes": self.max_bytes,
            "memory_bytes": self.memory_mb * 1024 * 1024,
            "threads": self.threads,
            "generation": generation,
        }
        with self._lock:
            process = self._start()
            allowed = seconds + GRACE_SECONDS + (START_SECONDS if self._fresh else 0.0)
            self._fresh = False
            try:
                answer = self._exchange(process, encode(request), time.monotonic() + allowed)
            except _Killed as e:
                self._stop()
                if e.reason == "deadline":
                    raise QueryTimeout(f"query failed: stopped after {seconds:g} s") from None
                if e.reason == "too_large":
                    raise self._too_large() from None
                raise self._died(e.returncode) from None
        return self._answer(answer, seconds)

    def _exchange(self, process: subprocess.Popen[bytes], data: bytes, deadline: float) -> Any:
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(HEADER.pack(len(data)) + data)
            process.stdin.flush()
        except OSError:
            raise _Killed("died", process.poll()) from None
        fd = process.stdout.fileno()
        header = self._read(process, fd, HEADER.size, deadline)
        (size,) = HEADER.unpack(header)
        if size > self.max_bytes + 4096:
            raise _Killed("too_large")
        body = self._read(process, fd, size, deadline)
        try:
            return decode(body)
        except Exception:  # an answer that is not a plain-values pickle: never trusted
            raise _Killed("died", process.poll()) from None

    def _read(self, process: subprocess.Popen[bytes], fd: int, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        missing = size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Killed("deadline")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                try:
                    code = process.wait(1)
                except subprocess.TimeoutExpired:
                    code = None
                raise _Killed("died", code)
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _answer(self, answer: Any, seconds: float) -> tuple[list[str], list[tuple[Any, ...]], bool]:
        if answer[0] == "ok":
            _, columns, rows, truncated = answer
            return list(columns), list(rows), bool(truncated)
        _, kind, message = answer
        if kind == "timeout":
            raise QueryTimeout(f"query failed: stopped after {seconds:g} s")
        if kind == "memory":
            raise QueryMemoryExceeded(
                f"query failed: it used too much memory (limit {self.memory_mb} MB) and was "
                "stopped",
                limit_mb=self.memory_mb,
            )
        if kind == "too_large":
            raise self._too_large()
        if kind == "read_only":
            raise QueryRefused(
                "only reading queries are allowed here; the store refused to write",
                "read_only",
                "",
            )
        # The engine's own words, first line only (the rest repeats the query with a caret).
        first = message.strip().splitlines()[0] if message.strip() else "the engine gave no reason"
        raise StoreError(f"query failed: {first}")

    def _too_large(self) -> QueryTooLarge:
        mb = self.max_bytes // (1024 * 1024)
        return QueryTooLarge(
            f"query failed: the answer is larger than {mb} MB; return fewer rows or columns",
            limit_mb=mb,
        )

    def _died(self, returncode: int | None) -> StoreError:
        if returncode == -signal.SIGKILL:  # not by us: the system ran out of memory
            return QueryMemoryExceeded(
                f"query failed: it used too much memory (limit {self.memory_mb} MB) and was "
                "stopped",
                limit_mb=self.memory_mb,
            )
        how = f"signal {-returncode}" if returncode and returncode < 0 else f"exit {returncode}"
        return StoreError(
            f"query failed: the query engine stopped on this query ({how}); nothing was "
            "changed, and the next query runs in a new process"
        )


class _Killed(Exception):
    """The child must be stopped: ``reason`` is deadline, too_large or died."""

    def __init__(self, reason: str, returncode: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.returncode = returncode
