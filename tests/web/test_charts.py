"""The server-rendered indicator chart."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from web.charts import Point, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**kw) -> ET.Element:
    args = {
        "baseline_date": dt.date(2026, 12, 31),
        "baseline": 10,
        "end_date": dt.date(2031, 12, 31),
        "end_target": 20,
        "targets": [Point(dt.date(2029, 12, 31), 15, label="2029")],
        "actuals": [
            Point(dt.date(2027, 12, 31), 11, "on_track", "2027"),
            Point(dt.date(2028, 12, 31), 11.5, "off_track", "2028"),
        ],
        "title": 'Agreements <"signed">',
    }
    return ET.fromstring(str(line_chart(**{**args, **kw})))


def test_chart_draws_trajectory_targets_and_actuals_with_status_cues():
    root = _chart()
    assert root.find(f"{SVG}title").text == 'Agreements <"signed">'
    trajectory = root.find(f"{SVG}polyline[@class='trajectory']")
    assert len(trajectory.get("points").split()) == 3  # baseline, 2029 target, end target
    points = root.findall(f"{SVG}g")
    assert [g.get("class") for g in points] == [
        "actual-point status-on_track",
        "actual-point status-off_track",
    ]
    assert [g.find(f"{SVG}text").text for g in points] == ["✔", "✖"]
    assert [g.find(f"{SVG}circle").get("fill") for g in points] == ["#b7e1b0", "#f4a6a6"]
    assert points[1].find(f"{SVG}title").text == "Actual 2028: 11.5"


def test_later_values_are_further_right_and_higher_values_higher():
    root = _chart()
    first, second = (g.find(f"{SVG}circle") for g in root.findall(f"{SVG}g"))
    assert float(second.get("cx")) > float(first.get("cx"))
    assert float(second.get("cy")) < float(first.get("cy"))


def test_small_chart_has_no_axes_and_empty_chart_is_just_titled():
    small = _chart(small=True)
    assert small.get("class") == "chart chart-small" and small.find(f"{SVG}text") is None
    empty = _chart(baseline=None, end_target=None, targets=[], actuals=[])
    assert [child.tag for child in empty] == [f"{SVG}title"]
