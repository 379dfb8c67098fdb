"""Whether a page's vector paths could hold any chart's data marks, judged before its text is read for ticks.

Most pages that reach the chart reader hold tables: ruling lines, cell borders, shading. Reading their text line
by line for tick labels is the reader's dearest step, so a page is turned away first when none of its shapes
could be a mark of the kinds the readers know: a curved wedge (pie), a stroke that leans (a line, a diagonal
marker), a filled polygon (an area), a filled box thicker than a rule both ways (a bar), a shape about as tall
as wide no larger than the text's height (a marker), or an open stroke stepping along the page, up and down
(a step line). A table's rules, its cell borders and its shading of whole cells are none of these; a chart whose
every bar is a hairline is not looked for.
"""

from __future__ import annotations

from figtab.extractors.native.charts.scene import Shape
from figtab.extractors.native.page_content import Word

_HAIRLINE = 1.5  # points: a filled box no thicker than this is a rule, as `regions.rules` reads it
_MARKER_EM = 1.5  # markers are at most this many text heights across (`lines._MARKER_EM`, in font sizes)
_SLANT = 0.05  # points a segment's ends may differ across its run and still be horizontal or vertical


def may_hold_chart(shapes: list[Shape], words: list[Word]) -> bool:
    """False only when no shape could be a chart's data mark; the text's height bounds a marker's size."""
    largest_marker = _MARKER_EM * max((w.height for w in words), default=0.0)
    return any(_leans(s) or _could_be_bar(s) or _could_be_area(s) or _could_be_marker(s, largest_marker)
               or _steps(s) for s in shapes)


def _leans(shape: Shape) -> bool:
    """A curve, or a segment neither horizontal nor vertical."""
    return shape.curved or any(abs(a[0] - b[0]) > _SLANT and abs(a[1] - b[1]) > _SLANT
                               for a, b in zip(shape.points, shape.points[1:]))


def _steps(shape: Shape) -> bool:
    """An open stroke of flat and upright segments that only ever moves one way across and turns both up and
    down: a step line. A table's rules are single strokes or closed frames, whose edges run back."""
    if shape.closed or len(shape.points) < 5:
        return False
    moves = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(shape.points, shape.points[1:])]
    across = {dx > 0 for dx, _ in moves if abs(dx) > _SLANT}
    upright = {dy > 0 for _, dy in moves if abs(dy) > _SLANT}
    return len(across) == 1 and len(upright) == 2


def _could_be_bar(shape: Shape) -> bool:
    """A filled box, not white (a background, as `bars` reads it), thicker than a rule both ways."""
    return shape.is_rect and shape.fill is not None and min(shape.fill) < 0.97 and \
        min(shape.box.width, shape.box.height) > _HAIRLINE


def _could_be_area(shape: Shape) -> bool:
    return shape.fill is not None and not shape.is_rect and len(shape.points) >= 4


def _could_be_marker(shape: Shape, largest: float) -> bool:
    small, big = sorted((shape.box.width, shape.box.height))
    return shape.closed and shape.colour is not None and 0.8 <= big <= largest and big <= 2 * small
