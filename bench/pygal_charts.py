"""Held-out check: the native chart reader on charts drawn by pygal (SVG, turned into PDF by cairosvg).

Neither library is a figtab dependency (bench/requirements-charts.txt) and the reader was not written against
their drawing; the number is reported apart from bench/charts.py. Specs come from `figtab.flows.synth.spec`.
Usage: python -m bench.pygal_charts [--n 40] [--seed 4242]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict

import cairosvg
import pygal
import pymupdf
from pygal.style import Style

from bench.charts import print_table
from figtab.extractors.native.charts import find_charts
from figtab.extractors.native.page_content import PageContent
from figtab.flows.metrics import best_chart_score
from figtab.flows.synth.spec import ChartSpec, format_number, random_spec

KINDS = ["bar", "line", "scatter", "pie"]
X_KINDS = ["category", "number"]


def draw(spec: ChartSpec) -> bytes:
    """The chart as one-page PDF bytes, at ``spec.width`` x ``spec.height`` points."""
    style = Style(colors=tuple(spec.colors), font_family=spec.font, label_font_size=spec.font_size,
                  major_label_font_size=spec.font_size, legend_font_size=spec.font_size,
                  title_font_size=spec.font_size + 3, background="white", plot_background="white")
    options = dict(width=spec.width, height=spec.height, style=style, title=spec.title,
                   show_legend=spec.legend != "none" or spec.kind == "pie",  # a pie names its slices only there
                   legend_at_bottom=spec.legend == "inside",
                   value_formatter=lambda v: format_number(v, spec.number_format), show_y_guides=spec.grid,
                   logarithmic=spec.log_y, x_title=spec.x_label, y_title=spec.y_label, truncate_label=-1)
    if spec.kind == "pie":
        chart = pygal.Pie(inner_radius=0.4 if spec.donut else 0, **options)
        for x, y in zip(spec.series[0].xs, spec.series[0].ys):
            chart.add(str(x), y)
    elif spec.x_kind == "number":
        chart = pygal.XY(stroke=spec.kind == "line", x_value_formatter=lambda v: f"{v:g}", **options)
        for s in spec.series:
            chart.add(s.name, list(zip(s.xs, s.ys)))
    else:
        kind = {"bar": pygal.StackedBar if spec.stacked else pygal.Bar}.get(spec.kind, pygal.Line)
        if spec.kind == "bar" and spec.horizontal:
            kind = pygal.HorizontalStackedBar if spec.stacked else pygal.HorizontalBar
        chart = kind(show_dots=spec.markers or spec.kind == "scatter", stroke=spec.kind != "scatter", **options)
        chart.x_labels = spec.categories
        for s in spec.series:
            chart.add(s.name, s.ys)
    return cairosvg.svg2pdf(bytestring=chart.render())


def run(n: int, seed: int) -> None:
    rng = random.Random(seed)
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for _ in range(n):
        spec = random_spec(rng, KINDS, X_KINDS, allow_log=True)
        truth = spec.truth("pygal.pdf", 1)
        with pymupdf.open("pdf", draw(spec)) as doc:
            start = time.perf_counter()
            found = find_charts(PageContent(doc[0]))
            ms = (time.perf_counter() - start) * 1000
        f1, exact = best_chart_score(truth, [f.chart.model_dump() for f in found])
        group = spec.kind + (":horizontal" if spec.horizontal else "") + (":stacked" if spec.stacked else "")
        for key in (group, "ALL"):
            rows[key].append((f1, exact, ms))
    print(f"pygal seed={seed} n={n}")
    print_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args()
    run(args.n, args.seed)


if __name__ == "__main__":
    main()
