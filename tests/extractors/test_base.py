"""`build_figure`: a backend's answer becomes a Figure without losing what was valid in it."""

import pytest

from figtab.extractors import NativeExtractor, build_figure
from figtab.tiling import open_document


@pytest.fixture
def page(sample_pdf):
    with open_document(str(sample_pdf)) as opened:
        yield opened.load(1)


def test_a_bbox_off_the_page_is_dropped_but_the_table_is_kept(page):
    figure = build_figure(page, NativeExtractor(), {"rows": [["a", "1"]]}, kind="table", bbox=[0, 0, 9000, 10])
    assert figure.valid and figure.table.rows == [["a", "1"]] and figure.bbox is None
    assert any("outside the page" in error for error in figure.errors)


def test_a_payload_that_fails_validation_is_an_invalid_figure_with_reasons(page):
    figure = build_figure(page, NativeExtractor(), {"chart_type": "pie", "series": [
        {"name": "s", "points": [{"x": "a", "y": -1}]}]})
    assert figure.kind == "chart" and not figure.valid and figure.chart is None
    assert any("non-negative" in error for error in figure.errors)
