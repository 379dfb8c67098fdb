"""What a born-digital page holds, read once with PyMuPDF in displayed coordinates (PDF points, origin top-left).

PyMuPDF reports text and drawings in the unrotated page space; everything here is mapped through the page's
rotation matrix so readers work on the page as a person sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import pymupdf

from figtab.tiling.documents import read_text_layer

_AXIS_TOLERANCE = 1.0  # points a segment may lean and still count as horizontal or vertical


@dataclass(frozen=True)
class Box:
    """x0 <= x1, y0 <= y1 in points on the displayed page, origin top-left; plain floats for hot loops."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def contains(self, x: float, y: float, margin: float = 0.0) -> bool:
        return self.x0 - margin <= x <= self.x1 + margin and self.y0 - margin <= y <= self.y1 + margin

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def overlap(self, other: Box) -> float:
        """Intersection area over the smaller box's area."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        small = min(self.width * self.height, other.width * other.height)
        return w * h / small if w > 0 and h > 0 and small > 0 else 0.0

    def transposed(self) -> Box:
        return Box(self.y0, self.x0, self.y1, self.x1)


@dataclass(frozen=True)
class Word(Box):
    """A run of non-space characters; ``bold`` when its font says so."""

    text: str
    bold: bool = False


class Glyph(NamedTuple):
    """One printed character, for cutting a run of text where the text layer joined two labels; ``baseline`` is
    the displayed y its text stands on (of upright text). A tuple with a `Box`'s corners, not a `Box`: a page has
    thousands of characters, and a tuple is made three times as fast."""

    x0: float
    y0: float
    x1: float
    y1: float
    char: str
    baseline: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Segment(Box):
    """An axis-aligned ruling line: horizontal when ``y0 == y1``, vertical when ``x0 == x1``."""

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass(frozen=True)
class TextLine(Box):
    """A line of text as the PDF placed it; a raised smaller span is written after ``^`` (``10^3``).

    ``size`` is the font size in points; ``vertical`` marks text turned by 90 degrees (axis titles).
    """

    text: str
    size: float
    vertical: bool = False


Bounds = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class PageContent:
    """Words, ruling lines and vector paths of one page, in displayed coordinates.

    Every text reading comes from one text layer (``text_layer``, a ``pymupdf.TextPage``: the page's own when
    it was loaded by `figtab.tiling`, else read here), so the page's content is parsed for text once. Points are
    mapped with plain arithmetic, not PyMuPDF Point and Rect objects: a page has thousands of them.
    """

    pdf_page: Any
    text_layer: Any = None
    words: list[Word] = field(init=False)

    def __post_init__(self) -> None:
        m = self.pdf_page.rotation_matrix
        self._matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
        if self.text_layer is None:
            self.text_layer = read_text_layer(self.pdf_page)
        self.words = self._read_words()

    def to_display(self, x: float, y: float) -> tuple[float, float]:
        """A point of PyMuPDF's unrotated page space in displayed coordinates."""
        a, b, c, d, e, f = self._matrix
        return x * a + y * c + e, x * b + y * d + f

    def _rect(self, x0: float, y0: float, x1: float, y1: float) -> Bounds:
        """A box of the unrotated space, displayed; the page turns by quarter turns, so two corners suffice
        (mapped inline: a page has thousands of boxes)."""
        a, b, c, d, e, f = self._matrix
        ax, ay, bx, by = x0 * a + y0 * c + e, x0 * b + y0 * d + f, x1 * a + y1 * c + e, x1 * b + y1 * d + f
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def _read_words(self) -> list[Word]:
        """Words with their weight: a word is bold when its centre lies in a bold span of its own line (compared
        unrotated); both readings number blocks and lines the same way, as they come from one text layer."""
        bold_boxes: dict[tuple[int, int], list[Bounds]] = {}
        for b, block in enumerate(self._blocks):
            for n, line in enumerate(block.get("lines", ())):
                boxes = [span["bbox"] for span in line["spans"]
                         if span["flags"] & pymupdf.TEXT_FONT_BOLD or "bold" in span["font"].lower()]
                if boxes:
                    bold_boxes[b, n] = boxes
        words = []
        rect = self._rect
        for x0, y0, x1, y1, text, block, line, _ in self.pdf_page.get_text("words", textpage=self.text_layer):
            bold = False
            if (boxes := bold_boxes.get((block, line))) is not None:  # most lines have no bold span
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                bold = any(b[0] <= cx < b[2] and b[1] <= cy < b[3] for b in boxes)
            words.append(Word(*rect(x0, y0, x1, y1), text, bold))
        return words

    @cached_property
    def drawings(self) -> list[dict]:
        """PyMuPDF's vector paths (unrotated space; map points with `to_display`), as `get_drawings` gives them
        but with points left as plain tuples: making a Point object of each costs more than reading the paths.
        Boxes and turned boxes stay `Rect` (normalised) and `Quad`; optional keys may be absent (use ``get``)."""
        paths = self.pdf_page.get_cdrawings()
        for path in paths:
            items = path.get("items", ())
            if any(item[0] in ("re", "qu") for item in items):
                path["items"] = [_boxes_as_objects(item) for item in items]
        return paths

    @cached_property
    def segments(self) -> list[Segment]:
        """Ruling lines: stroked lines and thin filled rectangles, plus the four edges of each stroked box."""
        found = []
        for path in self.drawings:
            for item in path["items"]:
                if item[0] == "l":
                    found.append(_segment(self.to_display(*item[1]), self.to_display(*item[2])))
                elif item[0] == "re":
                    x0, y0, x1, y1 = self._rect(*item[1])
                    if min(x1 - x0, y1 - y0) <= 2 * _AXIS_TOLERANCE:
                        mid_y, mid_x = (y0 + y1) / 2, (x0 + x1) / 2
                        ends = ((x0, mid_y), (x1, mid_y)) if x1 - x0 > y1 - y0 else ((mid_x, y0), (mid_x, y1))
                        found.append(_segment(*ends))
                    elif path.get("color") is not None:
                        corners = [((x0, y0), (x1, y0)), ((x0, y1), (x1, y1)), ((x0, y0), (x0, y1)),
                                   ((x1, y0), (x1, y1))]
                        found.extend(_segment(a, b) for a, b in corners)
        return [segment for segment in found if segment is not None]

    @cached_property
    def reading_direction(self) -> tuple[int, int]:
        """The way most characters read, as a displayed unit vector: (1, 0) upright, (0, -1) bottom to top."""
        votes: dict[tuple[int, int], int] = {}
        ox, oy = self.to_display(0, 0)
        for block in self._blocks:
            for line in block.get("lines", ()):
                dx, dy = self.to_display(*line["dir"])
                key = (round(dx - ox), round(dy - oy))
                votes[key] = votes.get(key, 0) + sum(len(span["text"].strip()) for span in line["spans"])
        return max(votes, key=votes.get) if votes else (1, 0)

    @cached_property
    def _blocks(self) -> list[dict]:
        """PyMuPDF's text blocks, lines and spans with their fonts, read once for `words` and `reading_direction`."""
        return self.pdf_page.get_text("dict", textpage=self.text_layer)["blocks"]

    @cached_property
    def _raw_blocks(self) -> list[dict]:
        """PyMuPDF's text blocks with each character's box, read once for `lines` and `glyphs`."""
        return self.pdf_page.get_text("rawdict", textpage=self.text_layer)["blocks"]

    @cached_property
    def lines(self) -> list[TextLine]:
        """Text lines with font sizes, for labels whose spacing or superscripts carry meaning (chart ticks).

        A line is cut where two characters stand apart with no space between them: producers place tick
        labels one by one, and the text layer may run neighbours together.
        """
        found = []
        turned = self.pdf_page.rotation % 180 == 90  # asked once: PyMuPDF reads it from the page each time
        for block in self._raw_blocks:
            for line in block.get("lines", ()):
                found.extend(self._cut_line(line, (abs(line["dir"][0]) < 0.5) != turned))
        return found

    def _cut_line(self, line: dict, vertical: bool) -> list[TextLine]:
        pieces: list[TextLine] = []
        text, size, rects, previous, last_char = "", 0.0, [], None, None

        def close() -> None:
            if text.strip() and rects:
                pieces.append(TextLine(*self._rect(*_bounds(rects)), text.strip(), size, vertical))

        for span in line["spans"]:
            span_size = span["size"]
            closest, furthest = -0.5 * span_size, 0.3 * span_size  # how far apart letters of one word stand
            raised = previous is not None and span_size < 0.85 * previous["size"] and \
                span["origin"][1] < previous["origin"][1] - 0.2 * previous["size"]
            mark = "^" if raised else ""  # written before the span's first character only
            for char in span["chars"]:
                rect, printed = char["bbox"], char["c"]
                if last_char is not None and printed != " " and not mark and not text.endswith(" "):
                    along = max(rect[1] - last_char[3], last_char[1] - rect[3]) if vertical else \
                        rect[0] - last_char[2]
                    if not closest <= along <= furthest:
                        close()
                        text, size, rects = "", 0.0, []
                text += mark + printed
                mark = ""
                if span_size > size:
                    size = span_size
                rects.append(rect)
                last_char = rect
            previous = span
        close()
        return pieces

    @cached_property
    def glyphs(self) -> list[Glyph]:
        """Every printed (non-space) character with its box; read only when a label must be cut, as it costs a pass
        over the characters."""
        _, b, _, d, _, f = self._matrix
        return [Glyph(*self._rect(*char["bbox"]), char["c"], char["origin"][0] * b + char["origin"][1] * d + f)
                for block in self._raw_blocks for line in block.get("lines", ())
                for span in line["spans"] for char in span["chars"] if not char["c"].isspace()]


def _bounds(rects: list[Bounds]) -> Bounds:
    """The box around ``rects`` as PyMuPDF's ``Rect | Rect`` joins them: an empty box (a zero-width space) adds
    nothing, and where all are empty the first stands."""
    solid = [r for r in rects if not (r[0] >= r[2] or r[1] >= r[3])]
    if not solid:
        return rects[0]
    x0s, y0s, x1s, y1s = zip(*solid)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _segment(a: tuple[float, float], b: tuple[float, float]) -> Segment | None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= _AXIS_TOLERANCE and abs(ax - bx) > _AXIS_TOLERANCE:
        y = (ay + by) / 2
        return Segment(min(ax, bx), y, max(ax, bx), y)
    if abs(ax - bx) <= _AXIS_TOLERANCE and abs(ay - by) > _AXIS_TOLERANCE:
        x = (ax + bx) / 2
        return Segment(x, min(ay, by), x, max(ay, by))
    return None


def _boxes_as_objects(item: tuple) -> tuple:
    """A path item with its box as PyMuPDF's `get_drawings` gives it: a normalised `Rect`, or a `Quad`."""
    if item[0] == "re":
        return "re", pymupdf.Rect(item[1]).normalize(), item[2]
    if item[0] == "qu":
        return "qu", pymupdf.Quad(item[1])
    return item
