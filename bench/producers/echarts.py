"""Apache ECharts 5 with its SVG renderer, printed to PDF by headless Chromium: grouped and stacked bars, smoothed
lines, open-circle symbols, pies with outside labels on leader lines and a legend in another order, legends with
the text before the icon. Needs Debian's ``chromium`` and ``npm install echarts@5`` (see requirements-charts.txt)."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

from bench.producers import Producer, Style, chromium_pdf
from figtab.flows.synth.spec import ChartSpec

ECHARTS_JS = Path(os.environ.get("FIGTAB_ECHARTS_JS", Path.home() / ".cache/figtab-bench/node_modules/echarts/dist"
                                                       "/echarts.min.js"))
_FORMATTERS = {"plain": "v => String(+v.toFixed(6))", "thousands": "v => v.toLocaleString('en-US')",
               "percent": "v => String(+v.toFixed(6)) + '%'",
               "currency": "v => (v < 0 ? '-$' : '$') + Math.abs(v).toLocaleString('en-US')",
               "suffix": "v => String(+(v / 1000).toFixed(6)) + 'k'", "decimal": "v => v.toFixed(2)"}


def _legend(spec: ChartSpec, style: Style, names: list[str]) -> dict:
    outside = spec.legend == "outside" or spec.kind == "pie"
    return {"show": spec.legend != "none" or (spec.kind == "pie" and not style.pie_outside_labels), "data": names,
            "orient": "vertical" if outside else "horizontal", "right": 10, "top": "middle" if outside else 28,
            "align": "right" if style.legend_text_first else "left"}


def _pie(spec: ChartSpec, style: Style, rng: random.Random) -> dict:
    names = [str(x) for x in spec.series[0].xs]
    order = names[:]
    if style.legend_order_shuffled:
        rng.shuffle(order)
    return {"legend": _legend(spec, style, order), "series": [{
        "type": "pie", "radius": ["35%", "62%"] if spec.donut else "62%", "center": ["42%", "55%"],
        "data": [{"name": n, "value": y} for n, y in zip(names, spec.series[0].ys)],
        "label": {"show": style.pie_outside_labels, "position": "outside"}, "labelLine": {"show": True}}]}


def _axes_chart(spec: ChartSpec, style: Style) -> dict:
    category = spec.x_kind == "category"
    grid_lines = spec.grid or spec.kind == "scatter"
    x = {"type": "category", "data": spec.categories} if category else {"type": "value", "scale": True}
    x.update(name=spec.x_label, nameLocation="middle", nameGap=40 if style.x_label_angle else 25,
             axisLabel={"rotate": style.x_label_angle, "interval": 0}, splitLine={"show": grid_lines and not category})
    y = {"type": "value", "name": spec.y_label, "nameLocation": "middle", "nameGap": 45,
         "axisLabel": {"rotate": 90 if style.y_labels_upright else 0}, "splitLine": {"show": grid_lines}}
    series = []
    for s in spec.series:
        data = s.ys if category else [[x_, y_] for x_, y_ in zip(s.xs, s.ys)]
        one = {"name": s.name, "type": spec.kind, "data": data}
        if spec.kind == "bar" and spec.stacked:
            one["stack"] = "total"
        if spec.kind == "line":
            one.update(smooth=style.smooth, showSymbol=spec.markers, symbol="circle")
        if spec.kind == "scatter":
            one.update(symbol="emptyCircle" if style.open_markers else "circle", symbolSize=7)
        series.append(one)
    x_axis, y_axis = (y, x) if spec.horizontal else (x, y)
    right = 110 if spec.legend == "outside" else 20
    return {"legend": _legend(spec, style, [s.name for s in spec.series]), "xAxis": x_axis, "yAxis": y_axis,
            "grid": {"left": 60, "right": right, "top": 60, "bottom": 50 + style.x_label_angle // 2,
                     "containLabel": True}, "series": series}


def _page(spec: ChartSpec, option: dict) -> str:
    value_axis = "xAxis" if spec.horizontal else "yAxis"
    formatter = f"option.{value_axis}.axisLabel.formatter = {_FORMATTERS[spec.number_format]};" \
        if spec.kind != "pie" else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {spec.width}px {spec.height + 40}px; margin: 0 }} body {{ margin: 0 }}</style>
<script>{ECHARTS_JS.read_text()}</script></head><body>
<div id="c" style="width:{spec.width}px;height:{spec.height + 40}px"></div><script>
const option = {json.dumps(option)}; {formatter}
echarts.init(document.getElementById('c'), null, {{renderer: 'svg'}}).setOption(option);
</script></body></html>"""


def draw(spec: ChartSpec, style: Style) -> bytes:
    rng = random.Random(spec.title + str(spec.series[0].ys))
    body = _pie(spec, style, rng) if spec.kind == "pie" else _axes_chart(spec, style)
    option = {"animation": False, "color": spec.colors,
              "textStyle": {"fontFamily": spec.font, "fontSize": spec.font_size},
              "title": {"text": spec.title, "left": "center", "textStyle": {"fontSize": spec.font_size + 4}}, **body}
    return chromium_pdf(_page(spec, option))


def _missing() -> str | None:
    if not shutil.which("chromium"):
        return "chromium not found (apt-get install chromium)"
    if not ECHARTS_JS.exists():
        return f"{ECHARTS_JS} not found (npm install echarts@5, or set FIGTAB_ECHARTS_JS)"
    return None


PRODUCER = Producer("echarts", ["bar", "line", "scatter", "pie"], ["category", "number"], True, draw, _missing)
