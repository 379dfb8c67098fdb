"""Lines (stroked polylines, vertices are the data) and scatter markers (small closed shapes, centres are data)."""

from __future__ import annotations

import math

from figtab.extractors.native.charts.marks import SeriesMarks, by_colour, inside, x_key
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Shape

_MARKER_EM = 1.5  # a marker is at most this many font sizes across
_MARKER_ASPECT = 2.0  # and about as tall as wide (a flat sliver is a tick drawn as a box)
_REGULAR = 0.05  # share by which a regular polygon's sides may differ (vertices are rounded to 0.01 pt)


def _is_rule(shape: Shape) -> bool:
    """A two-point horizontal or vertical stroke: a tick, grid line or axis, not data."""
    if len(shape.points) != 2:
        return False
    (x0, y0), (x1, y1) = shape.points
    return abs(x0 - x1) < 0.05 or abs(y0 - y1) < 0.05


def polylines(area: PlotArea, shapes: list[Shape]) -> list[Shape]:
    return [s for s in inside(shapes, area) if s.fill is None and s.stroke is not None and not s.closed
            and not s.curved and not _is_rule(s)]


def markers(area: PlotArea, shapes: list[Shape], size: float) -> list[Shape]:
    limit = _MARKER_EM * size
    return [s for s in inside(shapes, area, margin=limit / 2) if s.closed and s.colour is not None
            and 0.8 <= max(s.box.width, s.box.height) <= limit
            and max(s.box.width, s.box.height) <= _MARKER_ASPECT * min(s.box.width, s.box.height)]


def read_lines(area: PlotArea, shapes: list[Shape], size: float) -> tuple[list[SeriesMarks], bool]:
    """Series from polylines, plus series of markers no line of their colour explains; True when any line."""
    lines = polylines(area, shapes)
    items = [(s.stroke, x_key(area, x), area.y.value(y)) for s in lines for x, y in _dedupe(s.points)]
    line_colours = {s.stroke for s in lines}
    dots = [m for m in markers(area, shapes, size) if m.colour not in line_colours and m.stroke not in line_colours]
    items += [(m.colour, x_key(area, x), area.y.value(y)) for m in dots for x, y in [_centre(m)]]
    return by_colour(items), bool(lines)


def _centre(marker: Shape) -> tuple[float, float]:
    """Where a marker stands: a regular polygon (equal sides: triangle, square, pentagon) at its vertices' mean,
    which for an odd count is not its box centre; any other shape (a circle, a triangle as wide as tall) at its box
    centre."""
    corners = _dedupe(marker.points)
    if marker.curved or len(corners) < 3:
        return marker.box.cx, marker.box.cy
    sides = [math.dist(a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
    if max(sides) - min(sides) > _REGULAR * max(sides):
        return marker.box.cx, marker.box.cy
    return sum(x for x, _ in corners) / len(corners), sum(y for _, y in corners) / len(corners)


def _dedupe(points: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """Vertices once each (a path may revisit its start to close a join)."""
    return list(dict.fromkeys((round(x, 2), round(y, 2)) for x, y in points))
