"""What the model is shown for a page or a region of one: the aspect-kept thumbnail, then the AnyRes tiles.

Training and serving both build their inputs here, so a fine-tuned model sees exactly what it was trained on.
The tile count follows the region: `plan_region` gives a small chart one or two tiles, not the budget's twelve,
and a region that fits in one tile is shown as the thumbnail alone (its one tile would repeat it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from figtab.schemas import BBox, PageImage, TilePlan
from figtab.tiling import SourcePage, page_region, paligemma_budget, plan_region, render_tiles

PROMPT = "extract the tables and charts"
IMAGE_TOKEN = "<image>"
_ONE_IMAGE_SHARE = 0.9  # a region this much covered by one raster image is shown at that image's resolution


@dataclass
class View:
    """The images of one prompt (thumbnail first, then tiles row-major) and the plan they were cut by."""

    images: list[Image.Image]
    plan: TilePlan

    @property
    def prompt(self) -> str:
        """The prompt text: one image token per image (the processor expands each), then the instruction."""
        return IMAGE_TOKEN * len(self.images) + PROMPT


def view(page: SourcePage, region: BBox | None, tile: int, max_tiles: int, dpi: float) -> View:
    """``region`` of ``page`` (PDF points; the whole page when None) as ``tile`` px square images.

    A region that is one raster image is planned at that image's own resolution when it is below ``dpi``,
    so a scanned chart does not pay for tiles of upscaled pixels.
    """
    region = region or page_region(page.pdf_page)
    native = _image_dpi(page, region)
    plan = plan_region(region, paligemma_budget(tile, max_tiles), max_dpi=min(dpi, native or dpi))
    shown = render_tiles(page.pdf_page, plan)
    images = [shown.thumbnail, *(shown.tiles if plan.grid.n_tiles > 1 else [])]
    return View([_pil(image) for image in images], plan)


def _image_dpi(page: SourcePage, region: BBox) -> float | None:
    """The resolution of the raster image that covers ``region``, if one does (an image file, a scanned page)."""
    return next((72.0 * image.pixels_per_point for image in page.raster_images()
                 if region.share_within(image.box) >= _ONE_IMAGE_SHARE), None)


def _pil(image: PageImage) -> Image.Image:
    return Image.frombytes("RGB", (int(image.size.width), int(image.size.height)), image.samples)
