"""The flat record form of measurement revisions, shared by every store, the importer and the
exports: one row per revision, in a pandas DataFrame with the columns of :data:`COLUMNS`.

Nested parts are JSON text in a canonical, column-wise form (a list per dimension and per
field, parts in a fixed order; see :func:`parts_json_groups`), so two equal values always
have equal text and a re-import can be compared row by row. Empty
text is ``""``, missing numbers are NaN.

>>> from indicators.model import MeasurementValue, Part, Revision
>>> rev = Revision("ind.a", "2027", 1, "submitted", MeasurementValue(
...     value=5.0, parts=(Part((("sex", "f"),), 2.0), Part((("sex", "m"),), 3.0))),
...     author="ann", recorded_at="2027-01-01T00:00:00.000000Z")
>>> frame = revisions_to_frame([rev])
>>> frame.loc[0, "parts"]
'{"dims":{"sex":["f","m"]},"value":[2,3]}'
>>> frame_to_revisions(frame) == [rev]
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.coded import Coded, pack
from indicators.model import MeasurementValue, Part, Revision
from indicators.record_columns import COLUMNS, NUMBER_COLUMNS, VALUE_COLUMNS
from toc.attachments import Attachment

__all__ = [
    "COLUMNS",
    "NUMBER_COLUMNS",
    "VALUE_COLUMNS",
    "empty_frame",
    "files_from_json",
    "files_json",
    "frame_to_revisions",
    "json_list",
    "part_dicts",
    "parts_from_json",
    "parts_json",
    "parts_json_column",
    "parts_json_groups",
    "revision_uid",
    "revisions_to_frame",
]

_PART_KEYS = ("value", "numerator", "denominator", "level")


def revision_uid(indicator: str, period: str, revision: int) -> str:
    """The unique id of a revision row (codes and period ids never contain ``|``)."""
    return f"{indicator}|{period}|{revision}"


def json_list(items: Iterable[str]) -> str:
    """A list of strings as compact JSON (``""`` when empty)."""
    items = list(items)
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) if items else ""


def files_json(files: Sequence[Attachment]) -> str:
    """A value's file records as compact JSON (``""`` when there are none).

    >>> a = Attachment("0" * 64, "a.pdf", "application/pdf", 3, "ann", "2027-01-01")
    >>> files_from_json(files_json([a])) == (a,)
    True
    """
    if not files:
        return ""
    return json.dumps([f.to_dict() for f in files], ensure_ascii=False, separators=(",", ":"))


def files_from_json(text: str) -> tuple[Attachment, ...]:
    """The file records of a stored ``files`` cell (a :class:`ValueError` names what is wrong)."""
    if not text:
        return ()
    items = json.loads(text)
    if not isinstance(items, list):
        raise ValueError("files: must be a JSON list")
    return tuple(Attachment.from_dict(item) for item in items)


def _num(value: float) -> str:
    return repr(float(value))


def parts_json(parts: Sequence[Part]) -> str:
    """Parts as canonical JSON text (``""`` when there are none); see
    :func:`parts_json_column` for the same text built for many rows at once."""
    if not parts:
        return ""
    frame = pd.DataFrame(
        {
            "_key": 0,
            "_dims": [dict(p.dims) for p in parts],
            "value": [p.value for p in parts],
            "numerator": [p.numerator for p in parts],
            "denominator": [p.denominator for p in parts],
            "level": [p.level for p in parts],
        }
    )
    dims = sorted({name for p in parts for name, _ in p.dims})
    for name in dims:
        frame[name] = [d.get(name, "") for d in frame["_dims"]]
    return parts_json_column(frame.drop(columns="_dims"), "_key", dims).iloc[0]


def parts_json_column(rows: pd.DataFrame, key_column: str, dims: list[str]) -> pd.Series:
    """Canonical parts JSON per key, built column-wise (with Arrow) from part rows.

    ``rows`` has the ``key_column``, one text column per dimension (``""`` = not this
    dimension) and the ``value``, ``numerator``, ``denominator``, ``level`` columns. Returns a
    Series indexed by the key (see :func:`parts_json_groups` for the text).
    """
    if rows.empty:
        return pd.Series([], dtype=object)
    groups, keys = pd.factorize(rows[key_column])
    numbers = {
        key: rows[key].to_numpy(dtype="float64") for key in ("value", "numerator", "denominator")
        if key in rows
    }  # fmt: skip
    texts = parts_json_groups(
        groups.astype(np.int64),
        len(keys),
        {name: Coded.of_column(rows[name], strip=False) for name in dims},
        Coded.of_column(rows["level"], strip=False) if "level" in rows else None,
        numbers,
    )
    return pd.Series(texts.to_pylist(), index=pd.Index(list(keys), name=key_column), dtype=object)


def parts_json_groups(
    groups: np.ndarray,
    count: int,
    dims: dict[str, Coded],
    level: Coded | None,
    numbers: dict[str, np.ndarray],
) -> pa.Array:
    """Canonical parts JSON for ``count`` groups (measurements) from part rows: ``groups``
    says which group each row belongs to (0 .. count-1), ``dims`` holds one text column per
    dimension (``""`` = not this dimension), ``level`` the levels and ``numbers`` the
    ``value``, ``numerator`` and ``denominator`` columns (NaN = none). Returns one text per
    group, ``""`` for a group without parts.

    The text is column-wise (see :func:`part_dicts`): ``{"dims":{"sex":["f","m"]},
    "value":[2,3]}``, a list per dimension and per field that any part has, ``null`` where a
    part has none. Parts are ordered by their dimension values (dimension names sorted, an
    absent dimension before any value), so the text depends only on the parts; numbers are
    written in Arrow's shortest round-trip form (``10``, ``0.25``, ``1e+16``). Every step
    works on whole columns: a million parts take a few Arrow operations.
    """
    size = len(groups)
    order = np.lexsort([_dims_order(dims, size), groups]) if size else np.array([], np.int64)
    members = groups[order]
    sizes = np.bincount(groups, minlength=count) if size else np.zeros(count, np.int64)
    offsets = pa.array(np.concatenate([[0], np.cumsum(sizes)]), pa.int64())

    def per_group(cells: pa.Array, present: np.ndarray, head: str) -> pa.Array:
        """``head[cells of the group]`` for groups where any cell is present, else null."""
        joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, cells), ",")
        text = pc.binary_join_element_wise(head + "[", joined, "]", "")
        anywhere = np.bincount(members, weights=present[order], minlength=count) > 0
        return pc.if_else(pa.array(anywhere), text, pa.scalar(None, pa.string()))

    def quoted(column: Coded) -> pa.Array:
        texts = [_quote(v) if v else "null" for v in column.values]
        return pc.take(pa.array(texts, pa.string()), pa.array(column.codes[order]))

    dim_texts = [
        per_group(quoted(dims[name]), dims[name].filled(), f"{_quote(name)}:")
        for name in sorted(dims)
    ]
    fields = [pc.binary_join_element_wise('{"dims":{', _join_present(dim_texts, size), "}", "")]
    for key in ("value", "numerator", "denominator"):
        column = numbers.get(key)
        if column is None or np.isnan(column).all():
            continue
        fields.append(per_group(_number_texts(column[order]), ~np.isnan(column), f',"{key}":'))
    if level is not None and level.filled().any():
        fields.append(per_group(quoted(level), level.filled(), ',"level":'))
    body = pc.binary_join_element_wise(
        *fields, "}", "", null_handling="replace", null_replacement=""
    )
    return pc.if_else(pa.array(sizes > 0), body, "")


def _number_texts(numbers: np.ndarray) -> pa.Array:
    """Numbers as JSON text (``null`` for NaN; ``0`` for -0), formatted once per distinct
    value: a file repeats the same few numbers many times."""
    ids, distinct = pd.factorize(numbers + 0.0, use_na_sentinel=True)  # -0.0 becomes 0.0
    texts = pc.cast(pa.array(np.asarray(distinct, dtype=np.float64)), pa.string()).to_pylist()
    ids = np.where(ids < 0, len(texts), ids)  # NaN: the "null" after the distinct values
    return pc.take(pa.array([*texts, "null"], pa.string()), pa.array(ids, pa.int64()))


def _join_present(texts: list[pa.Array], size: int) -> pa.Array:
    """Per group the non-null ``texts`` joined with ``,`` (each ends in ``]``, so trimming
    the last separator is exact). Not ``null_handling="skip"``: pyarrow 26 drops the rows
    where every input is null from its result."""
    if not texts:
        return pa.nulls(0, pa.string()) if size == 0 else pa.array([""], pa.string())
    ended = [pc.if_else(pc.is_null(t), "", pc.binary_join_element_wise(t, ",", "")) for t in texts]
    joined = ended[0] if len(ended) == 1 else pc.binary_join_element_wise(*ended, "")
    return pc.utf8_rtrim(joined, characters=",")


def _dims_order(dims: dict[str, Coded], size: int) -> np.ndarray:
    """Per row a number that orders the rows by their dimension values (dimension names
    sorted, values sorted, an absent dimension first)."""
    names = sorted(dims)
    if not names:
        return np.zeros(size, dtype=np.int64)
    ranks = []
    for name in names:
        values = dims[name].values
        rank = np.empty(len(values), dtype=np.int64)
        rank[np.argsort(values, kind="stable")] = np.arange(len(values))
        ranks.append(rank[dims[name].codes])
    return pack(ranks, [len(dims[name].values) for name in names])


def part_dicts(text: str) -> list[dict[str, Any]]:
    """Stored parts JSON as one mapping per part: ``{"dims": {...}, "value": ...}`` with
    only the fields the part has. Reads the column-wise form :func:`parts_json_groups`
    writes and the one-object-per-part form of earlier versions.

    >>> part_dicts('{"dims":{"sex":["f","m"]},"value":[2,null],"level":[null,"hi"]}')
    [{'dims': {'sex': 'f'}, 'value': 2}, {'dims': {'sex': 'm'}, 'level': 'hi'}]
    >>> part_dicts('[{"dims":{"sex":"f"},"value":2}]')
    [{'dims': {'sex': 'f'}, 'value': 2}]
    """
    if not text:
        return []
    data = json.loads(text)
    if isinstance(data, list):
        return data
    dims = data.get("dims", {})
    columns = [*dims.values(), *(data[k] for k in _PART_KEYS if k in data)]
    out = []
    for i in range(max((len(c) for c in columns), default=0)):
        item: dict[str, Any] = {"dims": {k: v[i] for k, v in dims.items() if v[i] is not None}}
        item.update({k: data[k][i] for k in _PART_KEYS if k in data and data[k][i] is not None})
        out.append(item)
    return out


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def parts_from_json(text: str) -> tuple[Part, ...]:
    """Stored parts JSON (:func:`part_dicts`) as parts."""
    if not text:
        return ()
    return tuple(
        Part(
            tuple(item["dims"].items()),
            item.get("value"),
            item.get("numerator"),
            item.get("denominator"),
            item.get("level"),
        )
        for item in part_dicts(text)
    )


def empty_frame() -> pd.DataFrame:
    """A revision frame with no rows and the right column types."""
    return _typed(pd.DataFrame({c: [] for c in COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column, kind in COLUMNS.items():
        if column not in frame:
            continue
        if kind == "str":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
        elif kind == "float":
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
        elif kind == "int":
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype(bool)
    return frame


def revisions_to_frame(
    revisions: Sequence[Revision], columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Revisions as a frame of :data:`COLUMNS` (or of ``columns`` only, in that order), typed
    as a store's :meth:`~graphdb.indicator_store.IndicatorStore.revision_frame` types it.

    >>> from indicators.model import MeasurementValue, Revision
    >>> r = Revision("ind.a", "2028", 1, "approved", MeasurementValue(value=3.0), "me", "2028")
    >>> revisions_to_frame([r], ["indicator", "value", "level"]).to_dict("records")
    [{'indicator': 'ind.a', 'value': 3.0, 'level': ''}]
    """
    return frame_of_columns(revision_columns(revisions, columns))


def frame_of_columns(columns: Mapping[str, list[Any]]) -> pd.DataFrame:
    """The revision frame of column lists (:func:`revision_columns`)."""
    return _typed(pd.DataFrame(dict(columns)))


def _number(name: str) -> Any:
    def get(r: Revision) -> float | None:
        number = getattr(r.value, name)
        return None if number is None else float(number)

    return get


#: How each record column is read off a revision, as a plain Python value.
_CELL: dict[str, Any] = {
    "uid": lambda r: revision_uid(r.indicator, r.period, r.revision),
    "indicator": lambda r: r.indicator,
    "period": lambda r: r.period,
    "revision": lambda r: int(r.revision),
    "status": lambda r: r.status.value,
    **{name: _number(name) for name in NUMBER_COLUMNS},
    "level": lambda r: r.value.level or "",
    "narrative": lambda r: r.value.narrative or "",
    "parts": lambda r: parts_json(r.value.parts),
    "comment": lambda r: r.value.comment,
    "evidence": lambda r: json_list(r.value.evidence),
    "files": lambda r: files_json(r.value.files),
    "author": lambda r: r.author,
    "role": lambda r: r.role,
    "recorded_at": lambda r: r.recorded_at,
    "reason": lambda r: r.reason,
    "review_note": lambda r: r.review_note,
    "base_revision": lambda r: int(r.base_revision),
    "illustrative": lambda r: bool(r.illustrative),
    "flags": lambda r: json_list(r.flags),
}


def revision_columns(
    revisions: Sequence[Revision], columns: Sequence[str] | None = None
) -> dict[str, list[Any]]:
    """Revisions in the record form as one list per column of :data:`COLUMNS` (or of
    ``columns``), of plain Python values: ``""`` for missing text, None for a missing number.
    What a store appends without building a frame (a submission appends one revision: a
    frame cost 5 ms), and what the web app's status computation reads off the log it holds
    instead of reading the log again from the store.

    >>> from indicators.model import MeasurementValue, Revision, RevisionStatus
    >>> draft = RevisionStatus.DRAFT
    >>> r = Revision("ind.a", "2028", 1, draft, MeasurementValue(value=3.0), "me", "2028-01-01")
    >>> cols = revision_columns([r])
    >>> cols["uid"], cols["value"], cols["numerator"], cols["level"]
    (['ind.a|2028|1'], [3.0], [None], [''])
    >>> list(revision_columns([r], ["status", "value"]).items())
    [('status', ['draft']), ('value', [3.0])]
    """
    wanted = list(COLUMNS) if columns is None else list(columns)
    unknown = [c for c in wanted if c not in _CELL]
    if unknown:
        raise ValueError(f"unknown revision column(s): {', '.join(unknown)}")
    return {name: list(map(_CELL[name], revisions)) for name in wanted}


def _opt_float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def frame_to_revisions(frame: pd.DataFrame) -> list[Revision]:
    """Rebuild revisions from a frame with (at least) every column of :data:`COLUMNS`."""
    return [row_to_revision(row) for row in frame.to_dict("records")]


def row_to_revision(row: Mapping[Hashable, Any]) -> Revision:
    """Rebuild one revision from its record (every column of :data:`COLUMNS`; missing text
    may be None or ``""``, a missing number None or NaN)."""
    value = MeasurementValue(
        value=_opt_float(row["value"]),
        numerator=_opt_float(row["numerator"]),
        denominator=_opt_float(row["denominator"]),
        level=_opt_str(row["level"]),
        narrative=_opt_str(row["narrative"]),
        parts=parts_from_json(row["parts"] or ""),
        comment=row["comment"] or "",
        evidence=tuple(json.loads(row["evidence"])) if row["evidence"] else (),
        files=files_from_json(row["files"] or ""),
    )
    return Revision(
        indicator=row["indicator"],
        period=row["period"],
        revision=int(row["revision"]),
        status=row["status"],
        value=value,
        author=row["author"] or "",
        recorded_at=row["recorded_at"],
        role=row["role"] or "",
        reason=row["reason"] or "",
        review_note=row["review_note"] or "",
        base_revision=int(row["base_revision"]),
        illustrative=bool(row["illustrative"]),
        flags=tuple(json.loads(row["flags"])) if row["flags"] else (),
    )
