"""Check the figures a plan states against each other: every total against its lines, every
split against its whole, every stated limit against what the plan holds.

A plan prints its totals; a typing or rounding slip in one of them is easy to miss and, once
in the store, is taken for the truth by every report. These checks never change a figure:
each difference becomes a warning naming the node, the stated figure and the computed one, so
that whoever reads the plan can tell a rounding difference from a mistake.

What counts as the lines of a total follows from the fields of :mod:`toc.kinds`:

- a ``BudgetLine`` of category ``total`` for a year: the cost lines of that year (a column);
- a ``BudgetLine`` with a ``period``: the yearly lines of its category within the period (a
  row); of category ``total``, every yearly cost line within the period (the grand total);
- a ``Funding`` row ``total``: the donor rows of its year;
- ``RevenueShare`` nodes (of one year, or without a year): their shares add up to 100 %.

A total whose lines are missing from the plan is not compared (there is nothing to compare).
Stated limits are Plan fields listed in :data:`STATED_LIMITS`; the number is the plan's, the
rule saying what it limits is the model's.

>>> from toc.model import Node, Plan, Text
>>> def line(i, c, a, **kw):
...     return Node("BudgetLine", i, Text(en=i), props={"category": c, "amount": a, **kw})
>>> plan = Plan.of([line("a", "operating", 80.0, year=2027),
...                 line("b", "administration", 20.0, year=2027),
...                 line("t", "total", 101.0, year=2027)], [])
>>> [(d.id, d.stated, d.computed) for d in budget_differences(plan)]
[('t', 101.0, 100.0)]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from toc.model import Node, Plan

__all__ = [
    "STATED_LIMITS",
    "Difference",
    "LimitBreach",
    "budget_differences",
    "figure_warnings",
    "limit_breaches",
]

#: Differences smaller than this (a cent) are floating-point noise, not a difference.
TOLERANCE = 0.005


@dataclass(frozen=True)
class Difference:
    """A stated total that is not the sum of its lines."""

    id: str
    what: str
    stated: float
    computed: float
    lines: tuple[str, ...]
    unit: str = ""

    @property
    def difference(self) -> float:
        return self.stated - self.computed

    def message(self) -> str:
        """One line naming the figures; the stated one is kept."""
        return (
            f"{self.what}: stated {_fmt(self.stated)}{self.unit}, but its {len(self.lines)} "
            f"lines add up to {_fmt(self.computed)}{self.unit} (difference "
            f"{_fmt(self.difference, sign=True)}{self.unit}); the stated figure is kept"
        )


@dataclass(frozen=True)
class LimitBreach:
    """A limit the plan states that the plan itself goes beyond."""

    id: str
    field: str
    limit: float
    counted: float
    counted_ids: tuple[str, ...]
    what: str

    def message(self) -> str:
        return (
            f"{self.field}: the plan states at most {_fmt(self.limit)} {self.what}, but it "
            f"holds {_fmt(self.counted)} ({', '.join(self.counted_ids)})"
        )


def _fmt(value: float, sign: bool = False) -> str:
    """1379829.0 -> '1,379,829'; 0.5 -> '0.50'; with ``sign`` a leading + or -."""
    text = f"{value:+,.0f}" if sign else f"{value:,.0f}"
    if abs(value - round(value)) >= TOLERANCE:
        text = f"{value:+,.2f}" if sign else f"{value:,.2f}"
    return text


def _differs(stated: float, computed: float) -> bool:
    return abs(stated - computed) >= TOLERANCE


def _period(node: Node) -> range | None:
    period = node.props.get("period")
    if not isinstance(period, str):
        return None
    first, _, last = period.partition("-")
    if not all(p.isascii() and p.isdigit() and len(p) == 4 for p in (first, last)):
        return None  # malformed periods are validation errors of their own
    return range(int(first), int(last) + 1)


def _amount(node: Node, key: str = "amount") -> float | None:
    """The figure as a finite float, or None when it is missing or not a usable number (a
    validation error of its own)."""
    value = node.props.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _label(node: Node) -> str:
    return node.title.get("en") or node.id


def budget_differences(plan: Plan) -> list[Difference]:
    """Every stated budget, funding or revenue total that differs from the sum of its lines,
    in plan order."""
    found: list[Difference] = []
    cells = [
        n
        for n in plan.of_kind("BudgetLine")
        if n.props.get("category") != "total"
        and isinstance(n.props.get("year"), int)
        and _amount(n) is not None
    ]
    for node in plan.of_kind("BudgetLine"):
        stated = _amount(node)
        if stated is None:
            continue
        category, year, years = node.props.get("category"), node.props.get("year"), _period(node)
        if years is not None:
            lines = [
                c
                for c in cells
                if c.props["year"] in years and category in ("total", c.props["category"])
            ]
        elif category == "total" and isinstance(year, int):
            lines = [c for c in cells if c.props["year"] == year]
        else:
            continue
        _compare(found, node, stated, lines)
    donors: dict[object, list[Node]] = defaultdict(list)
    for n in plan.of_kind("Funding"):
        if n.props.get("row") == "donor" and _amount(n) is not None:
            donors[n.props.get("year")].append(n)
    for node in plan.of_kind("Funding"):
        stated = _amount(node)
        if node.props.get("row") == "total" and stated is not None:
            _compare(found, node, stated, donors.get(node.props.get("year"), []))
    found.extend(_revenue_split(plan))
    return found


def _compare(found: list[Difference], node: Node, stated: float, lines: list[Node]) -> None:
    if not lines:
        return
    computed = sum(_amount(n) or 0.0 for n in lines)
    if _differs(stated, computed):
        found.append(
            Difference(node.id, _label(node), stated, computed, tuple(n.id for n in lines))
        )


def _revenue_split(plan: Plan) -> list[Difference]:
    """Shares of one revenue split (one year, or no year) must add up to 100 %."""
    groups: dict[object, list[Node]] = defaultdict(list)
    for n in plan.of_kind("RevenueShare"):
        if _amount(n, "share") is not None:
            groups[n.props.get("year")].append(n)
    found = []
    for year, shares in groups.items():
        computed = sum(_amount(n, "share") or 0.0 for n in shares)
        if _differs(100.0, computed):
            what = "revenue split" + (f" {year}" if year is not None else "")
            ids = tuple(n.id for n in shares)
            found.append(Difference(shares[0].id, what, 100.0, computed, ids, " %"))
    return found


# -- stated limits ---------------------------------------------------------------------------


def _global_south_countries(plan: Plan) -> list[Node]:
    """Countries of the Global South the plan works in or is still weighing (confirmed or
    under evaluation); candidates compete for what is left and are not counted."""
    return [
        n
        for n in plan.of_kind("Country")
        if n.props.get("region") == "global_south"
        and n.props.get("status_from_2027") in ("confirmed", "under_evaluation")
    ]


#: Plan field -> (what it limits, the nodes that count against it).
STATED_LIMITS: dict[str, tuple[str, Callable[[Plan], list[Node]]]] = {
    "max_countries_global_south": (
        "Global South countries (confirmed or under evaluation)",
        _global_south_countries,
    ),
}


def limit_breaches(plan: Plan) -> list[LimitBreach]:
    """Every limit stated on the Plan node that the plan's own nodes exceed."""
    root = plan.root
    if root is None:
        return []
    found = []
    for field, (what, counted) in STATED_LIMITS.items():
        limit = _amount(root, field)
        if limit is None:
            continue
        nodes = counted(plan)
        if len(nodes) > limit:
            ids = tuple(n.id for n in nodes)
            found.append(LimitBreach(root.id, field, limit, len(nodes), ids, what))
    return found


def figure_warnings(plan: Plan) -> list[tuple[str, str]]:
    """(node id, message) of every difference and breach, for :func:`toc.validate.validate`."""
    return [(d.id, d.message()) for d in budget_differences(plan)] + [
        (b.id, b.message()) for b in limit_breaches(plan)
    ]
