"""Tables continued on the next page, joined into one logical table on the page where it starts.

The last table of a page continues as the first table of the next when the first part ends its page's body text
and the second opens the next page's (see `page_ends`), both have the same columns at the same x-positions, the
second has no caption of its own (or one that says it continues), and its header repeats the first's or is
missing. A repeated header is dropped; ``pages`` records every page the table spans.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from functools import cache

from extractors.native.page_content import PageContent
from extractors.native.tables.columns import aligned
from extractors.native.tables.page_ends import TableOnPage, locate
from schemas import FigtabError, Figure, Span, Table
from tiling import OpenedDocument, open_document

Locate = Callable[[Figure], TableOnPage | None]


def stitch_tables(figures: list[Figure]) -> list[Figure]:
    """The document's figures with continued tables joined onto their first part (figures in page order)."""
    joined: list[Figure] = []
    tails: list[Figure] = []  # each joined figure's part on its last page
    with ExitStack() as stack:
        where = _locator(stack)
        for figure in figures:
            head = _head(tails, figure)
            if head is not None and _continues(joined[head].table, tails[head], figure, where):
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


def _continues(a: Table, last_part: Figure, second: Figure, where: Locate) -> bool:
    """True when ``second`` carries on table ``a``, whose part on the page before is ``last_part``."""
    b = second.table
    if a.n_cols != b.n_cols or (b.title and "continu" not in b.title.lower()):
        return False
    if b.header_rows and b.rows[:b.header_rows] != a.rows[:a.header_rows]:
        return False
    end, start = where(last_part), where(second)
    return end is not None and start is not None and end.ends_page and start.starts_page and aligned(
        end.column_gaps(), start.column_gaps())


def _locator(stack: ExitStack) -> Locate:
    """Finds a figure's table on its page, opening each document once (closed with ``stack``)."""
    opened: dict[str, OpenedDocument] = {}

    @cache
    def content(file: str, page: int) -> PageContent | None:
        try:
            if file not in opened:
                opened[file] = stack.enter_context(open_document(file))
            return PageContent(opened[file].load(page).pdf_page)
        except FigtabError:
            return None

    def where(figure: Figure) -> TableOnPage | None:
        page = content(figure.file, figure.page)
        return locate(page, figure.bbox) if page is not None and figure.bbox is not None else None

    return where


def _joined(head: Figure, tail: Figure) -> Table:
    first, second = head.table, tail.table
    offset = len(first.rows) - second.header_rows
    spans = first.spans + [Span(row=s.row + offset, col=s.col, row_span=s.row_span, col_span=s.col_span)
                           for s in second.spans if s.row >= second.header_rows]
    pages = (first.pages or [head.page]) + [tail.page]
    return Table(rows=first.rows + second.rows[second.header_rows:], title=first.title,
                 header_rows=first.header_rows, spans=spans, pages=pages)
