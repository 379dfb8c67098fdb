"""Whether a table closes or opens its page's body text: the evidence a table continued on the next page leaves.

A continued table runs to the end of its page's text (its own notes aside) and its continuation is the first
thing on the next page; only page furniture (running heads and page numbers in the top or bottom margin, a bare
page number) and "continued" notes may lie beyond them. Work happens in the page's reading frame, so rotated
pages read too. `edges` sums this up as `Edges` while the page is open, so stitching needs no page again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from figtab.extractors.native.page_content import PageContent, Word
from figtab.extractors.native.tables.columns import borders
from figtab.extractors.native.tables.lines import Chunk, Line, chunks, text_lines, word_rows
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
    and the whitespace bands between its columns (reading frame, points, left to right)."""

    ends_page: bool
    starts_page: bool
    column_gaps: list[tuple[float, float]]


class TextRow(Chunk):
    """A text line's words, left to right, measured as a chunk: its text and place need no cutting into chunks,
    and only a note's height does (`Line.height`), so it is cut only when asked."""

    @cached_property
    def height(self) -> float:
        return Line(chunks(self.words)).height


@dataclass
class TableOnPage:
    """A table's words and the page's body text lines above and below it, in the reading frame."""

    inside: list[Word]
    above: list[TextRow]
    below: list[TextRow]

    @property
    def ends_page(self) -> bool:
        """Nothing but furniture below, or the table's notes: lines from one that starts like a note (``*``,
        ``Source:``) to the page's end, set tight (a paragraph after the notes stands a blank line apart)."""
        first_note = next((i for i, line in enumerate(self.below) if _NOTE.match(line.text)), len(self.below))
        notes = self.below[first_note:]
        tight = all(b.y0 - a.y1 <= _NOTE_LEADING * b.height for a, b in zip(notes, notes[1:]))
        return not any(map(_body, self.below[:first_note])) and (tight or not any(map(_body, notes[1:])))

    @property
    def starts_page(self) -> bool:
        return not any(map(_body, self.above))

    def column_gaps(self) -> list[tuple[float, float]]:
        """The whitespace bands between the table's text columns, left to right."""
        return borders(text_lines(self.inside)) if self.inside else []


def _body(line: TextRow) -> bool:
    return not (_PAGE_NUMBER.match(line.text) or _CONTINUED.search(line.text))


def locate(content: PageContent, box: BBox) -> TableOnPage:
    """The table at ``box`` (displayed page coordinates) with the page's body text above and below it."""
    frame = Frame.of(content)
    box, words = frame.from_page(box), [frame.word(w) for w in content.words]
    height = frame.reading_height
    body = [w for w in words if _MARGIN * height <= w.cy <= (1 - _MARGIN) * height]
    return TableOnPage([w for w in words if box.x0 <= w.cx <= box.x1 and box.y0 <= w.cy <= box.y1],
                       [TextRow(row) for row in word_rows([w for w in body if w.cy < box.y0])],
                       [TextRow(row) for row in word_rows([w for w in body if w.cy > box.y1])])


def edges(content: PageContent, box: BBox) -> Edges:
    """The `Edges` of the table at ``box`` (displayed page coordinates)."""
    table = locate(content, box)
    return Edges(table.ends_page, table.starts_page, table.column_gaps())
