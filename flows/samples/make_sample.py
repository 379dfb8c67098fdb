"""Regenerate the bundled sample: ``python -m figtab.flows.samples.make_sample`` writes sample.pdf and sample.truth.json.

Three pages drawn with reportlab: a ruled table, a whitespace-aligned (unruled) table, and a page with a bar
chart and a line chart, each with text around it. The truth file holds the numbers the drawing was made from.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).parent
QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
REVENUE = {"North": [12.5, 14.0, 15.25, 18.0], "South": [9.75, 10.5, 11.0, 12.25], "West": [7.0, 8.5, 9.0, 11.5]}
OFFICES = [("Office", "Staff", "Opened", "Budget"), ("Lisbon", "42", "2011", "1,250"),
           ("Oslo", "17", "2015", "830"), ("Nairobi", "28", "2018", "(45)"), ("Lima", "9", "2021", "310")]
VISITORS = {"Web": [120.0, 135.0, 150.0, 160.0], "Store": [80.0, 78.0, 90.0, 95.0]}
LOREM = ("This sample report exists so that figtab can show its whole pipeline on a file it ships. "
         "The numbers are made up; the truth file next to this PDF holds them exactly.")


def ruled_table() -> Table:
    rows = [["Region", *QUARTERS]] + [[name, *[f"{v:.2f}" for v in values]] for name, values in REVENUE.items()]
    table = Table(rows)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
    return table


def unruled_table() -> Table:
    table = Table([list(row) for row in OFFICES], colWidths=[110, 70, 70, 70])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    return table


def framed(chart, data: dict[str, list[float]], value_max: float, step: float, title: str,
           palette: list, legend_x: float) -> Drawing:
    """``chart`` placed on a drawing with its data on the quarters, a title and a legend row naming the series."""
    drawing = Drawing(400, 235)
    chart.x, chart.y, chart.width, chart.height = 50, 30, 320, 160
    chart.data = [tuple(values) for values in data.values()]
    chart.categoryAxis.categoryNames = QUARTERS
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, value_max, step
    drawing.add(chart)
    drawing.add(String(50, 215, title, fontSize=11))
    legend = Legend()
    legend.x, legend.y, legend.alignment, legend.columnMaximum, legend.fontSize = legend_x, 198, "right", 1, 8
    legend.colorNamePairs = list(zip(palette, data))
    drawing.add(legend)
    return drawing


def bar_chart() -> Drawing:
    chart, palette = VerticalBarChart(), [colors.steelblue, colors.orange, colors.seagreen]
    for i, colour in enumerate(palette):
        chart.bars[i].fillColor = colour
    return framed(chart, REVENUE, 20, 5, "Revenue by region (EUR m)", palette, 230)


def line_chart() -> Drawing:
    chart, palette = HorizontalLineChart(), [colors.crimson, colors.navy]
    for i, colour in enumerate(palette):
        chart.lines[i].strokeColor = colour
    return framed(chart, VISITORS, 200, 50, "Visitors (thousands)", palette, 280)


def truth() -> dict:
    revenue_rows = [["Region", *QUARTERS]] + [[n, *[f"{v:.2f}" for v in vs]] for n, vs in REVENUE.items()]
    series = lambda data: [{"name": n, "points": [{"x": q, "y": v} for q, v in zip(QUARTERS, vs)]}
                           for n, vs in data.items()]
    return {
        "tables": [{"page": 1, "rows": revenue_rows, "ruled": True},
                   {"page": 2, "rows": [list(r) for r in OFFICES], "ruled": False}],
        "charts": [{"page": 3, "chart_type": "bar", "title": "Revenue by region (EUR m)", "series": series(REVENUE)},
                   {"page": 3, "chart_type": "line", "title": "Visitors (thousands)", "series": series(VISITORS)}],
    }


def build(out_dir: Path = HERE) -> Path:
    styles = getSampleStyleSheet()
    text = lambda s: Paragraph(s, styles["BodyText"])
    story = [Paragraph("figtab sample report", styles["Title"]), text(LOREM), Spacer(1, 12),
             Paragraph("Revenue by region (EUR m)", styles["Heading2"]), ruled_table(), Spacer(1, 12),
             text("Revenue grew in every region through the year."), PageBreak(),
             Paragraph("Offices", styles["Heading2"]), text(LOREM), Spacer(1, 12), unruled_table(), Spacer(1, 12),
             text("Budgets are in thousands; a figure in parentheses is negative."), PageBreak(),
             Paragraph("Charts", styles["Heading2"]), text(LOREM), bar_chart(), line_chart()]
    pdf = out_dir / "sample.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4, title="figtab sample", author="figtab", creator="figtab",
                      invariant=1).build(story)
    (out_dir / "sample.truth.json").write_text(json.dumps(truth(), indent=1) + "\n")
    return pdf


if __name__ == "__main__":
    print(build())
