"""Vega-Lite 5, rendered to PDF by ``vl-convert-python`` (Vega's own renderer, no browser): grouped bars by
x offset, monotone-smoothed lines, open point marks on its default grid, arcs with a legend in another order and
titled legends. Needs ``pip install vl-convert-python``."""

from __future__ import annotations

import importlib.util
import random

from bench.producers import Producer, Style, nice_ticks
from figtab.flows.synth.spec import ChartSpec

_FORMATS = {"plain": ("~f", None), "thousands": (",.0f", None), "percent": ("~f", "datum.label + '%'"),
            "currency": ("$,.0f", None), "suffix": ("~g", "format(datum.value / 1000, '~g') + 'k'"),
            "decimal": (".2f", None)}


def _rows(spec: ChartSpec) -> list[dict]:
    return [{"x": x, "series": s.name or "value", "y": y, "order": i}
            for s in spec.series for i, (x, y) in enumerate(zip(s.xs, s.ys))]


def _value_axis(spec: ChartSpec, style: Style, title: str | None) -> dict:
    fmt, expression = _FORMATS[spec.number_format]
    values = [y for s in spec.series for y in s.ys]
    if spec.stacked:
        values += [sum(ys) for ys in zip(*(s.ys for s in spec.series))]
    axis = {"format": fmt, "title": title, "grid": spec.grid or spec.kind == "scatter",
            "values": nice_ticks(min(values), max(values))}
    if expression:
        axis["labelExpr"] = expression
    if style.y_labels_upright and not spec.horizontal:
        axis["labelAngle"] = -90
    return axis


def _legend(spec: ChartSpec, style: Style) -> dict | None:
    if spec.legend == "none" and not (spec.kind == "pie" and not style.pie_outside_labels):
        return None
    legend = {"title": style.legend_title, "orient": "right" if spec.legend == "outside" else "top-right"}
    if spec.kind == "line" and not spec.markers:
        legend["symbolType"] = "stroke"
    return legend


def _pie(spec: ChartSpec, style: Style, rng: random.Random) -> dict:
    names = [str(x) for x in spec.series[0].xs]
    domain = names[:]
    if style.legend_order_shuffled:
        rng.shuffle(domain)
    radius = min(spec.width, spec.height) * 0.32
    colour = {"field": "x", "type": "nominal", "legend": _legend(spec, style),
              "scale": {"domain": domain, "range": [spec.colors[names.index(n) % len(spec.colors)] for n in domain]}}
    encoding = {"theta": {"field": "y", "type": "quantitative", "stack": True},
                "order": {"field": "order", "type": "quantitative"}, "color": colour}
    arc = {"mark": {"type": "arc", "outerRadius": radius, "innerRadius": radius * 0.45 if spec.donut else 0}}
    if not style.pie_outside_labels:
        return {**arc, "encoding": encoding}
    text = {"mark": {"type": "text", "radius": radius + 14, "fontSize": spec.font_size},
            "encoding": {"text": {"field": "x"}}}
    return {"encoding": encoding, "layer": [arc, text]}


def _axes_chart(spec: ChartSpec, style: Style) -> dict:
    category = spec.x_kind == "category"
    x = {"field": "x", "type": "nominal" if category else "quantitative", "sort": None if category else None,
         "axis": {"title": spec.x_label, "labelAngle": -style.x_label_angle, "grid": spec.grid}}
    if not category:
        x["scale"] = {"zero": False}
    y = {"field": "y", "type": "quantitative", "axis": _value_axis(spec, style, spec.y_label)}
    if spec.kind == "bar":
        y["stack"] = "zero" if spec.stacked else None
        mark: dict = {"type": "bar"}
    elif spec.kind == "line":
        mark = {"type": "line", "point": spec.markers, "interpolate": "monotone" if style.smooth else "linear"}
    else:
        mark = {"type": "point", "filled": not style.open_markers, "size": 40}
    encoding = {"x": x, "y": y, "color": {"field": "series", "type": "nominal", "sort": None,
                                          "legend": _legend(spec, style),
                                          "scale": {"range": spec.colors[:len(spec.series)]}}}
    if spec.kind == "bar" and not spec.stacked and len(spec.series) > 1:
        encoding["xOffset"] = {"field": "series", "sort": None}
    if spec.horizontal:
        encoding["x"], encoding["y"] = y, x
        if "xOffset" in encoding:
            encoding["yOffset"] = encoding.pop("xOffset")
    return {"mark": mark, "encoding": encoding}


def draw(spec: ChartSpec, style: Style) -> bytes:
    import vl_convert

    rng = random.Random(spec.title + str(spec.series[0].ys))
    body = _pie(spec, style, rng) if spec.kind == "pie" else _axes_chart(spec, style)
    chart = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": spec.title,
             "width": spec.width * 0.65, "height": spec.height * 0.6, "data": {"values": _rows(spec)}, **body,
             "config": {"font": spec.font, "axis": {"labelFontSize": spec.font_size, "titleFontSize": spec.font_size},
                        "legend": {"labelFontSize": spec.font_size}, "view": {"stroke": "#ddd"}}}
    return vl_convert.vegalite_to_pdf(chart)


def _missing() -> str | None:
    if importlib.util.find_spec("vl_convert") is None:
        return "vl-convert-python not installed (pip install -r bench/requirements-charts.txt)"
    return None


PRODUCER = Producer("vegalite", ["bar", "line", "scatter", "pie"], ["category", "number"], True, draw, _missing)
