"""Boxes between the page (PDF points, origin top-left) and the images a plan makes (pixels, origin top-left).

A model that answers in tile or thumbnail pixels gets its box mapped back here, so `Figure.bbox` is on the page.
Each image is an axis-aligned affine map of the page: pixel = (point - region corner) * scale + offset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from figtab.schemas import BBox
from figtab.schemas.tiles import ImageBox, TilePlan


@dataclass(frozen=True)
class _Axis:
    """One axis of the map: the region's corner (points), pixels per point, and where that corner lands (pixels)."""

    origin: float
    scale: float
    offset: float

    def to_px(self, pt: float) -> float:
        return (pt - self.origin) * self.scale + self.offset

    def to_pt(self, px: float) -> float:
        return (px - self.offset) / self.scale + self.origin


@dataclass(frozen=True)
class _Axes:
    x: _Axis
    y: _Axis


def _axes(plan: TilePlan, tile: int | None) -> _Axes:
    if tile is None:
        placed, col, row = plan.thumbnail, 0, 0
    elif 0 <= tile < plan.grid.n_tiles:
        placed, (row, col) = plan.canvas, divmod(tile, plan.grid.cols)
    else:
        raise ValueError(f"tile {tile} is not one of the plan's {plan.grid.n_tiles} tiles")
    region = plan.region
    return _Axes(x=_Axis(region.x0, placed.width / region.width, placed.left - col * plan.tile),
                 y=_Axis(region.y0, placed.height / region.height, placed.top - row * plan.tile))


def page_to_image(box: BBox, plan: TilePlan, tile: int | None) -> ImageBox:
    """``box`` (PDF points) in pixels of tile ``tile`` (row-major), or of the thumbnail when ``tile`` is None.

    The result may reach outside the image when the box does; it is not clipped.
    """
    axes = _axes(plan, tile)
    return ImageBox(tile=tile, x0=axes.x.to_px(box.x0), y0=axes.y.to_px(box.y0),
                    x1=axes.x.to_px(box.x1), y1=axes.y.to_px(box.y1))


def image_to_page(box: ImageBox, plan: TilePlan) -> BBox:
    """A box a model gave in pixels of one tile or the thumbnail, in PDF points, clamped to the plan's region.

    Clamping drops the part of the box that lies on padding, which shows no page.
    """
    axes, region = _axes(plan, box.tile), plan.region
    x0, x1 = (min(max(axes.x.to_pt(px), region.x0), region.x1) for px in (box.x0, box.x1))
    y0, y1 = (min(max(axes.y.to_pt(px), region.y0), region.y1) for px in (box.y0, box.y1))
    return BBox(x0=x0, y0=y0, x1=x1, y1=y1)


def tiles_under(box: BBox, plan: TilePlan) -> list[int]:
    """Row-major indexes of the tiles that show some of ``box`` (PDF points), e.g. to crop a figure's tiles."""
    on_canvas = page_to_image(box, plan, 0)  # tile 0's pixels are the canvas's pixels
    cols = _spanned(on_canvas.x0, on_canvas.x1, plan.tile, plan.grid.cols)
    rows = _spanned(on_canvas.y0, on_canvas.y1, plan.tile, plan.grid.rows)
    return [row * plan.grid.cols + col for row in rows for col in cols]


def _spanned(start: float, end: float, side: int, count: int) -> range:
    """Indexes of the ``side`` px cells, of ``count``, that the pixel interval [start, end] touches.

    The interval is clamped to the cells first, so a box on the page's very edge still finds its tile.
    """
    first = min(count - 1, max(0, math.floor(start / side)))
    last = min(count - 1, max(first, math.ceil(end / side) - 1))
    return range(first, last + 1)
