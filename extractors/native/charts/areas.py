"""Areas: filled polygons whose upper edge is the series; a band on top of another is a stacked series."""

from __future__ import annotations

from figtab.extractors.native.charts.marks import SeriesMarks, baseline, by_colour, inside, span_value, x_key
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Shape


def read_areas(area: PlotArea, shapes: list[Shape], size: float) -> list[SeriesMarks]:
    """One series per filled non-rectangular polygon wider than a marker; [] when there is none."""
    polygons = [s for s in inside(shapes, area) if s.fill is not None and not s.is_rect and not s.curved
                and len(s.points) >= 4 and s.box.width > 2 * size]
    base = baseline(area)
    items = []
    for shape in polygons:
        columns: dict[float, list[tuple[float, float]]] = {}
        for x, y in shape.points:
            columns.setdefault(round(x, 1), []).append((x, y))
        for _, column in sorted(columns.items()):
            ys = [y for _, y in column]
            items.append((shape.fill, x_key(area, column[0][0]), span_value(area, min(ys), max(ys), base)))
    return by_colour(items)
