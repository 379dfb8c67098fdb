"""Plotly (plotly.js, SVG) printed to PDF by headless Chromium: grouped, stacked and horizontal bars, lines with
and without markers (spline-smoothed where the style asks), open-circle scatter markers, pies and donuts with
outside labels, legends beside the plot; plotly's own tick choices and number formats. The page embeds the
plotly.js that ships inside the ``plotly`` package, so nothing is fetched. Needs ``pip install plotly`` and
Debian's ``chromium`` (see requirements-charts.txt)."""

from __future__ import annotations

import importlib.util
import json
import shutil

from bench.producers import Producer, Style, chromium_pdf
from figtab.flows.synth.spec import ChartSpec

_TICK_FORMATS = {"plain": "", "thousands": ",", "percent": "", "currency": "$,", "suffix": "~s", "decimal": ".2f"}


def _pie(spec: ChartSpec, style: Style) -> list[dict]:
    return [{"type": "pie", "labels": [str(x) for x in spec.series[0].xs], "values": spec.series[0].ys,
             "hole": 0.45 if spec.donut else 0, "sort": style.legend_order_shuffled, "direction": "clockwise",
             "textinfo": "label" if style.pie_outside_labels else "none", "textposition": "outside",
             "marker": {"colors": spec.colors}}]


def _traces(spec: ChartSpec, style: Style) -> list[dict]:
    traces = []
    for colour, s in zip(spec.colors, spec.series):
        xs, ys = (s.ys, s.xs) if spec.horizontal else (s.xs, s.ys)
        one = {"name": s.name, "x": xs, "y": ys}
        if spec.kind == "bar":
            one.update(type="bar", orientation="h" if spec.horizontal else "v", marker={"color": colour})
        elif spec.kind == "line":
            one.update(type="scatter", mode="lines+markers" if spec.markers else "lines",
                       line={"color": colour, "shape": "spline" if style.smooth else "linear"},
                       marker={"color": colour, "size": 6})
        else:
            symbol = "circle-open" if style.open_markers else "circle"
            one.update(type="scatter", mode="markers", marker={"color": colour, "size": 7, "symbol": symbol})
        traces.append(one)
    return traces


def _layout(spec: ChartSpec, style: Style) -> dict:
    value_format = {"tickformat": _TICK_FORMATS[spec.number_format],
                    "ticksuffix": "%" if spec.number_format == "percent" else ""}
    grid = spec.grid or spec.kind == "scatter"
    x = {"title": {"text": spec.x_label or ""}, "showgrid": grid, "tickangle": -style.x_label_angle,
         "type": "category" if spec.x_kind == "category" and spec.kind != "scatter" else "-", "showline": True}
    y = {"title": {"text": spec.y_label or ""}, "showgrid": grid, "showline": True, "zeroline": True,
         "tickangle": -90 if style.y_labels_upright else 0, **value_format}
    x_axis, y_axis = (y, x) if spec.horizontal else (x, y)
    legend = {"x": 1.02, "y": 1, "xanchor": "left", "title": {"text": style.legend_title or ""}}
    return {"title": {"text": spec.title, "x": 0.5}, "width": spec.width * 4 / 3, "height": spec.height * 4 / 3,
            "font": {"family": spec.font, "size": spec.font_size * 4 / 3}, "showlegend": _shows_legend(spec, style),
            "legend": legend, "barmode": "stack" if spec.stacked else "group", "xaxis": x_axis, "yaxis": y_axis,
            "plot_bgcolor": "white", "paper_bgcolor": "white", "margin": {"l": 70, "r": 20, "t": 50, "b": 70}}


def _shows_legend(spec: ChartSpec, style: Style) -> bool:
    """As asked, but a pie always names its slices: in the legend unless its labels stand outside."""
    return spec.legend != "none" or (spec.kind == "pie" and not style.pie_outside_labels)


def _page(spec: ChartSpec, figure: dict) -> str:
    import plotly.offline

    width, height = spec.width * 4 / 3, spec.height * 4 / 3
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {width + 20}px {height + 20}px; margin: 0 }} body {{ margin: 0 }}</style>
<script>{plotly.offline.get_plotlyjs()}</script></head><body><div id="c"></div><script>
const figure = {json.dumps(figure)};
Plotly.newPlot('c', figure.data, figure.layout, {{staticPlot: true}});
</script></body></html>"""


def draw(spec: ChartSpec, style: Style) -> bytes:
    figure = {"data": _pie(spec, style) if spec.kind == "pie" else _traces(spec, style),
              "layout": _layout(spec, style)}
    return chromium_pdf(_page(spec, figure))


def _missing() -> str | None:
    if not shutil.which("chromium"):
        return "chromium not found (apt-get install chromium)"
    if importlib.util.find_spec("plotly") is None:
        return "plotly not installed (pip install plotly)"
    return None


PRODUCER = Producer("plotly", ["bar", "line", "scatter", "pie"], ["category", "number"], True, draw, _missing)
