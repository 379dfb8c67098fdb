"""The source of each figure, rendered from its document at the figure's bbox, small, as an inline image.

Documents are opened through `figtab.tiling` only, once per document for all its figures. A document that is
gone, unreadable, or no longer the bytes that were read gets a note instead of an image, never an error: the
re-drawing from the database still stands on its own.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from figtab.flows.report.model import ReportFigure
from figtab.schemas import BBox, Figure, InputError, PageImage
from figtab.tiling import OpenedDocument, SourcePage, close_document, open_file, rasterize
from figtab.tiling.pixels import from_page_image

MAX_PIXELS = 480  # long edge of a crop: as wide as the re-drawing beside it, so a report of 200 stays light
_MAX_DPI = 144  # small figures are not blown up past what a screen shows sharply
_PNG_BUDGET = 40_000  # bytes; a crop past this is probably a photo or scan, where JPEG is smaller


@dataclass(frozen=True)
class Crop:
    """A figure's source: an image (``data:`` URI, pixels wide and high) or a note saying why there is none."""

    data_uri: str | None = None
    width: int = 0
    height: int = 0
    note: str | None = None


def render_crops(figures: list[ReportFigure], max_pixels: int = MAX_PIXELS) -> dict[str, Crop]:
    """A `Crop` per figure id, opening each document and loading each page once."""
    crops: dict[str, Crop] = {}
    ordered = sorted(figures, key=lambda item: (item.figure.file, item.figure.doc_id, item.figure.page))
    for (file, doc_id), group in groupby(ordered, key=lambda item: (item.figure.file, item.figure.doc_id)):
        crops.update(_document_crops(file, doc_id, list(group), max_pixels))
    return crops


def _document_crops(file: str, doc_id: str, items: list[ReportFigure], max_pixels: int) -> dict[str, Crop]:
    try:
        opened = open_file(file)
    except InputError as exc:
        return _noted(items, _missing_note(file, str(exc)))
    try:
        if opened.document.doc_id != doc_id:
            return _noted(items, f"{file} has changed since it was read; the source is not shown.")
        crops: dict[str, Crop] = {}
        for number, on_page in groupby(items, key=lambda item: item.figure.page):
            crops.update(_page_crops(opened, number, list(on_page), max_pixels))
        return crops
    finally:
        close_document(opened)


def _noted(items: list[ReportFigure], note: str) -> dict[str, Crop]:
    return {item.figure_id: Crop(note=note) for item in items}


def _missing_note(file: str, reason: str) -> str:
    if not Path(file).exists():
        return f"The document is no longer at {file} (moved or deleted); the source is not shown."
    return f"{file} cannot be opened ({reason}); the source is not shown."


def _page_crops(opened: OpenedDocument, number: int, items: list[ReportFigure], max_pixels: int) -> dict[str, Crop]:
    try:
        source = opened.load(number)
    except InputError as exc:
        return _noted(items, f"Page {number} cannot be rendered: {exc}")
    return {item.figure_id: _crop(source, item.figure, max_pixels) for item in items}


def _crop(source: SourcePage, figure: Figure, max_pixels: int) -> Crop:
    if figure.bbox is None:
        return Crop(note="No box was recorded for this figure.")
    region = _on_page(figure.bbox, source.meta.size.width, source.meta.size.height)
    if region is None:
        return Crop(note=f"The box {figure.bbox.as_list()} lies off page {figure.page}.")
    dpi = max(1, min(_MAX_DPI, int(72 * max_pixels / max(region.width, region.height))))  # whole dpi for PyMuPDF
    image = rasterize(source.pdf_page, dpi, region)
    media_type, data = _encode(image)
    return Crop(data_uri=f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}",
                width=int(image.size.width), height=int(image.size.height))


def _on_page(box: BBox, width: float, height: float) -> BBox | None:
    """``box`` clipped to the page, or None when nothing of it is on the page."""
    x0, y0, x1, y1 = max(box.x0, 0), max(box.y0, 0), min(box.x1, width), min(box.y1, height)
    return BBox(x0=x0, y0=y0, x1=x1, y1=y1) if x1 - x0 >= 1 and y1 - y0 >= 1 else None


def _encode(image: PageImage) -> tuple[str, bytes]:
    """PNG, which keeps line art sharp and small; JPEG instead when that is smaller for a large (photo-like) crop."""
    pixmap = from_page_image(image)
    png = pixmap.tobytes("png")
    if len(png) <= _PNG_BUDGET:
        return "image/png", png
    jpeg = pixmap.tobytes("jpg", jpg_quality=80)
    return ("image/jpeg", jpeg) if len(jpeg) < len(png) else ("image/png", png)
