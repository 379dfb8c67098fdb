"""Text lines and the chunks they break into: words closer than a cell gap form one chunk (a cell fragment)."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from extractors.native.page_content import Word

CELL_GAP = 0.5  # a gap wider than this share of the text height separates two cells (a space is ~0.25)
_SAME_LINE = 0.4  # words whose centres differ by less than this share of their height share a line


@dataclass
class Chunk:
    """Words of one line that read as one cell fragment, left to right."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        return median(w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class Line:
    """One text line's chunks, left to right."""

    chunks: list[Chunk]

    @property
    def y0(self) -> float:
        return min(c.y0 for c in self.chunks)

    @property
    def y1(self) -> float:
        return max(c.y1 for c in self.chunks)

    @property
    def height(self) -> float:
        return median(c.height for c in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1


def text_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by vertical overlap (top to bottom), each split into chunks at cell gaps."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.x0)):
        if groups and abs(word.cy - groups[-1][0].cy) <= _SAME_LINE * max(word.height, groups[-1][0].height):
            groups[-1].append(word)
        else:
            groups.append([word])
    return [Line(chunks(sorted(group, key=lambda w: w.x0))) for group in groups]


def chunks(line: list[Word]) -> list[Chunk]:
    """Split a left-to-right run of words where the gap exceeds a cell gap or the font size jumps."""
    parts = [Chunk([line[0]])]
    for prev, word in zip(line, line[1:]):
        gap, height = word.x0 - prev.x1, min(word.height, prev.height)
        resized = abs(word.height - prev.height) > 0.25 * height and gap > 0.15 * height
        if gap > CELL_GAP * height or resized:
            parts.append(Chunk([word]))
        else:
            parts[-1].words.append(word)
    return parts
