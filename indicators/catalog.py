"""The indicator catalogue of a store: load a definitions file against the stored plan, with
the rules that protect recorded measurements.

A definitions load replaces the whole set, all or nothing, and every changed definition is
kept as a new version. It is refused (nothing written) when it would remove an indicator that
has measurements, or change the type, frequency or fiscal year of one: recorded values would
lose their meaning. Other changes (titles, targets, thresholds of meaning such as a corrected
baseline) are allowed; the versions show what changed and when, and "as of" reports use the
definitions in force at their date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators import definitions
from indicators.errors import IndicatorsInvalid
from indicators.model import Indicator
from indicators.store_protocol import IndicatorsSaved, IndicatorStorage
from toc.errors import Issue
from toc.version_notes import load_note

__all__ = ["LoadResult", "load_definitions", "protected_changes"]


@dataclass(frozen=True)
class LoadResult:
    """What a definitions load did (or would do, on a dry run)."""

    file: definitions.IndicatorFile
    saved: IndicatorsSaved | None
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def protected_changes(
    old: dict[str, Indicator], new: dict[str, Indicator], measured: set[str]
) -> list[Issue]:
    """Errors for changes that would orphan or reinterpret recorded measurements."""
    issues = []
    for code in sorted(measured):
        before, after = old.get(code), new.get(code)
        if before is None:
            continue
        if after is None:
            issues.append(
                Issue("error", "has recorded measurements and cannot be removed", id=code)
            )
            continue
        for name in ("type", "frequency", "fiscal_year_start"):
            if getattr(before, name) != getattr(after, name):
                issues.append(
                    Issue(
                        "error",
                        f"has recorded measurements; its {name} cannot change "
                        f"({getattr(before, name)} -> {getattr(after, name)})",
                        id=code,
                    )
                )
        dropped = sorted({p.id for p in before.periods} - {p.id for p in after.periods})
        if dropped and after.frequency == before.frequency:
            issues.append(
                Issue(
                    "error",
                    "has recorded measurements; its custom periods can be added to, not "
                    f"removed or changed ({', '.join(dropped)})",
                    id=code,
                )
            )
    return issues


def load_definitions(
    store: IndicatorStorage,
    path: str | Path,
    *,
    author: str = "",
    message: str = "",
    dry_run: bool = False,
) -> LoadResult:
    """Check a definitions file against the stored plan and make it the stored set."""
    plan = store.load_plan()
    if not plan.nodes:
        raise IndicatorsInvalid(
            [Issue("error", "the store holds no plan yet; load the plan first", str(path))],
            str(path),
        )
    loaded = definitions.load(path, plan)
    old = {i.code: i for i in store.indicators()}
    new = {i.code: i for i in loaded.indicators}
    measured = set(store.revision_frame(columns=["indicator"])["indicator"].unique())
    issues = protected_changes(old, new, measured)
    if issues:
        raise IndicatorsInvalid(
            [Issue(i.level, i.message, str(path), None, i.id) for i in issues], str(path)
        )
    added = tuple(sorted(set(new) - set(old)))
    removed = tuple(sorted(set(old) - set(new)))
    changed = tuple(sorted(c for c in set(new) & set(old) if new[c] != old[c]))
    if dry_run:
        return LoadResult(loaded, None, added, changed, removed)
    saved = store.save_indicators(
        loaded.indicators, author=author, message=message or load_note(Path(path).name)
    )
    return LoadResult(loaded, saved, saved.added, saved.changed, saved.removed)
