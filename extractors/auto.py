"""The default backend: the born-digital reader where it works, a model backend where it cannot.

``native`` answers for pages with a text layer where it finds figures; every other page, and every large raster
image on a page that native did not read, goes to the configured model backend. With none configured, a page
of plain text yields nothing, while a page that needs a model (no text layer, or a raster image that may be a
chart) keeps what native read and records a failure saying what to set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from figtab.extractors.base import Extractor, ExtractorOptions
from figtab.extractors.native import NativeExtractor
from figtab.extractors.registry import get_extractor
from figtab.schemas import BackendNotConfigured, BBox, ExtractorError, FigtabError, Figure
from figtab.tiling import SourcePage

_LARGE_IMAGE_SHARE = 0.05  # a raster image covering this share of the page may be a chart


class ModelChoice(NamedTuple):
    """The model backend to build and the options to build it with."""

    backend: str
    options: ExtractorOptions


def configured_model(options: ExtractorOptions) -> ModelChoice | None:
    """The model backend the user configured, in this order: ``--model`` naming a local folder (PaliGemma
    weights); any other ``--model`` with ``ANTHROPIC_API_KEY`` set (an Anthropic model name);
    ``FIGTAB_PALIGEMMA_MODEL``; ``ANTHROPIC_API_KEY`` alone (the Anthropic default model).

    Configured weights are checked here, without loading them: a folder without a checkpoint, or an install
    without the paligemma extra, is a `UsageError` even with a key set, since the user asked for those weights.
    """
    weights = options.model if options.model and Path(options.model).is_dir() else None
    has_key = bool(os.environ.get("ANTHROPIC_API_KEY", "").strip())
    if weights is None and not (options.model and has_key):
        weights = os.environ.get("FIGTAB_PALIGEMMA_MODEL") or None
    if weights is not None:
        from figtab.extractors.paligemma import check_weights

        check_weights(weights)
        return ModelChoice("paligemma", options.model_copy(update={"model": weights}))
    return ModelChoice("anthropic", options) if has_key else None


def configured_model_backend(options: ExtractorOptions) -> Extractor | None:
    """The configured model backend, built (PaliGemma weights are loaded here), or None when there is none."""
    choice = configured_model(options)
    return None if choice is None else get_extractor(choice.backend, choice.options)


class AutoExtractor(Extractor):
    name = "auto"

    def __init__(self, options: ExtractorOptions) -> None:
        """Which model backend to use is settled here, so a bad configuration is a `UsageError` before any file
        is read. An Anthropic client is cheap and built now; PaliGemma weights are loaded on the first page that
        needs them, so a run of born-digital pages never imports torch."""
        self.native = NativeExtractor()
        self._model_choice = configured_model(options)
        self._model_backend: Extractor | None = None
        self._model_build_error: str | None = None  # weights that failed to load are not retried on every page
        if self._model_choice is not None and self._model_choice.backend == "anthropic":
            self._model_backend = get_extractor(*self._model_choice)

    def extract(self, page: SourcePage) -> list[Figure]:
        figures = self.native.extract(page) if page.meta.has_text else []
        unread = _unread_images(page, figures)
        if figures and not unread:
            return figures
        model_backend = self._configured_model(figures)
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

    def _configured_model(self, figures: list[Figure]) -> Extractor | None:
        """The model backend, built on first need; when it cannot be, each page fails keeping ``figures``."""
        if self._model_backend is not None or self._model_choice is None:
            return self._model_backend
        if self._model_build_error is None:
            try:
                self._model_backend = get_extractor(*self._model_choice)
                return self._model_backend
            except FigtabError as exc:
                self._model_build_error = f"the {self._model_choice.backend} backend could not be built: {exc}"
        raise ExtractorError(self._model_build_error, figures=figures)


def _how_to_configure() -> str:
    """What the user can set to read such a page."""
    return ("no model backend is configured: set ANTHROPIC_API_KEY, or --model / FIGTAB_PALIGEMMA_MODEL to local "
            "PaliGemma weights (with the paligemma extra: pip install 'figtab[paligemma]')")


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
