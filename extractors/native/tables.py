"""Tables from a born-digital page's geometry: ruled grids from ruling lines, unruled ones from aligned text.

Ruled: ruling lines that touch form a grid; its distinct x and y positions are the column and row borders.
Unruled: lines of text that break into two or more wide-gapped segments, stacked closely, whose segments
fall into shared column bands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extractors.native.page_content import PageContent, Segment, Word
from schemas import BBox, Table

_TOUCH = 2.0  # points between two ruling lines that still meet
_MIN_GAP_EM = 0.9  # a gap wider than this many line heights separates two cells
_NUMBER = re.compile(r"^[\s(+\-–$€£¥]*\d[\d,.\s]*%?\)?\*?$")


@dataclass
class FoundTable:
    table: Table
    bbox: BBox


def find_tables(content: PageContent) -> list[FoundTable]:
    """Every table on the page, ruled ones first, then unruled ones in the text left over, top to bottom."""
    ruled = [t for grid in _grids(content.segments) if (t := _read_grid(content, grid))]
    taken = [found.bbox for found in ruled]
    free_words = [w for w in content.words if not any(_contains(box, w) for box in taken)]
    unruled = [t for block in _aligned_blocks(free_words) if (t := _read_block(block))]
    return sorted(ruled + unruled, key=lambda found: (found.bbox.y0, found.bbox.x0))


def _contains(box: BBox, word: Word) -> bool:
    return box.x0 <= word.cx <= box.x1 and box.y0 <= word.cy <= box.y1


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted representatives of values that lie within ``tolerance`` of their neighbour."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]


def _touch(a: Segment, b: Segment) -> bool:
    return (a.x0 - _TOUCH <= b.x1 and b.x0 - _TOUCH <= a.x1
            and a.y0 - _TOUCH <= b.y1 and b.y0 - _TOUCH <= a.y1)


def _grids(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of ruling lines that touch each other, with at least two horizontal and two vertical lines."""
    parent = list(range(len(segments)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if a.horizontal != segments[j].horizontal and _touch(a, segments[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[Segment]] = {}
    for i, segment in enumerate(segments):
        groups.setdefault(root(i), []).append(segment)
    return [g for g in groups.values()
            if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


def _read_grid(content: PageContent, grid: list[Segment]) -> FoundTable | None:
    xs = _cluster([s.x0 for s in grid if not s.horizontal], _TOUCH)
    ys = _cluster([s.y0 for s in grid if s.horizontal], _TOUCH)
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells = [["" for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
    box = BBox(x0=xs[0], y0=ys[0], x1=xs[-1], y1=ys[-1])
    for word in content.words_in(box):
        row = _band(ys, word.cy)
        col = _band(xs, word.cx)
        cells[row][col] = f"{cells[row][col]} {word.text}".strip()
    return _found(cells, box, bold_first_row=None)


def _band(borders: list[float], value: float) -> int:
    """Index of the band between consecutive ``borders`` that holds ``value``."""
    return max(0, min(len(borders) - 2, sum(border <= value for border in borders) - 1))


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into text lines (by vertical overlap), each sorted left to right, lines top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.x0)):
        if lines and abs(word.cy - lines[-1][0].cy) <= 0.4 * max(word.height, lines[-1][0].height):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _segments_of(line: list[Word]) -> list[list[Word]]:
    """A line split where the gap between words is wider than a cell gap."""
    height = median(w.height for w in line)
    parts = [[line[0]]]
    for prev, word in zip(line, line[1:]):
        if word.x0 - prev.x1 > _MIN_GAP_EM * height:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _aligned_blocks(words: list[Word]) -> list[list[list[list[Word]]]]:
    """Runs of at least two consecutive, closely stacked lines that each break into two or more segments."""
    blocks, current, last_line = [], [], None
    for line in _lines(words):
        parts = _segments_of(line)
        close = last_line is not None and line[0].cy - last_line[0].cy <= 2.5 * line[0].height
        if len(parts) >= 2 and (not current or close):
            current.append(parts)
        else:
            if len(current) >= 2:
                blocks.append(current)
            current = [parts] if len(parts) >= 2 else []
        last_line = line
    if len(current) >= 2:
        blocks.append(current)
    return blocks


def _read_block(block: list[list[list[Word]]]) -> FoundTable | None:
    spans = [(part[0].x0, part[-1].x1) for line in block for part in line]
    columns: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 2:
        return None
    cells = []
    for line in block:
        row = ["" for _ in columns]
        for part in line:
            col = next(i for i, (x0, x1) in enumerate(columns) if x0 <= part[0].x0 <= x1)
            row[col] = f"{row[col]} {' '.join(w.text for w in part)}".strip()
        cells.append(row)
    words = [w for line in block for part in line for w in part]
    box = BBox(x0=min(w.x0 for w in words), y0=min(w.y0 for w in words),
               x1=max(w.x1 for w in words), y1=max(w.y1 for w in words))
    return _found(cells, box, bold_first_row=all(w.bold for part in block[0] for w in part))


def _found(cells: list[list[str]], box: BBox, bold_first_row: bool | None) -> FoundTable | None:
    if not any(cell for row in cells for cell in row):
        return None
    return FoundTable(Table(rows=cells, header_rows=_header_rows(cells, bold_first_row)), box)


def _header_rows(cells: list[list[str]], bold_first_row: bool | None) -> int:
    """1 when the first row is bold, or holds no numbers while a later row does; else 0."""
    if len(cells) < 2:
        return 0
    if bold_first_row:
        return 1
    numeric = lambda row: any(_NUMBER.match(cell) for cell in row if cell)
    return int(not numeric(cells[0]) and any(numeric(row) for row in cells[1:]))
