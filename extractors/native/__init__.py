"""The `native` backend: tables (and charts) read from a born-digital PDF page's own text and vector geometry."""

from __future__ import annotations

from collections import Counter

from figtab.extractors.base import Extractor, build_figure
from figtab.extractors.native.charts import FoundChart, find_charts
from figtab.extractors.native.gates import could_hold_chart
from figtab.extractors.native.page_content import PageContent
from figtab.extractors.native.tables import Edges, FoundTable, edges, find_tables, stitch_tables
from figtab.schemas import Figure
from figtab.tiling import SourcePage

EdgeKey = tuple[str, int, int]  # (doc_id, page, index of the figure among the page's figures)


class NativeExtractor(Extractor):
    """Reads PDF pages with a text layer; exact text, no model, CPU only. Image pages yield nothing."""

    name = "native"

    def __init__(self) -> None:
        self._edges: dict[EdgeKey, Edges] = {}  # filled by `extract`, used and cleared by `finish_document`

    def extract(self, page: SourcePage) -> list[Figure]:
        """The page's tables (top to bottom) then its charts. The first and last table's `Edges` are kept aside
        for `finish_document`, so joining tables across pages never opens a page again."""
        if page.document.format != "pdf":
            return []
        content = PageContent(page.pdf_page, page.text_layer)
        tables = find_tables(content)
        charts = find_charts(content) if could_hold_chart(content) else []  # a cheap exit for pages of rules
        tables, charts = _settle_claims(tables, charts)
        for i in {0, len(tables) - 1} if tables else ():
            self._edges[(page.document.doc_id, page.number, i)] = edges(content, tables[i].bbox)
        return [build_figure(page, self, found.table, bbox=found.bbox) for found in tables] + \
            [build_figure(page, self, found.chart, bbox=found.bbox) for found in charts]

    def finish_document(self, figures: list[Figure]) -> list[Figure]:
        """Join tables that continue on the next page into one table on the page where they start."""
        kept = self._take_edges(figures)
        return stitch_tables(figures, lambda figure: kept.get(id(figure)))

    def _take_edges(self, figures: list[Figure]) -> dict[int, Edges]:
        """The kept `Edges` by figure (``id``), taken out of the side table with all else of these documents."""
        kept: dict[int, Edges] = {}
        counts: Counter[tuple[str, int]] = Counter()
        for figure in figures:
            place = (figure.doc_id, figure.page)
            if (found := self._edges.get((*place, counts[place]))) is not None:
                kept[id(figure)] = found
            counts[place] += 1
        done = {figure.doc_id for figure in figures}
        self._edges = {key: value for key, value in self._edges.items() if key[0] not in done}
        return kept


_CLAIM = 0.5  # share of a box inside another figure's box that makes it part of that figure


def _settle_claims(tables: list[FoundTable], charts: list[FoundChart]) -> tuple[list[FoundTable], list[FoundChart]]:
    """Where a table and a chart claim the same region, keep the figure that explains it.

    Tick labels and legends inside a chart align like a table, so a table lying mostly within charts (one, or
    several stacked on the page whose labels line up across them) is dropped first. Ruled cells of numbers inside a large table can calibrate like a small chart, so a chart
    lying mostly within a remaining table that it does not itself cover is dropped.
    """
    kept_tables = [t for t in tables if sum(t.bbox.share_within(c.bbox) for c in charts) < _CLAIM]
    kept_charts = [c for c in charts if not any(
        c.bbox.share_within(t.bbox) >= _CLAIM and t.bbox.share_within(c.bbox) < _CLAIM for t in kept_tables)]
    return kept_tables, kept_charts
