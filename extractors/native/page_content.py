"""What a born-digital page holds, read once with PyMuPDF in displayed coordinates (PDF points, origin top-left).

PyMuPDF reports text and drawings in the unrotated page space; everything here is mapped through the page's
rotation matrix so readers work on the page as a person sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pymupdf

from schemas import BBox

_AXIS_TOLERANCE = 1.0  # points a segment may lean and still count as horizontal or vertical


@dataclass(frozen=True)
class Word:
    """A run of non-space characters; ``bold`` when its font says so."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    bold: bool = False

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Segment:
    """An axis-aligned ruling line: horizontal when ``y0 == y1``, vertical when ``x0 == x1``."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass(frozen=True)
class TextLine:
    """A line of text as the PDF placed it; a raised smaller span is written after ``^`` (``10^3``).

    ``size`` is the font size in points; ``vertical`` marks text turned by 90 degrees (axis titles).
    """

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    vertical: bool = False

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PageContent:
    """Words, ruling lines and vector paths of one page, in displayed coordinates."""

    pdf_page: Any
    words: list[Word] = field(init=False)

    def __post_init__(self) -> None:
        self._to_display = self.pdf_page.rotation_matrix
        self.words = self._read_words()

    def _rect(self, rect: Any) -> pymupdf.Rect:
        return pymupdf.Rect(rect) * self._to_display

    def _read_words(self) -> list[Word]:
        bold_boxes = [self._rect(span["bbox"]) for block in self.pdf_page.get_text("dict")["blocks"]
                      for line in block.get("lines", ()) for span in line["spans"]
                      if span["flags"] & pymupdf.TEXT_FONT_BOLD or "bold" in span["font"].lower()]
        words = []
        for x0, y0, x1, y1, text, *_ in self.pdf_page.get_text("words"):
            rect = self._rect((x0, y0, x1, y1))
            bold = any(box.contains(pymupdf.Point((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2))
                       for box in bold_boxes)
            words.append(Word(rect.x0, rect.y0, rect.x1, rect.y1, text, bold))
        return words

    @cached_property
    def drawings(self) -> list[dict]:
        """PyMuPDF's vector paths, unchanged (unrotated space); map points with `to_display`."""
        return self.pdf_page.get_drawings()

    def to_display(self, point: Any) -> pymupdf.Point:
        return pymupdf.Point(point) * self._to_display

    @cached_property
    def segments(self) -> list[Segment]:
        """Ruling lines: stroked lines and thin filled rectangles, plus the four edges of each stroked box."""
        found = []
        for path in self.drawings:
            for item in path["items"]:
                if item[0] == "l":
                    found.append(self._segment(self.to_display(item[1]), self.to_display(item[2])))
                elif item[0] == "re":
                    rect = self._rect(item[1])
                    if min(rect.width, rect.height) <= 2 * _AXIS_TOLERANCE:
                        mid_y, mid_x = (rect.y0 + rect.y1) / 2, (rect.x0 + rect.x1) / 2
                        end = ((rect.x0, mid_y), (rect.x1, mid_y)) if rect.width > rect.height else \
                            ((mid_x, rect.y0), (mid_x, rect.y1))
                        found.append(self._segment(pymupdf.Point(end[0]), pymupdf.Point(end[1])))
                    elif path.get("color") is not None:
                        corners = [(rect.tl, rect.tr), (rect.bl, rect.br), (rect.tl, rect.bl), (rect.tr, rect.br)]
                        found.extend(self._segment(a, b) for a, b in corners)
        return [segment for segment in found if segment is not None]

    @staticmethod
    def _segment(a: pymupdf.Point, b: pymupdf.Point) -> Segment | None:
        if abs(a.y - b.y) <= _AXIS_TOLERANCE and abs(a.x - b.x) > _AXIS_TOLERANCE:
            y = (a.y + b.y) / 2
            return Segment(min(a.x, b.x), y, max(a.x, b.x), y)
        if abs(a.x - b.x) <= _AXIS_TOLERANCE and abs(a.y - b.y) > _AXIS_TOLERANCE:
            x = (a.x + b.x) / 2
            return Segment(x, min(a.y, b.y), x, max(a.y, b.y))
        return None

    @cached_property
    def reading_direction(self) -> tuple[int, int]:
        """The way most characters read, as a displayed unit vector: (1, 0) upright, (0, -1) bottom to top."""
        votes: dict[tuple[int, int], int] = {}
        origin = pymupdf.Point(0, 0) * self._to_display
        for block in self.pdf_page.get_text("dict", flags=0)["blocks"]:
            for line in block.get("lines", ()):
                d = pymupdf.Point(line["dir"]) * self._to_display - origin
                key = (round(d.x), round(d.y))
                votes[key] = votes.get(key, 0) + sum(len(span["text"].strip()) for span in line["spans"])
        return max(votes, key=votes.get) if votes else (1, 0)

    @cached_property
    def lines(self) -> list[TextLine]:
        """Text lines with font sizes, for labels whose spacing or superscripts carry meaning (chart ticks).

        A line is cut where two characters stand apart with no space between them: producers place tick
        labels one by one, and the text layer may run neighbours together.
        """
        found = []
        for block in self.pdf_page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", ()):
                vertical = (abs(line["dir"][0]) < 0.5) != (self.pdf_page.rotation % 180 == 90)
                found.extend(self._cut_line(line, vertical))
        return found

    def _cut_line(self, line: dict, vertical: bool) -> list[TextLine]:
        pieces: list[TextLine] = []
        text, size, box, previous, last_char = "", 0.0, None, None, None

        def close() -> None:
            if text.strip() and box is not None:
                rect = self._rect(box)
                pieces.append(TextLine(rect.x0, rect.y0, rect.x1, rect.y1, text.strip(), size, vertical))

        for span in line["spans"]:
            raised = previous is not None and span["size"] < 0.85 * previous["size"] and \
                span["origin"][1] < previous["origin"][1] - 0.2 * previous["size"]
            for i, char in enumerate(span["chars"]):
                rect = pymupdf.Rect(char["bbox"])
                if last_char is not None:
                    along = max(rect.y0 - last_char.y1, last_char.y0 - rect.y1) if vertical else \
                        rect.x0 - last_char.x1
                if last_char is not None and char["c"] != " " and not -0.5 * span["size"] <= along <= 0.3 * span["size"] and \
                        not text.endswith(" ") and not (raised and i == 0):
                    close()
                    text, size, box = "", 0.0, None
                text += ("^" if raised and i == 0 else "") + char["c"]
                size = max(size, span["size"])
                box = rect if box is None else box | rect
                last_char = rect
            previous = span
        close()
        return pieces

    def words_in(self, box: BBox) -> list[Word]:
        return [w for w in self.words if box.x0 <= w.cx <= box.x1 and box.y0 <= w.cy <= box.y1]
