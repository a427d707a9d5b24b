"""Hostile plan and indicator files through ``toc check``, ``toc load`` and ``toc indicators
load``: each gives a clear error naming the file, exit code 1, no traceback, and nothing is
written, on both engines.

(There is no plan import in the web app: plans change there one node or link at a time,
through the forms tested in tests/web/test_plan_pages.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import small_plan
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.planfile import dumps

HEADER = "format: toc-plan/1\n"
VALID = dumps(small_plan())
PLAN_NODE = (
    "nodes:\n  Plan:\n    - id: p\n      title: {nl: Plan, en: Plan}\n"
    "      organisation: Org\n      start_year: 2027\n      end_year: 2036\n      currency: EUR\n"
)


def _laughs(use: str) -> str:
    """A billion laughs: nine levels of nine aliases each, used at ``use``."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "laughs:\n" + "".join(f"  {line}\n" for line in lines) + use


def _deep(depth: int) -> str:
    return HEADER + "nodes: " + "[" * depth + "]" * depth + "\n"


def _deep_block(depth: int) -> str:
    return HEADER + "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"


#: name -> (file content, a piece of the one error line it must give).
HOSTILE: dict[str, tuple[bytes | str, str]] = {
    "deep flow nesting": (_deep(5_000), ":2: nested more than 20 levels deep"),
    "deep block nesting": (_deep_block(200), ": nested more than 20 levels deep"),
    "billion laughs in a title": (
        HEADER + _laughs("nodes:\n  Plan:\n    - {id: p, title: *a9}\n"),
        "more than 2,000,000 values (aliases count as what they repeat)",
    ),
    "billion laughs through merge keys": (
        HEADER + _laughs("nodes:\n  Plan:\n    - {<<: *a9, id: p}\n"),
        "more than 2,000,000 values",
    ),
    "recursive alias": (HEADER + "nodes: &n {Plan: [*n]}\n", "refers to the collection it is in"),
    "integer of 4,400 digits": (
        HEADER + PLAN_NODE.replace("2027", "9" * 4_400),
        ":7: a whole number of 4,400 digits",
    ),
    "integer beyond 64 bits": (
        HEADER + PLAN_NODE.replace("2027", "9223372036854775808"),
        "field 'start_year' must be a whole number between -9,223,372,036,854,775,808 and "
        "9,223,372,036,854,775,807",
    ),
    "a 10 MB title": (
        HEADER + PLAN_NODE.replace("{nl: Plan, en: Plan}", "{en: " + "x" * 10_000_000 + "}"),
        ":5: a value of 10,000,000 characters; at most 100,000",
    ),
    "a title of 501 characters": (
        HEADER + PLAN_NODE.replace("{nl: Plan, en: Plan}", "{en: " + "x" * 501 + "}"),
        "[p] title (en) has 501 characters; at most 500",
    ),
    "a file over 10 MB": ("#" * (10 * 1024 * 1024 + 1), "the file is larger than 10 MB"),
    "not UTF-8": (
        HEADER.encode() + b"nodes:\n  Plan:\n    - {id: p, title: {en: caf\xe9}}\n",
        ":4: not UTF-8 text (byte 0xe9; save the file as UTF-8)",
    ),
    "UTF-16": (VALID.encode("utf-16"), "not UTF-8 text"),
    "a BOM before latin-1": (b"\xef\xbb\xbf" + "café".encode("latin-1"), "not UTF-8 text"),
    "a NUL byte": (HEADER + "nodes:\n  Plan:\n    - {id: p\x00}\n", "#x0000 is not allowed"),
    "control characters": (HEADER + "note: \x1b[31mred\n", "#x001b is not allowed"),
    "tabs as indentation": (HEADER + "nodes:\n\tPlan: []\n", ":3: not valid YAML"),
    "python object tag": (
        HEADER + "nodes: !!python/object/apply:os.system [echo pwned]\n",
        "could not determine a constructor for the tag",
    ),
    "python name tag": (
        HEADER + "x: !!python/name:os.system\n",
        "could not determine a constructor",
    ),
    "binary in a title": (
        HEADER + "nodes:\n  Plan:\n    - {id: p, title: {en: !!binary aGk=}}\n",
        "text in 'en' must be a string",
    ),
    "a set as nodes": (HEADER + "nodes: !!set {Plan, Role}\n", "'nodes' must map a kind to a list"),
    "an impossible date": (HEADER + "x: 2027-13-45\n", ":2: cannot read '2027-13-45'"),
    "a list as a key": (HEADER + "? [a, b]\n: 1\n", "a key must be a plain value"),
    "a key twice": (HEADER + "format: toc-plan/1\n", "key 'format' appears twice"),
    "two documents": (VALID + "---\n" + VALID, "expected a single document in the stream"),
    "unclosed flow": (HEADER + "nodes: {Plan: [\n", "not valid YAML"),
    "empty file": ("", "a plan file must be a mapping"),
    "a plain scalar": ("just text\n", "a plan file must be a mapping"),
    "a list at the top": ("- 1\n- 2\n", "a plan file must be a mapping"),
    "wrong format": ("format: toc-plan/99\nnodes: {}\n", "'format' must be 'toc-plan/1'"),
    "unknown node kind": (HEADER + "nodes:\n  Alien: [{id: x}]\n", "unknown node kind 'Alien'"),
    "unknown link kind": (
        VALID + "  LIKES:\n  - {from: s1, to: s2}\n",
        "unknown link kind 'LIKES'",
    ),
    "duplicate ids": (
        VALID.replace("  - id: s2\n", "  - id: s1\n", 1),
        "id 's1' is used by 2 nodes; ids must be unique",
    ),
    "a contribution cycle": (
        VALID.replace("  CONTRIBUTES_TO:\n", "  CONTRIBUTES_TO:\n  - from: so1\n    to: s1\n", 1),
        "CONTRIBUTES_TO links form a cycle",
    ),
    "an id with a right-to-left override": (
        HEADER + 'nodes:\n  Role:\n    - {id: "r\u202e1", title: {en: x}}\n',
        "entry needs an 'id' of letters, digits",
    ),
    "an id of 300 characters": (
        HEADER + PLAN_NODE + "  Role:\n    - {id: " + "r" * 300 + ", title: {en: x}}\n",
        "the id has 300 characters; at most 200",
    ),
    "not a number in a year": (
        HEADER + PLAN_NODE.replace("2027", ".nan"),
        "field 'start_year': expected a whole number",
    ),
}


def _write(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "hostile.yaml"
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    path.write_bytes(content)
    return path


def _clear_refusal(output: str, path: Path, expected: str) -> None:
    assert "Traceback" not in output and "Exception" not in output, output[-2_000:]
    assert expected in output, output[-2_000:]
    assert str(path) in output, output[-2_000:]
    assert all(len(line) <= 1_400 for line in output.splitlines()), "a line too long to read"


@pytest.mark.parametrize("name", HOSTILE)
def test_toc_check_refuses_each_hostile_file_clearly(tmp_path, name):
    content, expected = HOSTILE[name]
    path = _write(tmp_path, content)
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "unused.lbug"), "check", str(path)])
    assert result.exit_code == 1, result.output[-2_000:]
    _clear_refusal(result.output, path, expected)
    assert not (tmp_path / "unused.lbug").exists()  # checking a file opens no store


@pytest.mark.parametrize(
    "name",
    [
        "deep flow nesting",
        "billion laughs in a title",
        "integer of 4,400 digits",
        "a 10 MB title",
        "a title of 501 characters",
        "not UTF-8",
        "a NUL byte",
        "python object tag",
        "a key twice",
        "duplicate ids",
        "a contribution cycle",
        "unknown node kind",
    ],
)
def test_toc_load_refuses_and_changes_nothing(cli_store, tmp_path, name):
    content, expected = HOSTILE[name]
    path = _write(tmp_path, content)
    before = cli_store.snapshot()
    result = cli_store.run("load", str(path))
    assert result.exit_code == 1, result.output[-2_000:]
    _clear_refusal(result.output, path, expected)
    assert cli_store.snapshot() == before


def _wrong(type_: str) -> str:
    """A YAML value of the wrong type for a field of ``type_``."""
    return {"text": "plain text", "str": "[1, 2]", "int": "twelve", "float": "much",
            "bool": "yes", "date": "31/12/2027", "strings": "42"}[type_]  # fmt: skip


def test_a_wrong_type_in_every_field_is_named_with_its_line(tmp_path):
    lines = [HEADER, "nodes:\n"]
    expected: list[tuple[int, str]] = []
    for kind in NODE_KINDS.values():
        lines.append(f"  {kind.name}:\n    - id: {kind.name.lower()}-bad\n")
        start = sum(line.count("\n") for line in lines)
        for name, spec in kind.fields.items():
            lines.append(f"      {name}: {_wrong(spec.type)}\n")
            expected.append((start, f"[{kind.name.lower()}-bad] field {name!r}:"))
    lines.append("links:\n")
    for kind in EDGE_KINDS.values():
        lines.append(f"  {kind.name}:\n    - from: a\n      to: b\n")
        start = sum(line.count("\n") for line in lines) - 1
        for name, spec in kind.fields.items():
            lines.append(f"      {name}: {_wrong(spec.type)}\n")
            expected.append((start, f"[{kind.name}:a->b] field {name!r}:"))
    path = _write(tmp_path, "".join(lines))
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "x.lbug"), "check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    for line, what in expected:
        assert f"{path}:{line}: error: {what}" in result.output, (line, what)
    assert len(expected) > 80


@pytest.mark.slow
def test_more_nodes_than_the_limit_are_refused_before_decoding(cli_store, tmp_path):
    roles = "".join(f"    - {{id: r{i}}}\n" for i in range(20_001))
    path = _write(tmp_path, HEADER + "nodes:\n  Role:\n" + roles)
    before = cli_store.snapshot()
    result = cli_store.run("load", str(path))
    assert result.exit_code == 1
    _clear_refusal(result.output, path, ":3: the file has 20,001 nodes; a plan may have at most")
    assert cli_store.snapshot() == before


def test_a_bom_before_a_valid_plan_is_fine(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + VALID.encode())
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "x.lbug"), "check", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"12 nodes .* 9 links; 0 error\(s\)", result.output)


INDICATOR_HEADER = "format: toc-indicators/1\nindicators:\n"
ONE_INDICATOR = (
    "  - code: ind.x\n    measures: [so1.o1]\n    title: {en: X}\n    type: number\n"
    "    direction: increase\n"
)
HOSTILE_INDICATORS: dict[str, tuple[bytes | str, str]] = {
    "deep nesting": (INDICATOR_HEADER + "  - " + "[" * 5_000 + "]" * 5_000, "nested more than 20"),
    "billion laughs": (
        "format: toc-indicators/1\n" + _laughs("indicators:\n  - {code: ind.x, title: *a9}\n"),
        "more than 1,000,000 values",
    ),
    "integer of 4,400 digits": (
        INDICATOR_HEADER + ONE_INDICATOR + "    baseline: {value: " + "9" * 4_400 + "}\n",
        ":8: error: a whole number of 4,400 digits",
    ),
    "a title of 501 characters": (
        INDICATOR_HEADER + ONE_INDICATOR.replace("{en: X}", "{en: " + "x" * 501 + "}"),
        "title (en) has 501 characters; at most 500",
    ),
    "a note of 20,001 characters": (
        INDICATOR_HEADER + ONE_INDICATOR + "    note: " + "n" * 20_001 + "\n",
        "note has 20,001 characters; at most 20,000",
    ),
    "a file over 5 MB": ("#" * (5 * 1024 * 1024 + 1), "the file is larger than 5 MB"),
    "not UTF-8": (
        INDICATOR_HEADER.encode() + b"  - {code: caf\xe9}\n",
        ":3: error: not UTF-8 text",
    ),
    "python object tag": (
        INDICATOR_HEADER + "  - !!python/object/apply:os.system [echo pwned]\n",
        "could not determine a constructor",
    ),
    "a NUL byte": (INDICATOR_HEADER + "  - {code: \x00}\n", "#x0000 is not allowed"),
    "wrong types": (INDICATOR_HEADER + "  - {code: [1], title: x, type: 7}\n", "code [1]"),
}


@pytest.mark.parametrize("name", HOSTILE_INDICATORS)
def test_toc_indicators_load_refuses_each_hostile_file(cli_store, tmp_path, name):
    content, expected = HOSTILE_INDICATORS[name]
    path = _write(tmp_path, content)
    before = cli_store.snapshot()
    result = cli_store.run("indicators", "load", str(path))
    assert result.exit_code == 1, result.output[-2_000:]
    _clear_refusal(result.output, path, expected)
    assert cli_store.snapshot() == before
