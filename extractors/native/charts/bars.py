"""Bars: filled rectangles standing on the baseline or on each other (stacked), side by side (grouped)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from figtab.extractors.native.charts.axes import category_axis
from figtab.extractors.native.charts.marks import SeriesMarks, baseline, by_colour, inside, span_value, x_key
from figtab.extractors.native.charts.numbers import parse_number
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Shape

_TOUCH = 0.6  # points between two edges that meet
_NEAR_BASE = 1.5  # points the bars' shared edge may stand off the axis's zero (a turned label two pixels off)


def _white(shape: Shape) -> bool:
    return shape.fill is not None and min(shape.fill) >= 0.97


def _same_column(a: Shape, b: Shape) -> bool:
    overlap = min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0)
    return overlap > 0.5 * min(a.box.width, b.box.width)


def _stacked(rects: list[Shape]) -> set[int]:
    """Ids of the boxes that sit on top of another box, or hold one up, in the same column.

    Tops are looked up through a sorted index, not pair by pair: a page of table shading has thousands of boxes.
    """
    by_top = sorted(rects, key=lambda r: r.box.y0)
    tops = [r.box.y0 for r in by_top]
    found: set[int] = set()
    for a in rects:
        for b in by_top[bisect_left(tops, a.box.y1 - _TOUCH):bisect_right(tops, a.box.y1 + _TOUCH)]:
            if b is not a and _same_column(a, b):
                found.update((id(a), id(b)))
    return found


def read_bars(area: PlotArea, shapes: list[Shape]) -> list[SeriesMarks]:
    """Series of bars standing up the page, or [] when the filled boxes in the plot are not such bars."""
    rects = [s for s in inside(shapes, area) if s.is_rect and s.fill is not None and not _white(s)
             and s.box.height > 0.05 and s.box.width > 0.5]
    base = baseline(area)
    ground = _common_base(rects, base)  # where they stand; their lengths are read from the axis's own zero
    grounded = {id(r) for r in rects if abs(r.box.y1 - ground) <= _TOUCH or abs(r.box.y0 - ground) <= _TOUCH}
    resting = grounded | _stacked(rects)
    held = [r for r in rects if id(r) in resting]
    if not grounded or len(held) < 0.9 * len(rects):
        return []
    key = _banded_key(area, held)
    at = _group_centres(held, len(area.x.labels) if area.x is not None else 0)
    return by_colour([(r.fill, key(at[id(r)]), span_value(area, r.box.y0, r.box.y1, base)) for r in held])


def _group_centres(bars: list[Shape], labels: int) -> dict[int, float]:
    """Where each bar's group stands across the axis: bars side by side (touching) or stacked (overlapping across)
    are one group, named by the label nearest the group's middle, where a narrow outer bar of a wide group may
    stand nearer the next label. Used when there are as many groups as labels; else each bar's own middle."""
    order = sorted(bars, key=lambda r: r.box.x0)
    groups: list[list[Shape]] = []
    for r in order:
        if groups and r.box.x0 <= max(b.box.x1 for b in groups[-1]) + _TOUCH:
            groups[-1].append(r)
        else:
            groups.append([r])
    if len(groups) != labels:
        return {id(r): r.box.cx for r in bars}
    return {id(r): (min(b.box.x0 for b in g) + max(b.box.x1 for b in g)) / 2 for g in groups for r in g}


def _common_base(rects: list[Shape], base: float) -> float:
    """The edge most bars share, when it lies within a point of the axis's baseline: a producer may draw its zero
    line half a pixel off the bars (crisp lines), and the bars' own edge is where they stand."""
    edges: dict[float, int] = {}
    for r in rects:
        for edge in (r.box.y0, r.box.y1):
            if abs(edge - base) <= _NEAR_BASE:
                edges[round(edge, 1)] = edges.get(round(edge, 1), 0) + 1
    shared = max(edges, key=edges.get, default=None)
    return shared if shared is not None and edges[shared] >= max(2, len(rects) // 2) else base


def _banded_key(area: PlotArea, bars: list[Shape]) -> Callable[[float], float | str]:
    """How a bar's x is named. Numeric labels under bars (years) usually name bands, not positions: when every
    series has at most one bar nearest each label, a bar takes its nearest label's value, as a category would."""
    axis = area.x
    if axis is None or axis.kind not in ("linear", "log"):
        return lambda x: x_key(area, x)
    bands = category_axis(axis.labels, axis.ticks)
    seen = {(r.fill, bands.value(r.box.cx)) for r in bars}
    if len(seen) < len(bars):
        return lambda x: x_key(area, x)
    return lambda x: parse_number(bands.key(x))
