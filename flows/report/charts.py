"""A stored chart re-drawn as inline SVG: the same chart type, axes with ticks, a colour per series, a legend.

Every data point becomes one mark (a bar, a marker, a pie slice) carrying ``data-point`` and a ``<title>`` with its
series, x and y, so a reader hovering over it sees the stored value and a test can count marks. Coordinates are
SVG pixels, origin top-left, y growing downwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from figtab.flows.report.markup import esc, shorten, tag, void
from figtab.flows.report.scales import Bands, Linear, colour, nice_ticks, tick_label, value_label
from figtab.schemas import Chart, Point, Series

WIDTH, HEIGHT = 560, 320
_LEGEND_WIDTH = 150
_CHAR_WIDTH = 6.2  # average width of an 11 px sans-serif character, to fit labels without font metrics
_ROW = 16  # legend row height


@dataclass(frozen=True)
class Plot:
    """The rectangle the data is drawn in, in SVG pixels."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str


def chart_svg(chart: Chart, width: int = WIDTH, height: int = HEIGHT) -> str:
    """``chart`` as a standalone ``<svg class="chart">`` element, one ``data-point`` mark per stored point."""
    legend = _legend_items(chart)
    top = 30 if chart.title else 12
    right = width - (_LEGEND_WIDTH if legend else 16)
    if chart.chart_type == "pie":
        body = _pie(chart, Plot(16, top, right, height - 12))
    else:
        bottom = height - (46 if chart.x_label else 30)
        body = _cartesian(chart, Plot(64 if chart.y_label else 52, top, right, bottom))
    parts = [body, _labels(chart, width, height), _legend(legend, width, height, top)]
    label = chart.title or f"{chart.chart_type} chart"
    return tag("svg", *parts, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {width} {height}", width=width,
               height=height, class_="chart", role="img", aria_label=label, data_chart_type=chart.chart_type)


def count_points(chart: Chart) -> int:
    """How many marks `chart_svg` draws for ``chart``: one per stored point."""
    return sum(len(series.points) for series in chart.series)


def _n(value: float) -> str:
    """A pixel coordinate, to a tenth: enough for the eye, and it keeps large charts small."""
    return f"{value:.1f}"


def _x_text(x: float | str) -> str:
    return x if isinstance(x, str) else value_label(x)


def _mark(element: str, series: Series, point: Point, series_index: int, **geometry: object) -> str:
    """One data point's mark, with its stored values in ``data-point`` and a hover ``<title>``."""
    where = f"{_x_text(point.x)}: {value_label(point.y)}"
    caption = f"{series.name} — {where}" if series.name else where
    return tag(element, tag("title", esc(caption)), class_="mark", data_point=where, data_series=series_index,
               **geometry)


def _categorical(chart: Chart) -> bool:
    """Bars always stand on categories; other types do when their x values are labels."""
    return chart.chart_type == "bar" or any(isinstance(p.x, str) for s in chart.series for p in s.points)


def _cartesian(chart: Chart, plot: Plot) -> str:
    ys = [point.y for series in chart.series for point in series.points]
    if chart.chart_type in ("bar", "area"):
        ys.append(0.0)  # bars and areas are measured from zero
    y_ticks = nice_ticks(min(ys), max(ys))
    y = Linear(y_ticks[0], y_ticks[-1], plot.bottom, plot.top)
    axis, x_of, bands = _x_placement(chart, plot)
    parts = [_y_axis(y, y_ticks, plot), axis]
    if bands is not None and chart.chart_type == "bar":
        parts.append(_bars(chart, bands, y))
    else:
        parts.extend(_series_marks(chart, index, series, x_of, y) for index, series in enumerate(chart.series))
    return tag("g", *parts, class_="plot")


def _x_placement(chart: Chart, plot: Plot) -> tuple[str, Callable[[Point], float], Bands | None]:
    """The x axis markup, where a point sits along it, and the category bands when x holds categories."""
    if _categorical(chart):
        bands = Bands(tuple(dict.fromkeys(_x_text(p.x) for s in chart.series for p in s.points)), plot.left,
                      plot.right)
        return _band_axis(bands, plot), lambda point: bands.centre(_x_text(point.x)), bands
    xs = [float(p.x) for s in chart.series for p in s.points]
    ticks = nice_ticks(min(xs), max(xs))
    x = Linear(ticks[0], ticks[-1], plot.left, plot.right)
    return _linear_x_axis(x, ticks, plot), lambda point: x(float(point.x)), None


def _y_axis(y: Linear, ticks: list[float], plot: Plot) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = [void("line", x1=_n(plot.left), y1=_n(plot.top), x2=_n(plot.left), y2=_n(plot.bottom), class_="axis")]
    for value in ticks:
        at = _n(y(value))
        parts.append(void("line", x1=_n(plot.left), y1=at, x2=_n(plot.right), y2=at, class_="grid"))
        parts.append(void("line", x1=_n(plot.left - 4), y1=at, x2=_n(plot.left), y2=at, class_="tick"))
        parts.append(tag("text", esc(tick_label(value, step)), x=_n(plot.left - 6), y=at, class_="tick-label",
                         text_anchor="end", dominant_baseline="middle"))
    return tag("g", *parts, class_="y-axis")


def _linear_x_axis(x: Linear, ticks: list[float], plot: Plot) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    parts = [void("line", x1=_n(plot.left), y1=_n(plot.bottom), x2=_n(plot.right), y2=_n(plot.bottom),
                  class_="axis")]
    for value in ticks:
        at = _n(x(value))
        parts.append(void("line", x1=at, y1=_n(plot.bottom), x2=at, y2=_n(plot.bottom + 4), class_="tick"))
        parts.append(tag("text", esc(tick_label(value, step)), x=at, y=_n(plot.bottom + 15), class_="tick-label",
                         text_anchor="middle"))
    return tag("g", *parts, class_="x-axis")


def _band_axis(bands: Bands, plot: Plot) -> str:
    """Category ticks; long or many labels are slanted and, when they still crowd, only every n-th is written."""
    longest = max((len(label) for label in bands.labels), default=1)
    limit = min(longest, 14)
    slanted = limit * _CHAR_WIDTH > bands.width * 0.95
    room = 12 if slanted else limit * _CHAR_WIDTH + 6  # pixels one label needs along the axis
    every = max(1, math.ceil(room / max(bands.width, 1e-9)))
    parts = [void("line", x1=_n(plot.left), y1=_n(plot.bottom), x2=_n(plot.right), y2=_n(plot.bottom),
                  class_="axis")]
    for index, label in enumerate(bands.labels):
        at = bands.centre(label)
        parts.append(void("line", x1=_n(at), y1=_n(plot.bottom), x2=_n(at), y2=_n(plot.bottom + 4), class_="tick"))
        if index % every:
            continue
        placement = ({"text_anchor": "end", "transform": f"rotate(-35 {_n(at)} {_n(plot.bottom + 12)})"} if slanted
                     else {"text_anchor": "middle"})
        parts.append(tag("text", tag("title", esc(label)), esc(shorten(label, limit)), x=_n(at),
                         y=_n(plot.bottom + 15), class_="tick-label", **placement))
    return tag("g", *parts, class_="x-axis")


def _bars(chart: Chart, bands: Bands, y: Linear) -> str:
    """Grouped bars: each category's band split among the series, each bar from zero to its value."""
    group = bands.width * 0.8
    bar = group / len(chart.series)
    base = y(y.clamp(0.0))
    marks = []
    for index, series in enumerate(chart.series):
        fill = colour(index)
        for point in series.points:
            left = bands.centre(_x_text(point.x)) - group / 2 + index * bar
            top, bottom = sorted((y(point.y), base))
            marks.append(_mark("rect", series, point, index, x=_n(left), y=_n(top), width=_n(max(bar - 1, 0.5)),
                               height=_n(bottom - top), fill=fill))
    return tag("g", *marks, class_="bars")


def _series_marks(chart: Chart, index: int, series: Series, x_of: Callable[[Point], float], y: Linear) -> str:
    """A line, area or scatter series: the connecting path (not for scatter) and one marker per point."""
    stroke = colour(index)
    placed = [(x_of(point), y(point.y), point) for point in series.points]
    if not _categorical(chart):
        placed.sort(key=lambda item: item[0])
    parts = []
    path = " ".join(f"{_n(px)},{_n(py)}" for px, py, _ in placed)
    if chart.chart_type == "area":
        base = _n(y(y.clamp(0.0)))
        outline = f"{_n(placed[0][0])},{base} {path} {_n(placed[-1][0])},{base}"
        parts.append(void("polygon", points=outline, fill=stroke, fill_opacity="0.3", class_="area"))
    if chart.chart_type in ("line", "area"):
        parts.append(void("polyline", points=path, fill="none", stroke=stroke, stroke_width=2, class_="line"))
    radius = 3.5 if len(placed) <= 60 else 2.0
    parts.extend(_mark("circle", series, point, index, cx=_n(px), cy=_n(py), r=radius, fill=stroke)
                 for px, py, point in placed)
    return tag("g", *parts, class_="series")


def _pie(chart: Chart, plot: Plot) -> str:
    """One ring per series (a single series is a full pie), slices clockwise from 12 o'clock, coloured by
    category."""
    categories = {label: i for i, label in enumerate(dict.fromkeys(
        _x_text(p.x) for s in chart.series for p in s.points))}
    radius = max(min(plot.width, plot.height) / 2 - 4, 10)
    cx, cy = plot.left + plot.width / 2, plot.top + plot.height / 2
    ring = radius / len(chart.series)
    marks = []
    for index, series in enumerate(chart.series):
        outer, inner = radius - index * ring, radius - (index + 1) * ring
        total = sum(point.y for point in series.points)
        angle = 0.0
        for point in series.points:
            sweep = 2 * math.pi * point.y / total if total > 0 else 0.0
            marks.append(_mark("path", series, point, index, d=_sector(cx, cy, outer, inner, angle, angle + sweep),
                               fill=colour(categories[_x_text(point.x)])))
            angle += sweep
    return tag("g", *marks, class_="pie")


def _sector(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """SVG path of the ring (or pie) sector between angles ``start`` and ``end`` (radians clockwise from 12 o'clock);
    empty for a zero sweep, two half arcs for a full turn."""
    sweep = end - start
    if sweep <= 0:
        return "M0,0"
    if sweep >= 2 * math.pi - 1e-9:
        return _full_ring(cx, cy, outer, inner)

    def at(radius: float, angle: float) -> str:
        return f"{_n(cx + radius * math.sin(angle))},{_n(cy - radius * math.cos(angle))}"

    large = 1 if sweep > math.pi else 0
    path = f"M{at(outer, start)} A{_n(outer)},{_n(outer)} 0 {large} 1 {at(outer, end)}"
    if inner > 0.5:
        path += f" L{at(inner, end)} A{_n(inner)},{_n(inner)} 0 {large} 0 {at(inner, start)}"
    else:
        path += f" L{_n(cx)},{_n(cy)}"
    return path + " Z"


def _full_ring(cx: float, cy: float, outer: float, inner: float) -> str:
    def circle(radius: float, clockwise: int) -> str:
        top, bottom = f"{_n(cx)},{_n(cy - radius)}", f"{_n(cx)},{_n(cy + radius)}"
        arc = f"A{_n(radius)},{_n(radius)} 0 1 {clockwise}"
        return f"M{top} {arc} {bottom} {arc} {top} Z"

    return circle(outer, 1) + (" " + circle(inner, 0) if inner > 0.5 else "")


def _legend_items(chart: Chart) -> list[LegendItem]:
    """Pie slices are told apart by category, other charts by series; a single unnamed series needs no legend."""
    if chart.chart_type == "pie":
        labels = dict.fromkeys(_x_text(p.x) for s in chart.series for p in s.points)
        return [LegendItem(label, colour(i)) for i, label in enumerate(labels)]
    if len(chart.series) == 1 and not chart.series[0].name.strip():
        return []
    return [LegendItem(series.name, colour(i)) for i, series in enumerate(chart.series)]


def _legend(items: list[LegendItem], width: int, height: int, top: float) -> str:
    if not items:
        return ""
    left = width - _LEGEND_WIDTH + 12
    fits = max(int((height - top - 12) // _ROW), 1)
    shown = items if len(items) <= fits else items[:fits - 1]
    rows = []
    for row, item in enumerate(shown):
        y = top + row * _ROW
        rows.append(void("rect", x=_n(left), y=_n(y), width=10, height=10, fill=item.colour))
        rows.append(tag("text", tag("title", esc(item.label)), esc(shorten(item.label, 20)), x=_n(left + 15),
                        y=_n(y + 9), class_="legend-label"))
    if len(shown) < len(items):
        rows.append(tag("text", esc(f"+{len(items) - len(shown)} more"), x=_n(left + 15),
                        y=_n(top + len(shown) * _ROW + 9), class_="legend-label"))
    return tag("g", *rows, class_="legend")


def _labels(chart: Chart, width: int, height: int) -> str:
    """Title above the plot, x label under it, y label up the left side."""
    parts = []
    if chart.title:
        parts.append(tag("text", tag("title", esc(chart.title)), esc(shorten(chart.title, int(width / 7.5))),
                         x=_n(width / 2), y=18, class_="title", text_anchor="middle"))
    if chart.x_label and chart.chart_type != "pie":
        parts.append(tag("text", esc(shorten(chart.x_label, 60)), x=_n(width / 2), y=_n(height - 8),
                         class_="axis-label", text_anchor="middle"))
    if chart.y_label and chart.chart_type != "pie":
        parts.append(tag("text", esc(shorten(chart.y_label, 40)), x=14, y=_n(height / 2), class_="axis-label",
                         text_anchor="middle", transform=f"rotate(-90 14 {_n(height / 2)})"))
    return "".join(parts)
