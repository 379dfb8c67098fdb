"""Boxes page -> tile/thumbnail -> page round-trip within a pixel, and land where the pixels are."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from figtab.schemas import BBox, ImageBox
from figtab.tiling import image_to_page, page_to_image, plan_region, plan_tiles, tiles_under


@st.composite
def plans_and_boxes(draw: st.DrawFn):
    width, height = draw(st.integers(50, 20_000)), draw(st.integers(50, 20_000))
    assume(1 / 40 <= width / height <= 40)
    plan = plan_tiles(width, height, tile=draw(st.sampled_from([224, 448])), max_tiles=draw(st.integers(1, 12)))
    xs = sorted(draw(st.floats(0, width)) for _ in range(2))
    ys = sorted(draw(st.floats(0, height)) for _ in range(2))
    return plan, BBox(x0=xs[0], y0=ys[0], x1=xs[1], y1=ys[1])


def assert_within_a_pixel(back: BBox, box: BBox, px_per_pt: float) -> None:
    for got, want in zip(back.as_list(), box.as_list()):
        assert abs(got - want) * px_per_pt <= 1


@settings(max_examples=200, deadline=None)
@given(plans_and_boxes())
def test_page_tile_page_round_trips(case) -> None:
    plan, box = case
    under = tiles_under(box, plan)
    assert under and all(0 <= i < plan.grid.n_tiles for i in under)
    for tile in (under[0], under[-1], None):
        on_image = page_to_image(box, plan, tile)
        assert_within_a_pixel(image_to_page(on_image, plan), box, plan.scale)


def test_tile_offsets_are_row_major() -> None:
    plan = plan_tiles(896, 896, tile=448, max_tiles=4)  # 2x2, no padding, 1 px per point
    box = BBox(x0=500, y0=460, x1=510, y1=470)  # on the bottom-right tile
    assert tiles_under(box, plan) == [3]
    assert page_to_image(box, plan, 3) == ImageBox(tile=3, x0=52, y0=12, x1=62, y1=22)
    assert page_to_image(box, plan, None) == ImageBox(tile=None, x0=250, y0=230, x1=255, y1=235)


def test_a_box_on_padding_is_clamped_to_the_page() -> None:
    plan = plan_region(BBox(x0=0, y0=0, x1=100, y1=400))  # tall: padding left and right on the thumbnail
    whole_thumbnail = ImageBox(tile=None, x0=0, y0=0, x1=plan.tile, y1=plan.tile)
    assert image_to_page(whole_thumbnail, plan).as_list() == pytest.approx(plan.region.as_list())


def test_unknown_tile_is_an_error() -> None:
    plan = plan_tiles(448, 448)
    with pytest.raises(ValueError, match="not one of the plan's 1 tiles"):
        page_to_image(BBox(x0=0, y0=0, x1=1, y1=1), plan, 1)
