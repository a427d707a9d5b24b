"""Import limits as settings, and the CSV checks made before a file is read
(indicators/file_limits.py)."""

from __future__ import annotations

import pytest

from indicators.errors import IndicatorError
from indicators.file_limits import (
    MAX_LINE_BYTES,
    MB,
    FileRefused,
    ImportLimits,
    check_csv,
    check_size,
    part_kind,
)


def test_the_defaults_and_every_setting():
    assert ImportLimits() == ImportLimits(100 * MB, 200 * MB, 300 * MB, 1_000, 200, 5_000_000)
    env = {v: str(i + 1) for i, v in enumerate(ImportLimits.ENV.values())}
    assert ImportLimits.from_environ(env) == ImportLimits(1, 2, 3, 4, 5, 6)
    config = {v.removeprefix("TOC_"): i + 7 for i, v in enumerate(ImportLimits.ENV.values())}
    assert ImportLimits.from_config(config) == ImportLimits(7, 8, 9, 10, 11, 12)
    assert ImportLimits.from_environ({"TOC_IMPORT_MAX_CELLS": " "}) == ImportLimits()


@pytest.mark.parametrize("text", ["0", "-1", "ten", "1.5"])
def test_a_setting_must_be_a_positive_whole_number(text):
    with pytest.raises(IndicatorError, match="TOC_IMPORT_MAX_PARTS must be a positive whole"):
        ImportLimits.from_environ({"TOC_IMPORT_MAX_PARTS": text})


def test_the_size_on_disk(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * 2048)
    assert check_size(path, ImportLimits(file_bytes=2048)) == 2048
    with pytest.raises(FileRefused) as refused:
        check_size(path, ImportLimits(file_bytes=1024), "f.csv")
    assert str(refused.value) == (
        "f.csv: the file is 2.0 KB; the limit is 1.0 KB (TOC_IMPORT_MAX_BYTES / IMPORT_MAX_BYTES)"
    )
    assert refused.value.details == {
        "size": 2048,
        "limit": 1024,
        "setting": "TOC_IMPORT_MAX_BYTES / IMPORT_MAX_BYTES",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n3,\x004\n", "f.csv: line 3 holds a control character (U+0000 (NUL))"),
        (b"a,b\n1,\x07\n", "f.csv: line 2 holds a control character (U+0007)"),
        (b"a\x7f\n", "f.csv: line 1 holds a control character (U+007F (DEL))"),
    ],
)
def test_control_characters_are_refused_with_their_line(tmp_path, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as refused:
        check_csv(path, ImportLimits(), "f.csv")
    assert str(refused.value) == message + ", which a cell cannot hold; remove it"


def test_tabs_and_line_breaks_are_text(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\r\n"x\ty",z\r\n')
    check_csv(path, ImportLimits())


def test_a_line_over_a_megabyte_is_refused_even_across_chunks(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" + b"1," * (MAX_LINE_BYTES // 2 + 10) + b"\nok\n")
    with pytest.raises(FileRefused) as refused:
        check_csv(path, ImportLimits(), "f.csv")
    assert (refused.value.reason, refused.value.details["line"]) == ("line_too_long", 2)
    path.write_bytes(b"a,b\n" + (b"1," * 1000 + b"\n") * 2000)  # many lines, none too long
    check_csv(path, ImportLimits())


def test_part_kinds():
    assert [part_kind(p) for p in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "")] == [
        "sheet",
        "shared strings",
        "part",
    ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_file_is_checked_as_its_text(tmp_path, codec):
    """Its zero bytes are halves of characters, not NULs; a real control character is still
    found, on its line."""
    path = tmp_path / "f.csv"
    bom = {"utf-16-be": "\ufeff"}.get(codec, "")
    path.write_bytes((bom + "a,b\n1,2\n").encode(codec))
    check_csv(path, ImportLimits())
    path.write_bytes((bom + "a,b\n1,\x07\n").encode(codec))
    with pytest.raises(FileRefused) as refused:
        check_csv(path, ImportLimits(), "f.csv")
    assert refused.value.details["line"] == 2
