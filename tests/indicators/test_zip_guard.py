"""An untrusted ZIP archive read within limits (indicators/zip_guard.py): the directory checks,
and parts inflated as capped streams whose size and CRC must be the declared ones."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.file_limits import MB, FileRefused, ImportLimits
from indicators.zip_guard import ZipArchive
from tests.security.spreadsheets.hostile_files import archive, deflated, noise, repeated


def _refused(tmp_path, data: bytes, limits: ImportLimits | None = None, stream=True):
    limits = limits or ImportLimits()
    path = tmp_path / "a.zip"
    path.write_bytes(data)
    with pytest.raises(FileRefused) as refused, ZipArchive(path, limits, "a.zip") as z:
        for part in z.parts if stream else ():
            for _ in z.stream(part):
                pass
    return refused.value


def test_parts_come_out_as_they_went_in(tmp_path):
    path = tmp_path / "a.zip"
    content = noise(3 * MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.xml", content)
        z.writestr("stored.txt", b"plain", compress_type=zipfile.ZIP_STORED)
    with ZipArchive(path, ImportLimits(), "a.zip") as z:
        assert [p.name for p in z.parts] == ["big.xml", "stored.txt"]
        chunks = list(z.stream(z.parts[0]))
        assert b"".join(chunks) == content and max(map(len, chunks)) <= MB
        assert z.read(z.part("stored.txt"), 100) == b"plain"


@given(st.binary(max_size=5000), st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
@settings(max_examples=40, deadline=None)
def test_any_content_round_trips(tmp_path_factory, content, method):
    assume(content[:4] not in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"))  # archives
    path = tmp_path_factory.mktemp("z") / "a.zip"
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("x.bin", content)
    with ZipArchive(path, ImportLimits(), "a.zip") as z:
        assert b"".join(z.stream(z.parts[0])) == content


def test_declared_sizes_are_held_to_the_limits(tmp_path):
    limits = ImportLimits(part_bytes=10 * MB, inflated_bytes=15 * MB, ratio=50)
    big = repeated("s.xml", b"<a>", b"x" * MB, 11, b"</a>")
    refused = _refused(tmp_path, archive([big]), limits, stream=False)
    assert refused.reason == "part_too_large" and refused.details["size"] == 11 * MB + 7
    parts = [deflated(f"p{i}.xml", noise(6 * MB)) for i in range(3)]
    assert _refused(tmp_path, archive(parts), limits, stream=False).reason == "inflated_too_large"
    squeezed = repeated("s.xml", b"", b"y" * MB, 5, b"")
    refused = _refused(tmp_path, archive([squeezed]), limits, stream=False)
    assert refused.reason == "ratio" and refused.details["ratio"] > 50


def test_a_part_that_inflates_beyond_its_declared_size_is_stopped_at_once(tmp_path):
    lying = repeated("s.xml", b"<a>", b"x" * MB, 1000, b"</a>", declared=4096)
    refused = _refused(tmp_path, archive([lying]))
    assert refused.reason == "inflates_beyond" and refused.details["declared"] == 4096


def test_a_part_that_inflates_short_of_its_declared_size_is_refused(tmp_path):
    short = deflated("s.xml", b"hello", size=6)
    assert _refused(tmp_path, archive([short])).reason == "size_mismatch"


def test_the_directory_is_counted_before_python_reads_it(tmp_path):
    parts = [deflated(f"p{i}", b"") for i in range(50)]
    refused = _refused(tmp_path, archive(parts), ImportLimits(parts=10), stream=False)
    assert refused.reason == "too_many_parts" and refused.details["count"] == "50"


def test_truncated_compressed_data_is_damage(tmp_path):
    whole = deflated("s.xml", noise(100_000))
    whole.data = whole.data[: len(whole.data) // 2]
    refused = _refused(tmp_path, archive([whole]))
    assert refused.reason == "damaged" and "ends too early" in refused.details["detail"]


def test_garbage_compressed_data_is_damage(tmp_path):
    bad = deflated("s.xml", b"x")
    bad.data = b"\xff\xff\xff\xff"
    assert _refused(tmp_path, archive([bad])).reason == "damaged"


def test_a_part_that_is_an_archive_is_refused(tmp_path):
    inner = archive([deflated("x.xml", b"<x/>")])
    refused = _refused(tmp_path, archive([deflated("xl/embeddings/a.xlsx", inner)]))
    assert (refused.reason, refused.details["part"]) == ("nested_archive", "xl/embeddings/a.xlsx")
