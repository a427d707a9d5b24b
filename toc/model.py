"""The plan model: immutable nodes, edges and the plan that holds them. No I/O here.

A plan is a typed property graph. Nodes and edges carry their kind-specific fields in
``props``, a read-only mapping whose keys are declared in :mod:`toc.kinds`.

>>> so = Node("StrategicObjective", "so1", Text(en="Internationalisation"), props={"number": 1})
>>> so.title.get("nl")
'Internationalisation'
>>> so.props["number"]
1
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from toc.kinds import LANGUAGES

__all__ = ["Edge", "Node", "Plan", "Text", "freeze"]


@dataclass(frozen=True, order=True)
class Text:
    """A text in Dutch and English; either may be empty (a missing translation)."""

    nl: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to the other language when missing."""
        own = getattr(self, lang, "") if lang in LANGUAGES else ""
        return own or self.en or self.nl

    def has(self, lang: str) -> bool:
        """True when the text exists in ``lang`` itself (no fallback)."""
        return bool(getattr(self, lang, ""))

    def __bool__(self) -> bool:
        return bool(self.nl or self.en)

    def missing(self) -> tuple[str, ...]:
        """Languages with no text while another language has one."""
        if not self:
            return ()
        return tuple(lang for lang in LANGUAGES if not getattr(self, lang))


def freeze(value: Any) -> Any:
    """Make a props value immutable: lists become tuples, dicts read-only mappings."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping) and not isinstance(value, MappingProxyType):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    return value


def _frozen_props(props: Mapping[str, Any] | None) -> Mapping[str, Any]:
    # None and empty texts mean "not given", so they are dropped: a plan reads back equal.
    clean = {
        k: freeze(v)
        for k, v in (props or {}).items()
        if v is not None and not (isinstance(v, Text) and not v)
    }
    return MappingProxyType(dict(sorted(clean.items())))


@dataclass(frozen=True)
class Node:
    """A node of the plan graph.

    ``source`` names the plan section it comes from; ``stated_in`` the language versions
    that state it (both by default), so a difference between the texts is recorded.
    """

    kind: str
    id: str
    title: Text
    description: Text = Text()
    source: str = ""
    stated_in: tuple[str, ...] = LANGUAGES
    note: str = ""
    props: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _frozen_props(self.props))
        object.__setattr__(self, "stated_in", tuple(self.stated_in))

    def __hash__(self) -> int:
        return hash((self.kind, self.id))

    def label(self, lang: str) -> str:
        """A short label: the short title when the kind has one, else the title."""
        short = self.props.get("short_title")
        if isinstance(short, Text) and short:
            return short.get(lang)
        return self.title.get(lang)


@dataclass(frozen=True)
class Edge:
    """A directed, typed edge. One edge per (kind, source, target)."""

    kind: str
    source: str
    target: str
    props: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _frozen_props(self.props))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.source, self.target)

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True)
class Plan:
    """A whole plan: its nodes and edges, in a stable order.

    Build one with :meth:`Plan.of`, which sorts nodes and edges so two plans with the same
    content compare equal whatever order they were read in.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @classmethod
    def of(cls, nodes: Iterable[Node], edges: Iterable[Edge]) -> Plan:
        return cls(
            tuple(sorted(nodes, key=lambda n: (n.kind, n.id))),
            tuple(sorted(edges, key=lambda e: e.key)),
        )

    @property
    def root(self) -> Node | None:
        """The Plan node, if there is one."""
        return next((n for n in self.nodes if n.kind == "Plan"), None)

    def node(self, node_id: str) -> Node:
        """The node with ``node_id``; KeyError when absent."""
        return self._index()[node_id]

    def get(self, node_id: str) -> Node | None:
        return self._index().get(node_id)

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]

    def edges_of_kind(self, kind: str) -> list[Edge]:
        return [e for e in self.edges if e.kind == kind]

    def edges_from(self, node_id: str) -> tuple[Edge, ...]:
        """The edges leaving ``node_id``, in plan order (indexed once per plan: a node page
        of a 20,000-node plan must not scan every edge)."""
        return self._adjacency()[0].get(node_id, ())

    def edges_to(self, node_id: str) -> tuple[Edge, ...]:
        """The edges arriving at ``node_id``, in plan order."""
        return self._adjacency()[1].get(node_id, ())

    def edges_assuming(self, node_id: str) -> tuple[Edge, ...]:
        """The edges that name ``node_id`` among their ``assumptions``, in plan order."""
        return self._adjacency()[2].get(node_id, ())

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def _index(self) -> dict[str, Node]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {n.id: n for n in self.nodes}
            object.__setattr__(self, "_by_id", cached)
        return cached

    def _adjacency(
        self,
    ) -> tuple[
        dict[str, tuple[Edge, ...]], dict[str, tuple[Edge, ...]], dict[str, tuple[Edge, ...]]
    ]:
        cached = self.__dict__.get("_adjacency_index")
        if cached is None:
            out: dict[str, list[Edge]] = {}
            into: dict[str, list[Edge]] = {}
            assuming: dict[str, list[Edge]] = {}
            for e in self.edges:
                out.setdefault(e.source, []).append(e)
                into.setdefault(e.target, []).append(e)
                for a in dict.fromkeys(e.props.get("assumptions", ())):
                    assuming.setdefault(a, []).append(e)
            cached = tuple({k: tuple(v) for k, v in d.items()} for d in (out, into, assuming))
            object.__setattr__(self, "_adjacency_index", cached)
        return cached

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self.nodes == other.nodes and self.edges == other.edges

    def __hash__(self) -> int:
        return hash((self.nodes, self.edges))
