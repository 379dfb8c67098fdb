"""The report's drawing builders without a browser: SVG charts, HTML tables, tick arithmetic, escaping.

Outputs are parsed as XML (the builders write well-formed markup), so every count below is of real elements.
"""

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from figtab.flows.report.charts import chart_svg, count_points
from figtab.flows.report.markup import attrs, tag
from figtab.flows.report.scales import colour, nice_ticks
from figtab.flows.report.tables import count_cells, table_html
from figtab.schemas import Chart, Table

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def marks(svg: ET.Element) -> list[ET.Element]:
    return [element for element in svg.iter() if "data-point" in element.attrib]


def chart(chart_type, series, **labels) -> Chart:
    return Chart(chart_type=chart_type, series=[{"name": name, "points": [{"x": x, "y": y} for x, y in points]}
                                                for name, points in series], **labels)


THREE_SERIES = [("North", [("Q1", 12.5), ("Q2", 14.0), ("Q3", 15.25)]), ("South", [("Q1", 9.75), ("Q2", 10.5)]),
                ("West", [("Q1", 7.0), ("Q3", 9.0)])]


@pytest.mark.parametrize("chart_type", ["bar", "line", "area", "scatter", "pie", "other"])
def test_one_mark_per_stored_point_for_every_chart_type(chart_type):
    drawn = chart(chart_type, THREE_SERIES, title="Revenue")
    svg = parse(chart_svg(drawn))
    assert svg.tag == f"{SVG}svg" and svg.get("data-chart-type") == chart_type
    found = marks(svg)
    assert len(found) == count_points(drawn) == 7
    stored = {(p.x, p.y) for s in drawn.series for p in s.points}
    assert {(m.get("data-point").split(": ")[0], float(m.get("data-point").split(": ")[1])) for m in found} == stored


def test_bars_stand_on_zero_with_heights_proportional_to_values():
    svg = parse(chart_svg(chart("bar", [("A", [("a", 10.0), ("b", 5.0), ("c", -5.0)])])))
    bars = {m.get("data-point"): m for m in marks(svg)}
    height = {key: float(bar.get("height")) for key, bar in bars.items()}
    assert height["a: 10"] == pytest.approx(2 * height["b: 5"], abs=0.2)
    assert height["c: -5"] == pytest.approx(height["b: 5"], abs=0.2)
    bottom_of_b = float(bars["b: 5"].get("y")) + height["b: 5"]
    assert float(bars["c: -5"].get("y")) == pytest.approx(bottom_of_b, abs=0.2)  # both meet at the zero line


def test_series_get_distinct_colours_and_a_legend_entry_each():
    svg = parse(chart_svg(chart("line", THREE_SERIES)))
    fills = {m.get("data-series"): m.get("fill") for m in marks(svg)}
    assert len(fills) == 3 and len(set(fills.values())) == 3
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.find(f"{SVG}title").text for t in legend.iter(f"{SVG}text")] == ["North", "South", "West"]


def test_a_single_unnamed_series_needs_no_legend():
    svg = parse(chart_svg(chart("bar", [("", [("a", 1.0), ("b", 2.0)])])))
    assert not [g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend"]


def test_numeric_x_line_is_drawn_left_to_right_in_x_order_with_ticks_covering_the_data():
    svg = parse(chart_svg(chart("line", [("s", [(2020.0, 3.0), (2010.0, 1.0), (2015.0, 2.0)])], x_label="year")))
    xs = [float(m.get("cx")) for m in marks(svg)]
    assert xs == sorted(xs)
    x_ticks = [t.text for g in svg.iter(f"{SVG}g") if g.get("class") == "x-axis"
               for t in g.iter(f"{SVG}text")]
    assert x_ticks[0] <= "2,010" and x_ticks[-1] >= "2,020"
    assert any(t.text == "year" for t in svg.iter(f"{SVG}text"))


def test_pie_slices_sweep_their_share_of_the_circle():
    svg = parse(chart_svg(chart("pie", [("", [("a", 1.0), ("b", 1.0), ("c", 2.0)])])))
    slices = marks(svg)
    assert len(slices) == 3 and len({s.get("fill") for s in slices}) == 3
    large_arc = [re.search(r"A[\d.]+,[\d.]+ 0 (\d) 1", s.get("d")).group(1) for s in slices]
    assert large_arc == ["0", "0", "0"]  # a half circle is not more than half: no slice takes the long way round
    whole = parse(chart_svg(chart("pie", [("", [("all", 5.0)])])))
    assert marks(whole)[0].get("d").count("A") == 2  # a full circle is two half arcs


def test_many_categories_keep_their_marks_but_thin_out_their_labels():
    labels = [f"category number {i}" for i in range(60)]
    svg = parse(chart_svg(chart("bar", [("s", [(label, float(i)) for i, label in enumerate(labels)])])))
    assert len(marks(svg)) == 60
    axis = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "x-axis")
    assert 0 < len(list(axis.iter(f"{SVG}text"))) < 60


def test_table_spans_become_rowspan_and_colspan_and_hidden_cells_are_left_out():
    table = Table(rows=[["Region", "2023", ""], ["", "H1", "H2"], ["North", "1,250", "(45)"]], header_rows=2,
                  spans=[{"row": 0, "col": 0, "row_span": 2}, {"row": 0, "col": 1, "col_span": 2}])
    element = parse(table_html(table))
    cells = [cell for row in element.iter("tr") for cell in row]
    assert len(cells) == count_cells(table) == 9 - 2
    region, year = cells[0], cells[1]
    assert (region.text, region.get("rowspan"), region.get("colspan")) == ("Region", "2", None)
    assert (year.text, year.get("colspan")) == ("2023", "2")
    assert [c.tag for c in cells] == ["th"] * 4 + ["td"] * 3
    assert [c.get("class") for c in cells[4:]] == [None, "num", "num"]


def test_untrusted_text_is_escaped_everywhere():
    hostile = '<script>alert(1)</script>" onmouseover="alert(2)'
    drawn = chart("bar", [(hostile, [(hostile, 1.0)]), ("b", [("x", 2.0)])], title=hostile, x_label=hostile,
                  y_label=hostile)
    table = Table(rows=[[hostile], ["1"]], header_rows=1, title=hostile)
    for markup in (chart_svg(drawn), table_html(table)):
        element = parse(markup)
        assert "<script" not in markup.lower()
        assert not [a for e in element.iter() for a in e.attrib if a.lower().startswith("on")]
        assert any(hostile in (e.text or "") or hostile in e.attrib.values() for e in element.iter())


def test_builders_refuse_scripts_and_event_handlers():
    with pytest.raises(ValueError):
        tag("script", "alert(1)")
    with pytest.raises(ValueError):
        attrs(onload="alert(1)")


@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9))
def test_ticks_are_evenly_spaced_round_numbers_covering_the_range(low, high):
    assume(low == high or abs(high - low) >= 1e-9)  # tinier spans get plain even ticks (the test below)
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, high) and ticks[-1] >= max(low, high)
    assert 2 <= len(ticks) <= 12
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    step = ticks[1] - ticks[0]
    assert max(steps) - min(steps) <= step * 1e-6
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6


def test_colours_stay_distinct_past_the_palette():
    assert len({colour(i) for i in range(40)}) == 40


@pytest.mark.parametrize("ys", [(-1e308, 1e308), (1.7e308, 1.7e308), (0.0, 5e-324), (-1.7e308, 0.0)])
def test_extreme_finite_values_still_draw_every_point_on_the_canvas(ys):
    for chart_type in ("line", "bar"):
        points = [(str(i) if chart_type == "bar" else i, y) for i, y in enumerate(ys)]
        svg = parse(chart_svg(chart(chart_type, [("s", points)])))
        assert len(marks(svg)) == len(ys)
        numbers = [float(v) for e in svg.iter() for k, v in e.attrib.items() if k in ("x", "y", "cx", "cy",
                                                                                    "height", "y1", "y2")]
        assert numbers and all(math.isfinite(n) for n in numbers)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False))
def test_ticks_cover_any_finite_range(low, high):
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, high) and ticks[-1] >= max(low, high) and all(map(math.isfinite, ticks))
