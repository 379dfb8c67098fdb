"""A stored table as an HTML ``<table>``: header rows as ``<th>``, merged cells as rowspan/colspan from ``spans``,
numbers right-aligned as in the source."""

from __future__ import annotations

from figtab.flows.report.markup import esc, tag
from figtab.schemas import Span, Table
from figtab.schemas.values import parse_number


def table_html(table: Table) -> str:
    """``table`` as ``<table class="data">``; the cells a span covers are left out, as HTML expects."""
    anchors = _anchors(table)
    hidden = {(r, c) for span in anchors.values() for r, c in _covered(span)}
    rows = []
    for r, row in enumerate(table.rows):
        header = r < table.header_rows
        cells = []
        for c, text in enumerate(row):
            if (r, c) in hidden:
                continue
            span = anchors.get((r, c))
            numeric = not header and parse_number(text) is not None
            cells.append(tag("th" if header else "td", esc(text), scope="col" if header else None,
                             class_="num" if numeric else None,
                             rowspan=span.row_span if span and span.row_span > 1 else None,
                             colspan=span.col_span if span and span.col_span > 1 else None))
        rows.append(tag("tr", *cells, class_="header" if header else None))
    caption = tag("caption", esc(table.title)) if table.title else ""
    return tag("table", caption, tag("tbody", *rows), class_="data")


def count_cells(table: Table) -> int:
    """How many ``<th>``/``<td>`` elements `table_html` writes: every grid cell but those a merge hides."""
    anchors = _anchors(table)
    hidden = {cell for span in anchors.values() for cell in _covered(span)}
    return sum(len(row) for row in table.rows) - len(hidden)


def _anchors(table: Table) -> dict[tuple[int, int], Span]:
    """Merges by their top-left cell; a merge whose anchor another merge already hides is dropped (overlapping
    spans cannot both be drawn), as is a 1 x 1 "merge"."""
    anchors: dict[tuple[int, int], Span] = {}
    hidden: set[tuple[int, int]] = set()
    for span in sorted(table.spans, key=lambda s: (s.row, s.col)):
        key = (span.row, span.col)
        if key in hidden or key in anchors or (span.row_span, span.col_span) == (1, 1):
            continue
        covered = set(_covered(span))
        if covered & (hidden | set(anchors)):
            continue
        anchors[key] = span
        hidden |= covered
    return anchors


def _covered(span: Span) -> list[tuple[int, int]]:
    """The cells ``span`` hides: all it covers except its top-left one."""
    return [(r, c) for r in range(span.row, span.row + span.row_span)
            for c in range(span.col, span.col + span.col_span) if (r, c) != (span.row, span.col)]
