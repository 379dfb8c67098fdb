"""The `native` backend: tables (and charts) read from a born-digital PDF page's own text and vector geometry."""

from __future__ import annotations

from extractors.base import Extractor, build_figure
from extractors.native.charts import find_charts, inside_chart
from extractors.native.page_content import PageContent
from extractors.native.tables import find_tables, stitch_tables
from schemas import Figure
from tiling import SourcePage


class NativeExtractor(Extractor):
    """Reads PDF pages with a text layer; exact text, no model, CPU only. Image pages yield nothing."""

    name = "native"

    def extract(self, page: SourcePage) -> list[Figure]:
        if page.document.format != "pdf":
            return []
        content = PageContent(page.pdf_page)
        charts = find_charts(content)
        tables = [found for found in find_tables(content) if not any(inside_chart(found.bbox, c) for c in charts)]
        return [build_figure(page, self, found.table, bbox=found.bbox) for found in tables] + \
            [build_figure(page, self, found.chart, bbox=found.bbox) for found in charts]

    def finish_document(self, figures: list[Figure]) -> list[Figure]:
        """Join tables that continue on the next page into one table on the page where they start."""
        return stitch_tables(figures)
