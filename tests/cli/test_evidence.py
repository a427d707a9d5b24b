"""`toc evidence` and `toc outcomes` on a small store: recorded, listed, cited, removed,
refused clearly; and `toc story` tells the recorded evidence."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan
from toc.illustrative import NOTICE


@pytest.fixture
def toc(tmp_path):
    path = tmp_path / "s.lbug"
    with LadybugStore(path) as store:
        store.save_plan(small_plan(), author="ann")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["--store", str(path), *args])
        assert result.exit_code == code, result.output
        return result.output

    run.path = path  # type: ignore[attr-defined]
    return run


def test_evidence_add_list_and_remove(toc):
    out = toc("evidence", "add", "s1", "so1.o1", "--kind", "evaluation", "--strength", "strong",
              "--source", "Mid-term review, p. 12", "--date", "2025-06-30",
              "--author", "ann")  # fmt: skip
    assert out == "Recorded evidence ev1 on s1 -> so1.o1.\n"
    toc("evidence", "add", "--assumption", "a1", "--kind", "testimony", "--strength", "weak",
        "--contradicts", "--source", "Mayor says no", "--author", "bob")  # fmt: skip
    listed = toc("evidence", "list")
    assert "ev1  s1 -> so1.o1  supports (strong, evaluation)  2025-06-30  ann" in listed
    assert "ev2  assumption a1  contradicts (weak, testimony)" in listed
    assert "ev2" not in toc("evidence", "list", "s1", "so1.o1")
    toc("evidence", "remove", "ev1", "--author", "bob")
    assert "ev1" not in toc("evidence", "list")
    with LadybugStore(toc.path, read_only=True) as store:
        trail = [(c.key, c.action, c.author) for c in store.learning_history("evidence")]
    assert trail == [("ev1", "add", "ann"), ("ev2", "add", "bob"), ("ev1", "remove", "bob")]


def test_evidence_off_the_plan_or_in_the_future_is_refused_in_one_line(toc):
    out = toc("evidence", "add", "s2", "so1", "--kind", "study", "--strength", "weak",
              "--source", "x", "--author", "ann", code=1)  # fmt: skip
    assert "the link s2 -> so1 (CONTRIBUTES_TO) is not in the plan" in out
    out = toc("evidence", "add", "s1", "so1.o1", "--kind", "study", "--strength", "weak",
              "--source", "x", "--date", "2199-01-01", "--author", "ann", code=1)  # fmt: skip
    assert "is after today" in out and "Traceback" not in out
    assert "SOURCE TARGET" in toc("evidence", "add", "--kind", "study", "--strength", "weak",
                                  "--source", "x", code=2)  # fmt: skip
    assert toc("evidence", "list") == "No evidence recorded.\n"


def test_outcomes_add_list_and_cite(toc):
    out = toc("outcomes", "add", "--near", "so1.o1", "--title", "Council adopts a budget",
              "--actor", "Council", "--when", "2025-03-01", "--substantiated-by", "Mayor:agrees",
              "--unplanned", "--author", "ann")  # fmt: skip
    assert out == "Recorded outcome ho1 near so1.o1.\n"
    listed = toc("outcomes", "list", "--near", "so1.o1")
    assert "ho1  2025-03-01  Council adopts a budget  [positive, unplanned]" in listed
    assert toc("outcomes", "list", "--near", "so1") == "No harvested outcomes recorded.\n"
    assert "ev1: ho1 on s1 -> so1.o1" in toc("outcomes", "cite", "ho1", "s1", "so1.o1")
    assert "cites ho1" in toc("evidence", "list")
    assert "no harvested outcome 'ho9'" in toc("outcomes", "cite", "ho9", "s1", "so1.o1", code=1)
    assert "VERDICT" in toc("outcomes", "add", "--near", "so1", "--title", "t", "--actor", "a",
                            "--substantiated-by", "agrees", code=2)  # fmt: skip


def test_the_story_tells_recorded_evidence_and_priors(toc):
    before = toc("story", "so1.o1")
    toc("evidence", "add", "s1", "so1.o1", "--kind", "evaluation", "--strength", "strong",
        "--source", "Mid-term review, p. 12", "--date", "2025-06-30",
        "--author", "ann")  # fmt: skip
    after = toc("story", "so1.o1")
    assert "Mid-term review, p. 12" in after and "Mid-term review" not in before


def test_the_demo_file_loads_once_marked_illustrative(tmp_path):
    from bench.web_load import build_demo_store

    path = tmp_path / "demo.lbug"
    build_demo_store(path)
    runner = CliRunner()
    demo = "examples/vvsg-evidence-illustrative.yaml"
    again = runner.invoke(cli, ["--store", str(path), "evidence", "load", demo, "--author", "x"])
    assert (
        again.exit_code == 0
        and "Recorded 0 outcome(s) and 0 evidence item(s) (8 already" in again.output
    )
    listed = runner.invoke(cli, ["--store", str(path), "evidence", "list"]).output
    assert listed.count("[illustrative]") == 6 and NOTICE["en"] in listed
    story = runner.invoke(cli, ["--store", str(path), "story", "so3.o1"]).output
    assert "monitoring visit report, Benin" in story and "llustrative" in story


def test_a_prior_is_set_and_reset(toc):
    assert (
        toc("evidence", "prior", "s1", "so1.o1", "--set", "0.7") == "Prior of s1 -> so1.o1: 0.7.\n"
    )
    with LadybugStore(toc.path, read_only=True) as store:
        assert list(store.priors().values()) == [0.7]
    assert "strictly between 0 and 1" in toc("evidence", "prior", "--assumption", "a1", "--set",
                                             "1.5", code=1)  # fmt: skip
    assert "--set P or --reset" in toc("evidence", "prior", "s1", "so1.o1", code=2)
    toc("evidence", "prior", "s1", "so1.o1", "--reset")
    with LadybugStore(toc.path, read_only=True) as store:
        assert store.priors() == {}


def test_evidence_add_attaches_a_file_and_files_gc_keeps_it(toc, tmp_path):
    report = tmp_path / "Verslag.pdf"
    report.write_bytes(b"%PDF-1.4 bezoek")
    out = toc("evidence", "add", "s1", "so1.o1", "--kind", "evaluation", "--strength", "strong",
              "--source", "Visit", "--file", str(report), "--author", "ann")  # fmt: skip
    assert out == "Recorded evidence ev1 on s1 -> so1.o1 with Verslag.pdf (15 bytes).\n"
    with LadybugStore(toc.path, read_only=True) as store:
        (item,) = store.evidence()
        assert item.file is not None and item.file.added_by == "ann"
        assert store.attachment_files.read(item.file.sha256) == b"%PDF-1.4 bezoek"
        orphan = store.attachment_files.put(b"%PDF-orphan", "o.pdf", who="x", when="t")
    assert toc("evidence", "files-gc") == "Removed 1 unreferenced file(s).\n"
    with LadybugStore(toc.path, read_only=True) as store:
        assert store.attachment_files.addresses() == {item.file.sha256}
    assert orphan.sha256 not in {item.file.sha256}


def test_a_refused_file_records_nothing_and_keeps_nothing(toc, tmp_path):
    page = tmp_path / "report.pdf"
    page.write_bytes(b"<html><body>not a pdf</body></html>")
    out = toc("evidence", "add", "s1", "so1.o1", "--kind", "evaluation", "--strength", "strong",
              "--source", "Visit", "--file", str(page), "--author", "ann", code=1)  # fmt: skip
    assert f"{page}: markup (HTML, SVG, XML or script) is not allowed" in out
    with LadybugStore(toc.path, read_only=True) as store:
        assert store.evidence() == []
        assert not store.attachment_files.folder.exists()
