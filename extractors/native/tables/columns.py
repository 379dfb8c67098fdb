"""Columns of an unruled table from where its text lies: vertical whitespace that (almost) every line shares.

A column border is a band no chunk touches, or, between two columns, a band only a few lines cross (their
chunks span several columns, like a header over two sub-columns), or a band no word touches where only numbers
meet (columns of figures set one space apart, as monospaced reports do). A line read as one chunk whose word
spaces open onto those bands (a header with narrow cell gaps) is cut into cells there.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from figtab.extractors.native.tables.lines import Chunk, Line
from figtab.schemas.values import parse_number

_MIN_GAP = 0.5  # points of clear whitespace that separate two columns
_MIN_CUTS = 2  # column gaps a one-chunk line must span, each met by a word space, to be cut into cells
_HEADER_LINES = 3  # a column that only a region's first lines fill may be a group label's
_WIDE_SPACE = 0.4  # a space this many text heights wide is wider than a word space (~0.25)
_BRIDGE_SHARE = 0.1  # lines that may cross a border, as a share of the table's lines (at least one)


@dataclass(frozen=True)
class Placed:
    """A chunk placed in the grid: it covers columns ``first`` to ``last``."""

    chunk: Chunk
    first: int
    last: int


def coverage(lines: list[Line]) -> list[tuple[float, float, int]]:
    """(x0, x1, n) bands across the lines' extent, ``n`` the number of lines with text over the band."""
    chunks = [c for line in lines for c in line.chunks]
    return _bands([c.x0 for c in chunks], [c.x1 for c in chunks])


def _bands(starts: list[float], ends: list[float]) -> list[tuple[float, float, int]]:
    """(x0, x1, n) bands across the extent of spans that start at ``starts`` and end at ``ends``, ``n`` the number
    of spans over the band. Starts and ends are sorted apart (numbers sort faster than pairs) and met left to
    right, an end before a start at the same place."""
    starts, ends = sorted(starts), sorted(ends)
    bands, depth, last = [], 0, None
    i = j = 0
    n_starts, n_ends = len(starts), len(ends)
    while i < n_starts or j < n_ends:
        if j == n_ends or (i < n_starts and starts[i] < ends[j]):
            x, step = starts[i], 1
            i += 1
        else:
            x, step = ends[j], -1
            j += 1
        if last is not None and x > last:
            bands.append((last, x, depth))
        depth, last = depth + step, x
    return bands


def borders(lines: list[Line]) -> list[tuple[float, float]]:
    """The x-bands between columns, left to right."""
    bands = coverage(lines)
    bridge = max(1, int(_BRIDGE_SHARE * len(lines)))
    found = [(x0, x1) for x0, x1, n in bands if n == 0 and x1 - x0 >= _MIN_GAP]
    low = _runs([(x0, x1) for x0, x1, n in bands if n <= bridge], slack=_MIN_GAP)
    left, right = bands[0][0], bands[-1][1]
    for x0, x1 in low:
        interior = x0 > left and x1 < right
        if interior and not any(x0 <= a and b <= x1 for a, b in found):
            found.append((x0, x1))
    found.extend(gap for gap in _number_gaps(lines, bridge) if not any(_overlap(gap, other) > 0 for other in found))
    return _without_label_columns(sorted(found), lines)


def _without_label_columns(gaps: list[tuple[float, float]], lines: list[Line]) -> list[tuple[float, float]]:
    """The gaps with those around a column that only header labels fill joined: a group label centred over a wide
    gap between two sub-columns opens no column of its own (`headers` spans it over the group)."""
    joined: list[tuple[float, float]] = []
    for gap in gaps:
        if joined and _header_only(joined[-1][1], gap[0], lines):
            joined[-1] = (joined[-1][0], gap[1])
        else:
            joined.append(gap)
    return joined


def _header_only(x0: float, x1: float, lines: list[Line]) -> bool:
    """True when text between ``x0`` and ``x1`` lies only on the region's first lines, above lines with more
    cells."""
    def fills(line: Line) -> bool:
        return any(_overlap((c.x0, c.x1), (x0, x1)) > 0 for c in line.chunks)

    if any(map(fills, lines[_HEADER_LINES:])):  # looked at first: most columns have text on later lines
        return False
    filled = [i for i, line in enumerate(lines[:_HEADER_LINES]) if fills(line)]
    return bool(filled) and len(lines) > max(filled) + 2 and all(
        len(lines[i].chunks) < len(lines[max(filled) + 1].chunks) for i in filled)


def cut_at_columns(region: list[Line]) -> list[Line]:
    """One-chunk lines cut into cells where their word spaces meet the columns of the region's other lines: a
    header set with narrow cell gaps reads as one chunk, but a space opens onto every column gap it spans."""
    rows = [line for line in region if len(line.chunks) >= 2]
    gaps = borders(rows) if len(rows) >= 2 else []
    return [_cut(line, gaps) if len(line.chunks) == 1 else line for line in region]


def _cut(line: Line, gaps: list[tuple[float, float]]) -> Line:
    words = line.chunks[0].words
    spanned = [gap for gap in gaps if words[0].x0 < gap[0] and gap[1] < words[-1].x1]
    cuts = [i for i, (a, b) in enumerate(zip(words, words[1:]), start=1)
            if any(min(b.x0, gap[1]) > max(a.x1, gap[0]) for gap in spanned)]
    if len(spanned) < _MIN_CUTS or len(cuts) != len(spanned) or line.text.endswith((".", ":")):
        return line
    return Line([Chunk(words[i:j]) for i, j in zip([0, *cuts], [*cuts, len(words)])])


def aligned(gaps: list[tuple[float, float]], others: list[tuple[float, float]], slack: float = 2.0) -> bool:
    """Every column gap of the table part with fewer gaps meets (within ``slack`` points) a gap of the other."""
    fewer, more = sorted([gaps, others], key=len)
    return all(any(_overlap(gap, other) >= -slack for other in more) for gap in fewer)


def _number_gaps(lines: list[Line], bridge: int) -> list[tuple[float, float]]:
    """Interior bands the words of at most ``bridge`` lines cross, where every pair of words they part is a pair
    of numbers."""
    words = [word for line in lines for chunk in line.chunks for word in chunk.words]
    bands = _bands([word.x0 for word in words], [word.x1 for word in words])
    left, right = bands[0][0], bands[-1][1]
    spaces = [(a.x1, b.x0, a.text, b.text) for line in lines for chunk in line.chunks
              for a, b in zip(chunk.words, chunk.words[1:])]
    return [(x0, x1) for x0, x1 in _runs([(x0, x1) for x0, x1, n in bands if n <= bridge])
            if x1 - x0 >= _MIN_GAP and left < x0 and x1 < right and _parts_numbers(spaces, (x0, x1))]


def _parts_numbers(spaces: list[tuple[float, float, str, str]], gap: tuple[float, float]) -> bool:
    """True when the word spaces (left word's x1, right word's x0, their texts) that hold the gap all part two
    numbers, and there is one."""
    pairs = [(a, b) for end, start, a, b in spaces if end <= gap[0] and gap[1] <= start]
    return bool(pairs) and all(_numbers(a, b) for a, b in pairs)


def _numbers(*texts: str) -> bool:
    return all(parse_number(text) is not None for text in texts)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _runs(bands: list[tuple[float, float]], slack: float = 0.0) -> list[tuple[float, float]]:
    """Bands that touch (or come within ``slack`` points: a sliver where two crossing chunks meet) joined."""
    runs: list[list[float]] = []
    for x0, x1 in bands:
        if runs and x0 <= runs[-1][1] + slack:
            runs[-1][1] = x1
        else:
            runs.append([x0, x1])
    return [(a, b) for a, b in runs]


def place(lines: list[Line], gaps: list[tuple[float, float]]) -> list[list[Placed]]:
    """Each line's chunks with the columns they cover; chunks sharing a first column are joined."""
    edges = [float("-inf")] + [x for gap in gaps for x in gap] + [float("inf")]
    columns = list(zip(edges[::2], edges[1::2]))  # left to right, apart: the gaps between them are disjoint
    ends = [x1 for _, x1 in columns]
    placed = []
    for line in lines:
        row: list[Placed] = []
        for chunk in (part for whole in line.chunks for part in _split(whole, gaps)):
            covered = []
            for i in range(bisect_right(ends, chunk.x0), len(columns)):  # the columns from the chunk's left edge
                x0, x1 = columns[i]
                if x0 >= chunk.x1:
                    break
                if min(x1, chunk.x1) - max(x0, chunk.x0) > _MIN_GAP:
                    covered.append(i)
            if not covered:
                centre = (chunk.x0 + chunk.x1) / 2
                covered = [min(range(len(columns)), key=lambda i: _distance(columns[i], centre))]
            if row and row[-1].last >= covered[0]:
                row[-1] = Placed(Chunk(row[-1].chunk.words + chunk.words), row[-1].first, max(row[-1].last,
                                                                                               covered[-1]))
            else:
                row.append(Placed(chunk, covered[0], covered[-1]))
        placed.append(row)
    return placed


def _split(chunk: Chunk, gaps: list[tuple[float, float]]) -> list[Chunk]:
    """The chunk cut where the space between two numbers in it lies on a column gap, or where a space wider than
    a word space opens onto a column gap and the next word starts past it (two cells of text set closer than a
    cell gap). A chunk nothing cuts is kept as it is, with what was measured of it."""
    parts = [[chunk.words[0]]]
    for prev, word in zip(chunk.words, chunk.words[1:]):
        space = (prev.x1, word.x0)
        if (any(_overlap(space, gap) > 0 for gap in gaps) and _numbers(prev.text, word.text)) or (
                word.x0 - prev.x1 >= _WIDE_SPACE * chunk.height and
                any(_overlap(space, gap) > 0 and word.x0 >= gap[1] - _MIN_GAP for gap in gaps)):
            parts.append([word])
        else:
            parts[-1].append(word)
    return [Chunk(words) for words in parts] if len(parts) > 1 else [chunk]


def _distance(column: tuple[float, float], x: float) -> float:
    return 0.0 if column[0] <= x <= column[1] else min(abs(x - column[0]), abs(x - column[1]))
