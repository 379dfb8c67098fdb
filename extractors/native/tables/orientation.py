"""A reading frame for rotated tables: coordinates turned so the page's dominant text reads left to right.

Table readers work in that frame; `Frame.to_page` maps what they find back to displayed page coordinates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from figtab.extractors.native.page_content import PageContent, Segment, Word
from figtab.schemas import BBox

Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """Turns displayed coordinates (points, origin top-left) so text with ``direction`` reads along +x."""

    direction: tuple[int, int]
    width: float
    height: float

    @classmethod
    def of(cls, content: PageContent) -> Frame:
        """The frame of the page's dominant reading direction."""
        size = content.pdf_page.rect
        return cls(content.reading_direction, size.width, size.height)

    @property
    def reading_width(self) -> float:
        """The page's extent along its lines of text, in points."""
        return self.height if self.direction[0] == 0 else self.width

    @property
    def reading_height(self) -> float:
        return self.width if self.direction[0] == 0 else self.height

    @property
    def upright(self) -> bool:
        """True when the frame is the page's own: text reads left to right."""
        return self.direction not in ((0, -1), (0, 1), (-1, 0))

    def _forward(self, x: float, y: float) -> Point:
        w, h, direction = self.width, self.height, self.direction
        if direction == (0, -1):
            return h - y, x
        if direction == (0, 1):
            return y, w - x
        return (w - x, h - y) if direction == (-1, 0) else (x, y)

    def _backward(self, x: float, y: float) -> Point:
        w, h, direction = self.width, self.height, self.direction
        if direction == (0, -1):
            return y, h - x
        if direction == (0, 1):
            return w - y, x
        return (w - x, h - y) if direction == (-1, 0) else (x, y)

    @staticmethod
    def _box(corners: tuple[float, float, float, float], move: Callable[[float, float], Point]) -> tuple:
        (ax, ay), (bx, by) = move(corners[0], corners[1]), move(corners[2], corners[3])
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def words(self, words: list[Word]) -> list[Word]:
        """The words in this frame; on an upright page, the same list, not a copy (boxes there are already in order):
        read it, do not change it."""
        return words if self.upright else [self._word(w) for w in words]

    def segments(self, segments: list[Segment]) -> list[Segment]:
        """The ruling lines in this frame; on an upright page, the same list (as `words`)."""
        return segments if self.upright else [self._segment(s) for s in segments]

    def _word(self, word: Word) -> Word:
        return Word(*self._box((word.x0, word.y0, word.x1, word.y1), self._forward), word.text, word.bold)

    def _segment(self, segment: Segment) -> Segment:
        return Segment(*self._box((segment.x0, segment.y0, segment.x1, segment.y1), self._forward))

    def from_page(self, box: BBox) -> BBox:
        x0, y0, x1, y1 = self._box((box.x0, box.y0, box.x1, box.y1), self._forward)
        return BBox(x0=x0, y0=y0, x1=x1, y1=y1)

    def to_page(self, box: BBox) -> BBox:
        x0, y0, x1, y1 = self._box((box.x0, box.y0, box.x1, box.y1), self._backward)
        return BBox(x0=x0, y0=y0, x1=x1, y1=y1)
