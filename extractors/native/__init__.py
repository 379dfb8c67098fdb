"""The `native` backend: tables (and charts) read from a born-digital PDF page's own text and vector geometry."""

from __future__ import annotations

from extractors.base import Extractor, build_figure
from extractors.native.page_content import PageContent
from extractors.native.tables import find_tables
from schemas import Figure
from tiling import SourcePage


class NativeExtractor(Extractor):
    """Reads PDF pages with a text layer; exact text, no model, CPU only. Image pages yield nothing."""

    name = "native"

    def extract(self, page: SourcePage) -> list[Figure]:
        if page.document.format != "pdf":
            return []
        content = PageContent(page.pdf_page)
        return [build_figure(page, self, found.table, bbox=found.bbox) for found in find_tables(content)]
