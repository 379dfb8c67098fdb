"""Rows of an unruled table from its placed lines: header lines stacked into header rows, wrapped cells joined.

A line without values continues the row above when its cells all start in lower case, or when each carries on
the text of that row's cell in its column, right under that cell's last line: it starts in lower case or its
first word would not have fitted on the line above within the width the column's text wraps at (in a table of
values, a label alone joins only in lower case: it may open a group of rows). Beside a new first-column label, a
cell that starts a sentence after one that ended opens a row. A label line with no values, directly over a row
whose label starts in lower case, begins that row; other lines are rows. A line set further below the one above
than the lines of a wrapped cell are (cell padding) starts a row. Cells centred vertically are grouped into rows
by `centred`. Header labels over groups of sub-columns span them (`headers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from figtab.extractors.native.tables.centred import PADDING, centred_rows
from figtab.extractors.native.tables.columns import Placed
from figtab.extractors.native.tables.headers import spread_over_groups
from figtab.extractors.native.tables.lines import Chunk, Line
from figtab.schemas import Span
from figtab.schemas.values import parse_number

_TIGHT = 1.0  # lines closer than this many line heights may belong to one row
_MAX_HEADER_LINES = 6
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_SPACE = 0.25  # a word space, in text heights, where a line of one word shows none
_FIT_SLACK = 1.0  # points by which a line may pass its column's widest line and still fit
_NEAR_FULL = 3.0  # text heights short of a column's widest line that a line of wrapped text may end


@dataclass
class Row:
    """Cells by first column: (last column, text); ``y0``/``y1`` bound the row's lines; ``lasts`` by first column:
    the cell's latest line, what tells whether it wrapped (measured only when asked: most cells never are)."""

    cells: dict[int, tuple[int, str]] = field(default_factory=dict)
    y0: float = 0.0
    y1: float = 0.0
    height: float = 0.0
    lasts: dict[int, Chunk] = field(default_factory=dict)

    @classmethod
    def of(cls, line: Line, placed: list[Placed]) -> Row:
        return cls({p.first: (p.last, p.chunk.text) for p in placed}, line.y0, line.y1, line.height,
                   {p.first: p.chunk for p in placed})

    def absorb(self, other: Row) -> None:
        """Join ``other``'s texts below this row's, column by column."""
        for first, (last, text) in other.cells.items():
            old_last, old_text = self.cells.get(first, (last, ""))
            self.cells[first] = (max(old_last, last), f"{old_text} {text}".strip())
        self.y0, self.y1 = min(self.y0, other.y0), max(self.y1, other.y1)
        self.lasts.update(other.lasts)

    @property
    def spanning(self) -> bool:
        return any(last > first for first, (last, _) in self.cells.items())

    @property
    def has_values(self) -> bool:
        return holds_values(text for first, (_, text) in self.cells.items() if first > 0)

    @property
    def label_only(self) -> bool:
        return list(self.cells) == [0] and not self.has_values

    @property
    def continues(self) -> bool:
        return all(text[:1].islower() for _, text in self.cells.values())


def holds_values(texts: Iterable[str]) -> bool:
    """True when a row's cells beyond its label hold a number that is not a year (a data row, not a header)."""
    return any(parse_number(text) is not None and not _YEAR.match(text) for text in texts)


@dataclass
class Grid:
    """Cell texts (covered cells empty), merged cells and the number of header rows."""

    rows: list[list[str]]
    spans: list[Span]
    header_rows: int


def count_header_rows(values: list[bool], first_row_bold: bool) -> int:
    """Rows above the first row of values (``values[i]``: row i holds a number), if few enough to be a header;
    else 1 when the first row is set in bold."""
    first_data = next((i for i, has_values in enumerate(values) if has_values), None)
    if first_data is not None and first_data <= _MAX_HEADER_LINES:
        return first_data
    return int(first_row_bold and len(values) > 1)


def build_grid(lines: list[Line], placed: list[list[Placed]], n_cols: int) -> Grid:
    """The table's rows: header lines merged per column, then body lines joined where cells wrap."""
    rows = [Row.of(line, cells) for line, cells in zip(lines, placed)]
    n_header = count_header_rows([row.has_values for row in rows],
                                 bool(lines[0].chunks and all(c.bold for c in lines[0].chunks)))
    n_header = _above_centred_values(rows, n_header)
    header = spread_over_groups(placed, n_header)[:n_header]
    rows[:n_header] = [Row.of(line, cells) for line, cells in zip(lines, header)]
    while n_header > 1 and rows[n_header - 1].label_only:
        n_header -= 1  # a group label ("Women", "Sex") between the header and the first values opens the body
    header = _stack_header(rows[:n_header])
    body = _centred(rows[n_header:]) or _join_wrapped(rows[n_header:])
    return _grid(header + body, len(header), n_cols)


def _tight(above: Row, below: Row) -> bool:
    return below.y0 - above.y1 <= _TIGHT * max(above.height, below.height)


def _stack_header(rows: list[Row]) -> list[Row]:
    """Consecutive header lines without spanning cells become one row; a spanning line stays a row."""
    stacked: list[Row] = []
    for row in rows:
        if stacked and not row.spanning and not stacked[-1].spanning and _tight(stacked[-1], row):
            stacked[-1].absorb(row)
        else:
            stacked.append(row)
    return stacked


def _above_centred_values(rows: list[Row], n_header: int) -> int:
    """The header's lines when the body's cells are centred vertically: those above the row that holds the first
    values (its other cells' lines start higher up than the values); ``n_header`` otherwise."""
    grouping = centred_rows(rows, n_header) if n_header else None
    first = next((row for row in grouping or [] if any(n_header in group for _, group in row)), None)
    top = min(group[0] for _, group in first) if first else 0
    return top if 0 < top < n_header else n_header


def _centred(rows: list[Row]) -> list[Row] | None:
    """Rows of cells centred vertically (`centred`), when the lines stand so from the first row of values on (the
    whole body when it has none; header lines centred over one another do not count); None otherwise."""
    first_values = next((i for i, row in enumerate(rows) if row.has_values), 0)
    grouping = centred_rows(rows, first_values)
    if grouping is None:
        return None
    joined = []
    for cells in grouping:
        parts = [Row({first: rows[i].cells[first]}, rows[i].y0, rows[i].y1, rows[i].height,
                     {first: rows[i].lasts[first]}) for first, group in cells for i in group]
        for part in parts[1:]:
            parts[0].absorb(part)
        joined.append(parts[0])
    return joined


def _join_wrapped(rows: list[Row]) -> list[Row]:
    """Join lines that continue the row above, and label lines that begin the row below."""
    widths, of_values = _wrap_widths(rows), any(row.has_values for row in rows)
    pitch = _wrap_pitch(rows)
    joined: list[Row] = []
    for previous, row in zip([None, *rows], rows):
        above = joined[-1] if joined else None
        padded = previous is not None and row.y0 - previous.y0 > pitch + PADDING * row.height
        if above is not None and _tight(above, row) and not padded and (
                (not row.has_values and _carries_on(above, row, widths, of_values)) or (
                above.label_only and row.has_values and row.cells.get(0, (0, "x"))[1][:1].islower())):
            above.absorb(row)
        else:
            joined.append(row)
    return joined


def _wrap_pitch(rows: list[Row]) -> float:
    """The line pitch (points, top to top) inside wrapped cells, from lines that go on in lower case; infinite
    when none does. Rows set apart by cell padding stand further apart than that."""
    pitches = [b.y0 - a.y0 for a, b in zip(rows, rows[1:]) if b.continues and _tight(a, b)]
    return median(pitches) if pitches else float("inf")


def _wrap_widths(rows: list[Row]) -> dict[int, float]:
    """Per column of wrapped text, the width its lines wrap at (points): that of its widest line, where at least
    two lines come within a few words of it (a column of short labels has no such width)."""
    lines: dict[int, list[float]] = {}
    for row in rows:
        for first, (last, _) in row.cells.items():
            if last == first:
                lines.setdefault(first, []).append(row.lasts[first].x1 - row.lasts[first].x0)
    near = _NEAR_FULL * median(row.height for row in rows) if rows else 0.0
    return {column: max(widths) for column, widths in lines.items()
            if sum(width >= max(widths) - near for width in widths) >= 2}


def _carries_on(above: Row, line: Row, widths: dict[int, float], of_values: bool) -> bool:
    """True when the cells of ``line`` all start in lower case, or each carries on the wrapped text of
    ``above``'s cell in its column. In a table of values a label alone may open a group of rows (``Sex``,
    ``Male``): only lower case joins it."""
    if line.continues or (line.label_only and of_values):
        return line.continues
    if 0 in line.cells and any(_new_sentence(above, line, first) for first in line.cells if first > 0):
        return False
    wrapped = [_wrapped(above, line, first, widths) for first in line.cells]
    return True in wrapped and False not in wrapped


def _new_sentence(above: Row, line: Row, first: int) -> bool:
    """True when ``line``'s cell in column ``first`` starts a sentence after ``above``'s ended one: beside a label
    in the first column, that is a new row (a one-line definition that fills its column, then the next term)."""
    return first in above.cells and above.cells[first][1].endswith((".", "!", "?")) and \
        line.cells[first][1][:1].isupper()


def _wrapped(above: Row, line: Row, first: int, widths: dict[int, float]) -> bool | None:
    """Whether ``line``'s cell in column ``first`` is the wrapped rest of ``above``'s: its first word would not
    have fitted on the line above, or it starts in lower case (None: the column's width is not known). Wrapped
    text goes on right under its line: a cell whose text ended lines before (a term beside a long definition) is
    not carried on. Typesetters that balance ragged lines break early, so lower case alone also tells."""
    if first not in above.cells or line.y0 - above.lasts[first].y1 > _TIGHT * line.height:
        return False
    if line.cells[first][1][:1].islower():
        return True
    if line.cells[first][0] > first or above.cells[first][0] > first or first not in widths:
        return None
    last_line, word = above.lasts[first], line.lasts[first].words[0]
    spaces = [b.x0 - a.x1 for a, b in zip(last_line.words, last_line.words[1:])]
    space = median(spaces) if spaces else _SPACE * line.height  # a line of one word shows none
    return last_line.x1 - last_line.x0 + space + (word.x1 - word.x0) > widths[first] + _FIT_SLACK


def _grid(rows: list[Row], header_rows: int, n_cols: int) -> Grid:
    cells = [["" for _ in range(n_cols)] for _ in rows]
    spans = []
    for r, row in enumerate(rows):
        for first, (last, text) in row.cells.items():
            cells[r][first] = text
            if last > first:
                spans.append(Span(row=r, col=first, col_span=last - first + 1))
    return Grid(cells, spans, header_rows)
