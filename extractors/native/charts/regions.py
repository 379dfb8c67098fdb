"""Plot areas without a hint: a column of numeric tick labels that calibrates is a value axis; the lines
anchored at it (ticks, grid, axis line, frame) bound the plot; the row of labels along its bottom or top edge
is the other axis. Charts on their side are found by running the same search on the transposed scene.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from figtab.extractors.native.charts.axes import Axis, calibrate, calibrate_at, category_axis, snap
from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.charts.scene import Box, Label, Scene, Shape, digit_middle
from figtab.extractors.native.unionfind import Groups

_ALIGN = 1.0  # points two labels' edges or centres may differ and still be aligned
_TICK_EM = 0.25  # font sizes a tick may sit off its label's centre
_PANE_SLACK = 0.15  # share of the tick span a plot's background may reach past its first and last ticks
_ALONG: tuple[Callable[[Box], float], ...] = (lambda b: b.cy, lambda b: b.y0, lambda b: b.y1)  # a turned label's places
_EVEN = 0.2  # share by which the gaps between tick labels may differ (dates: months of unequal length)


@dataclass
class PlotArea:
    """The data rectangle with its value axis (up the page) and its other axis (along the page, if labelled)."""

    box: Box
    y: Axis
    x: Axis | None
    frame: Box  # the plot plus its tick labels


def rules(shapes: list[Shape]) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical straight strokes (ticks, grid, axis lines, frames) as thin boxes."""
    horizontal, vertical = [], []
    for s in shapes:
        b = s.box
        thin = (len(s.points) == 2 and s.fill is None) or (s.is_rect and min(b.width, b.height) <= 1.5)
        if not thin and not (s.is_rect and s.fill is None):
            continue
        if s.is_rect and s.fill is None and min(b.width, b.height) > 1.5:  # a stroked frame: its four edges
            horizontal += [Box(b.x0, b.y0, b.x1, b.y0), Box(b.x0, b.y1, b.x1, b.y1)]
            vertical += [Box(b.x0, b.y0, b.x0, b.y1), Box(b.x1, b.y0, b.x1, b.y1)]
        elif b.height <= 1.5 and b.width > 1.0:
            horizontal.append(b)
        elif b.width <= 1.5 and b.height > 1.0:
            vertical.append(b)
    return horizontal, vertical


def _columns(labels: list[Label]) -> list[list[Label]]:
    """Labels sharing a left edge, right edge or centre, one above the other, split where the spacing breaks."""
    joined = Groups(len(labels))

    for key in (lambda b: b.x0, lambda b: b.x1, lambda b: b.cx):  # neighbours in order of each edge suffice
        order = sorted(range(len(labels)), key=lambda i: key(labels[i].box))
        for i, j in zip(order, order[1:]):
            if key(labels[j].box) - key(labels[i].box) <= _ALIGN:
                joined.join(j, i)
    columns = []
    for group in joined.of(labels).values():
        group.sort(key=lambda label: label.box.cy)
        if _log_spaced(group):
            columns.append(group)
            continue
        places = list(_ALONG) if all(label.upright for label in group) else [_ALONG[0]]
        places.append(_flush(group))  # text along the axis may stand at its tick by either end, as `_anchorings`
        columns += min((_even_runs(group, place) for place in places), key=len)  # reads it; the end labels flush
    return [c for c in columns if len(c) >= 2]


def _flush(column: list[Label]) -> Callable[[Box], float]:
    """Where the labels of a column stand if its first and last are set flush with the axis's ends (their outer
    edges at the end ticks) and the others centred on theirs."""
    first, last = column[0].box, column[-1].box
    return lambda b: b.y0 if b is first else b.y1 if b is last else b.cy


def _log_spaced(column: list[Label]) -> bool:
    """A log axis labels minor ticks too (2, 3, 4 ... x 10^k): unevenly spaced, yet one axis."""
    axis = calibrate(column, [l.box.cy for l in column]) if len(column) >= 3 else None
    return axis is not None and axis.kind == "log"


def _even_runs(column: list[Label], place: Callable[[Box], float] = lambda b: b.cy) -> list[list[Label]]:
    """Cut a column where the spacing (of each label's ``place``) changes: tick labels are evenly spaced, a table
    or text below is not."""
    runs, run = [], column[:1]
    for label in column[1:]:
        gap = place(label.box) - place(run[-1].box)
        ref = place(run[1].box) - place(run[0].box) if len(run) > 1 else gap
        if gap >= 0.6 * label.size and abs(gap - ref) <= _EVEN * ref:
            run.append(label)
        elif len(run) == 2:  # a two-label axis (kept if written alike), or a stray first label: go on from the second
            if written_as(run[0].text) == written_as(run[1].text):
                runs.append(run)
            run = [run[-1], label] if gap >= 0.6 * label.size else [label]
        else:
            runs.append(run)
            run = [label]
    return runs + [run]


def written_as(text: str) -> str:
    """How a label is written, digits aside ("50%" and "0%" alike, "2019" and "4k" not)."""
    return re.sub(r"\d+", "9", text)


def _is_value(label: Label) -> bool:
    return parse_number(label.text) is not None or parse_date(label.text) is not None


def _value_axis(column: list[Label], horizontal: list[Box], right: bool, across: bool) -> tuple[Axis, bool] | None:
    """The axis the column calibrates at its ticks or grid lines, else at its labels' centres; and whether at
    ticks. ``across``: the labels stand side by side on the page (a value axis along the bottom, transposed)."""
    size = max(label.size for label in column)
    edge = max(l.box.x1 for l in column) if right else min(l.box.x0 for l in column)
    if right:
        near = [h.cy for h in horizontal if h.x1 >= edge - size and h.x0 <= edge + 3 * size]
    else:
        near = [h.cy for h in horizontal if h.x0 <= edge + size and h.x1 >= edge - 3 * size]
    ends = [(l.box.y0, l.box.y1) for l in column]
    along = across and not any(l.turned for l in column)
    anchorings = _anchorings(column)
    fits = [(fit, sum(any(abs(c - m) <= _TICK_EM * size for m in near) for c in centres))
            for centres in anchorings if (fit := calibrate_at(column, centres, near, size, ends, along))[0]]
    fits = [fit for fit in fits if fit[0][1]] or _at_one_line(column, anchorings, near, size) or fits
    if not fits:
        return None
    least = min(axis.residual for (axis, _), _ in fits)
    good = [fit for fit in fits if fit[0][0].residual <= least + 0.05 * size]
    axis, ticked = max(good, key=lambda fit: fit[1])[0]  # labels of one length fit at every anchoring: the one
    # that puts more of them on a line drawn there (an axis line at the first), else the first (their middles)
    if len(column) == 2 and axis.kind == "linear" and _ruled_between(column, near):
        return None
    return axis, ticked


def _at_one_line(column: list[Label], anchorings: list[list[float]], near: list[float],
                 size: float) -> list[tuple[tuple[Axis, bool], int]]:
    """The axis through the labels moved by the offset of the one label that a line drawn at it marks, when no
    other is marked: office software draws no ticks, only the axis line at zero, and centres its labels a point
    or so off their places; every label of one font stands off its place alike."""
    fits, reach, lines = [], _TICK_EM * size, sorted(near)
    for centres in anchorings:  # the lines within twice the reach found by bisection, then measured
        offsets = [m - c for c in centres for m in lines[bisect_left(lines, c - 2 * reach):
                                                         bisect_right(lines, c + 2 * reach)] if abs(m - c) <= reach]
        if len(offsets) == 1 and (axis := calibrate(column, [c + offsets[0] for c in centres])):
            fits.append(((axis, True), 1))
    return fits


def _anchorings(column: list[Label]) -> list[list[float]]:
    """Where along the axis each label may mark its tick: its middle, first; for text written along the axis
    also either end (a producer may start rotated text at its tick). Only the right one lines labels of unequal
    length up with their ticks; labels of equal length fit all three, and the middle is kept."""
    middles = [l.box.cy for l in column]
    if not all(l.upright for l in column):
        return [middles]
    return [middles, [l.box.y0 for l in column], [l.box.y1 for l in column]]


def _ruled_between(pair: list[Label], rules: list[float]) -> bool:
    """Two numbers fit any line, so two labels make an axis only if nothing drawn says otherwise: a ruled table
    draws lines between its rows, half a row off its numbers, where an axis draws ticks at its labels."""
    top, bottom = pair
    ticked = all(any(abs(m - l.box.cy) <= _TICK_EM * l.size for m in rules) for l in pair)
    return not ticked and any(top.box.cy + _TICK_EM * top.size < m < bottom.box.cy - _TICK_EM * bottom.size
                              for m in rules)


def _plot_box(column: list[Label], axis: Axis, horizontal: list[Box], vertical: list[Box], right: bool,
              shapes: list[Shape], labels: list[Label]) -> tuple[Box, bool] | None:
    """The plot beside a value-label column, and whether lines drawn at the axis (a spine, grid or axis line)
    bound it rather than the reach of the marks."""
    size = max(label.size for label in column)
    top, bottom = axis.span
    edge = max(l.box.x1 for l in column) if right else min(l.box.x0 for l in column)
    inward = 1 if right else -1
    spines = [v for v in vertical if 0 <= (v.cx - edge) * inward <= 3 * size and v.y0 <= bottom and v.y1 >= top]
    start = min(spines, key=lambda v: abs(v.cx - edge)).cx if spines else edge + inward * 0.5 * size
    if spines:
        top, bottom = min(top, min(v.y0 for v in spines)), max(bottom, max(v.y1 for v in spines))
    elif pane := _pane(shapes, top, bottom, start, size):  # marks may run past the last tick, up to the pane's edge
        top, bottom = pane.y0, pane.y1
    elif grid := _grid(horizontal, edge, inward, top, bottom, size):
        start, top, bottom = grid
    anchored = [h for h in horizontal if top - 1 <= h.cy <= bottom + 1 and h.width > 3 * size
                and (abs(h.x0 - start) <= 1.5 if right else abs(h.x1 - start) <= 1.5)]
    if anchored:
        far = max(h.x1 for h in anchored) if right else min(h.x0 for h in anchored)
    else:  # no grid or axis line: walk the marks away from the axis until a wide gap
        spans = sorted(((s.box.x0, s.box.x1) if right else (-s.box.x1, -s.box.x0)) for s in shapes
                       if top - 1 <= s.box.cy <= bottom + 1 and (s.box.cx - start) * inward > 0)
        reach, gap = start * inward, max(4 * size, (bottom - top) / 2)  # the first mark may stand half a band off
        for a, b in spans:
            if a > reach + gap:
                break
            reach, gap = max(reach, b), 4 * size
        far = max(reach, _row_reach(labels, start, bottom, inward, size)) * inward
    if abs(far - start) < 3 * size:
        return None
    return Box(min(start, far), top, max(start, far), bottom), bool(spines or anchored)


def _grid(horizontal: list[Box], edge: float, inward: int, top: float, bottom: float,
          size: float) -> tuple[float, float, float] | None:
    """Where grid lines starting just off the labels begin (x), and how far up and down they run (y): a crowded
    axis may leave its first and last grid lines unlabelled, and marks reach them. None without such a grid."""
    def near(h: Box) -> float:
        return h.x0 if inward > 0 else h.x1

    wide = [h for h in horizontal if h.width > 3 * size and 0 <= (near(h) - edge) * inward <= 1.5 * size]
    labelled = [h for h in wide if top - 1 <= h.cy <= bottom + 1]
    if len(labelled) < 2:
        return None
    first = labelled[0]
    same = sorted({round(h.cy, 2) for h in wide if abs(h.x0 - first.x0) <= 1 and abs(h.x1 - first.x1) <= 1})
    inner = [y for y in same if top - 1 <= y <= bottom + 1]
    if len(inner) < 2:
        return None
    reach = 1.5 * max(b - a for a, b in zip(inner, inner[1:]))
    low, high = inner[0], inner[-1]
    for y in reversed([y for y in same if y < low]):
        if low - y > reach:
            break
        low = y
    for y in [y for y in same if y > high]:
        if y - high > reach:
            break
        high = y
    return near(first), min(low, top), max(high, bottom)


def _pane(shapes: list[Shape], top: float, bottom: float, start: float, size: float) -> Box | None:
    """The filled background box the plot is drawn on, when one spans the ticks and reaches a little past them
    (an axis padded beyond its last label); the page's own background reaches further and is not one."""
    slack = _PANE_SLACK * (bottom - top)
    panes = [s.box for s in shapes if s.is_rect and s.fill is not None and top - slack <= s.box.y0 <= top + 1
             and bottom - 1 <= s.box.y1 <= bottom + slack and s.box.x0 - size <= start <= s.box.x1 + size]
    return min(panes, key=lambda b: b.height, default=None)


def _row_reach(labels: list[Label], start: float, bottom: float, inward: int, size: float) -> float:
    """How far (times ``inward``) a row of two or more labels just below the plot reaches: a bare x axis's extent."""
    band = [l for l in labels if -0.5 * size <= l.box.y0 - bottom <= 2.5 * size and (l.cx - start) * inward > 0]
    if not band:
        return start * inward
    first = min(l.box.y0 for l in band)
    row = sorted(l.cx * inward for l in band if abs(l.box.y0 - first) <= 0.5 * size)
    if len(row) < 2:
        return start * inward
    return row[-1] + (row[-1] - row[0]) / (len(row) - 1) / 2  # category labels stand mid-band: half a band more


def _other_axis(box: Box, labels: list[Label], horizontal: list[Box], vertical: list[Box]) -> Axis | None:
    """The labels along the plot's bottom edge, else its top edge, else beside an axis line drawn across the
    plot (a category axis at zero, with negative values beyond it): numbers, dates or categories."""
    crossing = sorted(h.cy for h in horizontal if h.width >= 0.8 * box.width and box.y0 + 1 < h.cy < box.y1 - 1)
    across = [l for l in labels if box.x0 - l.size <= l.cx <= box.x1 + l.size]
    for edge_y, below in [(box.y1, True), (box.y0, False)] + [(y, side) for y in crossing for side in (True, False)]:
        band = [l for l in across if (0 <= l.box.y0 - edge_y + 0.5 * l.size <= 2.5 * l.size if below
                 else 0 <= edge_y - l.box.y1 + 0.5 * l.size <= 2.5 * l.size)]
        if not band:
            continue
        edge = min(l.box.y0 for l in band) if below else max(l.box.y1 for l in band)
        row = [l for l in band if abs((l.box.y0 if below else l.box.y1) - edge) <= 0.5 * l.size]
        if len(row) < 2:  # one line of text there is a title or a note, not an axis
            continue
        row.sort(key=lambda l: l.cx)
        marks = [v.cx for v in vertical if v.y0 <= box.y1 + 1 and v.y1 >= box.y0 - 1]
        size = max(l.size for l in row)
        ends = [(l.box.x0, l.box.x1) if l.anchor is None else (l.cx, l.cx) for l in row]
        centres, along = [l.cx for l in row], not any(l.turned for l in row)
        if all(map(_is_value, row)) and (axis := calibrate_at(row, centres, marks, size, ends, along)[0]):
            return axis
        return category_axis(row, snap(centres, marks, size) or centres)
    return None


def find_plot_areas(scene: Scene, exclude: set[Label]) -> list[PlotArea]:
    """Every plot area whose value axis runs up the page, in this view of the scene."""
    horizontal, vertical = rules(scene.shapes)
    thick = [s.box for s in scene.shapes if min(s.box.width, s.box.height) > 1.5]  # marks, not lines
    free = [l for l in scene.labels if l not in exclude]
    found = []
    for column in _columns([l for l in free if _is_value(l)]):
        others: list[Label] | None = None  # the labels not in the column, once it calibrates (most do not)
        sides = []
        for right in (True, False):
            calibrated = _value_axis(column, horizontal, right, scene.transposed_view)
            if calibrated is None or calibrated[0].kind == "date":
                continue
            axis, ticked = calibrated
            if others is None:
                members = {id(l) for l in column}
                others = [l for l in free if id(l) not in members]
            found_box = _plot_box(column, axis, horizontal, vertical, right, scene.shapes, others)
            if found_box is not None:
                box, ruled = found_box
                sides.append((ruled, _marks_within(box, thick), right, axis, ticked, box))
        if not sides:
            continue
        *_, axis, ticked, box = max(sides, key=lambda side: side[:3])  # ruled, more marks, labels on the left
        if not ticked and not column[0].turned:  # nothing drawn at them: their digits' middles place them better
            axis = calibrate(column, [digit_middle(l, scene.glyphs()) for l in column]) or axis
        x = _other_axis(box, others, horizontal, vertical)
        frame = box
        for label in column + (x.labels if x else []):
            frame = frame.union(label.box)
        found.append(PlotArea(box, axis, x, frame))
    return found


def _marks_within(box: Box, marks: list[Box]) -> int:
    """How many of the shapes thicker than a line (``marks``) lie in ``box``: which side of a label column the data
    is on."""
    return sum(1 for m in marks if box.contains(m.x0, m.y0, 1) and box.contains(m.x1, m.y1, 1))
