"""The server-drawn SVG line chart: scales, shapes that need no colour, a name and a summary in words."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from samen.actions.models import Indicator, Measurement
from samen.public import charts

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:
    """Charts are drawn in a request: English here, so the words can be checked."""
    with app.test_request_context("/progress?lang=en"):
        yield


def _indicator(points: dict[date, float] | None = None, **fields) -> Indicator:
    fields.setdefault("name", "Jongeren die wekelijks drinken")
    fields.setdefault("direction", "down")
    fields.setdefault("unit", "%")
    indicator = Indicator(id=7, **fields)
    indicator.measurements = [Measurement(date=day, value=value) for day, value in (points or {}).items()]
    return indicator


def _svg(indicator: Indicator) -> ET.Element:
    markup = charts.indicator_chart(indicator, chart_id="c7")
    assert markup is not None
    return ET.fromstring(str(markup))


FULL = {"baseline_value": 24, "baseline_date": date(2024, 1, 1), "target_value": 15,
        "target_date": date(2027, 12, 31)}
POINTS = {date(2024, 6, 1): 22, date(2025, 1, 1): 19.5, date(2025, 6, 1): 18}


def test_the_chart_has_a_name_a_summary_and_the_three_shapes():
    svg = _svg(_indicator(POINTS, **FULL))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c7-title" and svg.get("aria-describedby") == "c7-desc"
    assert svg.find(f"{SVG}title").text == "Chart: Jongeren die wekelijks drinken"
    desc = svg.find(f"{SVG}desc").text
    assert "Baseline: 24% (Jan 1, 2024)." in desc
    assert "Latest measurement: 18% on Jun 1, 2025 (3 measurements in all)." in desc
    assert "Target: 15% by Dec 31, 2027." in desc and "Lower is better." in desc
    # Baseline a square, measurements a solid line with round points, target a dashed line with a diamond.
    assert len(svg.findall(f"{SVG}rect[@class='chart__baseline']")) == 2  # in the legend and in the plot
    assert len(svg.findall(f"{SVG}circle[@class='chart__point']")) == 1 + 3
    measured = svg.find(f"{SVG}polyline[@class='chart__line']")
    assert measured is not None and measured.get("stroke-dasharray") is None
    target = list(svg.findall(f"{SVG}line[@class='chart__target']"))
    assert target and all(line.get("stroke-dasharray") for line in target)
    assert len(svg.findall(f"{SVG}polygon[@class='chart__target-mark']")) == 2
    labels = [text.text for text in svg.findall(f"{SVG}text")]
    assert {"Baseline", "Measured", "Target", "Value (%)", "Date"} <= set(labels)
    assert {"2024", "2025", "2026", "2027"} <= set(labels)  # the time axis
    assert "24" in labels and "14" in labels  # the value axis covers baseline and target


def test_points_lie_where_their_values_are():
    svg = _svg(_indicator(POINTS, **FULL))
    circles = svg.findall(f"{SVG}circle[@class='chart__point']")[1:]  # [0] is the legend's
    xs = [float(circle.get("cx")) for circle in circles]
    ys = [float(circle.get("cy")) for circle in circles]
    assert xs == sorted(xs)  # later dates further right
    assert ys == sorted(ys)  # falling values lower down (SVG's y grows downwards)
    assert [circle.find(f"{SVG}title").text for circle in circles] == [
        "Jun 1, 2024: 22%", "Jan 1, 2025: 19.5%", "Jun 1, 2025: 18%"]


def test_colours_meet_contrast_on_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(colour: str) -> float:
        return 1.05 / (luminance(colour) + 0.05)

    assert contrast(charts.COLOURS["text"]) >= 4.5
    for name in ("measure", "target", "baseline", "axis"):
        assert contrast(charts.COLOURS[name]) >= 3, name  # graphics: WCAG 1.4.11


def test_nothing_to_draw_gives_no_chart():
    assert charts.indicator_chart(_indicator(), chart_id="c7") is None
    assert charts.describe(_indicator()) == ["No measurements yet.", "Lower is better."]


def test_one_measurement_without_baseline_or_target():
    svg = _svg(_indicator({date(2025, 3, 1): 40}, direction="up", unit="leerlingen"))
    assert svg.find(f"{SVG}polyline") is None  # a single point, no line
    assert len(svg.findall(f"{SVG}circle[@class='chart__point']")) == 2
    assert svg.find(f"{SVG}desc").text == ("One measurement: 40\u00a0leerlingen on Mar 1, 2025. "
                                           "Higher is better.")


def test_summaries_say_how_far_towards_the_target():
    halfway = charts.describe(_indicator(POINTS, **FULL))
    assert "So far 67% of the way from the baseline to the target." in halfway
    reached = _indicator({date(2025, 1, 1): 14}, **FULL)
    assert "The target has been reached." in charts.describe(reached)
    worse = _indicator({date(2025, 1, 1): 30}, **FULL)
    further = "The latest measurement is further from the target than the baseline was."
    assert further in charts.describe(worse)


@pytest.mark.parametrize("low, high, ticks", [
    (15, 24, [14, 16, 18, 20, 22, 24]),
    (0, 100, [0, 20, 40, 60, 80, 100]),
    (1.5, 4, [0, 1, 2, 3, 4]),  # positive quantities start at zero ...
    (3, 4, [3, 3.2, 3.4, 3.6, 3.8, 4]),  # ... unless that would flatten the line
    (40, 45, [40, 41, 42, 43, 44, 45]),
    (7, 7, [6, 6.5, 7, 7.5, 8]),
    (-5, 5, [-6, -4, -2, 0, 2, 4, 6]),
    (0.01, 0.02, [0, 0.005, 0.01, 0.015, 0.02]),
])
def test_nice_scales(low, high, ticks):
    assert charts.nice_scale(low, high) == ticks


def test_date_ticks_fall_on_month_or_year_starts():
    assert charts.date_ticks(date(2024, 1, 1), date(2027, 12, 31)) == (
        [date(2024, 1, 1), date(2025, 1, 1), date(2026, 1, 1), date(2027, 1, 1)], "yyyy")
    ticks, pattern = charts.date_ticks(date(2025, 1, 15), date(2025, 6, 20))
    assert ticks == [date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    assert pattern == "MMM yyyy"
    short = charts.date_ticks(date(2025, 1, 3), date(2025, 1, 20))
    assert short == ([date(2025, 1, 3), date(2025, 1, 20)], "d MMM yyyy")


def test_names_are_escaped():
    named = _indicator(POINTS, name='<script>alert("x")</script>')
    markup = str(charts.indicator_chart(named, chart_id="c7"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert re.search(r'id="c7-title"', markup)


def _indicator_with(measurements: list[Measurement], **fields) -> Indicator:
    indicator = _indicator(**fields)
    indicator.measurements = measurements
    return indicator


def test_a_missing_period_breaks_the_line():
    yearly = {date(2020 + i, 6, 1): 10.0 + i for i in (0, 1, 2, 4, 5)}  # 2023 was not measured
    facts = charts.reading(_indicator(yearly))
    assert facts.gaps() == [(date(2022, 6, 1), date(2024, 6, 1))]
    svg = _svg(_indicator(yearly))
    assert len(svg.findall(f".//{SVG}polyline")) == 2
    assert "No published value between" in " ".join(charts.describe(_indicator(yearly)))


def test_a_count_too_small_to_publish_is_a_gap_not_a_line(app):
    from datetime import datetime

    measurements = [Measurement(date=date(2026, month, 1), value=value, suppressed=value == 0)
                    for month, value in ((1, 6.0), (2, 0.0), (3, 7.0))]
    measurements[2].corrected_at = datetime(2026, 4, 1)
    indicator = _indicator_with(measurements)
    facts = charts.reading(indicator)
    assert facts.points == [(date(2026, 1, 1), 6.0), (date(2026, 3, 1), 7.0)] and facts.breaks == {1}
    assert facts.corrected == {1}
    markup = str(charts.indicator_chart(indicator, chart_id="c8"))
    assert "<polyline" not in markup and "chart__point--corrected" in markup and "(corrected)" in markup
    assert "1 measurement(s) corrected after they were recorded." in charts.describe(indicator)


def test_a_scale_is_drawn_whole():
    indicator = _indicator({date(2026, 1, 1): 7.0, date(2026, 6, 1): 7.5}, kind="scale", scale_min=1.0,
                           scale_max=10.0)
    labels = [text.text for text in _svg(indicator).findall(f".//{SVG}text")]
    assert "10" in labels and "0" in labels
