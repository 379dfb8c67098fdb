"""Ruled tables: ruling lines that touch form a grid; a cell border that is missing merges two cells (a span)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

from figtab.extractors.native.page_content import Segment, Word
from figtab.extractors.native.tables.lines import word_rows
from figtab.extractors.native.tables.structure import Grid, count_header_rows, holds_values
from figtab.extractors.native.unionfind import Groups
from figtab.schemas import BBox, Span

_TOUCH = 2.0  # points between two ruling lines that still meet
_MIN_FILLED = 0.25  # share of cells with text below which a grid is decoration (a chart's gridlines, a frame)


def grids(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of ruling lines that touch each other, with at least two horizontal and two vertical lines.

    Horizontal lines are met top to bottom while the vertical lines they may reach are kept open, sorted by x: a
    vertical line opens once a horizontal one comes within reach of its top and is dropped once one passes its
    bottom, so each horizontal line is compared only with open lines within its reach along x (a page of boxes
    drawn stroke by stroke has thousands of short lines).
    """
    joined = Groups(len(segments))
    across, down = [], []  # indexes by top edge (ties in input order)
    for _, i in sorted((s.y0, i) for i, s in enumerate(segments)):
        (across if segments[i].horizontal else down).append(i)
    opened: list[tuple[float, int]] = []  # (x, index) of the open vertical lines; a vertical line's x0 is its x1
    next_down = 0
    for i in across:
        a = segments[i]
        while next_down < len(down) and segments[down[next_down]].y0 - _TOUCH <= a.y1:
            j = down[next_down]
            insort(opened, (segments[j].x0, j))
            next_down += 1
        left, top = a.x0 - _TOUCH, a.y0 - _TOUCH
        start, end = bisect_left(opened, (left, -1)), bisect_right(opened, (a.x1 + _TOUCH, len(segments)))
        passed = []
        for x, j in opened[start:end]:
            b = segments[j]
            if b.y1 < top:  # every later horizontal line lies lower still
                passed.append((x, j))
            elif x - _TOUCH <= a.x1 and b.y0 - _TOUCH <= a.y1:  # within reach of x and y: they touch
                joined.join(i, j)
        for item in passed:
            del opened[bisect_left(opened, item)]
    return [g for g in joined.of(segments).values() if 2 <= sum(s.horizontal for s in g) <= len(g) - 2]


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
    x0, y0, x1, y1 = xs[0], ys[0], xs[-1], ys[-1]
    inside = [w for w in words if x0 <= w.cx <= x1 and y0 <= w.cy <= y1]
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
    return Grid(cells, sorted(spans, key=lambda s: (s.row, s.col)), header_rows), BBox(x0=x0, y0=y0, x1=x1, y1=y1)


def _band(borders: list[float], value: float) -> int:
    """Index of the band between consecutive (sorted) ``borders`` that holds ``value``."""
    return max(0, min(len(borders) - 2, bisect_right(borders, value) - 1))


Cell = tuple[int, int]


def _merged_cells(across: list[Segment], down: list[Segment], words: list[Word], xs: list[float],
                  ys: list[float]) -> tuple[dict[Cell, Cell], dict[Cell, list[Cell]]]:
    """Each cell's top-left owner, and each owner's cells: cells join where no rule separates them and text runs
    across the border. The words and rules along each border are gathered once, not per cell; rules only along
    borders that words cross (elsewhere the cells stay apart)."""
    words_x = _straddling(words, [(w.x0, w.x1) for w in words], xs)
    rules_x = [[s for s in down if abs(s.x0 - x) <= _TOUCH] if straddling else [] for x, straddling in zip(xs, words_x)]
    words_y = _straddling(words, [(w.y0, w.y1) for w in words], ys)
    rules_y = [[s for s in across if abs(s.y0 - y) <= _TOUCH] if straddling else []
               for y, straddling in zip(ys, words_y)]
    owner = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}
    members = {cell: [cell] for cell in owner}
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if c and words_x[c] and _open_vertical(rules_x[c], words_x[c], ys[r], ys[r + 1]) \
                    and _rectangular(members[owner[(r, c - 1)]], r, c):
                root = owner[(r, c - 1)]
            elif r and words_y[r] and _open_horizontal(rules_y[r], words_y[r], xs[c], xs[c + 1]) \
                    and _rectangular(members[owner[(r - 1, c)]], r, c):
                root = owner[(r - 1, c)]
            else:
                continue
            owner[(r, c)] = root
            members[root].append((r, c))
            del members[(r, c)]
    return owner, members


def _straddling(words: list[Word], spans: list[tuple[float, float]], borders: list[float]) -> list[list[Word]]:
    """Per border (sorted), the words whose span (``spans``, one per word) holds it strictly inside, in word order:
    each word is filed under the borders it spans, found by bisection, not every border checked with every word."""
    found: list[list[Word]] = [[] for _ in borders]
    for word, (start, end) in zip(words, spans):
        for k in range(bisect_right(borders, start), bisect_left(borders, end)):
            found[k].append(word)
    return found


def _open_vertical(rules: list[Segment], straddling: list[Word], y0: float, y1: float) -> bool:
    """A word straddles this border and no rule (of those along it) crosses its middle: the two cells are one.
    Words are looked at first: most borders have none."""
    mid = (y0 + y1) / 2
    return any(y0 <= w.cy <= y1 for w in straddling) and not any(s.y0 - _TOUCH <= mid <= s.y1 + _TOUCH for s in rules)


def _open_horizontal(rules: list[Segment], straddling: list[Word], x0: float, x1: float) -> bool:
    mid = (x0 + x1) / 2
    return any(x0 <= w.cx <= x1 for w in straddling) and not any(s.x0 - _TOUCH <= mid <= s.x1 + _TOUCH for s in rules)


def _rectangular(cells: list[Cell], r: int, c: int) -> bool:
    """True when adding cell (r, c) to ``cells`` (those of one owner) keeps them a rectangle."""
    cells = [*cells, (r, c)]
    rows, cols = {x for x, _ in cells}, {y for _, y in cells}
    return len(cells) == len(rows) * len(cols) and max(rows) - min(rows) + 1 == len(rows) \
        and max(cols) - min(cols) + 1 == len(cols)


def _reading_order(words: list[Word]) -> str:
    """A cell's words line by line, left to right (its text lines joined, with no need to cut them in chunks)."""
    return " ".join(word.text for row in word_rows(words) for word in row)
