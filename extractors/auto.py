"""The default backend: the born-digital reader where it works, a model backend where it cannot.

``native`` answers for pages with a text layer where it finds figures; every other page goes to the configured
model backend. With none configured, a page of plain text yields nothing, while a page that needs a model (no
text layer, or a large raster image that may be a chart) fails with the reason and what to set.
"""

from __future__ import annotations

import os

from extractors.base import Extractor, ExtractorOptions
from extractors.native import NativeExtractor
from extractors.registry import backend_names, get_extractor
from schemas import BackendNotConfigured, Figure
from tiling import SourcePage

_LARGE_IMAGE_SHARE = 0.05  # a raster image covering this share of the page may be a chart


def configured_model_backend(options: ExtractorOptions) -> Extractor | None:
    """The model backend the environment configures: PaliGemma weights, else an Anthropic API key."""
    if (options.model or os.environ.get("FIGTAB_PALIGEMMA_MODEL")) and "paligemma" in backend_names():
        return get_extractor("paligemma", options)
    if os.environ.get("ANTHROPIC_API_KEY") and "anthropic" in backend_names():
        return get_extractor("anthropic", options)
    return None


class AutoExtractor(Extractor):
    name = "auto"

    def __init__(self, options: ExtractorOptions) -> None:
        self.native = NativeExtractor()
        self.options = options
        self._model_backend: Extractor | None = None

    def extract(self, page: SourcePage) -> list[Figure]:
        figures = self.native.extract(page) if page.meta.has_text else []
        if figures:
            return figures
        model_backend = self._configured_model()
        if model_backend is not None:
            return model_backend.extract(page)
        if page.meta.has_text and not _has_large_image(page):
            return []  # a page of text: nothing to extract, nothing lost
        why = "has no text layer" if not page.meta.has_text else "holds an image that may be a chart"
        raise BackendNotConfigured(
            f"page {page.number} {why} and no model backend is configured: "
            "set ANTHROPIC_API_KEY, or --model / FIGTAB_PALIGEMMA_MODEL to local PaliGemma weights")

    def finish_document(self, figures: list[Figure]) -> list[Figure]:
        return self.native.finish_document(figures)

    def _configured_model(self) -> Extractor | None:
        if self._model_backend is None:
            self._model_backend = configured_model_backend(self.options)
        return self._model_backend


def _has_large_image(page: SourcePage) -> bool:
    if page.document.format != "pdf":
        return True
    area = page.meta.size.width * page.meta.size.height
    return any(info["bbox"].width * info["bbox"].height >= _LARGE_IMAGE_SHARE * area
               for info in page.pdf_page.get_image_info())
