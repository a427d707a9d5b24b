"""Start a real, throw-away Neo4j 5.26 server for tests, without Docker.

It runs Neo4j's Java test harness (Maven artifact ``org.neo4j.test:neo4j-harness``) through the
tiny launcher in ``graphdb/neo4j-testserver/``. It needs ``java`` (17+) and, for the one-off
build, ``mvn``. The first build downloads about 180 MB into ``~/.m2`` (1-2 minutes); later, a
start takes about 6-15 s and a stop 1-2 s. The server is community edition, listens on a free
localhost port, has auth disabled and keeps its store in a temporary folder removed on stop.

Set ``NEO4J_URI`` (and ``NEO4J_USER`` / ``NEO4J_PASSWORD``) to use another server instead; see
:func:`neo4j_connection_settings` and the ``neo4j_settings`` fixture.

Example::

    with start_test_server() as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=None)
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, NamedTuple

__all__ = [
    "Neo4jSettings",
    "Neo4jTestServer",
    "Neo4jTestServerUnavailable",
    "ensure_built",
    "neo4j_connection_settings",
    "start_test_server",
]

PROJECT_DIR = Path(__file__).resolve().parent / "neo4j-testserver"
TARGET_DIR = PROJECT_DIR / "target"
CLASSPATH_FILE = TARGET_DIR / "classpath.txt"
MAIN_CLASS = "org.pathways.neo4jtestserver.TestServer"
URI_PREFIX = "NEO4J_BOLT_URI="
_STDERR_TAIL_LINES = 40
# C1-only JIT and the serial GC halve the CPU a short-lived test server burns (start ~2x faster,
# small test workloads faster too); change them here for long, heavy runs.
JAVA_OPTIONS: tuple[str, ...] = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class Neo4jTestServerUnavailable(RuntimeError):
    """The test server cannot be built or started (missing tool, build error, start failure)."""


class Neo4jSettings(NamedTuple):
    """Where and how to connect: a bolt/neo4j URI, a user name and a password."""

    uri: str
    user: str
    password: str


def neo4j_connection_settings() -> Neo4jSettings | None:
    """Return settings from ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``, or None.

    None means ``NEO4J_URI`` is unset or empty. ``NEO4J_USER`` defaults to ``neo4j`` and
    ``NEO4J_PASSWORD`` to the empty string.
    """
    uri = os.environ.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    return Neo4jSettings(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    )


def _require_tool(name: str, why: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Neo4jTestServerUnavailable(f"`{name}` is not on PATH; it is needed {why}.")
    return path


def _needs_build() -> bool:
    if not CLASSPATH_FILE.is_file():
        return True
    built = CLASSPATH_FILE.stat().st_mtime
    sources = [PROJECT_DIR / "pom.xml", *(PROJECT_DIR / "src").rglob("*")]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def ensure_built(timeout: float | None = None) -> None:
    """Compile the launcher and resolve its classpath with Maven, unless already up to date.

    Safe to call from several processes at once (a file lock serialises the build).
    ``timeout`` limits the Maven run (seconds; None: no limit).
    """
    if not _needs_build():
        return
    mvn = _require_tool("mvn", "once to build graphdb/neo4j-testserver (Maven 3)")
    TARGET_DIR.mkdir(exist_ok=True)
    with open(TARGET_DIR / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _needs_build():  # another process built it while we waited
            return
        print(
            "neo4j_testserver: building the Neo4j test server with Maven "
            "(first run downloads ~180 MB, 1-2 min)...",
            file=sys.stderr,
            flush=True,
        )
        command = [
            mvn,
            "-q",
            "-B",
            "compile",
            "dependency:build-classpath",
            f"-Dmdep.outputFile={CLASSPATH_FILE}",
            "-Dmdep.regenerateFile=true",
        ]
        try:
            result = subprocess.run(
                command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise Neo4jTestServerUnavailable(
                f"Maven build of {PROJECT_DIR} took longer than {timeout:g} s"
            ) from exc
        if result.returncode != 0 or not CLASSPATH_FILE.is_file():
            CLASSPATH_FILE.unlink(missing_ok=True)
            output = (result.stdout + result.stderr).strip().splitlines()
            tail = "\n".join(output[-_STDERR_TAIL_LINES:])
            raise Neo4jTestServerUnavailable(
                f"Maven build of {PROJECT_DIR} failed (exit {result.returncode}):\n{tail}"
            )


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Copy ``stream`` to ``lines`` until end-of-file (then None), and close it."""
    with stream:
        for line in stream:
            lines.put(line)
    lines.put(None)


class Neo4jTestServer:
    """A running harness Neo4j; use as a context manager or call :meth:`stop`.

    ``uri`` is the bolt address (``bolt://127.0.0.1:PORT``). Auth is disabled: connect with
    ``auth=None`` (basic auth with any user/password is accepted too).
    """

    def __init__(
        self, process: subprocess.Popen[str], reader: threading.Thread, uri: str, workdir: Path
    ) -> None:
        self._process = process
        self._reader = reader
        self._workdir = workdir
        self.uri = uri
        atexit.register(self.stop)

    @property
    def settings(self) -> Neo4jSettings:
        """Connection settings for this server (user ``neo4j``, empty password)."""
        return Neo4jSettings(self.uri, "neo4j", "")

    def stop(self, timeout: float = 30) -> None:
        """Shut Neo4j down cleanly; kill it if it takes longer than ``timeout`` seconds.

        Calling it again is harmless.
        """
        atexit.unregister(self.stop)
        _stop_process(self._process, self._reader, timeout)
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Neo4jTestServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _stop_process(process: subprocess.Popen[str], reader: threading.Thread, timeout: float) -> None:
    """Ask the launcher to stop (a "stop" line), wait, kill after ``timeout``; close pipes."""
    assert process.stdin is not None
    if process.poll() is None:
        with contextlib.suppress(OSError):  # e.g. it died meanwhile: broken pipe
            process.stdin.write("stop\n")
            process.stdin.flush()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(OSError):
        process.stdin.close()
    reader.join(5)  # stdout is at end-of-file now; the reader closes it


def _stderr_tail(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-_STDERR_TAIL_LINES:])


def start_test_server(timeout: float = 240) -> Neo4jTestServer:
    """Build the launcher if needed, start Neo4j and return once bolt accepts connections.

    ``timeout`` (seconds) covers the build and the start. Raises
    :class:`Neo4jTestServerUnavailable` if ``java``/``mvn`` is missing, the build fails, or the
    server does not report its address in time (the message ends with the server's stderr).
    The server also stops by itself when this Python process exits (its stdin closes).
    """
    deadline = time.monotonic() + timeout
    java = _require_tool("java", "to run the Neo4j test server (JDK 17 or newer)")
    ensure_built(timeout)
    classpath = os.pathsep.join([str(TARGET_DIR / "classes"), CLASSPATH_FILE.read_text().strip()])
    # A private temp dir: the harness puts its store, logs and a log4j file under java.io.tmpdir.
    workdir = Path(tempfile.mkdtemp(prefix="pathways-neo4j-"))
    stderr_path = workdir / "stderr.log"
    with open(stderr_path, "w") as stderr:
        process = subprocess.Popen(
            [java, *JAVA_OPTIONS, f"-Djava.io.tmpdir={workdir}", "-cp", classpath, MAIN_CLASS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=workdir,
        )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(
        target=_read_lines, args=(process.stdout, lines), name="neo4j-testserver", daemon=True
    )
    reader.start()
    problem = "exited before reporting its address"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            problem = f"did not report its address within {timeout:g} s"
            break
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            break
        if line.startswith(URI_PREFIX):
            uri = line[len(URI_PREFIX) :].strip().rstrip("/")
            return Neo4jTestServer(process, reader, uri, workdir)
    _stop_process(process, reader, timeout=1)  # it is broken or stuck
    tail = _stderr_tail(stderr_path)
    shutil.rmtree(workdir, ignore_errors=True)
    raise Neo4jTestServerUnavailable(
        f"Neo4j test server {problem} (exit code {process.returncode}); stderr:\n{tail}"
    )


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is only needed for the fixture
    pass
else:

    @pytest.fixture(scope="session")
    def neo4j_settings() -> Iterator[Neo4jSettings]:
        """Session fixture: a Neo4j to test against, or skip the test if none can be had.

        Uses ``NEO4J_URI`` etc. when set, else starts one harness server for the session.
        Tests share the database, so clean up what you create. Import it in ``conftest.py``.
        """
        settings = neo4j_connection_settings()
        if settings is not None:
            yield settings
            return
        try:
            server = start_test_server()
        except Neo4jTestServerUnavailable as exc:
            pytest.skip(f"no Neo4j available: {exc}")
        with server:
            yield server.settings
