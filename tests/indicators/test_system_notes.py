"""The system's notes on revisions: codes that round-trip, that no ordinary text forges, the
old English phrases read as the same notes, and what the importer, the workflow and an IATI
import store (each engine)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import importer, system_notes
from indicators.errors import ConflictError, WorkflowError
from indicators.model import MeasurementValue
from indicators.system_notes import (
    ACTIONS,
    CODES,
    PREFIX,
    SystemNote,
    encode,
    english,
    import_note,
    parse,
    shown,
)
from indicators.workflow import apply_step
from tests.indicators.conftest import T0
from tests.indicators.test_importer import GOOD, write_csv

any_text = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def notes(draw):
    code = draw(st.sampled_from(sorted(CODES)))
    args = {name: draw(any_text) for name in CODES[code]}
    if code == "conflict":
        args["action"] = draw(st.sampled_from(ACTIONS))
    return code, args


@given(notes())
def test_a_code_reads_back_as_the_note_it_encodes(note):
    code, args = note
    text = encode(code, **args)
    assert text.startswith(PREFIX) and "\n" not in text
    assert parse(text) == SystemNote(code, tuple((n, args[n]) for n in CODES[code]))
    assert shown(text) == english(parse(text))


@given(any_text)
def test_ordinary_text_is_never_a_code(text):
    if not text.startswith(("import ", "IATI import of ")) and not text.endswith(
        " refused: conflict"
    ):  # not an old English phrase of the system
        assert parse(text) is None and shown(text) == text


@given(any_text)
def test_only_what_encode_writes_parses_as_a_code(text):
    note = parse(PREFIX + text)
    if note is not None:
        assert encode(note.code, **dict(note.args)) == PREFIX + text


@given(notes(), st.text(min_size=1, max_size=5))
def test_a_changed_code_is_a_persons_text(note, extra):
    code, args = note
    text = encode(code, **args)
    for forged in (text + " " + extra, text.replace(" ", "  ", 1), text.upper()):
        if forged != text:
            assert parse(forged) is None


@pytest.mark.parametrize(
    "text",
    [
        PREFIX,
        PREFIX + "import",
        PREFIX + "import file=a.csv extra=1",
        PREFIX + "import name=a.csv",
        PREFIX + "unknown file=a.csv",
        PREFIX + "import file=a b.csv",
        PREFIX + "import file=a%2",
        PREFIX + "import file=%ff",
        PREFIX + "import file=a%2ecsv",  # encode writes "." itself, not %2e
        PREFIX + "conflict action=delete",
        "pathways:import file=a.csv",
        "Import data.csv",
        "imported data.csv by hand",
        "save refused: conflict, I think",
    ],
)
def test_near_misses_are_a_persons_text(text):
    assert parse(text) is None and shown(text) == text


@pytest.mark.parametrize(
    ("old", "note", "words"),
    [
        ("import a.csv", SystemNote("import", (("file", "a.csv"),)), "imported from a.csv"),
        (
            "import my values.xlsx (approved on import)",
            SystemNote("import_approved", (("file", "my values.xlsx"),)),
            "imported from my values.xlsx and approved on import",
        ),
        (
            "submit refused: conflict",
            SystemNote("conflict", (("action", "submit"),)),
            "submit refused: the value had been changed meanwhile",
        ),
        (
            "IATI import of XM-1/south from f.xml",
            SystemNote("iati_import", (("activity", "XM-1/south"), ("file", "f.xml"))),
            "IATI import of XM-1/south from f.xml",
        ),
        (
            "IATI import of an activity from f.xml",
            SystemNote("iati_import", (("activity", ""), ("file", "f.xml"))),
            "IATI import from f.xml",
        ),
    ],
)
def test_the_old_english_phrases_read_as_the_same_notes(old, note, words):
    assert parse(old) == note
    assert shown(old) == words == english(note)
    new = encode(note.code, **dict(note.args))
    assert shown(new) == shown(old)


def test_a_wrong_code_or_argument_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown note code"):
        encode("delete", file="a")
    with pytest.raises(ValueError, match="takes file"):
        encode("import", name="a")
    with pytest.raises(ValueError, match="unknown workflow step"):
        system_notes.conflict_note("delete")


def test_an_import_stores_a_code_not_english(istore, tmp_path):
    path = write_csv(tmp_path / "import data.csv", GOOD)
    importer.import_file(istore, path, author="ann", role="contributor")
    importer.import_file(istore, path, author="bo", role="me_officer", approve=True)
    reasons = {(r.revision, r.reason) for r in istore.measurement_revisions()}
    assert reasons == {
        (1, import_note("import data.csv", approved=False)),
        (2, import_note("import data.csv", approved=True)),
    }
    assert {shown(reason) for _, reason in reasons} == {
        "imported from import data.csv",
        "imported from import data.csv and approved on import",
    }


def test_a_conflict_copy_stores_a_code_and_a_persons_reason_is_kept(istore):
    def save(value, base, reason=""):
        return apply_step(
            istore, "ind.count", "2027", "save", author="ann", role="contributor",
            base_revision=base, value=MeasurementValue(value), reason=reason, now=T0,
        )  # fmt: skip

    save(1, 0, reason="counted by hand")
    with pytest.raises(ConflictError, match="edited revision 0"):
        save(2, 0)
    with pytest.raises(ConflictError, match="edited revision 0"):
        save(3, 0, reason="my own words")
    reasons = [r.reason for r in istore.measurement_revisions("ind.count", "2027")]
    assert reasons == ["counted by hand", encode("conflict", action="save"), "my own words"]


@pytest.mark.parametrize("reason", ["import x.csv", encode("import", file="x.csv")])
def test_a_persons_reason_that_reads_as_the_systems_is_refused(istore, reason):
    with pytest.raises(WorkflowError, match="reads as a note the system writes") as refused:
        apply_step(istore, "ind.count", "2027", "save", author="ann", role="contributor",
                   value=MeasurementValue(1), reason=reason, now=T0)  # fmt: skip
    assert refused.value.reason == "system_reason"
    assert istore.measurement_revisions("ind.count", "2027") == []
