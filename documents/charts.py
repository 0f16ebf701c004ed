"""Small server-rendered SVG charts, the generic part: geometry ready for SVG and its markup.

Shared by the apps that draw charts on their pages and in their PDFs (followup's IKO charts, iop's goal
progress): they compute a `Chart` from their data and call `chart_svg`. Coordinates are in the SVG's user
units (its `viewBox`), rounded to one decimal. The caller chooses colours with a contrast of at least 3:1
against white (WCAG 2.1 AA, 1.4.11), and never lets colour alone carry the meaning: the chart has a
<title> and <desc>, and the page puts a table beside it.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

LINE_COLOUR = "#0b5cad"  # 6.7:1 against white


# --- Geometry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tick:
    """A gridline at `position` (y for a vertical axis, x for a horizontal one) and its label."""
    position: float
    label: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # what the rectangle shows, for the tooltip


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str
    label: str  # the value written beside the point


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str


@dataclass(frozen=True)
class Chart:
    kind: str  # "columns" (stacked, vertical), "line", "bars" (stacked, horizontal)
    width: int
    height: int
    plot: Rect  # the plotting area (fill unused)
    ticks: list[Tick] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)  # category labels along the axis
    legend: list[LegendItem] = field(default_factory=list)
    summary: str = ""  # one sentence for the svg's <desc>

    @property
    def plot_bottom(self) -> float:
        return round1(self.plot.y + self.plot.height)

    @property
    def plot_right(self) -> float:
        return round1(self.plot.x + self.plot.width)

    @property
    def tick_label_x(self) -> float:
        """Where the labels of a vertical axis end."""
        return round1(self.plot.x - 6)

    @property
    def tick_label_y(self) -> float:
        """The baseline of the labels of a horizontal value axis (the bars)."""
        return round1(self.height - 8)

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)


GRID, AXIS, WHITE = 'stroke="#c4c4c4" stroke-width="1"', 'stroke="currentColor" stroke-width="1"', "#ffffff"


def chart_svg(chart: Chart, chart_id: str, title: str, *, css_class: str = "chart__svg") -> str:
    """The chart as SVG markup, built here rather than in a template: a school's overview draws a thousand
    shapes, and a template loop over them was half the page's time (bench/README.md). Every text is escaped;
    numbers are written unlocalised ("12.5", never "12,5")."""
    e = escape
    out = [f'<svg class="{e(css_class)}" role="img" aria-labelledby="{e(chart_id)}-title {e(chart_id)}-desc" '
           f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" height="{chart.height}" '
           f'font-size="12" focusable="false" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{e(chart_id)}-title">{e(title)}</title><desc id="{e(chart_id)}-desc">{e(chart.summary)}</desc>',
           '<g aria-hidden="true">']
    plot = chart.plot
    for tick in chart.ticks:
        if chart.kind == "bars":
            out.append(f'<line x1="{tick.position}" x2="{tick.position}" y1="{plot.y}" y2="{chart.plot_bottom}" {GRID}/>'
                       f'<text x="{tick.position}" y="{chart.tick_label_y}" text-anchor="middle" '
                       f'fill="currentColor">{e(tick.label)}</text>')
        else:
            out.append(f'<line x1="{plot.x}" x2="{chart.plot_right}" y1="{tick.position}" y2="{tick.position}" {GRID}/>'
                       f'<text x="{chart.tick_label_x}" y="{tick.position}" dy="4" text-anchor="end" '
                       f'fill="currentColor">{e(tick.label)}</text>')
    out.append("</g>")
    out.extend(f'<rect x="{rect.x}" y="{rect.y}" width="{rect.width}" height="{rect.height}" fill="{rect.fill}" '
               f'stroke="{WHITE}" stroke-width="1"><title>{e(rect.title)}</title></rect>' for rect in chart.rects)
    if chart.kind == "line":
        if len(chart.points) > 1:
            out.append(f'<polyline points="{chart.polyline}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>')
        out.extend(f'<circle cx="{point.x}" cy="{point.y}" r="4" fill="{LINE_COLOUR}"><title>{e(point.title)}</title>'
                   f'</circle><text x="{point.x}" y="{point.y}" dy="-8" text-anchor="middle" fill="currentColor" '
                   f'aria-hidden="true">{e(point.label)}</text>' for point in chart.points)
    out.append('<g aria-hidden="true">')
    if chart.kind == "bars":
        out.append(f'<line x1="{plot.x}" x2="{plot.x}" y1="{plot.y}" y2="{chart.plot_bottom}" {AXIS}/>')
        out.extend(f'<text x="{label.x}" y="{label.y}" text-anchor="end" fill="currentColor">{e(label.lines[0])}</text>'
                   for label in chart.labels)
    else:
        out.append(f'<line x1="{plot.x}" x2="{chart.plot_right}" y1="{chart.plot_bottom}" y2="{chart.plot_bottom}" '
                   f'{AXIS}/>')
        for label in chart.labels:
            lines = "".join(f'<tspan x="{label.x}" dy="{0 if n == 0 else 14}">{e(line)}</tspan>'
                            for n, line in enumerate(label.lines))
            out.append(f'<text x="{label.x}" y="{label.y}" text-anchor="middle" fill="currentColor">{lines}</text>')
    out.append("</g></svg>")
    return mark_safe("\n".join(out))  # every text above went through escape()


def round1(value) -> float:
    return round(float(value), 1)


def nice_ceiling(value, minimum: int) -> tuple[int, int]:
    """The axis maximum (a multiple of a round step, at least `minimum`) and that step."""
    value = max(float(value), minimum)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if value / step <= 5:
            return int(math.ceil(value / step) * step), step
    step = 10 ** math.ceil(math.log10(value / 5))
    return int(math.ceil(value / step) * step), step
