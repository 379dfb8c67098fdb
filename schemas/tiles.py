"""The nouns of AnyRes tiling: a tile grid, where a resized image sits on its padded canvas, and the plan.

Every pixel size here is whole pixels with (width, height) named; boxes on the page stay `BBox` in PDF points.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from figtab.schemas.documents import PageImage
from figtab.schemas.geometry import BBox, Size


class Grid(BaseModel):
    """How many square tiles across (``cols``, along x) and down (``rows``, along y)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cols: int = Field(ge=1)
    rows: int = Field(ge=1)

    @property
    def n_tiles(self) -> int:
        return self.cols * self.rows


class Letterbox(BaseModel):
    """A resized image of ``width`` x ``height`` pixels, padded by ``left``/``top``/``right``/``bottom`` pixels.

    Padding is how figtab keeps the aspect ratio: content is never cropped and never squashed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    width: int = Field(ge=1)
    height: int = Field(ge=1)
    left: int = Field(ge=0)
    top: int = Field(ge=0)
    right: int = Field(ge=0)
    bottom: int = Field(ge=0)

    @property
    def content(self) -> Size:
        """The image without its padding, in pixels."""
        return Size(width=self.width, height=self.height)

    @property
    def canvas(self) -> Size:
        """The image with its padding, in pixels."""
        return Size(width=self.left + self.width + self.right, height=self.top + self.height + self.bottom)


class TileBudget(BaseModel):
    """What one backend accepts: square tiles of ``tile`` pixels, at most ``max_tiles`` of them plus a thumbnail.

    ``patch`` is the side in pixels of the square one visual token sees (14 for SigLIP/CLIP ViT-x/14).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tile: int = Field(default=448, ge=1)
    max_tiles: int = Field(default=12, ge=1)
    patch: int = Field(default=14, ge=1)


class TilePlan(BaseModel):
    """How one page (or a region of it) becomes a thumbnail plus a grid of ``tile`` x ``tile`` images.

    Page points map to pixels as: ``region`` -> ``canvas.content`` (one scale, whole pixels) -> shifted by the
    canvas padding -> cut into ``grid`` tiles, row-major. The thumbnail is the same region letterboxed into one tile.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: BBox = Field(description="the page area the plan shows, PDF points, origin top-left")
    scale: float = Field(gt=0, description="pixels per PDF point on the tiles, the same for both axes")
    tile: int = Field(ge=1, description="side of every tile and of the thumbnail, pixels")
    patch: int = Field(ge=1, description="side of the square one visual token sees, pixels")
    grid: Grid
    canvas: Letterbox = Field(description="the region resized and padded to grid.cols*tile x grid.rows*tile")
    thumbnail: Letterbox = Field(description="the region resized and padded to tile x tile")

    @model_validator(mode="after")
    def _canvas_fits_grid(self) -> TilePlan:
        canvas = self.canvas.canvas
        if (canvas.width, canvas.height) != (self.grid.cols * self.tile, self.grid.rows * self.tile):
            raise ValueError(f"canvas {canvas.width:g}x{canvas.height:g} px is not the {self.grid.cols}x"
                             f"{self.grid.rows} grid of {self.tile} px tiles")
        if self.thumbnail.canvas != Size(width=self.tile, height=self.tile):
            raise ValueError(f"thumbnail canvas is not {self.tile} px square")
        return self

    @property
    def scaled(self) -> Size:
        """The region resized, before padding, in pixels."""
        return self.canvas.content

    @property
    def dpi(self) -> float:
        """The resolution to render the region at for the tiles, so it needs no resizing."""
        return self.scale * 72.0

    @property
    def thumbnail_dpi(self) -> float:
        """The resolution to render the region at for the thumbnail."""
        return self.dpi * self.thumbnail.width / self.canvas.width

    @computed_field
    @property
    def visual_tokens(self) -> int:
        """Tokens a ViT with ``patch`` px patches spends on the thumbnail and every tile."""
        return (self.grid.n_tiles + 1) * tokens_per_image(self.tile, self.patch)


def tokens_per_image(side: int, patch: int) -> int:
    """Visual tokens for one ``side`` x ``side`` pixel image cut into ``patch`` px patches."""
    return math.ceil(side / patch) ** 2


class ImageBox(BaseModel):
    """A box in pixels, origin top-left, on one image a model saw: tile ``tile`` (row-major) or the thumbnail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tile: int | None = Field(ge=0, description="index into the tiles, row-major; None for the thumbnail")
    x0: float
    y0: float
    x1: float
    y1: float

    @model_validator(mode="after")
    def _ordered(self) -> ImageBox:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"box corners out of order: {[self.x0, self.y0, self.x1, self.y1]}")
        return self


class Tiles(NamedTuple):
    """What a model is shown for one plan: the letterboxed thumbnail, then the tiles in row-major order."""

    thumbnail: PageImage
    tiles: list[PageImage]
