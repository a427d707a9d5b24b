"""How many rows and columns calamine spans in a sheet's XML, and which cells hold formulas or
error values, read from a stream of inflated bytes without building the sheet.

calamine places a cell at its ``r`` reference (``B7``; any case; with duplicates the last
one counts), else one column after the previous cell, on the current row: the row a row tag
names, else the row after the last one that ended. It then allocates every cell of the
rectangle up to the highest row and column that hold a value, so the span bounds its memory.

The XML arrives in buffers that never split a tag (:func:`tag_buffers`: a buffer ends before
the last ``<`` of a chunk, and ``<`` cannot occur inside a tag). A buffer in the usual form
(every cell tag starts ``<c r="``, every reference is written ``r="..."``, no namespace
prefixes; Excel, openpyxl and LibreOffice write this) is checked in one pass of RE2 (Arrow's
regular expressions) for anything unusual or a reference beyond the highest seen so far:
about 0.2 s for a 100,000-row sheet of 42 MB. Any other buffer is read with expressions for
every syntax XML allows (either quote, spaces around ``=``, prefixes, ``>`` inside a value,
every ``r`` of a tag). When some cell has
no reference, the part is read again with the rows followed (:class:`SheetSpan` with
``precise``). Every cell is counted as holding a value, so the span is an upper bound.

>>> span = SheetSpan()
>>> for buffer in tag_buffers([b'<row r="1"><c r="A1"><v>1</v></c><c r="C1"><f>A1</f>'
...                            b'<v>2</v></c></row><row r="2"><c r="b7"/></row>'], None):
...     span.feed(buffer, keep_formulas=True)
>>> span.span(), sorted(span.formulas)
((7, 3), [(1, 'C')])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LONGEST_RUN", "SheetSpan", "column_number", "error_cells", "tag_buffers"]

#: The longest run of XML without "<" held between two buffers.
LONGEST_RUN = 1024 * 1024

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"
_ATTR = rb"""(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))"""
#: Any cell start tag (``<c ...>`` or ``<c .../>``).
_CELL = re.compile(rb"<" + _P + rb"c(?=[\s/>])")
#: A cell start tag with an ``r`` (letters, digits of one of them) and, when a formula
#: element follows it, a non-empty last group.
_CELL_REF = re.compile(
    rb"<" + _P + rb"c(?=[\s/>])" + _ATTR + rb"*?"
    rb"""\s+r\s*=\s*(["'])([A-Za-z]*)([0-9]*)\1""" + _ATTR + rb"*\s*/?>"
    rb"(\s*<" + _P + rb"f(?=[\s/>]))?"
)
#: Every ``r`` attribute of any tag, whatever its syntax (letters, digits).
_ANY_REF = re.compile(rb"""[\s"']r\s*=\s*(?:"([A-Za-z]*)([0-9]*)"|'([A-Za-z]*)([0-9]*)')""")
_ROW_END = re.compile(rb"</" + _P + rb"row\s*>")
_ROW_REF = re.compile(
    rb"<" + _P + rb"row(?=[\s/>])" + _ATTR + rb"*?" + rb"""\s+r\s*=\s*(["'])[A-Za-z]*([0-9]*)\1"""
)
#: A whole tag from its "<" (quotes may hold ">").
_WHOLE_TAG = re.compile(rb"""<[^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>""")
#: Tabs and line breaks read as spaces, single quotes as double ones (for the plain form).
_UNIFORM = bytes.maketrans(b"\t\n\r'", b'   "')
_PREFIXED = re.compile(rb":(?:c|row|f)[\s/>]")
_PLAIN_LETTERS = re.compile(rb'<c r="([A-Za-z]*)')
_PLAIN_DIGITS = re.compile(rb'<c r="[A-Za-z]*([0-9]*)')
_PLAIN_ROWS = re.compile(rb'<row r="[A-Za-z]*([0-9]*)')


def column_number(letters: str) -> int:
    """The 1-based number of a column (A -> 1, AA -> 27), as calamine counts (any case).

    >>> column_number("A"), column_number("xfd")
    (1, 16384)
    """
    number = 0
    for c in letters.upper():
        number = number * 26 + ord(c) - 64
    return number


def tag_buffers(
    chunks: Iterable[bytes], refuse: Callable[[str], Exception] | None
) -> Iterator[bytes]:
    """The XML of ``chunks`` again, cut so that no buffer splits a tag, nor a cell tag from
    the formula element after it. A run longer than :data:`LONGEST_RUN` without ``<`` (a
    long text, a comment) is passed on in pieces, its last 32 bytes kept so that no
    character reference is split; a tag that long is refused: ``refuse("long_tag")`` is
    raised."""
    tail = b""
    for chunk in chunks:
        data = tail + chunk if tail else chunk
        cut = max(data.rfind(b"<"), 0)
        if cut:
            before = data.rfind(b"<", 0, cut)
            if before >= 0 and _CELL.match(data, before):
                cut = before  # keep a cell tag with what follows it
            yield data[:cut]
        tail = data[cut:]
        if len(tail) > LONGEST_RUN:
            is_tag = tail.startswith(b"<") and not tail.startswith((b"<!", b"<?"))
            if is_tag and _WHOLE_TAG.match(tail) is None:
                raise (refuse or ValueError)("long_tag")
            last = tail.rfind(b"<")
            keep = last if last > 0 else len(tail) - 32
            yield tail[:keep]
            tail = tail[keep:]
    if tail:
        yield tail


def _plain(uniform: bytes) -> bool:
    """Whether every cell tag of a buffer (tabs, breaks and quotes made uniform) starts
    ``<c r="``, and no tag has another attribute starting with ``r`` (a second reference, or
    one written ``r = "..."``) nor a prefix. Counting " r" also counts text such as " report":
    such a buffer is read the full way, which is right, only slower (Excel keeps text in the
    shared strings, not in the sheet)."""
    refs = uniform.count(b'<c r="')
    return (
        uniform.count(b"<c") == refs
        and uniform.count(b" r") == refs + uniform.count(b'<row r="')
        and b'"r' not in uniform
        and _PREFIXED.search(uniform) is None
    )


@dataclass
class SheetSpan:
    """The rows and columns calamine would span in one part, fed buffer by buffer (see the
    module docstring); ``unplaced`` when some cell has no reference (then read the part
    again with ``precise``, which follows the rows)."""

    precise: bool = False
    rows: int = 0
    columns: int = 0
    letters: bytes = b""
    row_tags: int = 0
    row_ends: int = 0
    unplaced: bool = False
    run: int = 0
    most_run: int = 0
    formulas: set[tuple[int, str]] = field(default_factory=set)
    errors: dict[tuple[int, str], str] = field(default_factory=dict)
    error_carry: bytes = b""

    def feed(self, buffer: bytes, keep_formulas: bool = False) -> None:
        """Count one buffer; with ``keep_formulas``, collect its formula and error cells
        too."""
        uniform = buffer.translate(_UNIFORM)
        if self.precise:
            self._feed_any(buffer)
        elif not self._quiet(uniform):
            if _plain(uniform):
                self._feed_plain(uniform)
            else:
                self._feed_any(buffer)
        if keep_formulas and (b"<f" in buffer or (b":f" in buffer and _PREFIXED.search(buffer))):
            self.formulas.update(
                (_row(t[2]), t[1].decode().upper()) for t in _CELL_REF.findall(buffer) if t[3]
            )
        if keep_formulas:
            self._collect_errors(buffer)

    def _collect_errors(self, buffer: bytes) -> None:
        """The error cells of a buffer; an error cell whose end is in the next buffer is
        carried over (at most :data:`LONGEST_RUN` bytes of it)."""
        data = self.error_carry + buffer if self.error_carry else buffer
        self.error_carry = b""
        if _ERROR_TYPE.search(data) is None:
            return
        end = 0
        for match in _ERROR_CELL.finditer(data):
            _add_error(self.errors, match)
            end = match.end()
        last = _last_error_type(data, end)
        opened = data.rfind(b"<", end, last) if last >= 0 else -1
        if opened >= 0 and len(data) - opened <= LONGEST_RUN:
            self.error_carry = data[opened:]

    def _quiet(self, uniform: bytes) -> bool:
        """The usual case, in one pass of RE2 (Arrow's regular expressions, a DFA: one pass
        whatever the alternatives): the buffer is in the plain form and no reference goes
        beyond the row its last row tag names nor the highest column so far. Then that row
        is the highest so far."""
        last = _PLAIN_ROWS.match(uniform, max(uniform.rfind(b"<row r="), 0))
        hint = max(self.rows, _row(last.group(1)) if last else 0)
        found = pc.match_substring_regex(
            pa.array([uniform], pa.binary()), pattern=_loud(hint, self.letters)
        )
        if found[0].as_py():
            return False
        self.rows = hint
        return True

    def _feed_plain(self, uniform: bytes) -> None:
        """Only references beyond the highest so far are read: the row the buffer's last row
        tag names is taken as the highest (usually right; if not, the references are read)."""
        last = _PLAIN_ROWS.match(uniform, max(uniform.rfind(b"<row r="), 0))
        hint = max(self.rows, _row(last.group(1)) if last else 0)
        if _beyond(hint, self.letters).search(uniform):
            hint = max(hint, _highest_row(set(_PLAIN_DIGITS.findall(uniform))))
            top = max(set(_PLAIN_LETTERS.findall(uniform)), key=_column_key)
            if _column_key(top) > _column_key(self.letters):
                self.letters, self.columns = top.upper(), _column(top)
        self.rows = hint

    def _feed_any(self, buffer: bytes) -> None:
        refs = _ANY_REF.findall(buffer)
        if refs:
            letters = {t[0] or t[2] for t in refs}
            digits = {t[1] or t[3] for t in refs} - {b""}
            top = max(letters, key=_column_key)
            if _column_key(top) > _column_key(self.letters):
                self.letters, self.columns = top.upper(), _column(top)
            if digits:
                self.rows = max(self.rows, _highest_row(digits))
        if len(_CELL.findall(buffer)) != len(_CELL_REF.findall(buffer)):
            self.unplaced = True
        if self.precise:
            self._follow_rows(buffer)

    def _follow_rows(self, buffer: bytes) -> None:
        """Row ends, the rows row tags name, and per row the cells without a reference."""
        self.row_ends += len(_ROW_END.findall(buffer))
        rows = {t[1] for t in _ROW_REF.findall(buffer)} - {b""}
        if rows:
            self.row_tags = max(self.row_tags, _highest_row(rows))
        for i, segment in enumerate(_ROW_END.split(buffer)):
            self.run = 0 if i else self.run
            self.run += len(_CELL.findall(segment)) - len(_CELL_REF.findall(segment))
            self.most_run = max(self.most_run, self.run)

    def span(self) -> tuple[int, int]:
        """(rows, columns) of the rectangle calamine would allocate, at most."""
        if not self.unplaced:
            return self.rows, self.columns
        return max(self.rows, self.row_tags) + self.row_ends + 1, self.columns + self.most_run


_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*(["'])e\1""")
_ERROR_CELL = re.compile(
    rb"<" + _P + rb"c\s(?P<attrs>[^>]*?\bt\s*=\s*([\"'])e\2[^>/]*)>"
    rb"(?P<body>(?:(?!</" + _P + rb"c\s*>).)*?)</" + _P + rb"c\s*>",
    re.S,
)
_ERROR_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ERROR_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v\s*>")


def _last_error_type(data: bytes, start: int) -> int:
    """Where the last cell type ``e`` after ``start`` is (-1 when there is none)."""
    found = -1
    for match in _ERROR_TYPE.finditer(data, start):
        found = match.start()
    return found


def _add_error(errors: dict[tuple[int, str], str], match: re.Match[bytes]) -> None:
    ref = _ERROR_REF.search(match["attrs"])
    if ref is None:
        return
    value = _ERROR_VALUE.search(match["body"])
    text = value.group(1).decode("utf-8", "replace") if value else "#N/A"
    errors[(int(ref.group(2)), ref.group(1).decode().upper())] = text


def error_cells(data: bytes) -> dict[tuple[int, str], str]:
    """The cells of a sheet's XML that hold an error value (cell type ``e``), by (row
    number, column letter), with the error as written.

    >>> error_cells(b'<c r="C4" s="1" t="e"><v>#DIV/0!</v></c><c r="D4"><v>1</v></c>')
    {(4, 'C'): '#DIV/0!'}
    """
    span = SheetSpan()
    span._collect_errors(data)
    return span.errors


def _row(digits: bytes) -> int:
    return int(digits) if 0 < len(digits) <= 9 else (10**10 if digits else 0)


def _column(letters: bytes) -> int:
    return column_number(letters.decode()) if len(letters) <= 6 else 10**10


def _column_key(letters: bytes) -> tuple[int, bytes]:
    return len(letters), letters.upper()


def _highest_row(digits: set[bytes]) -> int:
    """The highest of distinct digit strings (a longer one counts as higher: leading zeros
    only make the bound safer)."""
    longest = max(map(len, digits))
    return _row(max(d for d in digits if len(d) == longest))


@lru_cache(maxsize=256)
def _loud(row: int, letters: bytes) -> str:
    """What sends a buffer (made uniform) off the quiet path, as one RE2 pattern: a
    reference beyond ``row`` or ``letters`` (:func:`_beyond`), a cell tag not written
    ``<c r="``, a " r" after anything but ``<c`` or ``<row`` (a second reference, another
    attribute, text), a row reference not written ``r="``, ``"r`` and namespace prefixes.

    >>> import re
    >>> [bool(re.search(_loud(9, b"C"), x)) for x in ('<c r="B2" s="1">', '<c r="A1" r="Z9">',
    ...  '<cols>', '<row r ="1">', '<x:c r="A1">', '<c r="D1">', '<row r="2"><c r="A2">')]
    [False, True, True, True, True, True, False]
    """
    beyond = _beyond(row, letters).pattern.decode()
    odd = [
        '<c(?:[^ ]| [^r]| r[^=]| r=[^"])',
        "(?:[^cw]|[^<]c|[^o]w|[^r]ow|[^<]row) r",
        '<row r(?:[^=]|=[^"])',
        '"r',
        ":(?:c|row|f)[ />]",
    ]
    return "|".join([beyond, *odd])


@lru_cache(maxsize=256)
def _beyond(row: int, letters: bytes) -> re.Pattern[bytes]:
    """A reference ``<c r="..."`` past ``row`` or past the column ``letters`` (any case):
    more digits (letters), or as many and a higher one where they first differ.

    >>> [bool(_beyond(19, b"L").search(x)) for x in (b'<c r="A20"', b'<c r="m5"', b'<c r="K19"')]
    [True, True, False]
    """
    digits = str(row)
    rows = [f"[0-9]{{{len(digits) + 1}}}"]
    for i, d in enumerate(digits):
        if d != "9":
            rows.append(f'{digits[:i]}[{int(d) + 1}-9][0-9]{{{len(digits) - i - 1}}}"')
    text = letters.decode().upper()
    columns = [f"[A-Za-z]{{{len(text) + 1}}}"]
    for i, c in enumerate(text):
        if c != "Z":
            same = "".join(f"[{p}{p.lower()}]" for p in text[:i])
            up = chr(ord(c) + 1)
            columns.append(f"{same}[{up}-Z{up.lower()}-z][A-Za-z]{{{len(text) - i - 1}}}[0-9]")
    return re.compile(f'<c r="(?:{"|".join(columns)}|[A-Za-z]*(?:{"|".join(rows)}))'.encode())
