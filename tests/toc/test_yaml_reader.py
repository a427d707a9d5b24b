"""Untrusted YAML read within limits: every problem a PlanError with its line, nothing else."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toc.errors import PlanError
from toc.limits import PLAN_FILE, FileLimits
from toc.yaml_reader import LineDict, read_text_file, read_yaml

SMALL = FileLimits(max_bytes=10_000, max_depth=5, max_values=100, max_scalar_chars=50)


def _error(text: str, limits: FileLimits = PLAN_FILE) -> PlanError:
    with pytest.raises(PlanError) as info:
        read_yaml(text, "f.yaml", limits)
    return info.value


def test_mappings_know_their_line():
    doc = read_yaml("a: 1\nb:\n  c: 2\n")
    assert isinstance(doc["b"], LineDict) and doc["b"].line == 3 and doc.line == 1


def test_only_true_and_false_are_booleans():
    assert read_yaml("a: [yes, no, on, NO, true, False]") == {
        "a": ["yes", "no", "on", "NO", True, False]
    }


@pytest.mark.parametrize("depth, ok", [(5, True), (6, False)])
def test_nesting_is_limited_while_composing(depth, ok):
    text = "[" * depth + "]" * depth
    if ok:
        read_yaml(text, limits=SMALL)
    else:
        error = _error(text, SMALL)
        assert (error.file, error.line) == ("f.yaml", 1)
        assert error.message == "nested more than 5 levels deep (the limit of this kind of file)"


def test_five_thousand_levels_give_a_clear_error_not_a_recursion_error():
    for opening, closing in (("[", "]"), ("{a: ", "}")):
        error = _error("format: toc-plan/1\nnodes: " + opening * 5000 + closing * 5000)
        assert error.line == 2 and "nested more than 20 levels deep" in error.message
    block = "".join(f"{' ' * i}k{i}:\n" for i in range(60)) + " " * 60 + "x: 1\n"
    assert "nested more than 20 levels deep" in _error(block).message


def test_values_are_counted_with_what_aliases_repeat():
    assert read_yaml("a: &a [1, 2, 3]\nb: [*a, *a]", limits=SMALL)["b"] == [[1, 2, 3]] * 2
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    error = _error(laughs)
    assert error.message == "more than 2,000,000 values (aliases count as what they repeat)"
    assert error.line == 7  # the line where the count passed the limit


def test_a_merge_key_counts_what_it_brings_in():
    text = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(40)) + "}\nx: {<<: *b}\ny: {<<: *b}"
    assert "more than 100 values" in _error(text, SMALL).message


def test_an_alias_inside_its_own_anchor_is_refused():
    error = _error("a: &a [1, *a]")
    assert error.message == "alias *a refers to the collection it is in" and error.line == 1


def test_long_values_and_huge_integers():
    assert _error("a: " + "x" * 51, SMALL).message == "a value of 51 characters; at most 50"
    big = _error("n: " + "9" * 4400)
    assert big.line == 1 and big.message.startswith("a whole number of 4,400 digits;")
    assert _error("n: 1" + "0" * 309).message.startswith("a whole number of 310 digits;")
    assert read_yaml("n: 1" + "0" * 308) == {"n": 10**308}  # a float field can hold it
    assert read_yaml("n: -9223372036854775808") == {"n": -(2**63)}
    assert read_yaml("n: 0x10") == {"n": "0x10"}  # only plain decimal numbers (toc.numbers)


def test_values_no_constructor_takes_name_their_line():
    error = _error("a: 1\nd: 2027-13-45\n")
    assert error.line == 2 and error.message == "cannot read '2027-13-45': month must be in 1..12"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: !!python/object:os.system {}", "could not determine a constructor"),
        ("a: !!python/name:os.system", "could not determine a constructor"),
        ("a: 1\na: 2", "key 'a' appears twice in the same mapping"),
        ("? [1, 2]\n: x", "a key must be a plain value, not a list or mapping"),
        ("a: \x00", "character #x0000 is not allowed in YAML"),
        ("a:\n\t- 1", "not valid YAML"),
        ("a: [1, 2", "not valid YAML"),
        ("--- 1\n--- 2", "expected a single document in the stream, but found another"),
    ],
)
def test_bad_yaml_is_one_clear_error(text, expected):
    error = _error(text)
    assert expected in error.message and error.file == "f.yaml"


def test_the_text_size_is_checked_before_parsing():
    error = _error("a: " + "x" * 10_000, SMALL)
    assert error.message == "the file is 0.0 MB; at most 0.00953674 MB"


def test_files_are_utf8_with_an_optional_bom_and_bounded(tmp_path):
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbfa: caf\xc3\xa9\n")
    assert read_yaml(read_text_file(good)) == {"a": "café"}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(PlanError) as info:
        read_text_file(latin)
    assert (info.value.file, info.value.line) == (str(latin), 2)
    assert info.value.message == "not UTF-8 text (byte 0xe9; save the file as UTF-8)"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 10_000)
    with pytest.raises(PlanError, match=r"larger than 0\.00953674 MB"):
        read_text_file(big, SMALL)
    with pytest.raises(PlanError, match="no such file"):
        read_text_file(tmp_path / "missing.yaml")
    with pytest.raises(PlanError, match="a folder, not a file"):
        read_text_file(tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]{}:,-&*!?|>'\"#%@`\n\t aA1.\\\x00\ufeff<=")))
def test_any_text_is_a_document_or_one_plan_error(text):
    try:
        read_yaml(text, "f.yaml", SMALL)
    except PlanError as e:
        assert e.file == "f.yaml" and e.message


# YAML allows only printable characters, and folds line breaks inside quotes.
_printable = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp"))
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(_printable, max_size=20)
)
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(_printable, max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(_documents)
def test_documents_within_the_limits_read_back_as_written(doc):
    text = json.dumps({"doc": doc}, ensure_ascii=False)  # JSON is YAML
    assert read_yaml(text) == {"doc": doc}


def test_the_limits_are_the_documented_ones():
    assert dataclasses.asdict(PLAN_FILE) == {
        "max_bytes": 10 * 1024 * 1024,
        "max_depth": 20,
        "max_values": 2_000_000,
        "max_scalar_chars": 100_000,
    }
