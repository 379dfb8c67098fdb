"""Rendering for a plan on real PDF pages: exact size, rotation and crop box honoured, small text made readable."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from figtab.schemas import BBox, PageImage
from figtab.tiling import (cut, open_document, page_region, page_to_image, plan_region, rasterize, render_for_plan,
                    render_tiles, tiles_under)
from figtab.tiling.anyres import fit_scale

A4 = pymupdf.paper_rect("a4")
RED = (1, 0, 0)


def red_pixels(image: PageImage) -> set[tuple[int, int]]:
    """(x, y) of the clearly red pixels of an RGB image."""
    width, samples = int(image.size.width), image.samples
    return {(i // 3 % width, i // 3 // width) for i in range(0, len(samples), 3)
            if samples[i] > 200 and samples[i + 1] < 60 and samples[i + 2] < 60}


def pdf_with_red_box(path: Path, box: pymupdf.Rect, rotation: int = 0, cropbox: pymupdf.Rect | None = None) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.draw_rect(box, color=None, fill=RED, width=0)
    if cropbox is not None:
        page.set_cropbox(cropbox)
    page.set_rotation(rotation)
    doc.save(path)
    return path


def displayed_box(page: pymupdf.Page, box: pymupdf.Rect) -> BBox:
    """Where an unrotated, uncropped drawing box shows on the displayed page (PDF points, origin top-left)."""
    shown = (box - (page.cropbox.x0, page.cropbox.y0, page.cropbox.x0, page.cropbox.y0)) * page.rotation_matrix
    return BBox(x0=shown.x0, y0=shown.y0, x1=shown.x1, y1=shown.y1)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("cropped", [False, True])
def test_a_mapped_box_lands_on_its_pixels(tmp_path: Path, rotation: int, cropped: bool) -> None:
    red = pymupdf.Rect(100, 150, 220, 210)
    cropbox = pymupdf.Rect(40, 60, 500, 780) if cropped else None
    path = pdf_with_red_box(tmp_path / "red.pdf", red, rotation, cropbox)
    with open_document(str(path)) as opened:
        page = opened.load(1).pdf_page
        plan = plan_region(page_region(page))
        assert render_for_plan(page, plan).size == plan.scaled
        thumbnail, tiles = render_tiles(page, plan)
        assert thumbnail.size.width == thumbnail.size.height == plan.tile
        box = displayed_box(page, red)
        for tile in tiles_under(box, plan):
            on_tile = page_to_image(box, plan, tile)
            found = red_pixels(tiles[tile])
            xs, ys = [x for x, _ in found], [y for _, y in found]
            assert min(xs) >= on_tile.x0 - 1 and max(xs) <= on_tile.x1 + 1
            assert min(ys) >= on_tile.y0 - 1 and max(ys) <= on_tile.y1 + 1
        on_thumb = page_to_image(box, plan, None)
        found = red_pixels(thumbnail)
        assert {(round((on_thumb.x0 + on_thumb.x1) / 2), round((on_thumb.y0 + on_thumb.y1) / 2))} <= found


def test_a_region_renders_at_high_resolution(tmp_path: Path) -> None:
    red = pymupdf.Rect(100, 150, 220, 210)
    path = pdf_with_red_box(tmp_path / "red.pdf", red)
    with open_document(str(path)) as opened:
        page = opened.load(1).pdf_page
        figure = BBox(x0=90, y0=140, x1=230, y1=220)
        plan = plan_region(figure, max_dpi=600)
        image = render_for_plan(page, plan)
        assert image.size == plan.scaled and plan.dpi > 300
        found = red_pixels(image)
        inner = page_to_image(BBox(x0=100, y0=150, x1=220, y1=210), plan, 0)
        xs, ys = [x for x, _ in found], [y for _, y in found]
        offset_x, offset_y = plan.canvas.left, plan.canvas.top  # tile 0 pixels are canvas pixels
        assert abs(min(xs) - (inner.x0 - offset_x)) <= 1 and abs(max(xs) + 1 - (inner.x1 - offset_x)) <= 1
        assert abs(min(ys) - (inner.y0 - offset_y)) <= 1 and abs(max(ys) + 1 - (inner.y1 - offset_y)) <= 1


def test_a_region_past_the_page_edge_is_white_there(tmp_path: Path) -> None:
    path = pdf_with_red_box(tmp_path / "red.pdf", pymupdf.Rect(0, 0, A4.width, A4.height))
    with open_document(str(path)) as opened:
        page = opened.load(1).pdf_page
        plan = plan_region(BBox(x0=A4.width - 50, y0=0, x1=A4.width + 50, y1=100), max_dpi=72)
        image = render_for_plan(page, plan)
        assert image.size == plan.scaled
        assert max(x for x, _ in red_pixels(image)) == pytest.approx(plan.scaled.width / 2, abs=1)


def test_rasterize_keeps_its_contract(tmp_path: Path) -> None:
    path = pdf_with_red_box(tmp_path / "red.pdf", pymupdf.Rect(100, 150, 220, 210))
    with open_document(str(path)) as opened:
        page = opened.load(1).pdf_page
        image = rasterize(page, 144, region=BBox(x0=100, y0=150, x1=220, y1=210))
        assert (image.size.width, image.size.height, image.dpi) == (240, 120, 144)
        assert len(red_pixels(image)) == 240 * 120


def test_seven_point_text_on_a4_is_readable_on_tiles(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    for i, size in enumerate([7, 9, 12, 18]):
        page.insert_text((72, 100 + 40 * i), f"Revenue by region, {size} pt", fontsize=size)
    doc.save(tmp_path / "a4.pdf")
    with open_document(str(tmp_path / "a4.pdf")) as opened:
        source = opened.load(1).pdf_page
        smallest = min(span["size"] for block in source.get_text("dict")["blocks"]
                       for line in block["lines"] for span in line["spans"])
        plan = plan_region(page_region(source))
        _, tiles = cut(render_for_plan(source, plan), plan)
    single_square_scale = fit_scale(A4.width, A4.height, 448, 448)  # one 448 px image, aspect kept
    assert smallest == 7
    assert smallest * plan.scale >= 8 and all(t.size.width == t.size.height == 448 for t in tiles)
    assert smallest * single_square_scale < 4
