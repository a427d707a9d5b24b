"""Copy everything one store holds into another, empty one, then check both sides agree.

This is ``toc migrate``: from the embedded file to Neo4j when a team grows, and back. A store
is copied part by part (:data:`PARTS`): the plan with its full revision history, the
accounts, the indicator definitions with their versions, the measurement log, and the
evidence, priors and harvested outcomes with their audit log, and the evidence files kept
beside the store (copied with their hashes verified). Each part
knows how to count, copy and compare itself through the store interface only, so the copy
works between any two engines. The plan part is one transaction; a failure in a later part
leaves the target partly filled, and the report says so: empty it and run again.

Example::

    with open_store("data/pathways.lbug", read_only=True) as src, open_store(url) as dst:
        report = migrate(src, dst)
    assert report.ok, report.differences
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphdb.errors import StoreError
from graphdb.store import GraphStore
from toc.model import Plan

__all__ = ["PARTS", "MigrationReport", "Part", "migrate", "verify"]

#: Differences listed per part before the rest are only counted.
MAX_LISTED = 20


@dataclass(frozen=True)
class Part:
    """One part of a store's content: how much a store holds (labelled counts), how to copy
    it into an empty store, and how to compare two stores (differences; empty when equal)."""

    name: str
    count: Callable[[GraphStore], dict[str, int]]
    copy: Callable[[GraphStore, GraphStore], None]
    compare: Callable[[GraphStore, GraphStore], list[str]]


@dataclass
class MigrationReport:
    """What was copied (count per part) and every difference found afterwards."""

    source: str
    target: str
    copied: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        """The report as lines for people."""
        out = [f"Copied {self.source} -> {self.target}:"]
        out += [f"  {name:<22} {count}" for name, count in self.copied.items()]
        if self.ok:
            out.append("Verified: both stores hold the same.")
        else:
            out.append(f"Verification found {len(self.differences)} difference(s):")
            out += [f"  {d}" for d in self.differences]
        return out


def migrate(source: GraphStore, target: GraphStore) -> MigrationReport:
    """Copy every part of ``source`` into the empty ``target``, then :func:`verify` them.

    Raises :class:`StoreError` (and writes nothing) when ``target`` is not empty.
    """
    for part in PARTS:
        held = {k: n for k, n in part.count(target).items() if n}
        if held:
            what = ", ".join(f"{n} {k}" for k, n in held.items())
            raise StoreError(
                f"{target.location}: the target is not empty ({what}); migrate into an empty store"
            )
    report = MigrationReport(source.location, target.location)
    for part in PARTS:
        try:
            part.copy(source, target)
        except StoreError as e:
            copied = ", ".join(report.copied) or "nothing"
            raise StoreError(
                f"copying {part.name} failed ({e}); the target holds {copied} already: "
                "empty it before trying again"
            ) from None
        report.copied.update(part.count(source))
    report.differences = verify(source, target)
    return report


def verify(source: GraphStore, target: GraphStore) -> list[str]:
    """Every difference between two stores, part by part (empty when they hold the same)."""
    out: list[str] = []
    for part in PARTS:
        out += part.compare(source, target)
    return out


# -- the plan and its history ----------------------------------------------------------------
def _copy_plan(source: GraphStore, target: GraphStore) -> None:
    target.restore(source.load_plan(), source.revisions(), source.version_contents())


def _compare_plans(source: GraphStore, target: GraphStore) -> list[str]:
    a, b = source.load_plan(), target.load_plan()
    if a == b:
        return []
    return _diff("node", {n.id: n for n in a.nodes}, {n.id: n for n in b.nodes}) + _diff(
        "link", {e.key: e for e in a.edges}, {e.key: e for e in b.edges}
    )


def _compare_revisions(source: GraphStore, target: GraphStore) -> list[str]:
    a = {r.version: r for r in source.revisions()}
    b = {r.version: r for r in target.revisions()}
    kept_a = {c.version: c for c in source.version_contents()}
    kept_b = {c.version: c for c in target.version_contents()}
    return _diff("plan revision", a, b) + _diff("plan version content", kept_a, kept_b)


def _plan_count(store: GraphStore) -> dict[str, int]:
    plan: Plan = store.load_plan()
    return {
        "plan nodes": len(plan.nodes),
        "plan links": len(plan.edges),
        "plan revisions": len(store.revisions()),
    }


# -- accounts ----------------------------------------------------------------------------------
def _copy_accounts(source: GraphStore, target: GraphStore) -> None:
    for account in source.accounts():
        target.add_account(account)


def _compare_accounts(source: GraphStore, target: GraphStore) -> list[str]:
    a = {x.username: x for x in source.accounts()}
    b = {x.username: x for x in target.accounts()}
    return _diff("account", a, b)


# -- indicators and measurements -----------------------------------------------------------------
def _copy_indicators(source: GraphStore, target: GraphStore) -> None:
    history = source.indicator_history()
    if history:
        target._write_indicators(source.indicators(), [], history)


def _compare_indicators(source: GraphStore, target: GraphStore) -> list[str]:
    def versions(store: GraphStore) -> dict[tuple[str, int], Any]:
        return {(v.code, v.version): v for v in store.indicator_history()}

    out = _diff("indicator version", versions(source), versions(target))
    a = {i.code: i for i in source.indicators()}
    b = {i.code: i for i in target.indicators()}
    return out + _diff("indicator", a, b)


def _copy_measurements(source: GraphStore, target: GraphStore) -> None:
    frame = source.revision_frame()
    if not frame.empty:
        target.append_revisions(frame, expected_count=0)


def _compare_measurements(source: GraphStore, target: GraphStore) -> list[str]:
    a, b = source.revision_frame(), target.revision_frame()
    if a.equals(b):
        return []
    rows_a = {r["uid"]: r for r in a.to_dict("records")}
    rows_b = {r["uid"]: r for r in b.to_dict("records")}
    out = _diff("measurement revision", rows_a, rows_b, equal=_same_record)
    return out or [f"measurement revisions: the logs differ in order or types ({len(a)} rows)"]


def _same_record(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Record rows equal, NaN equal to NaN (missing numbers)."""
    if a.keys() != b.keys():
        return False
    return all(a[k] == b[k] or (_nan(a[k]) and _nan(b[k])) for k in a)


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


# -- evidence, priors and harvested outcomes ---------------------------------------------------
def _copy_learning(source: GraphStore, target: GraphStore) -> None:
    target.restore_learning(source.learning_log())


def _compare_learning(source: GraphStore, target: GraphStore) -> list[str]:
    a = {c.uid: c for c in source.learning_log()}
    b = {c.uid: c for c in target.learning_log()}
    return _diff("learning change", a, b)


def _learning_count(store: GraphStore) -> dict[str, int]:
    return {
        "evidence items": len(store.evidence()),
        "harvested outcomes": len(store.outcomes()),
        "learning changes": len(store.learning_log()),
    }


# -- the evidence files beside the store -----------------------------------------------------
def _copy_files(source: GraphStore, target: GraphStore) -> None:
    """Copy the files folder, each file's hash checked on both sides."""
    try:
        source.attachment_files.copy_to(target.attachment_files)
    except (OSError, ValueError) as e:
        raise StoreError(str(e)) from None


def _compare_files(source: GraphStore, target: GraphStore) -> list[str]:
    """Files of the source missing in the target, and files a record of the target names
    (evidence or an indicator value) that it does not keep."""
    held = target.attachment_files.addresses()
    missing = source.attachment_files.addresses() - held
    out = [f"evidence file {sha256} is missing in the target" for sha256 in sorted(missing)]
    unkept = target.named_file_addresses() - held - missing
    out += [
        f"file {sha256} is named by a record but kept in neither store" for sha256 in sorted(unkept)
    ]
    return _capped(out)


def _files_count(store: GraphStore) -> dict[str, int]:
    return {
        "evidence files": len(store.attachment_files.addresses()),
        "files named by evidence": len(store.evidence_file_addresses()),
        "files named by values": len(store.value_file_addresses()),
    }


PARTS: list[Part] = [
    Part(
        "the plan",
        _plan_count,
        _copy_plan,
        lambda s, t: _compare_plans(s, t) + _compare_revisions(s, t),
    ),
    Part("accounts", lambda s: {"accounts": len(s.accounts())}, _copy_accounts, _compare_accounts),
    Part(
        "indicators",
        lambda s: {"indicator versions": len(s.indicator_history())},
        _copy_indicators,
        _compare_indicators,
    ),
    Part(
        "measurements",
        lambda s: {"measurement revisions": s.revision_count()},
        _copy_measurements,
        _compare_measurements,
    ),
    Part("evidence and outcomes", _learning_count, _copy_learning, _compare_learning),
    Part(
        "evidence files",
        _files_count,
        lambda s, t: _copy_files(s, t),
        lambda s, t: _compare_files(s, t),
    ),
]


def _diff(
    what: str,
    a: dict[Any, Any],
    b: dict[Any, Any],
    *,
    equal: Callable[[Any, Any], bool] = lambda x, y: x == y,
) -> list[str]:
    """Lines naming what is only in the source, only in the target, or different."""
    found = [f"{what} {_key(k)}: missing in the target" for k in a if k not in b]
    found += [f"{what} {_key(k)}: only in the target" for k in b if k not in a]
    found += [f"{what} {_key(k)}: differs" for k in a if k in b and not equal(a[k], b[k])]
    return _capped(found)


def _key(key: Any) -> str:
    return "/".join(map(str, key)) if isinstance(key, tuple) else str(key)


def _capped(lines: Sequence[str] | Iterable[str]) -> list[str]:
    lines = list(lines)
    if len(lines) <= MAX_LISTED:
        return lines
    return [*lines[:MAX_LISTED], f"... and {len(lines) - MAX_LISTED} more"]
