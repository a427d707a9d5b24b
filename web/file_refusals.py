"""Why an import file was refused, in the user's language.

:class:`~indicators.file_limits.FileRefused` carries the rule a file broke (``reason``) and its
particulars (``details``); the command line shows its English message, and the import pages
word it here in Dutch or English, naming the file as the user named it and the limit.
"""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from indicators.file_limits import MB, FileRefused

__all__ = ["refusal_text"]


def _size(size: float) -> str:
    """A size in the user's locale: "9,8 kB", "200,0 MB"."""
    whole = int(size)
    if whole >= MB:
        return format_decimal(whole / MB, format="#,##0.0") + " MB"
    return format_decimal(whole / 1024, format="#,##0.0") + " kB"


def _number(value: object) -> str:
    return format_decimal(value, format="#,##0") if isinstance(value, int) else str(value)


def _where(refused: FileRefused) -> str:
    d = refused.details
    if "line" in d:
        return _("line %(line)s", line=d["line"])
    place = _("sheet %(sheet)s", sheet=d["sheet"]) if d.get("sheet") else str(d.get("part", ""))
    if "row" in d:
        cell = _("row %(row)s, column %(column)s", row=d["row"], column=d["column"])
        place = f"{place} {cell}" if place else cell
    return place


def refusal_text(refused: FileRefused, file: str) -> str:
    """The reason ``file`` was refused, in the user's language (the English message for a
    reason without a translation)."""
    d = refused.details
    n = {k: _number(v) for k, v in d.items()}
    mb = {k: _size(d[k]) for k in ("size", "limit", "declared") if k in d}
    part, r = str(d.get("part", "")), refused.reason
    texts = {
        "file_too_large": lambda: _(
            "%(file)s is %(size)s; the limit is %(limit)s.", file=file, **mb
        ),
        "not_xlsx": lambda: _("%(file)s is not an XLSX workbook (a ZIP archive).", file=file),
        "encrypted": lambda: _(
            "%(file)s is password-protected (encrypted) or an old .xls file: save it as an "
            ".xlsx workbook without a password.",
            file=file,
        ),
        "too_many_parts": lambda: _(
            "%(file)s holds %(count)s parts; a workbook may hold at most %(parts)s.",
            file=file,
            count=n["count"],
            parts=n["parts"],
        ),
        "unsafe_name": lambda: _(
            "%(file)s holds a part with an unsafe name (%(part)s).", file=file, part=part
        ),
        "duplicate_part": lambda: _(
            "%(file)s holds two parts named %(part)s.", file=file, part=part
        ),
        "compression": lambda: _(
            "%(file)s is compressed in a way XLSX files are not (part %(part)s).",
            file=file,
            part=part,
        ),
        "part_too_large": lambda: _(
            "In %(file)s, %(part)s inflates to %(size)s; the limit is %(limit)s.",
            file=file,
            part=part,
            **mb,
        ),
        "inflates_beyond": lambda: _(
            "In %(file)s, %(part)s inflates to more than the %(declared)s the file "
            "declares: the file is forged (a zip bomb?).",
            file=file,
            part=part,
            **mb,
        ),
        "listing_too_large": lambda: _(
            "In %(file)s, %(part)s inflates to %(size)s; a list of sheets may be at most "
            "%(limit)s.",
            file=file,
            part=part,
            **mb,
        ),
        "inflated_too_large": lambda: _(
            "%(file)s inflates to %(size)s in all; the limit is %(limit)s.",
            file=file,
            **mb,
        ),
        "ratio": lambda: _(
            "In %(file)s, %(part)s is compressed %(ratio)s times, as a zip bomb is; the "
            "limit is %(times)s.",
            file=file,
            part=part,
            ratio=n["ratio"],
            times=n["times"],
        ),
        "size_mismatch": lambda: _(
            "In %(file)s, %(part)s does not inflate to the size the file declares: the file is "
            "damaged or forged.",
            file=file,
            part=part,
        ),
        "damaged": lambda: _("In %(file)s, %(part)s is damaged.", file=file, part=part),
        "overlap": lambda: _(
            "In %(file)s, the parts %(part)s and %(other)s overlap, as in a zip bomb.",
            file=file,
            part=part,
            other=str(d.get("other", "")),
        ),
        "nested_archive": lambda: _(
            "In %(file)s, %(part)s is itself an archive; an import workbook holds none.",
            file=file,
            part=part,
        ),
        "long_tag": lambda: _(
            "In %(file)s, %(part)s holds an XML tag longer than %(limit)s.",
            file=file,
            part=part,
            **mb,
        ),
        "too_many_cells": lambda: _(
            "In %(file)s, sheet %(sheet)s spans %(rows)s rows by %(columns)s columns, "
            "%(cells)s cells; the limit is %(count)s.",
            file=file,
            sheet=str(d.get("sheet", "")),
            rows=n["rows"],
            columns=n["columns"],
            cells=n["cells"],
            count=n["count"],
        ),
        "too_many_strings": lambda: _(
            "In %(file)s, %(part)s holds or declares %(strings)s shared strings; the limit is "
            "%(count)s.",
            file=file,
            part=part,
            strings=n["strings"],
            count=n["count"],
        ),
        "control_character": lambda: _(
            "%(file)s, %(where)s: a control character (%(char)s), which a cell cannot hold; "
            "remove it.",
            file=file,
            where=_where(refused),
            char=str(d.get("char", "")),
        ),
        "line_too_long": lambda: _(
            "%(file)s, %(where)s: the line is longer than %(limit)s; a line holds at most "
            "%(limit)s.",
            file=file,
            where=_where(refused),
            **mb,
        ),
        "cell_too_long": lambda: _(
            "%(file)s, %(where)s: the cell holds %(length)s characters; a cell holds at most "
            "%(most)s.",
            file=file,
            where=_where(refused),
            length=n["length"],
            most=n["most"],
        ),
    }
    text = texts.get(r)
    return text() if text else f"{file}: {refused.text()}"
