"""Cutting pixels by a plan: every tile square, nothing cropped, nothing squashed, padding white."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from figtab.schemas import PageImage, Size
from figtab.tiling import cut, plan_tiles

BLACK, WHITE = 0, 255


def solid(width: int, height: int, value: int = BLACK) -> PageImage:
    return PageImage(size=Size(width=width, height=height), dpi=72, samples=bytes([value]) * (width * height * 3))


@settings(max_examples=25, deadline=None)
@given(st.integers(50, 20_000), st.integers(50, 20_000), st.sampled_from([224, 448]), st.integers(1, 12))
def test_tiles_are_square_and_cover_the_scaled_page(width: int, height: int, tile: int, limit: int) -> None:
    assume(1 / 40 <= width / height <= 40)
    plan = plan_tiles(width, height, tile=tile, max_tiles=limit)
    scaled = plan.scaled
    page = solid(int(scaled.width), int(scaled.height))  # as rendered for the plan: no resize, so pixels are exact
    thumbnail, tiles = cut(page, plan)
    assert len(tiles) == plan.grid.n_tiles <= limit
    assert all(t.size == Size(width=tile, height=tile) and len(t.samples) == tile * tile * 3 for t in tiles)
    black = sum(t.samples.count(BLACK) for t in tiles)
    assert black == scaled.width * scaled.height * 3  # every page pixel is on exactly one tile: none cropped
    assert thumbnail.size == Size(width=tile, height=tile)
    thumb = plan.thumbnail
    assert thumbnail.samples.count(BLACK) == thumb.width * thumb.height * 3
    assert thumbnail.samples.count(WHITE) == (tile * tile - thumb.width * thumb.height) * 3


def test_padding_is_centred_and_tiles_are_row_major() -> None:
    plan = plan_tiles(1000, 600, tile=448, max_tiles=4)  # 2x2 grid: 896 x 538 page, 358 px padding split 179/179
    assert (plan.grid.cols, plan.grid.rows, plan.scaled.width, plan.scaled.height) == (2, 2, 896, 538)
    assert (plan.canvas.top, plan.canvas.bottom) == (179, 179)
    _, tiles = cut(solid(896, 538), plan)
    first_row = tiles[0].samples[: 448 * 3]
    row_179 = tiles[0].samples[179 * 448 * 3: 180 * 448 * 3]
    assert set(first_row) == {WHITE} and set(row_179) == {BLACK}
    assert set(tiles[2].samples[-448 * 3:]) == {WHITE}  # bottom-left tile's last row is padding


def test_an_image_of_another_size_is_resized_to_the_plan() -> None:
    plan = plan_tiles(1200, 300, tile=224, max_tiles=6)
    thumbnail, tiles = cut(solid(600, 150), plan)  # half the planned resolution, same aspect
    assert sum(t.samples.count(BLACK) for t in tiles) == plan.scaled.width * plan.scaled.height * 3
    assert thumbnail.dpi < tiles[0].dpi == plan.dpi
