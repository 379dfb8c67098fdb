"""Pixel operations on RGB images with PyMuPDF's Pixmap (no imaging library in core): resize, pad, crop.

Pixmaps carry an origin; ``copy`` moves pixels between two pixmaps where their pixel frames overlap, which is
how padding and cropping are done here. Sizes are whole pixels, (width, height).
"""

from __future__ import annotations

import pymupdf

from figtab.schemas import PageImage, Size
from figtab.schemas.tiles import Letterbox

WHITE = 255  # padding colour: the colour of paper, so padding reads as margin


def from_page_image(image: PageImage) -> pymupdf.Pixmap:
    return pymupdf.Pixmap(pymupdf.csRGB, int(image.size.width), int(image.size.height), image.samples, 0)


def to_page_image(pixmap: pymupdf.Pixmap, dpi: float) -> PageImage:
    return PageImage(size=Size(width=pixmap.width, height=pixmap.height), dpi=dpi, samples=pixmap.samples)


def blank(x: int, y: int, width: int, height: int) -> pymupdf.Pixmap:
    """A white ``width`` x ``height`` pixmap whose top-left pixel is at (``x``, ``y``)."""
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(x, y, x + width, y + height), 0)
    pixmap.clear_with(WHITE)
    return pixmap


def resized(pixmap: pymupdf.Pixmap, width: int, height: int) -> pymupdf.Pixmap:
    """``pixmap`` scaled to ``width`` x ``height``; the same object when it already is that size."""
    if (pixmap.width, pixmap.height) == (width, height):
        return pixmap
    return pymupdf.Pixmap(pixmap, width, height)


def padded(pixmap: pymupdf.Pixmap, placement: Letterbox) -> pymupdf.Pixmap:
    """``pixmap`` (``placement.content`` in size) on a white canvas of ``placement.canvas``, origin (0, 0)."""
    canvas = blank(0, 0, int(placement.canvas.width), int(placement.canvas.height))
    pixmap.set_origin(placement.left, placement.top)
    canvas.copy(pixmap, pixmap.irect)
    return canvas


def crop(pixmap: pymupdf.Pixmap, x: int, y: int, width: int, height: int) -> pymupdf.Pixmap:
    """The ``width`` x ``height`` part of ``pixmap`` whose top-left pixel is (``x``, ``y``); white where it runs off."""
    part = blank(x, y, width, height)
    part.copy(pixmap, part.irect)
    part.set_origin(0, 0)
    return part
