"""Vector charts read back exactly: one test per chart type and axis kind, on PDFs drawn here by three producers
(matplotlib, reportlab, and PyMuPDF drawing calls with their own habits)."""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from dataclasses import replace
from functools import partial

import pymupdf
import pytest

from figtab.extractors.native.charts import find_charts
from figtab.extractors.native.charts.evidence import may_hold_chart
from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.charts.scene import read_shapes
from figtab.extractors.native.page_content import PageContent
from figtab.flows.synth import mpl, mu, rl
from figtab.flows.synth.mu import Habits
from figtab.flows.synth.page import add_chart, add_text
from figtab.flows.synth.spec import ChartSpec, SeriesSpec

CATS = ["Q1", "Q2", "Q3", "Q4"]
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]


def spec(kind: str, series: dict[str, tuple[list, list]], **options) -> ChartSpec:
    options.setdefault("categories", CATS)
    return ChartSpec(kind=kind, series=[SeriesSpec(n, list(xs), list(ys)) for n, (xs, ys) in series.items()],
                     title="Test chart", colors=COLOURS, legend=options.pop("legend", "outside"), **options)


def read(pdf: bytes):
    with pymupdf.open("pdf", pdf) as doc:
        return find_charts(PageContent(doc[0]))


def assert_matches(found, chart_spec: ChartSpec, chart_type: str) -> None:
    """One chart of ``chart_type`` whose every truth point is read within 1%, keyed by series name and x."""
    assert len(found) == 1, [f.chart.chart_type for f in found]
    chart = found[0].chart
    assert chart.chart_type == chart_type
    named = len(chart_spec.series) > 1
    got = {(s.name if named else "", _x(p.x)): p.y for s in chart.series for p in s.points}
    for s in chart_spec.series:
        for x, y in zip(s.xs, s.ys):
            key = (s.name if named else "", _x(x))
            assert key in got, (key, sorted(got)[:6])
            assert got[key] == pytest.approx(y, rel=0.01), key


def _x(x: float | str) -> str:
    """An x key as the metric compares it: a number as ``%g``, so the label "2019" and the number 2019 agree."""
    try:
        return f"{float(x):g}"
    except ValueError:
        return str(x)


TWO = {"North": (CATS, [12.5, 14.0, 15.25, 18.0]), "South": (CATS, [9.75, 10.5, 11.0, 12.25])}
NUMERIC = {"North": ([1, 2, 4, 7, 9], [3.5, 6.0, 2.5, 8.0, 5.5]), "South": ([1, 3, 5, 6, 10], [1.5, 2.0, 7.5, 4.0, 9.0])}


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_grouped_bars_on_a_category_axis(library):
    chart_spec = spec("bar", TWO)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "bar")


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_stacked_bars_read_per_series_values(library):
    chart_spec = spec("bar", TWO, stacked=True)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "bar")


@pytest.mark.parametrize("library", [mpl, rl, mu])
@pytest.mark.parametrize("horizontal", [False, True])
def test_negative_bars_hang_below_zero(library, horizontal):
    """reportlab draws the category axis at zero, its labels beside that line inside the plot."""
    chart_spec = spec("bar", {"Net": (CATS, [5.0, -3.5, 7.25, -1.5])}, legend="none", horizontal=horizontal)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "bar")


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_horizontal_bars_are_read_on_their_side(library):
    chart_spec = spec("bar", TWO, horizontal=True)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "bar")


@pytest.mark.parametrize("library", [mpl, rl])
def test_year_categories_name_bars_not_positions(library):
    years = ["2019", "2020", "2021"]
    chart_spec = spec("bar", {"A": (years, [3.0, 5.5, 4.25]), "B": (years, [2.0, 1.5, 6.0])}, categories=years)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "bar")


BARE = Habits(ticks="none", axis_line=False, thin_rects=False, legend_top=True, value_labels=True, frame=False,
              y_right=False)
BOXED = Habits(ticks="in", axis_line=True, thin_rects=True, legend_top=False, value_labels=False, frame=True,
               y_right=True)


@pytest.mark.parametrize("habits", [BARE, BOXED], ids=["bare-value-labels", "hairline-boxes-axis-right"])
@pytest.mark.parametrize("kind", ["bar", "line", "scatter"])
def test_drawing_habits_of_another_producer(habits, kind):
    """No axis line, ticks or grid and numbers over the bars; or ticks inside, lines drawn as thin filled boxes,
    a frame and the value axis on the right."""
    chart_spec = spec(kind, TWO, markers=True)
    assert_matches(read(mu.draw(chart_spec, habits)), chart_spec, kind)


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_lines_on_a_category_axis(library):
    chart_spec = spec("line", TWO, markers=True)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "line")


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_lines_on_a_linear_x_axis(library):
    chart_spec = spec("line", NUMERIC, x_kind="number")
    assert_matches(read(library.draw(chart_spec)), chart_spec, "line")


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_scatter_markers_on_linear_axes(library):
    chart_spec = spec("scatter", NUMERIC, x_kind="number")
    assert_matches(read(library.draw(chart_spec)), chart_spec, "scatter")


THREE = dict(NUMERIC, East=([2, 3, 5, 8, 9], [6.5, 1.0, 8.5, 1.25, 7.0]))


@pytest.mark.parametrize("library", [mpl, rl])
def test_triangle_markers_are_read_at_their_centre(library):
    """The third series draws triangles: a regular one centred on its vertices' mean, matplotlib's (as wide as
    tall, not regular) on its box centre; neither on the box centre alone."""
    chart_spec = spec("scatter", THREE, x_kind="number")
    assert_matches(read(library.draw(chart_spec)), chart_spec, "scatter")


@pytest.mark.parametrize("draw", [mpl.draw, rl.draw, partial(mu.draw, habits=BOXED)], ids=["mpl", "rl", "mu"])
def test_log_value_axis(draw):
    """reportlab labels this axis 10 and 100 only: two labels a decade apart are a log axis."""
    assert_matches(read(draw(LOG)), LOG, "line")


LOG = spec("line", {"A": ([1, 2, 3, 4], [2.0, 40.0, 900.0, 15.0]), "B": ([1, 2, 3, 4], [5.0, 7.0, 60.0, 300.0])},
           x_kind="number", log_y=True)


@pytest.mark.parametrize("font", ["sans-serif", "serif", "monospace"])
def test_a_log_axis_without_ticks_is_read_at_its_digits_middles(font):
    """No tick, grid or axis line: the labels' own position is the only cue, and their font boxes' centres sit
    1-2% of a decade off; the middle of their digits does not."""
    chart_spec = replace(LOG, font=font)
    assert_matches(read(mu.draw(chart_spec, habits=replace(BARE, value_labels=False))), chart_spec, "line")


@pytest.mark.parametrize("library", [mpl, mu])
def test_date_x_axis_reads_iso_dates(library):
    months = ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01", "2021-05-01", "2021-06-01"]
    chart_spec = spec("line", {"Sales": (months, [3.0, 4.5, 4.0, 6.5, 7.0, 5.5])}, x_kind="date", legend="none",
                      date_format="%b %Y")
    assert_matches(read(library.draw(chart_spec)), chart_spec, "line")


@pytest.mark.parametrize("library", [mpl, mu])
@pytest.mark.parametrize("stacked", [True, False])
def test_area_bands(library, stacked):
    """Stacked bands read their own thickness; overlapping translucent areas are keyed by an opaque legend."""
    xs = [1, 2, 3, 4, 5]
    chart_spec = spec("area", {"Coal": (xs, [4.0, 5.0, 3.0, 6.0, 5.5]), "Wind": (xs, [2.0, 2.5, 4.0, 3.5, 5.0])},
                      x_kind="number", stacked=stacked)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "area")


@pytest.mark.parametrize("library", [mpl, rl, mu])
@pytest.mark.parametrize("donut", [False, True])
def test_pie_shares_from_angles_and_names_from_the_legend(library, donut):
    """A donut shares no centre vertex: its centre is fitted to the rim."""
    slices = ["Solar", "Wind", "Gas", "Coal"]
    chart_spec = spec("pie", {"": (slices, [40.0, 30.0, 20.0, 10.0])}, donut=donut, categories=slices)
    assert_matches(read(library.draw(chart_spec)), chart_spec, "pie")


@pytest.mark.parametrize("library", [mpl, mu])
def test_pie_names_from_slice_labels(library):
    slices = ["Solar", "Wind", "Gas", "Coal"]
    chart_spec = spec("pie", {"": (slices, [40.0, 30.0, 20.0, 10.0])}, categories=slices, legend="none")
    assert_matches(read(library.draw(chart_spec)), chart_spec, "pie")


def test_legend_over_scattered_markers_keys_by_its_swatch_column():
    """reportlab puts an inside legend over the data: a marker may stand nearer a name than its swatch."""
    xs = list(range(1, 21))
    series = {n: (xs, [float((i * 7 + k * 13) % 19 + 1) for i in xs]) for k, n in enumerate(["A", "B"])}
    chart_spec = spec("scatter", series, x_kind="number", legend="inside")
    assert_matches(read(rl.draw(chart_spec)), chart_spec, "scatter")


def test_a_translucent_legend_key_taller_than_its_small_text_names_opaque_markers():
    """Another producer's legend: keys drawn at 70% opacity beside opaque markers, and nearly twice as tall as
    the legend's small text."""
    chart_spec = spec("scatter", NUMERIC, x_kind="number", legend="none")
    with pymupdf.open("pdf", mu.draw(chart_spec)) as doc:
        page = doc[0]
        for i, name in enumerate(NUMERIC):
            top = 40 + 14 * i
            page.draw_rect(pymupdf.Rect(page.rect.x1 - 60, top, page.rect.x1 - 51, top + 9), color=None,
                           fill=_rgb(COLOURS[i]), fill_opacity=0.7)
            page.insert_text((page.rect.x1 - 45, top + 6.6), name, fontsize=5.25)
        found = find_charts(PageContent(page))
    assert_matches(found, chart_spec, "scatter")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_two_charts_on_one_page_are_found_apart():
    bars, lines = spec("bar", TWO), spec("line", NUMERIC, x_kind="number")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for top, pdf in ((40, mpl.draw(bars)), (440, rl.draw(lines))):
        with pymupdf.open("pdf", pdf) as src:
            page.show_pdf_page(pymupdf.Rect(40, top, 555, top + 380), src, 0)
    found = find_charts(PageContent(page))
    assert sorted(f.chart.chart_type for f in found) == ["bar", "line"]


def test_a_raster_chart_is_not_claimed():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(CATS, [1, 2, 3, 4])
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=72)
    plt.close(fig)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(pymupdf.Rect(50, 50, 338, 266), stream=png.getvalue())
    assert find_charts(PageContent(page)) == []


@pytest.mark.parametrize("text,value", [("1,250", 1250), ("5k", 5000), ("-$5", -5), ("12.5%", 12.5),
                                        ("\u22122", -2), ("10^3", 1000), ("(4)", -4), ("1.5M", 1.5e6)])
def test_tick_label_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_tick_labels_that_are_not_numbers():
    assert parse_number("Q1") is None and parse_date("Q1") is None
    assert parse_date("Mar 2020").isoformat() == "2020-03-01"


@pytest.mark.parametrize("library", [mpl, rl, mu])
def test_titles_and_axis_titles_between_paragraphs(library):
    """The title and axis titles are the chart's own text; the body text lines above and below it are not."""
    chart_spec = spec("line", TWO, x_label="Period", y_label="Amount")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    top = add_text(page, 50, random.Random(1), 3)
    add_chart(page, top, library.draw(chart_spec), 1.0)
    add_text(page, top + chart_spec.height + 12, random.Random(2), 3)
    (found,) = find_charts(PageContent(page))
    assert (found.chart.title, found.chart.x_label, found.chart.y_label) == ("Test chart", "Period", "Amount")


def ruled_table(page: pymupdf.Page, top: float, rows: list[list[str]], joints: bool) -> None:
    """A table as typesetters rule it: thin black boxes round every cell, small squares where rules cross when
    ``joints``; cell text centred, so numbers of equal width line up down a column."""
    xs = [60 + 110 * i for i in range(len(rows[0]) + 1)]
    ys = [top + 14 * i for i in range(len(rows) + 1)]
    for y in ys:
        page.draw_rect(pymupdf.Rect(xs[0], y - 0.36, xs[-1], y + 0.36), color=None, fill=(0, 0, 0))
    for x in xs:
        page.draw_rect(pymupdf.Rect(x - 0.36, ys[0], x + 0.36, ys[-1]), color=None, fill=(0, 0, 0))
        for y in ys if joints else ():
            page.draw_rect(pymupdf.Rect(x - 0.72, y - 0.72, x + 0.72, y + 0.72), color=None, fill=(0, 0, 0))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            width = pymupdf.get_text_length(text, fontsize=9)
            page.insert_text(((xs[c] + xs[c + 1] - width) / 2, ys[r] + 10.5), text, fontsize=9)


SHARES = [["Faculty", "Sample", "Population"], ["Sciences", "38 (24.7%)", "672 (24.8%)"],
          ["Social Sciences", "58 (37.7%)", "1137 (41.9%)"], ["Humanities", "18 (11.7%)", "413 (15.2%)"],
          ["Civil Sciences", "40 (26.0%)", "492 (18.1%)"], ["Total", "154", "2714"]]


def test_a_table_page_is_turned_away_before_its_text_is_read():
    """Rules and cell text only: no shape could be a mark, so no chart is looked for."""
    page = pymupdf.open().new_page()
    ruled_table(page, 100, SHARES, joints=False)
    content = PageContent(page)
    assert not may_hold_chart(read_shapes(content), content.words)
    assert find_charts(content) == []


@pytest.mark.parametrize("library,kind", [(library, kind) for library in (mpl, rl, mu)
                                          for kind in ("bar", "line", "scatter", "area", "pie")
                                          if not (library is rl and kind == "area")])
def test_every_chart_passes_the_early_exit(library, kind):
    chart_spec = spec(kind, NUMERIC if kind in ("scatter", "area") else TWO, x_kind="number" if kind in
                      ("scatter", "area") else "category", markers=True)
    with pymupdf.open("pdf", library.draw(chart_spec)) as doc:
        content = PageContent(doc[0])
        assert may_hold_chart(read_shapes(content), content.words)


def test_a_chart_beside_a_table_is_still_found():
    chart_spec = spec("line", NUMERIC, x_kind="number")
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    ruled_table(page, 40, SHARES, joints=True)
    with pymupdf.open("pdf", rl.draw(chart_spec)) as src:
        page.show_pdf_page(pymupdf.Rect(40, 300, 555, 680), src, 0)
    assert [f.chart.chart_type for f in find_charts(PageContent(page))] == ["line"]


def test_two_numbers_between_table_rules_are_not_an_axis():
    """Two labels fit any line: "(24.8%)" over "(15.2%)" with rules half a row off them, and the squares where
    the rules cross, once read as a scatter chart. Two labels are an axis only with a tick at each, or with
    no line drawn between them."""
    page = pymupdf.open().new_page()
    ruled_table(page, 100, SHARES, joints=True)
    assert find_charts(PageContent(page)) == []


TICKED = Habits(ticks="out", axis_line=True, thin_rects=False, legend_top=True, value_labels=False, frame=False,
                y_right=False)


@pytest.mark.parametrize("categories,width", [
    (["Transport", "Lagos", "Housing", "Exports", "Retail", "Online"], 210),
    (["Oct 2020", "Nov 2020", "Dec 2020", "Jan 2021", "Feb 2021", "Mar 2021"], 254)])
def test_crowded_labels_that_touch_are_cut_at_their_ticks(categories, width):
    """Too narrow a chart runs its x labels together ("TransportLagos", "Oct 2020Nov 2020"): one label per tick.
    Month labels evenly spaced make a date axis, read to within a day (months differ in length)."""
    chart_spec = spec("line", {"A": (categories, [3.0, 5.0, 2.0, 6.0, 4.0, 7.0])}, categories=categories,
                      width=width, legend="none")
    found = read(mu.draw(chart_spec, habits=TICKED))
    assert len(found) == 1
    xs = [p.x for p in found[0].chart.series[0].points]
    dates = [parse_date(c) for c in categories]
    if None in dates:
        assert xs == categories
    else:
        assert [abs((dt.date.fromisoformat(x) - d).days) <= 1 for x, d in zip(xs, dates)] == [True] * 6


def test_bars_past_the_last_tick_end_at_the_plot_pane():
    """Another producer pads its axis past the last label and draws no frame: the plot's filled pane, not the last
    grid line, bounds it, so a bar reaching beyond 40 is still read."""
    page = pymupdf.open().new_page(width=320, height=220)
    page.draw_rect(pymupdf.Rect(60, 20, 300, 160), color=None, fill=(0.98, 0.98, 0.98))

    def x_at(v: float) -> float:  # 0 at x=70, 40 at x=290
        return 70 + v * 5.5

    for v in range(0, 41, 10):
        page.draw_line((x_at(v), 20), (x_at(v), 160), color=(0.6, 0.6, 0.6), width=0.5)
        page.insert_text((x_at(v) - 2.5 * len(str(v)), 172), str(v), fontsize=9)
    values = dict(zip(CATS, [12.0, 41.5, 25.0, 33.0]))
    for i, (name, v) in enumerate(values.items()):
        y = 30 + 32 * i
        page.draw_rect(pymupdf.Rect(x_at(0), y, x_at(v), y + 20), color=None, fill=(0.2, 0.4, 0.6))
        page.insert_text((30, y + 13), name, fontsize=9)
    found = find_charts(PageContent(page))
    assert len(found) == 1 and found[0].chart.chart_type == "bar"
    got = {p.x: p.y for p in found[0].chart.series[0].points}
    assert got == pytest.approx(values, rel=0.01)


def _step_chart() -> bytes:
    """A step line on bare axes (no markers, no grid, no fill): every segment runs flat or upright."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.step([1, 2, 3, 4, 5, 6], [3, 5, 2, 6, 4, 7], where="post", color="#1f77b4")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    plt.close(fig)
    return out.getvalue()


def test_a_step_chart_passes_the_early_exit():
    """A polyline of only flat and upright segments, stepping along x, is a data line, not a table's rules."""
    with pymupdf.open("pdf", _step_chart()) as doc:
        content = PageContent(doc[0])
        assert may_hold_chart(read_shapes(content), content.words)
        assert [f.chart.chart_type for f in find_charts(content)] == ["line"]


def test_a_value_axis_with_one_label_gives_no_made_up_values():
    """reportlab labels a log axis from 5 to 60 with "10" alone: one label fixes no scale, so no chart is read."""
    chart_spec = spec("line", {"A": ([1, 2, 3, 4], [5.0, 20.0, 40.0, 60.0])}, x_kind="number", log_y=True,
                      legend="none")
    assert read(rl.draw(chart_spec)) == []


# Habits of producers the reader was not written against (issue 12), drawn here with PyMuPDF calls: rotated and
# slanted tick labels, right-aligned legends, open markers on a grid, smoothed lines, flattened pie arcs.

PLOT = pymupdf.Rect(80, 60, 380, 240)  # the data rectangle; value ticks 0..100 up its height


def _y_at(value: float) -> float:
    return PLOT.y1 - value / 100 * PLOT.height


def _band_centres(n: int) -> list[float]:
    return [PLOT.x0 + (i + 0.5) * PLOT.width / n for i in range(n)]


def _axes(page: pymupdf.Page, categories: list[str], x_angle: int = 0, y_upright: bool = False,
          grid: bool = False) -> None:
    """A frame with value ticks 0..100 and category ticks at band centres; x labels slanted by ``x_angle`` degrees
    (reading up to end at their tick, or down from it when negative), y labels upright (reading up, centred on
    their tick) if asked."""
    page.draw_rect(PLOT, color=(0, 0, 0), width=0.8)
    for v in range(0, 101, 20):
        y = _y_at(v)
        page.draw_line((PLOT.x0 - 4, y), (PLOT.x0, y), color=(0, 0, 0), width=0.8)
        if grid:
            page.draw_line((PLOT.x0, y), (PLOT.x1, y), color=(0.85, 0.85, 0.85), width=0.5)
        length = pymupdf.get_text_length(str(v), fontsize=9)
        if y_upright:
            page.insert_text((PLOT.x0 - 7, y + length / 2), str(v), fontsize=9, rotate=90)
        else:
            page.insert_text((PLOT.x0 - 7 - length, y + 3.2), str(v), fontsize=9)
    for x, name in zip(_band_centres(len(categories)), categories):
        page.draw_line((x, PLOT.y1), (x, PLOT.y1 + 4), color=(0, 0, 0), width=0.8)
        length = pymupdf.get_text_length(name, fontsize=9)
        if x_angle:
            turn = math.radians(x_angle)
            start = pymupdf.Point(x - length * math.cos(turn), PLOT.y1 + 10 + length * math.sin(turn)) \
                if x_angle > 0 else pymupdf.Point(x, PLOT.y1 + 8)
            page.insert_text(start, name, fontsize=9, morph=(start, pymupdf.Matrix(x_angle)))
        else:
            page.insert_text((x - length / 2, PLOT.y1 + 14), name, fontsize=9)


def _legend_row(page: pymupdf.Page, names: list[str], text_first: bool, top: float = 30) -> None:
    """One row of entries, each swatch as close to its own text as to the next entry's: only which side of
    the text the swatches stand on tells them apart."""
    x = 100.0
    for i, name in enumerate(names):
        length = pymupdf.get_text_length(name, fontsize=9)
        swatch_x = x + length + 4 if text_first else x
        text_x = x if text_first else x + 14
        page.draw_rect(pymupdf.Rect(swatch_x, top - 7, swatch_x + 10, top + 1), color=None, fill=_rgb(COLOURS[i]))
        page.insert_text((text_x, top), name, fontsize=9)
        x += length + 14 + 4


def _chart_page() -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    return doc, doc.new_page(width=460, height=340)


GROUPED = {"Exports": [42.0, 61.5, 18.25, 77.0], "Imports": [35.5, 22.0, 64.75, 50.0]}


def _grouped_bars(page: pymupdf.Page, series: dict[str, list[float]]) -> None:
    for x in _band_centres(len(CATS)):
        for k, values in enumerate(series.values()):
            left = x - 20 + 20 * k
            value = values[_band_centres(len(CATS)).index(x)]
            page.draw_rect(pymupdf.Rect(left, _y_at(value), left + 18, PLOT.y1), color=None, fill=_rgb(COLOURS[k]))


def _read_series(page: pymupdf.Page) -> dict[str, dict]:
    found = find_charts(PageContent(page))
    assert len(found) == 1, [f.chart.chart_type for f in found]
    return {s.name: {p.x: p.y for p in s.points} for s in found[0].chart.series}


@pytest.mark.parametrize("x_angle,y_upright", [(45, False), (-45, True), (90, True)])
@pytest.mark.parametrize("text_first", [False, True], ids=["keys-first", "text-first"])
def test_turned_tick_labels_and_legends_either_side_of_their_keys(x_angle, y_upright, text_first):
    """Slanted or upright category labels name their bars, upright value labels calibrate the axis, and a row of
    legend entries names each series whichever side of its text the key stands."""
    doc, page = _chart_page()
    categories = ["Transport", "Housing", "Health", "Energy"]
    _axes(page, categories, x_angle=x_angle, y_upright=y_upright)
    _grouped_bars(page, GROUPED)
    _legend_row(page, list(GROUPED), text_first)
    got = _read_series(page)
    assert got == {name: pytest.approx(dict(zip(categories, values)), rel=0.005) for name, values in GROUPED.items()}


def test_open_circles_on_a_grid_are_a_scatter():
    """Markers stroked as circles, without fill and without closing their path, over grid lines."""
    doc, page = _chart_page()
    _axes(page, CATS, grid=True)
    values = [23.0, 71.5, 48.0, 90.25]
    for x, v in zip(_band_centres(4), values):
        page.draw_circle((x, _y_at(v)), 3, color=_rgb(COLOURS[0]), fill=None, width=1)
    assert _read_series(page) == {"": pytest.approx(dict(zip(CATS, values)), rel=0.005)}


def test_a_smoothed_line_gives_one_point_per_category():
    """A line resampled with many vertices between categories (office software's smoothing) is read at each
    category's position, not once per vertex."""
    doc, page = _chart_page()
    _axes(page, CATS)
    values = [30.0, 75.0, 40.0, 60.0]
    centres = _band_centres(4)
    vertices = []
    for i in range(len(centres) - 1):
        for step in range(12):
            t = step / 12
            eased = t * t * (3 - 2 * t)  # passes through each data point, flat there
            vertices.append((centres[i] + t * (centres[i + 1] - centres[i]),
                             _y_at(values[i] + eased * (values[i + 1] - values[i]))))
    vertices.append((centres[-1], _y_at(values[-1])))
    page.draw_polyline(vertices, color=_rgb(COLOURS[1]), width=1.5)
    assert _read_series(page) == {"": pytest.approx(dict(zip(CATS, values)), rel=0.005)}


def test_a_pie_of_flattened_arcs_takes_names_from_a_legend_in_another_order():
    """Wedges drawn as polygons (arcs cut into chords), named by colour from a legend listing them otherwise."""
    doc, page = _chart_page()
    shares = {"Solar": 40.0, "Wind": 25.0, "Gas": 20.0, "Coal": 15.0}
    centre, radius, start = pymupdf.Point(180, 170), 100, -90.0
    for i, share in enumerate(shares.values()):
        end = start + 3.6 * share
        steps = max(2, int(share))
        angles = [math.radians(start + (end - start) * k / steps) for k in range(steps + 1)]
        rim = [pymupdf.Point(centre.x + radius * math.cos(a), centre.y + radius * math.sin(a)) for a in angles]
        page.draw_polyline([centre, *rim, centre], color=None, fill=_rgb(COLOURS[i]), closePath=True)
        start = end
    for row, i in enumerate([2, 0, 3, 1]):
        top = 120 + 16 * row
        page.draw_rect(pymupdf.Rect(320, top - 7, 330, top + 1), color=None, fill=_rgb(COLOURS[i]))
        page.insert_text((334, top), list(shares)[i], fontsize=9)
    found = find_charts(PageContent(page))
    assert [f.chart.chart_type for f in found] == ["pie"]
    assert {p.x: p.y for p in found[0].chart.series[0].points} == pytest.approx(shares, abs=0.05)


def test_bars_without_axis_labels_give_no_page_positions():
    """With nothing to name where the bars stand, an x value would be a page position: no chart is claimed."""
    doc, page = _chart_page()
    page.draw_rect(PLOT, color=(0, 0, 0), width=0.8)
    for v in range(0, 101, 20):
        page.insert_text((PLOT.x0 - 20, _y_at(v) + 3.2), str(v), fontsize=9)
    _grouped_bars(page, GROUPED)
    assert find_charts(PageContent(page)) == []


def test_a_table_with_two_header_levels_and_striped_rows_is_no_chart():
    """Years over n / %Pos sub-columns, shaded header and stripes, numbers in every column: a table."""
    doc, page = _chart_page()
    rng = random.Random(7)
    page.draw_rect(pymupdf.Rect(20, 40, 440, 70), color=None, fill=(0.85, 0.9, 0.95))
    for i, year in enumerate(["2019", "2020", "2021"]):
        left = 130 + 100 * i
        page.insert_text((left + 30, 52), year, fontsize=9)
        page.draw_line((left, 56), (left + 85, 56), color=(0, 0, 0), width=0.5)
        page.insert_text((left + 5, 66), "n", fontsize=9)
        page.insert_text((left + 50, 66), "%Pos", fontsize=9)
    for r in range(8):
        y = 86 + 14 * r
        if r % 2:
            page.draw_rect(pymupdf.Rect(20, y - 10, 440, y + 4), color=None, fill=(0.93, 0.93, 0.93))
        page.insert_text((24, y), f"Region {r + 1}", fontsize=9)
        for i in range(3):
            page.insert_text((135 + 100 * i, y), str(rng.randint(100, 999)), fontsize=9)
            page.insert_text((180 + 100 * i, y), f"{rng.randint(10, 99) / 10:.1f}", fontsize=9)
    assert find_charts(PageContent(page)) == []


def _x_at(value: float) -> float:
    return PLOT.x0 + value / 100 * PLOT.width


@pytest.mark.parametrize("habit", ["crisp-grid", "flush-ends"])
def test_a_numeric_x_axis_drawn_with_browser_habits(habit):
    """Grid lines moved half a pixel to draw crisp while labels and markers stay exact, or the end labels set
    flush with the axis's ends: the x values still come out exact, as numbers."""
    doc, page = _chart_page()
    _axes(page, [])
    for v in range(0, 101, 20):
        x = _x_at(v)
        page.draw_line((x + (0.375 if habit == "crisp-grid" else 0), PLOT.y0),
                       (x + (0.375 if habit == "crisp-grid" else 0), PLOT.y1), color=(0.85, 0.85, 0.85), width=0.5)
        length = pymupdf.get_text_length(str(v), fontsize=9)
        left = x - length / 2
        if habit == "flush-ends" and v in (0, 100):
            left = x if v == 0 else x - length
        page.insert_text((left, PLOT.y1 + 14), str(v), fontsize=9)
    points = {12.0: 30.5, 37.0: 62.0, 55.0: 18.25, 81.0: 77.5, 96.0: 44.0}
    for x, y in points.items():
        page.draw_circle((_x_at(x), _y_at(y)), 2.5, color=None, fill=_rgb(COLOURS[2]))
    assert _read_series(page) == {"": pytest.approx(points, rel=0.005)}


def test_a_value_axis_moved_half_a_pixel_to_draw_crisp():
    """A web renderer draws its whole axis (grid, ticks, labels) half a pixel down so that one-pixel lines stay
    crisp, and its markers where the data are: values are read from the data's position, not the lines'."""
    doc, page = _chart_page()
    crisp = 0.5  # half a pixel of a page rendered at 72 dpi; every tick of PLOT sits on a whole point
    for v in range(0, 101, 20):
        y = _y_at(v) + crisp
        page.draw_line((PLOT.x0 - 4, y), (PLOT.x1, y), color=(0.8, 0.8, 0.8), width=1)
        length = pymupdf.get_text_length(str(v), fontsize=9)
        page.insert_text((PLOT.x0 - 7 - length, y + 3.2), str(v), fontsize=9)
    for x, name in zip(_band_centres(4), CATS):
        page.insert_text((x - pymupdf.get_text_length(name, fontsize=9) / 2, PLOT.y1 + 14), name, fontsize=9)
    values = [4.0, 23.0, 71.5, 9.0]
    for x, v in zip(_band_centres(4), values):
        page.draw_circle((x, _y_at(v)), 3, color=None, fill=_rgb(COLOURS[0]))
    assert _read_series(page) == {"": pytest.approx(dict(zip(CATS, values)), rel=0.002)}


def test_grid_lines_past_the_first_and_last_label_bound_the_plot():
    """A crowded value axis leaves its end grid lines unlabelled (no axis line, no pane): bars standing on the
    unlabelled zero line are still inside the plot and read."""
    doc, page = _chart_page()
    for v in range(0, 101, 20):
        page.draw_line((PLOT.x0, _y_at(v)), (PLOT.x1, _y_at(v)), color=(0.85, 0.85, 0.85), width=0.5)
        if 0 < v < 100:
            length = pymupdf.get_text_length(str(v), fontsize=9)
            page.insert_text((PLOT.x0 - 4 - length, _y_at(v) + 3.2), str(v), fontsize=9)
    for x, name in zip(_band_centres(4), CATS):
        page.insert_text((x - pymupdf.get_text_length(name, fontsize=9) / 2, PLOT.y1 + 14), name, fontsize=9)
    _grouped_bars(page, GROUPED)
    _legend_row(page, list(GROUPED), False)
    got = _read_series(page)
    assert got == {name: pytest.approx(dict(zip(CATS, values)), rel=0.005) for name, values in GROUPED.items()}


def test_a_smoothed_line_is_read_at_its_joints_when_the_ticks_stand_off_them():
    """Category ticks and labels moved most of a pixel (rounded and drawn crisp) off a line of curves through the
    data: each category takes the curve's joint beside its tick, the last one too, not the curve at the tick."""
    doc, page = _chart_page()
    off = 0.8
    page.draw_rect(PLOT, color=(0, 0, 0), width=0.8)
    for v in range(0, 101, 20):
        length = pymupdf.get_text_length(str(v), fontsize=9)
        page.draw_line((PLOT.x0 - 4, _y_at(v)), (PLOT.x0, _y_at(v)), color=(0, 0, 0), width=0.8)
        page.insert_text((PLOT.x0 - 7 - length, _y_at(v) + 3.2), str(v), fontsize=9)
    centres = _band_centres(4)
    for x, name in zip(centres, CATS):
        page.draw_line((x + off, PLOT.y1), (x + off, PLOT.y1 + 4), color=(0, 0, 0), width=0.8)
        page.insert_text((x + off - pymupdf.get_text_length(name, fontsize=9) / 2, PLOT.y1 + 14), name, fontsize=9)
    values = [30.0, 85.0, 10.0, 60.0]
    shape = page.new_shape()
    points = [pymupdf.Point(x, _y_at(v)) for x, v in zip(centres, values)]
    for a, b in zip(points, points[1:]):
        third = (b.x - a.x) / 3
        shape.draw_bezier(a, pymupdf.Point(a.x + third, a.y), pymupdf.Point(b.x - third, b.y), b)
    shape.finish(color=_rgb(COLOURS[1]), width=1.5, closePath=False)
    shape.commit()
    assert _read_series(page) == {"": pytest.approx(dict(zip(CATS, values)), rel=0.002)}
