"""`toc whatif` and `toc story` on the VVSG demo store: the figures of the pure functions, in
table, JSON, text, Markdown and HTML, both languages, and clear refusals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from toc.illustrative import NOTICE


@pytest.fixture(scope="module")
def toc(tmp_path_factory):
    from bench.web_load import build_demo_store

    path = tmp_path_factory.mktemp("learning-cli") / "demo.lbug"
    build_demo_store(path)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["--store", str(path), *args])
        assert result.exit_code == code, result.output
        return result.output

    return run


def test_whatif_json_has_the_documented_keys_and_counts(toc):
    body = json.loads(toc("whatif", "--without", "s2", "--format", "json"))
    assert {"removed", "lost", "weakened", "indicators", "funding"} <= set(body)
    assert body["removed"] == [{"node": "s2", "kind": "Strategy", "reason": "named", "because": []}]
    weakened = {c["node"]: (c["before"], c["after"]) for c in body["weakened"]}
    assert weakened["so1.o2"][1] == weakened["so1.o2"][0] - 1
    assert all(after < before for before, after in weakened.values())


def test_whatif_table_names_nodes_in_the_chosen_language(toc):
    english = toc("whatif", "--without", "s2")
    dutch = toc("whatif", "--without", "s2", "--lang", "nl")
    assert "Weakened (fewer pathways):" in english and "so1.o2 (" in english
    assert english != dutch  # titles in the chosen language


def test_whatif_removing_what_an_indicator_needs_is_marked_illustrative(toc):
    out = toc("whatif", "--without", "so1")
    assert "ind.so1.share-lg" in out and NOTICE["en"] in out
    assert json.loads(toc("whatif", "--without", "so1", "--format", "json"))["illustrative"]


def test_whatif_refuses_unknown_and_unremovable_nodes_clearly(toc):
    assert "no node with id 'nope'" in toc("whatif", "--without", "nope", code=1)
    assert "Traceback" not in toc("whatif", "--without", "sdg16", code=1)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_story_in_each_format_and_language(toc, fmt, lang):
    out = toc("story", "so2.o3", "--lang", lang, "--format", fmt)
    assert "so2.o3" in out
    if fmt == "html":
        assert out.lstrip().startswith("<")
    words = {"en": "Conclusion", "nl": "Conclusie"}[lang]
    assert words in out


def test_story_refuses_an_unknown_node(toc):
    assert "nope" in toc("story", "nope", code=1)


def test_story_as_of_a_day_before_any_value(toc, tmp_path):
    out = tmp_path / "story.md"
    toc("story", "so1", "--as-of", "2020-01-01", "--format", "md", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("#")


def test_whatif_tells_what_happens_to_the_most_credible_pathway(toc):
    body = json.loads(toc("whatif", "--without", "s3", "--format", "json"))
    before, after = (body["confidence"]["so1.o1"][k] for k in ("before", "after"))
    assert 0 < after <= before < 1
    assert body["illustrative"]  # the demo evidence is illustrative
    assert "most credible pathway" in toc("whatif", "--without", "s3")
