"""The process that runs ad-hoc Cypher on an embedded store, bounded in memory, time and size.

Started by :class:`graphdb.query_worker.QueryWorker` as ``python -I ladybug_worker.py`` (only
the standard library and ``ladybug`` are imported here, so it starts in about 0.1 s). It reads
requests from stdin and writes answers to stdout, each a frame: :data:`HEADER` then a pickle
(:func:`encode`, :func:`decode`, unpickled by :class:`SafeUnpickler` on both sides), until
stdin closes. Linux (or another POSIX system with ``RLIMIT_AS``) is needed.

What bounds a query, beyond the guard on its text (:mod:`graphdb.cypher_guard`):

* the store is opened **read-only** (reopened when the file changed, so it sees every
  committed write, including those still in the write-ahead log), with a fresh connection
  per query, so no setting a query changes outlives it;
* **memory**: half the query's budget is the engine's buffer pool; ``RLIMIT_AS`` is set to
  what the open store maps plus the other half, so an expression like
  ``size(range(1, 600000000))`` fails at once with ``std::bad_alloc`` instead of filling the
  machine (LadybugDB's own buffer pool and timeout do not bound it);
* **files**: ``RLIMIT_FSIZE`` is 0, so ``COPY ... TO`` or ``EXPORT DATABASE`` cannot write
  anything; ``HOME`` is an empty folder, so no installed extension can be loaded;
* **time**: the engine's own timeout interrupts most queries; the parent kills this process
  when it does not answer in time, and starts a new one;
* **size**: at most ``row_limit`` rows, and an answer larger than ``max_bytes`` is refused.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import struct
import sys
from typing import IO, Any

__all__ = ["HEADER", "SafeUnpickler", "decode", "encode", "receive"]

#: A frame is this header (the length of the pickle, 8 bytes big-endian), then the pickle.
HEADER = struct.Struct(">Q")
_MB = 1024 * 1024
#: Classes an answer may contain (values LadybugDB returns), besides the builtin containers.
_ALLOWED = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("uuid", "UUID"),
    ("uuid", "SafeUUID"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "complex"),
    ("builtins", "bytearray"),
}
_MEMORY_ERRORS = ("bad_alloc", "Mmap for size", "Cannot allocate memory", "Unable to allocate")


class SafeUnpickler(pickle.Unpickler):
    """Unpickles plain values only: an answer can never name a function or class to call
    (Python docs, "Restricting Globals")."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an answer")


def encode(message: Any) -> bytes:
    """``message`` as the body of a frame."""
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes) -> Any:
    """The message in the body of a frame (plain values only, see :class:`SafeUnpickler`)."""
    return SafeUnpickler(io.BytesIO(data)).load()


def _send(stream: IO[bytes], data: bytes) -> None:
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one frame (None at the end of the stream)."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return decode(stream.read(size))


def _plain(value: Any) -> Any:
    """Engine values as plain Python: nodes and relationships become dicts without internals."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            clean = {k: v for k, v in value.items() if not k.startswith("_") and v is not None}
            return {"_kind": value["_LABEL"], **clean}
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _signature(path: str) -> tuple[int, ...]:
    """Changes whenever the store file or its write-ahead log changes."""
    out: list[int] = []
    for name in (path, path + ".wal"):
        try:
            st = os.stat(name)
        except OSError:
            out += [0, 0, 0]
        else:
            out += [st.st_ino, st.st_size, st.st_mtime_ns]
    return tuple(out)


def _virtual_size() -> int:
    """Bytes of address space this process maps now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


class _Engine:
    """The read-only store, opened again whenever the file changed."""

    def __init__(self) -> None:
        self.db: Any = None
        self.key: tuple[Any, ...] | None = None

    def database(self, path: str, generation: int, memory_bytes: int, threads: int) -> Any:
        import ladybug

        key = (path, generation, _signature(path))
        if self.db is not None and key == self.key:
            return self.db
        self.close()
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        # Half of the budget is the engine's buffer pool (pages and the intermediate results
        # of joins), half the heap that RLIMIT_AS bounds; the address space mapped for the
        # file (a power of two, at least four times the store) is reserved, not resident.
        pool = memory_bytes // 2
        size = sum(os.stat(p).st_size for p in (path, path + ".wal") if os.path.exists(p))
        max_db = 64 * _MB
        while max_db < max(4 * size, 2 * pool):
            max_db *= 2
        self.db = ladybug.Database(
            path,
            read_only=True,
            throw_on_wal_replay_failure=False,  # a live writer's half-written record: skip it
            max_db_size=max_db,
            buffer_pool_size=pool,
            max_num_threads=threads,
        )
        self.key = key
        resource.setrlimit(resource.RLIMIT_AS, (_virtual_size() + memory_bytes - pool, hard))
        return self.db

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
        self.db = self.key = None


def _error(kind: str, message: str) -> tuple[str, str, str]:
    return ("error", kind, message)


def _kind_of(message: str) -> str:
    if any(m in message for m in _MEMORY_ERRORS):
        return "memory"
    if message.startswith("Interrupted"):
        return "timeout"
    if "read-only database" in message:
        return "read_only"
    return "engine"


def _run(engine: _Engine, request: dict[str, Any]) -> Any:
    import ladybug

    try:
        db = engine.database(
            request["path"], request["generation"], request["memory_bytes"], request["threads"]
        )
        conn = ladybug.Connection(db)
    except (RuntimeError, MemoryError) as e:
        engine.close()
        text = str(e) or type(e).__name__
        return _error("memory" if isinstance(e, MemoryError) else _kind_of(text), text)
    try:
        conn.set_query_timeout(max(1, round(request["seconds"] * 1000)))
        result = conn.execute(request["cypher"], request["params"])
        if isinstance(result, list):  # several statements: the guard lets only one through
            return _error("engine", "one statement at a time")
        columns = result.get_column_names()
        rows: list[tuple[Any, ...]] = []
        truncated = False
        limit = request["row_limit"]
        while result.has_next():
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append(tuple(_plain(v) for v in result.get_next()))
        result.close()
        return ("ok", columns, rows, truncated)
    except MemoryError:
        return _error("memory", "MemoryError")
    except RuntimeError as e:
        return _error(_kind_of(str(e)), str(e))
    finally:
        conn.close()


def main() -> None:
    """Serve requests until stdin closes."""
    # The protocol keeps the original stdout; anything the engine prints goes to stderr.
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    protocol_in = sys.stdin.buffer
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, it does not kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    engine = _Engine()
    while True:
        request = receive(protocol_in)
        if request is None:
            break
        answer = _run(engine, request)
        try:
            data = encode(answer)
        except MemoryError:
            answer, data = _error("memory", "MemoryError"), b""
        if len(data) > request["max_bytes"]:
            answer, data = _error("too_large", str(len(data))), b""
        if answer[0] == "error":
            data = encode(answer)
            if answer[1] == "memory":
                engine.close()  # start the next query from a clean heap
        _send(protocol_out, data)
    engine.close()


if __name__ == "__main__":
    main()
