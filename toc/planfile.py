"""Read and write plan files (YAML), keeping line numbers for error messages.

The YAML dialect is deliberately strict: only ``true``/``false`` are booleans (so a country
code ``NO`` stays a string), numbers are only those written plainly (``12``, ``12.5``, ``1e3``,
``1_000``: see :mod:`toc.numbers`; ``010`` or ``1:30`` stay text), and a key given twice in
one mapping is an error rather than the second value silently winning. A file is read within
the limits of :data:`toc.limits.PLAN_FILE` (size, nesting, values) and may hold at most
:data:`~toc.limits.MAX_NODES` nodes and :data:`~toc.limits.MAX_LINKS` links
(docs/plan-format.md, "Limits").

>>> plan = loads("format: toc-plan/1\\nnodes: {}\\n", check=False)
>>> len(plan)
0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from toc.document import decode, encode
from toc.errors import Issue, PlanError, PlanInvalid
from toc.limits import MAX_LINKS, MAX_NODES, PLAN_FILE, FileLimits
from toc.model import Plan
from toc.numbers import YAML_FLOAT, YAML_INT
from toc.validate import validate
from toc.yaml_reader import read_text_file, read_yaml

__all__ = ["dump", "dumps", "load", "loads", "read_document"]


class _Dumper(yaml.SafeDumper):
    pass


# Text the loader would read as a number (1e3 is text to YAML 1.1, a number here) is quoted.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(YAML_INT), list("-+0123456789"))
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(YAML_FLOAT), list("-+0123456789.")
)


_UNUSUAL_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML mangles NEL and Unicode line separators in plain, single-quoted and block
    # styles; double quotes escape them, so such strings round-trip exactly.
    if any(ch in data for ch in _UNUSUAL_BREAKS):
        style = '"'
    elif "\n" in data:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def read_document(text: str, file: str | None = None, limits: FileLimits = PLAN_FILE) -> Any:
    """Parse YAML text into a document whose mappings know their line numbers, within
    ``limits`` (see :mod:`toc.yaml_reader`)."""
    return read_yaml(text, file, limits)


def loads(text: str, file: str | None = None, *, check: bool = True) -> Plan:
    """Read a plan from YAML text; with ``check`` raise :class:`PlanInvalid` on any error."""
    plan, issues = loads_with_issues(text, file)
    if check and any(i.level == "error" for i in issues):
        raise PlanInvalid(issues, file=file)
    return plan


def loads_with_issues(text: str, file: str | None = None) -> tuple[Plan, list[Issue]]:
    """Read and validate a plan; return it with every issue (errors and warnings)."""
    doc = read_document(text, file)
    _check_counts(doc, file)
    plan, issues, lines = decode(doc, file)
    issues += validate(plan, file=file, lines=lines)
    return plan, issues


def _check_counts(doc: Any, file: str | None) -> None:
    """Refuse a document with more nodes or links than :mod:`toc.limits` allow, before the
    time is spent decoding and validating them."""
    if not isinstance(doc, Mapping):
        return
    for section, limit, what in (("nodes", MAX_NODES, "nodes"), ("links", MAX_LINKS, "links")):
        groups = doc.get(section)
        if not isinstance(groups, Mapping):
            continue
        count = sum(len(items) for items in groups.values() if isinstance(items, list))
        if count > limit:
            raise PlanError(
                f"the file has {count:,} {what}; a plan may have at most {limit:,}",
                file=file,
                line=getattr(groups, "line", None),
            )


def load(path: str | Path, *, check: bool = True) -> Plan:
    """Read a plan file. Errors name the file and line."""
    return loads(read_text_file(path, PLAN_FILE), str(path), check=check)


def load_with_issues(path: str | Path) -> tuple[Plan, list[Issue]]:
    """Read a plan file and return it with all issues, raising only if it cannot be parsed."""
    return loads_with_issues(read_text_file(path, PLAN_FILE), str(path))


def dumps(plan: Plan) -> str:
    """The plan as YAML text, in a stable order so files diff well."""
    header = "# Theory-of-change plan file. Format: docs/plan-format.md\n"
    body = yaml.dump(encode(plan), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def dump(plan: Plan, path: str | Path) -> None:
    """Write the plan to a file (atomically: a temporary file is renamed into place)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(plan), encoding="utf-8")
    tmp.replace(path)
