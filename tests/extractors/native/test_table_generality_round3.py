"""The native table reader on layouts other producers use: cells centred vertically, rows parted by padding, text
columns as wide as prose, headers wider than their figures, group labels over a later sub-column, justified cells.

Each test draws the layout with PyMuPDF the way one producer set it, in general terms (no producer's quirks).
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from test_tables import PROSE, make_pdf, tables, wrap

from figtab.extractors.native.page_content import Word
from figtab.extractors.native.tables.lines import chunks

PITCH = 12.0


def right(page: pymupdf.Page, x: float, y: float, text: str, font: str = "helv") -> None:
    """``text`` set flush right at ``x``."""
    page.insert_text((x - pymupdf.get_text_length(text, fontname=font, fontsize=10), y), text, fontsize=10,
                     fontname=font)


def draw_centred_rows(page: pymupdf.Page, rows: list[list[str]], xs: list[float], widths: list[float], y: float,
                      padding: float = 0.0) -> float:
    """Rows whose cells, wrapped to their widths, are centred vertically on the row; the y under the last row."""
    for row in rows:
        cells = [wrap(text, width) for text, width in zip(row, widths)]
        height = max(map(len, cells)) * PITCH
        for x, lines in zip(xs, cells):
            top = y + (height - len(lines) * PITCH) / 2
            for i, line in enumerate(lines):
                page.insert_text((x, top + i * PITCH), line, fontsize=10)
        y += height + padding
    return y


RISKS = [["Late returns", "Offices send their quarterly returns after the deadline set by the regional office",
          "Finance team"],
         ["Audit", "Accounts fail the yearly audit", "Audit committee"],
         ["Staff turnover", "Trained staff leave before the programme ends and the work stops for months",
          "Programme board"]]


def test_cells_centred_vertically_with_lines_half_a_line_apart(tmp_path: Path) -> None:
    widths = [80, 110, 90]
    assert [len(wrap(row[1], widths[1])) for row in RISKS] == [4, 2, 4]  # beside one-line labels: half-line offsets

    def draw(page: pymupdf.Page) -> None:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 150), PROSE * 2, fontsize=10)
        header = ["Risk", "Description", "Owner"]
        for x, text in zip([72, 190, 340], header):
            page.insert_text((x, 190), text, fontsize=10, fontname="hebo")
        draw_centred_rows(page, RISKS, [72, 190, 340], widths, 210, padding=4)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["Risk", "Description", "Owner"], *RISKS]
    assert figure.table.header_rows == 1


INDICATORS = [["Skills take-up", "Adults who finished an evening class run with the European Social Fund this year",
               "12.5", "13.1"],
              ["Rural grants", "Projects in rural areas that the councils agreed with the regional office",
               "40.2", "38.7"],
              ["Digital help", "Small firms that received a laptop and broadband through the scheme",
               "7.9", "8.4"]]


def test_cells_centred_on_rows_parted_by_padding(tmp_path: Path) -> None:
    """Three-line texts beside one-line figures: every line on the grid, the row's figures beside its middle line,
    so the rows show only through the padding between them."""
    widths = [90, 150, 40, 40]
    assert [len(wrap(row[1], widths[1])) for row in INDICATORS] == [3, 3, 3]

    def draw(page: pymupdf.Page) -> None:
        for x, text in zip([72, 180, 360, 420], ["Indicator", "Description", "2021", "2022"]):
            page.insert_text((x, 190), text, fontsize=10)
        draw_centred_rows(page, INDICATORS, [72, 180, 360, 420], widths, 210, padding=6)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["Indicator", "Description", "2021", "2022"], *INDICATORS]
    assert figure.table.header_rows == 1


PROGRAMMES = [["Risk", "Description", "Owner"],
              ["From NHS England", "The Ministry of Finance and guidance from NHS England for the annual grant",
               "Finance team"],
              ["And health", "The European Social Fund", "Ministry of Health"],
              ["Health boards", "The audited accounts by the managing authority for small firms and charities",
               "Regional office"]]


def test_rows_parted_by_padding_stay_apart_where_their_cells_could_have_wrapped(tmp_path: Path) -> None:
    widths = [70, 135, 90]
    width = pymupdf.get_text_length
    above, below = PROGRAMMES[2], PROGRAMMES[3]  # each cell's first word would not have fitted on the line above
    assert all(width(f"{a} {b.split()[0]}", fontsize=10) > w for a, b, w in zip(above, below, widths))

    def draw(page: pymupdf.Page) -> None:
        y = 200
        for row in PROGRAMMES:
            cells = [wrap(text, w) for text, w in zip(row, widths)]
            for x, lines in zip([72, 160, 320], cells):
                for i, line in enumerate(lines):
                    page.insert_text((x, y + i * PITCH), line, fontsize=10)
            y += max(map(len, cells)) * PITCH + 6

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == PROGRAMMES


MEASURES = [["Measure", "What changes", "How it is checked", "Owner"],
            ["Grants", "Councils agree a plan with the regional office before any payment is made to the project",
             "Audited accounts are sent to the managing authority each quarter for approval", "Finance team"],
            ["Training", "Staff of small firms and charities attend courses paid for by the fund",
             "Attendance lists and certificates are checked by the regional office", "Skills office"],
            ["Transport", "Projects in rural areas may claim travel costs for volunteers and staff",
             "Receipts are checked against the budget agreed with the council", "Programme board"]]


def test_text_columns_as_wide_as_prose_inside_a_table(tmp_path: Path) -> None:
    """Two text columns whose lines have five words or more and a fifth of the page's width, the measure of prose:
    the table's rows set short cells beside them, so they stay cells."""
    widths = [70, 140, 140, 80]
    for column in (1, 2):
        lines = [line for row in MEASURES[1:] for line in wrap(row[column], widths[column])]
        assert sum(len(line.split()) >= 5 and pymupdf.get_text_length(line, fontsize=10) >= 0.2 * 612
                   for line in lines) >= 2

    def draw(page: pymupdf.Page) -> None:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 150), PROSE * 2, fontsize=10)
        y = 190
        for row in MEASURES:
            cells = [wrap(text, w) for text, w in zip(row, widths)]
            for x, lines in zip([72, 150, 300, 450], cells):
                for i, line in enumerate(lines):
                    page.insert_text((x, y + i * PITCH), line, fontsize=10)
            y += max(map(len, cells)) * PITCH + 4
        page.insert_textbox(pymupdf.Rect(72, y + 20, 540, y + 100), PROSE * 2, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == MEASURES


def test_sub_header_wider_than_its_figures_under_a_label_that_touches_it(tmp_path: Path) -> None:
    """Sub-headers set flush left over figures set flush right, each year label ending where the next sub-header
    starts: the sliver where they meet is no column gap, and the space the sub-header alone covers is none
    either."""
    body = [["Under 18", "3,500", "29.1", "410", "26.4"], ["18-24", "8,274", "32.9", "3,327", "20.3"],
            ["35-44", "5,299", "37.1", "6,640", "9.3"]]
    lefts, rights = [200, 250, 340, 390], [235, 300, 375, 440]

    def draw(page: pymupdf.Page) -> None:
        for year, first in zip(["2019", "2020"], [0, 2]):
            end = lefts[first + 1] + 0.2  # a sliver over the sub-header's first letter
            page.insert_text((end - pymupdf.get_text_length(year, fontname="hebo", fontsize=10), 200), year,
                             fontsize=10, fontname="hebo")
        for x, text in zip([72, *lefts], ["Age group", "Tested", "% positive", "Tested", "% positive"]):
            page.insert_text((x, 214), text, fontsize=10, fontname="hebo")
        for r, row in enumerate(body):
            page.insert_text((72, 228 + 14 * r), row[0], fontsize=10)
            for x, text in zip(rights, row[1:]):
                right(page, x, 228 + 14 * r, text)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["", "2019", "", "2020", ""],
                                 ["Age group", "Tested", "% positive", "Tested", "% positive"], *body]
    assert [(s.row, s.col, s.col_span) for s in figure.table.spans] == [(0, 1, 2), (0, 3, 2)]


def test_group_labels_set_over_the_second_sub_column_span_their_group(tmp_path: Path) -> None:
    body = [["North", "1,204", "12.5", "1,310", "11.0"], ["South", "845", "3.1", "901", "4.4"],
            ["East", "2,310", "7.0", "2,115", "8.2"]]
    xs = [72, 160, 230, 300, 370]

    def draw(page: pymupdf.Page) -> None:
        for year, x in zip(["2014", "2015"], [xs[2], xs[4]]):
            page.insert_text((x, 200), year, fontsize=10)
        for r, row in enumerate([["Region", "n", "%Pos", "n", "%Pos"], *body]):
            for x, text in zip(xs, row):
                page.insert_text((x, 214 + 14 * r), text, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows[:2] == [["", "2014", "", "2015", ""], ["Region", "n", "%Pos", "n", "%Pos"]]
    assert [(s.row, s.col, s.col_span) for s in figure.table.spans] == [(0, 1, 2), (0, 3, 2)]


def _words(texts: list[str], x: float, spaces: list[float]) -> list[Word]:
    """Words of height 10 from ``x``, with the given spaces between them (points), in Helvetica widths."""
    words = []
    for text, space in zip(texts, [*spaces, 0.0]):
        width = pymupdf.get_text_length(text, fontsize=10)
        words.append(Word(x, 100.0, x + width, 110.0, text))
        x += width + space
    return words


@pytest.mark.parametrize("stretch", [6.0, 9.0, 14.0])
def test_a_justified_cell_line_with_stretched_spaces_is_one_chunk(stretch: float) -> None:
    """A narrow justified column stretches its spaces past a cell gap (5 points here); the words go on in lower
    case at even spaces, so they stay one cell beside their label."""
    line = _words(["Schools", "and", "health", "boards"], 72, [30, stretch, stretch, stretch])
    assert [chunk.text for chunk in chunks(line)] == ["Schools", "and health boards"]


def test_cells_of_capitalised_words_at_even_spaces_stay_apart() -> None:
    line = _words(["Region", "North", "South", "East"], 72, [9.0, 9.0, 9.0])
    assert [chunk.text for chunk in chunks(line)] == ["Region", "North", "South", "East"]


def test_a_justified_cell_line_beside_other_cells_is_one_chunk_and_a_figure_after_it_is_not() -> None:
    sentence = ["partner", "that", "holds", "the", "contract", "and", "answers"]
    line = _words(["Staff", "costs"] + sentence + ["759.7", "649.6"], 57, [3.0, 97.0] + [3.1] * 6 + [5.4, 59.0])
    assert [chunk.text for chunk in chunks(line)] == ["Staff costs", " ".join(sentence), "759.7", "649.6"]


def test_a_justified_line_of_capitalised_words_beside_a_label_and_a_figure() -> None:
    """Spaces stretched evenly past a cell gap, but less than a line's height: a sentence, even in capitals."""
    sentence = "The European Social Fund and the Ministry of Finance".split()
    line = _words(["Rural", "grants", *sentence, "40.2"], 72, [2.8, 40.0] + [6.5] * 8 + [30.0])
    assert [chunk.text for chunk in chunks(line)] == ["Rural grants", " ".join(sentence), "40.2"]
