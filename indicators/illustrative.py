"""When an output rests on illustrative data: one rule for every output derived from the store.

An output says it is illustrative when its inputs include illustrative indicators or values
(:attr:`indicators.pathway_status.PlanStatus.illustrative`) and it actually uses them: it
takes computed statuses or progress as input, or its Cypher reads the tables that hold
indicators and measurements. A query about the plan alone (partners per SDG) is not marked,
even on a demo store; a query on statuses is, even when it names no indicator. The texts of
the mark are in :mod:`toc.illustrative`.

>>> reads_indicator_data("MATCH (i:Indicator)-[:MEASURES]->(o) RETURN o.id")
True
>>> reads_indicator_data("MATCH (s:Strategy) RETURN s.title_en AS indicator")
False
>>> rests_on_illustrative(["node"], "MATCH (p:Partner) RETURN p", data_illustrative=True)
False
>>> rests_on_illustrative(["status"], "RETURN 1", data_illustrative=True)
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "DATA_PARAMETER_TYPES",
    "INDICATOR_TABLES",
    "reads_indicator_data",
    "rests_on_illustrative",
]

#: The graph's node and relationship tables that hold indicator data (both engines).
INDICATOR_TABLES = ("Indicator", "IndicatorVersion", "MeasurementRevision", "MEASURES")
#: Query parameter types computed from indicator values (statuses, progress per year).
DATA_PARAMETER_TYPES = frozenset({"status", "progress"})

# A table named as a label or type in a pattern: ``(i:Indicator)``, ``[:MEASURES]``,
# ``(x:`MeasurementRevision`)``, or tested with a label predicate; both engines read names
# case-insensitively here, as LadybugDB does.
_TABLE = re.compile(
    r":\s*`?(?:" + "|".join(INDICATOR_TABLES) + r")`?(?![A-Za-z0-9_])", re.IGNORECASE
)


def reads_indicator_data(cypher: str) -> bool:
    """Whether the query text names a table that holds indicators or measurements."""
    return bool(_TABLE.search(cypher))


def rests_on_illustrative(
    parameter_types: Iterable[str], cypher: str, *, data_illustrative: bool
) -> bool:
    """Whether an answer computed with parameters of ``parameter_types`` by ``cypher`` rests
    on illustrative data, given whether the store's indicator data includes any."""
    if not data_illustrative:
        return False
    return bool(DATA_PARAMETER_TYPES & set(parameter_types)) or reads_indicator_data(cypher)
