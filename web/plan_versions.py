"""Comparing two plan versions for the history page and the restore preview: the table of
changes and the pathway diagram with added, removed and changed nodes and links marked.

The comparison itself is :mod:`toc.diff` over versions the store rebuilds
(:meth:`graphdb.versions.PlanVersions.plans_at`); this module only shapes it for a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from graphdb.store import GraphStore
from toc.diff import PlanDiff, diff_plans, link_changes, union_plan
from toc.diff_report import ChangeRow, change_rows
from toc.errors import PlanError
from toc.model import Plan
from toc.render import diagram_dot, diagram_nodes, render
from web.diagrams import clean_svg, inline_svg

__all__ = ["Comparison", "compare_versions", "compare_with_current"]

#: A diagram of more nodes than this is left out (Graphviz needs seconds beyond it).
DIAGRAM_LIMIT = 600


@dataclass(frozen=True)
class Comparison:
    """Two versions side by side: what changed, row by row, and the marked diagram."""

    old: int
    new: int
    diff: PlanDiff
    rows: list[ChangeRow]
    svg: Markup | None
    too_large: bool = False


def _comparison(old: int, new: int, before: Plan, after: Plan, lang: str, label: str) -> Comparison:
    diff = diff_plans(before, after)
    union = union_plan(before, after)
    svg, too_large = None, False
    if diff:
        if len(diagram_nodes(union)) > DIAGRAM_LIMIT:
            too_large = True
        else:
            dot = diagram_dot(union, lang, changes=diff.node_ids(), link_changes=link_changes(diff))
            try:
                svg = inline_svg(clean_svg(render(dot, "svg")), label)
            except PlanError:
                svg = None  # Graphviz missing: the table still says everything
    return Comparison(old, new, diff, change_rows(diff), svg, too_large)


def compare_versions(store: GraphStore, old: int, new: int, lang: str, label: str) -> Comparison:
    """Version ``old`` against version ``new`` (:class:`graphdb.versions.VersionNotKept` when
    one cannot be rebuilt)."""
    plans = store.plans_at([old, new])
    return _comparison(old, new, plans[old], plans[new], lang, label)


def compare_with_current(store: GraphStore, version: int, lang: str, label: str) -> Comparison:
    """What restoring ``version`` would change in the current plan."""
    current = store.plan_version()
    plans = store.plans_at([version])
    return _comparison(current, version, store.load_plan(), plans[version], lang, label)
