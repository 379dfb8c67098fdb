"""Where the unruled tables are: runs of closely stacked text lines that break into several cells.

Prose is removed first (stacked chunks of many words, and the short lines that end their paragraphs), so a text
column beside a table does not become one of its columns; runs then break at wide vertical gaps, at caption,
source, bold numbered heading or long single-chunk lines, and where a blank line is followed by the run's first
line again. What is left of a text column across a wide gutter, and runs of numbered headings, are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from statistics import median

from figtab.extractors.native.tables.columns import coverage, cut_at_columns
from figtab.extractors.native.tables.lines import Chunk, Line
from figtab.extractors.native.tables.structure import holds_values
from figtab.extractors.native.tables.text_columns import Prose, text_cells

_PROSE_WORDS = 5  # a chunk of at least this many words ...
_PROSE_WIDTH = 0.2  # ... and this share of the page width is prose when another such chunk sits on or under it
_BREAK_GAP = 2.5  # a vertical gap of this many heights of the smaller line ends a table
_BLANK = 1.6  # a line pitch this many times the region's usual one leaves a blank line
_CAPTION = re.compile(r"^(table|figure|fig\.|exhibit|source|note|notes)\b", re.IGNORECASE)
_NOTE_MARK = re.compile(r"^([*†‡§¶#]+|\(?[0-9a-z]\)?)$")  # what a footnote may start with
_GUTTER = 3.0  # clear space, in line heights, that may part a table from a text column set beside it
_SPARSE = 0.5  # a text column beside a table has text on fewer than this share of the table's lines
_SECTION_NUMBER = re.compile(r"^(\d{1,2}\.)*\d{1,2}\.?$")  # "2", "4.1", "4.1.1", "3."


def without_prose(lines: list[Line], page_width: float) -> list[Line]:
    """The lines with paragraph text taken out (lines left empty are dropped), but not a table's columns of
    wrapped text (`text_columns`).

    Two stacked wide sentences make a paragraph. A shorter line (its last, or one a narrow text column breaks
    early) joins it when it sits right under or over one of those sentences, aligned on its left edge, and
    nothing but such text shares its line (a table's header row under a caption has other cells beside it).
    """
    wide = [c for line in lines for c in line.chunks
            if len(c.words) >= _PROSE_WORDS and c.x1 - c.x0 >= _PROSE_WIDTH * page_width]
    near = _stacking(wide)
    prose = {id(c) for c in wide if any(_stacked(c, other) for other in near(c) if other is not c)}
    near_paragraph = _stacking([c for c in wide if id(c) in prose])
    for line in lines:
        if all(id(c) in prose or _ends_paragraph(c, line, near_paragraph(c)) for c in line.chunks):
            prose.update(id(c) for c in line.chunks)
    prose -= text_cells(lines, Prose({id(c) for c in wide}, set(prose)))
    kept = [_without(line, prose) for line in lines]
    return [line for line in kept if line.chunks]


def _without(line: Line, prose: set[int]) -> Line:
    """The line without the chunks in ``prose``: the line itself, with what was measured of it, when it has none."""
    chunks = [c for c in line.chunks if id(c) not in prose]
    return line if len(chunks) == len(line.chunks) else Line(chunks)


def _stacking(chunks: list[Chunk]) -> Callable[[Chunk], list[Chunk]]:
    """For a chunk, the ones of ``chunks`` whose top lies where a chunk stacked on it could start, looked up by
    top edge through a sorted index rather than pair by pair: a page of prose has hundreds of wide chunks."""
    by_top = sorted(chunks, key=lambda c: c.y0)
    tops = [c.y0 for c in by_top]
    tallest = max((c.height for c in chunks), default=0.0)
    extent = max((c.y1 - c.y0 for c in chunks), default=0.0)

    def near(chunk: Chunk) -> list[Chunk]:
        gap = 1.2 * max(tallest, chunk.height)  # `_stacked` allows less than this
        return by_top[bisect_left(tops, chunk.y0 - gap - extent):bisect_right(tops, chunk.y1 + gap)]
    return near


def _ends_paragraph(chunk: Chunk, line: Line, paragraph: list[Chunk]) -> bool:
    """True when the chunk is the short last (or first) line of a paragraph: stacked on one of its sentences
    (``paragraph``: those near it) and alone on its line under that sentence's width (a row's label under a
    paragraph has its cells beside it)."""
    return len(chunk.words) >= 2 and any(
        _stacked(chunk, p) and abs(chunk.x0 - p.x0) <= p.height and
        not any(c is not chunk and c.x0 < p.x1 and c.x1 > p.x0 for c in line.chunks) for p in paragraph)


def _stacked(a: Chunk, b: Chunk) -> bool:
    """True when ``b`` is the text line right under or over ``a`` in the same text column."""
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    gap = max(b.y0 - a.y1, a.y0 - b.y1)
    return overlap > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) and gap < 1.2 * max(a.height, b.height)


def table_regions(lines: list[Line]) -> list[tuple[str | None, list[Line]]]:
    """(caption, lines) of each group that may be a table: at least two lines with two or more cells."""
    regions, current, caption, title = [], [], None, None
    for line in lines:
        separator = _separator(line, current)
        if current and (separator or _far(current[-1], line)):
            regions.append((title, current))
            current, title = [], None
        if separator:
            caption = line.text if _CAPTION.match(line.chunks[0].text) else None
        else:
            title = caption if not current else title
            caption = None if not current else caption
            current.append(line)
    regions.append((title, current))
    parts = [(title if i == 0 else None, part) for title, region in regions
             for i, part in enumerate(_split_repeated(_trim(cut_at_columns(_without_text_beside(region)))))]
    return [(title, trimmed) for title, part in parts if len(trimmed := _trim(part)) >= 2
            and sum(len(line.chunks) >= 2 for line in trimmed) >= 2 and not _headings(trimmed)]


def _headings(region: list[Line]) -> bool:
    """Numbered section headings stacked a blank apart, spaced more loosely than rows or numbered on more than
    one level (``4 Results``, ``4.1 Scope``)."""
    if not all(map(_numbered_heading, region)):
        return False
    loose = all(b.y0 - a.y1 > 0.5 * max(a.height, b.height) for a, b in zip(region, region[1:]))
    return loose or any("." in line.chunks[0].text.rstrip(".") for line in region)


def _numbered_heading(line: Line) -> bool:
    """A section number and a capitalised title, nothing else on the line."""
    return len(line.chunks) == 2 and bool(_SECTION_NUMBER.match(line.chunks[0].text)) and \
        line.chunks[1].text[:1].isupper()


def _without_text_beside(region: list[Line]) -> list[Line]:
    """The region without a text column (references, a list) that stands beside its table across a wide gutter:
    the side of the gutter without numbers, with text on only a few of the lines the other side fills."""
    if len(region) < 4:
        return region
    height = median(line.height for line in region)
    gutters = [(x0, x1) for x0, x1, n in coverage(region) if n == 0 and x1 - x0 >= _GUTTER * height]
    for x0, x1 in sorted(gutters, key=lambda gutter: gutter[0] - gutter[1]):
        sides = [[[c for c in line.chunks if c.x1 <= x0] for line in region],
                 [[c for c in line.chunks if c.x0 >= x1] for line in region]]
        for text, table in (sides, sides[::-1]):
            if sum(map(bool, text)) < _SPARSE * sum(map(bool, table)) and _values(table) and not _values(text) \
                    and not _labels(text, table):
                return [Line(chunks) for chunks in table if chunks]
    return region


def _values(lines: list[list[Chunk]]) -> bool:
    return holds_values(chunk.text for chunks in lines for chunk in chunks)


def _labels(text: list[list[Chunk]], table: list[list[Chunk]]) -> bool:
    """True when the text side labels the table's rows: it has text on the table's first line and on its first
    line of figures (a column of wrapped labels is sparse, but it starts with the table, a list beside it rarely
    does)."""
    first_values = next(i for i, chunks in enumerate(table) if _values([chunks]))
    return bool(text[0]) and bool(text[first_values])


def _split_repeated(region: list[Line]) -> list[list[Line]]:
    """The region cut at blank lines after which its first line repeats: tables stacked closely under the same
    header, like the halves of a wide table set one under the other."""
    if len(region) < 3:
        return [region]
    pitch = median(b.y0 - a.y0 for a, b in zip(region, region[1:]))
    blocks = [[region[0]]]
    for above, line in zip(region, region[1:]):
        if line.y0 - above.y0 > _BLANK * pitch:
            blocks.append([])
        blocks[-1].append(line)
    parts = [blocks[0]]
    for block in blocks[1:]:
        if block[0].text == parts[-1][0].text:
            parts.append(block)
        else:
            parts[-1].extend(block)
    return parts


def _far(above: Line, below: Line) -> bool:
    return below.y0 - above.y1 > _BREAK_GAP * min(above.height, below.height)


def _separator(line: Line, region: list[Line]) -> bool:
    """A caption or source line (its label perhaps set apart, ``Source:   text``), a numbered heading set in bold
    or a single-chunk sentence across the region from its left edge ends a table (one that starts at an inner
    column is a cell's wrapped text)."""
    if _CAPTION.match(line.chunks[0].text) and len(line.chunks) <= 2:
        return True
    if _numbered_heading(line) and all(chunk.bold for chunk in line.chunks):
        return True
    if len(line.chunks) != 1:
        return False
    chunk = line.chunks[0]
    multi = [r for r in region if len(r.chunks) >= 2]
    if len(chunk.words) < _PROSE_WORDS or not multi:
        return False
    left = min(r.x0 for r in multi)
    return chunk.x1 - chunk.x0 > 0.6 * (max(r.x1 for r in multi) - left) and chunk.x0 <= left + chunk.height


def _note(line: Line) -> bool:
    """One chunk, perhaps after a footnote mark, that does not read as the continuation of a row above."""
    chunks = line.chunks[1:] if len(line.chunks) == 2 and _NOTE_MARK.match(line.chunks[0].text) else line.chunks
    return len(chunks) == 1 and not chunks[0].text[:1].islower()


def _inner_wrap(above: Line, line: Line, region: list[Line]) -> bool:
    """True when the one-chunk line sits right under the line above, aligned with its cell in an inner column: the
    last line of a wrapped cell (a note starts at the table's left edge)."""
    chunk, left = line.chunks[0], min(r.x0 for r in region)
    return chunk.x0 > left + chunk.height and line.y0 - above.y1 <= chunk.height and any(
        abs(chunk.x0 - c.x0) <= 0.5 * chunk.height for c in above.chunks)


def _trim(region: list[Line]) -> list[Line]:
    """Drop single-chunk lines at the bottom (notes, footnotes) unless they continue the last row, and at the
    top those that read as the tail of a caption (lower case, or a sentence of several words)."""
    start, end = 0, len(region)
    while end and _note(region[end - 1]) and not (end >= 2 and _inner_wrap(region[end - 2], region[end - 1], region)):
        end -= 1
    while start < end and len(region[start].chunks) == 1 and (
            region[start].chunks[0].text[:1].islower() or len(region[start].chunks[0].words) >= _PROSE_WORDS - 1):
        start += 1
    return region[start:end]
