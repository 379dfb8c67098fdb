"""The native table reader on small PDFs drawn here with PyMuPDF: one test per capability."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from extractors import NativeExtractor
from flows.pipeline import extract_file
from schemas import Figure

ROWS = [["Region", "2022", "2023", "Change"],
        ["North", "1,250", "1,400", "12.0%"],
        ["South", "(45)", "30", "n/a"],
        ["East", "$3.2", "4.1", "28.1%"]]
PROSE = ("Born-digital reports mix paragraphs of running text with tables of figures, and the reader must keep "
         "the two apart so that a sentence never becomes a row.")


def draw_table(page: pymupdf.Page, rows: list[list[str]], x: float = 72, y: float = 200, col: float = 100,
               pitch: float = 16, bold_header: bool = False, rotate: int = 0) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            font = "hebo" if bold_header and r == 0 else "helv"
            point = (x + c * col, y + r * pitch) if rotate == 0 else (x + r * pitch, y - c * col)
            page.insert_text(point, text, fontsize=10, fontname=font, rotate=rotate)


def make_pdf(tmp_path: Path, *pages: Callable[[pymupdf.Page], None], rotation: int = 0) -> str:
    doc = pymupdf.open()
    for draw in pages:
        page = doc.new_page()
        draw(page)
        page.set_rotation(rotation)
    path = tmp_path / "t.pdf"
    doc.save(path)
    return str(path)


def tables(path: str) -> list[Figure]:
    figures = extract_file(path, NativeExtractor()).figures
    assert all(f.valid for f in figures), [f.errors for f in figures]
    return [f for f in figures if f.kind == "table"]


def test_unruled_table_without_the_paragraph_and_page_number(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 160), PROSE * 2, fontsize=10)
        draw_table(page, ROWS, bold_header=True)
        page.insert_text((300, 760), "7", fontsize=9)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == ROWS
    assert figure.table.header_rows == 1
    assert figure.bbox.y0 > 180


def test_ruled_grid_with_a_merged_header_cell(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        xs, ys = [72, 172, 272, 372], [100, 120, 140, 160]
        for y in ys:
            page.draw_line((xs[0], y), (xs[-1], y))
        for x in xs:
            page.draw_line((x, ys[1] if x == 272 else ys[0]), (x, ys[-1]))
        page.insert_text((80, 114), "Item", fontsize=10)
        page.insert_text((240, 114), "Quarter totals", fontsize=10)
        for r, row in enumerate([["Tea", "10", "12"], ["Coffee", "7", "9"]]):
            for c, text in enumerate(row):
                page.insert_text((80 + 100 * c, 134 + 20 * r), text, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["Item", "Quarter totals", ""], ["Tea", "10", "12"], ["Coffee", "7", "9"]]
    assert [(s.row, s.col, s.col_span) for s in figure.table.spans] == [(0, 1, 2)]


def test_two_tables_on_a_page_stay_apart(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        draw_table(page, ROWS, y=120)
        page.insert_text((72, 260), "Table 2. Costs by year", fontsize=10)
        draw_table(page, [["Year", "Cost"], ["2020", "5"], ["2021", "6"]], y=290, col=150)

    first, second = tables(make_pdf(tmp_path, draw))
    assert first.table.rows == ROWS
    assert second.table.rows == [["Year", "Cost"], ["2020", "5"], ["2021", "6"]]
    assert second.table.title == "Table 2. Costs by year"


def test_wrapped_label_and_stacked_header_are_joined(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        lines = [(0, ["Country", "Share of", "Total"]), (12, ["", "imports (%)", "(n)"]),
                 (30, ["Austria", "13.8", "3,375"]), (46, ["Czech Republic and", "1.4", "17,655"]),
                 (58, ["its neighbours", "", ""]), (76, ["Estonia", "5.8", "430"])]
        for dy, cells in lines:
            for c, text in enumerate(cells):
                if text:
                    page.insert_text((72 + 140 * c, 200 + dy), text, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["Country", "Share of imports (%)", "Total (n)"], ["Austria", "13.8", "3,375"],
                                 ["Czech Republic and its neighbours", "1.4", "17,655"], ["Estonia", "5.8", "430"]]
    assert figure.table.header_rows == 1


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_page(tmp_path: Path, rotation: int) -> None:
    [figure] = tables(make_pdf(tmp_path, lambda page: draw_table(page, ROWS), rotation=rotation))
    assert figure.table.rows == ROWS
    assert figure.bbox.x1 <= 792 and figure.bbox.y1 <= 612


@pytest.mark.parametrize("rotate", [90, 270])
def test_rotated_table_on_an_upright_page(tmp_path: Path, rotate: int) -> None:
    y = 600 if rotate == 90 else 200
    x = 100 if rotate == 90 else 400

    def draw(page: pymupdf.Page) -> None:
        rows = ROWS if rotate == 90 else ROWS
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                point = (x + r * 16, y - c * 100) if rotate == 90 else (x - r * 16, y + c * 100)
                page.insert_text(point, text, fontsize=10, rotate=rotate)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == ROWS


def test_table_continued_on_next_page_is_stitched(tmp_path: Path) -> None:
    header, body = ROWS[0], ROWS[1:]
    more = [["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"]]
    path = make_pdf(tmp_path, lambda page: draw_table(page, [header, *body], y=600, bold_header=True),
                    lambda page: draw_table(page, [header, *more], y=80, bold_header=True))
    [figure] = tables(path)
    assert figure.page == 1 and figure.table.pages == [1, 2]
    assert figure.table.rows == [header, *body, *more]
    assert figure.table.header_rows == 1


def test_different_tables_on_consecutive_pages_are_not_stitched(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600),
                    lambda page: draw_table(page, [["Year", "Cost"], ["2020", "5"]], y=80))
    assert [f.page for f in tables(path)] == [1, 2]
