"""Ruled tables: ruling lines that touch form a grid; a cell border that is missing merges two cells (a span)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from figtab.extractors.native.page_content import Segment, Word
from figtab.extractors.native.tables.lines import word_rows
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
    reach = [(j, segments[j].x0 - _TOUCH, segments[j].x1, segments[j].y0 - _TOUCH, segments[j].y1) for j in down]
    for i in across:
        a = segments[i]
        left, top = a.x0 - _TOUCH, a.y0 - _TOUCH
        for j, b_left, b_x1, b_top, b_y1 in reach[bisect_left(xs, left):bisect_right(xs, a.x1 + _TOUCH)]:
            if left <= b_x1 and b_left <= a.x1 and top <= b_y1 and b_top <= a.y1:  # they touch
                joined.join(i, j)
    return [g for g in joined.of(segments).values()
            if sum(s.horizontal for s in g) >= 2 and sum(not s.horizontal for s in g) >= 2]


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
    owner, members = _merged_cells(across, down, inside, xs, ys)
    texts: dict[tuple[int, int], list[Word]] = {}
    for word in inside:
        texts.setdefault(owner[(_band(ys, word.cy), _band(xs, word.cx))], []).append(word)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if len(texts) < 2 or len(texts) < _MIN_FILLED * len(members):
        return None
    cells = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for (r, c), cell_words in texts.items():
        cells[r][c] = _reading_order(cell_words)
    spans = []
    for top_left, covered in members.items():
        row_span = max(r for r, _ in covered) - top_left[0] + 1
        col_span = max(c for _, c in covered) - top_left[1] + 1
        if len(covered) > 1:
            spans.append(Span(row=top_left[0], col=top_left[1], row_span=row_span, col_span=col_span))
    first_row = [w for w in inside if _band(ys, w.cy) == 0]
    header_rows = count_header_rows([holds_values(row[1:]) for row in cells],
                                    bool(first_row) and all(w.bold for w in first_row))
    return Grid(cells, sorted(spans, key=lambda s: (s.row, s.col)), header_rows), box


def _band(borders: list[float], value: float) -> int:
    """Index of the band between consecutive (sorted) ``borders`` that holds ``value``."""
    return max(0, min(len(borders) - 2, bisect_right(borders, value) - 1))


Cell = tuple[int, int]


def _merged_cells(across: list[Segment], down: list[Segment], words: list[Word], xs: list[float],
                  ys: list[float]) -> tuple[dict[Cell, Cell], dict[Cell, list[Cell]]]:
    """Each cell's top-left owner, and each owner's cells: cells join where no rule separates them and text runs
    across the border. The rules and words along each border are gathered once, not per cell."""
    rules_x = [[s for s in down if abs(s.x0 - x) <= _TOUCH] for x in xs]
    words_x = [[w for w in words if w.x0 < x < w.x1] for x in xs]
    rules_y = [[s for s in across if abs(s.y0 - y) <= _TOUCH] for y in ys]
    words_y = [[w for w in words if w.y0 < y < w.y1] for y in ys]
    owner = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}
    members = {cell: [cell] for cell in owner}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if c and _open_vertical(rules_x[c], words_x[c], ys[r], ys[r + 1]) \
                    and _rectangular(members[owner[(r, c - 1)]], r, c):
                root = owner[(r, c - 1)]
            elif r and _open_horizontal(rules_y[r], words_y[r], xs[c], xs[c + 1]) \
                    and _rectangular(members[owner[(r - 1, c)]], r, c):
                root = owner[(r - 1, c)]
            else:
                continue
            owner[(r, c)] = root
            members[root].append((r, c))
            del members[(r, c)]
    return owner, members


def _open_vertical(rules: list[Segment], straddling: list[Word], y0: float, y1: float) -> bool:
    """No rule (of those along this border) crosses the middle of this border and a word straddles it: the two
    cells are one."""
    mid = (y0 + y1) / 2
    ruled = any(s.y0 - _TOUCH <= mid <= s.y1 + _TOUCH for s in rules)
    return not ruled and any(y0 <= w.cy <= y1 for w in straddling)


def _open_horizontal(rules: list[Segment], straddling: list[Word], x0: float, x1: float) -> bool:
    mid = (x0 + x1) / 2
    ruled = any(s.x0 - _TOUCH <= mid <= s.x1 + _TOUCH for s in rules)
    return not ruled and any(x0 <= w.cx <= x1 for w in straddling)


def _rectangular(cells: list[Cell], r: int, c: int) -> bool:
    """True when adding cell (r, c) to ``cells`` (those of one owner) keeps them a rectangle."""
    cells = [*cells, (r, c)]
    rows, cols = {x for x, _ in cells}, {y for _, y in cells}
    return len(cells) == len(rows) * len(cols) and max(rows) - min(rows) + 1 == len(rows) \
        and max(cols) - min(cols) + 1 == len(cols)


def _reading_order(words: list[Word]) -> str:
    """A cell's words line by line, left to right (its text lines joined, with no need to cut them in chunks)."""
    return " ".join(word.text for row in word_rows(words) for word in row)
