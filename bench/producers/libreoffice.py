"""LibreOffice Calc: an .xlsx with an office chart (written by openpyxl), printed to PDF by ``soffice --headless``.
Column, bar (horizontal) and stacked charts, line charts (smoothed as office software smooths them: many vertices
between categories), XY charts for numeric x, pies with category names outside; tick labels turned where asked.
Needs Debian's ``libreoffice-calc-nogui`` and ``pip install openpyxl`` (see requirements-charts.txt)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.producers import Producer, Style
from figtab.flows.synth.spec import ChartSpec

_FORMATS = {"plain": "General", "thousands": "#,##0", "percent": '0"%"', "currency": '"$"#,##0;-"$"#,##0',
            "suffix": '0.0,"k"', "decimal": "0.00"}
_FONTS = {"sans-serif": "Liberation Sans", "serif": "Liberation Serif", "monospace": "Liberation Mono"}
_CM_PER_PT = 2.54 / 72


def _text(spec: ChartSpec, angle: int = 0, size: float | None = None):
    """Axis or legend text properties: the spec's font and size, turned by ``angle`` degrees (counter-clockwise)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, \
        RichTextProperties

    font = CharacterProperties(sz=int((size or spec.font_size) * 100), latin=Font(typeface=_FONTS[spec.font]))
    return RichText(bodyPr=RichTextProperties(rot=-angle * 60000, vert="horz"),
                    p=[Paragraph(pPr=ParagraphProperties(defRPr=font), endParaRPr=font)])


def _colour(hex_colour: str) -> str:
    return hex_colour.lstrip("#").upper()


def _sheet(spec: ChartSpec):
    """The workbook, its data sheet (hidden, so only the chart prints) and the sheet the chart stands on."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    page.title = "Chart"
    data = book.create_sheet("Data")
    data.append(["x"] + [s.name or "value" for s in spec.series])
    for i, x in enumerate(spec.series[0].xs):
        data.append([x] + [s.ys[i] for s in spec.series])
    data.sheet_state = "hidden"
    return book, data, page


def _style_axes(chart, spec: ChartSpec, style: Style) -> None:
    from openpyxl.chart.axis import ChartLines

    value_axis, other_axis = chart.y_axis, chart.x_axis
    for axis in (value_axis, other_axis):
        axis.delete = False
    value_axis.number_format = _FORMATS[spec.number_format]
    value_axis.numFmt.sourceLinked = False if value_axis.numFmt is not None else None
    value_axis.majorGridlines = ChartLines() if spec.grid or spec.kind == "scatter" else None
    if spec.kind == "scatter" and spec.grid:
        other_axis.majorGridlines = ChartLines()
    # a bar chart on its side keeps its value axis in y_axis and draws it along the bottom
    across, along = (value_axis, other_axis) if spec.horizontal else (other_axis, value_axis)
    across.txPr = _text(spec, style.x_label_angle)
    along.txPr = _text(spec, 90 if style.y_labels_upright else 0)
    other_axis.title = spec.x_label
    value_axis.title = spec.y_label


def _series(chart, data, spec: ChartSpec, style: Style, xy: bool) -> None:
    from openpyxl.chart import Reference, Series
    from openpyxl.chart.shapes import GraphicalProperties

    rows = len(spec.series[0].xs) + 1
    xs = Reference(data, min_col=1, min_row=2, max_row=rows)
    for i, s in enumerate(spec.series):
        ys = Reference(data, min_col=i + 2, min_row=1, max_row=rows)
        if xy:
            one = Series(ys, xs, title_from_data=True)
            chart.series.append(one)
        else:
            chart.add_data(ys, titles_from_data=True)
            one = chart.series[-1]
        colour = _colour(spec.colors[i % len(spec.colors)])
        if spec.kind == "bar":
            one.graphicalProperties.solidFill = colour
            one.graphicalProperties.line.noFill = True
            continue
        one.graphicalProperties.line.solidFill = colour
        one.graphicalProperties.line.width = 19050  # 1.5 pt in EMU
        one.smooth = style.smooth and spec.kind == "line"
        shown = spec.kind == "scatter" or spec.markers
        one.marker.symbol = "circle" if shown else "none"
        if shown:
            one.marker.size = 6
            one.marker.graphicalProperties = GraphicalProperties(solidFill="FFFFFF" if style.open_markers and
                                                                 spec.kind == "scatter" else colour)
            one.marker.graphicalProperties.line.solidFill = colour
        if spec.kind == "scatter":
            one.graphicalProperties.line.noFill = True  # LibreOffice keeps the line colour set above: its
            # scatters come out as markers joined by a line
    if not xy:
        chart.set_categories(xs)


def _axes_chart(spec: ChartSpec, style: Style, data):
    from openpyxl.chart import BarChart, LineChart, ScatterChart

    xy = spec.x_kind != "category"  # a category scatter is a line chart with markers
    if spec.kind == "bar":
        chart = BarChart()
        chart.type = "bar" if spec.horizontal else "col"
        chart.grouping = "stacked" if spec.stacked else "clustered"
        if spec.stacked:
            chart.overlap = 100
        chart.gapWidth = 80
    elif xy:
        chart = ScatterChart()
        chart.scatterStyle = "lineMarker"
        chart.x_axis.number_format = "General"
    else:
        chart = LineChart()
    _series(chart, data, spec, style, xy)
    _style_axes(chart, spec, style)
    return chart


def _pie(spec: ChartSpec, style: Style, data):
    from openpyxl.chart import DoughnutChart, PieChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.series import DataPoint

    chart = DoughnutChart(holeSize=45) if spec.donut else PieChart()
    rows = len(spec.series[0].xs) + 1
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=rows))
    for i in range(rows - 1):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = _colour(spec.colors[i % len(spec.colors)])
        point.graphicalProperties.line.noFill = True
        chart.series[0].dPt.append(point)
    if style.pie_outside_labels:
        labels = DataLabelList(showCatName=True, showVal=False, showPercent=False, showSerName=False,
                               showLegendKey=False)
        if not spec.donut:
            labels.dLblPos = "outEnd"
        labels.txPr = _text(spec)
        chart.dataLabels = labels
    return chart


def _workbook(spec: ChartSpec, style: Style) -> bytes:
    book, data, page = _sheet(spec)
    chart = _pie(spec, style, data) if spec.kind == "pie" else _axes_chart(spec, style, data)
    chart.title = spec.title
    if spec.legend == "none" and not (spec.kind == "pie" and not style.pie_outside_labels):
        chart.legend = None
    else:
        chart.legend.position = "r" if spec.legend == "outside" or spec.kind == "pie" else "t"
        chart.legend.txPr = _text(spec)
    chart.width, chart.height = spec.width * _CM_PER_PT, spec.height * _CM_PER_PT
    page.page_margins.left = page.page_margins.right = 0.4  # inches: the chart fits one page
    page.add_chart(chart, "A1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def draw(spec: ChartSpec, style: Style) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "chart.xlsx"
        sheet.write_bytes(_workbook(spec, style))
        done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                               "--convert-to", "pdf", "--outdir", tmp, str(sheet)],
                              capture_output=True, text=True, timeout=180)
        pdf = Path(tmp) / "chart.pdf"
        if not pdf.exists():
            raise RuntimeError(f"soffice printed no PDF: {(done.stderr or done.stdout).strip()[-500:]}")
        return pdf.read_bytes()


def _missing() -> str | None:
    if not shutil.which("soffice"):
        return "soffice not found (apt-get install libreoffice-calc-nogui)"
    if importlib.util.find_spec("openpyxl") is None:
        return "openpyxl not installed (pip install -r bench/requirements-charts.txt)"
    return None


PRODUCER = Producer("libreoffice", ["bar", "line", "scatter", "pie"], ["category", "number"], True, draw, _missing)
