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
    points = [g for g in root.findall(f"{SVG}g") if g.get("class") != "legend"]
    assert [g.get("class") for g in points] == [
        "actual-point status-on_track",
        "actual-point status-off_track",
    ]
    assert [g.find(f"{SVG}text").text for g in points] == ["✔", "✖"]
    assert [g.find(f"{SVG}circle").get("fill") for g in points] == ["#b7e1b0", "#f4a6a6"]
    assert points[1].find(f"{SVG}title").text == "Actual 2028: 11.5"


def test_later_values_are_further_right_and_higher_values_higher():
    root = _chart()
    first, second = (g.find(f"{SVG}circle") for g in root.findall(f"{SVG}g[@class]")
                     if g.get("class").startswith("actual-point"))  # fmt: skip
    assert float(second.get("cx")) > float(first.get("cx"))
    assert float(second.get("cy")) < float(first.get("cy"))


def test_small_chart_has_no_axes_and_empty_chart_is_just_titled():
    small = _chart(small=True)
    assert small.get("class") == "chart chart-small" and small.find(f"{SVG}text") is None
    empty = _chart(baseline=None, end_target=None, targets=[], actuals=[])
    assert [child.tag for child in empty] == [f"{SVG}title"]


def test_a_year_label_sits_under_the_values_of_that_year():
    root = _chart()
    labels = {t.text: float(t.get("x")) for t in root.findall(f"{SVG}text[@class='tick']")}
    actual_2027, actual_2028 = (g.find(f"{SVG}circle") for g in root.findall(f"{SVG}g")
                                if g.get("class", "").startswith("actual-point"))  # fmt: skip
    assert labels["2027"] == float(actual_2027.get("cx"))
    assert labels["2028"] == float(actual_2028.get("cx"))
    assert labels["2027"] < labels["2028"]


def test_axis_numbers_follow_the_language():
    dutch = _chart(lang="nl", baseline=12, end_target=13.5, targets=[], actuals=[])
    ticks = [t.text for t in dutch.findall(f"{SVG}text[@class='tick']")]
    assert "13,5" in ticks and "13.5" not in ticks
    english = _chart(baseline=12, end_target=13.5, targets=[], actuals=[])
    assert "13.5" in [t.text for t in english.findall(f"{SVG}text[@class='tick']")]


def test_the_legend_names_only_what_is_drawn():
    both = _chart()
    legend = [t.text for t in both.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend == ["Baseline and targets", "Approved values, by status"]
    no_values = _chart(actuals=[])
    legend = [t.text for t in no_values.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend == ["Baseline and targets"]
    no_targets = _chart(baseline=None, end_target=None, targets=[])
    legend = [t.text for t in no_targets.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend == ["Approved values, by status"]
    assert no_targets.find(f"{SVG}polyline[@class='trajectory']") is None


def test_every_indicator_with_a_baseline_and_end_target_gets_an_expected_line():
    from indicators.definitions import load
    from tests.conftest import REPO, VVSG_PLAN
    from toc.planfile import load as load_plan
    from web.measurements import trajectory_ends

    path = REPO / "examples" / "vvsg-indicators.yaml"
    indicators = load(path, plan=load_plan(VVSG_PLAN)).indicators
    drawn = missing = 0
    for ind in indicators:
        if ind.baseline is None or ind.end_target is None or ind.type.value == "narrative":
            continue
        base_date, base, end_date, goal = trajectory_ends(ind)
        root = ET.fromstring(str(line_chart(base_date, base, end_date, goal, [], [],
                                            title=ind.code)))  # fmt: skip
        line = root.find(f"{SVG}polyline[@class='trajectory']")
        drawn += line is not None
        missing += line is None
    assert drawn >= 10 and missing == 0
