"""Render pages to RGB pixels with PyMuPDF."""

from __future__ import annotations

from typing import Any

import pymupdf

from schemas import BBox, PageImage, Size


def rasterize(pdf_page: Any, dpi: float, region: BBox | None = None) -> PageImage:
    """The page (or just ``region``, in PDF points, origin top-left) as RGB at ``dpi``.

    Rendering without an alpha channel composites transparent content on white; PyMuPDF applies the page's
    rotation and crop box, so pixels match what a viewer shows.
    """
    clip = pymupdf.Rect(*region.as_list()) if region is not None else None
    pixmap = pdf_page.get_pixmap(dpi=dpi, alpha=False, colorspace=pymupdf.csRGB, clip=clip)
    return PageImage(size=Size(width=pixmap.width, height=pixmap.height), dpi=dpi, samples=pixmap.samples)
