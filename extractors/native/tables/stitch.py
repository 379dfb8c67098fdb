"""Tables continued on the next page, joined into one logical table on the page where it starts.

The last table of a page continues as the first table of the next when both have the same columns, the second
has no caption of its own (or one that says it continues), and its header repeats the first's or is missing.
A repeated header is dropped; ``pages`` records every page the table spans.
"""

from __future__ import annotations

from schemas import Figure, Span, Table


def stitch_tables(figures: list[Figure]) -> list[Figure]:
    """The document's figures with continued tables joined onto their first part (figures in page order)."""
    result: list[Figure] = []
    for figure in figures:
        head = _last_table_of_previous_page(result, figure.page)
        if figure.kind == "table" and figure.table is not None and head is not None and _first_on_page(
                result, figure) and _continues(head.table, figure.table):
            result[result.index(head)] = head.model_copy(update={"table": _joined(head, figure)})
        else:
            result.append(figure)
    return result


def _last_table_of_previous_page(done: list[Figure], page: int) -> Figure | None:
    pages = [f for f in done if f.page == page - 1 or (f.table is not None and page - 1 in f.table.pages)]
    last = pages[-1] if pages else None
    return last if last is not None and last.kind == "table" and last.table is not None else None


def _first_on_page(done: list[Figure], figure: Figure) -> bool:
    return not any(f.page == figure.page for f in done)


def _continues(first: Table, second: Table) -> bool:
    if first.n_cols != second.n_cols or (second.title and "continu" not in second.title.lower()):
        return False
    return second.header_rows == 0 or second.rows[:second.header_rows] == first.rows[:first.header_rows]


def _joined(head: Figure, tail: Figure) -> Table:
    first, second = head.table, tail.table
    offset = len(first.rows) - second.header_rows
    spans = first.spans + [Span(row=s.row + offset, col=s.col, row_span=s.row_span, col_span=s.col_span)
                           for s in second.spans if s.row >= second.header_rows]
    pages = (first.pages or [head.page]) + [tail.page]
    return Table(rows=first.rows + second.rows[second.header_rows:], title=first.title,
                 header_rows=first.header_rows, spans=spans, pages=pages)
