"""The system's messages on plan and indicator versions: codes that round-trip, that no
ordinary text forges, the old English phrases read as the same notes, and what the store and
the command line keep and print."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toc import version_notes
from toc.coded_notes import PREFIX, CodedNote
from toc.version_notes import (
    CODES,
    english,
    indicator_note,
    link_note,
    load_note,
    node_note,
    parse,
    restore_note,
    shown,
)

any_text = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def notes(draw):
    code = draw(st.sampled_from(sorted(CODES)))
    return code, {name: draw(any_text) for name in CODES[code]}


@given(notes())
def test_a_code_reads_back_as_what_was_encoded(note):
    code, args = note
    from toc.coded_notes import encode

    text = encode(CODES, code, **args)
    assert parse(text) == CodedNote(code, tuple((n, args[n]) for n in CODES[code]))
    assert text.count(" ") == len(args)  # arguments are quoted: no space inside one
    assert english(parse(text))  # every code has English words


@given(any_text)
def test_text_without_the_prefix_is_never_read_as_a_code(text):
    note = parse(text)
    assert note is None or not text.startswith(PREFIX)


@pytest.mark.parametrize(
    "text",
    [
        PREFIX + "node_added kind=Output",  # an argument missing
        PREFIX + "node_added id=o1 kind=Output",  # out of order
        PREFIX + "node_added kind=Output id=o%2E1",  # quoted otherwise than encode writes
        PREFIX + "node_renamed kind=Output id=o1",  # no such code
    ],
)
def test_a_code_spelt_otherwise_is_a_persons_text(text):
    assert parse(text) is None and shown(text) == text


@pytest.mark.parametrize(
    ("old", "note"),
    [
        ("Output so1.o1.op1 added", node_note("added", "Output", "so1.o1.op1")),
        ("Assumption a1 changed", node_note("changed", "Assumption", "a1")),
        ("Strategy s2 removed", node_note("removed", "Strategy", "s2")),
        ("Link s1 → so1.o1 changed", link_note("changed", "s1", "so1.o1")),
        ("Link s1 → so1.o1 removed", link_note("removed", "s1", "so1.o1")),
        ("indicator ind.s1 added", indicator_note("added", "ind.s1")),
        ("load vvsg-2027-2036.yaml", load_note("vvsg-2027-2036.yaml")),
        ("load indicators v2.json", load_note("indicators v2.json")),
        ("restore version 3", restore_note(3)),
    ],
)
def test_the_english_phrases_of_older_stores_read_as_the_same_notes(old, note):
    assert parse(old) == parse(note)


@pytest.mark.parametrize(
    "text",
    [
        "VVSG plan (demo)",
        "Budget changed",  # not a kind: a person's words
        "Outcome added",  # no id
        "load the new plan",  # not a plan or indicator file
        "restore version three",
        "",
    ],
)
def test_a_persons_message_is_shown_as_typed(text):
    assert parse(text) is None and shown(text) == text


def test_english_words():
    assert shown(node_note("added", "Output", "o1")) == "Output o1 added"
    assert shown(link_note("removed", "s1", "o1")) == "link s1 → o1 removed"
    assert shown(indicator_note("changed", "ind.x")) == "indicator ind.x changed"
    assert shown(load_note("plan.yaml")) == "loaded from plan.yaml"
    assert shown(restore_note(4)) == "restored version 4"


def test_a_wrong_edit_or_argument_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown edit"):
        node_note("renamed", "Output", "o1")
    with pytest.raises(ValueError, match="unknown note code"):
        version_notes.encode(CODES, "delete", id="a")


def test_the_store_and_the_command_line_keep_codes_and_print_english(tmp_path):
    from click.testing import CliRunner

    from cli.main import cli
    from graphdb import open_store
    from tests.conftest import small_plan
    from toc.planfile import dump

    plan_file, store = tmp_path / "plan one.yaml", str(tmp_path / "s.lbug")
    dump(small_plan(), plan_file)
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "load", str(plan_file)]).exit_code == 0
    with open_store(store) as s:
        (version,) = s.revisions()
    assert version.message == load_note("plan one.yaml")
    history = runner.invoke(cli, ["--store", store, "history"]).output
    assert "loaded from plan one.yaml" in history and PREFIX not in history
