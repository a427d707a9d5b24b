"""The content of plan versions: every save keeps its diff, so any two versions can be
compared and any version restored, on every engine.

Each saved version (a :class:`graphdb.store.PlanRevision`) has one content record: the
:class:`toc.diff.PlanDiff` from the version before (``base`` "previous"), or from the empty
plan (``base`` "empty": the first save, and the baseline a store made before versions kept
their content gets when it is opened). The diff is JSON, compressed (zlib) and base64 text, so
an edit costs about what it changed, and only the first version (or a baseline) costs the
whole plan. Version ``v`` is rebuilt from the last "empty" record at or before ``v`` by
applying the diffs after it in order; :func:`toc.diff.apply_diff` checks every step, so a
broken chain fails loudly instead of giving a wrong plan.

:class:`PlanVersions` is a mixin of :class:`graphdb.store.GraphStore`; engines implement
``_version_contents`` and ``_write_version_content`` (and write the content of each save in
the transaction of the save itself).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphdb.errors import StoreError
from toc.diff import PlanDiff, apply_diff, diff_from_json, diff_plans, diff_to_json
from toc.errors import PlanError
from toc.model import Plan

#: The content records of versions ``$first`` to ``$last`` (both engines run the same text).
CONTENTS_CYPHER = (
    "MATCH (c:PlanVersionContent) WHERE c.version >= $first AND c.version <= $last "
    "RETURN c.version, c.base, c.body ORDER BY c.version"
)
#: Only their bases: which versions are kept whole and which as a diff.
BASES_CYPHER = (
    "MATCH (c:PlanVersionContent) WHERE c.version >= $first AND c.version <= $last "
    "RETURN c.version, c.base ORDER BY c.version"
)


@dataclass(frozen=True)
class PlanRevision:
    """One saved version of the plan: who saved it, when and why (re-exported by
    :mod:`graphdb.store`, where callers find it)."""

    version: int
    saved_at: str
    author: str
    message: str
    nodes: int
    edges: int


__all__ = [
    "BASES",
    "PlanVersions",
    "VersionContent",
    "VersionNotKept",
    "decode_content",
    "encode_content",
    "revisions_between",
]

#: What the diff of a content record starts from.
BASES = ("previous", "empty")
_EMPTY = Plan.of([], [])


class VersionNotKept(StoreError):
    """The version does not exist, or was saved before versions kept their content."""


@dataclass(frozen=True)
class VersionContent:
    """The stored content of one version: its diff from ``base``, encoded."""

    version: int
    base: str
    body: str

    def diff(self) -> PlanDiff:
        return decode_content(self.body)


def encode_content(diff: PlanDiff) -> str:
    """A diff as compact text: JSON, zlib-compressed, base64 (ASCII, any engine stores it)."""
    text = json.dumps(diff_to_json(diff), ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode(), 6)).decode("ascii")


def decode_content(body: str) -> PlanDiff:
    """The diff of :func:`encode_content`; :class:`StoreError` when the text is damaged."""
    try:
        data = json.loads(zlib.decompress(base64.b64decode(body.encode("ascii"))))
        return diff_from_json(data)
    except (ValueError, zlib.error, PlanError) as e:
        raise StoreError(f"the stored content of a plan version is damaged: {e}") from None


def revisions_between(
    revisions: Sequence[PlanRevision], since: dt.date | None, until: dt.date | None
) -> list[PlanRevision]:
    """The revisions saved on or after ``since`` and on or before ``until`` (dates)."""
    out = []
    for r in revisions:
        day = r.saved_at[:10]
        if since is not None and day < since.isoformat():
            continue
        if until is not None and day > until.isoformat():
            continue
        out.append(r)
    return out


class PlanVersions(ABC):
    """Reading, comparing and restoring plan versions, built on two engine methods."""

    location: str

    if TYPE_CHECKING:  # provided by GraphStore

        def revisions(self) -> list[PlanRevision]: ...

        def load_plan(self) -> Plan: ...

    # -- engine methods ------------------------------------------------------------------------
    @abstractmethod
    def _version_contents(self, first: int, last: int) -> list[VersionContent]:
        """The content records of versions ``first`` to ``last`` (both included), in order."""

    @abstractmethod
    def _content_bases(self, first: int, last: int) -> dict[int, str]:
        """Version -> base of the content records of versions ``first`` to ``last``, without
        reading their bodies."""

    @abstractmethod
    def _write_version_content(self, content: VersionContent) -> None:
        """Store one content record on its own (a baseline), in one transaction."""

    # -- built on them ---------------------------------------------------------------------------

    def content_for_save(self, old: Plan, new: Plan, version: int) -> VersionContent:
        """The content record of saving ``new`` over ``old`` as ``version``: the diff from
        the version before when that one's content is kept, else the whole plan."""
        if version > 1 and self._content_bases(version - 1, version - 1):
            return VersionContent(version, "previous", encode_content(diff_plans(old, new)))
        return VersionContent(version, "empty", encode_content(diff_plans(_EMPTY, new)))

    def ensure_baseline(self) -> VersionContent | None:
        """Keep the current plan as the content of the latest version when that version has
        none (a store made before versions kept their content); returns what was written."""
        revisions = self.revisions()
        if not revisions:
            return None
        latest = revisions[-1].version
        if self._content_bases(latest, latest):
            return None
        content = VersionContent(
            latest, "empty", encode_content(diff_plans(_EMPTY, self.load_plan()))
        )
        self._write_version_content(content)
        return content

    def kept_versions(self) -> list[int]:
        """The versions whose content can be rebuilt (every one from the first baseline)."""
        versions = [r.version for r in self.revisions()]
        if not versions:
            return []
        bases = self._content_bases(versions[0], versions[-1])
        starts = [v for v, base in bases.items() if base == "empty"]
        if not starts:
            return []
        have = set(bases)
        out, ok = [], False
        for v in versions:
            if v in starts:
                ok = True
            ok = ok and v in have
            if ok:
                out.append(v)
        return out

    def plan_at(self, version: int) -> Plan:
        """The plan as version ``version`` had it (version 0: the empty plan before the first
        save); :class:`VersionNotKept` when unknown."""
        return self.plans_at([version])[version]

    def plans_at(self, wanted: Sequence[int]) -> dict[int, Plan]:
        """The plans of several versions, rebuilt in one pass over the kept content."""
        out = {v: _EMPTY for v in wanted if v == 0}
        wanted = sorted({v for v in wanted if v != 0})
        if not wanted:
            return out
        versions = [r.version for r in self.revisions()]
        unknown = [v for v in wanted if v not in versions]
        if unknown:
            latest = versions[-1] if versions else 0
            raise VersionNotKept(
                f"{self.location}: there is no plan version {unknown[0]} (versions 1 to {latest})"
            )
        bases = self._content_bases(versions[0], wanted[-1])
        start = max((v for v, base in bases.items() if base == "empty" and v <= wanted[0]),
                    default=None)  # fmt: skip
        if start is None or any(v not in bases for v in range(start, wanted[-1] + 1)):
            kept = self.kept_versions()
            first = f"; the first one kept is version {kept[0]}" if kept else ""
            missing = wanted[0] if start is None else min(
                v for v in wanted if any(u not in bases for u in range(start, v + 1))
            )  # fmt: skip
            raise VersionNotKept(
                f"{self.location}: version {missing} was saved before plan versions kept "
                f"their content{first}"
            )
        by_version = {c.version: c for c in self._version_contents(start, wanted[-1])}
        plan = _EMPTY
        for number in range(start, wanted[-1] + 1):
            content = by_version[number]
            if content.base == "empty":
                plan = _EMPTY
            try:
                plan = apply_diff(content.diff(), plan)
            except PlanError as e:
                raise StoreError(
                    f"{self.location}: the content of version {number} does not fit "
                    f"the version before: {e}"
                ) from None
            if number in wanted:
                out[number] = plan
        return out

    def diff_versions(self, old: int, new: int) -> PlanDiff:
        """What changed from version ``old`` to version ``new`` (either may be the later)."""
        plans = self.plans_at([old, new])
        return diff_plans(plans[old], plans[new])

    def changes_of(self, first: int, last: int) -> dict[int, PlanDiff]:
        """What each version from ``first`` to ``last`` changed against the version before,
        from its kept content (a baseline, whose version before is unknown, is left out)."""
        out = {}
        for content in self._version_contents(first, last):  # the bodies are needed here
            if content.base == "previous" or content.version == 1:
                out[content.version] = content.diff()
        return out

    def versions_between(self, old: int, new: int) -> list[PlanRevision]:
        """The versions saved after ``old`` up to and including ``new`` (either order): the
        ones whose who, when and why explain a diff."""
        low, high = sorted((old, new))
        return [r for r in self.revisions() if low < r.version <= high]

    def version_range(self, since: dt.date, until: dt.date) -> tuple[int, int]:
        """The versions to compare for the changes made from ``since`` to ``until`` (dates,
        both included): the one current the day before ``since``, and the one current at
        the end of ``until``."""
        if until < since:
            raise StoreError(f"the end date {until} is before the start date {since}")
        return self.version_at(since - dt.timedelta(days=1)), self.version_at(until)

    def version_at(self, day: dt.date) -> int:
        """The version that was current at the end of ``day`` (0 when none was saved yet)."""
        before = [r.version for r in self.revisions() if r.saved_at[:10] <= day.isoformat()]
        return before[-1] if before else 0
