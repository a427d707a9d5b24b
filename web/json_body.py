"""The JSON body of an API request, read within limits: size, nesting, strict JSON.

Flask's ``request.get_json`` reads up to the app's ``MAX_CONTENT_LENGTH`` (20 MB, for uploads)
and hands the text to :func:`json.loads`, which recurses once per level of nesting: a body of
100,000 ``[`` ends in a ``RecursionError`` (a 500), and ``NaN`` or ``Infinity`` pass as numbers.
:func:`read_json` bounds the body first (413 beyond ``max_bytes``), counts the nesting before
parsing, and accepts only JSON as RFC 8259 defines it, with whole numbers of at most
:data:`MAX_INT_DIGITS` digits.

>>> nesting_depth('{"a": [1, {"b": "[[["}]}')
3
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import abort, request

__all__ = [
    "API_MAX_BYTES",
    "API_MAX_DEPTH",
    "MAX_INT_DIGITS",
    "BodyError",
    "nesting_depth",
    "parse_json",
    "read_json",
]

#: The largest JSON body an API call takes (a submission with 1,000 parts is about 100 KB).
API_MAX_BYTES = 256 * 1024
#: The deepest nesting of arrays and objects (a submission needs 3).
API_MAX_DEPTH = 10
#: Whole numbers longer than this are refused (64-bit integers have 19 digits).
MAX_INT_DIGITS = 20

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class BodyError(ValueError):
    """The body is not a JSON document within the limits; the message says why."""


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _no_constants(name: str) -> Any:
    raise BodyError(f"{name} is not a JSON number")


def _bounded_int(digits: str) -> int:
    # Python would read 4,000 digits, which no float holds (an OverflowError later on).
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BodyError(f"a whole number of more than {MAX_INT_DIGITS} digits")
    return int(digits)


def read_json(max_bytes: int = API_MAX_BYTES, max_depth: int = API_MAX_DEPTH) -> Any:
    """The request's JSON document. Aborts with 413 when the body is larger than
    ``max_bytes``; raises :class:`BodyError` when it is not JSON, not UTF-8, or nested deeper
    than ``max_depth``."""
    request.max_content_length = max_bytes
    if request.content_length is not None and request.content_length > max_bytes:
        abort(413, description=f"the request body is larger than {max_bytes:,} bytes")
    raw = request.get_data(cache=True)  # stops with 413 past max_bytes when no length was sent
    if not request.is_json:
        raise BodyError("send a JSON object (Content-Type: application/json)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("the body is not UTF-8 text") from None
    return parse_json(text, max_depth)


def parse_json(text: str, max_depth: int = API_MAX_DEPTH) -> Any:
    """The JSON document ``text`` (a body, or a form field of a multipart request), read with
    the rules of :func:`read_json`; :class:`BodyError` says why not."""
    if nesting_depth(text) > max_depth:
        raise BodyError(f"arrays and objects nested more than {max_depth} levels deep")
    try:
        return json.loads(text, parse_constant=_no_constants, parse_int=_bounded_int)
    except BodyError:
        raise
    except (ValueError, RecursionError) as e:  # RecursionError: cannot happen after the count
        raise BodyError(f"not valid JSON: {e}") from None
