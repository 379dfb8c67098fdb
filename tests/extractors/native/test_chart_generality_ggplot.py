"""Drawing habits of R's ggplot2 (its pdf() device), each drawn by hand with PyMuPDF: legend keys that are a
coloured square on a paper-white backing square, nearly three times as tall as the legend's small text (inside a
bar chart's plot, beside a pie of many-sided polygon wedges); dates typeset with a minus sign ("2007−07"); and a
date axis labelled by whole years under monthly or quarterly data."""

from __future__ import annotations

import datetime as dt
import math

import pymupdf
import pytest

from figtab.extractors.native.charts import find_charts
from figtab.extractors.native.charts.crowded import overprints
from figtab.extractors.native.charts.numbers import parse_date
from figtab.extractors.native.page_content import PageContent

PLOT = pymupdf.Rect(60, 40, 360, 240)
WHITE = (1.0, 1.0, 1.0)
INK = (0.2, 0.2, 0.2)
COLOURS = [(0.35, 0.63, 0.31), (0.69, 0.48, 0.63), (0.15, 0.27, 0.33), (0.91, 0.77, 0.42)]
KEY, BACKING, TEXT = 15.86, 17.28, 6.0  # ggplot's key is about 17 pt whatever the text size


def _page() -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    page = doc.new_page(width=460, height=290)
    page.draw_rect(page.rect, color=None, fill=WHITE)  # the page's own background
    return doc, page


def _value_axis(page: pymupdf.Page, values: list[float], top: float) -> callable:
    """Tick labels on the left from 0 up to ``top``, their ticks and the axis line; the value's page y."""
    def at(v: float) -> float:
        return PLOT.y1 - (v / top) * PLOT.height

    for v in values:
        text = f"{v:g}"
        page.insert_text((PLOT.x0 - 5 - pymupdf.get_text_length(text, "helv", 7), at(v) + 2.5), text, fontsize=7)
        page.draw_line((PLOT.x0 - 3, at(v)), (PLOT.x0, at(v)), color=INK, width=0.5)
    page.draw_line((PLOT.x0, PLOT.y0), (PLOT.x0, PLOT.y1), color=INK, width=0.5)
    return at


def _x_axis(page: pymupdf.Page, labels: list[tuple[str, float]]) -> None:
    for text, x in labels:
        page.insert_text((x - pymupdf.get_text_length(text, "helv", 7) / 2, PLOT.y1 + 12), text, fontsize=7)
        page.draw_line((x, PLOT.y1), (x, PLOT.y1 + 3), color=INK, width=0.5)
    page.draw_line((PLOT.x0, PLOT.y1), (PLOT.x1, PLOT.y1), color=INK, width=0.5)


def _legend(page: pymupdf.Page, names: list[str], x: float, y: float) -> None:
    """ggplot's legend: a white box, and per entry a white backing square with the coloured key inside it and
    the name in small text to its right."""
    page.draw_rect(pymupdf.Rect(x - 6, y - 6, x + 60, y + BACKING * len(names) + 6), color=None, fill=WHITE)
    inset = (BACKING - KEY) / 2
    for i, name in enumerate(names):
        top = y + BACKING * i
        page.draw_rect(pymupdf.Rect(x, top, x + BACKING, top + BACKING), color=None, fill=WHITE)
        page.draw_rect(pymupdf.Rect(x + inset, top + inset, x + inset + KEY, top + inset + KEY), color=None,
                       fill=COLOURS[i])
        page.insert_text((x + BACKING + 4, top + BACKING / 2 + 2.1), name, fontsize=TEXT)


def _read(doc: pymupdf.Document):
    found = find_charts(PageContent(doc[0]))
    doc.close()
    assert len(found) == 1, [f.chart.chart_type for f in found]
    return found[0].chart


def _points(chart) -> dict[tuple[str, str], float]:
    return {(s.name, str(p.x)): p.y for s in chart.series for p in s.points}


def test_bars_with_a_legend_of_tall_keys_inside_the_plot():
    """Each key's coloured square is a small box among the bars; unless it is read as the key it is, it stands
    off the baseline and no bar is read at all."""
    doc, page = _page()
    at = _value_axis(page, [0, 10, 20, 30, 40], 40)
    values = {"Gas": [12.0, 31.0, 24.0], "Housing": [8.0, 17.5, 29.0]}
    cats = ["Mon", "Tue", "Wed"]
    band = PLOT.width / len(cats)
    _x_axis(page, [(c, PLOT.x0 + band * (i + 0.5)) for i, c in enumerate(cats)])
    for k, ys in enumerate(values.values()):
        for i, y in enumerate(ys):
            left = PLOT.x0 + band * (i + 0.5) - 20 + 20 * k
            page.draw_rect(pymupdf.Rect(left, at(y), left + 18, PLOT.y1), color=None, fill=COLOURS[k])
    _legend(page, list(values), PLOT.x1 - 70, PLOT.y0 + 6)
    chart = _read(doc)
    assert chart.chart_type == "bar"
    assert _points(chart) == pytest.approx({(n, c): y for n, ys in values.items() for c, y in zip(cats, ys)},
                                           rel=1e-3)


def _wedge(page: pymupdf.Page, centre: tuple[float, float], r: float, a0: float, a1: float, fill) -> None:
    """A slice as coord_polar draws it: a polygon through many points of its arc, no curves."""
    steps = max(2, int((a1 - a0) / (2 * math.pi) * 100))
    rim = [(centre[0] + r * math.sin(a0 + (a1 - a0) * i / steps), centre[1] - r * math.cos(a0 + (a1 - a0) * i / steps))
           for i in range(steps + 1)]
    page.draw_polyline([centre] + rim + [centre], color=WHITE, fill=fill, width=0.5, closePath=True)


def test_a_pie_named_by_a_legend_of_tall_keys():
    """Names come from the keys by colour, not from the legend's text standing nearest a wedge."""
    doc, page = _page()
    shares = {"Wind": 17.2, "Men": 48.1, "Imports": 34.7}
    start = 0.0
    for i, share in enumerate(shares.values()):
        end = start + share / 100 * 2 * math.pi
        _wedge(page, (170, 145), 90, start, end, COLOURS[i])
        start = end
    _legend(page, list(shares), 290, 110)
    chart = _read(doc)
    assert chart.chart_type == "pie"
    got = {p.x: p.y for p in chart.series[0].points}
    assert got == pytest.approx(shares, abs=0.05)


@pytest.mark.parametrize("text", ["2007\u221207", "2007\u201307", "2007-07"])
def test_dates_typeset_with_a_minus_sign_or_a_dash(text):
    assert parse_date(text) == dt.date(2007, 7, 1)


def _on_year_axis(days: list[dt.date]) -> dict[tuple[str, str], float]:
    """Points on an x axis labelled by whole years only (each label at its 1 January), as ggplot labels a few
    years of dates."""
    doc, page = _page()
    at = _value_axis(page, [0, 50, 100], 100)
    first, last = dt.date(2008, 7, 1).toordinal(), dt.date(2011, 3, 1).toordinal()

    def x_of(ordinal: float) -> float:
        return PLOT.x0 + (ordinal - first) / (last - first) * PLOT.width

    _x_axis(page, [(str(year), x_of(dt.date(year, 1, 1).toordinal())) for year in (2009, 2010, 2011)])
    for i, day in enumerate(days):
        x, y = x_of(day.toordinal()), at(10 + 7 * i)
        page.draw_circle((x, y), 2.0, color=None, fill=COLOURS[0])
    return _points(_read(doc))


def test_quarterly_dates_on_an_axis_labelled_by_year_read_as_dates():
    days = [dt.date(2008 + (6 + 3 * i) // 12, (6 + 3 * i) % 12 + 1, 1) for i in range(10)]
    got = _on_year_axis(days)
    assert got == pytest.approx({("", d.isoformat()): 10 + 7 * i for i, d in enumerate(days)}, rel=1e-3)


def test_points_between_the_years_off_month_starts_stay_numbers():
    """Only marks that all fall on the first of a month make a year axis a calendar; others are numbers."""
    days = [dt.date(2008, 9, 17) + dt.timedelta(days=83 * i) for i in range(9)]
    got = _on_year_axis(days)
    assert len(got) == len(days)
    assert all(parse_date(x) is None and x.replace(".", "").isdigit() for _, x in got), sorted(got)


def test_overlapping_category_labels_written_up_the_page_are_cut_apart():
    """Crowded labels of horizontal bars, turned to read upwards, each overlapping the next by a third of its
    size (Chromium's print of a plotly chart): the text layer runs them into one line; a label's characters
    follow one another, so a character starting well before the last one ends begins the next label."""
    doc, page = _page()
    names, values = ["Tokyo", "Lagos", "Sigma", "Kappa"], [4.19, 2.26, 3.51, 2.09]
    band = 21.5
    for v in (0, 1, 2, 3, 4):
        x = PLOT.x0 + v * 70
        page.insert_text((x - 3, PLOT.y1 + 12), str(v), fontsize=9)
        page.draw_line((x, PLOT.y1), (x, PLOT.y1 + 3), color=INK, width=0.5)
    for i, value in enumerate(values):
        centre = PLOT.y1 - band * (i + 0.5)
        page.draw_rect(pymupdf.Rect(PLOT.x0, centre - 8, PLOT.x0 + value * 70, centre + 8), color=None,
                       fill=COLOURS[2])
    _upright_labels(page, names, band)
    chart = _read(doc)
    assert chart.chart_type == "bar"
    assert {str(p.x): p.y for p in chart.series[0].points} == pytest.approx(dict(zip(names, values)), rel=1e-3)


def _upright_labels(page: pymupdf.Page, names: list[str], band: float) -> None:
    """Category labels turned to read upwards, one per band up the plot's left side."""
    for i, name in enumerate(names):
        centre = PLOT.y1 - band * (i + 0.5)
        length = pymupdf.get_text_length(name, "helv", 9)
        page.insert_text((PLOT.x0 - 4, centre + length / 2), name, fontsize=9, rotate=90)


@pytest.mark.parametrize("rotation", [0, 90])
def test_only_a_page_whose_characters_overlap_is_searched_for_overprinted_labels(rotation):
    """The chart reader reads every label's characters to find overprinted ones only where some character
    starts well before the one written before it ends, on a turned page too."""
    names = ["Tokyo", "Lagos", "Sigma", "Kappa"]
    doc, crowded = _page()
    _upright_labels(crowded, names, 21.5)  # each overlaps the next by a third of its size
    doc2, spaced = _page()
    _upright_labels(spaced, names, 40.0)
    _value_axis(spaced, [0, 10, 20], 20)
    for page in (crowded, spaced):
        page.set_rotation(rotation)
    assert overprints(PageContent(crowded))
    assert not overprints(PageContent(spaced))
    doc.close()
    doc2.close()


def test_a_marker_beside_a_legend_title_is_data_not_a_key():
    """An inside legend with a title, drawn over the data: the point just right of the title is the series' own
    (the key beside the name already has its colour), so the series keeps its name and the point."""
    doc, page = _page()
    at = _value_axis(page, [0, 50, 100], 100)
    xs = [(str(v), PLOT.x0 + 20 + 40 * i) for i, v in enumerate((2, 4, 6, 8, 10, 12, 14))]
    _x_axis(page, xs)
    ys = [20.0, 35.0, 60.0, 40.0, 55.0, 30.0, 88.0]
    for (_, x), y in zip(xs, ys):
        page.draw_circle((x, at(y)), 2.0, color=None, fill=COLOURS[3])
    title_x = xs[-1][1] - 34  # the title ends a few points before the last point
    page.draw_rect(pymupdf.Rect(title_x - 6, at(88) - 10, title_x + 60, at(88) + 30), color=None, fill=WHITE)
    page.insert_text((title_x, at(88) + 3), "Legend", fontsize=8)
    key = (title_x + BACKING / 2, at(88) + 18)
    page.draw_rect(pymupdf.Rect(title_x, key[1] - BACKING / 2, title_x + BACKING, key[1] + BACKING / 2), color=None,
                   fill=WHITE)
    page.draw_circle(key, 2.0, color=None, fill=COLOURS[3])
    page.insert_text((title_x + BACKING + 4, key[1] + 2.1), "Actual", fontsize=TEXT)
    chart = _read(doc)
    assert chart.chart_type == "scatter"
    assert [s.name for s in chart.series] == ["Actual"]
    assert {float(p.x): p.y for p in chart.series[0].points} == pytest.approx(
        {float(v): y for (v, _), y in zip(xs, ys)}, rel=1e-3)


def test_bars_stand_on_their_axis_when_the_turned_zero_label_sits_off_it():
    """Value labels turned to read upwards, without ticks, each centred a pixel and a half above its value (as
    Chromium prints plotly's): the bars' shared bottom edge, not the label, is where zero stands."""
    doc, page = _page()
    top = 50000

    def at(v: float) -> float:
        return PLOT.y1 - v / top * PLOT.height

    for v in range(0, top + 1, 10000):
        text = f"{v:,}"
        length = pymupdf.get_text_length(text, "helv", 9)
        page.insert_text((PLOT.x0 - 5, at(v) - 1.35 + length / 2), text, fontsize=9, rotate=90)
    page.draw_line((PLOT.x0, PLOT.y1), (PLOT.x1, PLOT.y1), color=INK, width=0.75)
    page.draw_line((PLOT.x0, PLOT.y0), (PLOT.x0, PLOT.y1), color=INK, width=0.75)
    cats, values = ["Copper", "Alpha", "Wind"], [26512.0, 23741.0, 41729.0]
    band = PLOT.width / len(cats)
    for i, (c, v) in enumerate(zip(cats, values)):
        page.insert_text((PLOT.x0 + band * (i + 0.5) - pymupdf.get_text_length(c, "helv", 9) / 2, PLOT.y1 + 12), c,
                         fontsize=9)
        page.draw_rect(pymupdf.Rect(PLOT.x0 + band * i + 10, at(v), PLOT.x0 + band * (i + 1) - 10, PLOT.y1),
                       color=None, fill=COLOURS[0])
    chart = _read(doc)
    assert chart.chart_type == "bar"
    assert {str(p.x): p.y for p in chart.series[0].points} == pytest.approx(dict(zip(cats, values)), rel=1e-3)


def test_a_short_bar_beside_its_category_label_is_a_bar_not_a_key():
    """Horizontal bars of one colour: the shortest, just right of its label and no bigger than a tall key, stands
    on the baseline with the others, so it is data (ECharts' habit)."""
    doc, page = _page()
    names, values = ["Mon", "Tue", "Wed", "Thu"], [6.7, 15.7, 43.5, 12.0]
    for v in range(0, 51, 10):
        x = PLOT.x0 + v * 5
        page.insert_text((x - pymupdf.get_text_length(str(v), "helv", 9) / 2, PLOT.y1 + 12), str(v), fontsize=9)
        page.draw_line((x, PLOT.y1), (x, PLOT.y1 + 3), color=INK, width=0.5)
    band = PLOT.height / len(names)
    for i, (name, value) in enumerate(zip(names, values)):
        centre = PLOT.y1 - band * (i + 0.5)
        page.draw_rect(pymupdf.Rect(PLOT.x0, centre - 11, PLOT.x0 + value * 5, centre + 11), color=None,
                       fill=COLOURS[1])
        page.insert_text((PLOT.x0 - 6 - pymupdf.get_text_length(name, "helv", 9), centre + 3), name, fontsize=9)
    chart = _read(doc)
    assert chart.chart_type == "bar"
    assert {str(p.x): p.y for p in chart.series[0].points} == pytest.approx(dict(zip(names, values)), rel=1e-3)
