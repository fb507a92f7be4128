"""Line charts of indicators as accessible SVG, drawn on the server: no script, no third-party library.

A chart shows the baseline (a square), the measurements (a solid line with round points) and the target (a
dashed line with a diamond at the target date), on a time axis and a value axis with labels. Shapes and dash
patterns tell the series apart, so nothing depends on colour; colours come from CSS classes (light, dark and
print schemes in samen.css), with presentation attributes as the fallback (both AA: >= 3:1 for lines, 4.5:1
for text). role="img" with a <title> and a <desc> gives the chart a name and a summary in words; the page
follows every chart with the figures as a table.

Honest about what is missing and what changed: the line breaks where a period has no published value (a
measurement that is missing — an interval much longer than the usual one — or a help-desk count too small to
publish), so no line suggests a value nobody measured; a measurement corrected after it was recorded is drawn
hollow, named in the legend, its tooltip and the summary. A qualitative indicator (a scale, a feeling) is drawn
on its whole scale.
"""
from __future__ import annotations

import math
from itertools import pairwise
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from samen.actions.models import Indicator
from samen.core import inputs
from samen.core.formatting import format_day as format_date
from samen.core.formatting import format_number

WIDTH, HEIGHT = 600, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 56, 62  # margins around the plot area
FONT = 14
COLOURS = {  # the light scheme; samen.css sets all of them through the classes below
    "text": "#1b1f24", "axis": "#545b64", "grid": "#c9d1db",
    "measure": "#17558f", "target": "#a0430a", "baseline": "#1b1f24", "halo": "#ffffff",
}


# --- numbers and dates in the reader's language -------------------------------------------------------------

def format_value(value: float | None, unit: str) -> str:
    """Return a value with its unit: '12,5 %' → '12,5%', '40 leerlingen'."""
    if value is None:
        return ""
    number = format_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number}\u00a0{unit}"


# --- what the chart says in words ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """The facts of an indicator that a chart and its summary show."""

    baseline: tuple[date | None, float] | None
    target: tuple[date | None, float] | None
    points: list[tuple[date, float]]
    higher_is_better: bool
    corrected: frozenset[int] = frozenset()  # indexes of points whose value or date was corrected
    breaks: frozenset[int] = frozenset()  # indexes of points that follow a gap: no line leads to them
    scale: tuple[float, float] | None = None  # a qualitative indicator's lowest and highest score

    def gaps(self) -> list[tuple[date, date]]:
        """Return the periods without a published value, between the points around them."""
        return [(self.points[index - 1][0], self.points[index][0]) for index in sorted(self.breaks)]

    @property
    def latest(self) -> tuple[date, float] | None:
        return self.points[-1] if self.points else None

    @property
    def is_empty(self) -> bool:
        return self.baseline is None and self.target is None and not self.points


def _plottable(day: date | None, value: float | None) -> bool:
    """Whether a point fits the plan's rules for dates and numbers (samen/core/inputs.py): one stored before
    them (year 26, 9999; 1e300) would break the axes, and stays off the chart."""
    return (value is not None and math.isfinite(value) and abs(value) <= inputs.NUMBER_MAX
            and (day is None or inputs.EARLIEST <= day <= inputs.LATEST))


def reading(indicator: Indicator) -> Reading:
    """Return the baseline, target and measurements of an indicator (its measurements must be loaded)."""
    baseline = ((indicator.baseline_date, indicator.baseline_value)
                if _plottable(indicator.baseline_date, indicator.baseline_value) else None)
    target = ((indicator.target_date, indicator.target_value)
              if _plottable(indicator.target_date, indicator.target_value) else None)
    points: list[tuple[date, float]] = []
    corrected: set[int] = set()
    breaks: set[int] = set()
    hidden = False
    for m in sorted(indicator.measurements, key=lambda item: (item.date, item.id or 0)):
        if m.suppressed:  # a count too small to publish (the help desk's "< 5") is no number to plot: a gap
            hidden = True
            continue
        if not _plottable(m.date, m.value):
            continue
        if hidden and points:
            breaks.add(len(points))
        hidden = False
        points.append((m.date, m.value))
        if m.corrected_at is not None:
            corrected.add(len(points) - 1)
    breaks |= _missing(points)
    scale = None
    if (indicator.kind or "number") != "number" and indicator.scale_min is not None \
            and indicator.scale_max is not None:
        scale = (indicator.scale_min, indicator.scale_max)
    return Reading(baseline, target, points, indicator.higher_is_better, frozenset(corrected), frozenset(breaks),
                   scale)


def _missing(points: list[tuple[date, float]]) -> set[int]:
    """Return the indexes of points after an interval more than 1.5 times the usual (median) one: a period
    that was not measured. With fewer than three points there is no usual interval."""
    if len(points) < 3:
        return set()
    intervals = [(points[i][0] - points[i - 1][0]).days for i in range(1, len(points))]
    usual = sorted(intervals)[len(intervals) // 2]
    return {i for i, days in enumerate(intervals, start=1) if usual > 0 and days > 1.5 * usual}


def share_of_the_way(facts: Reading) -> int | None:
    """Return how far the latest measurement has come from the baseline to the target, in percent."""
    if facts.baseline is None or facts.target is None or facts.latest is None:
        return None
    start, goal, now = facts.baseline[1], facts.target[1], facts.latest[1]
    if goal == start:
        return None
    return round(100 * (now - start) / (goal - start))


def target_reached(facts: Reading) -> bool:
    """Whether the latest measurement meets the target, in the direction that counts."""
    if facts.target is None or facts.latest is None:
        return False
    goal, now = facts.target[1], facts.latest[1]
    return now >= goal if facts.higher_is_better else now <= goal


def describe(indicator: Indicator, *, gaps: str = "list") -> list[str]:
    """Return the indicator's state in sentences: baseline, latest measurement, target, direction, how far.

    `gaps`: "list" says each period without a published value; "count" says how many there are (the progress
    page's cards: a plan measured monthly for years would otherwise say dozens of sentences per indicator)."""
    facts = reading(indicator)
    unit = indicator.unit
    sentences = []
    if facts.baseline is not None:
        day, value = facts.baseline
        sentences.append(_("Baseline: %(value)s (%(date)s).", value=format_value(value, unit),
                           date=format_date(day)) if day else
                         _("Baseline: %(value)s.", value=format_value(value, unit)))
    if facts.latest is not None:
        day, value = facts.latest
        sentences.append(_("Latest measurement: %(value)s on %(date)s (%(count)d measurements in all).",
                           value=format_value(value, unit), date=format_date(day), count=len(facts.points))
                         if len(facts.points) != 1 else
                         _("One measurement: %(value)s on %(date)s.", value=format_value(value, unit),
                           date=format_date(day)))
    else:
        sentences.append(_("No measurements yet."))
    if gaps == "count" and facts.breaks:
        sentences.append(ngettext("%(num)d period without a published value.",
                                  "%(num)d periods without a published value.", len(facts.breaks)))
    elif gaps != "count":
        for start, end in facts.gaps():
            sentences.append(_("No published value between %(start)s and %(end)s.", start=format_date(start),
                               end=format_date(end)))
    if facts.corrected:
        sentences.append(_("%(count)d measurement(s) corrected after they were recorded.",
                           count=len(facts.corrected)))
    if facts.target is not None:
        day, value = facts.target
        sentences.append(_("Target: %(value)s by %(date)s.", value=format_value(value, unit),
                           date=format_date(day)) if day else
                         _("Target: %(value)s.", value=format_value(value, unit)))
    sentences.append(_("Higher is better.") if facts.higher_is_better else _("Lower is better."))
    if target_reached(facts):
        sentences.append(_("The target has been reached."))
    else:
        share = share_of_the_way(facts)
        if share is not None and share < 0:
            sentences.append(_("The latest measurement is further from the target than the baseline was."))
        elif share is not None:
            sentences.append(_("So far %(share)d%% of the way from the baseline to the target.", share=share))
    return sentences


# --- scales -------------------------------------------------------------------------------------------------

def nice_scale(low: float, high: float, count: int = 5) -> list[float]:
    """Return round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) that cover low..high in about `count` steps."""
    if low > high:
        low, high = high, low
    if low >= 0 and low <= high / 2:
        low = 0.0  # quantities that are all positive start at zero unless that squashes the line
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    first, last = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


def _month_starts(low: date, high: date, months: int) -> list[date]:
    day = date(low.year, low.month, 1)
    ticks = []
    while day <= high:
        index = day.year * 12 + day.month - 1
        if day >= low and index % months == 0:
            ticks.append(day)
        index += 1
        day = date(index // 12, index % 12 + 1, 1)
    return ticks


def date_ticks(low: date, high: date, most: int = 6) -> tuple[list[date], str]:
    """Return tick dates on month or year starts (at most `most`) and the date pattern for their labels."""
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        ticks = _month_starts(low, high, months)
        if 2 <= len(ticks) <= most:
            return ticks, ("yyyy" if months >= 12 else "MMM yyyy")
        if len(ticks) < 2:
            break
    return ([low, high] if low != high else [low]), "d MMM yyyy"


# --- drawing ------------------------------------------------------------------------------------------------

def _attrs(**values: Any) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"'
                    for name, value in values.items())


def _text(x: float, y: float, content: str, cls: str = "chart__text", **extra: Any) -> str:
    attrs = _attrs(x=f"{x:.1f}", y=f"{y:.1f}", class_=cls, fill=COLOURS["text"], font_size=FONT, **extra)
    return f"<text {attrs}>{escape(content)}</text>"


def _square(x: float, y: float, size: float = 11) -> str:
    return (f'<rect {_attrs(x=f"{x - size / 2:.1f}", y=f"{y - size / 2:.1f}", width=size, height=size)} '
            f'class="chart__baseline" fill="{COLOURS["baseline"]}"')


def _diamond(x: float, y: float, size: float = 8) -> str:
    points = f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} {x - size:.1f},{y:.1f}"
    return f'<polygon points="{points}" class="chart__target-mark" fill="{COLOURS["target"]}"'


def _circle(x: float, y: float, r: float = 5) -> str:
    return (f'<circle {_attrs(cx=f"{x:.1f}", cy=f"{y:.1f}", r=r)} class="chart__point" '
            f'fill="{COLOURS["measure"]}" stroke="{COLOURS["halo"]}" stroke-width="1.5"')


def _hollow(x: float, y: float, r: float = 5) -> str:
    """A corrected measurement: a ring, told apart by its shape, not its colour."""
    return (f'<circle {_attrs(cx=f"{x:.1f}", cy=f"{y:.1f}", r=r)} class="chart__point chart__point--corrected" '
            f'fill="{COLOURS["halo"]}" stroke="{COLOURS["measure"]}" stroke-width="2.5"')


def _tip(element: str, text: str) -> str:
    """Close a shape with a tooltip for pointer users (the summary and the table say the same to everyone)."""
    return f"{element}><title>{escape(text)}</title></{element.split()[0][1:]}>"


def _legend(facts: Reading) -> list[str]:
    items = []
    x, y = 12.0, 22.0
    entries = []
    if facts.baseline is not None:
        entries.append(("baseline", _("Baseline")))
    if facts.points:
        entries.append(("measure", _("Measured")))
    if facts.corrected:
        entries.append(("corrected", _("Corrected")))
    if facts.target is not None:
        entries.append(("target", _("Target")))
    for kind, label in entries:
        if kind == "baseline":
            items.append(_square(x + 12, y - 5) + "/>")
        elif kind == "measure":
            items.append(f'<line {_attrs(x1=x, y1=y - 5, x2=x + 24, y2=y - 5)} class="chart__line" '
                         f'stroke="{COLOURS["measure"]}" stroke-width="3"/>')
            items.append(_circle(x + 12, y - 5) + "/>")
        elif kind == "corrected":
            items.append(_hollow(x + 12, y - 5) + "/>")
        else:
            items.append(f'<line {_attrs(x1=x, y1=y - 5, x2=x + 24, y2=y - 5)} class="chart__target" '
                         f'stroke="{COLOURS["target"]}" stroke-width="2.5" stroke-dasharray="6 4"/>')
            items.append(_diamond(x + 12, y - 5, 6) + "/>")
        items.append(_text(x + 32, y, label))
        x += 32 + len(label) * FONT * 0.6 + 24
    return items


def indicator_chart(indicator: Indicator, *, chart_id: str, described_by: str | None = None) -> Markup | None:
    """Return the indicator's line chart as inline SVG, or None when there is nothing to draw.

    `described_by`: the id of an element on the page that already says the summary in words (describe()); the
    chart refers to it instead of repeating it in a <desc> of its own."""
    facts = reading(indicator)
    if facts.is_empty:
        return None
    unit = indicator.unit

    values = [value for _day, value in facts.points]
    values += [pair[1] for pair in (facts.baseline, facts.target) if pair is not None]
    values += list(facts.scale or ())  # a scale is drawn whole: 7 of 10 must not look like the top
    ticks = nice_scale(min(values), max(values))
    low, high = ticks[0], ticks[-1]

    days = [day for day, _value in facts.points]
    days += [pair[0] for pair in (facts.baseline, facts.target) if pair is not None and pair[0] is not None]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    if first == last:
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    pad = max(1, (last - first).days // 30)
    start, end = first - timedelta(days=pad), last + timedelta(days=pad)

    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def px(day: date) -> float:
        return x0 + (x1 - x0) * (day - start).days / max(1, (end - start).days)

    def py(value: float) -> float:
        return y1 - (y1 - y0) * (value - low) / ((high - low) or 1)

    title_id, desc_id = f"{chart_id}-title", described_by or f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'{_attrs(viewBox=f"0 0 {WIDTH} {HEIGHT}", width=WIDTH, height=HEIGHT)} '
        f'role="img" aria-labelledby="{escape(title_id)}" aria-describedby="{escape(desc_id)}" '
        f'class="chart" focusable="false">',
        f'<title id="{escape(title_id)}">{escape(_("Chart: %(name)s", name=indicator.name))}</title>',
        *([] if described_by else [f'<desc id="{escape(desc_id)}">{escape(" ".join(describe(indicator)))}</desc>']),
        *_legend(facts),
        _text(12, TOP - 14, _("Value (%(unit)s)", unit=unit) if unit else _("Value"),
              cls="chart__text chart__muted"),
    ]
    for tick in ticks:  # value axis: grid lines and labels
        y = py(tick)
        parts.append(f'<line {_attrs(x1=x0, y1=f"{y:.1f}", x2=x1, y2=f"{y:.1f}")} class="chart__grid" '
                     f'stroke="{COLOURS["grid"]}" stroke-dasharray="2 3"/>')
        parts.append(_text(x0 - 8, y + 5, format_number(tick), text_anchor="end"))
    date_marks, pattern = date_ticks(first, last)
    for day in date_marks:  # time axis: ticks and labels
        x = px(day)
        parts.append(f'<line {_attrs(x1=f"{x:.1f}", y1=y1, x2=f"{x:.1f}", y2=y1 + 6)} class="chart__axis" '
                     f'stroke="{COLOURS["axis"]}"/>')
        parts.append(_text(x, y1 + 24, format_date(day, pattern), text_anchor="middle"))
    parts.append(_text((x0 + x1) / 2, HEIGHT - 10, _("Date"), cls="chart__text chart__muted",
                       text_anchor="middle"))
    parts.append(f'<path d="M{x0},{y0 - 6} V{y1} H{x1}" class="chart__axis" fill="none" '
                 f'stroke="{COLOURS["axis"]}" stroke-width="1.5"/>')

    if facts.target is not None:
        day, value = facts.target
        y = py(value)
        parts.append(f'<line {_attrs(x1=x0, y1=f"{y:.1f}", x2=x1, y2=f"{y:.1f}")} class="chart__target" '
                     f'stroke="{COLOURS["target"]}" stroke-width="2.5" stroke-dasharray="8 5"/>')
        label = (_("Target: %(value)s by %(date)s", value=format_value(value, unit), date=format_date(day))
                 if day else _("Target: %(value)s", value=format_value(value, unit)))
        parts.append(_tip(_diamond(px(day) if day else x1 - 10, y), label))
    starts = [0, *sorted(facts.breaks), len(facts.points)]
    for begin, stop in pairwise(starts):  # one line per stretch without a gap
        if stop - begin > 1:
            line = " ".join(f"{px(day):.1f},{py(value):.1f}" for day, value in facts.points[begin:stop])
            parts.append(f'<polyline points="{line}" class="chart__line" fill="none" '
                         f'stroke="{COLOURS["measure"]}" stroke-width="3" stroke-linejoin="round"/>')
    for index, (day, value) in enumerate(facts.points):
        label = f"{format_date(day)}: {format_value(value, unit)}"
        if index in facts.corrected:
            parts.append(_tip(_hollow(px(day), py(value)), label + " " + _("(corrected)")))
        else:
            parts.append(_tip(_circle(px(day), py(value)), label))
    if facts.baseline is not None:
        day, value = facts.baseline
        label = (_("Baseline: %(value)s (%(date)s)", value=format_value(value, unit), date=format_date(day))
                 if day else _("Baseline: %(value)s", value=format_value(value, unit)))
        parts.append(_tip(_square(px(day) if day else x0 + 10, py(value)), label))
    parts.append("</svg>")
    return Markup("\n".join(parts))


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 40, 4


def sparkline(indicator: Indicator) -> Markup | None:
    """Return a small line of the published measurements (with the target as a dashed line) for the progress
    page's cards, or None with fewer than two measurements.

    Decoration only (aria-hidden): the card says the same in words, and the indicator's own page has the full
    chart with its text alternative and the figures as a table. Breaks where a period has no published value.
    """
    facts = reading(indicator)
    if len(facts.points) < 2:
        return None
    values = [value for _day, value in facts.points] + ([facts.target[1]] if facts.target else [])
    low, high = min(values), max(values)
    first, last = facts.points[0][0], facts.points[-1][0]
    span, height = max(1, (last - first).days), (high - low) or 1.0
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD

    def x(day: date) -> str:
        return f"{SPARK_PAD + inner_w * (day - first).days / span:.0f}"

    def y(value: float) -> str:
        return f"{SPARK_PAD + inner_h * (high - value) / height:.0f}"

    target = ""
    if facts.target is not None:
        ty = y(facts.target[1])
        target = (f'<path d="M0 {ty}H{SPARK_WIDTH}" class="chart__target" stroke="{COLOURS["target"]}" '
                  f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    # One path: each stretch without a gap starts with a move (M), so the line breaks where a value is missing.
    breaks = facts.breaks
    line = "".join(f"{'L' if index and index not in breaks else 'M'}{x(day)} {y(value)}"
                   for index, (day, value) in enumerate(facts.points))
    day, value = facts.points[-1]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
             f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" class="sparkline" aria-hidden="true" '
             f'focusable="false">{target}',
             f'<path d="{line}" class="chart__line" fill="none" stroke="{COLOURS["measure"]}" stroke-width="2"/>',
             f'<circle cx="{x(day)}" cy="{y(value)}" r="3" class="chart__point" fill="{COLOURS["measure"]}"/></svg>']
    return Markup("".join(parts))
