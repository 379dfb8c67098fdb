"""Charts read from a born-digital page's vector geometry: exact values, no model, no hint where they are.

Pages whose shapes could hold no data mark are turned away first (`evidence`). Find plot areas from calibrated
tick labels (`regions`), read the marks inside them (`bars`, `areas`, `lines`; `pie` for wedges), name series
from legend swatches matched by colour (`legend`), and take the title and axis titles from the text around.
A chart that is only a raster image has no such geometry and is not claimed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median

from figtab.extractors.native.charts.areas import read_areas
from figtab.extractors.native.charts.axes import rounded
from figtab.extractors.native.charts.bars import read_bars
from figtab.extractors.native.charts.crowded import overprints, split_at_ticks
from figtab.extractors.native.charts.evidence import may_hold_chart
from figtab.extractors.native.charts.legend import LegendEntry, find_legend, key_for
from figtab.extractors.native.charts.lines import read_lines
from figtab.extractors.native.charts.marks import SeriesMarks
from figtab.extractors.native.charts.pie import find_pies, slice_labels
from figtab.extractors.native.charts.regions import PlotArea, find_plot_areas
from figtab.extractors.native.charts.scene import Box, Label, Scene, Shape, box_gap, read_scene, read_shapes
from figtab.extractors.native.page_content import PageContent
from figtab.schemas import BBox, Chart

_NEAR_EM = 3.0  # text this many font sizes from a chart's frame belongs to it (axis titles)
_TITLE_EM = 5.0  # a title may stand further off, over a legend row
_AXIS_TITLE_OFF_CENTRE = 0.25  # an axis title's centre lies within this share of the plot's width of its centre
_MONTHS_SEEN = 3  # marks off a year's tick, all on the first of a month, that make a year axis a calendar


@dataclass
class FoundChart:
    chart: Chart
    bbox: BBox


@dataclass
class _Candidate:
    chart_type: str
    series: list[SeriesMarks]
    frame: Box  # page coordinates
    horizontal: bool = False

    @property
    def n_points(self) -> int:
        return sum(len(s.points) for s in self.series)


def find_charts(content: PageContent) -> list[FoundChart]:
    """Every vector chart on the page, top to bottom."""
    shapes = read_shapes(content)
    if not may_hold_chart(shapes, content.words):
        return []
    scene = read_scene(content, shapes)
    scene.labels = split_at_ticks(scene.labels, shapes, scene.glyphs, overprints(content))
    if not scene.shapes or not scene.labels:
        return []
    size = median(label.size for label in scene.labels)
    legend = find_legend(scene.shapes, scene.labels)
    swatches = {id(shape) for entry in legend for shape in (entry.swatch, *entry.parts)}
    data = Scene([s for s in scene.shapes if id(s) not in swatches], scene.labels, scene.titles, glyphs=scene.glyphs)
    taken = {entry.label for entry in legend}
    kept = _pie_charts(data, size, taken)
    for candidate in sorted(_axis_charts(data, taken, size), key=lambda c: -c.n_points):
        if all(candidate.frame.overlap(k.frame) < 0.5 for k in kept):
            kept.append(candidate)
    kept.sort(key=lambda c: (c.frame.y0, c.frame.x0))
    owners = _assign_legend(legend, kept)
    return [_finish(c, [e for e, o in owners if o is c], scene, size) for c in kept]


def _axis_charts(scene: Scene, taken: set[Label], size: float) -> list[_Candidate]:
    found = []
    for view in (scene, scene.transposed()):
        exclude = {label.transposed() for label in taken} if view.transposed_view else taken
        for area in find_plot_areas(view, exclude):
            if area.x is None:  # marks no label places along the axis: their x would be a page position
                continue
            if view.transposed_view:  # on its side, only bars are read; lines and areas run along x
                chart_type, series = "bar", read_bars(area, view.shapes)
            else:
                chart_type, series = _read_marks(area, view.shapes, size)
                if chart_type in ("line", "scatter"):
                    series = _by_month(area, view.shapes, size, series)
            if series:
                frame = area.frame.transposed() if view.transposed_view else area.frame
                for s in series:
                    s.points = [(x, rounded(y, area.y.step, 4, area.y.kind == "log")) for x, y in s.points]
                found.append(_Candidate(chart_type, series, frame, view.transposed_view))
    return found


def _read_marks(area: PlotArea, shapes: list[Shape], size: float) -> tuple[str, list[SeriesMarks]]:
    """Bars if the plot holds standing boxes, else areas, else lines or scatter markers."""
    if bars := read_bars(area, shapes):
        return "bar", bars
    if areas := read_areas(area, shapes, size):
        return "area", areas
    lines, has_line = read_lines(area, shapes, size)
    return ("line" if has_line else "scatter"), lines


def _by_month(area: PlotArea, shapes: list[Shape], size: float, series: list[SeriesMarks]) -> list[SeriesMarks]:
    """The series read as dates when the x axis counts whole years and every mark between its years stands on the
    first of a month (monthly or quarterly data on a calendar axis labelled by year); else as they are."""
    calendar = area.x.as_calendar() if area.x is not None else None
    if calendar is None:
        return series
    dated = _read_marks(replace(area, x=calendar), shapes, size)[1]
    days = [str(x) for s in dated for x, _ in s.points]
    between = [d for d in days if not d.endswith("-01-01")]
    return dated if len(between) >= _MONTHS_SEEN and all(d.endswith("-01") for d in days) else series


def _pie_charts(scene: Scene, size: float, taken: set[Label]) -> list[_Candidate]:
    found = []
    for pie in find_pies(scene.shapes, size):
        named = slice_labels(pie, [l for l in scene.labels if l not in taken], scene.shapes)
        series = [SeriesMarks(sl.shape.fill, [(label.text if label else "", sl.share)])
                  for sl, label in zip(pie.slices, named)]
        frame = pie.box
        for label in named:
            if label is not None:
                frame = frame.union(label.box)
        found.append(_Candidate("pie", series, frame))
    return found


def _assign_legend(legend: list[LegendEntry], charts: list[_Candidate]) -> list[tuple[LegendEntry, _Candidate]]:
    """Each legend entry goes to the nearest chart that has a series of its colour."""
    owners = []
    for entry in legend:
        fits = [c for c in charts if any(key_for(s.colour, [entry]) for s in c.series)]
        if fits:
            owners.append((entry, min(fits, key=lambda c: box_gap(entry.box, c.frame))))
    return owners


def _finish(candidate: _Candidate, entries: list[LegendEntry], scene: Scene, size: float) -> FoundChart:
    """Name the series, find the titles, and build the validated chart with its page box."""
    frame = candidate.frame
    for entry in entries:
        frame = frame.union(entry.box)
    series = []
    for marks in candidate.series:
        entry = key_for(marks.colour, entries)
        if candidate.chart_type == "pie":
            name = entry.name if entry else marks.points[0][0]
            series.append((name, marks.points[0][1]))
            continue
        series.append((entry.name if entry else "", marks.points))
    if candidate.chart_type == "pie":
        payload = [{"name": "", "points": [{"x": n or f"slice {i + 1}", "y": y} for i, (n, y) in enumerate(series)]}]
    else:
        payload = [{"name": n, "points": [{"x": x, "y": y} for x, y in pts]} for n, pts in series]
    used = {e.label for e in entries}
    body = candidate.frame  # titles are placed from the plot, a legend may stand beside or above it
    title = _text_near(scene.labels, body, frame.width, size, _TITLE_EM, above=True, skip=used)
    x_label = _text_near(scene.labels, body, frame.width, size, _NEAR_EM, above=False, skip=used | {title})
    y_label = next((t for t in scene.titles if 0 <= frame.x0 - t.box.x1 <= _NEAR_EM * size
                    and t.box.y0 < frame.y1 and t.box.y1 > frame.y0), None)
    for extra in (title, x_label, y_label):
        if extra is not None:
            frame = frame.union(extra.box)
    chart = Chart(chart_type=candidate.chart_type, title=title.text if title else None,
                  x_label=x_label.text if x_label else None, y_label=y_label.text if y_label else None,
                  series=payload)
    return FoundChart(chart, BBox(x0=frame.x0, y0=frame.y0, x1=frame.x1, y1=frame.y1))


def _text_near(labels: list[Label], frame: Box, widest: float, size: float, reach: float, above: bool,
               skip: set) -> Label | None:
    """The largest text up to ``reach`` font sizes above (a title) or below (an axis title) the frame, overlapping
    it across and no wider than ``widest``, the whole chart (a line of body text running past is neither). An
    axis title is centred under the plot; text below it that is not (e.g. the next chart's left-aligned title)
    is not one."""
    near = [l for l in labels if l not in skip and not l.turned and l.box.x0 < frame.x1 and l.box.x1 > frame.x0
            and l.box.width <= widest and
            (0 <= frame.y0 - l.box.y1 <= reach * size if above else 0 <= l.box.y0 - frame.y1 <= reach * size
             and abs(l.box.cx - frame.cx) <= _AXIS_TITLE_OFF_CENTRE * frame.width)]
    return max(near, key=lambda l: (l.size, -abs(l.box.cy - (frame.y0 if above else frame.y1))), default=None)
