"""Check ad-hoc Cypher before any engine sees it: one reading statement, nothing else.

This is the second line of defence. The first is where the query runs: a read-only
connection (LadybugDB opened read-only in a worker process, Neo4j in READ access mode) that
cannot see the credential store at all (:mod:`graphdb.credentials`). The check here stops what
a read-only connection still allows (LadybugDB's ``INSTALL``, ``LOAD FROM``, ``COPY ... TO``
and ``EXPORT DATABASE`` read or write files; Neo4j's ``LOAD CSV`` fetches URLs) and turns a
refusal into a clear reason instead of an engine error.

The query is tokenized as both engines read it: strings (``'...'``, ``"..."`` with backslash
escapes), backtick names (```` `a``b` ````), comments (``//`` to the end of the line,
``/* ... */``), parameters, numbers, words. Then:

* exactly one statement (a trailing ``;`` is fine);
* outside quotes and comments only ASCII (a Cyrillic ``С`` in ``СREATE`` or a zero-width
  space is refused, not guessed at), no backslash, no control or format character;
* the statement, and each part after ``UNION``, starts with a reading clause
  (:data:`START_CLAUSES`);
* no word of a writing, schema, file, extension, transaction or administration statement
  (:data:`REFUSED_WORDS`, compared case-insensitively; names after ``.`` or ``:`` and map
  keys are names, not keywords);
* ``CALL`` only of a subquery or of a reading procedure (:data:`READ_PROCEDURES`); no
  namespaced function outside the temporal and spatial ones (``apoc.*`` is refused).

Every refusal is a :class:`QueryRefused` with a ``reason`` code and the ``word`` concerned, so
pages say it in the user's language.

>>> ensure_read_only("MATCH (n:Strategy) WHERE n.title_en <> 'CREATE' RETURN n.id AS created")
>>> ensure_read_only("match (n) set n.x = 1")
Traceback (most recent call last):
...
graphdb.cypher_guard.QueryRefused: only reading queries are allowed here; found SET
>>> ensure_read_only("RETURN 1; RETURN 2")
Traceback (most recent call last):
...
graphdb.cypher_guard.QueryRefused: one query at a time: found 2 statements separated by ';'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

__all__ = [
    "READ_PROCEDURES",
    "REASONS",
    "REFUSED_WORDS",
    "START_CLAUSES",
    "QueryRefused",
    "Token",
    "ensure_read_only",
    "tokens",
]

#: Clauses a statement (and each part after UNION) may start with.
START_CLAUSES = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"})

#: Keywords that begin or make up a statement other than a read, in Neo4j 5 or LadybugDB:
#: writing clauses, schema and administration commands, transactions, files, extensions,
#: settings and query prefixes. None of them may appear as a word outside quotes.
REFUSED_WORDS = frozenset(
    {
        # writing clauses
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "NODETACH", "REMOVE", "FOREACH",
        "INSERT", "UPDATE", "UPSERT", "TRUNCATE",
        # schema, databases, graphs
        "DROP", "ALTER", "RENAME", "COMMENT", "MACRO", "PROJECT",
        # files, other databases, extensions
        "COPY", "LOAD", "CSV", "IMPORT", "EXPORT", "ATTACH", "USE", "INSTALL", "UNINSTALL",
        "EXTENSION",
        # transactions and storage
        "BEGIN", "START", "COMMIT", "ROLLBACK", "CHECKPOINT", "TRANSACTION", "TRANSACTIONS",
        "PERIODIC", "VACUUM", "ANALYZE",
        # administration
        "SHOW", "GRANT", "DENY", "REVOKE", "STOP", "TERMINATE", "ENABLE", "DISABLE",
        "REALLOCATE", "DRYRUN",
        # query prefixes and prepared statements
        "EXPLAIN", "PROFILE", "CYPHER", "PREPARE", "EXECUTE", "DEALLOCATE",
    }
)  # fmt: skip

#: Procedures ``CALL`` may name (lower case): the schema listings of each engine.
READ_PROCEDURES = frozenset(
    {
        # LadybugDB
        "show_tables", "table_info", "show_connection", "db_version",
        # Neo4j
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    }
)  # fmt: skip

#: Namespaces of functions a query may call as ``ns.name(...)`` (Neo4j's temporal, spatial
#: and vector functions); every other namespace (``apoc``, ``db``, ``dbms``...) is refused.
_FUNCTION_NAMESPACES = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
)

#: Refusal reasons (``QueryRefused.reason``).
REASONS = (
    "empty",  # nothing to run
    "unterminated",  # a string, `name` or /* comment */ is not closed
    "character",  # a character outside quotes that is not allowed (word: U+XXXX)
    "statements",  # more than one statement (word: how many)
    "start",  # does not start with a reading clause (word: the first word)
    "write",  # a word of a writing or administration statement (word: that word)
    "procedure",  # CALL or a namespaced function that is not allowed (word: its name)
    "read_only",  # the engine itself refused to write (word: "")
)


class QueryRefused(ValueError):
    """The query is not a single reading statement; it was not run.

    ``reason`` is one of :data:`REASONS` and ``word`` the keyword, name, character or count
    concerned, so a page can say it in its own language.
    """

    def __init__(self, message: str, reason: str = "write", word: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.word = word


class Token(NamedTuple):
    """One token: ``kind`` is word, name (backticks), string, number, param or symbol."""

    kind: str
    text: str
    pos: int


_SPACE = " \t\n\r"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"0[xX][0-9A-Fa-f]+|0[oO][0-7]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SYMBOLS = frozenset("()[]{}<>=+-*/%^,.:;|&!~?$'\"`@#")
# Characters that end a line or change how text is shown (Trojan-source tricks): refused even
# inside comments, where an engine might end the comment on them.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _refuse_hidden(text: str, start: int, end: int) -> None:
    for i in range(start, end):
        ch = text[i]
        if ch not in "\t\n\r" and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            _bad_character(ch, i)


def _bad_character(ch: str, pos: int) -> None:
    code = f"U+{ord(ch):04X}"
    raise QueryRefused(
        f"character {code} at position {pos + 1} is not allowed outside quotes; write names "
        "in plain ASCII or between backticks, and text between quotes",
        "character",
        code,
    )


def _unterminated(what: str, pos: int) -> None:
    raise QueryRefused(f"{what} opened at position {pos + 1} is not closed", "unterminated", what)


def _quoted_end(text: str, start: int, quote: str) -> int:
    """The index after the string literal starting at ``start`` (backslash escapes)."""
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1
        i += 1
    _unterminated("a string", start)
    raise AssertionError  # unreachable


def _backtick_end(text: str, start: int) -> int:
    """The index after the backtick name starting at ``start`` (```` `` ```` escapes)."""
    i = start + 1
    while True:
        j = text.find("`", i)
        if j < 0:
            _unterminated("a `name`", start)
        if text.startswith("``", j):
            i = j + 2
            continue
        return j + 1


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` without spaces and comments; :class:`QueryRefused` for what
    cannot be read safely (see the module docstring).

    >>> [t.text for t in tokens("MATCH (n:`A``b`) /* CREATE */ RETURN n.x // DROP")]
    ['MATCH', '(', 'n', ':', '`A``b`', ')', 'RETURN', 'n', '.', 'x']
    >>> [t.kind for t in tokens("RETURN $p, 1.5e3, 'x'")]
    ['word', 'param', 'symbol', 'number', 'symbol', 'string']
    """
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
        elif text.startswith("//", i):
            end = n
            for stop in ("\n", "\r"):
                found = text.find(stop, i)
                if 0 <= found < end:
                    end = found
            _refuse_hidden(text, i, end)
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                _unterminated("a /* comment", i)
            _refuse_hidden(text, i, end)
            i = end + 2
        elif ch in "'\"":
            end = _quoted_end(text, i, ch)
            yield Token("string", text[i:end], i)
            i = end
        elif ch == "`":
            end = _backtick_end(text, i)
            yield Token("name", text[i:end], i)
            i = end
        elif ch == "$":
            word = _WORD.match(text, i + 1) or _NUMBER.match(text, i + 1)
            if word is not None:
                yield Token("param", text[i : word.end()], i)
                i = word.end()
            elif text.startswith("`", i + 1):
                end = _backtick_end(text, i + 1)
                yield Token("param", text[i:end], i)
                i = end
            else:
                yield Token("symbol", ch, i)
                i += 1
        elif (number := _NUMBER.match(text, i)) is not None:
            yield Token("number", number.group(), i)
            i = number.end()
        elif (word := _WORD.match(text, i)) is not None:
            yield Token("word", word.group(), i)
            i = word.end()
        elif ch in _SYMBOLS:
            yield Token("symbol", ch, i)
            i += 1
        else:
            _bad_character(ch, i)


def _statements(found: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in found:
        if token.kind == "symbol" and token.text == ";":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _is(token: Token | None, symbol: str) -> bool:
    return token is not None and token.kind == "symbol" and token.text == symbol


def _name(token: Token) -> str:
    return token.text[1:-1].replace("``", "`") if token.kind == "name" else token.text


def _dotted(statement: list[Token], i: int) -> tuple[str, int]:
    """The dotted name starting at ``statement[i]`` (``db.schema.visualization``), and the
    index after it."""
    parts = [_name(statement[i])]
    i += 1
    while (
        i + 1 < len(statement)
        and _is(statement[i], ".")
        and statement[i + 1].kind in ("word", "name")
    ):
        parts.append(_name(statement[i + 1]))
        i += 2
    return ".".join(parts), i


def _refuse_word(word: str) -> None:
    raise QueryRefused(f"only reading queries are allowed here; found {word}", "write", word)


def _refuse_procedure(name: str) -> None:
    allowed = ", ".join(sorted(READ_PROCEDURES))
    raise QueryRefused(
        f"only these procedures may be called here: {allowed}; found {name}", "procedure", name
    )


def _check_start(token: Token) -> None:
    if token.kind != "word" or token.text.upper() not in START_CLAUSES:
        word = token.text.upper() if token.kind == "word" else token.text
        if word in REFUSED_WORDS:
            _refuse_word(word)
        raise QueryRefused(
            "a query starts with a reading clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, "
            f"RETURN or CALL); found {word}",
            "start",
            word,
        )


def _check_call(statement: list[Token], i: int) -> int:
    """Check the ``CALL`` at ``statement[i]``; the index of the next token to check."""
    following = statement[i + 1] if i + 1 < len(statement) else None
    if following is None:
        _refuse_procedure("CALL")
    assert following is not None
    if _is(following, "{") or _is(following, "("):
        return i + 1  # a subquery: its clauses are checked like the rest
    if following.kind not in ("word", "name"):
        _refuse_procedure(f"CALL {following.text}")
    name, after = _dotted(statement, i + 1)
    if not (after < len(statement) and _is(statement[after], "(")):
        _refuse_procedure(name)  # e.g. LadybugDB's CALL threads=1 (a setting)
    if name.lower() not in READ_PROCEDURES:
        _refuse_procedure(name)
    return after


def _check_statement(statement: list[Token]) -> None:
    _check_start(statement[0])
    i = 0
    while i < len(statement):
        token = statement[i]
        before = statement[i - 1] if i else None
        after = statement[i + 1] if i + 1 < len(statement) else None
        if token.kind != "word" or _is(before, ".") or _is(before, ":") or _is(after, ":"):
            i += 1  # not a keyword: a literal, a label, a property or a map key
            continue
        word = token.text.upper()
        if word in REFUSED_WORDS:
            _refuse_word(word)
        if word == "CALL":
            i = _check_call(statement, i)
            continue
        if word == "UNION":
            following = i + 1
            if following < len(statement) and statement[following].text.upper() == "ALL":
                following += 1
            if following >= len(statement):
                raise QueryRefused("nothing follows UNION", "start", "UNION")
            _check_start(statement[following])
        if _is(after, "."):
            name, end = _dotted(statement, i)
            called = end < len(statement) and _is(statement[end], "(")
            if called and token.text.lower() not in _FUNCTION_NAMESPACES:
                _refuse_procedure(name)
            i = end
            continue
        i += 1


def ensure_read_only(cypher: str) -> None:
    """Raise :class:`QueryRefused` unless ``cypher`` is one reading statement (see the
    module docstring for the rules)."""
    statements = _statements(list(tokens(cypher)))
    if not statements:
        raise QueryRefused("the query is empty", "empty", "")
    if len(statements) > 1:
        count = str(len(statements))
        raise QueryRefused(
            f"one query at a time: found {count} statements separated by ';'", "statements", count
        )
    _check_statement(statements[0])
