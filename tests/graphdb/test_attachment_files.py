"""Tests for graphdb.attachment_files: content addresses, atomic writes, clean-up, copying."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graphdb.attachment_files import AttachmentFiles, files_folder
from toc.attachments import AttachmentRefused

PDF = b"%PDF-1.4\nhello\n"


def test_put_keeps_the_file_under_its_hash_never_its_name(tmp_path: Path) -> None:
    files = AttachmentFiles(files_folder(str(tmp_path / "plan.lbdb")))
    record = files.put(PDF, "../../Rapport.pdf", who="ann", when="2026-12-03")
    assert record.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (record.name, record.media_type, record.size) == ("Rapport.pdf", "application/pdf", 15)
    assert [p.name for p in (tmp_path / "plan.lbdb.files").iterdir()] == [record.sha256]
    assert files.read(record.sha256) == PDF


def test_refused_file_leaves_nothing(tmp_path: Path) -> None:
    files = AttachmentFiles(tmp_path / "f", max_bytes=10)
    with pytest.raises(AttachmentRefused):
        files.put(b"<html>", "x.pdf", who="ann", when="t")
    with pytest.raises(AttachmentRefused):
        files.put(PDF, "big.pdf", who="ann", when="t")
    assert not (tmp_path / "f").exists()


def test_failed_record_save_leaves_only_garbage_that_is_collected(tmp_path: Path) -> None:
    files = AttachmentFiles(tmp_path / "f")
    kept = files.put(PDF, "a.pdf", who="ann", when="t")
    records = [kept.sha256]

    def save_that_fails() -> None:
        files.put(b"%PDF-orphan", "b.pdf", who="ann", when="t")
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        save_that_fails()
    (tmp_path / "f" / ".incoming-left").write_bytes(b"half")
    assert len(files.addresses()) == 2
    removed = files.collect_garbage(records)
    assert removed == [hashlib.sha256(b"%PDF-orphan").hexdigest()]
    assert files.addresses() == {kept.sha256}
    assert not list((tmp_path / "f").glob(".incoming-*"))


def test_malformed_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a file address"):
        AttachmentFiles(tmp_path).path("../etc/passwd")


def test_copy_to_verifies_hashes(tmp_path: Path) -> None:
    source = AttachmentFiles(tmp_path / "a")
    record = source.put(PDF, "a.pdf", who="ann", when="t")
    target = AttachmentFiles(tmp_path / "b")
    assert source.copy_to(target) == 1
    assert target.read(record.sha256) == PDF
    source.path(record.sha256).write_bytes(b"%PDF-tampered")
    with pytest.raises(ValueError, match="does not match its hash"):
        source.copy_to(AttachmentFiles(tmp_path / "c"))
