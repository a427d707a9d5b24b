"""The figures a plan states are checked against each other (:mod:`toc.budget_check`): every
budget, funding and revenue total against its lines, every stated limit against the plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cli.main import cli
from toc.budget_check import budget_differences, figure_warnings, limit_breaches
from toc.model import Node, Plan, Text
from toc.planfile import load
from toc.validate import validate

PLAN_FILE = Path(__file__).resolve().parents[2] / "examples" / "vvsg-2027-2036.yaml"

#: The ten rounding differences of the two tables of §5 (rows, columns and grand totals).
VVSG_DIFFERENCES = {
    "budget.total.2027": (1379829, 1379828),
    "budget.total.2027-2031": (7325699, 7325698),
    "budget.administration.2032-2036": (1007527, 1007525),
    "budget.management.2032-2036": (130951, 130950),
    "budget.operating.2032-2036": (7354015, 7354014),
    "budget.total.2032": (1599600, 1599599),
    "budget.total.2033": (1647588, 1647587),
    "budget.total.2035": (1747926, 1747925),
    "budget.total.2036": (1800364, 1800363),
    "budget.total.2032-2036": (8492493, 8492489),
}


@pytest.fixture(scope="module")
def vvsg() -> Plan:
    return load(PLAN_FILE)


def replace(plan: Plan, node_id: str, **props) -> Plan:
    nodes = [
        dataclasses.replace(n, props={**n.props, **props}) if n.id == node_id else n
        for n in plan.nodes
    ]
    return Plan.of(nodes, plan.edges)


def line(node_id: str, category: str, amount: float, **props) -> Node:
    props = {"category": category, "amount": amount, **props}
    return Node("BudgetLine", node_id, Text(node_id, node_id), props=props)


def test_the_vvsg_plan_has_exactly_its_ten_rounding_differences(vvsg):
    found = {d.id: (d.stated, d.computed) for d in budget_differences(vvsg)}
    assert found == VVSG_DIFFERENCES
    assert limit_breaches(vvsg) == []


def test_each_difference_is_a_warning_naming_node_and_figures(vvsg):
    warnings = [i for i in validate(vvsg) if i.level == "warning"]
    assert {i.id for i in warnings} == set(VVSG_DIFFERENCES)
    first = next(i for i in warnings if i.id == "budget.total.2027")
    assert first.message == (
        "Total 2027: stated 1,379,829, but its 3 lines add up to 1,379,828 (difference +1); "
        "the stated figure is kept"
    )


def test_a_raised_total_is_reported_and_kept(vvsg):
    raised = replace(vvsg, "budget.total.2027", amount=1379829 + 100_000)
    found = {d.id: d for d in budget_differences(raised)}
    assert (found["budget.total.2027"].stated, found["budget.total.2027"].difference) == (
        1479829,
        100_001,
    )
    assert raised.node("budget.total.2027").props["amount"] == 1479829  # never fixed


def test_a_changed_cost_line_shows_in_its_row_column_and_grand_total(vvsg):
    changed = replace(vvsg, "budget.management.2029", amount=22572 + 1000)
    new = {d.id for d in budget_differences(changed)} - set(VVSG_DIFFERENCES)
    assert new == {"budget.total.2029", "budget.management.2027-2031"}
    grand = next(d for d in budget_differences(changed) if d.id == "budget.total.2027-2031")
    assert grand.difference == 1 - 1000


def test_funding_totals_are_checked_against_their_donors(vvsg):
    assert not [d for d in budget_differences(vvsg) if d.id.startswith("funding.")]
    changed = replace(vvsg, "funding.flemish-gov.2022", amount=248000 - 5)
    (diff,) = [d for d in budget_differences(changed) if d.id.startswith("funding.")]
    assert (diff.id, diff.stated, diff.computed) == ("funding.total.2022", 1539099, 1539094)
    assert set(diff.lines) == {"funding.dgd.2022", "funding.flemish-gov.2022"}


def test_revenue_shares_add_up_to_a_hundred_percent(vvsg):
    shares = [n for n in vvsg.of_kind("RevenueShare")]
    assert sum(n.props["share"] for n in shares) == 100
    changed = replace(vvsg, shares[0].id, share=shares[0].props["share"] + 5)
    (diff,) = [d for d in budget_differences(changed) if d.unit == " %"]
    assert (diff.stated, diff.computed) == (100.0, 105.0)
    assert "stated 100 %, but its 3 lines add up to 105 %" in diff.message()


def test_the_global_south_limit_is_read_from_the_plan(vvsg):
    assert vvsg.root.props["max_countries_global_south"] == 6
    lower = replace(vvsg, vvsg.root.id, max_countries_global_south=4)
    (breach,) = limit_breaches(lower)
    assert (breach.id, breach.limit, breach.counted) == (vvsg.root.id, 4, 5)
    assert "at most 4 Global South countries" in breach.message()
    assert "country.ni" in breach.message()
    more = replace(vvsg, "country.ma", status_from_2027="confirmed")
    assert limit_breaches(more) == []  # 6 of 6
    too_many = replace(more, "country.na", status_from_2027="under_evaluation")
    assert [b.counted for b in limit_breaches(too_many)] == [7]


def test_a_plan_without_the_limit_field_is_not_limited(vvsg):
    root = vvsg.root
    props = {k: v for k, v in root.props.items() if k != "max_countries_global_south"}
    nodes = [dataclasses.replace(root, props=props) if n is root else n for n in vvsg.nodes]
    assert limit_breaches(Plan.of(nodes, vvsg.edges)) == []


def test_totals_without_lines_and_malformed_figures_are_not_compared():
    plan = Plan.of(
        [line("t", "total", 5.0, year=2027), line("p", "total", 9.0, period="20x7-2031")], []
    )
    assert budget_differences(plan) == []
    assert figure_warnings(Plan.of([], [])) == []


@given(
    amounts=st.lists(st.integers(0, 10**9), min_size=1, max_size=6),
    slip=st.integers(-(10**6), 10**6),
)
def test_a_total_is_reported_exactly_when_it_is_not_the_sum(amounts, slip):
    cells = [line(f"c{i}", "operating", float(a), year=2027 + i) for i, a in enumerate(amounts)]
    stated = float(sum(amounts) + slip)
    period = f"2027-{2026 + len(amounts)}"
    plan = Plan.of([*cells, line("t", "operating", stated, period=period)], [])
    found = budget_differences(plan)
    assert [(d.id, d.difference) for d in found] == ([("t", slip)] if slip else [])


def test_toc_check_lists_the_ten_warnings_and_exits_0():
    result = CliRunner().invoke(cli, ["check", str(PLAN_FILE)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ": warning: " in ln]
    assert len(lines) == 10
    assert all("the stated figure is kept" in ln for ln in lines)
    assert "0 error(s), 10 warning(s)" in result.output


def test_toc_check_reports_a_raised_total(tmp_path):
    text = PLAN_FILE.read_text(encoding="utf-8")
    raised = text.replace("amount: 1379829\n", "amount: 1479829\n", 1)
    assert raised != text
    path = tmp_path / "raised.yaml"
    path.write_text(raised, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert "[budget.total.2027] Total 2027: stated 1,479,829, but its 3 lines add up to " in (
        result.output
    )
    assert "1,379,828 (difference +100,001)" in result.output
    assert "0 error(s), 10 warning(s)" in result.output
