"""Plan properties over page sizes 50-20,000 px a side and aspect ratios 1:40-40:1, and LLaVA-NeXT's choice."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from figtab.schemas import BBox, Grid
from figtab.tiling import anthropic_budget, paligemma_budget, plan_region, plan_tiles
from figtab.tiling.anyres import candidate_grids

sides = st.integers(min_value=50, max_value=20_000)
max_tiles = st.integers(min_value=1, max_value=16)
tiles = st.sampled_from([224, 336, 448, 896])


@st.composite
def pages(draw: st.DrawFn) -> tuple[int, int]:
    width, height = draw(sides), draw(sides)
    assume(1 / 40 <= width / height <= 40)
    return width, height


def best_canvas_by_the_rule(width: int, height: int, canvases: list[tuple[int, int]]) -> tuple[int, int]:
    """The selection rule stated plainly, as an oracle: the canvas that keeps the most original pixels
    (no credit for upscaling past the original), ties broken by the least padding."""
    def merit(canvas: tuple[int, int]) -> tuple[int, int]:
        scale = min(canvas[0] / width, canvas[1] / height)
        kept = min(int(width * scale) * int(height * scale), width * height)
        return kept, -(canvas[0] * canvas[1] - kept)

    return max(canvases, key=merit)


@settings(max_examples=300, deadline=None)
@given(pages(), tiles, max_tiles)
def test_plan_properties(page: tuple[int, int], tile: int, limit: int) -> None:
    width, height = page
    plan = plan_tiles(width, height, tile=tile, max_tiles=limit)
    canvas, grid = plan.canvas, plan.grid
    assert abs(canvas.width - width * plan.scale) <= 1 and abs(canvas.height - height * plan.scale) <= 1
    assert canvas.canvas.width == grid.cols * tile and canvas.canvas.height == grid.rows * tile
    assert canvas.left + canvas.right < tile and canvas.top + canvas.bottom < tile
    assert grid.n_tiles <= limit
    thumb = plan.thumbnail
    assert (thumb.canvas.width, thumb.canvas.height) == (tile, tile)
    assert max(thumb.width, thumb.height) == tile
    thumb_scale = tile / max(width, height)
    assert abs(thumb.width - width * thumb_scale) <= 1 and abs(thumb.height - height * thumb_scale) <= 1


@settings(max_examples=300, deadline=None)
@given(pages(), max_tiles)
def test_scale_follows_the_llava_next_selection_rule(page: tuple[int, int], limit: int) -> None:
    width, height = page
    tile = 448
    pinpoints = [(g.cols * tile, g.rows * tile) for g in candidate_grids(limit)]
    best_w, best_h = best_canvas_by_the_rule(width, height, pinpoints)
    plan = plan_tiles(width, height, tile=tile, max_tiles=limit)
    assert plan.scale == pytest.approx(min(best_w / width, best_h / height), rel=1e-12)
    assert plan.grid.cols * tile <= best_w and plan.grid.rows * tile <= best_h


def test_worked_examples() -> None:
    a4_144dpi = plan_tiles(1190, 1684)
    assert (a4_144dpi.grid, a4_144dpi.scaled.width, a4_144dpi.scaled.height) == (Grid(cols=3, rows=4), 1266, 1792)
    assert a4_144dpi.visual_tokens == 13 * 1024
    tiny = plan_tiles(50, 50)  # upscaled to one tile: least waste among the ties at full resolution
    assert (tiny.grid, tiny.scaled.width) == (Grid(cols=1, rows=1), 448)
    strip = plan_tiles(20_000, 500)  # 40:1 fills a row of 12 tiles
    assert strip.grid == Grid(cols=12, rows=1) and strip.scaled.height == 134


def test_pinpoints_replace_candidates_and_respect_max_tiles() -> None:
    plan = plan_tiles(1000, 1000, pinpoints=[Grid(cols=1, rows=2), Grid(cols=4, rows=4)], max_tiles=12)
    assert plan.grid == Grid(cols=1, rows=1)  # 1x2 chosen, its padding-only row dropped
    with pytest.raises(ValueError, match="at most 2 tiles"):
        plan_tiles(1000, 1000, pinpoints=[Grid(cols=3, rows=1)], max_tiles=2)


def test_plan_region_maps_points_at_max_dpi() -> None:
    region = BBox(x0=100, y0=200, x1=300, y1=250)
    plan = plan_region(region, max_dpi=144)
    assert plan.region == region and plan.scale == pytest.approx(plan.scaled.width / region.width)
    assert plan.dpi == pytest.approx(72 * plan.scale)


def test_backend_budgets() -> None:
    anthropic = anthropic_budget()
    assert anthropic.tile <= 1568 and anthropic.tile ** 2 <= 1_150_000
    plan = plan_region(BBox(x0=0, y0=0, x1=595, y1=842), anthropic)
    assert plan.tile == anthropic.tile and plan.grid.n_tiles <= anthropic.max_tiles
    for size in (224, 448, 896):
        budget = paligemma_budget(size)
        plan = plan_region(BBox(x0=0, y0=0, x1=595, y1=842), budget)
        assert plan.tile == size and plan.grid.n_tiles <= budget.max_tiles
        assert plan.visual_tokens == (plan.grid.n_tiles + 1) * (size // budget.patch) ** 2  # tiles + thumbnail
    with pytest.raises(ValueError, match="224, 448, 896"):
        paligemma_budget(512)
