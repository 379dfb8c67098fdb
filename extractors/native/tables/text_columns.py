"""Columns of wrapped text inside a table: term-definition tables, descriptions beside their figures.

A table's long texts read as prose (stacked wide sentences), and prose is taken out before tables are looked
for. What sets them apart is their neighbours: short cells of words (a term, a name) beside the lines where the
texts start, at least twice the same way, and every line of the run starts at one of a few column edges. The
edge of the short cells never holds wide text (a page of text columns has short paragraph ends beside long
lines, but all of its columns are prose); a list's markers (``1.``, ``(a)``, bullets) are not cells, so numbered
paragraphs stay prose, and figures beside a text column are rather a table beside the page's text. Tables of
several text columns show in their rows instead: lines that set short cells side by side at three or more column
edges, with the lines between them keeping to those columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from figtab.extractors.native.tables.lines import Chunk, Line

_MARKER = re.compile(r"^[(\[]?([0-9]+(\.[0-9]+)*|[a-z]|[ivxlc]+)[.):\]]?$|^[•·▪◦*–-]$", re.IGNORECASE)
_MIN_ROWS = 2  # lines where a text starts beside short cells, that make a table
_SPREAD = 3  # edges a line's chunks start at, to set a table's cells side by side
_ROW_GAP = 2.5  # the most space, in line heights, between two lines of one table


@dataclass(frozen=True)
class Prose:
    """ids of the chunks long enough to be prose (``wide``) and of those read as prose, with paragraph ends
    (``taken``)."""

    wide: set[int]
    taken: set[int]


@dataclass
class _Run:
    """Consecutive lines whose chunks start at a few column edges; per edge, whether it holds wide text."""

    lines: list[Line] = field(default_factory=list)
    edges: dict[float, bool] = field(default_factory=dict)

    def edge(self, chunk: Chunk) -> float | None:
        return next((x for x in self.edges if abs(chunk.x0 - x) <= chunk.height), None)

    def takes(self, line: Line, prose: Prose) -> bool:
        """True when the line carries on the run: near its last line, each chunk at a known edge (a line where
        a text starts beside short cells may open new ones), and no wide text at an edge of short cells."""
        if not self.lines or line.y0 - self.lines[-1].y1 >= _ROW_GAP * max(line.height, self.lines[-1].height):
            return False
        known = [self.edge(c) for c in line.chunks]
        if None in known and not _opens_row(line, prose):
            return False
        return not self._wide_at_short_edge(line, prose)

    def refuted_by(self, line: Line, prose: Prose) -> bool:
        """True when the line keeps the run's columns but puts wide text at an edge of short cells: those were
        the short lines of a page's text columns, not cells."""
        return len([c for c in line.chunks if self.edge(c) is not None]) >= 2 and self._wide_at_short_edge(line, prose)

    def _wide_at_short_edge(self, line: Line, prose: Prose) -> bool:
        return any(id(c) in prose.wide and (x := self.edge(c)) is not None and not self.edges[x] for c in line.chunks)

    def add(self, line: Line, prose: Prose) -> None:
        self.lines.append(line)
        for chunk in line.chunks:
            x = self.edge(chunk)
            if x is None:
                self.edges[chunk.x0] = id(chunk) in prose.wide
            else:
                self.edges[x] = self.edges[x] or id(chunk) in prose.wide

    def cells(self, prose: Prose) -> set[int]:
        """ids of the run's chunks, when it is a table: at least two of its lines open a row the same way, a
        text at one edge beside a short cell at another edge that never holds wide text."""
        openings = Counter(pair for line in self.lines for pair in self._openings(line, prose)
                           if pair[0] is not None and not self.edges[pair[0]])
        if not openings or max(openings.values()) < _MIN_ROWS:
            return set()
        return {id(chunk) for line in self.lines for chunk in line.chunks}

    def _openings(self, line: Line, prose: Prose) -> set[tuple[float | None, float | None]]:
        """(edge of the short cell, edge of the text) for each text on the line with a short cell beside it."""
        return {(self.edge(cell), self.edge(text)) for a, b in zip(line.chunks, line.chunks[1:])
                for cell, text in ((a, b), (b, a)) if id(text) in prose.wide and _short_cell(cell, prose)}


def text_cells(lines: list[Line], prose: Prose) -> set[int]:
    """ids of the chunks, read as prose, that are cells of tables with columns of wrapped text."""
    return _term_cells(lines, prose) | _cells_between_rows(lines, prose)


def _cells_between_rows(lines: list[Line], prose: Prose) -> set[int]:
    """ids of the chunks of tables whose rows set cells side by side: from a line with chunks at three or more
    edges, two of them no prose, on through lines whose chunks all start at those edges and end before the next,
    when another such line follows and a text stands between cells. A paragraph runs across the edges; a page's
    text columns are prose."""
    cells: set[int] = set()
    edges: list[float] = []
    table: list[Line] = []
    rows = 0
    for line in lines:
        if table and _within(line, edges) and \
                line.y0 - table[-1].y1 < _ROW_GAP * max(line.height, table[-1].height):
            table.append(line)
            rows += _sets_cells(line, prose)
            continue
        if rows >= _MIN_ROWS and _inner_text(table, edges, prose):
            cells |= {id(chunk) for kept in table for chunk in kept.chunks}
        table, rows = ([line], 1) if _sets_cells(line, prose) else ([], 0)
        edges = sorted(chunk.x0 for chunk in line.chunks)
    if rows >= _MIN_ROWS and _inner_text(table, edges, prose):
        cells |= {id(chunk) for kept in table for chunk in kept.chunks}
    return cells


def _sets_cells(line: Line, prose: Prose) -> bool:
    """Chunks at three or more edges, two of them no prose and not a note's or list item's number that starts
    the line (columns of footnotes are prose)."""
    if len(line.chunks) < _SPREAD:
        return False
    plain = [c for i, c in enumerate(line.chunks) if id(c) not in prose.wide and id(c) not in prose.taken
             and not (i == 0 and _MARKER.match(c.text))]
    return len(plain) >= 2


def _inner_text(lines: list[Line], edges: list[float], prose: Prose) -> bool:
    """True when a wide text starts at an inner edge: a text column inside the table (one at its side may be the
    page's text beside it)."""
    return any(id(c) in prose.wide and edges[0] + c.height < c.x0 < edges[-1] - c.height
               for line in lines for c in line.chunks)


def _within(line: Line, edges: list[float]) -> bool:
    """Every chunk lies in one column: it starts at or after an edge and ends before the next (a cell's line may
    be cut at stretched spaces)."""
    for chunk in line.chunks:
        x0, height = chunk.x0, chunk.height
        at = [i for i, x in enumerate(edges) if x - height <= x0]
        if not at or (at[-1] + 1 < len(edges) and chunk.x1 > edges[at[-1] + 1]):
            return False
    return True


def _term_cells(lines: list[Line], prose: Prose) -> set[int]:
    """ids of the chunks of term-definition runs (`_Run`)."""
    cells: set[int] = set()
    run = _Run()
    for line in lines:
        if not run.takes(line, prose):
            if run.lines:  # the run ends (an empty one holds no cells)
                cells |= set() if run.refuted_by(line, prose) else run.cells(prose)
                run = _Run()
            if not _opens_row(line, prose):
                continue
        run.add(line, prose)
    return cells | run.cells(prose)


def _opens_row(line: Line, prose: Prose) -> bool:
    """A text starts on this line beside a short cell."""
    return any(id(text) in prose.wide and _short_cell(cell, prose)
               for a, b in zip(line.chunks, line.chunks[1:]) for cell, text in ((a, b), (b, a)))


def _short_cell(chunk: Chunk, prose: Prose) -> bool:
    """A term or a name: words, not prose nor a paragraph's end, no list marker (figures beside a column of
    text are rather a table beside the page's text)."""
    return id(chunk) not in prose.taken and not _MARKER.match(chunk.text) and any(ch.isalpha() for ch in chunk.text)
