"""What every mark reader shares: the marks inside a plot, and a series' points keyed by colour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from figtab.extractors.native.charts.numbers import parse_number
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Box, Colour, Shape

_ON_LINE = 0.6  # points a mark's edge may sit off a line and still rest on it
_NAMED_OFF = 0.1  # share of the tick spacing that marks named by their labels may stand off them
_HAIRLINE = 1.5  # points: a filled box no thicker than this is a line (tick, grid, axis), as `regions.rules` reads it


@dataclass
class SeriesMarks:
    """One series as read: its colour (the legend key) and its (x, y) points."""

    colour: Colour | None
    points: list[tuple[float | str, float]] = field(default_factory=list)


def inside(shapes: list[Shape], area: PlotArea, margin: float = 1.0) -> list[Shape]:
    """Shapes whose box lies within the plot (background panes that fill it, and hairline boxes, excluded)."""
    box = area.box
    found = []
    for s in shapes:
        b = s.box
        if not (box.contains(b.x0, b.y0, margin) and box.contains(b.x1, b.y1, margin)):
            continue
        if s.is_rect and s.fill is not None and b.width * b.height >= 0.5 * box.width * box.height:
            continue
        if s.is_rect and _hairline(b, box):
            continue
        found.append(s)
    return found


def _hairline(b: Box, plot: Box) -> bool:
    """A box drawn as a line: an upright sliver (a tick), or a flat one reaching a side of the plot (a tick
    pointing in, a grid line, an axis). A flat box inside the plot is kept: it is a bar of a value near zero."""
    if b.width <= _HAIRLINE < b.height / 2:
        return True
    return b.height <= _HAIRLINE < b.width / 2 and min(abs(x - side) for x in (b.x0, b.x1)
                                                        for side in (plot.x0, plot.x1)) <= 1


def x_key(area: PlotArea, x: float) -> float | str:
    """The x value at page position ``x``, as the x axis reads it (plots without one are not read: a page position
    is no value)."""
    if area.x is None:
        raise ValueError("a plot without a labelled x axis has no x values")
    return area.x.key(x)


def labelled_key(area: PlotArea, xs: list[float]) -> Callable[[float], float | str]:
    """How a mark's x is named when numbers label the very places the marks stand (years under the points of a
    line, slanted labels whose anchor is a point or so off their tick): every mark stands the same short way off
    one label, so each takes its label's number. Otherwise as `x_key` reads the axis."""
    axis = area.x
    if axis is None or axis.kind not in ("linear", "log") or len(axis.ticks) < 2 or not xs:
        return lambda x: x_key(area, x)
    ticks = sorted(axis.ticks)
    spacing = min(b - a for a, b in zip(ticks, ticks[1:]))
    offsets = [x - min(axis.ticks, key=lambda t: abs(t - x)) for x in xs]
    shift = sorted(offsets)[len(offsets) // 2]
    spread = max(_ON_LINE, _NAMED_OFF * spacing)  # slanted labels' anchors drift a little along the axis
    if spacing <= 0 or abs(shift) > _NAMED_OFF * spacing or any(abs(o - shift) > spread for o in offsets):
        return lambda x: x_key(area, x)
    named = [parse_number(label.text) for label in axis.labels]
    return lambda x: named[min(range(len(named)), key=lambda i: abs(axis.ticks[i] + shift - x))]


def baseline(area: PlotArea) -> float:
    """Page y that bars and bands grow from: the zero line, or the plot's bottom when zero is off the axis."""
    axis, box = area.y, area.box
    low, high = sorted((axis.value(box.y0), axis.value(box.y1)))
    slack = 1e-3 * (high - low)
    return axis.position(0.0) if axis.kind != "log" and low - slack <= 0 <= high + slack else box.y1


def span_value(area: PlotArea, top: float, bottom: float, base: float) -> float:
    """The value a bar or band from ``top`` to ``bottom`` (page y) stands for.

    Over a zero line every mark reads its own length, negative below the line: resting on zero or stacked on
    another mark alike, and a label a little off its tick shifts nothing. Over a baseline that is not zero
    (the axis starts above it) a mark resting on it reads its far end.
    """
    axis = area.y
    scale = max(abs(axis.value(area.box.y0)), abs(axis.value(area.box.y1)))
    if axis.kind == "log" or abs(axis.value(base)) > 1e-6 * scale:
        if abs(bottom - base) <= _ON_LINE:
            return axis.value(top)
        if abs(top - base) <= _ON_LINE:
            return axis.value(bottom)
    length = axis.value(top) - axis.value(bottom)
    return length if (top + bottom) / 2 < base else -length


def by_colour(items: list[tuple[Colour | None, float | str, float]]) -> list[SeriesMarks]:
    """Group (colour, x, y) readings into series, in order of first appearance."""
    series: dict[Colour | None, SeriesMarks] = {}
    for colour, x, y in items:
        series.setdefault(colour, SeriesMarks(colour)).points.append((x, y))
    return list(series.values())
