"""Rows of an unruled table whose cells are centred vertically: each cell's lines stand around its row's middle.

Cells of one row then start on different lines (a one-line label beside the middle of a five-line text), so rows
cannot be read line by line. Two things show it. Lines of different cells stand half a line apart: the column
with the most separate stacks of lines (short labels, blank between rows) gives the rows' middles, and every
other column's lines are cut into consecutive groups, each centred on one row's middle, so that the groups miss
the middles least. Or rows are set apart by cell padding and a row's text starts above its label: each padded
band of lines is a row.
"""

from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from figtab.extractors.native.tables.structure import Row

Grouping = list[list[tuple[int, list[int]]]]  # per row: (first column, indices of the cell's lines)

_HALF_LINE = 0.75  # lines closer than this many text heights (top to top) stand half a line apart
_STACK_GAP = 0.5  # a gap of this many text heights between two lines of a column parts two stacks
_MISS = 0.35  # text heights by which a group's middle may miss its row's on average
PADDING = 0.3  # text heights by which lines set further apart than the usual pitch are parted by cell padding


def centred_rows(lines: list[Row], check_from: int = 0) -> Grouping | None:
    """The lines (one `Row` each, top to bottom) grouped into rows of vertically centred cells, when the lines
    from ``check_from`` on show centring; None otherwise."""
    if _half_line_offsets(lines[check_from:]):
        return _fitted_rows(lines)
    return _padded_rows(lines)


def _padded_rows(lines: list[Row]) -> Grouping | None:
    """Bands of lines parted by padding, one row each, when some band's text starts above its label (in column
    0) and no band holds two lines of values."""
    if len(lines) < 3:
        return None
    height = median(line.height for line in lines)
    pitch = median(b.y0 - a.y0 for a, b in zip(lines, lines[1:]))
    bands = [[0]]
    for i in range(1, len(lines)):
        if lines[i].y0 - lines[i - 1].y0 > pitch + PADDING * height:
            bands.append([])
        bands[-1].append(i)
    above_label = any(0 not in lines[band[0]].cells and any(0 in lines[i].cells for i in band) for band in bands)
    if len(bands) < 2 or not above_label or any(sum(lines[i].has_values for i in band) > 1 for band in bands):
        return None
    return [[(first, [i for i in band if first in lines[i].cells])
             for first in sorted({first for i in band for first in lines[i].cells})] for band in bands]


def _half_line_offsets(rows: list[Row]) -> bool:
    """True when two or more pairs of consecutive lines stand about half a line apart: cells centred vertically."""
    if len(rows) < 3:
        return False
    height = median(row.height for row in rows)
    return sum(0 < b.y0 - a.y0 < _HALF_LINE * height for a, b in zip(rows, rows[1:])) >= 2


def _fitted_rows(lines: list[Row]) -> Grouping | None:
    """Rows of cells centred on the middles of the anchor column's stacks; None when the lines do not stand
    centred on common middles."""
    height = median(line.height for line in lines)
    columns: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        for first in line.cells:
            columns.setdefault(first, []).append(i)
    stacks = {first: _stacks(lines, members, height) for first, members in columns.items()}
    anchor = max(sorted(stacks), key=lambda first: len(stacks[first]))
    middles = [_middle(lines, stack) for stack in stacks[anchor]]
    if len(middles) < 2:
        return None
    rows: Grouping = [[] for _ in middles]
    misses = []
    for first, members in sorted(columns.items()):
        placed = _fit(lines, members, middles, height)
        if placed is None:
            return None
        for row, group, miss in placed:
            rows[row].append((first, group))
            misses.append(miss)
    if sum(misses) > _MISS * height * len(misses):
        return None
    return [row for row in rows if row]


def _stacks(lines: list[Row], members: list[int], height: float) -> list[list[int]]:
    found: list[list[int]] = []
    for i in members:
        if found and lines[i].y0 - lines[found[-1][-1]].y1 <= _STACK_GAP * height:
            found[-1].append(i)
        else:
            found.append([i])
    return found


def _middle(lines: list[Row], group: list[int]) -> float:
    return (lines[group[0]].y0 + lines[group[-1]].y1) / 2


def _fit(lines: list[Row], members: list[int], middles: list[float],
         height: float) -> list[tuple[int, list[int], float]] | None:
    """The column's lines cut into consecutive groups on rows in increasing order, each group's middle as near
    its row's as can be (least total miss); (row, group, miss) per group. A group holds no gap wider than a
    stack's and reaches no other row's middle."""
    n, k = len(members), len(middles)
    inf = float("inf")
    # best[i][r]: least miss of the first i lines with the last group on a row below r; via[i][r] how.
    best = [[inf] * (k + 1) for _ in range(n + 1)]
    via: list[list[tuple[int, int] | None]] = [[None] * (k + 1) for _ in range(n + 1)]
    best[0] = [0.0] * (k + 1)
    for i in range(1, n + 1):
        for j in range(i, 0, -1):  # the group is members[j-1:i]
            if j < i and lines[members[j]].y0 - lines[members[j - 1]].y1 > _STACK_GAP * height:
                break
            top, bottom = lines[members[j - 1]].y0, lines[members[i - 1]].y1
            middle = (top + bottom) / 2
            for r in range(k):
                if (r and top < middles[r - 1]) or (r + 1 < k and bottom > middles[r + 1]):
                    continue  # a cell stays between its neighbours' middles
                cost = best[j - 1][r] + abs(middle - middles[r])
                if cost < best[i][r + 1]:
                    best[i][r + 1], via[i][r + 1] = cost, (j - 1, r)
        for r in range(1, k + 1):  # a row may hold no group of this column
            if best[i][r - 1] < best[i][r]:
                best[i][r], via[i][r] = best[i][r - 1], via[i][r - 1]
    if best[n][k] == inf:
        return None
    placed, i, r = [], n, k
    while i > 0:
        step = via[i][r]
        if step is None:
            return None
        j, row = step
        group = members[j:i]
        placed.append((row, group, abs(_middle(lines, group) - middles[row])))
        i, r = j, row
    return placed[::-1]
