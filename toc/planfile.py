"""Read and write plan files (YAML), keeping line numbers for error messages.

The YAML dialect is deliberately strict: only ``true``/``false`` are booleans (so a country
code ``NO`` stays a string), numbers are only those written plainly (``12``, ``12.5``, ``1e3``,
``1_000``: see :mod:`toc.numbers`; ``010`` or ``1:30`` stay text), and a key given twice in
one mapping is an error rather than the second value silently winning.

>>> plan = loads("format: toc-plan/1\\nnodes: {}\\n", check=False)
>>> len(plan)
0
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from toc.document import decode, encode
from toc.errors import Issue, PlanError, PlanInvalid
from toc.model import Plan
from toc.numbers import YAML_FLOAT, YAML_INT
from toc.validate import validate

__all__ = ["dump", "dumps", "load", "loads", "read_document"]


class _LineDict(dict):
    """A mapping that remembers the line it started on (1-based)."""

    line: int | None = None


class _StrictLoader(yaml.SafeLoader):
    pass


# YAML 1.1 reads yes/no/on/off as booleans; we accept only true/false.
_StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Numbers only as written plainly (toc.numbers): YAML 1.1 would read 010 as 8, 1:30 as 90
# and 0x1F as 31; such text stays text, which a number field refuses with a message.
for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    _StrictLoader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != _tag]
        for k, v in _StrictLoader.yaml_implicit_resolvers.items()
    }
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(YAML_INT), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(YAML_FLOAT), list("-+0123456789.")
)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise PlanError(
                f"key {key!r} appears twice in the same mapping", line=key_node.start_mark.line + 1
            )
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def read_document(text: str, file: str | None = None) -> Any:
    """Parse YAML text into a document whose mappings know their line numbers."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except PlanError as e:
        raise PlanError(e.message, file=file, line=e.line) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(e, "problem", None) or str(e)
        raise PlanError(f"not valid YAML: {problem}", file=file, line=line) from None


def loads(text: str, file: str | None = None, *, check: bool = True) -> Plan:
    """Read a plan from YAML text; with ``check`` raise :class:`PlanInvalid` on any error."""
    plan, issues = loads_with_issues(text, file)
    if check and any(i.level == "error" for i in issues):
        raise PlanInvalid(issues, file=file)
    return plan


def loads_with_issues(text: str, file: str | None = None) -> tuple[Plan, list[Issue]]:
    """Read and validate a plan; return it with every issue (errors and warnings)."""
    doc = read_document(text, file)
    plan, issues, lines = decode(doc, file)
    issues += validate(plan, file=file, lines=lines)
    return plan, issues


def load(path: str | Path, *, check: bool = True) -> Plan:
    """Read a plan file. Errors name the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise PlanError("not UTF-8 text", file=str(path)) from None
    return loads(text, str(path), check=check)


def load_with_issues(path: str | Path) -> tuple[Plan, list[Issue]]:
    """Read a plan file and return it with all issues, raising only if it cannot be parsed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError("no such file", file=str(path)) from None
    return loads_with_issues(text, str(path))


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
