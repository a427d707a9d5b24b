"""docs/confidence.md and docs/learning.md say what the code computes: their examples run as
doctests, and the likelihood and band tables are the code's."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from toc.confidence import BAND_LABELS, BAND_LIMITS, LIKELIHOODS, Band
from toc.evidence import EvidenceKind, Strength

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "confidence.md"


@pytest.mark.parametrize("name, examples", [("confidence.md", 10), ("learning.md", 12)])
def test_the_examples_run(monkeypatch, name, examples):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / "docs" / name), module_relative=False)
    assert result.attempted >= examples
    assert result.failed == 0


def table_rows(heading: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif rows:
            break
    return rows[2:]  # past the header and the rule


def test_the_likelihood_table_is_the_code_s():
    rows = table_rows("## The likelihood table")
    found = {}
    for kind, strength, p_h, p_not_h, ratio_for, ratio_against in rows:
        key = (EvidenceKind(kind), Strength(strength))
        found[key] = (float(p_h), float(p_not_h))
        code_h, code_not_h = LIKELIHOODS[key]
        assert float(ratio_for) == pytest.approx(code_h / code_not_h, abs=0.006)
        assert float(ratio_against) == pytest.approx(code_not_h / code_h, abs=0.006)
    assert found == dict(LIKELIHOODS)


def test_the_band_table_is_the_code_s():
    rows = table_rows("## Bands")
    assert [row[0].strip("`") for row in rows] == [b.value for b in Band]
    for name, _, nl, en in rows:
        label = BAND_LABELS[Band(name.strip("`"))]
        assert (label.nl, label.en) == (nl, en)
    limits = sorted(limit for limit, _ in BAND_LIMITS)
    stated = [float(x) for x in re.findall(r"0\.\d+", " ".join(row[1] for row in rows))]
    assert sorted(set(stated)) == limits
