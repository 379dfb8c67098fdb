"""The `auto` backend: native where it reads everything, a model backend (or a clear failure) for the rest."""

import pymupdf
import pytest

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.flows.pipeline import extract_file
from figtab.schemas import UsageError

TABLE_ROWS = [["Year", "Units"], ["2022", "140"], ["2023", "155"], ["2024", "171"]]


def draw_table(page: pymupdf.Page, top: float) -> None:
    """A ruled two-column table at ``top`` points from the top of the page."""
    for r, row in enumerate(TABLE_ROWS):
        for c, text in enumerate(row):
            page.insert_text((80 + 120 * c, top + 16 + 20 * r), text, fontsize=10)
    for r in range(len(TABLE_ROWS) + 1):
        page.draw_line((72, top + 20 * r + 2), (312, top + 20 * r + 2))
    for c in range(3):
        page.draw_line((72 + 120 * c, top + 2), (72 + 120 * c, top + 20 * len(TABLE_ROWS) + 2))


def page_with_table_and_raster_chart(path, with_image: bool) -> str:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 60), "Quarterly figures", fontsize=14)
    draw_table(page, 80)
    if with_image:
        picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 200), False)
        picture.clear_with(200)
        page.insert_image(pymupdf.Rect(72, 300, 472, 566), pixmap=picture)
    doc.save(path)
    return str(path)


@pytest.fixture(autouse=True)
def no_model_configured(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("FIGTAB_PALIGEMMA_MODEL", raising=False)


def test_vector_only_page_is_read_natively_without_failures(tmp_path):
    result = extract_file(page_with_table_and_raster_chart(tmp_path / "v.pdf", False), get_extractor("auto"))
    assert [f.table.rows for f in result.figures] == [TABLE_ROWS]
    assert result.all_failures == [] and result.figures[0].backend == "native"


def test_an_unread_raster_image_keeps_the_native_table_and_records_why(tmp_path):
    result = extract_file(page_with_table_and_raster_chart(tmp_path / "r.pdf", True), get_extractor("auto"))
    assert [f.table.rows for f in result.figures] == [TABLE_ROWS]
    [failure] = result.all_failures
    assert failure.page == 1 and failure.error == "BackendNotConfigured"
    assert "image" in failure.message and "model backend" in failure.message


def test_plain_text_page_needs_nothing(tmp_path):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Just a paragraph of prose, no figures at all.")
    doc.save(tmp_path / "t.pdf")
    result = extract_file(str(tmp_path / "t.pdf"), get_extractor("auto"))
    assert result.figures == [] and result.all_failures == []


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(UsageError, match="known backends: ") as raised:
        get_extractor("tesseract")
    assert {"anthropic", "auto", "native", "paligemma"} <= set(str(raised.value).split(": ")[-1].split(", "))


def scanned_pages(path, count: int) -> str:
    """Pages with no text layer, just a picture: only a model backend can read them."""
    doc = pymupdf.open()
    for _ in range(count):
        picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 40), False)
        picture.clear_with(180)
        doc.new_page().insert_image(pymupdf.Rect(72, 72, 372, 272), pixmap=picture)
    doc.save(path)
    return str(path)


@pytest.mark.parametrize("with_key", [False, True])
def test_a_model_folder_without_weights_is_a_usage_error_before_any_file_is_read(tmp_path, monkeypatch, with_key):
    if with_key:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="holds no PaliGemma checkpoint"):
        get_extractor("auto", ExtractorOptions(model=str(tmp_path / "empty")))
    monkeypatch.setenv("FIGTAB_PALIGEMMA_MODEL", str(tmp_path / "missing"))
    with pytest.raises(UsageError, match="does not exist"):
        get_extractor("auto")


def test_weights_that_fail_to_load_are_loaded_once_not_once_a_page(tmp_path):
    weights = tmp_path / "corrupt"
    weights.mkdir()
    (weights / "config.json").write_text("{ not json")
    auto = get_extractor("auto", ExtractorOptions(model=str(weights)))  # the folder looks right: no usage error
    path = scanned_pages(tmp_path / "scan.pdf", 2)
    first = extract_file(path, auto, pages=[1]).all_failures
    (weights / "config.json").unlink()  # a second load would now fail differently ("no checkpoint")
    second = extract_file(path, auto, pages=[2]).all_failures
    assert [f.error for f in first + second] == ["ExtractorError", "ExtractorError"]
    assert "could not be built" in first[0].message and first[0].message == second[0].message
