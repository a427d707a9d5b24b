"""The folder beside a store that keeps evidence files, each under its content's sha256.

A file is never kept under the name a user gave it: the name on disk is the hex sha256 of
its bytes (so the same file attached twice is kept once, and no name can climb out of the
folder), and the shown name, media type, size, who and when go into the record of the
value or evidence item (:class:`toc.attachments.Attachment`).

Where the folder is (:func:`files_folder`): for an embedded store, beside its file
(``data/plan.lbdb`` keeps ``data/plan.lbdb.files/``); for a Neo4j store, ``TOC_FILES`` if
set, else ``pathways-files-<server>`` in ``$XDG_DATA_HOME/pathways`` (like its accounts).

Writing is atomic (:meth:`AttachmentFiles.put`): the bytes are checked first (a refused file
leaves nothing), written to a temporary file in the folder, fsynced and renamed onto the
content address, and only then may the caller save the record. A record save that fails
leaves at most a file that no record names; :meth:`AttachmentFiles.collect_garbage` removes
those, given the addresses the records still name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from toc.attachments import DEFAULT_MAX_BYTES, Attachment, check, sanitise_name

__all__ = ["SUFFIX", "AttachmentFiles", "files_folder"]

SUFFIX = ".files"
_ADDRESS = re.compile(r"[0-9a-f]{64}")


def files_folder(
    location: str, *, neo4j: bool = False, environ: Mapping[str, str] = os.environ
) -> Path:
    """The attachment folder of the store at ``location`` (see the module docstring).

    >>> str(files_folder("data/plan.lbdb"))
    'data/plan.lbdb.files'
    >>> files_folder("neo4j://db:7687?database=plans", neo4j=True, environ={"HOME": "/h"}).name
    'pathways-files-db-7687-plans'
    >>> str(files_folder("neo4j://db:7687", neo4j=True, environ={"TOC_FILES": "/srv/f"}))
    '/srv/f'
    """
    if not neo4j:
        return Path(location + SUFFIX)
    if environ.get("TOC_FILES"):
        return Path(environ["TOC_FILES"]).expanduser()
    data = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or "~") / ".local/share")
    server = location.split("://", 1)[-1].replace("?database=", "-")
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", server).strip("-.") or "neo4j"
    return Path(data).expanduser() / "pathways" / f"pathways-files-{slug}"


class AttachmentFiles:
    """The content-addressed files of one store."""

    def __init__(self, folder: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def path(self, sha256: str) -> Path:
        """Where the file of ``sha256`` is; a malformed address is a :class:`ValueError`."""
        if not _ADDRESS.fullmatch(sha256):
            raise ValueError(f"not a file address: {sha256!r}")
        return self.folder / sha256

    def put(self, data: bytes, name: str, *, who: str, when: str) -> Attachment:
        """Check and keep ``data``; the :class:`Attachment` to record with the value."""
        media_type = check(data, name, self.max_bytes)
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            self._write(target, data)
        return Attachment(sha256, sanitise_name(name), media_type, len(data), who, when)

    def _write(self, target: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        folder = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def read(self, sha256: str) -> bytes:
        """The bytes of ``sha256``; :class:`FileNotFoundError` if it is not kept here."""
        return self.path(sha256).read_bytes()

    def addresses(self) -> set[str]:
        """Every content address kept in the folder."""
        if not self.folder.is_dir():
            return set()
        return {p.name for p in self.folder.iterdir() if _ADDRESS.fullmatch(p.name)}

    def collect_garbage(self, referenced: Iterable[str]) -> list[str]:
        """Remove the files no record names and left-over temporary files; what was removed."""
        keep = set(referenced)
        removed = sorted(self.addresses() - keep)
        for sha256 in removed:
            self.path(sha256).unlink(missing_ok=True)
        if self.folder.is_dir():
            for temp in self.folder.glob(".incoming-*"):
                temp.unlink(missing_ok=True)
        return removed

    def copy_to(self, target: AttachmentFiles) -> int:
        """Copy every file into ``target``, verifying each hash on both sides; how many."""
        copied = 0
        for sha256 in sorted(self.addresses()):
            data = self.read(sha256)
            if hashlib.sha256(data).hexdigest() != sha256:
                raise ValueError(f"{self.path(sha256)}: its content does not match its hash")
            if not target.path(sha256).exists():
                target._write(target.path(sha256), data)
            if hashlib.sha256(target.read(sha256)).hexdigest() != sha256:
                raise ValueError(f"{target.path(sha256)}: the copy does not match its hash")
            copied += 1
        return copied
