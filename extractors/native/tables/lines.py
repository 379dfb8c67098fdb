"""Text lines and the chunks they break into: words closer than a cell gap form one chunk (a cell fragment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from figtab.extractors.native.page_content import Word

CELL_GAP = 0.5  # a gap wider than this share of the text height separates two cells (a space is ~0.25)
_SAME_LINE = 0.4  # words whose centres differ by less than this share of their height share a line
_JUSTIFIED_GAPS = 4  # a line needs this many spaces before its evenness says it is justified text
_FILLER = re.compile(r"^([.·…_]{4,}|[-–—=_]{4,})$")  # leader dots and rules typed as text


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

    @property
    def text(self) -> str:
        return " ".join(chunk.text for chunk in self.chunks)


def text_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by vertical overlap (top to bottom), each split into chunks at cell gaps.

    Leader dots and rules typed as characters are dropped: they only lead the eye, and the gap they leave
    separates the cells on either side.
    """
    groups: list[list[Word]] = []
    for word in sorted((w for w in words if not _FILLER.match(w.text)), key=lambda w: (w.cy, w.x0)):
        if groups and abs(word.cy - groups[-1][0].cy) <= _SAME_LINE * max(word.height, groups[-1][0].height):
            groups[-1].append(word)
        else:
            groups.append([word])
    return [Line(chunks(sorted(group, key=lambda w: w.x0))) for group in groups]


def chunks(line: list[Word]) -> list[Chunk]:
    """Split a left-to-right run of words where the gap exceeds a cell gap or the font size jumps.

    A justified sentence, its spaces stretched evenly past a cell gap, stays one chunk.
    """
    if _justified(line):
        return [Chunk(line)]
    parts = [Chunk([line[0]])]
    for prev, word in zip(line, line[1:]):
        gap, height = word.x0 - prev.x1, min(word.height, prev.height)
        resized = abs(word.height - prev.height) > 0.25 * height and gap > 0.15 * height
        if gap > CELL_GAP * height or resized:
            parts.append(Chunk([word]))
        else:
            parts[-1].words.append(word)
    return parts


def _justified(line: list[Word]) -> bool:
    """Words of running text set with evenly stretched spaces (sentence ends may take a wider one)."""
    gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:])]
    if len(gaps) < _JUSTIFIED_GAPS or sum(any(ch.isalpha() for ch in w.text) for w in line) < 0.75 * len(line):
        return False
    usual = median(gaps)
    even = sum(abs(gap - usual) <= 0.1 * usual for gap in gaps)
    return usual <= 0.8 * median(w.height for w in line) and even >= 0.75 * len(gaps) and max(gaps) <= 2.2 * usual
