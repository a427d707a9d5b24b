"""Uploaded import files, kept on the server between the dry run and the confirmation.

An upload is saved under the instance folder as ``uploads/<token>/<file name>``, where the
token is random (an unguessable name in every link and form) and the file name is the
uploader's, made safe (the importer names it in the revisions it writes). Beside it,
``upload.json`` records who uploaded it, when, and what the dry run they saw was based on.
Files larger than the limit are refused while they arrive; uploads older than ``max_age``
seconds are removed whenever another is saved or looked up, and each one is removed once it
is imported or cancelled. Only its uploader can use an upload.

>>> import tempfile, io
>>> with tempfile.TemporaryDirectory() as tmp:
...     folder = UploadFolder(Path(tmp), max_bytes=100)
...     up = folder.save(io.BytesIO(b"indicator,period\\n"), "../Values 2028.csv", owner="ana")
...     (up.path.name, folder.get(up.token, "ana") == up, folder.get(up.token, "bob"))
('Values_2028.csv', True, None)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO

from werkzeug.utils import secure_filename

__all__ = ["SUFFIXES", "Upload", "UploadError", "UploadFolder"]

#: File types the importer reads.
SUFFIXES = (".csv", ".xlsx")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_META = "upload.json"
_CHUNK = 64 * 1024
_ZIP = b"PK\x03\x04"
#: How a password-protected workbook (or an old .xls file) starts: an OLE container.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadError(Exception):
    """An upload is refused; ``code`` says why: ``empty``, ``too_large``, ``file_type``,
    ``encrypted`` (an .xlsx that is a password-protected workbook or an old .xls file)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Upload:
    """One kept upload. ``checked_count`` is the size of the measurement log when its dry run
    was shown (None before that)."""

    token: str
    path: Path
    filename: str
    owner: str
    created: float
    size: int
    approve: bool = False
    checked_count: int | None = None


class UploadFolder:
    """The folder of kept uploads (see the module docstring)."""

    def __init__(
        self,
        folder: Path,
        max_bytes: int = 10 * 1024 * 1024,
        max_age: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._clock = clock

    def save(
        self, stream: IO[bytes], filename: str, *, owner: str, approve: bool = False
    ) -> Upload:
        """Keep an uploaded file; raises :class:`UploadError` (and keeps nothing) when it is
        empty, too large or not a CSV or XLSX file."""
        self.cleanup()
        name = secure_filename(PurePosixPath((filename or "").replace("\\", "/")).name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            raise UploadError("file_type")
        token = secrets.token_urlsafe(24)
        folder = self.folder / token
        folder.mkdir(parents=True, mode=0o700)
        path = folder / name
        size = 0
        try:
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                first = b""
                while chunk := stream.read(_CHUNK):
                    first = first or chunk[:8]
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadError("too_large")
                    out.write(chunk)
            if size == 0:
                raise UploadError("empty")
            if suffix == ".xlsx" and first == _OLE:
                raise UploadError("encrypted")
            if suffix == ".xlsx" and first[:4] != _ZIP:
                raise UploadError("file_type")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(token, path, name, owner, self._clock(), size, approve)
        self._write(upload)
        return upload

    def get(self, token: str, owner: str) -> Upload | None:
        """The upload ``token`` of ``owner`` (None when there is none, it expired, or it is
        someone else's)."""
        self.cleanup()
        if not _TOKEN.match(token or ""):
            return None
        try:
            meta = json.loads((self.folder / token / _META).read_text())
        except (OSError, ValueError):
            return None
        path = self.folder / token / meta.get("filename", "")
        if meta.get("owner") != owner or not path.is_file():
            return None
        return Upload(
            token,
            path,
            meta["filename"],
            meta["owner"],
            float(meta["created"]),
            int(meta["size"]),
            bool(meta.get("approve")),
            meta.get("checked_count"),
        )

    def checked(self, upload: Upload, count: int) -> Upload:
        """Record that the dry run of ``upload`` was shown at log size ``count``."""
        upload = replace(upload, checked_count=count)
        self._write(upload)
        return upload

    def discard(self, token: str) -> None:
        """Remove an upload (nothing when there is none)."""
        if _TOKEN.match(token or ""):
            shutil.rmtree(self.folder / token, ignore_errors=True)

    def cleanup(self) -> int:
        """Remove uploads older than ``max_age`` seconds; returns how many."""
        if not self.folder.is_dir():
            return 0
        limit = self._clock() - self.max_age
        removed = 0
        for entry in self.folder.iterdir():
            if not (entry.is_dir() and _TOKEN.match(entry.name)):
                continue
            try:
                created = float(json.loads((entry / _META).read_text())["created"])
            except (OSError, ValueError, KeyError):
                try:
                    created = entry.stat().st_mtime  # no metadata (yet): its folder's age
                except OSError:
                    continue
            if created < limit:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed

    def _write(self, upload: Upload) -> None:
        meta = {
            "filename": upload.filename,
            "owner": upload.owner,
            "created": upload.created,
            "size": upload.size,
            "approve": upload.approve,
            "checked_count": upload.checked_count,
        }
        target = upload.path.parent / _META
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(meta))
        temporary.replace(target)
