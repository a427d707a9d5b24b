"""The flat record form of revisions: exact round trips and canonical parts text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.model import MeasurementValue, Part, Revision
from indicators.records import frame_to_revisions, part_dicts, parts_json, revisions_to_frame

names = st.sampled_from(["sex", "country", "age_group"])
labels = st.text(min_size=1, max_size=5)
floats = st.one_of(st.none(), st.floats(-1e12, 1e12, allow_nan=False))


@st.composite
def parts(draw):
    out, seen = [], set()
    for _ in range(draw(st.integers(0, 4))):
        dims = tuple(sorted(draw(st.dictionaries(names, labels, min_size=1, max_size=2)).items()))
        if dims in seen:
            continue
        seen.add(dims)
        out.append(
            Part(dims, draw(floats), draw(floats), draw(floats), draw(st.one_of(st.none(), labels)))
        )
    return tuple(out)


@st.composite
def revisions(draw):
    value = MeasurementValue(
        value=draw(floats),
        numerator=draw(floats),
        denominator=draw(floats),
        level=draw(st.one_of(st.none(), labels)),
        narrative=draw(st.one_of(st.none(), labels)),
        parts=draw(parts()),
        comment=draw(st.text(max_size=8)),
        evidence=tuple(draw(st.lists(labels, max_size=3))),
    )
    return Revision(
        "ind.a",
        draw(st.sampled_from(["2027", "2028-Q1"])),
        draw(st.integers(1, 9)),
        draw(st.sampled_from(["draft", "submitted", "approved", "returned"])),
        value,
        draw(labels),
        "2027-01-01T00:00:00.000000Z",
        flags=tuple(draw(st.lists(labels, max_size=2))),
        illustrative=draw(st.booleans()),
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(revisions(), max_size=5))
def test_revisions_round_trip_through_the_record_form(revs):
    assert frame_to_revisions(revisions_to_frame(revs)) == revs


@given(parts())
def test_parts_text_is_canonical_json(items):
    text = parts_json(items)
    if not items:
        assert text == ""
        return
    assert isinstance(json.loads(text), dict)  # the column-wise form
    decoded = part_dicts(text)
    found = sorted(tuple(sorted(p["dims"].items())) for p in decoded)
    assert found == sorted(p.dims for p in items)
    # The same parts in another order give the same text.
    assert parts_json(tuple(reversed(items))) == text


@given(parts())
def test_parts_written_in_the_earlier_one_object_per_part_form_read_the_same(items):
    """Stores keep the parts text of earlier versions; it must read back unchanged."""
    earlier = json.dumps(
        [
            {"dims": dict(p.dims)}
            | {k: getattr(p, k) for k in ("value", "numerator", "denominator", "level")
               if getattr(p, k) is not None}
            for p in items
        ]
    )  # fmt: skip
    frame = revisions_to_frame([_revision(items)]).assign(parts=earlier if items else "")
    assert frame_to_revisions(frame)[0].value.parts == _revision(items).value.parts


def _revision(items) -> Revision:
    return Revision(
        "ind.a", "2027", 1, "submitted", MeasurementValue(value=1.0, parts=items),
        author="a", recorded_at="2027-01-01T00:00:00.000000Z",
    )  # fmt: skip
