"""Chart producers from other ecosystems, for measuring the native reader on drawing it was not written against.

Each module draws a `figtab.flows.synth.spec.ChartSpec` its own way and returns one-page PDF bytes; the extra
drawing choices real documents show (rotated tick labels, legends right-aligned or titled, smoothed lines,
open markers on grids, pies with leader lines and legends in another order) are drawn from a `Style` at random.
None of them is a figtab dependency: see bench/requirements-charts.txt.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Literal

from figtab.flows.synth.spec import ChartSpec, Kind, XKind

PRODUCERS = ["gnuplot", "vegalite", "echarts", "libreoffice", "pgfplots", "plotly", "ggplot"]


@dataclass
class Style:
    """Drawing choices a producer honours where it can; each says which failure class it exercises."""

    x_label_angle: Literal[0, 45, 90] = 0  # crowded category axes
    y_labels_upright: bool = False  # y tick labels drawn along the axis
    smooth: bool = False  # a line drawn as a smoothed curve with many vertices between categories
    legend_text_first: bool = False  # right-aligned legend: the key's text left of its swatch
    legend_title: str | None = None  # a title line above the keys
    open_markers: bool = False  # scatter markers as open circles
    pie_outside_labels: bool = False  # slice names outside the pie, with leader lines where the tool draws them
    legend_order_shuffled: bool = False  # pie legend in another order than the slices


def random_style(rng: random.Random, spec: ChartSpec) -> Style:
    return Style(x_label_angle=rng.choice([0, 0, 45, 90]), y_labels_upright=rng.random() < 0.25,
                 smooth=spec.kind == "line" and rng.random() < 0.4, legend_text_first=rng.random() < 0.3,
                 legend_title=rng.choice([None, None, "Series", "Legend"]), open_markers=rng.random() < 0.6,
                 pie_outside_labels=rng.random() < 0.5, legend_order_shuffled=rng.random() < 0.5)


@dataclass
class Producer:
    name: str
    kinds: list[Kind]
    x_kinds: list[XKind]
    allow_horizontal: bool
    draw: Callable[[ChartSpec, Style], bytes]  # one-page PDF bytes
    missing: Callable[[], str | None]  # why it cannot run here, or None


def producer(name: str) -> Producer:
    """The producer module ``bench.producers.<name>``'s `PRODUCER`."""
    if name not in PRODUCERS:
        raise SystemExit(f"unknown producer {name!r}; known: {', '.join(PRODUCERS)}")
    return import_module(f"bench.producers.{name}").PRODUCER


_CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--no-pdf-header-footer"]


def chromium_pdf(page_html: str) -> bytes:
    """A self-contained HTML page (scripts inline, nothing fetched) printed to PDF by headless Chromium."""
    with tempfile.TemporaryDirectory() as tmp:
        html, pdf = Path(tmp) / "chart.html", Path(tmp) / "chart.pdf"
        html.write_text(page_html)
        done = subprocess.run(_CHROMIUM + [f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", html.as_uri()],
                              capture_output=True, text=True, timeout=120)
        if not pdf.exists():
            raise RuntimeError(f"chromium printed no PDF: {done.stderr.strip()[-500:]}")
        return pdf.read_bytes()


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (zero included), about ``count`` of them."""
    import math

    low, high = min(low, 0.0), max(high, 0.0)
    raw = (high - low) / count or 1.0
    step = min((m * 10 ** math.floor(math.log10(raw)) for m in (1, 2, 2.5, 5, 10)), key=lambda s: abs(s - raw))
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks
