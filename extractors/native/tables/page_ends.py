"""Whether a table closes or opens its page's body text: the evidence a table continued on the next page leaves.

A continued table runs to the end of its page's text (its own notes aside) and its continuation is the first
thing on the next page; only page furniture (running heads and page numbers in the top or bottom margin, a bare
page number) and "continued" notes may lie beyond them. Work happens in the page's reading frame, so rotated
pages read too. `edges` sums this up as `Edges` while the page is open, so stitching needs no page again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from figtab.extractors.native.page_content import PageContent, Word
from figtab.extractors.native.tables.columns import borders
from figtab.extractors.native.tables.lines import Chunk, Line, chunks, measured, rows_from_top, text_lines
from figtab.extractors.native.tables.orientation import Frame
from figtab.schemas import BBox

_MARGIN = 0.07  # share of the page height at its top and bottom that holds running heads and page numbers
_PAGE_NUMBER = re.compile(r"^(page\s+)?([0-9]{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*[0-9]{1,4})?$", re.IGNORECASE)
_CONTINUED = re.compile(r"\bcont(inued|\.|'d)", re.IGNORECASE)
_NOTE = re.compile(r"^([*\u2020\u2021\u00a7\u00b6#]|\(?[a-z0-9]\)|(sources?|notes?|abbreviations?)\b)", re.IGNORECASE)
_NOTE_LEADING = 0.8  # the most space, in line heights, between two lines of one block of notes


@dataclass(frozen=True)
class Edges:
    """What stitching needs to know of a table on its page: whether it closes or opens the page's body text,
    and the whitespace bands between its columns (reading frame, points, left to right; left empty for a table
    that does neither, as stitching never compares those)."""

    ends_page: bool
    starts_page: bool
    column_gaps: list[tuple[float, float]]


class TextRow(Chunk):
    """A text line's words, left to right, measured as a chunk: its text and place need no cutting into chunks,
    and only a note's height does (`Line.height`), so it is cut only when asked."""

    @measured
    def height(self) -> float:
        return Line(chunks(self.words)).height


@dataclass
class TableOnPage:
    """A table's words and the page's body words above and below it, in the reading frame. The body's text lines
    are made only as far as they are read: the line next to a table mostly settles whether it ends or opens the
    page's text."""

    inside: list[Word]
    above: list[Word]
    below: list[Word]

    @property
    def ends_page(self) -> bool:
        """Nothing but furniture below, or the table's notes: lines from one that starts like a note (``*``,
        ``Source:``) to the page's end, set tight (a paragraph after the notes stands a blank line apart)."""
        below = _text_rows(self.below)
        for line in below:
            if _NOTE.match(line.text):
                notes = [line, *below]
                tight = all(b.y0 - a.y1 <= _NOTE_LEADING * b.height for a, b in zip(notes, notes[1:]))
                return tight or not any(map(_body, notes[1:]))
            if _body(line):
                return False
        return True

    @property
    def starts_page(self) -> bool:
        return not any(map(_body, _text_rows(self.above)))

    def column_gaps(self) -> list[tuple[float, float]]:
        """The whitespace bands between the table's text columns, left to right."""
        return borders(text_lines(self.inside)) if self.inside else []


def _text_rows(words: list[Word]) -> Iterator[TextRow]:
    """The text lines of ``words``, top to bottom, each made when it is read."""
    return (TextRow(row) for row in rows_from_top(words))


def _body(line: TextRow) -> bool:
    return not (_PAGE_NUMBER.match(line.text) or _CONTINUED.search(line.text))


def locate(content: PageContent, box: BBox) -> TableOnPage:
    """The table at ``box`` (displayed page coordinates) with the page's body text above and below it."""
    frame = Frame.of(content)
    box, height = frame.from_page(box), frame.reading_height
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    top, bottom = _MARGIN * height, (1 - _MARGIN) * height  # the body, between running heads and page numbers
    inside, above, below = [], [], []
    for word in frame.words(content.words):  # one pass over the page's words, each centre found once
        cx, cy = word.cx, word.cy
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            inside.append(word)
        if top <= cy <= bottom:
            if cy < y0:
                above.append(word)
            elif cy > y1:
                below.append(word)
    return TableOnPage(inside, above, below)


def edges(content: PageContent, box: BBox) -> Edges:
    """The `Edges` of the table at ``box`` (displayed page coordinates)."""
    table = locate(content, box)
    ends, starts = table.ends_page, table.starts_page
    return Edges(ends, starts, table.column_gaps() if ends or starts else [])
