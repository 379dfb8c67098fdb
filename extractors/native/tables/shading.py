"""Tables drawn as shaded cells: filled rectangles set apart by thin white gutters, with no ruling lines.

Each cluster of shaded boxes that tile at least two rows and two columns becomes the edges of its boxes, every
edge moved to the middle of the gutter it faces, so `ruled` reads it as a grid. Boxes inside other boxes (a
paragraph's shading inside its cell's) add nothing, nor do boxes that abut with no white between (a cell and its
padding); a row of bars or a page-wide band does not tile two ways.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from figtab.extractors.native.page_content import Box, PageContent, Segment
from figtab.extractors.native.unionfind import Groups

_GUTTER = 4.0  # points of white between two shaded boxes that still read as neighbouring cells
_TIGHT = 0.25  # points; boxes closer than this abut and read as one shaded area (a cell and its padding)
_PALE = 0.95  # a fill whose every channel is at least this light is white: it paints over, it shades nothing
_MIN_SIDE = 2.5  # points; a thinner box is a ruling line (`PageContent.segments` reads those)
_NEST = 1.0  # points a box may stick out of the one it lies in
_ROUNDING = 1e-6  # points by which mapping a box to the displayed page may change its size (float rounding)


def shaded_cell_edges(content: PageContent) -> list[Segment]:
    """Ruling lines that stand for the borders of shaded cells tiling a grid (displayed page coordinates)."""
    boxes = _shaded_boxes(content)
    around = _neighbours(boxes)
    boxes = [a for a in boxes if not any(_inside(a, b) for b in around(a))]
    near = _neighbours(boxes)
    return [edge for cluster in _grid_clusters(boxes, near) for box in cluster
            for edge in _edges(_widened(box, near(box)))]


def _shaded_boxes(content: PageContent) -> list[Box]:
    """Filled rectangles that are neither white, nor thin, nor half the page (a background), top to bottom."""
    page = content.pdf_page.rect
    largest = 0.5 * page.width * page.height
    boxes = []
    for path in content.drawings:
        fill = path.get("fill")
        if fill is None or min(fill) >= _PALE:
            continue
        for item in path["items"]:
            if item[0] != "re":
                continue
            rect = item[1]  # corners read as numbers, not Point objects: a page may fill thousands of boxes
            if min(rect.x1 - rect.x0, rect.y1 - rect.y0) < _MIN_SIDE - _ROUNDING:
                continue  # thin however the page turns (quarter turns keep sizes): not mapped to the page at all
            (ax, ay), (bx, by) = content.to_display(rect.x0, rect.y0), content.to_display(rect.x1, rect.y1)
            x0, y0, x1, y1 = min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
            if min(x1 - x0, y1 - y0) >= _MIN_SIDE and (x1 - x0) * (y1 - y0) < largest:
                boxes.append(Box(x0, y0, x1, y1))
    return sorted(boxes, key=lambda b: b.y0)


def _neighbours(boxes: list[Box]) -> Callable[[Box], list[Box]]:
    """For a box, those of ``boxes`` (sorted by top edge) that could hold it, lie beside it or a gutter over or
    under it, looked up by top edge rather than pair by pair: a chart may fill hundreds of boxes."""
    tops = [b.y0 for b in boxes]
    tallest = max((b.height for b in boxes), default=0.0)
    return lambda box: [b for b in boxes[bisect_left(tops, box.y0 - _GUTTER - tallest):
                                         bisect_right(tops, box.y1 + _GUTTER)]
                        if b.y1 >= box.y0 - _GUTTER and b is not box]


def _inside(a: Box, b: Box) -> bool:
    """True when ``a`` lies within ``b`` and is the smaller (of two equal boxes, the later one lies inside)."""
    within = b.x0 - _NEST <= a.x0 and a.x1 <= b.x1 + _NEST and b.y0 - _NEST <= a.y0 and a.y1 <= b.y1 + _NEST
    return within and (a.width * a.height, a.y0, a.x0) <= (b.width * b.height, b.y0, b.x0)


def _beside(a: Box, b: Box) -> bool:
    """``b`` lies right of ``a`` across a gutter, sharing part of its height."""
    return _TIGHT <= b.x0 - a.x1 <= _GUTTER and min(a.y1, b.y1) - max(a.y0, b.y0) > _MIN_SIDE


def _below(a: Box, b: Box) -> bool:
    return _TIGHT <= b.y0 - a.y1 <= _GUTTER and min(a.x1, b.x1) - max(a.x0, b.x0) > _MIN_SIDE


def _grid_clusters(boxes: list[Box], near: Callable[[Box], list[Box]]) -> list[list[Box]]:
    """Boxes joined through neighbours across gutters, where they tile both across and down."""
    joined = Groups(len(boxes))
    index = {id(box): i for i, box in enumerate(boxes)}

    across, down = set(), set()
    for i, a in enumerate(boxes):
        for b in near(a):
            if _beside(a, b) or _below(a, b):
                joined.join(i, index[id(b)])
                (across if _beside(a, b) else down).add(i)
    two_ways = {joined.root(i) for i in across} & {joined.root(i) for i in down}
    return [group for key, group in joined.of(boxes).items() if key in two_ways]


def _widened(box: Box, near: list[Box]) -> Box:
    """``box`` with each side moved to the middle of the gutter to the neighbour it faces (of those ``near``)."""
    right = [b.x0 for b in near if _beside(box, b)]
    left = [b.x1 for b in near if _beside(b, box)]
    down = [b.y0 for b in near if _below(box, b)]
    up = [b.y1 for b in near if _below(b, box)]
    return Box((box.x0 + max(left)) / 2 if left else box.x0, (box.y0 + max(up)) / 2 if up else box.y0,
               (box.x1 + min(right)) / 2 if right else box.x1, (box.y1 + min(down)) / 2 if down else box.y1)


def _edges(box: Box) -> list[Segment]:
    return [Segment(box.x0, box.y0, box.x1, box.y0), Segment(box.x0, box.y1, box.x1, box.y1),
            Segment(box.x0, box.y0, box.x0, box.y1), Segment(box.x1, box.y0, box.x1, box.y1)]
