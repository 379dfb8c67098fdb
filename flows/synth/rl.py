"""Draw a `ChartSpec` with reportlab.graphics (no matplotlib code shared); returns one-page PDF bytes."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.axes import LogYValueAxis
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from figtab.flows.synth.spec import ChartSpec, format_number

KINDS = ["bar", "line", "scatter", "pie"]
X_KINDS = ["category", "number"]
FONTS = {"sans-serif": "Helvetica", "serif": "Times-Roman", "monospace": "Courier"}
MARKERS = ["FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Circle"]


def draw(spec: ChartSpec) -> bytes:
    """The chart at ``spec.width`` x ``spec.height`` points as PDF bytes."""
    font = FONTS[spec.font]
    legend_room = 90 if spec.legend == "outside" else 0
    drawing = Drawing(spec.width + legend_room, spec.height)
    plot = (55, 35, spec.width - 75, spec.height - 70)  # x, y, width, height of the plot area
    chart = _pie(spec, plot) if spec.kind == "pie" else _xy(spec, plot, font)
    drawing.add(chart)
    drawing.add(String(plot[0], spec.height - 20, spec.title, fontName=font, fontSize=spec.font_size + 3))
    if spec.x_label:
        drawing.add(String(plot[0] + plot[2] / 2, 6, spec.x_label, fontName=font, fontSize=spec.font_size,
                           textAnchor="middle"))
    if spec.y_label:  # turned a quarter left, reading upwards, left of the value labels
        title = Group(String(0, 0, spec.y_label, fontName=font, fontSize=spec.font_size, textAnchor="middle"))
        title.transform = (0, 1, -1, 0, 12, plot[1] + plot[3] / 2)
        drawing.add(title)
    if spec.legend != "none":
        drawing.add(_legend(spec, plot, font))
    return renderPDF.drawToString(drawing)


def _colour(spec: ChartSpec, i: int):
    return colors.HexColor(spec.colors[i % len(spec.colors)])


def _value_format(spec: ChartSpec):
    return lambda v: format_number(v, spec.number_format)


def _xy(spec: ChartSpec, plot: tuple, font: str):
    if spec.kind == "bar":
        chart = HorizontalBarChart() if spec.horizontal else VerticalBarChart()
        chart.data = [tuple(s.ys) for s in spec.series]
        chart.categoryAxis.categoryNames = spec.categories
        if spec.stacked:
            chart.categoryAxis.style = "stacked"
        for i in range(len(spec.series)):
            chart.bars[i].fillColor = _colour(spec, i)
            chart.bars[i].strokeColor = None
        if spec.horizontal:
            chart.categoryAxis.reverseDirection = 1
    elif spec.x_kind == "category":
        chart = HorizontalLineChart()
        chart.data = [tuple(s.ys) for s in spec.series]
        chart.categoryAxis.categoryNames = spec.categories
        for i in range(len(spec.series)):
            chart.lines[i].strokeColor = _colour(spec, i)
            if spec.markers:
                chart.lines[i].symbol = makeMarker(MARKERS[i % 5], fillColor=_colour(spec, i),
                                                   strokeColor=_colour(spec, i))
    else:
        chart = LinePlot()
        if spec.log_y:
            chart.yValueAxis = LogYValueAxis()
        chart.data = [list(zip(s.xs, s.ys)) for s in spec.series]
        chart.joinedLines = spec.kind == "line"
        for i in range(len(spec.series)):
            chart.lines[i].strokeColor = _colour(spec, i)
            if spec.kind == "scatter" or spec.markers:
                chart.lines[i].symbol = makeMarker(MARKERS[i % 4], fillColor=_colour(spec, i),
                                                   strokeColor=_colour(spec, i), size=4)
    chart.x, chart.y, chart.width, chart.height = plot
    value_axis = chart.valueAxis if hasattr(chart, "valueAxis") else chart.yValueAxis
    if not spec.log_y:
        value_axis.labelTextFormat = _value_format(spec)
    if spec.kind == "bar":
        value_axis.forceZero = 1  # bars grow from zero; an axis starting above it would hide the shortest bar
    for axis in (a for a in ("valueAxis", "categoryAxis", "xValueAxis", "yValueAxis") if hasattr(chart, a)):
        getattr(chart, axis).labels.fontName = font
        getattr(chart, axis).labels.fontSize = spec.font_size
    if spec.grid:
        value_axis.visibleGrid = 1
        value_axis.gridStrokeColor = colors.HexColor("#dddddd")
    return chart


def _pie(spec: ChartSpec, plot: tuple):
    chart = Doughnut() if spec.donut else Pie()
    side = min(plot[2], plot[3]) - 20
    chart.x, chart.y, chart.width, chart.height = plot[0] + 20, plot[1], side, side
    chart.data = spec.series[0].ys
    if spec.legend == "none":
        chart.labels = list(spec.series[0].xs)
    for i in range(len(chart.data)):
        chart.slices[i].fillColor = _colour(spec, i)
        chart.slices[i].strokeColor = colors.white
    return chart


def _legend(spec: ChartSpec, plot: tuple, font: str) -> Legend:
    legend = Legend()
    names = spec.series[0].xs if spec.kind == "pie" else [s.name for s in spec.series]
    legend.colorNamePairs = [(_colour(spec, i), name) for i, name in enumerate(names)]
    legend.fontName, legend.fontSize = font, spec.font_size
    legend.alignment = "right"
    inside = spec.legend == "inside" and spec.kind != "pie"
    legend.x = plot[0] + plot[2] - 70 if inside else plot[0] + plot[2] + 20
    legend.y = plot[1] + plot[3] - 5
    legend.boxAnchor = "nw"
    legend.columnMaximum = 10
    return legend
