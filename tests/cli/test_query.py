"""`toc query list|show|run|cypher`, driven with click's CliRunner on the VVSG demo store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from cli.query import query
from graphdb.evaluation import QUERIES


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from bench.web_load import build_demo_store

    path = tmp_path_factory.mktemp("query-cli") / "demo.lbug"
    build_demo_store(path)
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(cli, ["--store", str(path), "query", *args])
        assert result.exit_code == code, result.output
        return result

    return run


def test_every_query_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in query.commands.items():
        assert runner.invoke(cli, ["query", name, "--help"]).exit_code == 0, name
        assert "Example:" in (command.help or ""), name


def test_list_by_criterion_in_both_languages(demo):
    out = demo("list").output
    assert "Effectiveness:" in out and "Sustainability:" in out
    assert all(name in out for name in QUERIES)
    assert "Doeltreffendheid:" in demo("list", "--lang", "nl").output


def test_run_as_table_csv_and_json(demo):
    table = demo("run", "on_track_under_off_track").output
    header, _, first, *_ = table.splitlines()
    assert header.split() == ["result", "result_name", "result_status", "contribution",
                              "contribution_name"]  # fmt: skip
    assert first.startswith("so1     Internationalisation of local") and "(2 rows)" in table
    assert "off_track      so1.o1" in first
    csv_out = demo("run", "sdg_partners", "--param", "sdg=sdg16", "--format", "csv").output
    assert csv_out.splitlines()[0] == (
        "sdg,sdg_name,number,partner,partner_name,partner_type,nodes_helped,first_node,"
        "first_node_name"
    )
    assert csv_out.splitlines()[1].startswith('sdg16,"Peace, justice and strong institutions",16,')
    dutch = demo("run", "sdg_partners", "--param", "sdg=sdg16", "--format", "csv", "--lang", "nl")
    assert dutch.output.splitlines()[1].startswith('sdg16,"Vrede, justitie en sterke publieke')

    rows = json.loads(demo("run", "budget_by_year", "--format", "json").output)
    assert rows[0]["year"] == 2027 and rows[0]["total"] == 1379829.0


def test_the_row_limit_says_when_rows_were_cut(demo):
    result = demo("run", "sdg_countries", "--limit", "2", "--format", "csv")
    assert len(result.stdout.splitlines()) == 3
    assert "Only the first 2 rows" in result.stderr


def test_show_prints_the_cypher_and_browser_parameters(demo):
    out = demo("show", "no_recent_data").output
    assert ':params {"year": "2029"}' in out
    assert "MATCH (n:StrategicObjective|Objective|Outcome|Output)" in out
    assert "$year (year)" in out


def test_ad_hoc_cypher_reads_with_a_limit(demo):
    out = demo("cypher", "MATCH (s:Strategy) RETURN s.id AS id ORDER BY id", "--limit", "2")
    assert out.stdout.splitlines()[-1] == "(2 rows)"
    params = demo("cypher", "RETURN $n + 1 AS m", "-p", "n=41", "--format", "json").output
    assert json.loads(params) == [{"m": 42}]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("run", "nope"), 2, "no evaluation query named 'nope'"),
        (("run", "sdg_partners", "--param", "sdg=so1"), 2, "is not a SDG node"),
        (("run", "sdg_partners", "--param", "colour=red"), 2, "has no parameter colour"),
        (("run", "sdg_partners", "--param", "oops"), 2, "is not KEY=VALUE"),
        (("cypher", "MATCH (n) DETACH DELETE n"), 1, "only reading queries"),
        (("cypher", "MATCH (a:Account) RETURN a"), 1, "Table Account does not exist"),
        (("cypher", "RETURN 1; RETURN 2"), 1, "one query at a time: found 2 statements"),
        (
            (
                "cypher",
                "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
                "WITH x + y AS z WHERE z % 7 = 1 RETURN sum(z) AS s",
                "--timeout",
                "0.3",
            ),
            1,
            "stopped after 0.3 s",
        ),
    ],
)
def test_errors_exit_without_traceback(demo, args, code, message):
    result = demo(*args, code=code)
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_table_groups_amounts_marks_cuts_and_nulls(demo):
    english = demo("run", "budget_by_year").output
    assert "1,379,829" in english and "1379829.0" not in english
    dutch = demo("run", "budget_by_year", "--lang", "nl").output
    assert "1.379.829" in dutch
    long_names = demo("run", "sdg_partners", "--param", "sdg=sdg16").output
    assert "Flemish local governments (cities and m…" in long_names
    nulls = demo("cypher", "MATCH (c:Country) RETURN c.id AS id, c.english_speaking AS en "
                           "ORDER BY id").output  # fmt: skip
    assert "country.be           —" in nulls  # the plan does not say
