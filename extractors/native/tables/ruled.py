"""Ruled tables: ruling lines that touch form a grid; a cell border that is missing merges two cells (a span)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from figtab.extractors.native.page_content import Segment, Word
from figtab.extractors.native.tables.lines import text_lines
from figtab.extractors.native.tables.structure import Grid, count_header_rows, holds_values
from figtab.extractors.native.unionfind import Groups
from figtab.schemas import BBox, Span

_TOUCH = 2.0  # points between two ruling lines that still meet
_MIN_FILLED = 0.25  # share of cells with text below which a grid is decoration (a chart's gridlines, a frame)


def grids(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of ruling lines that touch each other, with at least two horizontal and two vertical lines."""
    joined = Groups(len(segments))

    across = [i for i, s in enumerate(segments) if s.horizontal]
    down = sorted((i for i, s in enumerate(segments) if not s.horizontal), key=lambda j: segments[j].x0)
    xs = [segments[j].x0 for j in down]  # a vertical line's x0 is its x1: look up those within reach by x
    for i in across:
        a = segments[i]
        for j in down[bisect_left(xs, a.x0 - _TOUCH):bisect_right(xs, a.x1 + _TOUCH)]:
            if _touch(a, segments[j]):
                joined.join(i, j)
    return [g for g in joined.of(segments).values()
            if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


def _touch(a: Segment, b: Segment) -> bool:
    return (a.x0 - _TOUCH <= b.x1 and b.x0 - _TOUCH <= a.x1
            and a.y0 - _TOUCH <= b.y1 and b.y0 - _TOUCH <= a.y1)


def cluster(values: list[float], tolerance: float = _TOUCH) -> list[float]:
    """Sorted representatives of values that lie within ``tolerance`` of their neighbour."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]


def read_grid(grid: list[Segment], words: list[Word]) -> tuple[Grid, BBox] | None:
    """The grid's cells, with merged cells where an inner border is missing; None for a grid of decoration.

    Where rules run past the outermost rules that cross them (rows ruled across the whole table, columns ruled
    only in the header), their ends bound the table too.
    """
    across, down = [s for s in grid if s.horizontal], [s for s in grid if not s.horizontal]
    xs = cluster([s.x0 for s in down] + [min(s.x0 for s in across), max(s.x1 for s in across)])
    ys = cluster([s.y0 for s in across] + [min(s.y0 for s in down), max(s.y1 for s in down)])
    if len(xs) < 3 or len(ys) < 3:
        return None
    box = BBox(x0=xs[0], y0=ys[0], x1=xs[-1], y1=ys[-1])
    inside = [w for w in words if box.x0 <= w.cx <= box.x1 and box.y0 <= w.cy <= box.y1]
    owner = _merged_cells(grid, inside, xs, ys)
    texts: dict[tuple[int, int], list[Word]] = {}
    for word in inside:
        texts.setdefault(owner[(_band(ys, word.cy), _band(xs, word.cx))], []).append(word)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if len(texts) < 2 or len(texts) < _MIN_FILLED * len(set(owner.values())):
        return None
    cells = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for (r, c), cell_words in texts.items():
        cells[r][c] = _reading_order(cell_words)
    spans = []
    for top_left in set(owner.values()):
        covered = [cell for cell, root in owner.items() if root == top_left]
        row_span = max(r for r, _ in covered) - top_left[0] + 1
        col_span = max(c for _, c in covered) - top_left[1] + 1
        if len(covered) > 1:
            spans.append(Span(row=top_left[0], col=top_left[1], row_span=row_span, col_span=col_span))
    first_row = [w for w in inside if _band(ys, w.cy) == 0]
    header_rows = count_header_rows([holds_values(row[1:]) for row in cells],
                                    bool(first_row) and all(w.bold for w in first_row))
    return Grid(cells, sorted(spans, key=lambda s: (s.row, s.col)), header_rows), box


def _band(borders: list[float], value: float) -> int:
    """Index of the band between consecutive ``borders`` that holds ``value``."""
    return max(0, min(len(borders) - 2, sum(border <= value for border in borders) - 1))


def _open_vertical(grid: list[Segment], words: list[Word], x: float, y0: float, y1: float) -> bool:
    """No rule crosses the middle of this border and a word straddles it: the two cells are one."""
    mid = (y0 + y1) / 2
    ruled = any(not s.horizontal and abs(s.x0 - x) <= _TOUCH and s.y0 - _TOUCH <= mid <= s.y1 + _TOUCH for s in grid)
    return not ruled and any(w.x0 < x < w.x1 and y0 <= w.cy <= y1 for w in words)


def _open_horizontal(grid: list[Segment], words: list[Word], y: float, x0: float, x1: float) -> bool:
    mid = (x0 + x1) / 2
    ruled = any(s.horizontal and abs(s.y0 - y) <= _TOUCH and s.x0 - _TOUCH <= mid <= s.x1 + _TOUCH for s in grid)
    return not ruled and any(w.y0 < y < w.y1 and x0 <= w.cx <= x1 for w in words)


def _merged_cells(grid: list[Segment], words: list[Word], xs: list[float],
                  ys: list[float]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell's top-left owner: cells join where no rule separates them and text runs across the border."""
    owner = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if c and _open_vertical(grid, words, xs[c], ys[r], ys[r + 1]) \
                    and _rectangular(owner, owner[(r, c - 1)], r, c):
                owner[(r, c)] = owner[(r, c - 1)]
            elif r and _open_horizontal(grid, words, ys[r], xs[c], xs[c + 1]) \
                    and _rectangular(owner, owner[(r - 1, c)], r, c):
                owner[(r, c)] = owner[(r - 1, c)]
    return owner


def _rectangular(owner: dict, root: tuple[int, int], r: int, c: int) -> bool:
    """True when adding cell (r, c) to the cells owned by ``root`` keeps them a rectangle."""
    cells = [cell for cell, o in owner.items() if o == root] + [(r, c)]
    rows, cols = {x for x, _ in cells}, {y for _, y in cells}
    return len(cells) == len(rows) * len(cols) and max(rows) - min(rows) + 1 == len(rows) \
        and max(cols) - min(cols) + 1 == len(cols)


def _reading_order(words: list[Word]) -> str:
    return " ".join(chunk.text for line in text_lines(words) for chunk in line.chunks)
