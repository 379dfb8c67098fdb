"""AnyRes tiling that keeps the aspect ratio: plan a tile grid for a page, then cut its pixels into tiles.

The grid is chosen as LLaVA-NeXT's ``select_best_resolution`` does, but the page is resized with one scale for
both axes and padded with white (never cropped, never squashed), and so is the thumbnail: LLaVA-NeXT squashes its
base image to a square, which distorts documents and charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from figtab.schemas import BBox, PageImage
from figtab.schemas.tiles import Grid, Letterbox, TileBudget, TilePlan, Tiles
from figtab.tiling import pixels


def candidate_grids(max_tiles: int) -> list[Grid]:
    """Every grid of at most ``max_tiles`` tiles, LLaVA-NeXT's ``grid_pinpoints`` in tile units."""
    return [Grid(cols=cols, rows=rows) for cols in range(1, max_tiles + 1) for rows in range(1, max_tiles // cols + 1)]


def select_grid(width: float, height: float, tile: int, candidates: Sequence[Grid]) -> Grid:
    """LLaVA-NeXT's ``select_best_resolution``: the most page pixels without counting upscaling, then least waste.

    ``width`` and ``height`` are the original's size in pixels.
    """
    original = int(width) * int(height)
    best, best_key = candidates[0], (-1, 0)
    for grid in candidates:
        canvas_w, canvas_h = grid.cols * tile, grid.rows * tile
        scale = fit_scale(width, height, canvas_w, canvas_h)
        effective = min(int(width * scale) * int(height * scale), original)
        key = (effective, -(canvas_w * canvas_h - effective))
        if key > best_key:
            best, best_key = grid, key
    return best


def fit_scale(width: float, height: float, canvas_w: float, canvas_h: float) -> float:
    """The one scale that fits ``width`` x ``height`` inside ``canvas_w`` x ``canvas_h`` without cropping."""
    return min(canvas_w / width, canvas_h / height)


def letterbox(width: float, height: float, scale: float, canvas_w: int, canvas_h: int) -> Letterbox:
    """``width`` x ``height`` resized by ``scale`` to whole pixels, centred on a ``canvas_w`` x ``canvas_h`` canvas."""
    fit_w = min(canvas_w, max(1, round(width * scale)))
    fit_h = min(canvas_h, max(1, round(height * scale)))
    pad_w, pad_h = canvas_w - fit_w, canvas_h - fit_h
    return Letterbox(width=fit_w, height=fit_h, left=pad_w // 2, top=pad_h // 2,
                     right=pad_w - pad_w // 2, bottom=pad_h - pad_h // 2)


def plan_tiles(width: float, height: float, *, tile: int = 448, max_tiles: int = 12,
               pinpoints: Sequence[Grid] | None = None, patch: int = 14, region: BBox | None = None) -> TilePlan:
    """Plan the tiles for an original of ``width`` x ``height`` pixels.

    ``pinpoints`` replaces the candidate grids (default: every grid of at most ``max_tiles`` tiles); a candidate
    over ``max_tiles`` is ignored. ``region`` is the page area in PDF points the pixels show (default: a page of
    ``width`` x ``height`` points, as PyMuPDF sizes an image without resolution metadata). A row or column that
    would hold only padding is dropped: it costs a tile of tokens for less than a pixel of page.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"cannot tile an empty image of {width} x {height} px")
    candidates = [grid for grid in (pinpoints or candidate_grids(max_tiles)) if grid.n_tiles <= max_tiles]
    if not candidates:
        raise ValueError(f"no candidate grid has at most {max_tiles} tiles")
    region = region or BBox(x0=0, y0=0, x1=width, y1=height)
    chosen = select_grid(width, height, tile, candidates)
    scale = fit_scale(width, height, chosen.cols * tile, chosen.rows * tile)
    placed = letterbox(width, height, scale, chosen.cols * tile, chosen.rows * tile)
    grid = Grid(cols=math.ceil(placed.width / tile), rows=math.ceil(placed.height / tile))
    canvas = letterbox(width, height, scale, grid.cols * tile, grid.rows * tile)
    thumbnail = letterbox(width, height, fit_scale(width, height, tile, tile), tile, tile)
    return TilePlan(region=region, scale=scale * width / region.width, tile=tile, patch=patch, grid=grid,
                    canvas=canvas, thumbnail=thumbnail)


def plan_region(region: BBox, budget: TileBudget = TileBudget(), *, max_dpi: float = 144.0) -> TilePlan:
    """Plan the tiles for ``region`` of a PDF page (points), treating the page as an original at ``max_dpi``.

    A vector page has no native resolution: past ``max_dpi`` more tiles buy nothing in the grid choice, as pixels
    past an image's own count do for LLaVA-NeXT. A small region is still enlarged to fill its tiles.
    """
    zoom = max_dpi / 72.0
    return plan_tiles(region.width * zoom, region.height * zoom, tile=budget.tile, max_tiles=budget.max_tiles,
                      patch=budget.patch, region=region)


def cut(image: PageImage, plan: TilePlan, thumbnail: PageImage | None = None) -> Tiles:
    """The thumbnail and the tiles (row-major) of ``image``, which shows ``plan.region``.

    An image rendered for the plan is used as is; any other size is resized to the plan first. Pass ``thumbnail``
    when it was rendered at ``plan.thumbnail``'s size: rendering it costs less than resizing the page down.
    """
    page = pixels.resized(pixels.from_page_image(image), plan.canvas.width, plan.canvas.height)
    canvas = pixels.padded(page, plan.canvas)
    side = plan.tile
    tiles = [pixels.to_page_image(pixels.crop(canvas, col * side, row * side, side, side), plan.dpi)
             for row in range(plan.grid.rows) for col in range(plan.grid.cols)]
    small = pixels.from_page_image(thumbnail) if thumbnail is not None else page
    boxed = pixels.padded(pixels.resized(small, plan.thumbnail.width, plan.thumbnail.height), plan.thumbnail)
    return Tiles(thumbnail=pixels.to_page_image(boxed, plan.thumbnail_dpi), tiles=tiles)
