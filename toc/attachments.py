"""What an evidence file may be: its type from its first bytes, its size, its shown name.

Pure and free of any domain: nothing here reads or writes a disk, so the rules can be
tested on bytes alone, and the store that keeps the files (:mod:`graphdb.attachment_files`)
and every form or command that accepts one apply the same rules.

The type is found from the content (magic bytes), never from the name a user gave: a
``.pdf`` that holds HTML is refused, and so is a renamed executable. Allowed are PDF, PNG,
JPEG, GIF, WebP, office documents (DOCX, XLSX, PPTX: a ZIP whose ``[Content_Types].xml``
names the main part; ODT, ODS: a ZIP whose first part is ``mimetype``) and UTF-8 text
(CSV or TXT: valid UTF-8, no NUL, and not markup a browser would run). Only the one
directory entry of a ZIP is read, capped in size, so a zip bomb costs nothing.

>>> sniff(b"%PDF-1.7\\n...", "report.pdf")
'application/pdf'
>>> try:
...     sniff(b"<html><script>alert(1)</script>", "report.pdf")
... except AttachmentRefused as refused:
...     print(refused)
report.pdf: markup (HTML, SVG, XML or script) is not allowed
>>> sanitise_name("../../etc/passwd")
'passwd'
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MEDIA_TYPES",
    "Attachment",
    "AttachmentRefused",
    "check",
    "sanitise_name",
    "sniff",
]

#: The default size limit of one file: 10 MB.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: The most of ``[Content_Types].xml`` (or ``mimetype``) that is read from an office file.
_CONTENT_TYPES_CAP = 256 * 1024
_NAME_CHARS = 120

_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
_ODF = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
#: Every media type a file may be stored and served as.
MEDIA_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/csv",
        "text/plain",
        *_OOXML.values(),
        *_ODF,
    }
)
_MARKUP = re.compile(rb"^\s*(<|\xef\xbb\xbf\s*<|#!)", re.ASCII)


class AttachmentRefused(ValueError):
    """A file that may not be attached; the message names the file and the reason."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    """What is recorded with a value or an evidence item about its file (never the file)."""

    sha256: str
    name: str
    media_type: str
    size: int
    added_by: str
    added_at: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ValueError(f"attachment: {self.sha256!r} is not a sha256 address")
        if self.media_type not in MEDIA_TYPES:
            raise ValueError(f"attachment: {self.media_type!r} is not an allowed media type")
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size < 1:
            raise ValueError(f"attachment: size {self.size!r} is not a positive whole number")
        if sanitise_name(self.name) != self.name:
            raise ValueError(f"attachment: {self.name!r} is not a sanitised file name")

    def to_dict(self) -> dict[str, str | int]:
        """A JSON-ready mapping (the inverse of :meth:`from_dict`)."""
        return {
            "sha256": self.sha256,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
            "added_by": self.added_by,
            "added_at": self.added_at,
        }

    @classmethod
    def from_dict(cls, data: object) -> Attachment:
        """The record from a stored mapping; a :class:`ValueError` names what is wrong.

        >>> a = Attachment("0" * 64, "a.pdf", "application/pdf", 3, "ann", "2026-12-03")
        >>> Attachment.from_dict(a.to_dict()) == a
        True
        """
        if not isinstance(data, dict):
            raise ValueError(f"attachment: must be a mapping, got {type(data).__name__}")
        fields = ("sha256", "name", "media_type", "size", "added_by", "added_at")
        if sorted(data) != sorted(fields):
            raise ValueError(f"attachment: needs exactly the fields {', '.join(fields)}")
        return cls(**{f: data[f] for f in fields})


def sanitise_name(name: str) -> str:
    """The name a file is shown and offered under: its last path part, printable, short.

    >>> sanitise_name("C:\\\\Users\\\\ann\\\\Rapport 2024.pdf")
    'Rapport 2024.pdf'
    >>> sanitise_name('a"b\\r\\n;c.csv')
    'a_b___c.csv'
    >>> sanitise_name("...")
    'file'
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join("_" if unicodedata.category(c)[0] == "C" or c in '"<>:|?*;' else c for c in base)
    base = base.strip(" .")
    if len(base) > _NAME_CHARS:
        _stem, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        base = base[: _NAME_CHARS - len(keep) - 1] + ("." + keep if keep else "")
    return base or "file"


def _office(data: bytes, file: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if names and names[0] == "mimetype":
            with archive.open("mimetype") as part:
                kind = part.read(_CONTENT_TYPES_CAP).decode("ascii", "replace").strip()
            if kind in _ODF:
                return kind
        if "[Content_Types].xml" in names:
            with archive.open("[Content_Types].xml") as part:
                types = part.read(_CONTENT_TYPES_CAP).decode("utf-8", "replace")
            for main, media in _OOXML.items():
                if f'ContentType="{main}"' in types:
                    return media
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise AttachmentRefused(file, f"not a readable office document ({exc})") from exc
    raise AttachmentRefused(file, "a ZIP archive that is not a DOCX, XLSX, PPTX, ODT or ODS")


def _text(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise AttachmentRefused(file, "not an allowed type (binary content)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AttachmentRefused(file, "not an allowed type (not UTF-8 text)") from exc
    if _MARKUP.match(data) or re.search(r"<\s*(script|svg|html|iframe)\b", text, re.I):
        raise AttachmentRefused(file, "markup (HTML, SVG, XML or script) is not allowed")
    return "text/csv" if file.lower().endswith(".csv") else "text/plain"


def sniff(data: bytes, file: str) -> str:
    """The media type of ``data`` from its first bytes, or :class:`AttachmentRefused`.

    ``file`` only names the file in the refusal and tells CSV from plain text.
    """
    if not data:
        raise AttachmentRefused(file, "the file is empty")
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        return _office(data, file)
    if data.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        raise AttachmentRefused(file, "a program is not allowed")
    return _text(data, file)


def check(data: bytes, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The media type of an acceptable file: within ``max_bytes`` and of an allowed type."""
    if len(data) > max_bytes:
        raise AttachmentRefused(
            file, f"{len(data):,} bytes is more than the limit of {max_bytes:,} bytes"
        )
    return sniff(data, file)
