"""Reading a ZIP archive from an untrusted file (an XLSX workbook is one) without trusting it.

Before anything is inflated, the archive's directory is checked: the end record is read by
hand, so a directory of a million entries is refused before Python builds an object per
entry; then each part's name (no absolute or parent paths, no two parts of one name), that
it is not encrypted, its compression method (stored or deflate), its declared inflated size
(per part, in all) and compression ratio, and that no two parts share compressed bytes (the
overlapping-entry zip bomb). Declared sizes may lie, so :meth:`ZipArchive.stream` inflates a
part chunk by chunk and stops as soon as more comes out than declared (a gigabyte hidden
behind a declared kilobyte costs a megabyte); at the end the size and the CRC-32 must match
what the archive declares. Memory stays at a chunk whatever the part.

Every refusal is a :class:`~indicators.file_limits.FileRefused` naming the file, the part and
the limit.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO

from indicators.file_limits import FileRefused, ImportLimits

__all__ = ["CHUNK", "Part", "ZipArchive"]

#: Bytes inflated at a time.
CHUNK = 1024 * 1024
_READ = 64 * 1024
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL_ENTRY_MIN = 46
#: Bytes of central directory allowed per part: a header and a name of up to ~1,000 bytes.
_DIRECTORY_PER_PART = 1024
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
#: Parts smaller than this are not held to the ratio (tiny parts compress oddly).
_RATIO_FROM = 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One part of the archive as its directory declares it, and where its data starts."""

    name: str
    size: int
    compressed: int
    crc: int
    method: int
    header_at: int
    data_at: int


def _unsafe(name: str) -> bool:
    if not name or "\\" in name or name.startswith("/") or any(ord(c) < 32 for c in name):
        return True
    if len(name) > 1 and name[1] == ":":
        return True  # a drive letter
    return any(segment == ".." for segment in name.split("/"))


class ZipArchive:
    """An untrusted ZIP archive, its directory checked (see the module docstring). Use as a
    context manager; ``parts`` lists the parts in the order of their data in the file."""

    def __init__(self, path: Path, limits: ImportLimits, file: str | None = None) -> None:
        self.path, self.limits, self.file = path, limits, file or str(path)
        self._fh: IO[bytes] | None = None
        self.parts: list[Part] = []

    def __enter__(self) -> ZipArchive:
        self._fh = open(self.path, "rb")
        try:
            self._check_end_record()
            self.parts = self._read_directory()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def part(self, name: str) -> Part | None:
        """The part named ``name`` (None when there is none)."""
        return next((p for p in self.parts if p.name == name), None)

    def _refuse(self, reason: str, **details: object) -> FileRefused:
        return FileRefused(self.file, reason, **details)

    def _too_many(self, count: int | str) -> FileRefused:
        return self._refuse(
            "too_many_parts",
            count=count,
            parts=self.limits.parts,
            setting=self.limits.setting("parts"),
        )

    # -- the directory -------------------------------------------------------------------

    def _check_end_record(self) -> None:
        """How many parts the archive declares and how large its directory is, from the end
        record (as zipfile finds it: at the very end, else the last one in the comment)."""
        fh = self._fh
        assert fh is not None
        size = fh.seek(0, 2)
        tail_size = min(size, _EOCD.size + 65535)
        fh.seek(size - tail_size)
        tail = fh.read(tail_size)
        at = len(tail) - _EOCD.size
        if at < 0 or tail[at : at + 4] != b"PK\x05\x06" or tail[-2:] != b"\x00\x00":
            at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            raise self._refuse("not_xlsx", detail="no ZIP directory (truncated, or not a ZIP)")
        _, disk, cd_disk, _, entries, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
        if 0xFFFF in (disk, cd_disk, entries) or 0xFFFFFFFF in (cd_size, cd_offset):
            entries, cd_size = self._zip64_counts(size - tail_size + at)
        elif disk or cd_disk:
            raise self._refuse("not_xlsx", detail="a ZIP archive split over several files")
        if entries > self.limits.parts:
            raise self._too_many(f"{entries:,}")
        if cd_size > self.limits.parts * _DIRECTORY_PER_PART:
            raise self._too_many(f"about {cd_size // _CENTRAL_ENTRY_MIN:,}")

    def _zip64_counts(self, eocd_at: int) -> tuple[int, int]:
        fh = self._fh
        assert fh is not None
        if eocd_at < _EOCD64_LOCATOR.size:
            raise self._refuse("not_xlsx", detail="a damaged ZIP64 directory")
        fh.seek(eocd_at - _EOCD64_LOCATOR.size)
        sig, _, offset, disks = _EOCD64_LOCATOR.unpack(fh.read(_EOCD64_LOCATOR.size))
        if sig != b"PK\x06\x07":
            raise self._refuse("not_xlsx", detail="a damaged ZIP64 directory")
        if disks > 1:
            raise self._refuse("not_xlsx", detail="a ZIP archive split over several files")
        fh.seek(offset)
        record = fh.read(_EOCD64.size)
        if len(record) < _EOCD64.size or record[:4] != b"PK\x06\x06":
            raise self._refuse("not_xlsx", detail="a damaged ZIP64 directory")
        fields = _EOCD64.unpack(record)
        return fields[7], fields[8]

    def _read_directory(self) -> list[Part]:
        try:
            with zipfile.ZipFile(self.path) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            raise self._refuse("not_xlsx", detail=str(e) or type(e).__name__) from None
        limits = self.limits
        if len(infos) > limits.parts:
            raise self._too_many(f"{len(infos):,}")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe(info.orig_filename) or _unsafe(name):
                raise self._refuse("unsafe_name", part=info.orig_filename)
            if name.lower() in seen:  # calamine finds parts whatever their case
                raise self._refuse("duplicate_part", part=name)
            seen.add(name.lower())
            if info.flag_bits & 0x1:
                raise self._refuse("encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self._refuse("compression", part=name, method=info.compress_type)
            if info.file_size > limits.part_bytes:
                raise self._refuse(
                    "part_too_large",
                    part=name,
                    size=info.file_size,
                    limit=limits.part_bytes,
                    setting=limits.setting("part_bytes"),
                )
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > _RATIO_FROM and ratio > limits.ratio:
                raise self._refuse(
                    "ratio",
                    part=name,
                    ratio=ratio,
                    times=limits.ratio,
                    setting=limits.setting("ratio"),
                )
            total += info.file_size
        if total > limits.inflated_bytes:
            raise self._refuse(
                "inflated_too_large",
                size=total,
                limit=limits.inflated_bytes,
                setting=limits.setting("inflated_bytes"),
            )
        parts = sorted((self._located(info) for info in infos), key=lambda p: p.header_at)
        for before, after in pairwise(parts):
            if before.data_at + before.compressed > after.header_at:
                raise self._refuse("overlap", part=before.name, other=after.name)
        return parts

    def _located(self, info: zipfile.ZipInfo) -> Part:
        """The part of ``info``, with where its data starts (after its local header, whose
        name must be the directory's)."""
        fh = self._fh
        assert fh is not None
        fh.seek(info.header_offset)
        header = fh.read(_LOCAL.size)
        if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
            raise self._refuse("damaged", part=info.filename, detail="no local header")
        name_length, extra_length = _LOCAL.unpack(header)[-2:]
        local_name = fh.read(name_length)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if local_name != info.orig_filename.encode(encoding, "replace"):
            raise self._refuse(
                "damaged", part=info.filename, detail="its two names in the archive differ"
            )
        data_at = info.header_offset + _LOCAL.size + name_length + extra_length
        end = fh.seek(0, 2)
        if data_at + info.compress_size > end:
            raise self._refuse("damaged", part=info.filename, detail="the file is truncated")
        return Part(
            info.filename,
            info.file_size,
            info.compress_size,
            info.CRC,
            info.compress_type,
            info.header_offset,
            data_at,
        )

    # -- inflating -----------------------------------------------------------------------

    def stream(self, part: Part, chunk: int = CHUNK) -> Iterator[bytes]:
        """The inflated bytes of ``part``, at most ``chunk`` at a time. Stops with
        :class:`FileRefused` as soon as more comes out than the archive declares (declared
        sizes were held to the limits); at the end, the size and CRC-32 must be those
        declared, and the part must not be an archive itself."""
        fh = self._fh
        assert fh is not None
        total = crc = 0
        for data in self._inflate(fh, part, chunk):
            total += len(data)
            if total > part.size:  # never more than declared, which is within the limit
                raise self._refuse("inflates_beyond", part=part.name, declared=part.size)
            if total == len(data) and data[:4] in _ARCHIVE_MAGIC:
                raise self._refuse("nested_archive", part=part.name)
            crc = zlib.crc32(data, crc)
            yield data
        if total != part.size:
            raise self._refuse(
                "size_mismatch",
                part=part.name,
                detail=f"{part.size:,} bytes declared, {total:,} inflated",
            )
        if crc != part.crc:
            raise self._refuse("damaged", part=part.name, detail="its CRC-32 does not match")

    def _inflate(self, fh: IO[bytes], part: Part, chunk: int) -> Iterator[bytes]:
        fh.seek(part.data_at)
        left = part.compressed
        if part.method == zipfile.ZIP_STORED:
            while left:
                data = fh.read(min(left, chunk))
                if not data:
                    raise self._refuse("damaged", part=part.name, detail="the file is truncated")
                left -= len(data)
                yield data
            return
        inflater = zlib.decompressobj(-15)
        pending = b""
        try:
            while not inflater.eof:
                if not pending:
                    if not left:
                        break
                    pending = fh.read(min(left, _READ))
                    if not pending:
                        break
                    left -= len(pending)
                data = inflater.decompress(pending, chunk)
                pending = inflater.unconsumed_tail
                if data:
                    yield data
        except zlib.error as e:
            raise self._refuse("damaged", part=part.name, detail=str(e)) from None
        if not inflater.eof:
            raise self._refuse(
                "damaged", part=part.name, detail="its compressed data ends too early"
            )

    def read(self, part: Part, most: int) -> bytes:
        """A small part whole (the workbook's list of sheets): at most ``most`` bytes."""
        if part.size > most:
            raise self._refuse("listing_too_large", part=part.name, size=part.size, limit=most)
        return b"".join(self.stream(part))
