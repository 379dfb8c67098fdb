"""Open documents, render pages, and plan and cut AnyRes tiles; pixel sizes are (width, height) named fields."""

from figtab.tiling.anyres import cut, plan_region, plan_tiles
from figtab.tiling.budgets import anthropic_budget, paligemma_budget
from figtab.tiling.coords import image_to_page, page_to_image, tiles_under
from figtab.tiling.documents import (OpenedDocument, SourcePage, close_document, fingerprint, open_document, open_file,
                              sniff_format)
from figtab.tiling.raster import page_region, rasterize, render_for_plan, render_tiles

__all__ = [
    "OpenedDocument", "SourcePage", "anthropic_budget", "close_document", "cut", "fingerprint", "image_to_page",
    "open_document", "open_file", "page_region", "page_to_image", "paligemma_budget", "plan_region", "plan_tiles",
    "rasterize", "render_for_plan", "render_tiles", "sniff_format", "tiles_under",
]
