"""The images one request shows: the region's aspect-kept thumbnail, then its AnyRes tiles, padding trimmed off.

The plan comes from `plan_region` with `anthropic_budget()`. Three things differ from what a ViT backend is fed,
because the API takes images of any shape and bills by pixels (about width * height / 750 tokens): a region that
is within the API's limits at its own resolution goes as that one image (tiles would only repeat its pixels); the
white letterbox padding is cut off; and no image is sent at more pixels per point than the region's own resolution
(a small raster chart is not enlarged to fill a 1072 px tile). Each sent image remembers how its pixels map back
to the plan's, so a box the model gives comes back to page points through `image_to_page`.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from figtab.schemas import BBox, Size
from figtab.schemas.tiles import ImageBox, TilePlan
from figtab.tiling import anthropic_budget, image_to_page, plan_region, render_tiles
from figtab.tiling import pixels
from figtab.tiling.budgets import ANTHROPIC_MAX_EDGE, ANTHROPIC_MAX_PIXELS, ANTHROPIC_PIXELS_PER_TOKEN
from figtab.tiling.documents import SourcePage


@dataclass(frozen=True)
class SentImage:
    """One image of a request: the part of plan image ``tile`` (None: the thumbnail) from pixel (``left``,
    ``top``), ``width`` x ``height`` plan pixels, sent resized to ``size`` pixels."""

    tile: int | None
    left: int
    top: int
    width: int
    height: int
    size: Size

    @property
    def tokens(self) -> int:
        """The API's estimate of the input tokens this image costs."""
        return math.ceil(self.size.width * self.size.height / ANTHROPIC_PIXELS_PER_TOKEN)

    def to_plan(self, x0: float, y0: float, x1: float, y1: float) -> ImageBox:
        """A box in this image's pixels, in the pixels of the plan image it was cut from."""
        sx, sy = self.width / self.size.width, self.height / self.size.height
        return ImageBox(tile=self.tile, x0=self.left + x0 * sx, y0=self.top + y0 * sy,
                        x1=self.left + x1 * sx, y1=self.top + y1 * sy)


@dataclass(frozen=True)
class RequestImages:
    """The plan for one region and the images sent for it, in the order the model sees them (0 is the overview)."""

    plan: TilePlan
    images: list[SentImage]

    @property
    def tokens(self) -> int:
        return sum(image.tokens for image in self.images)

    def to_page(self, image: int, x0: float, y0: float, x1: float, y1: float) -> BBox:
        """A box the model gave in pixels of image number ``image``, in PDF points (clamped to the region)."""
        return image_to_page(self.images[image].to_plan(x0, y0, x1, y1), self.plan)


def native_scale(page: SourcePage, region: BBox, dpi: float, has_text: bool) -> float:
    """Pixels per PDF point the region holds: its sharpest raster image's, and at least ``dpi`` where it has text
    or no image (vector content has no resolution of its own)."""
    scales = [dpi / 72.0] if has_text else []
    scales += [image.pixels_per_point for image in page.raster_images() if image.box.share_within(region) >= 0.5]
    return max(scales, default=dpi / 72.0)


def layout(plan: TilePlan, scale: float) -> list[SentImage]:
    """The images to send for ``plan`` when the region holds ``scale`` pixels per point (no pixels needed)."""
    thumbnail = plan.thumbnail
    thumb_scale = thumbnail.width / plan.region.width
    images = [_shrunk(None, thumbnail.left, thumbnail.top, thumbnail.width, thumbnail.height, scale / thumb_scale)]
    if plan.grid.n_tiles == 1:
        return images
    canvas, side = plan.canvas, plan.tile
    for index in range(plan.grid.n_tiles):
        row, col = divmod(index, plan.grid.cols)
        x0, y0 = max(canvas.left, col * side), max(canvas.top, row * side)
        x1 = min(canvas.left + canvas.width, (col + 1) * side)
        y1 = min(canvas.top + canvas.height, (row + 1) * side)
        images.append(_shrunk(index, x0 - col * side, y0 - row * side, x1 - x0, y1 - y0, scale / plan.scale))
    return images


def _shrunk(tile: int | None, left: int, top: int, width: int, height: int, ratio: float) -> SentImage:
    """The part of a plan image, resized down by ``ratio`` when that is below 1 (never enlarged)."""
    ratio = min(1.0, ratio)
    size = Size(width=max(1, round(width * ratio)), height=max(1, round(height * ratio)))
    return SentImage(tile=tile, left=left, top=top, width=width, height=height, size=size)


def plan_request(page: SourcePage, region: BBox, dpi: float, has_text: bool) -> RequestImages:
    """What one request about ``region`` (PDF points) of ``page`` shows, before any pixel is rendered."""
    scale = native_scale(page, region, dpi, has_text)
    return RequestImages(plan=(plan := plan_for(region, scale)), images=layout(plan, scale))


def plan_for(region: BBox, scale: float) -> TilePlan:
    """One image when the region at ``scale`` pixels per point is within the API's limits (tiles would only
    repeat its pixels), else the thumbnail and AnyRes tiles of `anthropic_budget`."""
    width, height = region.width * scale, region.height * scale
    budget = anthropic_budget()
    if max(width, height) <= ANTHROPIC_MAX_EDGE and width * height <= ANTHROPIC_MAX_PIXELS:
        budget = budget.model_copy(update={"tile": math.ceil(max(width, height)), "max_tiles": 1})
    return plan_region(region, budget, max_dpi=scale * 72.0)


def render_pngs(page: SourcePage, request: RequestImages) -> list[str]:
    """The request's images as base64 PNG, in order; each page pixel is rendered once, at the plan's sizes."""
    rendered = render_tiles(page.pdf_page, request.plan)
    encoded = []
    for image in request.images:
        source = rendered.thumbnail if image.tile is None else rendered.tiles[image.tile]
        part = pixels.crop(pixels.from_page_image(source), image.left, image.top, image.width, image.height)
        sent = pixels.resized(part, int(image.size.width), int(image.size.height))
        encoded.append(base64.b64encode(sent.tobytes("png")).decode("ascii"))
    return encoded
