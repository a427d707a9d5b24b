"""Read a learning file: evidence items and harvested outcomes as YAML, checked item by item.

The file is a mapping with ``outcomes`` and ``evidence`` (lists of the mappings of
:meth:`toc.harvest.HarvestedOutcome.from_dict` and :meth:`toc.evidence.Evidence.from_dict`)
and an optional ``illustrative: true``, which marks every item and outcome of the file as
demo data (the one rule of :mod:`toc.illustrative`: demo data says so wherever it is shown).
Dates after ``today`` are refused, except in an illustrative file: demo data may be set in
the plan's future (the demo measurements are). Every problem is a
:class:`toc.errors.PlanError` naming the file, the line and the item.
Checks against a plan are the store's (:mod:`graphdb.learning_store`).

>>> text = '''
... illustrative: true
... outcomes: []
... evidence:
...   - {id: ev1, kind: study, says: supports, strength: weak, source_text: x,
...      date: "2030-01-01", author: a, link: {source: s1, target: o1}}
... '''
>>> evidence, outcomes = parse_learning(text, "demo.yaml")
>>> evidence[0].illustrative, evidence[0].link
(True, Link(source='s1', target='o1', kind='CONTRIBUTES_TO'))
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from toc.errors import PlanError
from toc.evidence import Evidence, EvidenceError
from toc.harvest import HarvestedOutcome
from toc.limits import FileLimits
from toc.yaml_reader import read_text_file, read_yaml

__all__ = ["LEARNING_FILE", "load_learning", "parse_learning"]

#: A learning file: 5 MB.
LEARNING_FILE = FileLimits(max_bytes=5 * 1024 * 1024, max_depth=10, max_values=500_000)

_KEYS = ("illustrative", "outcomes", "evidence")


def parse_learning(
    text: str, file: str | None = None, *, today: dt.date | None = None
) -> tuple[list[Evidence], list[HarvestedOutcome]]:
    """The evidence items and outcomes of a learning file's text (see the module doc)."""
    data = read_yaml(text, file, LEARNING_FILE)
    if not isinstance(data, dict):
        raise PlanError("a learning file is a mapping with outcomes and evidence", file=file)
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise PlanError(f"unknown key(s) {', '.join(unknown)}", file=file)
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise PlanError("illustrative: must be true or false", file=file)
    if illustrative:
        today = None
    outcomes = [
        _made(HarvestedOutcome.from_dict, raw, illustrative, file, today)
        for raw in _items(data, "outcomes", file)
    ]
    evidence = [
        _made(Evidence.from_dict, raw, illustrative, file, today)
        for raw in _items(data, "evidence", file)
    ]
    return evidence, outcomes


def load_learning(
    path: str | Path, *, today: dt.date | None = None
) -> tuple[list[Evidence], list[HarvestedOutcome]]:
    """The evidence items and outcomes of a learning file (size checked before reading)."""
    return parse_learning(read_text_file(path, LEARNING_FILE), str(path), today=today)


def _items(data: dict[str, Any], key: str, file: str | None) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PlanError(f"{key}: must be a list", file=file, line=getattr(data, "line", None))
    return value


def _made(make: Any, raw: Any, illustrative: bool, file: str | None, today: dt.date | None) -> Any:
    line = getattr(raw, "line", None)
    if isinstance(raw, dict) and illustrative:
        raw = {**raw, "illustrative": True}
    try:
        return make(raw, today=today)
    except EvidenceError as e:
        raise PlanError(str(e), file=file, line=line) from None
