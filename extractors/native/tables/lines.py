"""Text lines and the chunks they break into: words closer than a cell gap form one chunk (a cell fragment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from statistics import median

from figtab.extractors.native.page_content import Word

CELL_GAP = 0.5  # a gap wider than this share of the text height separates two cells (a space is ~0.25)
_SAME_LINE = 0.4  # words whose centres differ by less than this share of their height share a line
_JUSTIFIED_GAPS = 4  # a line needs this many spaces before its evenness says it is justified text
_STRETCH = 2.0  # text heights: the widest space a justified cell's line stretches to
_EVEN = 0.05  # share by which the stretched spaces of one line may differ
_APART = 2.0  # a gap this many times a line's usual one may part a cell of justified text from its neighbours
_FILLER = re.compile(r"^([.·…_]{4,}|[-–—=_]{4,})$")  # leader dots and rules typed as text


@dataclass
class Chunk:
    """Words of one line that read as one cell fragment, left to right (never changed once made: what is
    measured of them is kept)."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @cached_property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @cached_property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @cached_property
    def height(self) -> float:
        return median(w.height for w in self.words)

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class Line:
    """One text line's chunks, left to right (never changed once made)."""

    chunks: list[Chunk]

    @cached_property
    def y0(self) -> float:
        return min(c.y0 for c in self.chunks)

    @cached_property
    def y1(self) -> float:
        return max(c.y1 for c in self.chunks)

    @cached_property
    def height(self) -> float:
        return median(c.height for c in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1

    @cached_property
    def text(self) -> str:
        return " ".join(chunk.text for chunk in self.chunks)


def text_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by vertical overlap (top to bottom), each split into chunks at cell gaps.

    Leader dots and rules typed as characters are dropped: they only lead the eye, and the gap they leave
    separates the cells on either side.
    """
    return [Line(chunks(row)) for row in word_rows(words)]


def word_rows(words: list[Word]) -> list[list[Word]]:
    """The words of each text line (`text_lines` without cutting them into chunks), top to bottom, each left to
    right; leader dots and rules typed as characters left out."""
    groups: list[list[Word]] = []
    anchor_cy = anchor_height = 0.0  # of each group's first word, which the words after it are compared with
    for cy, _, word in sorted(((w.cy, w.x0, w) for w in words if not _FILLER.match(w.text)), key=_by_place):
        height = word.y1 - word.y0
        if groups and abs(cy - anchor_cy) <= _SAME_LINE * max(height, anchor_height):
            groups[-1].append(word)
        else:
            groups.append([word])
            anchor_cy, anchor_height = cy, height
    return [sorted(group, key=_x0) for group in groups]


def _by_place(item: tuple[float, float, Word]) -> tuple[float, float]:
    return item[0], item[1]


def _x0(word: Word) -> float:
    return word.x0


def chunks(line: list[Word]) -> list[Chunk]:
    """Split a left-to-right run of words where the gap exceeds a cell gap or the font size jumps.

    A justified sentence, its spaces stretched evenly past a cell gap, stays one chunk, also where it is a cell's
    line beside other cells (the line is cut first at gaps well wider than its usual one).
    """
    gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:])]  # gaps[i] follows line[i]
    if _justified(line, gaps):
        return [Chunk(line)]
    if len(gaps) > _JUSTIFIED_GAPS:
        usual = median(gaps)
        cuts = [i for i, (gap, word) in enumerate(zip(gaps, line[1:]), start=1)
                if gap > _APART * usual and gap > CELL_GAP * word.height]
        bounds = list(zip([0, *cuts], [*cuts, len(line)]))
        justified = [_justified_cell(line[i:j], gaps[i:j - 1]) for i, j in bounds] if len(bounds) > 1 else [False]
        if any(justified):
            found: list[Chunk] = []
            rest: list[Word] = []  # words between justified pieces, cut as usual
            for (i, j), is_justified in zip(bounds, justified):
                if is_justified:
                    found += (_cut_at_gaps(rest) if rest else []) + [Chunk(line[i:j])]
                    rest = []
                else:
                    rest += line[i:j]
            return found + (_cut_at_gaps(rest) if rest else [])
    return _cut_at_gaps(line, gaps)


def _justified_cell(words: list[Word], gaps: list[float]) -> bool:
    """A cell's line of justified text (``gaps`` between its words): justified, and no space past a cell gap but
    the evenly stretched ones (a figure set close after it is the next cell)."""
    if not _justified(words, gaps):
        return False
    usual = median(gaps)
    return all(gap <= CELL_GAP * b.height or abs(gap - usual) <= 0.1 * usual for gap, b in zip(gaps, words[1:]))


def _cut_at_gaps(line: list[Word], gaps: list[float] | None = None) -> list[Chunk]:
    gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:])] if gaps is None else gaps
    stretched = _stretched(line, gaps)
    parts = [[line[0]]]
    for i, (prev, word) in enumerate(zip(line, line[1:])):
        gap, height = gaps[i], min(word.height, prev.height)
        resized = abs(word.height - prev.height) > 0.25 * height and gap > 0.15 * height
        if (gap > CELL_GAP * height and i not in stretched) or resized:
            parts.append([word])
        else:
            parts[-1].append(word)
    return [Chunk(words) for words in parts]


def _stretched(line: list[Word], gaps: list[float]) -> set[int]:
    """Indices of the gaps (gap i follows word i) inside runs of a justified cell's words: two or more spaces in a
    row, all alike and not far, each followed by a word in lower case (a sentence goes on; a table's cells start
    with capitals or figures). A narrow justified column stretches its spaces past a cell gap."""
    found: set[int] = set()
    start = 0
    while start < len(gaps):
        end = start
        while end < len(gaps) and gaps[end] <= _STRETCH * line[end + 1].height and \
                abs(gaps[end] - gaps[start]) <= _EVEN * gaps[start] and line[end + 1].text[:1].islower():
            end += 1
        if end - start >= 2:
            found.update(range(start, end))
        start = max(end, start + 1)
    return found


def _justified(line: list[Word], gaps: list[float]) -> bool:
    """Words of running text (``gaps`` between them) set with evenly stretched spaces (sentence ends may take a
    wider one)."""
    if len(gaps) < _JUSTIFIED_GAPS or sum(_has_letters(w.text) for w in line) < 0.75 * len(line):
        return False
    usual = median(gaps)
    even = sum(abs(gap - usual) <= 0.1 * usual for gap in gaps)
    return usual <= 0.8 * median(w.height for w in line) and even >= 0.75 * len(gaps) and max(gaps) <= 2.2 * usual


@lru_cache(maxsize=8192)
def _has_letters(text: str) -> bool:
    """Whether a word holds a letter; remembered, as the words of running text recur."""
    return any(map(str.isalpha, text))
