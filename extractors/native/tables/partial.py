"""Partly ruled tables: a ruled grid directly over an unruled body with the same columns heads that body.

Reports often rule a table's header (and perhaps its first rows) and leave the body's columns to whitespace.
The grid and the body are read apart; here the body's rows are put under the grid's, and header rows end
where values begin.
"""

from __future__ import annotations

from figtab.extractors.native.tables.structure import Grid, holds_values
from figtab.schemas import BBox, Span

_NEAR = 1.5  # the body starts within this many of the grid's mean row heights below it
_SLACK = 2.0  # points by which the body may stick out of the grid's sides

Titled = tuple[str | None, tuple[Grid, BBox]]


def with_ruled_headers(ruled: list[Titled], unruled: list[Titled]) -> list[Titled]:
    """The tables of the page, each unruled body that a grid heads joined onto that grid."""
    bodies = list(unruled)
    tables = []
    for title, (grid, box) in ruled:
        body = next((b for b in bodies if _heads(grid, box, *b[1])), None)
        if body is not None:
            bodies.remove(body)
            body_title, (body_grid, body_box) = body
            grid, box, title = _stacked(grid, body_grid), _union(box, body_box), title or body_title
        tables.append((title, (grid, box)))
    return tables + bodies


def _heads(grid: Grid, box: BBox, body: Grid, body_box: BBox) -> bool:
    row_height = (box.y1 - box.y0) / len(grid.rows)
    return (len(grid.rows[0]) == len(body.rows[0]) and 0 <= body_box.y0 - box.y1 <= _NEAR * row_height
            and body_box.x0 >= box.x0 - _SLACK and body_box.x1 <= box.x1 + _SLACK)


def _stacked(head: Grid, body: Grid) -> Grid:
    rows = head.rows + body.rows
    spans = head.spans + [Span(row=s.row + len(head.rows), col=s.col, row_span=s.row_span, col_span=s.col_span)
                          for s in body.spans]
    header_rows = next(i for i, row in enumerate(rows + [["", "1"]]) if holds_values(row[1:]))
    return Grid(rows, spans, min(header_rows, len(rows)))


def _union(a: BBox, b: BBox) -> BBox:
    return BBox(x0=min(a.x0, b.x0), y0=min(a.y0, b.y0), x1=max(a.x1, b.x1), y1=max(a.y1, b.y1))
