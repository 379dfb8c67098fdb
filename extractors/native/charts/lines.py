"""Lines (stroked polylines, vertices are the data) and scatter markers (small closed shapes, centres are data)."""

from __future__ import annotations

import math

from figtab.extractors.native.charts.marks import SeriesMarks, by_colour, inside, labelled_key
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Shape

_MARKER_EM = 1.5  # a marker is at most this many font sizes across
_MARKER_ASPECT = 2.0  # and about as tall as wide (a flat sliver is a tick drawn as a box)
_TICK_OFF = 1.0  # points a category tick may stand off the data it names (rounded to pixels, moved to draw crisp)
_ON_LINE = 1.0  # points a marker's centre may stand off the line it sits on
_ON_VERTEX = 0.5  # points a marker's centre may stand off the vertex it marks
_DENSE = 3  # vertices per tick of a line resampled between its data
_REGULAR = 0.05  # share by which a regular polygon's sides may differ (vertices are rounded to 0.01 pt)


def _is_rule(shape: Shape) -> bool:
    """A two-point horizontal or vertical stroke: a tick, grid line or axis, not data."""
    if len(shape.points) != 2:
        return False
    (x0, y0), (x1, y1) = shape.points
    return abs(x0 - x1) < 0.05 or abs(y0 - y1) < 0.05


def polylines(area: PlotArea, shapes: list[Shape]) -> list[Shape]:
    """Open strokes that are not rules: lines, straight or smoothed into curves."""
    return [s for s in inside(shapes, area) if s.fill is None and s.stroke is not None and not s.closed
            and not _is_rule(s)]


def markers(area: PlotArea, shapes: list[Shape], size: float) -> list[Shape]:
    limit = _MARKER_EM * size
    return [s for s in inside(shapes, area, margin=limit / 2) if s.closed and s.colour is not None
            and 0.8 <= max(s.box.width, s.box.height) <= limit
            and max(s.box.width, s.box.height) <= _MARKER_ASPECT * min(s.box.width, s.box.height)]


def read_lines(area: PlotArea, shapes: list[Shape], size: float) -> tuple[list[SeriesMarks], bool]:
    """Series from polylines, plus series of markers no line of their colour explains; True when any line."""
    lines = polylines(area, shapes)
    dots = markers(area, shapes, size)
    found = [(s.stroke, *point) for s in lines for point in _data_points(area, s, dots)]
    line_colours = {s.stroke for s in lines}
    dots = [m for m in dots if m.colour not in line_colours and m.stroke not in line_colours]
    found += [(m.colour, *_centre(m)) for m in dots]
    key = labelled_key(area, [x for _, x, _ in found])
    return by_colour([(colour, key(x), area.y.value(y)) for colour, x, y in found]), bool(lines)


def _data_points(area: PlotArea, line: Shape, dots: list[Shape]) -> list[tuple[float, float]]:
    """Where a line shows data: its vertices, unless it is drawn with more vertices than it has data (smoothed or
    resampled). Then the markers of its colour that sit on it, where it carries two or more; else on a category
    axis, or one of numbers whose first and last ticks the line runs between (`_spans_ticks`), the line at each
    tick; on a numeric axis, the joints of its curves (a straight line resampled without markers has nothing
    that tells its data apart: every vertex)."""
    vertices = _dedupe(line.points)
    axis = area.x
    marked = [_centre(m) for m in dots if line.stroke in (m.fill, m.stroke)]
    carried = [(x, y) for x, y in marked if _off_line(vertices, x, y) <= _ON_LINE]
    if 2 <= len(carried) < len(vertices):  # markers on a line drawn with more vertices: they are the data, at
        return sorted(_vertex_at(vertices, x, y) for x, y in carried)  # the vertex under each where there is one
    inside = [t for t in axis.ticks if vertices[0][0] - _TICK_OFF <= t <= vertices[-1][0] + _TICK_OFF] \
        if axis is not None and vertices[0][0] <= vertices[-1][0] else []
    if axis is not None and (axis.kind == "category" or (not marked and _spans_ticks(vertices, inside))):
        if len(vertices) <= len(axis.ticks) or not inside:
            return vertices
        joints = _dedupe(line.joints)
        return [_joint_at(joints, tick) or (tick, _height_at(vertices, tick)) for tick in inside]
    return _dedupe(line.joints) if line.curved else vertices  # a smoothed line passes through its data at joints


def _vertex_at(vertices: list[tuple[float, float]], x: float, y: float) -> tuple[float, float]:
    """The line's vertex under a marker at (x, y), exact where the marker's outline is not; else (x, y)."""
    nearest = min(vertices, key=lambda v: math.hypot(v[0] - x, v[1] - y))
    return nearest if math.hypot(nearest[0] - x, nearest[1] - y) <= _ON_VERTEX else (x, y)


def _off_line(vertices: list[tuple[float, float]], x: float, y: float) -> float:
    """How far (x, y) stands from the polyline through ``vertices``."""
    best = math.inf
    for (x0, y0), (x1, y1) in zip(vertices, vertices[1:]):
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
        best = min(best, math.hypot(x - x0 - t * dx, y - y0 - t * dy))
    return best


def _spans_ticks(vertices: list[tuple[float, float]], ticks: list[float]) -> bool:
    """A line without markers drawn with many vertices (several per tick) that starts and ends on labelled ticks:
    numbers labelling its data's places (years), read like categories; a numeric line whose data lie off the
    ticks starts off them."""
    return len(ticks) >= 2 and len(vertices) >= _DENSE * len(ticks) and \
        abs(vertices[0][0] - ticks[0]) <= _TICK_OFF and abs(vertices[-1][0] - ticks[-1]) <= _TICK_OFF


def _joint_at(joints: list[tuple[float, float]], x: float) -> tuple[float, float] | None:
    """The joint of a smoothed line's curves at a category tick: a smoothed line passes through its data there,
    while the tick may stand up to a pixel off (rounded, or moved to draw crisp), where the curve is elsewhere."""
    nearest = min(joints, key=lambda j: abs(j[0] - x), default=None)
    return nearest if nearest is not None and abs(nearest[0] - x) <= _TICK_OFF else None


def _height_at(vertices: list[tuple[float, float]], x: float) -> float:
    """The page y of a polyline running left to right at ``x``: its vertex there, else between its neighbours."""
    nearest = min(vertices, key=lambda v: abs(v[0] - x))
    if abs(nearest[0] - x) <= 0.05:
        return nearest[1]
    for (x0, y0), (x1, y1) in zip(vertices, vertices[1:]):
        if min(x0, x1) <= x <= max(x0, x1) and x1 != x0:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return nearest[1]


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
