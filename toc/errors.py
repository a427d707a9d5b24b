"""Named errors of the domain layer, each saying which file, line or id is concerned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Issue", "PlanConflict", "PlanError", "PlanInvalid"]


@dataclass(frozen=True)
class Issue:
    """One problem found in a plan. ``level`` is "error" or "warning"."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    id: str | None = None

    #: A message quotes what it found; a hostile value is cut so the message stays a line.
    MAX_MESSAGE: ClassVar[int] = 1_000

    def __post_init__(self) -> None:
        if len(self.message) > self.MAX_MESSAGE:
            object.__setattr__(self, "message", self.message[: self.MAX_MESSAGE] + " …")
        if self.id is not None and len(self.id) > self.MAX_MESSAGE // 4:
            object.__setattr__(self, "id", self.id[: self.MAX_MESSAGE // 4] + "…")

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        what = f"[{self.id}] " if self.id else ""
        return f"{where}{self.level}: {what}{self.message}"


class PlanError(Exception):
    """A plan file or plan cannot be read or used."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(where + message)


class PlanInvalid(PlanError):
    """A plan has errors; ``issues`` lists all of them (errors and warnings)."""

    def __init__(self, issues: list[Issue], file: str | None = None) -> None:
        self.issues = issues
        errors = [i for i in issues if i.level == "error"]
        head = f"{len(errors)} error(s) in the plan"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in errors), file=None)
        self.file = file

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]


class PlanConflict(PlanError):
    """The stored plan changed since the plan being saved was read from it (someone else
    saved it meanwhile, maybe from another process); nothing was written. Read it again,
    redo the change and save again."""
