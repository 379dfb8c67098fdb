"""Tables continued on the next page, joined into one logical table on the page where it starts.

The last table of a page continues as the first table of the next when the first part ends its page's body text
and the second opens the next page's (see `page_ends`), both have the same columns at the same x-positions, the
second has no caption of its own (or one that says it continues), and its header repeats the first's or is
missing. A repeated header is dropped; ``pages`` records every page the table spans.
"""

from __future__ import annotations

from collections.abc import Callable

from figtab.extractors.native.tables.columns import aligned
from figtab.extractors.native.tables.page_ends import Edges
from figtab.schemas import Figure, Span, Table

EdgesOf = Callable[[Figure], Edges | None]


def stitch_tables(figures: list[Figure], edges_of: EdgesOf) -> list[Figure]:
    """The document's figures with continued tables joined onto their first part (figures in page order).

    ``edges_of`` gives what was learnt of a table's place on its page while the page was open (None: unknown,
    so the table is not joined).
    """
    joined: list[Figure] = []
    tails: list[Figure] = []  # each joined figure's part on its last page
    for figure in figures:
        head = _head(tails, figure)
        if head is not None and _continues(joined[head].table, tails[head], figure, edges_of):
            joined[head] = joined[head].model_copy(update={"table": _joined(joined[head], figure)})
            tails[head] = figure
        else:
            joined.append(figure)
            tails.append(figure)
    return joined


def _head(tails: list[Figure], figure: Figure) -> int | None:
    """Index of the last table on the page before ``figure``'s, when ``figure`` is its page's first table."""
    tables = [i for i, tail in enumerate(tails) if tail.table is not None]
    if figure.table is None or any(tails[i].page == figure.page for i in tables):
        return None
    before = [i for i in tables if tails[i].page == figure.page - 1]
    return before[-1] if before else None


def _continues(a: Table, last_part: Figure, second: Figure, edges_of: EdgesOf) -> bool:
    """True when ``second`` carries on table ``a``, whose part on the page before is ``last_part``."""
    b = second.table
    if a.n_cols != b.n_cols or (b.title and "continu" not in b.title.lower()):
        return False
    if b.header_rows and b.rows[:b.header_rows] != a.rows[:a.header_rows]:
        return False
    end, start = edges_of(last_part), edges_of(second)
    return end is not None and start is not None and end.ends_page and start.starts_page and aligned(
        end.column_gaps, start.column_gaps)


def _joined(head: Figure, tail: Figure) -> Table:
    first, second = head.table, tail.table
    offset = len(first.rows) - second.header_rows
    spans = first.spans + [Span(row=s.row + offset, col=s.col, row_span=s.row_span, col_span=s.col_span)
                           for s in second.spans if s.row >= second.header_rows]
    pages = (first.pages or [head.page]) + [tail.page]
    return Table(rows=first.rows + second.rows[second.header_rows:], title=first.title,
                 header_rows=first.header_rows, spans=spans, pages=pages)
