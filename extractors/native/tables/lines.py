"""Text lines and the chunks they break into: words closer than a cell gap form one chunk (a cell fragment)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from statistics import median
from typing import Any, Generic, TypeVar

from figtab.extractors.native.page_content import Word

CELL_GAP = 0.5  # a gap wider than this share of the text height separates two cells (a space is ~0.25)
_SAME_LINE = 0.4  # words whose centres differ by less than this share of their height share a line
_JUSTIFIED_GAPS = 4  # a line needs this many spaces before its evenness says it is justified text
_STRETCH = 2.0  # text heights: the widest space a justified cell's line stretches to
_EVEN = 0.05  # share by which the stretched spaces of one line may differ
_APART = 2.0  # a gap this many times a line's usual one may part a cell of justified text from its neighbours
_FILLER = re.compile(r"^([.·…_]{4,}|[-–—=_]{4,})$")  # leader dots and rules typed as text

T = TypeVar("T")


class measured(Generic[T]):  # lower case, as the decorator it stands in for
    """A measure of an object that never changes, taken on first read and kept in the object (later reads find it
    there): `functools.cached_property` without the lock Python 3.11 takes on every first read, which costs more
    than most measures here, and a page has hundreds of chunks and lines read once each."""

    def __init__(self, measure: Callable[[Any], T]) -> None:
        self._measure, self._name = measure, measure.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:  # read on the class itself (introspection)
            return self  # type: ignore[return-value]
        value = instance.__dict__[self._name] = self._measure(instance)
        return value


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

    @measured
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @measured
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @measured
    def height(self) -> float:
        return median(w.height for w in self.words)

    @measured
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class Line:
    """One text line's chunks, left to right (never changed once made)."""

    chunks: list[Chunk]

    @measured
    def y0(self) -> float:
        return min(c.y0 for c in self.chunks)

    @measured
    def y1(self) -> float:
        return max(c.y1 for c in self.chunks)

    @measured
    def height(self) -> float:
        return median(c.height for c in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1

    @measured
    def text(self) -> str:
        return " ".join(chunk.text for chunk in self.chunks)


def text_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by vertical overlap (top to bottom), each split into chunks at cell gaps.

    Leader dots and rules typed as characters are dropped: they only lead the eye, and the gap they leave
    separates the cells on either side.
    """
    return [Line(chunks(row)) for row in rows_from_top(words)]


def word_rows(words: list[Word]) -> list[list[Word]]:
    """The words of each text line (`text_lines` without cutting them into chunks), top to bottom, each left to
    right; leader dots and rules typed as characters left out."""
    return list(rows_from_top(words))


def rows_from_top(words: list[Word]) -> Iterator[list[Word]]:
    """`word_rows` one at a time, for readers that stop at the first rows they need."""
    row: list[Word] = []
    anchor_cy = anchor_height = 0.0  # of each row's first word, which the words after it are compared with
    # sorted by centre, then left edge, then input order (as a stable sort by place): no key function to call
    for cy, _, _, word in sorted([(w.cy, w.x0, i, w) for i, w in enumerate(words) if not _FILLER.match(w.text)]):
        height = word.y1 - word.y0
        if row and abs(cy - anchor_cy) <= _SAME_LINE * max(height, anchor_height):
            row.append(word)
        else:
            if row:
                yield sorted(row, key=_X0)
            row, anchor_cy, anchor_height = [word], cy, height
    if row:
        yield sorted(row, key=_X0)


_X0 = attrgetter("x0")


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
    heights = [word.height for word in line]
    parts = [[line[0]]]
    for i, word in enumerate(line[1:]):
        gap, height = gaps[i], min(heights[i + 1], heights[i])
        resized = abs(heights[i + 1] - heights[i]) > 0.25 * height and gap > 0.15 * height
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
    if len(gaps) < _JUSTIFIED_GAPS:
        return False
    usual = median(gaps)  # spaces are looked at before words: a line with a cell gap fails at once
    if max(gaps) > 2.2 * usual or sum([_has_letters(w.text) for w in line]) < 0.75 * len(line):
        return False
    even = sum([abs(gap - usual) <= 0.1 * usual for gap in gaps])
    return even >= 0.75 * len(gaps) and usual <= 0.8 * median([w.height for w in line])


@lru_cache(maxsize=8192)
def _has_letters(text: str) -> bool:
    """Whether a word holds a letter; remembered, as the words of running text recur."""
    return any(map(str.isalpha, text))
