"""Failure classes met on charts from LibreOffice Calc and LaTeX pgfplots, each on a tiny page drawn here or on
shapes built by hand: TeX's "10, 000", tick labels along an upright axis set by their end, run together, or of one
length; keys that are bars of a group, keys of two small bars, a marker beside a tick label; a pie's title near a
slice's bisector; labels whose box stands off the grid line that marks their tick; numbers naming the points."""

from __future__ import annotations

import math

import pymupdf
import pytest

from figtab.extractors.native.charts import find_charts
from figtab.extractors.native.charts.axes import Axis, calibrate, calibrate_at
from figtab.extractors.native.charts.legend import find_legend
from figtab.extractors.native.charts.marks import labelled_key
from figtab.extractors.native.charts.pie import Pie, Slice, slice_labels
from figtab.extractors.native.charts.regions import PlotArea
from figtab.extractors.native.charts.scene import Label, Shape
from figtab.extractors.native.page_content import Box, PageContent

BLUE, ORANGE, GREY = (0.12, 0.47, 0.71), (1.0, 0.5, 0.05), (0.5, 0.5, 0.5)
BASE, TOP, LEFT, RIGHT = 300.0, 100.0, 80.0, 380.0  # the plot on the test page


def read(doc: pymupdf.Document):
    return find_charts(PageContent(doc[0]))


def points(chart) -> dict[tuple[str, str], float]:
    return {(s.name, f"{p.x:g}" if not isinstance(p.x, str) else p.x): p.y for s in chart.series for p in s.points}


def bars_page(values: list[float], top_value: float, y_labels: callable) -> pymupdf.Document:
    """Bars over categories A, B, C on an axis from 0 to ``top_value``; ``y_labels(page)`` writes the value axis."""
    doc = pymupdf.open()
    page = doc.new_page(width=450, height=380)
    page.draw_line((LEFT, BASE), (RIGHT, BASE), color=GREY, width=0.8)
    for i, (name, value) in enumerate(zip("ABC", values)):
        cx = LEFT + 50 + 100 * i
        page.draw_rect(pymupdf.Rect(cx - 20, BASE - (BASE - TOP) * value / top_value, cx + 20, BASE), color=None,
                       fill=BLUE, width=0)
        page.insert_text((cx - 3, BASE + 14), name, fontsize=9)
    y_labels(page)
    return doc


def test_thousands_set_apart_by_a_thin_space_stay_one_number():
    """TeX sets "10,000" in math mode as "10, 000": the text layer reads two words, one number."""
    def labels(page: pymupdf.Page) -> None:
        for v in range(0, 40001, 10000):
            y = BASE - (BASE - TOP) * v / 40000
            text = f"{v // 1000}, 000" if v else "0"
            page.insert_text((LEFT - 6 - pymupdf.get_text_length(text, fontsize=8), y + 3), text, fontsize=8)
            page.draw_line((LEFT - 4, y), (LEFT, y), color=GREY, width=0.5)

    found = read(bars_page([12000, 31000, 25500], 40000, labels))
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 12000, ("", "B"): 31000, ("", "C"): 25500}, rel=1e-3)


def _upright(page: pymupdf.Page, text: str, x: float, end_y: float, size: float = 8) -> None:
    """Text reading up the page whose end stands at ``end_y``."""
    page.insert_text((x, end_y + pymupdf.get_text_length(text, fontsize=size)), text, fontsize=size, rotate=90)


def test_upright_labels_of_one_length_ending_at_their_ticks_calibrate_at_their_ends():
    """Labels of one length fit evenly at middles and ends alike; the axis line drawn at the first one's end says
    which (LibreOffice draws no tick marks, only the axis line at zero)."""
    def labels(page: pymupdf.Page) -> None:
        for v in range(5):
            _upright(page, f"{v}.00", LEFT - 4, BASE - (BASE - TOP) * v / 4)

    found = read(bars_page([1.5, 3.25, 0.75], 4, labels))
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 1.5, ("", "B"): 3.25, ("", "C"): 0.75}, rel=1e-3)


def test_upright_labels_of_unequal_length_ending_at_their_ticks_are_one_column():
    """"0" and "10,000" end at their ticks: their middles are unevenly spaced, their ends are not."""
    def labels(page: pymupdf.Page) -> None:
        for v in range(0, 40001, 10000):
            _upright(page, f"{v:,}", LEFT - 4, BASE - (BASE - TOP) * v / 40000)

    found = read(bars_page([12000, 31000, 25500], 40000, labels))
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 12000, ("", "B"): 31000, ("", "C"): 25500}, rel=1e-3)


def test_upright_labels_run_together_are_cut_where_each_ends_at_its_grid_line():
    """Labels of one length set end to end up the axis read as one line "$10$20$30$40"; each ends at its grid
    line, so the pieces' middles miss the lines by half a label and only their ends fit."""
    length = pymupdf.get_text_length("$10", fontsize=8)
    step = length  # each label fills the gap to the next: the text layer runs them into one line

    def labels(page: pymupdf.Page) -> None:
        start = BASE + length
        page.insert_text((LEFT - 4, start), "$10$20$30$40", fontsize=8, rotate=90)
        for k in range(4):
            page.draw_line((LEFT, start - length - k * step), (RIGHT, start - length - k * step), color=GREY,
                           width=0.5)

    grid = [BASE - k * step for k in range(4)]  # $10 at the base ... $40 at the top
    doc = pymupdf.open()
    page = doc.new_page(width=450, height=380)
    labels(page)
    for i, (name, value) in enumerate(zip("AB", [25.0, 35.0])):
        cx = LEFT + 60 + 100 * i
        y = grid[0] - (grid[0] - grid[3]) * (value - 10) / 30
        page.draw_rect(pymupdf.Rect(cx - 3, y - 3, cx + 3, y + 3), color=None, fill=BLUE, width=0)
        page.insert_text((cx - 3, BASE + 14), name, fontsize=9)
    raw = [line.text for line in PageContent(doc[0]).lines]
    assert any("$10$20" in text.replace(" ", "") for text in raw)  # the text layer runs them together
    found = read(doc)
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 25.0, ("", "B"): 35.0}, rel=1e-3)


def rect(x0: float, y0: float, x1: float, y1: float, fill) -> Shape:
    return Shape(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), fill, None, True, False, True)


def label(x0: float, y0: float, text: str, size: float = 10.0) -> Label:
    return Label(Box(x0, y0, x0 + 0.55 * size * len(text), y0 + size), text, size)


def test_a_bar_of_a_group_beside_a_category_label_is_no_legend_key():
    """A category label under the zero line with a tall bar of the next group just right of it: that bar abuts its
    neighbours, a key stands clear of other marks."""
    labels = [label(100, 263, "Budget"), label(300, 120, "Steel")]
    shapes = [rect(144, 259, 158, 277, ORANGE), rect(158, 259, 172, 270, BLUE),  # two bars of a group, below zero
              rect(288, 121, 294, 127, ORANGE)]  # the legend's key for Steel
    names = {entry.name for entry in find_legend(shapes, labels)}
    assert names == {"Steel"}


def test_a_key_drawn_as_two_small_bars_takes_both_out_of_the_data():
    """pgfplots keys a bar series with two small bars side by side; both are the key, neither is data."""
    text = label(326.3, 42.5, "Rural", 8.0)
    far, near = rect(315.1, 40.8, 318.1, 47.6, BLUE), rect(321.1, 42.5, 324.1, 47.6, BLUE)
    entries = find_legend([far, near], [text])
    assert [e.name for e in entries] == ["Rural"]
    assert {id(entries[0].swatch), *map(id, entries[0].parts)} == {id(far), id(near)}


def test_a_marker_beside_a_tick_label_is_no_key_when_its_colour_is_keyed_in_the_legend():
    """A data marker just left of the tick label "400" looks like a key; the legend's own key of that colour
    stands in line with the others, so the marker is data."""
    def stroke(x0: float, x1: float, y: float, colour) -> Shape:
        return Shape(((x0, y), (x1, y)), None, colour, False, False, False)

    labels = [label(388, 192, "Delta", 8), label(388, 204.5, "Actual", 8), label(114.8, 231.4, "400", 8)]
    marker = Shape(tuple((111.7 + 3 * math.cos(a / 8 * math.pi), 235.4 + 3 * math.sin(a / 8 * math.pi))
                         for a in range(16)), ORANGE, ORANGE, True, False, False)
    shapes = [stroke(362.7, 385.3, 196, BLUE), stroke(362.7, 385.3, 208.5, ORANGE), marker]
    assert [e.name for e in find_legend(shapes, labels)] == ["Delta", "Actual"]


def test_a_title_over_a_pie_is_not_the_name_of_the_slice_under_it():
    """The title stands above the pie as near the top slice's bisector as the slice's own name, but further out."""
    centre, radius = (200.0, 200.0), 60.0
    wedge = Shape(((200, 200), (260, 200), (140, 200)), BLUE, None, True, True, False)
    top = Slice(wedge, 50.0, -math.pi / 2)
    bottom = Slice(wedge, 50.0, math.pi / 2)
    pie = Pie(Box(140, 140, 260, 260), [top, bottom], centre)
    title = Label(Box(170, 110, 230, 120), "Revenue", 8)
    name = Label(Box(205, 128, 230, 136), "Lagos", 8)
    other = Label(Box(190, 265, 215, 273), "Coal", 8)
    assert [l.text if l else None for l in slice_labels(pie, [title, name, other])] == ["Lagos", "Coal"]


def _labels(texts: list[str], centres: list[float]) -> list[Label]:
    return [Label(Box(c - 8, 250, c + 8, 258), t, 8.0) for t, c in zip(texts, centres)]


def test_grid_lines_off_the_pixel_grid_place_ticks_better_than_label_boxes():
    """LibreOffice places grid lines where it computes them (not on whole pixels); its labels' boxes stand a
    quarter point off them. The lines are the ticks, and a point on a line reads its label's number."""
    grid = [54.96, 89.15, 123.36, 157.52, 191.74]
    labels = _labels(["0", "1", "2", "3", "4"], [g + 0.25 for g in grid])
    axis, ticked = calibrate_at(labels, [l.box.cx for l in labels], grid, 8.0, along=True)
    assert ticked and axis.value(grid[2]) == pytest.approx(2.0, abs=2e-3)


def test_grid_lines_on_whole_pixels_are_rounded_and_label_middles_are_kept():
    """A renderer that rounds its lines to whole pixels moves them up to half a pixel off the exact place the
    labels' middles keep."""
    exact = [50.3, 90.1, 129.9, 169.7]
    pixels = [round(x / 0.75) * 0.75 for x in exact]
    labels = _labels(["0", "10", "20", "30"], exact)
    axis, _ = calibrate_at(labels, exact, pixels, 8.0, along=True)
    assert axis.value(exact[1]) == pytest.approx(10.0, abs=1e-6)


def test_close_numbers_calibrate_a_linear_axis_not_a_log_one():
    """2019, 2020 and 2021 lie as evenly on a log scale as on a linear one, within a hundredth of a point: placed
    exactly log-spaced here, the log fit is the closer by that much, and the linear one is still the reading."""
    span = math.log10(2021) - math.log10(2019)
    ticks = [100 + 265 * (math.log10(year) - math.log10(2019)) / span for year in (2019, 2020, 2021)]
    axis = calibrate(_labels(["2019", "2020", "2021"], ticks), ticks)
    assert axis is not None and axis.kind == "linear"


def _area_with_years(ticks: list[float]) -> PlotArea:
    labels = _labels(["2019", "2020", "2021", "2022"], ticks)
    x = calibrate(labels, ticks)
    y = Axis("linear", [], [100.0, 200.0], slope=-0.01, intercept=3.0)
    return PlotArea(Box(50, 100, 400, 200), y, x, Box(40, 90, 410, 260))


def test_numbers_under_the_points_name_them_when_every_point_stands_one_way_off_a_label():
    """Slanted year labels anchored a point or so off the points they name: each point takes its label's year."""
    area = _area_with_years([100.0, 180.0, 260.0, 340.0])
    key = labelled_key(area, [98.8, 178.8, 258.8, 338.8, 98.8])
    assert [key(x) for x in (98.8, 178.8, 338.8)] == [2019, 2020, 2022]


def test_points_between_numeric_labels_keep_their_own_positions():
    area = _area_with_years([100.0, 180.0, 260.0, 340.0])
    key = labelled_key(area, [100.0, 140.0, 180.0, 300.0])
    assert key(140.0) == pytest.approx(2019.5)


def _axis_page(y_top: float) -> tuple[pymupdf.Document, pymupdf.Page]:
    """A page with a value axis from 0 to ``y_top`` up the left of the plot, ticked."""
    doc = pymupdf.open()
    page = doc.new_page(width=450, height=380)
    page.draw_line((LEFT, TOP), (LEFT, BASE), color=GREY, width=0.8)
    page.draw_line((LEFT, BASE), (RIGHT, BASE), color=GREY, width=0.8)
    for k in range(5):
        y = BASE - (BASE - TOP) * k / 4
        text = f"{y_top * k / 4:g}"
        page.draw_line((LEFT - 4, y), (LEFT, y), color=GREY, width=0.5)
        page.insert_text((LEFT - 6 - pymupdf.get_text_length(text, fontsize=8), y + 3), text, fontsize=8)
    return doc, page


def test_a_resampled_line_over_year_labels_gives_one_point_per_year():
    """Office software and gnuplot smooth a line into many vertices; under it the years label the data's
    places as categories would, and the line starts and ends on the first and last."""
    doc, page = _axis_page(100)
    years, values = [2019, 2020, 2021, 2022], [20.0, 75.0, 40.0, 90.0]
    xs = [LEFT + 40 + 80 * i for i in range(4)]
    for x, year in zip(xs, years):
        page.draw_line((x, BASE), (x, BASE + 4), color=GREY, width=0.5)
        page.insert_text((x - pymupdf.get_text_length(str(year), fontsize=8) / 2, BASE + 14), str(year), fontsize=8)
    vertices = []
    for (x0, v0), (x1, v1) in zip(zip(xs, values), zip(xs[1:], values[1:])):
        for k in range(12):
            t = k / 12
            bump = 6 * math.sin(math.pi * t)  # a curve between the data, through them at the years
            vertices.append((x0 + (x1 - x0) * t, BASE - (BASE - TOP) * (v0 + (v1 - v0) * t) / 100 - bump))
    vertices.append((xs[-1], BASE - (BASE - TOP) * values[-1] / 100))
    page.draw_polyline(vertices, color=BLUE, width=1.5)
    found = read(doc)
    assert len(found) == 1 and found[0].chart.chart_type == "line"
    assert points(found[0].chart) == pytest.approx({("", str(y)): v for y, v in zip(years, values)}, rel=1e-3)


def test_value_labels_flush_with_the_axis_ends_are_one_axis():
    """Vega sets the first and last labels of an axis flush with its ends ("0%" starts at its tick, "100%" ends at
    its own); the labels between are centred, so the middles are unevenly spaced and still one axis."""
    doc = pymupdf.open()
    page = doc.new_page(width=450, height=380)
    page.draw_line((LEFT, TOP), (LEFT, BASE), color=GREY, width=0.8)
    for k in range(6):
        x = LEFT + 50 * k
        text = f"{20 * k}%"
        width = pymupdf.get_text_length(text, fontsize=10)
        left = x if k == 0 else x - width if k == 5 else x - width / 2
        page.draw_line((x, BASE), (x, BASE + 5), color=GREY, width=0.5)
        page.insert_text((left, BASE + 16), text, fontsize=10)
    values = {"Wind": 47.0, "Steel": 21.0, "Maize": 58.0}
    for i, (name, value) in enumerate(values.items()):
        cy = TOP + 30 + 70 * i
        page.draw_rect(pymupdf.Rect(LEFT, cy - 15, LEFT + 250 * value / 100, cy + 15), color=None, fill=ORANGE,
                       width=0)
        page.insert_text((LEFT - 8 - pymupdf.get_text_length(name, fontsize=10), cy + 3), name, fontsize=10)
    found = read(doc)
    assert len(found) == 1 and found[0].chart.chart_type == "bar"
    assert points(found[0].chart) == pytest.approx({("", name): v for name, v in values.items()}, rel=1e-3)


def test_a_leader_line_to_a_slice_name_is_no_legend_key():
    """A leader line leaning to the name it points at looks like a line key; a key's line runs level."""
    name = label(160, 105, "Seoul", 8)
    leaning = Shape(((143.6, 110.0), (154.7, 109.1)), None, GREY, False, False, False)
    assert find_legend([leaning], [name]) == []
    level = Shape(((143.6, 109.5), (154.7, 109.5)), None, BLUE, False, False, False)
    assert [e.name for e in find_legend([level], [name])] == ["Seoul"]


def test_a_marker_beside_the_legend_title_is_data():
    """A data marker left of a legend's title keys the title in a series' colour; the series' own key stands in
    line with the legend's other keys, so the marker stays data."""
    labels = [label(252, 44, "Legend", 8), label(252, 60, "East", 8), label(252, 76, "Copper", 8)]
    marker = Shape(tuple((247 + 3 * math.cos(a / 8 * math.pi), 48 + 3 * math.sin(a / 8 * math.pi))
                         for a in range(16)), ORANGE, None, True, False, False)
    shapes = [rect(238, 59, 248, 69, BLUE), rect(238, 75, 248, 85, ORANGE), marker]
    assert [e.name for e in find_legend(shapes, labels)] == ["East", "Copper"]


def test_labels_off_their_places_by_one_offset_read_from_the_one_line_drawn_at_zero():
    """Office software draws no tick marks, only the axis line at zero, and its labels' middles stand a point or
    so over their places: the offset of "0" from that line is every label's."""
    def labels(page: pymupdf.Page) -> None:
        for v in range(5):
            text = str(2 * v)
            y = BASE - (BASE - TOP) * v / 4 - 1.6  # each label's middle 1.6 pt above its place
            page.insert_text((LEFT - 6 - pymupdf.get_text_length(text, fontsize=9), y + 3.2), text, fontsize=9)

    found = read(bars_page([2.5, 7.25, 4.5], 8, labels))
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 2.5, ("", "B"): 7.25, ("", "C"): 4.5}, rel=1e-3)


def test_slice_names_written_on_a_donuts_ring_name_their_slices():
    """Names set on the slices themselves (a donut's ring), not outside the rim; a share written there is no
    name."""
    centre, radius = (200.0, 200.0), 60.0
    wedge = Shape(((200, 200), (260, 200), (140, 200)), BLUE, None, True, True, False)
    pie = Pie(Box(140, 140, 260, 260), [Slice(wedge, 50.0, -math.pi / 2), Slice(wedge, 50.0, math.pi / 2)], centre)
    on_top = Label(Box(190, 150, 210, 157), "Oslo", 7)
    share = Label(Box(190, 243, 210, 250), "50%", 7)
    on_bottom = Label(Box(190, 232, 210, 239), "East", 7)
    assert [l.text if l else None for l in slice_labels(pie, [on_top, share, on_bottom])] == ["Oslo", "East"]


def test_markers_on_a_smoothed_category_line_are_its_data():
    """A smoothed line with markers over slanted category labels whose anchors stand a little off the points:
    the markers give the points, not the line where it crosses each label's anchor."""
    doc, page = _axis_page(100)
    values = [20.0, 75.0, 40.0]
    xs = [LEFT + 60 + 100 * i for i in range(3)]
    for x, name in zip(xs, ["Jan", "Feb", "Mar"]):
        page.insert_text((x - 12, BASE + 20), name, fontsize=8, morph=(pymupdf.Point(x - 12, BASE + 20),
                                                                      pymupdf.Matrix(45)))
    ys = [BASE - (BASE - TOP) * v / 100 for v in values]
    vertices = [(xs[0] + (xs[-1] - xs[0]) * k / 40, 0.0) for k in range(41)]
    vertices = [(x, ys[0] + (ys[1] - ys[0]) * (x - xs[0]) / 100 if x <= xs[1] else
                 ys[1] + (ys[2] - ys[1]) * (x - xs[1]) / 100) for x, _ in vertices]
    page.draw_polyline(vertices, color=BLUE, width=1.5)
    for x, y in zip(xs, ys):
        page.draw_circle((x, y), 3, color=BLUE, fill=BLUE)
    found = read(doc)
    assert len(found) == 1 and found[0].chart.chart_type == "line"
    assert points(found[0].chart) == pytest.approx({("", n): v for n, v in zip(["Jan", "Feb", "Mar"], values)},
                                                   rel=1e-3)


def test_thousands_set_apart_by_a_thin_space_stay_one_number_up_an_upright_axis():
    """The same "10, 000" written up the axis: the upright line of numbers is cut at its spaces, but not there."""
    def labels(page: pymupdf.Page) -> None:
        for v in range(0, 40001, 10000):
            text = f"{v // 1000}, 000" if v else "0"
            middle = BASE - (BASE - TOP) * v / 40000
            _upright(page, text, LEFT - 4, middle - pymupdf.get_text_length(text, fontsize=8) / 2)

    found = read(bars_page([12000, 31000, 25500], 40000, labels))
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", "A"): 12000, ("", "B"): 31000, ("", "C"): 25500}, rel=1e-3)


def test_numbers_placed_over_each_others_ends_are_cut_where_each_starts_over():
    """A cramped axis: each tick label centred on its tick, wider than the tick spacing, so each starts over the
    last one's end and the text layer reads "120150180210240" with no tick under the labels to cut at."""
    doc, page = _axis_page(100)
    values = {120: 30.0, 150: 80.0, 180: 55.0, 210: 20.0, 240: 65.0}
    width = pymupdf.get_text_length("120", fontsize=12)
    step = width - 2.0
    x_at = {v: LEFT + 40 + step * k for k, v in enumerate(values)}
    for v, x in x_at.items():
        page.insert_text((x - width / 2, BASE + 14), str(v), fontsize=12)
        y = BASE - (BASE - TOP) * values[v] / 100
        page.draw_rect(pymupdf.Rect(x - 2, y - 2, x + 2, y + 2), color=None, fill=BLUE, width=0)
    assert any("120150" in line.text for line in PageContent(doc[0]).lines)  # the text layer runs them together
    found = read(doc)
    assert len(found) == 1
    assert points(found[0].chart) == pytest.approx({("", str(v)): y for v, y in values.items()}, rel=1e-3)


def test_upright_category_labels_run_into_one_line_are_cut_at_their_gap():
    """Two category labels written up the page one after the other ("Apr", "May") come out of the text layer as
    one upright line; the gap between them is wider than a space, the one inside a label is not."""
    from figtab.extractors.native.charts.scene import read_scene, read_shapes

    doc = pymupdf.open()
    page = doc.new_page(width=300, height=300)
    page.insert_text((100, 250), "Apr   May", fontsize=8, rotate=90)
    page.insert_text((150, 250), "New York", fontsize=8, rotate=90)
    content = PageContent(doc[0])
    turned = sorted(label.text for label in read_scene(content, read_shapes(content)).labels if label.turned)
    assert turned == ["Apr", "May", "New York"]


def test_a_wide_group_of_bars_is_named_by_the_label_nearest_its_middle():
    """Four bars to a group, the labels set half a bar off the groups' middles: the first bar of a group stands
    nearer the previous group's label than its own, the group's middle does not."""
    doc, page = _axis_page(100)
    colours = [BLUE, ORANGE, GREY, (0.2, 0.6, 0.2)]
    for k, name in enumerate("ABC"):
        middle = LEFT + 60 + 80 * k
        for i, colour in enumerate(colours):
            x0 = middle - 36 + 18 * i
            top = BASE - 20 - 10 * i - 5 * k
            page.draw_rect(pymupdf.Rect(x0, top, x0 + 18, BASE), color=None, fill=colour, width=0)
        page.insert_text((middle + 20 - pymupdf.get_text_length(name, fontsize=9) / 2, BASE + 14), name, fontsize=9)
    found = read(doc)
    assert len(found) == 1
    assert [[p.x for p in s.points] for s in found[0].chart.series] == [["A", "B", "C"]] * 4


def _polar(centre: tuple[float, float], radius: float, degrees: float) -> tuple[float, float]:
    return centre[0] + radius * math.cos(math.radians(degrees)), centre[1] + radius * math.sin(math.radians(degrees))


def test_names_moved_apart_from_narrow_slices_follow_their_leader_lines():
    """Two narrow slices side by side: the producer moves the first one's name round to make room, so it stands
    nearer the second slice's bisector; the leader lines say which name is whose. A bent leader line is no
    legend key either."""
    centre, radius = (200.0, 200.0), 60.0
    wedge = Shape(((200, 200), (260, 200), (140, 200)), BLUE, None, True, True, False)
    narrow = Slice(wedge, 5.0, math.radians(-81))  # from -90 to -72 degrees
    next_to_it = Slice(wedge, 7.0, math.radians(-59.4))  # from -72 to -46.8
    rest = Slice(wedge, 88.0, math.radians(99))
    pie = Pie(Box(140, 140, 260, 260), [narrow, next_to_it, rest], centre)
    first = Label(Box(230, 120, 262, 128), "Forecast", 7)  # near -60 degrees, where the second slice points
    second = Label(Box(262, 141, 284, 149), "Quito", 7)  # further round
    lead_first = Shape((_polar(centre, radius, -81), (227, 129), (229, 124)), None, ORANGE, False, False, False)
    lead_second = Shape((_polar(centre, radius, -59.4), (258, 145), (260, 145)), None, GREY, False, False, False)
    named = slice_labels(pie, [first, second], [lead_first, lead_second])
    assert [l.text if l else None for l in named] == ["Forecast", "Quito", None]
    assert find_legend([lead_second], [second]) == []


def test_a_text_written_twice_in_place_is_one_label():
    """A producer may draw a text twice (a halo under it): one label, not two names for two slices."""
    from figtab.extractors.native.charts.scene import read_scene, read_shapes

    doc = pymupdf.open()
    page = doc.new_page(width=300, height=300)
    page.insert_text((100, 100), "Forecast", fontsize=8)
    page.insert_text((100, 100.35), "Forecast", fontsize=8)
    content = PageContent(doc[0])
    assert [label.text for label in read_scene(content, read_shapes(content)).labels] == ["Forecast"]


def test_a_key_of_two_small_bars_one_over_the_other_takes_both_out_of_the_data():
    """pgfplots keys horizontal bars with two small bars one over the other, flush at their left."""
    text = label(353.0, 40.0, "Lima", 8.0)
    lower, upper = rect(341.5, 42.9, 349.9, 45.9, BLUE), rect(341.5, 37.0, 347.8, 39.9, BLUE)
    entries = find_legend([lower, upper], [text])
    assert [e.name for e in entries] == ["Lima"]
    assert {id(entries[0].swatch), *map(id, entries[0].parts)} == {id(lower), id(upper)}
