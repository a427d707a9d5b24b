"""Refuse Cypher that writes, before it reaches any engine.

Evaluators may type their own queries; these must only read. The check looks at the query's
keywords outside string literals and comments, so ``RETURN 'CREATE'`` is fine and
``MATCH (n) DETACH DELETE n`` is refused. Engines add their own guard where they have one
(Neo4j runs reads in a read transaction).

>>> ensure_read_only("MATCH (n) RETURN n.id AS created")
>>> ensure_read_only("MATCH (n) SET n.x = 1")
Traceback (most recent call last):
...
graphdb.cypher_guard.WriteRefused: only reading queries are allowed here; found SET
"""

from __future__ import annotations

import re

__all__ = ["PRIVATE_NAMES", "WRITE_CLAUSES", "WriteRefused", "ensure_read_only", "redact"]

WRITE_CLAUSES = (
    "CREATE",
    "MERGE",
    "DELETE",
    "DETACH",
    "SET",
    "REMOVE",
    "DROP",
    "ALTER",
    "COPY",
    "LOAD",
    "INSTALL",
    "ATTACH",
    "IMPORT",
    "EXPORT",
    "FOREACH",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "CHECKPOINT",
    "USE",
    "GRANT",
    "REVOKE",
    "DENY",
    "START",
    "STOP",
    "TERMINATE",
)

_STRIP = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_WORD = re.compile(r"\b[A-Za-z_]+\b")
_CALL = re.compile(r"\bCALL\b\s*([A-Za-z_][\w.]*)?", re.IGNORECASE)
_READ_PROCEDURES = ("db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema", "show_")


#: Labels and properties that hold account data: queries may not name them, and results
#: never carry them (a ``MATCH (n) RETURN n`` would otherwise list password hashes).
PRIVATE_NAMES = ("Account", "password_hash", "failed_logins", "locked_until")
_PRIVATE_PROPERTIES = frozenset(PRIVATE_NAMES[1:])


class WriteRefused(ValueError):
    """The query contains a clause that writes or changes the database.

    ``reason`` says which rule refused it (``"write"``, ``"private"`` or ``"procedure"``) and
    ``word`` the clause, name or procedure found, so a page can say it in its own language.
    """

    def __init__(self, message: str, reason: str = "write", word: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.word = word


def ensure_read_only(cypher: str) -> None:
    """Raise :class:`WriteRefused` when ``cypher`` contains a writing clause."""
    code = _STRIP.sub(" ", cypher)
    for word in _WORD.findall(code):
        if word.upper() in WRITE_CLAUSES:
            raise WriteRefused(
                f"only reading queries are allowed here; found {word.upper()}",
                "write",
                word.upper(),
            )
    for word in _WORD.findall(code):
        if word in PRIVATE_NAMES:
            raise WriteRefused(
                f"{word} holds account data and cannot be queried here", "private", word
            )
    for match in _CALL.finditer(code):
        name = (match.group(1) or "").lower()
        if not name.startswith(_READ_PROCEDURES):
            raise WriteRefused(
                f"only reading queries are allowed here; procedure calls ({name or 'CALL {...}'}) "
                "are not",
                "procedure",
                name or "CALL {...}",
            )


def redact(value: dict) -> dict:
    """A node or relationship dict without account secrets."""
    return {k: v for k, v in value.items() if k not in _PRIVATE_PROPERTIES}
