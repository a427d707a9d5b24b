"""Reading the numbers people write, in Dutch or English format, exactly or not at all; and the
one check that a number can be stored (finite, within the float range).

Every entry point (the web forms, the JSON API, CSV and XLSX imports, plan and indicator files,
IATI files) reads numbers through this module, so ``0.75`` typed in Dutch is never stored as 75
and ``12,5`` typed in English is never stored as 125.

The rules (documented in docs/indicators.md, "How numbers are read"):

* A format has a **decimal mark** and a **group mark**: Dutch writes ``1.234,5``, English
  ``1,234.5`` (:data:`DUTCH`, :data:`ENGLISH`); :data:`PLAIN` (data files: a
  point, no grouping) and :data:`YAML` (plan files: a point, ``_`` between groups).
* Digits are ASCII; an optional sign (``+``, ``-`` or the minus sign ``−``) comes first, an
  optional exponent (``e3``, ``E-2``) last. Surrounding white space is ignored.
* **Grouping only when valid**: the group mark may appear only between groups of exactly
  three digits after a first group of one to three digits that does not start with 0
  (``1.234.567``, not ``1.23``, ``12.34.567`` or ``0.750``), and only before the decimal mark.
* **Anything else is refused**, with a message that says how to write the number in the
  expected format. Text that is a number in the *other* language's format (``0.75`` or ``1.5``
  in Dutch, ``12,5`` in English) is refused as such: the message gives the number as it must
  be written (``0,75``). A group mark is therefore never read as a decimal mark or the other
  way round: a number is never scaled.
* Plan and indicator files are YAML: their numbers are YAML numbers written plainly
  (:data:`YAML_INT`, :data:`YAML_FLOAT`; no octal, base-60 or hexadecimal forms, which YAML 1.1
  would read as other numbers); text where a number belongs is refused (:func:`file_number`).
* **Ambiguous** text is a number in both formats, with different values (``1.234`` is 1.234 in
  English and 1234 in Dutch): it is read in the format asked for, and marked
  (:attr:`Reading.ambiguous`), so that the form shows how it was read before saving it and an
  import that must tell a file's decimal mark refuses it.
* A number too large for a float (``1e309``, a 400-digit integer) or so small that it would
  be stored as 0 (``1e-400``) is refused; so are ``inf``, ``nan`` and other words.
* ``-0`` is read as 0.

>>> read_number("1.234,5", DUTCH), read_number("1,234.5", ENGLISH), read_number("0,75", DUTCH)
(1234.5, 1234.5, 0.75)
>>> read_number("0.75", DUTCH)
Traceback (most recent call last):
...
toc.numbers.NumberError: '0.75' is not a number in the Dutch format: write 0,75 (decimal comma; \
a point only between groups of three digits, as in 1.234,5)
>>> read_number("12,5", ENGLISH)
Traceback (most recent call last):
...
toc.numbers.NumberError: '12,5' is not a number in the English format: write 12.5 (decimal \
point; a comma only between groups of three digits, as in 1,234.5)
>>> write_number(1234.5, DUTCH), write_number(0.1 + 0.2, ENGLISH)
('1234,5', '0.30000000000000004')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DUTCH",
    "ENGLISH",
    "EXCEL_ERRORS",
    "FORMATS",
    "MAX_TEXT",
    "PLAIN",
    "YAML",
    "YAML_FLOAT",
    "YAML_INT",
    "NumberError",
    "NumberFormat",
    "Reading",
    "excel_error",
    "file_number",
    "finite_problem",
    "format_for",
    "read_number",
    "reading",
    "storable",
    "write_number",
]

#: Longer text is refused without being parsed (no number needs more characters).
MAX_TEXT = 1000

#: The error values a spreadsheet shows in a cell (Excel, LibreOffice, Google Sheets).
EXCEL_ERRORS: tuple[str, ...] = (
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)
_EXCEL_ERRORS = {e.upper(): e for e in EXCEL_ERRORS}


@dataclass(frozen=True)
class NumberFormat:
    """How a number is written: its decimal mark, its group mark ("" = no grouping), and
    whether an exponent (``1e3``) is allowed. ``name`` is used in messages."""

    name: str
    decimal: str
    group: str = ""
    exponent: bool = True

    @property
    def pattern(self) -> str:
        """A regular expression matching exactly the numbers of this format (after strip).
        Groups: ``sign``, ``int`` (with group marks), ``frac``, ``exp``."""
        d = re.escape(self.decimal)
        whole = "[0-9]+"
        if self.group:
            g = re.escape(self.group)
            whole = f"(?:[0-9]+|[1-9][0-9]{{0,2}}(?:{g}[0-9]{{3}})+)"
        exp = "(?:[eE](?P<exp>[-+]?[0-9]+))?" if self.exponent else ""
        return (
            rf"^(?P<sign>[-+\u2212])?(?:(?P<int>{whole})(?:{d}(?P<frac>[0-9]*))?"
            rf"|{d}(?P<frac2>[0-9]+)){exp}$"
        )

    @property
    def example(self) -> str:
        """How this format writes twelve and a half."""
        return f"12{self.decimal}5"

    def describe(self) -> str:
        """The rule in words, for messages."""
        mark = {".": "decimal point", ",": "decimal comma"}[self.decimal]
        if not self.group:
            return mark
        group = {".": "a point", ",": "a comma", "_": "_"}[self.group]
        sample = f"1{self.group}234{self.decimal}5"
        return f"{mark}; {group} only between groups of three digits, as in {sample}"


ENGLISH = NumberFormat("English", ".", ",")
DUTCH = NumberFormat("Dutch", ",", ".")
#: Data files (IATI, exported CSV): a decimal point, no grouping.
PLAIN = NumberFormat("plain", ".")
#: Plan and indicator files: a decimal point, ``_`` between groups of three (``1_000_000``).
YAML = NumberFormat("YAML", ".", "_")
#: The format of each language of the app.
FORMATS: dict[str, NumberFormat] = {"en": ENGLISH, "nl": DUTCH}

_COMPILED: dict[NumberFormat, re.Pattern[str]] = {}


def _regex(fmt: NumberFormat) -> re.Pattern[str]:
    found = _COMPILED.get(fmt)
    if found is None:
        found = _COMPILED[fmt] = re.compile(fmt.pattern)
    return found


def format_for(lang: str | None) -> NumberFormat:
    """The number format of a language code (``nl``, ``en``, ``nl_BE``, ...); English for
    any other.

    >>> format_for("nl_BE").name, format_for(None).name
    ('Dutch', 'English')
    """
    return FORMATS.get((lang or "en").split("_")[0].split("-")[0].lower(), ENGLISH)


class NumberError(ValueError):
    """A text that is not a number in the expected format, or a number that cannot be stored.

    ``reason`` names the rule so a page can word it in its own language: ``"not_a_number"``,
    ``"other_format"`` (a number in the other language's format; ``hint`` is how to write
    it), ``"too_large"``, ``"too_small"``, ``"not_finite"``, ``"too_long"`` or
    ``"excel_error"`` (``hint`` is the error value). The message is the English text.
    """

    def __init__(self, text: str, reason: str, fmt: NumberFormat, hint: str = "") -> None:
        self.text, self.reason, self.format, self.hint = text, reason, fmt, hint
        super().__init__(self.describe())

    def describe(self) -> str:
        shown = _shown(self.text)
        if self.reason == "other_format":
            return (
                f"{shown} is not a number in the {self.format.name} format: write "
                f"{self.hint} ({self.format.describe()})"
            )
        if self.reason == "excel_error":
            return f"the cell holds the Excel error {self.hint}, not a number"
        if self.reason == "too_large":
            return f"{shown} is too large to store (at most about 1.8e308)"
        if self.reason == "too_small":
            return f"{shown} is too close to zero to store; write 0 if that is meant"
        if self.reason == "not_finite":
            return f"{shown} is not a finite number"
        if self.reason == "too_long":
            return f"the text is too long to be a number (more than {MAX_TEXT} characters)"
        return (
            f"{shown} is not a number: write for example {self.format.example} "
            f"({self.format.describe()})"
        )


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(frozen=True)
class Reading:
    """A number as read: its value, and whether the text grouped digits, used an exponent,
    or is also a number (another one) in the other language's format, as ``1.234`` is
    1.234 in English and 1234 in Dutch: then it is worth showing the writer how it was read.
    """

    value: float
    grouped: bool = False
    exponent: bool = False
    ambiguous: bool = False

    @property
    def plain(self) -> bool:
        """Written with digits and at most a decimal mark, and a number in no other way: it
        cannot be misread."""
        return not (self.grouped or self.exponent or self.ambiguous)


def excel_error(text: str) -> str | None:
    """The spreadsheet error value ``text`` is (as Excel spells it), or None.

    >>> excel_error(" #div/0! "), excel_error("12")
    ('#DIV/0!', None)
    """
    stripped = text.strip()
    return _EXCEL_ERRORS.get(stripped.upper()) if stripped.startswith("#") else None


def _parse(text: str, fmt: NumberFormat) -> Reading | None:
    """The number in ``text`` (already stripped) read in ``fmt``; None when it does not match
    the format. Raises :class:`NumberError` for numbers that cannot be stored."""
    match = _regex(fmt).match(text)
    if match is None:
        return None
    whole = match["int"] or ""
    frac = match["frac"] or match["frac2"] or ""
    exp = match["exp"] if fmt.exponent else None
    grouped = bool(fmt.group) and fmt.group in whole
    digits = whole.replace(fmt.group, "") if grouped else whole
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    canonical = f"{sign}{digits or '0'}.{frac or '0'}" + (f"e{exp}" if exp else "")
    value = float(canonical)  # correctly rounded; huge exponents give inf, tiny ones 0
    if math.isinf(value):
        raise NumberError(text, "too_large", fmt)
    if value == 0.0 and (digits + frac).strip("0"):
        raise NumberError(text, "too_small", fmt)
    return Reading(value + 0.0, grouped, bool(exp))  # + 0.0: -0 is stored as 0


def reading(text: str, fmt: NumberFormat, other: NumberFormat | None = None) -> Reading:
    """The number in ``text`` read in ``fmt`` (see the module doc), with how it was written.

    ``other`` is the format the writer may have used by mistake (default: the other
    language's format, for Dutch and English): text that is a number there is refused with
    the number written in ``fmt`` as the hint. Raises :class:`NumberError`.
    """
    stripped = text.strip()
    if len(stripped) > MAX_TEXT:
        raise NumberError(stripped[:40], "too_long", fmt)
    error = excel_error(stripped)
    if error:
        raise NumberError(stripped, "excel_error", fmt, error)
    if other is None:
        other = {DUTCH: ENGLISH, ENGLISH: DUTCH}.get(fmt, ENGLISH if fmt.decimal == "," else DUTCH)
    found = _parse(stripped, fmt)
    if found is not None:
        if fmt.group and other.group and (fmt.group in stripped or fmt.decimal in stripped):
            try:
                meant = _parse(stripped, other)
            except NumberError:
                meant = None
            if meant is not None and meant.value != found.value:
                return Reading(found.value, found.grouped, found.exponent, ambiguous=True)
        return found
    if stripped.lower().lstrip("+-\u2212") in ("inf", "infinity", "nan", ".inf", ".nan", "∞"):
        raise NumberError(stripped, "not_finite", fmt)
    try:
        meant = _parse(stripped, other)
    except NumberError:
        meant = None
    if meant is not None:
        raise NumberError(stripped, "other_format", fmt, write_number(meant.value, fmt))
    raise NumberError(stripped, "not_a_number", fmt)


def read_number(text: str | None, fmt: NumberFormat) -> float | None:
    """The number in ``text`` read in ``fmt``; None for empty text. Raises
    :class:`NumberError` (see :func:`reading`)."""
    if text is None or not text.strip():
        return None
    return reading(text, fmt).value


def write_number(value: float, fmt: NumberFormat = PLAIN) -> str:
    """A number written in ``fmt`` without grouping, exactly: :func:`read_number` reads it
    back as the same float (the shortest text that does; an exponent only for very large or
    small numbers).

    >>> write_number(2.0, DUTCH), write_number(1e22, ENGLISH), write_number(-0.0)
    ('2', '1e+22', '0')
    """
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    text = repr(float(value) + 0.0)
    mantissa, e, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    return mantissa.replace(".", fmt.decimal) + (f"e{exponent}" if e else "")


def finite_problem(value: Any) -> str | None:
    """What keeps ``value`` from being stored as a number, or None when it is a finite number
    within the float range. Accepts ``int`` (of any size), ``float``, ``Decimal`` and
    ``Fraction``; refuses ``bool``, text and everything else.

    >>> finite_problem(1.5), finite_problem(float("inf")), finite_problem(10**400)
    (None, 'not a finite number', 'too large to store (at most about 1.8e308)')
    >>> finite_problem(True), finite_problem("3")
    ('not a number', 'not a number')
    """
    if isinstance(value, bool) or not hasattr(value, "__float__") or isinstance(value, str):
        return "not a number"
    try:
        number = float(value)
    except OverflowError:
        return "too large to store (at most about 1.8e308)"
    except (TypeError, ValueError):
        return "not a number"
    if math.isnan(number):
        return "not a finite number"
    if math.isinf(number):
        infinite = isinstance(value, float) or _is_infinite_decimal(value)
        return "not a finite number" if infinite else "too large to store (at most about 1.8e308)"
    if number == 0.0 and value != 0:
        return "too close to zero to store"
    return None


def file_number(value: Any) -> tuple[float | None, str | None]:
    """A number of a plan or indicator file (a YAML scalar): (the float, None), or (None,
    what is wrong). Integers and floats must be finite and within the float range; text is
    refused, with how to write it when it is a number in another format (``"1.234,5"``:
    write 1234.5); ``true``/``false`` are not numbers.

    >>> file_number(3), file_number("0,75"), file_number(float("nan"))
    ((3.0, None), (None, "'0,75' is text, not a number: write 0.75"), (None, 'not a finite number'))
    """
    if isinstance(value, str):
        for fmt in (YAML, DUTCH, ENGLISH):
            try:
                meant = reading(value, fmt)
            except NumberError:
                continue
            return None, f"{_shown(value)} is text, not a number: write {write_number(meant.value)}"
        return None, f"expected a number, got {_shown(value)}"
    problem = finite_problem(value)
    if problem == "not a number":
        return None, f"expected a number, got {value!r}"
    if problem:
        return None, problem
    return float(value) + 0.0, None


#: A YAML integer as plan files write it: decimal digits (no octal ``010``, no base 60 ``1:30``,
#: no ``0x1F``), ``_`` only between groups of three (``1_000_000``).
YAML_INT = r"^[-+]?(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:_[0-9]{3})+)$"
#: A YAML float: digits with a decimal point and/or an exponent (``12.5``, ``1e3``), and
#: ``.inf`` / ``.nan`` (read, so that a number field can say they are not finite).
YAML_FLOAT = (
    r"^[-+]?(?:(?:[0-9]+|[1-9][0-9]{0,2}(?:_[0-9]{3})+)"
    r"(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)


def _is_infinite_decimal(value: Any) -> bool:
    is_finite = getattr(value, "is_finite", None)
    return callable(is_finite) and not is_finite()


def storable(value: Any) -> bool:
    """Whether ``value`` is a number that can be stored (:func:`finite_problem` is None)."""
    return finite_problem(value) is None
