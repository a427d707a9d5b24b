"""Parse untrusted YAML text within limits, with the line of every problem.

PyYAML's safe loader builds no Python objects from tags, but it still recurses once per
level of nesting (5,000 levels end in a ``RecursionError``), lets an alias stand for a whole
tree any number of times ("billion laughs": a few lines that expand to 10^9 values when a
caller walks or prints them), and hands through integers of any length (Python refuses to
convert those of more than 4,300 digits, with a ``ValueError``). :class:`BoundedLoader`
checks the :class:`toc.limits.FileLimits` while it composes the document, so none of that
reaches the caller: every problem is a :class:`toc.errors.PlanError` naming the line.

The dialect is strict as well: only ``true``/``false`` are booleans (so a country code ``NO``
stays a string), numbers are only those written plainly (``12``, ``12.5``, ``1e3``, ``1_000``:
see :mod:`toc.numbers`; ``010``, ``0x1F`` or ``1:30`` stay text), and a key given twice in
one mapping is an error rather than the second value silently winning. Mappings are
:class:`LineDict`, which know their line.

>>> read_yaml("a: [1, {b: true}]\\n")
{'a': [1, {'b': True}]}
>>> read_yaml("a: " + "[" * 30 + "]" * 30, "deep.yaml")
Traceback (most recent call last):
  ...
toc.errors.PlanError: deep.yaml:1: nested more than 20 levels deep (the limit of this kind of file)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from toc.errors import PlanError
from toc.limits import PLAN_FILE, FileLimits
from toc.numbers import YAML_FLOAT, YAML_INT

__all__ = ["BoundedLoader", "LineDict", "read_text_file", "read_yaml"]


class LineDict(dict):
    """A mapping that remembers the line it started on (1-based)."""

    line: int | None = None


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


class BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses, while composing, what goes beyond its limits."""

    def __init__(self, stream: str, limits: FileLimits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0
        self._values = 0
        self._sizes: dict[int, int] = {}

    def _count(self, values: int, mark: Any) -> None:
        self._values += values
        if self._values > self.limits.max_values:
            raise PlanError(
                f"more than {self.limits.max_values:,} values (aliases count as what they repeat)",
                line=_line(mark),
            )

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise PlanError(
                        f"alias *{event.anchor} refers to the collection it is in",
                        line=_line(event.start_mark),
                    )
                self._count(size, event.start_mark)
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > self.limits.max_depth:
            raise PlanError(
                f"nested more than {self.limits.max_depth} levels deep (the limit of this kind "
                "of file)",
                line=_line(mark),
            )
        anchor = getattr(self.peek_event(), "anchor", None)
        before = self._values
        self._count(1, mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.ScalarNode) and len(node.value) > self.limits.max_scalar_chars:
            raise PlanError(
                f"a value of {len(node.value):,} characters; at most "
                f"{self.limits.max_scalar_chars:,}",
                line=_line(mark),
            )
        if anchor is not None:
            self._sizes[id(node)] = self._values - before
        return node

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as e:
            # A date such as 2027-13-45, or a value a constructor cannot take.
            what = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else node.tag
            raise PlanError(f"cannot read {what}: {e}", line=_line(node.start_mark)) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """A whole number, refused when no store could hold it even as a float (beyond about
        1.8e308; Python itself refuses to read more than 4,300 digits). Fields of whole
        numbers hold the 64-bit range (:func:`toc.validate.check_value`)."""
        digits = len(node.value.lstrip("+-").replace("_", "").lstrip("0"))
        if digits > _MOST_DIGITS:
            raise PlanError(
                f"a whole number of {digits:,} digits; numbers must lie between about -1.8e308 "
                "and 1.8e308",
                line=_line(node.start_mark),
            )
        return super().construct_yaml_int(node)


#: The most digits of a whole number within the float range (1.8e308 has 309).
_MOST_DIGITS = 309


# YAML 1.1 reads yes/no/on/off as booleans; we accept only true/false.
BoundedLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
BoundedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Numbers only as written plainly (toc.numbers): YAML 1.1 would read 010 as 8, 1:30 as 90
# and 0x1F as 31; such text stays text, which a number field refuses with a message.
for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    BoundedLoader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != _tag]
        for k, v in BoundedLoader.yaml_implicit_resolvers.items()
    }
BoundedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(YAML_INT), list("-+0123456789")
)
BoundedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(YAML_FLOAT), list("-+0123456789.")
)


def _construct_mapping(loader: BoundedLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            seen = key in out
        except TypeError:  # a list or mapping as a key
            raise PlanError(
                "a key must be a plain value, not a list or mapping",
                line=key_node.start_mark.line + 1,
            ) from None
        if seen:
            raise PlanError(
                f"key {key!r:.80} appears twice in the same mapping",
                line=key_node.start_mark.line + 1,
            )
        out[key] = loader.construct_object(value_node, deep=True)
    return out


BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)


def read_yaml(text: str, file: str | None = None, limits: FileLimits = PLAN_FILE) -> Any:
    """Parse one YAML document within ``limits``; mappings are :class:`LineDict`.

    Raises :class:`PlanError` with ``file`` and the line for text that is too large, nested
    too deep, holds too many values, is not valid YAML or has a value no constructor takes.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        raise PlanError(
            f"the file is {size / 1024 / 1024:.1f} MB; at most "
            f"{limits.max_bytes / 1024 / 1024:g} MB",
            file=file,
        )
    loader = None
    try:
        loader = BoundedLoader(text, limits)  # the reader checks the characters at once
        return loader.get_single_data()
    except PlanError as e:
        raise PlanError(e.message, file=file, line=e.line) from None
    except yaml.YAMLError as e:
        line = _error_line(e, text)
        raise PlanError(f"not valid YAML: {_problem(e)}", file=file, line=line) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise PlanError("nested too deep", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()


def _problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"character #x{error.character:04x} is not allowed in YAML"
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    return f"{context}, {problem}" if context and "\n" not in context else problem


def _error_line(error: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(error, "position", None)
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return None


def read_text_file(path: str | Path, limits: FileLimits = PLAN_FILE) -> str:
    """The UTF-8 text of a file (a byte-order mark dropped), refused with
    :class:`PlanError` when it is missing, larger than ``limits`` allow or not UTF-8 (naming
    the line of the first bad byte). Reads no more than the limit."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = f.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise PlanError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise PlanError("a folder, not a file", file=str(path)) from None
    except OSError as e:
        raise PlanError(f"cannot read the file: {e.strerror or e}", file=str(path)) from None
    if len(data) > limits.max_bytes:
        raise PlanError(
            f"the file is larger than {limits.max_bytes / 1024 / 1024:g} MB", file=str(path)
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise PlanError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x}; save the file as UTF-8)",
            file=str(path),
            line=line,
        ) from None
