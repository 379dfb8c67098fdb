"""Render pages to RGB pixels with PyMuPDF, at a fixed DPI or at exactly the size a tile plan needs.

Rendering straight at the target size (no render-then-resize), in RGB without alpha, from the already opened
document, is what keeps this fast; PyMuPDF applies the page's rotation and crop box, so pixels match what a viewer
shows and boxes are in the same rotated, cropped frame as ``page.rect``.
"""

from __future__ import annotations

from typing import Any

import pymupdf

from figtab.schemas import BBox, PageImage
from figtab.schemas.tiles import Letterbox, TilePlan, Tiles
from figtab.tiling import pixels
from figtab.tiling.anyres import cut


def page_region(pdf_page: Any) -> BBox:
    """The whole page in PDF points, origin top-left, after rotation and crop box."""
    rect = pdf_page.rect
    return BBox(x0=0, y0=0, x1=rect.width, y1=rect.height)


def rasterize(pdf_page: Any, dpi: float, region: BBox | None = None) -> PageImage:
    """The page (or just ``region``, in PDF points, origin top-left) as RGB at ``dpi``.

    Rendering without an alpha channel composites transparent content on white.
    """
    clip = pymupdf.Rect(*region.as_list()) if region is not None else None
    pixmap = pdf_page.get_pixmap(dpi=dpi, alpha=False, colorspace=pymupdf.csRGB, clip=clip)
    return pixels.to_page_image(pixmap, dpi)


def render_for_plan(pdf_page: Any, plan: TilePlan) -> PageImage:
    """``plan.region`` of the page rendered once, at exactly ``plan.scaled`` pixels (width, height)."""
    return _render_region(pdf_page, plan.region, plan.canvas, plan.dpi)


def render_tiles(pdf_page: Any, plan: TilePlan) -> Tiles:
    """The thumbnail and tiles of ``plan`` for a PDF page, each rendered at its own size rather than resized."""
    thumbnail = _render_region(pdf_page, plan.region, plan.thumbnail, plan.thumbnail_dpi)
    return cut(render_for_plan(pdf_page, plan), plan, thumbnail=thumbnail)


def _render_region(pdf_page: Any, region: BBox, size: Letterbox, dpi: float) -> PageImage:
    """``region`` (PDF points) at exactly ``size.width`` x ``size.height`` pixels.

    Each axis gets its own zoom so whole-pixel rounding never leaves a sliver to resize, and the matrix moves the
    region's corner to pixel (0, 0) so the clip lands on whole pixels; what lies off the page is white.
    """
    zoom_x, zoom_y = size.width / region.width, size.height / region.height
    matrix = pymupdf.Matrix(zoom_x, 0, 0, zoom_y, -region.x0 * zoom_x, -region.y0 * zoom_y)
    pixmap = pdf_page.get_pixmap(matrix=matrix, clip=pymupdf.Rect(*region.as_list()), alpha=False,
                                 colorspace=pymupdf.csRGB)
    if tuple(pixmap.irect) != (0, 0, size.width, size.height):  # the region runs past the page
        pixmap = pixels.crop(pixmap, 0, 0, size.width, size.height)
    return pixels.to_page_image(pixmap, dpi)
