"""How many pixels each model backend can take, as tile budgets for `plan_region`."""

from __future__ import annotations

import math

from figtab.schemas.tiles import TileBudget

ANTHROPIC_MAX_EDGE = 1568  # px: a longer edge is downscaled by the API
ANTHROPIC_MAX_PIXELS = 1_150_000  # ~1.15 megapixels: a larger image is downscaled by the API
ANTHROPIC_PIXELS_PER_TOKEN = 750  # the API bills about width * height / 750 tokens an image
PALIGEMMA_INPUT_SIZES = (224, 448, 896)
SIGLIP_PATCH = 14


def anthropic_budget(max_tiles: int = 4) -> TileBudget:
    """The largest square tile the Anthropic API takes without downscaling it (1072 px).

    ``patch`` 28 makes the token count about the API's width * height / 750 (28 * 28 = 784 px a token).
    """
    tile = min(ANTHROPIC_MAX_EDGE, math.isqrt(ANTHROPIC_MAX_PIXELS))
    return TileBudget(tile=tile, max_tiles=max_tiles, patch=math.ceil(math.sqrt(ANTHROPIC_PIXELS_PER_TOKEN)))


def paligemma_budget(input_size: int = 448, max_tiles: int = 12) -> TileBudget:
    """Square tiles of the PaliGemma checkpoint's input size; lower ``max_tiles`` for 896 (4096 tokens a tile)."""
    if input_size not in PALIGEMMA_INPUT_SIZES:
        raise ValueError(f"PaliGemma takes {PALIGEMMA_INPUT_SIZES} px square images, not {input_size}")
    return TileBudget(tile=input_size, max_tiles=max_tiles, patch=SIGLIP_PATCH)
