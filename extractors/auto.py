"""The default backend: the born-digital reader where it works, a model backend where it cannot.

``native`` answers for pages with a text layer where it finds figures; every other page, and every large raster
image on a page that native did not read, goes to the configured model backend. With none configured, a page
of plain text yields nothing, while a page that needs a model (no text layer, or a raster image that may be a
chart) keeps what native read and records a failure saying what to set.
"""

from __future__ import annotations

import os
from pathlib import Path

from figtab.extractors.base import Extractor, ExtractorOptions
from figtab.extractors.native import NativeExtractor
from figtab.extractors.registry import backend_names, get_extractor
from figtab.schemas import BackendNotConfigured, BBox, ExtractorError, Figure
from figtab.tiling import SourcePage

_LARGE_IMAGE_SHARE = 0.05  # a raster image covering this share of the page may be a chart


def configured_model_backend(options: ExtractorOptions) -> Extractor | None:
    """The model backend the user configured, in this order: ``--model`` naming a local folder (PaliGemma
    weights); any other ``--model`` with ``ANTHROPIC_API_KEY`` set (an Anthropic model name);
    ``FIGTAB_PALIGEMMA_MODEL``; ``ANTHROPIC_API_KEY`` alone (the Anthropic default model)."""
    weights = options.model if options.model and Path(options.model).is_dir() else None
    has_key = bool(os.environ.get("ANTHROPIC_API_KEY", "").strip())
    if weights is None and not (options.model and has_key):
        weights = os.environ.get("FIGTAB_PALIGEMMA_MODEL") or None
    if weights is not None:
        if "paligemma" not in backend_names():
            return None
        return get_extractor("paligemma", options.model_copy(update={"model": weights}))
    if has_key and "anthropic" in backend_names():
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
        unread = _unread_images(page, figures)
        if figures and not unread:
            return figures
        model_backend = self._configured_model()
        if model_backend is None:
            if page.meta.has_text and not unread:
                return figures  # a page of text: nothing to extract, nothing lost
            why = "has no text layer" if not page.meta.has_text else \
                f"holds {len(unread)} image(s) that may be charts or tables"
            raise BackendNotConfigured(f"page {page.number} {why} and {_how_to_configure()}", figures=figures)
        try:
            read = model_backend.extract_regions(page, unread) if page.meta.has_text and unread \
                else model_backend.extract(page)
        except ExtractorError as exc:  # the model failed: what native read stays with the failure
            exc.figures = figures + [f for f in exc.figures if not _already_read(f, figures)]
            raise
        found = [f for f in read if not _already_read(f, figures)]
        return figures + found

    def finish_document(self, figures: list[Figure]) -> list[Figure]:
        return self.native.finish_document(figures)

    def _configured_model(self) -> Extractor | None:
        if self._model_backend is None:
            self._model_backend = configured_model_backend(self.options)
        return self._model_backend


def _how_to_configure() -> str:
    """What the user can set to read such a page, naming only the model backends this install has."""
    settings = {"anthropic": "ANTHROPIC_API_KEY",
                "paligemma": "--model / FIGTAB_PALIGEMMA_MODEL to local PaliGemma weights"}
    available = [setting for name, setting in settings.items() if name in backend_names()]
    if not available:
        return "this figtab version has no model backend to read it yet (anthropic and paligemma are planned)"
    return "no model backend is configured: set " + ", or ".join(available)


def _unread_images(page: SourcePage, figures: list[Figure]) -> list[BBox]:
    """Raster images large enough to hold a chart or table that no native figure covers (PDF points)."""
    page_area = page.meta.size.width * page.meta.size.height
    read = [f.bbox for f in figures if f.bbox is not None]
    return [image for image in page.image_boxes() if image.area >= _LARGE_IMAGE_SHARE * page_area
            and not any(image.share_within(box) >= 0.5 for box in read)]


def _already_read(figure: Figure, figures: list[Figure]) -> bool:
    """A model's figure that mostly repeats one the native reader already read exactly."""
    return figure.bbox is not None and any(
        other.bbox is not None and figure.bbox.share_within(other.bbox) >= 0.5 for other in figures)
