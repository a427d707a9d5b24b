"""Tests for toc.attachments: the type from magic bytes, the size limit, the shown name."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toc.attachments import MEDIA_TYPES, AttachmentRefused, check, sanitise_name, sniff


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_TYPES = (
    b'<Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@given(st.binary(min_size=1, max_size=200))
def test_random_bytes_are_never_a_pdf_without_the_pdf_magic(data: bytes) -> None:
    try:
        media = sniff(data, "x.pdf")
    except AttachmentRefused:
        return
    assert media in MEDIA_TYPES
    assert (media == "application/pdf") == data.startswith(b"%PDF-")


@given(st.binary(max_size=200))
def test_anything_after_the_pdf_magic_is_a_pdf(rest: bytes) -> None:
    assert sniff(b"%PDF-" + rest, "r.bin") == "application/pdf"


@pytest.mark.parametrize(
    ("data", "name", "media"),
    [
        (b"\x89PNG\r\n\x1a\n....", "a.png", "image/png"),
        (b"\xff\xd8\xff\xe0....", "a.jpg", "image/jpeg"),
        (b"GIF89a....", "a.gif", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a.webp", "image/webp"),
        (b"gemeente;waarde\nGent;3\n", "data.csv", "text/csv"),
        ("Verslag — één".encode(), "notes.txt", "text/plain"),
        (
            _zip({"[Content_Types].xml": DOCX_TYPES}),
            "a.docx",
            next(iter(m for m in MEDIA_TYPES if m.endswith("wordprocessingml.document"))),
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "a.ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
)
def test_allowed_types(data: bytes, name: str, media: str) -> None:
    assert sniff(data, name) == media


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"MZ\x90\x00\x03", "program"),
        (b"\x7fELF\x02\x01", "program"),
        (b"<!DOCTYPE html><html>", "markup"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>", "markup"),
        (b"#!/bin/sh\nrm -rf /", "markup"),
        (b"a,b\n<script>alert(1)</script>", "markup"),
        (b"abc\x00def", "binary"),
        (b"\xff\xfeab", "UTF-8"),
        (_zip({"word/document.xml": b"<w/>"}), "ZIP archive"),
        (b"PK\x03\x04 not really a zip", "office"),
        (b"", "empty"),
    ],
)
def test_refused_whatever_the_name(data: bytes, reason: str) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        sniff(data, "report.pdf")
    assert str(refused.value).startswith("report.pdf: ")
    assert reason in refused.value.reason


def test_size_limit_names_file_and_limit() -> None:
    assert check(b"%PDF-" + b"x" * 95, "a.pdf", max_bytes=100) == "application/pdf"
    with pytest.raises(AttachmentRefused, match=r"a\.pdf: 101 bytes is more than the limit"):
        check(b"%PDF-" + b"x" * 96, "a.pdf", max_bytes=100)


@given(st.text(max_size=300))
def test_sanitised_names_are_safe(name: str) -> None:
    clean = sanitise_name(name)
    assert clean and len(clean) <= 120
    assert not set(clean) & set('/\\"<>:|?*;\r\n\x00')
    assert clean not in {".", ".."}
