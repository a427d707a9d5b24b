"""Plan files: round trips, the strict YAML dialect and errors that name the file and line."""

from __future__ import annotations

import pytest

from tests.conftest import small_plan
from toc.errors import PlanError, PlanInvalid
from toc.planfile import dump, dumps, load, load_with_issues, loads, loads_with_issues

HEADER = "format: toc-plan/1\n"
PLAN_NODE = """\
nodes:
  Plan:
    - id: p
      title: {nl: Plan, en: Plan}
      organisation: Org
      start_year: 2027
      end_year: 2036
      currency: EUR
"""


def test_round_trip_is_lossless(tmp_path):
    plan = small_plan()
    path = tmp_path / "plan.yaml"
    dump(plan, path)
    again = load(path)
    assert again == plan
    assert dumps(again) == dumps(plan)


def test_norway_stays_a_string():
    text = HEADER + PLAN_NODE + "  Country:\n    - {id: no, title: {en: Norway}, iso2: NO}\n"
    plan = loads(text)
    assert plan.node("no").props["iso2"] == "NO"


def test_duplicate_key_is_an_error_with_its_line():
    text = HEADER + PLAN_NODE + "      currency: USD\n"
    with pytest.raises(PlanError) as e:
        loads(text, "plan.yaml")
    assert e.value.file == "plan.yaml"
    assert e.value.line == 10
    assert "twice" in str(e.value)


def test_invalid_yaml_names_file_and_line():
    with pytest.raises(PlanError, match=r"^plan.yaml:3: not valid YAML"):
        loads(HEADER + "nodes:\n  a: b: c\n", "plan.yaml")


def test_errors_name_the_line_of_the_entry():
    text = (
        HEADER + PLAN_NODE + "  Objective:\n    - id: o1\n      title: {en: X}\n      number: one\n"
    )
    with pytest.raises(PlanInvalid) as e:
        loads(text, "plan.yaml")
    bad_type, missing = e.value.errors
    assert (bad_type.file, bad_type.line, bad_type.id) == ("plan.yaml", 11, "o1")
    assert "'number': expected a whole number" in bad_type.message
    assert missing.message == "required field 'number' is missing"


def test_all_problems_are_reported_at_once():
    text = (
        HEADER
        + PLAN_NODE
        + (
            "  Gizmo:\n    - {id: g1, title: {en: G}}\n"
            "  Strategy:\n    - {id: s1, title: {en: S}, colour: red}\n"
            "links:\n  CONTRIBUTES_TO:\n    - {from: s1, to: nowhere}\n"
        )
    )
    _, issues = loads_with_issues(text, "plan.yaml")
    messages = " | ".join(i.message for i in issues if i.level == "error")
    assert "unknown node kind 'Gizmo'" in messages
    assert "unknown field 'colour'" in messages
    assert "'nowhere', which is not a node" in messages


@pytest.mark.parametrize(
    "body, expected",
    [
        ("", "'format' must be"),
        ("format: toc-plan/1\nextra: 1\n", "unknown top-level key 'extra'"),
        ("format: toc-plan/1\nnodes: [1]\n", "must map a kind"),
        ("format: toc-plan/1\nnodes:\n  Strategy: {id: x}\n", "must be a list"),
        ("format: toc-plan/1\nnodes:\n  Strategy:\n    - {id: 'bad id'}\n", "needs an 'id'"),
        ("format: toc-plan/1\nnodes:\n  Strategy:\n    - {id: s, title: plain}\n", "mapping"),
        ("format: toc-plan/1\nlinks:\n  CONTRIBUTES_TO:\n    - {from: a}\n", "'from' and 'to'"),
        ("format: toc-plan/1\nlinks:\n  LIKES:\n    - {from: a, to: b}\n", "unknown link kind"),
    ],
)
def test_structural_errors(body, expected):
    _, issues = loads_with_issues(body or "{}", "f.yaml")
    assert any(expected in i.message for i in issues if i.level == "error"), issues


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(PlanError, match="no such file"):
        load(tmp_path / "absent.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: caf\xe9".encode("latin-1"))
    with pytest.raises(PlanError, match="not UTF-8"):
        load(bad)


def test_warnings_do_not_stop_loading(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(HEADER + PLAN_NODE + "  Role:\n    - {id: r, title: {en: Networker}}\n")
    plan, issues = load_with_issues(path)
    assert plan.get("r") is not None
    assert [i.message for i in issues] == ["title has no nl translation"]
    assert all(i.level == "warning" for i in issues)


def test_non_utf8_is_refused_by_check_as_well(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(HEADER.encode() + b"nodes:\n  Plan:\n    - {id: p, title: {en: caf\xe9}}\n")
    with pytest.raises(PlanError) as info:
        load_with_issues(bad)
    assert str(info.value) == f"{bad}:4: not UTF-8 text (byte 0xe9; save the file as UTF-8)"


def test_too_many_nodes_or_links_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr("toc.planfile.MAX_NODES", 2)
    monkeypatch.setattr("toc.planfile.MAX_LINKS", 1)
    text = HEADER + PLAN_NODE + "  Role:\n    - {id: r1, title: {en: a}}\n    - {id: r2}\n"
    with pytest.raises(PlanError) as info:
        loads(text, "f.yaml")
    assert str(info.value) == "f.yaml:3: the file has 3 nodes; a plan may have at most 2"
    links = HEADER + "links:\n  TARGETS:\n    - {from: a, to: b}\n    - {from: a, to: c}\n"
    with pytest.raises(PlanError, match="the file has 2 links; a plan may have at most 1"):
        loads(links, "f.yaml")


def test_a_ten_megabyte_title_is_refused_with_its_line(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(HEADER + PLAN_NODE.replace("{nl: Plan, en: Plan}", "{en: " + "x" * 10**7 + "}"))
    with pytest.raises(PlanError) as info:
        load(path)
    assert str(info.value) == f"{path}:5: a value of 10,000,000 characters; at most 100,000"
    path.write_text(HEADER + PLAN_NODE.replace("{nl: Plan, en: Plan}", "{en: " + "x" * 501 + "}"))
    with pytest.raises(PlanInvalid) as invalid:
        load(path)
    assert [(i.line, i.message) for i in invalid.value.errors] == [
        (4, "title (en) has 501 characters; at most 500")
    ]
