"""The IATI import benchmark runs end to end at a tiny size: its generated file is a valid
IATI 2.03 file, every period's value is imported, and the figures are printed."""

from __future__ import annotations

import re

from lxml import etree

from bench import iati_import
from indicators.iati_validate import schema, validate_file


def test_the_generated_file_is_valid_iati(tmp_path):
    data = iati_import.iati_file(3, 2)
    root = etree.fromstring(data)
    assert schema().validate(root), schema().error_log
    (tmp_path / "bench.xml").write_bytes(data)
    assert validate_file(tmp_path / "bench.xml") == []
    assert len(root.findall("iati-activity")) == 3
    assert len(root.findall(".//period")) == 3 * 2 * 2 * 2


def test_a_tiny_run(capsys):
    iati_import.main(["--activities", "3", "--periods", "2"])
    out = capsys.readouterr().out
    assert re.search(
        r"IATI import of 3 activities, 24 indicator periods \(24 values\) into a fresh "
        r"embedded store: [\d.]+ s \(target < 10 s\); lxml parse alone: [\d.]+ s; ratio \d+x",
        out,
    ), out
