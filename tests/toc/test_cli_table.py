"""The one table printer of the command line (toc/cli_table.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toc.cli_table import ELLIPSIS, NULL, cell_text, cut, number_text, table_lines


def test_nulls_amounts_and_decimals_follow_the_language():
    assert cell_text(None) == NULL == "—"
    assert cell_text(1379829.0, "en") == "1,379,829" and cell_text(1379829.0, "nl") == "1.379.829"
    assert cell_text(13.5, "nl") == "13,5" and cell_text(13.5, "en") == "13.5"
    assert cell_text(0.11857, "nl") == "0,1186"
    assert cell_text(2027) == "2027"  # a year is not grouped
    assert number_text(48.568075117370896, 1, "nl") == "48,6"


def test_a_cut_cell_ends_in_an_ellipsis():
    lines = table_lines(["name", "n"], [("x" * 50, None), ("short", 3)], width=40)
    first, second = lines[2], lines[3]
    assert first.startswith("x" * 39 + ELLIPSIS) and first.endswith(NULL)
    assert second.split() == ["short", "3"] and lines[-1] == "(2 rows)"


@given(st.text(max_size=80), st.integers(min_value=1, max_value=60))
def test_cut_keeps_short_text_and_marks_long_text(text, width):
    out = cut(text, width)
    flat = text.replace("\n", " ")
    assert len(out) <= width
    assert out == flat if len(flat) <= width else out.endswith(ELLIPSIS)
