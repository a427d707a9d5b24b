"""The packages run one way: toc and indicators below graphdb, graphdb below web, cli on top.

Read from the source (the AST of every module), not from what happens to be imported at run
time, so an import inside a function or under ``TYPE_CHECKING`` counts as much as one at the
top: either is a dependency a reader has to follow. The rules (docs/architecture.md):

* ``toc`` (the plan domain) imports none of the other packages;
* ``indicators`` (the indicator domain) may import ``toc``, nothing above;
* ``graphdb`` (the stores) may import ``toc`` and ``indicators``, not ``web`` or ``cli``;
* ``web`` may import everything but ``cli``; ``cli`` may import all of them;
* no two modules import each other, directly or round a circle, and neither do packages;
* Cypher is written only in ``graphdb``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import REPO

PACKAGES = ("toc", "indicators", "graphdb", "web", "cli")

#: What each package may import from the others.
ALLOWED = {
    "toc": set(),
    "indicators": {"toc"},
    "graphdb": {"toc", "indicators"},
    "web": {"toc", "indicators", "graphdb"},
    "cli": {"toc", "indicators", "graphdb", "web"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the five packages: dotted name -> file."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "neo4j-testserver" not in path.parts:
                found[_module_name(path)] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(name: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = modules()[name].name == "__init__.py"
    base = name.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def imports(name: str) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in module ``name``, ``importlib.import_module("x")``
    with a literal name included; ``from package import module`` names the module."""
    known = modules()
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, node)
            yield node.lineno, target
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    yield node.lineno, f"{target}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def _module_of(target: str) -> str | None:
    """The project module ``target`` names (itself, or the package holding a name)."""
    known = modules()
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def module_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name in modules():
        graph.add_node(name)
        for _, target in imports(name):
            module = _module_of(target)
            if module is not None and module != name and not name.startswith(f"{module}."):
                graph.add_edge(name, module)
    return graph


def test_every_package_is_read():
    found = {name.partition(".")[0] for name in modules()}
    assert found == set(PACKAGES)
    assert len(modules()) > 140


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_run_one_way(package):
    upward = []
    for name in modules():
        if name.partition(".")[0] != package:
            continue
        for line, target in imports(name):
            other = target.partition(".")[0]
            if other in PACKAGES and other != package and other not in ALLOWED[package]:
                upward.append(f"{modules()[name].relative_to(REPO)}:{line} imports {target}")
    assert not upward, f"{package} may import only {sorted(ALLOWED[package])}:\n" + "\n".join(
        upward
    )


def test_no_module_imports_itself_round_a_circle():
    # a package's __init__ importing its own modules is not a circle: a package and its
    # modules are one unit; the edges between a module and its own package are left out
    circles = [sorted(c) for c in nx.strongly_connected_components(module_graph()) if len(c) > 1]
    assert not circles, "modules importing each other:\n" + "\n".join(map(str, circles))


def test_no_package_imports_itself_round_a_circle():
    graph = nx.DiGraph()
    for a, b in module_graph().edges:
        pa, pb = a.rpartition(".")[0] or a, b.rpartition(".")[0] or b
        if modules()[a].name == "__init__.py":
            pa = a
        if modules()[b].name == "__init__.py":
            pb = b
        if pa != pb and not pa.startswith(f"{pb}.") and not pb.startswith(f"{pa}."):
            graph.add_edge(pa, pb)
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not circles, "packages importing each other:\n" + "\n".join(map(str, circles))


#: A Cypher clause with its pattern: MATCH (, OPTIONAL MATCH (, MERGE (, CREATE (, CREATE
#: INDEX or CONSTRAINT, UNWIND $x, DETACH DELETE, CALL { or CALL db. (a message naming the
#: clauses, "starts with MATCH, OPTIONAL MATCH or ...", is not a query)
CYPHER = re.compile(
    r"\b(?:OPTIONAL\s+)?MATCH\s*\(|\bMERGE\s*\(|\bCREATE\s*\(|\bCREATE\s+(?:CONSTRAINT|INDEX)\b"
    r"|\bUNWIND\s+\$|\bDETACH\s+DELETE\b|\bCALL\s*(?:\{|db\.)",
)


def _strings(module: ast.Module) -> Iterator[tuple[int, str]]:
    """The string literals of a module that are not docstrings."""
    docstrings = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(module):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def test_the_cypher_pattern_finds_cypher():
    assert CYPHER.search("MATCH (n:Objective) RETURN n.id")
    assert CYPHER.search("UNWIND $rows AS r MERGE (n:Node {id: r.id})")
    assert CYPHER.search("OPTIONAL MATCH (a)-[r]->(b)")
    assert not CYPHER.search("Match the measurements to their indicators (by code).")
    assert not CYPHER.search("Create a store")


def test_cypher_is_written_only_in_graphdb():
    found = []
    for name, path in modules().items():
        if name.partition(".")[0] == "graphdb":
            continue
        for line, text in _strings(tree(name)):
            if CYPHER.search(text):
                found.append(f"{path.relative_to(REPO)}:{line}: {text[:60]!r}")
    assert not found, "Cypher outside graphdb/:\n" + "\n".join(found)
