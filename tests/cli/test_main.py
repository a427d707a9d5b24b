"""The `toc` command line, driven with click's CliRunner against a temporary store."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import small_plan
from toc.planfile import dump


@pytest.fixture
def run(tmp_path):
    store = str(tmp_path / "cli.lbug")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", store, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.yaml"
    dump(small_plan(), path)
    return path


@pytest.fixture
def loaded(run, plan_file):
    result = run("load", str(plan_file))
    assert result.exit_code == 0, result.output
    return run


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for path, command in _commands(cli):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert re.search(r"Examples?:", command.help or ""), (
            f"`toc {' '.join(path)}` has no example in its help"
        )


def test_init_creates_a_store(run, tmp_path):
    result = run("init")
    assert result.exit_code == 0
    assert "schema version 1" in result.output
    assert (tmp_path / "cli.lbug").exists()


def test_load_reports_counts_and_is_idempotent(run, plan_file):
    first = run("load", str(plan_file), "-m", "initial")
    assert first.exit_code == 0
    assert "12 nodes, 9 links (plan version 1)" in first.output
    again = run("load", str(plan_file))
    assert again.exit_code == 0
    assert "no changes" in again.output
    history = run("history")
    assert "v1" in history.output and "initial" in history.output


def test_load_of_an_invalid_file_changes_nothing(loaded, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((tmp_path / "plan.yaml").read_text().replace("to: so1.o1", "to: nowhere", 1))
    result = loaded("load", str(bad))
    assert result.exit_code == 1
    assert "which is not a node of the plan" in result.output
    assert "the store was not changed" in result.output
    assert "Traceback" not in result.output
    assert "so1.o1" in loaded("show", "s1").output


def test_load_dry_run_writes_nothing(run, plan_file):
    result = run("load", "--dry-run", str(plan_file))
    assert "Dry run: 12 nodes added, 9 links added" in result.output
    assert run("history").output == ""


def test_check_a_file_and_the_store(loaded, plan_file):
    result = loaded("check", str(plan_file))
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s)" in result.output
    stored = loaded("check")
    assert "the stored plan: 12 nodes (1 strategic objectives, 2 objectives" in stored.output


def test_check_strict_fails_on_warnings(run, tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(
        "format: toc-plan/1\nnodes:\n  Plan:\n    - {id: p, title: {en: P}, organisation: O,"
        " start_year: 2027, end_year: 2036, currency: EUR}\n"
    )
    assert run("check", str(path)).exit_code == 0
    strict = run("check", "--strict", str(path))
    assert strict.exit_code == 1
    assert "title has no nl translation" in strict.output


def test_show(loaded):
    result = loaded("show", "so1.o1", "--lang", "nl")
    assert result.exit_code == 0
    assert "Doel 1.1" in result.output
    assert "<- CONTRIBUTES_TO s1: Strategie 1" in result.output
    assert "-> CONTRIBUTES_TO so1: Doel 1" in result.output
    missing = loaded("show", "nope")
    assert missing.exit_code == 1
    assert "no node with id 'nope'" in missing.output


def test_paths(loaded):
    result = loaded("paths", "s1")
    assert result.exit_code == 0
    assert "s1 -> so1.o1 -> so1 -> sdg16" in result.output
    assert "2 pathway(s)" in result.output
    assert loaded("paths", "s1", "sdg11").exit_code == 1


def test_gaps(loaded):
    result = loaded("gaps")
    assert result.exit_code == 0
    assert "sdgs without objective: sdg11" in result.output
    assert "isolated nodes: none" in result.output  # a1 is used by a link
    # the store holds no indicators: every objective is one without
    assert "objectives without indicators: so1, so1.o1, so1.o2" in result.output


def test_gaps_of_the_vvsg_demo_name_unmeasured_objectives_and_not_plan_data(tmp_path):
    from bench.web_load import build_demo_store
    from toc.kinds import PLAN_DATA_KINDS

    store = tmp_path / "demo.lbug"
    build_demo_store(store)
    result = CliRunner().invoke(cli, ["--store", str(store), "gaps"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.output.splitlines())
    isolated = lines["isolated nodes"].split(", ")
    assert not [i for i in isolated if i.split(".")[0] in ("budget", "funding", "gov", "staff",
                                                            "revenue", "claim")]  # fmt: skip
    assert "funding.total.2020" not in isolated
    assert {"BudgetLine", "Funding", "GoverningBody", "StaffFigure"} <= set(PLAN_DATA_KINDS)
    unmeasured = lines["objectives without indicators"]
    assert unmeasured != "none"
    assert set(unmeasured.split(", ")) <= {f"so{n}" for n in range(1, 5)} | {
        f"so{n}.o{m}" for n in range(1, 5) for m in range(1, 4)
    }


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<svg"), (".png", b"\x89PNG"),
                                           (".pdf", b"%PDF"), (".dot", b"digraph")])  # fmt: skip
def test_render_formats(loaded, tmp_path, suffix, magic):
    out = tmp_path / f"d{suffix}"
    result = loaded("render", "--lang", "nl", "--focus", "so1.o1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert magic in out.read_bytes()[:400]


def test_render_unknown_focus(loaded, tmp_path):
    result = loaded("render", "--focus", "zz", "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 1
    assert "no node with id 'zz'" in result.output


def test_render_failures_are_one_clear_line(loaded, tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder" / "x.svg"
    result = loaded("render", "-o", str(missing))
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: No such file or directory\n"
    import graphviz

    def killed(self, format=None, **kw):
        raise graphviz.CalledProcessError(-9, ["dot"], output=b"", stderr=b"")

    monkeypatch.setattr(graphviz.Source, "pipe", killed)
    result = loaded("render", "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 1
    assert result.output == (
        "Error: Graphviz failed: dot was stopped by signal 9 (out of memory?) without a message\n"
    )


def test_cypher_formats_and_refusal(loaded):
    table = loaded("cypher", "MATCH (o:Objective) RETURN o.id AS id ORDER BY id")
    assert "so1.o1" in table.output and "(2 rows)" in table.output
    as_json = loaded(
        "cypher", "MATCH (o:Objective) WHERE o.id = $id RETURN o.number AS n",
        "-p", "id=so1.o2", "--format", "json",
    )  # fmt: skip
    assert json.loads(as_json.output) == [{"n": 2}]
    as_csv = loaded("cypher", "MATCH (s:SDG) RETURN s.number AS n ORDER BY n", "--format", "csv")
    assert as_csv.output.splitlines() == ["n", "11", "16"]
    refused = loaded("cypher", "MATCH (n) DETACH DELETE n")
    assert refused.exit_code == 1
    assert "only reading queries" in refused.output


def test_export_round_trip(loaded, tmp_path, plan_file):
    out = tmp_path / "out.yaml"
    assert loaded("export", str(out)).exit_code == 0
    assert out.read_text() == plan_file.read_text()
    as_json = tmp_path / "out.json"
    loaded("export", str(as_json))
    assert json.loads(as_json.read_text())["format"] == "toc-plan/1"


def test_summary(loaded):
    result = loaded("summary")
    assert "StrategicObjective   1" in result.output
    assert "CONTRIBUTES_TO       4" in result.output


def test_reading_a_missing_store_is_a_clear_error(run):
    result = run("show", "so1")
    assert result.exit_code == 1
    assert "no store here" in result.output


def test_network(loaded):
    result = loaded("network")
    assert result.exit_code == 0
    assert "s1 (2) Strategy 1: so1, so1.o1" in result.output
    assert "so1.o1 <- s1" in result.output
    assert "Single points of failure (on every pathway to the objective):\n  none" in result.output


def test_lazy_commands_show_their_own_one_line_help():
    from cli.main import LAZY_COMMANDS

    names = cli.list_commands(None)
    limit = 78 - 6 - max(len(n) for n in names)  # click's help is 78 columns wide at most
    for name, (_, _, short) in LAZY_COMMANDS.items():
        command = cli.get_command(None, name)
        assert command is not None and command.name == name
        assert short == command.get_short_help_str(limit), name


def _loaded_after(invocations: list[list[str]], modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running each ``toc``
    invocation (each must succeed)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cli.main import cli\n"
        f"for args in {invocations!r}:\n"
        "    r = CliRunner().invoke(cli, args)\n"
        "    assert r.exit_code == 0, r.output\n"
        f"print('\\n'.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)  # fmt: skip
    return out.stdout.split()


def test_plan_commands_do_not_load_the_data_and_web_stack(tmp_path):
    store = str(tmp_path / "s.lbug")
    commands = [["--store", store, "init"], ["check", "examples/vvsg-2027-2036.yaml"]]
    assert _loaded_after(commands, ("pandas", "flask", "weasyprint")) == []


def test_the_help_loads_neither_the_stores_nor_the_drawing_code():
    """``toc --help`` is what a newcomer types first: it lists the commands without importing
    the store engines, networkx, Graphviz or the data stack (0.2 s instead of 0.75 s)."""
    heavy = ("graphdb.store", "networkx", "graphviz", "ladybug", "neo4j", "pandas", "yaml")
    assert _loaded_after([["--help"]], heavy) == []
    assert _loaded_after([["--help"]], ("click", *heavy)) == ["click"]  # the check can see
    assert "render" in CliRunner().invoke(cli, ["--help"]).output
