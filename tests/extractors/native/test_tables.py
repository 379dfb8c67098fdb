"""The native table reader on small PDFs drawn here with PyMuPDF: one test per capability."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from figtab.extractors import NativeExtractor
from figtab.flows.pipeline import extract_file
from figtab.schemas import Figure

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


def test_stitching_needs_no_page_again_once_read(tmp_path: Path) -> None:
    header, more = ROWS[0], [["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"]]
    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600, bold_header=True),
                    lambda page: draw_table(page, [header, *more], y=80, bold_header=True))

    def remove_file_when_read(done: int, total: int) -> None:
        if done == total:
            Path(path).unlink()  # the document can no longer be opened by name

    figures = extract_file(path, NativeExtractor(), on_page=remove_file_when_read).figures
    assert [f.table.pages for f in figures if f.kind == "table"] == [[1, 2]]


def test_table_over_three_pages_is_stitched_once(tmp_path: Path) -> None:
    header, more = ROWS[0], [["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"]]
    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600, bold_header=True),
                    lambda page: draw_table(page, [header, *more], y=80, bold_header=True),
                    lambda page: draw_table(page, [header, *ROWS[1:3]], y=80, bold_header=True))
    [figure] = tables(path)
    assert figure.table.pages == [1, 2, 3] and figure.table.rows == [*ROWS, *more, *ROWS[1:3]]


def test_different_tables_on_consecutive_pages_are_not_stitched(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600),
                    lambda page: draw_table(page, [["Year", "Cost"], ["2020", "5"]], y=80))
    assert [f.page for f in tables(path)] == [1, 2]


def test_table_followed_by_text_is_not_stitched_to_the_next_pages_table(tmp_path: Path) -> None:
    def first(page: pymupdf.Page) -> None:
        draw_table(page, ROWS, y=400)
        page.insert_textbox(pymupdf.Rect(72, 500, 540, 600), PROSE * 2, fontsize=10)

    path = make_pdf(tmp_path, first, lambda page: draw_table(page, [ROWS[0], *ROWS[1:]], y=80))
    assert [f.page for f in tables(path)] == [1, 2]


@pytest.mark.parametrize("paragraph_after_notes", [False, True])
def test_table_followed_by_its_notes_is_stitched_unless_text_follows(tmp_path: Path,
                                                                     paragraph_after_notes: bool) -> None:
    def first(page: pymupdf.Page) -> None:
        draw_table(page, ROWS, y=560)
        page.insert_text((72, 640), "* Provisional figures.", fontsize=8)
        page.insert_text((72, 650), "Source: National statistics office.", fontsize=8)
        if paragraph_after_notes:
            page.insert_textbox(pymupdf.Rect(72, 670, 540, 740), PROSE, fontsize=10)

    more = [["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"]]
    pages = [f.page for f in tables(make_pdf(tmp_path, first, lambda page: draw_table(page, more, y=80)))]
    assert pages == ([1, 2] if paragraph_after_notes else [1])


def test_table_after_text_on_the_next_page_is_not_a_continuation(tmp_path: Path) -> None:
    def second(page: pymupdf.Page) -> None:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 160), PROSE * 2, fontsize=10)
        draw_table(page, ROWS, y=200)

    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600), second)
    assert [f.page for f in tables(path)] == [1, 2]


def test_continuation_under_a_running_head_and_continued_caption_is_stitched(tmp_path: Path) -> None:
    def second(page: pymupdf.Page) -> None:
        page.insert_text((72, 40), "Annual report 2023", fontsize=8)
        page.insert_text((72, 80), "Table 1 (continued)", fontsize=10)
        draw_table(page, [["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"]], y=110)

    def first(page: pymupdf.Page) -> None:
        draw_table(page, ROWS, y=600)
        page.insert_text((300, 770), "12", fontsize=9)

    [figure] = tables(make_pdf(tmp_path, first, second))
    assert figure.table.pages == [1, 2] and figure.table.rows[-2:] == [["West", "8", "9", "12.5%"],
                                                                       ["Centre", "3", "4", "33.3%"]]


def test_parts_with_columns_at_other_positions_are_not_stitched(tmp_path: Path) -> None:
    path = make_pdf(tmp_path, lambda page: draw_table(page, ROWS, y=600),
                    lambda page: draw_table(page, ROWS[1:], y=80, col=60))
    assert [f.page for f in tables(path)] == [1, 2]


MONO = [["Share", "1.0", "1.1", "1.2"], ["0.99", "800", "880", "1,040"], ["0.95", "160", "176", "192"],
        ["0.90", "80", "88", "96"]]


def draw_monospaced(page: pymupdf.Page, rows: list[list[str]], y: float) -> None:
    """Lines typed in Courier: labels with leader dots, number columns right-aligned one space apart."""
    for r, (label, *values) in enumerate(rows):
        lead = label.ljust(5) + (" " + "." * 12 if r else " " * 13)
        page.insert_text((72, y + 12 * r), lead + "".join(f"{v:>6}" for v in values), fontsize=10, fontname="cour")


def test_monospaced_columns_one_space_apart_and_leader_dots(tmp_path: Path) -> None:
    [figure] = tables(make_pdf(tmp_path, lambda page: draw_monospaced(page, MONO, 200)))
    assert figure.table.rows == MONO


def test_stacked_tables_that_repeat_their_header_stay_apart(tmp_path: Path) -> None:
    second = [MONO[0], ["0.85", "53", "59", "64"], ["0.80", "40", "44", "48"]]

    def draw(page: pymupdf.Page) -> None:
        draw_monospaced(page, MONO, 200)
        draw_monospaced(page, second, 200 + 12 * (len(MONO) + 1))

    assert [f.table.rows for f in tables(make_pdf(tmp_path, draw))] == [MONO, second]


@pytest.mark.parametrize(("label", "label_size", "text_x", "text_size"), [
    ("*", 6, 76, 8),  # a footnote whose raised mark stands apart from its sentence
    ("Source:", 10, 172, 10),  # a source line with its label set apart like a cell
])
def test_note_under_the_table_is_not_a_row(tmp_path: Path, label: str, label_size: float, text_x: float,
                                           text_size: float) -> None:
    def draw(page: pymupdf.Page) -> None:
        draw_table(page, ROWS)
        y = 200 + 16 * len(ROWS)
        page.insert_text((72, y - 3 if label_size < text_size else y), label, fontsize=label_size)
        page.insert_text((text_x, y), "Figures for East are provisional estimates.", fontsize=text_size)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == ROWS


def test_rows_ruled_across_with_columns_ruled_only_in_the_header(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for y in [100, 120, 140]:
            page.draw_line((72, y), (472, y))
        for x, top in [(172, 100), (272, 120), (372, 100)]:
            page.draw_line((x, top), (x, 140))
        page.insert_text((80, 114), "Crop", fontsize=10)
        page.insert_text((200, 114), "Harvest", fontsize=10)
        page.insert_text((380, 114), "Change", fontsize=10)
        page.insert_text((180, 134), "2012", fontsize=10)
        page.insert_text((280, 134), "2013", fontsize=10)
        page.insert_text((380, 134), "%", fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [["Crop", "Harvest", "", "Change"], ["", "2012", "2013", "%"]]
    assert figure.bbox.x0 == pytest.approx(72) and figure.bbox.x1 == pytest.approx(472)


def test_ruled_header_over_an_unruled_body_is_one_table(tmp_path: Path) -> None:
    rows = [["Crop", "2012", "2013", "Change"], ["", "t", "t", "%"], ["Rice", "10", "12", "2"], ["Oat", "7", "9", "2"]]

    def draw(page: pymupdf.Page) -> None:
        for y in [100, 120, 140]:
            page.draw_line((72, y), (472, y))
        for x in [72, 172, 272, 372, 472]:
            page.draw_line((x, 100), (x, 140))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    page.insert_text((80 + 100 * c, 114 + 20 * r if r < 2 else 158 + 16 * (r - 2)), text, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows
    assert figure.table.header_rows == 2


def test_three_columns_of_prose_are_not_a_table(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for x in [54, 230, 406]:
            page.insert_textbox(pymupdf.Rect(x, 72, x + 155, 300), PROSE * 2, fontsize=10)
        draw_table(page, ROWS, y=340)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == ROWS


def test_justified_lines_with_stretched_spaces_are_not_rows(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        words = PROSE.split()
        for r in range(3):
            x = 72.0
            for word in words[8 * r:8 * r + 8]:
                page.insert_text((x, 120 + 13 * r), word, fontsize=10)
                x += pymupdf.get_text_length(word, fontsize=10) + 8.5
        draw_table(page, ROWS, y=200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == ROWS


def test_group_label_before_the_first_values_opens_the_body(tmp_path: Path) -> None:
    rows = [["Group", "2022", "2023"], ["Women", "", ""], ["Young", "5", "6"], ["Old", "7", "8"]]
    [figure] = tables(make_pdf(tmp_path, lambda page: draw_table(page, rows, pitch=13)))
    assert figure.table.rows == rows and figure.table.header_rows == 1


def test_shaded_cells_with_white_gutters_read_as_one_grid(tmp_path: Path) -> None:
    """Cells as filled boxes, as word processors export them: white hairlines frame only the value cells, labels
    wrap, header cells hold two lines."""
    rows = [["", "Launch: May 21, 2009", "1 Year: May 21, 2010", "FY 2010 Sept. 30, 2011"],
            ["Total data sets", "47", "272,768", "389,933"],
            ["Applications and mashups developed by the public", "0", "237", "1,079"],
            ["Cities with open data sites", "0", "8", "11"]]
    widths, gutter = [150, 90, 90, 100], 1.5

    def draw(page: pymupdf.Page) -> None:
        y = 200.0
        for r, row in enumerate(rows):
            x, height = 72.0, 40 if r in (0, 2) else 26
            for width, text in zip(widths, row):
                value = r > 0 and x > 72
                page.draw_rect(pymupdf.Rect(x, y, x + width, y + height), color=(1, 1, 1) if value else None,
                               fill=(0.8, 0.85, 0.95) if value else (0.1, 0.2, 0.4), width=0.5)
                page.insert_textbox(pymupdf.Rect(x + 4, y + 4, x + width - 4, y + height), text, fontsize=10)
                x += width + gutter
            y += height + gutter

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


@pytest.mark.parametrize(("font", "table_y"), [("hebo", 200), ("helv", 260)])
def test_numbered_section_headings_stacked_with_gaps_are_not_a_table(tmp_path: Path, font: str, table_y: float) -> None:
    def draw(page: pymupdf.Page) -> None:
        for i, heading in enumerate(["2 Methods", "2.1 Scope", "2.1.1 Data sources"]):
            number, title = heading.split(" ", 1)
            page.insert_text((72, 100 + 26 * i), number, fontsize=12, fontname=font)
            page.insert_text((110, 100 + 26 * i), title, fontsize=12, fontname=font)
        draw_table(page, ROWS, y=table_y)

    assert [f.table.rows for f in tables(make_pdf(tmp_path, draw))] == [ROWS]


def test_reference_list_beside_a_table_stays_out_of_it(tmp_path: Path) -> None:
    rows = [*ROWS, ["West", "8", "9", "12.5%"], ["Centre", "3", "4", "33.3%"], ["Coast", "5", "6", "20.0%"]]

    def draw(page: pymupdf.Page) -> None:
        draw_table(page, rows, col=60, y=200)
        for i, text in enumerate(["References", "1. Lee K. Data sets.", "2. Roe P. Open data."]):
            page.insert_text((400, 222 + 13 * i), text, fontsize=9)

    assert [f.table.rows for f in tables(make_pdf(tmp_path, draw))] == [rows]


def test_header_with_narrow_cell_gaps_is_cut_into_cells(tmp_path: Path) -> None:
    header = ["Year", "Imports", "Exports", "Balance", "Share"]
    body = [["2019", "10,220", "9,870", "-350", "41.2"], ["2020", "9,105", "9,230", "125", "40.8"],
            ["2021", "11,480", "10,960", "-520", "42.5"]]

    def draw(page: pymupdf.Page) -> None:
        x = 72.0
        for c, text in enumerate(header):  # cells only 4 points apart: closer than a cell gap
            page.insert_text((x, 200), text, fontsize=10, fontname="hebo")
            for r, row in enumerate(body):
                page.insert_text((x, 216 + 16 * r), row[c], fontsize=10)
            x += pymupdf.get_text_length(text, fontname="hebo", fontsize=10) + 4

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [header, *body]


def wrap(text: str, width: float, fontsize: float = 10) -> list[str]:
    """``text`` broken greedily into lines no wider than ``width`` points in Helvetica, as a typesetter wraps."""
    lines: list[str] = []
    for word in text.split():
        if lines and pymupdf.get_text_length(f"{lines[-1]} {word}", fontsize=fontsize) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_wrapped_rows(page: pymupdf.Page, rows: list[list[str]], xs: list[float], widths: list[float],
                      y: float, pitch: float = 12, row_gap: float = 0) -> float:
    """Rows of top-aligned cells, each wrapped to its column's width; the y under the last row."""
    for row in rows:
        cells = [wrap(text, width) for text, width in zip(row, widths)]
        for x, lines in zip(xs, cells):
            for i, line in enumerate(lines):
                page.insert_text((x, y + i * pitch), line, fontsize=10)
        y += max(map(len, cells)) * pitch + row_gap
    return y


DEFINITIONS = [["Household", "One person living alone, or a group of people who share cooking facilities and share a "
                "living room or sitting room or dining area at the same address."],
               ["Reference person", "The person in whose name the home is owned or rented; where two people share "
                "that, the one with the higher income under the rules of the Ministry of Finance."],
               ["Dependent child", "A person aged under 16, or aged 16 to 18 in full-time education and living in a "
                "family with his or her parent or parents."],
               ["Usual resident", "Anyone who on census day was in the country and had stayed or intended to stay "
                "for a period of twelve months or more, or had a permanent address here."]]


@pytest.mark.parametrize("row_gap", [0, 6])
def test_term_definition_table_of_long_wrapped_text_is_found(tmp_path: Path, row_gap: float) -> None:
    def draw(page: pymupdf.Page) -> None:
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 150), PROSE * 2, fontsize=10)
        bottom = draw_wrapped_rows(page, DEFINITIONS, [72, 200], [110, 330], 190, row_gap=row_gap)
        page.insert_textbox(pymupdf.Rect(72, bottom + 20, 540, bottom + 100), PROSE * 2, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == DEFINITIONS


def test_wrapped_cells_that_go_on_in_capitals_stay_in_their_row(tmp_path: Path) -> None:
    rows = [["Programme", "Purpose", "Contact"],
            ["Adult skills", "Evening classes run with the European Social Fund and Local Councils in every region",
             "Skills office"],
            ["Rural grants", "Staff costs and travel for projects that NHS England and the Ministry of Health agree",
             "Health board"],
            ["Digital help", "Laptops and broadband for small firms", "Data office"]]
    widths = [100, 150, 100]
    assert any(line[0].isupper() for text in (rows[1][1], rows[2][1]) for line in wrap(text, widths[1])[1:])

    def draw(page: pymupdf.Page) -> None:
        draw_wrapped_rows(page, rows, [72, 200, 380], widths, 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_numbered_paragraphs_are_not_a_term_definition_table(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        y = 100
        for number in ("1.", "2.", "3."):
            page.insert_text((72, y), number, fontsize=10)
            y = draw_wrapped_rows(page, [[PROSE]], [110], [400], y) + 8

    assert tables(make_pdf(tmp_path, draw)) == []


def _sub_columns(page: pymupdf.Page, labels: list[str], align: str) -> None:
    """Two groups of two right-aligned figure columns under group labels, centred over their group or set at
    its left edge."""
    rights = [250, 310, 400, 460]
    sub = ["Region", "n", "%Pos", "n", "%Pos"]
    body = [["North", "1,204", "12.5", "1,310", "11.0"], ["South", "845", "3.1", "901", "4.4"],
            ["East", "2,310", "7.0", "2,115", "8.2"]]

    def right(x: float, text: str, y: float) -> None:
        page.insert_text((x - pymupdf.get_text_length(text, fontsize=10), y), text, fontsize=10)

    for group, label in enumerate(labels):
        left, end = rights[2 * group] - 30, rights[2 * group + 1]
        x = (left + end - pymupdf.get_text_length(label, fontsize=10)) / 2 if align == "centre" else left
        page.insert_text((x, 200), label, fontsize=10)
    for r, row in enumerate([sub, *body]):
        page.insert_text((72, 214 + 14 * r), row[0], fontsize=10)
        for x, text in zip(rights, row[1:]):
            right(x, text, 214 + 14 * r)


@pytest.mark.parametrize("align", ["centre", "left"])
def test_year_over_two_sub_columns_is_one_merged_cell(tmp_path: Path, align: str) -> None:
    [figure] = tables(make_pdf(tmp_path, lambda page: _sub_columns(page, ["2019", "2020"], align)))
    assert figure.table.rows[:2] == [["", "2019", "", "2020", ""], ["Region", "n", "%Pos", "n", "%Pos"]]
    assert [(s.row, s.col, s.col_span) for s in figure.table.spans] == [(0, 1, 2), (0, 3, 2)]
    assert figure.table.header_rows == 2 and len(figure.table.rows) == 5


def test_first_line_of_a_wrapped_header_is_no_group_label(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for x, (top, bottom) in zip([72, 200, 300], [("", "Region"), ("Total", "income"), ("Total", "income")]):
            page.insert_text((x, 200), top, fontsize=10)
            page.insert_text((x, 212), bottom, fontsize=10)
        for r, row in enumerate([["North", "1,204", "12.5"], ["South", "845", "3.1"]]):
            for x, text in zip([72, 200, 300], row):
                page.insert_text((x, 228 + 14 * r), text, fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows[0] == ["Region", "Total income", "Total income"]
    assert figure.table.spans == []


def draw_lines_of_cells(page: pymupdf.Page, rows: list[list[list[str]]], xs: list[float], y: float,
                        pitch: float = 12) -> None:
    """Rows of top-aligned cells given line by line, as a typesetter broke them."""
    for row in rows:
        for x, lines in zip(xs, row):
            for i, line in enumerate(lines):
                page.insert_text((x, y + i * pitch), line, fontsize=10)
        y += max(map(len, row)) * pitch


def test_row_label_right_under_a_paragraph_opens_the_table(tmp_path: Path) -> None:
    rows = DEFINITIONS[1:] + DEFINITIONS[:1]  # the first label has two words, like a paragraph's last line

    def draw(page: pymupdf.Page) -> None:
        paragraph = wrap(PROSE * 2, 460)
        for i, line in enumerate(paragraph):
            page.insert_text((72, 100 + 12 * i), line, fontsize=10)
        draw_wrapped_rows(page, rows, [72, 200], [110, 330], 100 + 12 * len(paragraph) + 2)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_one_line_definition_that_fills_its_column_ends_its_row(tmp_path: Path) -> None:
    filling = wrap(DEFINITIONS[1][1] + " " + DEFINITIONS[2][1], 322)[0] + "."
    rows = [["Economic activity", DEFINITIONS[0][1]], ["Persistent poverty", filling],
            ["Material deprivation", DEFINITIONS[3][1]], ["Caseload", DEFINITIONS[2][1]]]
    width = pymupdf.get_text_length
    assert width(f"{filling} {rows[2][1].split()[0]}", fontsize=10) > 330  # the next text would not fit after it
    assert width(f"{rows[1][0]} {rows[2][0].split()[0]}", fontsize=10) > width(rows[2][0], fontsize=10)

    def draw(page: pymupdf.Page) -> None:
        draw_wrapped_rows(page, rows, [72, 200], [110, 330], 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_wrapped_row_labels_beside_figures_stay_in_the_table(tmp_path: Path) -> None:
    rows = [["Indicator", "Description", "2021", "2022"],
            ["Adult skills take-up", DEFINITIONS[0][1], "12.5", "13.1"],
            ["Rural grants", DEFINITIONS[1][1], "40.2", "38.7"],
            ["Digital help", DEFINITIONS[2][1], "7.9", "8.4"]]
    widths = [80, 170, 40, 40]
    labelled = sum(len(wrap(row[0], widths[0])) for row in rows)
    assert labelled < 0.5 * sum(len(wrap(row[1], widths[1])) for row in rows)  # labels on few of the lines

    def draw(page: pymupdf.Page) -> None:
        draw_wrapped_rows(page, rows, [72, 200, 420, 480], widths, 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_label_whose_text_ended_lines_before_is_not_carried_on(tmp_path: Path) -> None:
    full = wrap(DEFINITIONS[0][1] + " " + DEFINITIONS[1][1], 330)
    rows = [["Working age", " ".join(full[:3])], ["Median income", " ".join(full[3:6])],
            ["Small area", DEFINITIONS[3][1]]]
    width = pymupdf.get_text_length
    assert width(f"{full[2]} {full[3].split()[0]}", fontsize=10) > 330  # "Median income"'s text would not fit
    assert width("Working age Median", fontsize=10) > width("Median income", fontsize=10)

    def draw(page: pymupdf.Page) -> None:
        draw_wrapped_rows(page, rows, [72, 200], [110, 330], 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_cell_broken_early_goes_on_in_lower_case(tmp_path: Path) -> None:
    cells = [[["Programme"], ["Purpose"], ["Paid by"]],
             [["Small", "grants"], ["Help for projects in", "Wales and the north"], ["The finance", "office"]],
             [["Rural aid"], ["Staff costs of farms", "in hill country"], ["Approved by the audit", "committee"]],
             [["Skills"], ["Evening classes and", "Saturday courses"], ["Agreed with the local", "council"]]]
    width = pymupdf.get_text_length
    assert width("The finance office", fontsize=10) < width("Approved by the audit", fontsize=10)  # broken early

    def draw(page: pymupdf.Page) -> None:
        draw_lines_of_cells(page, cells, [72, 200, 340], 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [[" ".join(lines) for lines in row] for row in cells]


def test_cells_of_text_set_closer_than_a_cell_gap_stay_apart(tmp_path: Path) -> None:
    rows = [["Risk", "Description", "Owner"],
            ["Late returns", "Late reports from offices delay payments", "Finance team"],
            ["Data loss", "Laptops without encryption taken home", "Data office"],
            ["Fraud", "Claims made twice under two names", "Audit committee"]]
    widths = [90, 150, 100]
    widest = max(pymupdf.get_text_length(line, fontsize=10) for row in rows for line in wrap(row[1], widths[1]))
    xs = [72, 180, 180 + widest + 6]  # the widest description line ends 6 points before the owners: under a cell gap

    def draw(page: pymupdf.Page) -> None:
        draw_wrapped_rows(page, rows, xs, widths, 200)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == rows


def test_last_line_of_a_wrapped_cell_in_capitals_is_no_note(tmp_path: Path) -> None:
    cells = [[["Tenure"], ["Whether the home is owned outright, bought with a", "mortgage or rented from a landlord."]],
             [["Caseload"], ["The number of open claims at the end of the", "month, whatever their stage."]],
             [["Working age"], ["People aged 16 to 64 as defined by the rules of the", "Ministry of Finance."]]]

    def draw(page: pymupdf.Page) -> None:
        draw_lines_of_cells(page, cells, [72, 200], 200)
        page.insert_text((72, 300), "Source: annual returns.", fontsize=10)

    [figure] = tables(make_pdf(tmp_path, draw))
    assert figure.table.rows == [[" ".join(lines) for lines in row] for row in cells]
