"""Draw a `ChartSpec` straight onto a page with PyMuPDF's shape API (no plotting library); one-page PDF bytes.

A third producer with its own habits, so the reader is measured on geometry it was not written against: ticks
outside, inside or absent, no axis line, grid only, legend as a row at the top, value labels on bars, grid and
axis lines drawn as thin filled boxes, Times and Courier text, pies as hand-built Bezier wedges.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import pymupdf

from figtab.flows.synth.spec import ChartSpec, format_number

KINDS = ["bar", "line", "scatter", "area", "pie"]
X_KINDS = ["category", "number", "date"]
FONTS = {"sans-serif": ("helv", "hebo"), "serif": ("tiro", "tibo"), "monospace": ("cour", "cobo")}
GREY, INK = (0.85, 0.85, 0.85), (0.2, 0.2, 0.2)


@dataclass
class Habits:
    """The drawing choices this producer makes per chart, drawn from the spec so a spec always looks the same."""

    ticks: str  # "out", "in", "none"
    axis_line: bool
    thin_rects: bool  # grid and axis lines as filled hairline boxes instead of strokes
    legend_top: bool
    value_labels: bool
    frame: bool
    y_right: bool  # value labels on the right of the plot


def _habits(spec: ChartSpec) -> Habits:
    rng = random.Random(f"{spec.title}|{spec.width}|{spec.height}|{spec.series[0].ys}")
    return Habits(ticks=rng.choice(["out", "in", "none"]), axis_line=rng.random() < 0.6,
                   thin_rects=rng.random() < 0.5, legend_top=rng.random() < 0.6,
                   value_labels=rng.random() < 0.4, frame=rng.random() < 0.25, y_right=rng.random() < 0.15)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


class _Canvas:
    """A page plus the fonts and habits every drawing helper needs."""

    def __init__(self, page: pymupdf.Page, spec: ChartSpec, habits: Habits) -> None:
        self.page, self.spec, self.habits = page, spec, habits
        self.font, self.bold = FONTS[spec.font]
        self.size = spec.font_size

    def width_of(self, text: str, bold: bool = False) -> float:
        return pymupdf.get_text_length(text, self.bold if bold else self.font, self.size)

    def text(self, x: float, y: float, text: str, align: str = "left", size: float | None = None,
             bold: bool = False) -> None:
        """``text`` with its baseline at ``y``; ``align`` says whether ``x`` is its left, centre or right end."""
        size = size or self.size
        w = pymupdf.get_text_length(text, self.bold if bold else self.font, size)
        x0 = x - {"left": 0, "centre": w / 2, "right": w}[align]
        self.page.insert_text((x0, y), text, fontsize=size, fontname=self.bold if bold else self.font, color=INK)

    def rule(self, a: tuple[float, float], b: tuple[float, float], colour=INK, width: float = 0.6) -> None:
        """A straight line, stroked or (habit) drawn as a filled box as thin as the line."""
        if self.habits.thin_rects:
            h = width / 2
            rect = pymupdf.Rect(min(a[0], b[0]) - h, min(a[1], b[1]) - h, max(a[0], b[0]) + h, max(a[1], b[1]) + h)
            self.page.draw_rect(rect, color=None, fill=colour, width=0)
        else:
            self.page.draw_line(a, b, color=colour, width=width)


def _nice_ticks(lo: float, hi: float, include_zero: bool) -> list[float]:
    """About five round tick values covering lo..hi."""
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    raw = (hi - lo) / 5 or 1.0
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    return [round(first + i * step, 10) for i in range(int(math.ceil((hi - first) / step - 1e-9)) + 1)]


def _scale(values: list[float], lo: float, hi: float, log: bool):
    """Value -> fraction of the axis."""
    if log:
        return lambda v: (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    return lambda v: (v - lo) / (hi - lo)


def _value_ticks(spec: ChartSpec) -> tuple[list[float], list[str]]:
    if spec.kind == "bar" and spec.stacked:
        ups = [sum(max(0, s.ys[i]) for s in spec.series) for i in range(len(spec.series[0].ys))]
        values = ups + [sum(min(0, s.ys[i]) for s in spec.series) for i in range(len(ups))]
    elif spec.kind == "area" and spec.stacked:
        values = [sum(s.ys[i] for s in spec.series) for i in range(len(spec.series[0].ys))]
    else:
        values = [y for s in spec.series for y in s.ys]
    if spec.log_y:
        lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
        ticks = [10.0 ** e for e in range(lo, max(hi, lo + 1) + 1)]
        return ticks, [f"{t:,.0f}" if t >= 1 else f"{t:g}" for t in ticks]
    ticks = _nice_ticks(min(values), max(values), spec.kind in ("bar", "area"))
    return ticks, [format_number(t, spec.number_format) for t in ticks]


def _x_positions(spec: ChartSpec, max_labels: int) -> tuple[Callable[[float | str], float], list[float], list[str]]:
    """Where an x value goes as a fraction of the plot width, plus the x tick fractions and their labels (at most
    ``max_labels`` dates, so that long ones do not collide)."""
    if spec.x_kind == "category" or spec.kind == "bar":
        n = len(spec.categories)
        slots = [(i + 0.5) / n for i in range(n)]
        return lambda x: slots[spec.categories.index(x)], slots, list(spec.categories)
    all_x = sorted({x for s in spec.series for x in s.xs})
    if spec.x_kind == "date":
        lo, hi = (dt.date.fromisoformat(x).toordinal() for x in (all_x[0], all_x[-1]))

        def day(x: str) -> float:
            return (dt.date.fromisoformat(x).toordinal() - lo) / (hi - lo) * 0.94 + 0.03

        picked = all_x[::max(1, math.ceil(len(all_x) / min(4, max_labels)))]
        return day, [day(x) for x in picked], [dt.date.fromisoformat(x).strftime(spec.date_format) for x in picked]
    ticks = _nice_ticks(all_x[0], all_x[-1], False)

    def frac(x: float) -> float:  # inset, so the first x label stays clear of the lowest y label
        return 0.04 + 0.92 * (x - ticks[0]) / (ticks[-1] - ticks[0])

    return frac, [frac(t) for t in ticks], [f"{t:g}" for t in ticks]


def draw(spec: ChartSpec, habits: Habits | None = None) -> bytes:
    """The chart at ``spec.width`` x ``spec.height`` points (wider with a legend at the side) as PDF bytes;
    ``habits`` default to a choice drawn from the spec."""
    habits = habits or _habits(spec)
    side_legend = spec.legend == "outside" and not habits.legend_top
    doc = pymupdf.open()
    page = doc.new_page(width=spec.width + (90 if side_legend else 0), height=spec.height)
    canvas = _Canvas(page, spec, habits)
    canvas.text(spec.width / 2, 6 + spec.font_size + 3, spec.title, "centre", spec.font_size + 3, bold=True)
    top = 14 + 2 * spec.font_size
    names = spec.series[0].xs if spec.kind == "pie" else [s.name for s in spec.series]
    if spec.legend != "none" and habits.legend_top:
        top = _legend_row(canvas, names, top) + 2 * spec.font_size
    plot = pymupdf.Rect(0, top, spec.width - 15, spec.height - 12 - 2.5 * spec.font_size)
    if spec.kind == "pie":
        _pie(canvas, spec, plot)
    else:
        plot = _xy(canvas, spec, plot)
    if spec.legend != "none" and not habits.legend_top:
        x = spec.width + 5 if side_legend else plot.x1 - 5 * spec.font_size - max(map(canvas.width_of, map(str, names)))
        _legend_column(canvas, names, x, top + 10)
    out = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return out


def _legend_row(canvas: _Canvas, names: list, y: float) -> float:
    """Swatches and names left to right, wrapping at the page edge; returns the y of the last row."""
    x, s = 20.0, canvas.size
    for i, name in enumerate(names):
        if x + 1.2 * s + canvas.width_of(str(name)) > canvas.page.rect.width - 10:
            x, y = 20.0, y + 1.6 * s
        colour = _rgb(canvas.spec.colors[i % len(canvas.spec.colors)])
        canvas.page.draw_rect(pymupdf.Rect(x, y + 0.1 * s, x + 0.8 * s, y + 0.9 * s), color=None, fill=colour)
        canvas.text(x + 1.2 * s, y + 0.85 * s, str(name))
        x += 2.5 * s + canvas.width_of(str(name))
    return y


def _legend_column(canvas: _Canvas, names: list, x: float, y: float) -> None:
    s = canvas.size
    for i, name in enumerate(names):
        colour = _rgb(canvas.spec.colors[i % len(canvas.spec.colors)])
        row = y + i * 1.6 * s
        canvas.rule((x, row + 0.5 * s), (x + 1.6 * s, row + 0.5 * s), colour, width=2.5)
        canvas.text(x + 2.1 * s, row + 0.85 * s, str(name))


def _xy(canvas: _Canvas, spec: ChartSpec, plot: pymupdf.Rect) -> pymupdf.Rect:
    """Axes, grid, marks and labels of a chart with a value axis (up the page, or along it for horizontal bars);
    returns the data rectangle."""
    s, habits = canvas.size, canvas.habits
    ticks, tick_text = _value_ticks(spec)
    flipped = spec.kind == "bar" and spec.horizontal
    date_w = canvas.width_of(dt.date(2000, 12, 28).strftime(spec.date_format)) + 2 * s
    x_at, x_ticks, x_text = _x_positions(spec, max(2, int(0.6 * spec.width / date_w)))
    right = habits.y_right and not flipped
    labels_w = max(canvas.width_of(t) for t in (x_text if flipped else tick_text)) + s + 4
    title_w = 1.6 * s if spec.y_label else 0.0
    margin = title_w + (0.0 if right else labels_w)
    inset = max(margin + 0.6 * s, max(canvas.width_of(t) for t in x_text) / 2 + 4)  # room for the first x label
    plot = pymupdf.Rect(plot.x0 + inset, plot.y0, plot.x1 - (labels_w if right else 0.0), plot.y1)
    frac = _scale(ticks, ticks[0], ticks[-1], spec.log_y)
    value_at = (lambda v: plot.x0 + frac(v) * plot.width) if flipped else (lambda v: plot.y1 - frac(v) * plot.height)
    along = (lambda f: plot.y0 + f * plot.height) if flipped else (lambda f: plot.x0 + f * plot.width)
    tick = {"out": 3.5, "in": -3.5, "none": 0.0}[habits.ticks]
    for t, label in zip(ticks, tick_text):
        p = value_at(t)
        if flipped:
            if spec.grid:
                canvas.rule((p, plot.y0), (p, plot.y1), GREY, 0.5)
            if tick:
                canvas.rule((p, plot.y1), (p, plot.y1 + tick), INK, 0.6)
            canvas.text(p, plot.y1 + max(tick, 0) + s + 1, label, "centre")
        else:
            if spec.grid:
                canvas.rule((plot.x0, p), (plot.x1, p), GREY, 0.5)
            edge, out = (plot.x1, 1) if right else (plot.x0, -1)
            if tick:
                canvas.rule((edge, p), (edge + out * tick, p), INK, 0.6)
            gap = max(tick, 0) + 2
            canvas.text(edge + out * gap, p + 0.35 * s, label, "left" if right else "right")
    for f, label in zip(x_ticks, x_text):
        p = along(f)
        if flipped:
            canvas.text(plot.x0 - 4, p + 0.35 * s, label, "right")
        else:
            if tick and spec.kind != "bar":
                canvas.rule((p, plot.y1), (p, plot.y1 + tick), INK, 0.6)
            canvas.text(p, plot.y1 + max(tick, 0) + s + 1, label, "centre")
    if habits.frame:
        canvas.page.draw_rect(plot, color=INK, width=0.6)
    elif habits.axis_line:
        canvas.rule((plot.x0, plot.y1), (plot.x1, plot.y1), INK, 0.8)
        canvas.rule((plot.x0, plot.y0), (plot.x0, plot.y1), INK, 0.8)
    _marks(canvas, spec, plot, x_at, value_at, along, flipped)
    if spec.x_label:
        canvas.text(plot.x0 + plot.width / 2, plot.y1 + 2.4 * s + 4, spec.x_label, "centre")
    if spec.y_label:
        w = canvas.width_of(spec.y_label)
        canvas.page.insert_text((plot.x0 - inset + 1.2 * s, plot.y0 + plot.height / 2 + w / 2), spec.y_label,
                                fontsize=s, fontname=canvas.font, rotate=90, color=INK)
    return plot


def _marks(canvas: _Canvas, spec: ChartSpec, plot: pymupdf.Rect, x_at: Callable[[float | str], float], value_at,
           along, flipped: bool) -> None:
    page, n = canvas.page, len(spec.series)
    colours = [_rgb(spec.colors[i % len(spec.colors)]) for i in range(n)]
    if spec.kind == "bar":
        x_frac = [x_at(c) for c in spec.categories]
        slot = (plot.height if flipped else plot.width) / len(x_frac)
        width = 0.7 * slot / (1 if spec.stacked else n)
        ups, downs = [0.0] * len(x_frac), [0.0] * len(x_frac)
        for i, series in enumerate(spec.series):
            for j, (f, y) in enumerate(zip(x_frac, series.ys)):
                centre = along(f) + (0 if spec.stacked else (i - (n - 1) / 2) * width)
                base = (ups if y >= 0 else downs)[j] if spec.stacked else 0.0
                a, b = sorted((value_at(base), value_at(base + y)))
                rect = (pymupdf.Rect(a, centre - width / 2, b, centre + width / 2) if flipped
                        else pymupdf.Rect(centre - width / 2, a, centre + width / 2, b))
                page.draw_rect(rect, color=None, fill=colours[i], width=0)
                if spec.stacked:
                    (ups if y >= 0 else downs)[j] += y
                if canvas.habits.value_labels and not spec.stacked and n <= 2 and not flipped:
                    label_y = rect.y0 - 2 if y >= 0 else rect.y1 + canvas.size
                    canvas.text(centre, label_y, f"{y:g}", "centre", size=canvas.size - 1)
        return
    below = [0.0] * len(spec.series[0].xs)  # stacked areas share their xs
    for i, series in enumerate(spec.series):
        xs = [along(x_at(x)) for x in series.xs]
        pts = [pymupdf.Point(x, value_at(y)) for x, y in zip(xs, series.ys)]
        if spec.kind == "area":
            tops = [b + y for b, y in zip(below, series.ys)] if spec.stacked else series.ys
            bottom = below if spec.stacked else [0.0] * len(xs)
            ring = [pymupdf.Point(x, value_at(y)) for x, y in zip(xs, tops)]
            ring += [pymupdf.Point(x, value_at(y)) for x, y in reversed(list(zip(xs, bottom)))]
            page.draw_polyline(ring, color=None, fill=colours[i], closePath=True,
                               fill_opacity=1.0 if spec.stacked else 0.6)
            below = tops
        elif spec.kind == "line":
            page.draw_polyline(pts, color=colours[i], width=1.2, closePath=False)
            if spec.markers:
                for p in pts:
                    page.draw_circle(p, 2.2, color=None, fill=colours[i])
        else:
            for p in pts:
                if i % 2:
                    page.draw_rect(pymupdf.Rect(p.x - 2, p.y - 2, p.x + 2, p.y + 2), color=None, fill=colours[i])
                else:
                    page.draw_circle(p, 2.2, color=colours[i], fill=colours[i], width=0.5)


def _arc(shape: pymupdf.Shape, centre: pymupdf.Point, r: float, a0: float, a1: float) -> None:
    """A circular arc from angle a0 to a1 (radians, page orientation) as Bezier pieces of at most 45 degrees."""
    pieces = max(1, math.ceil(abs(a1 - a0) / (math.pi / 4)))
    step = (a1 - a0) / pieces
    k = 4 / 3 * math.tan(step / 4)
    for i in range(pieces):
        t0, t1 = a0 + i * step, a0 + (i + 1) * step
        p0 = centre + (r * math.cos(t0), r * math.sin(t0))
        p3 = centre + (r * math.cos(t1), r * math.sin(t1))
        p1 = p0 + (-k * r * math.sin(t0), k * r * math.cos(t0))
        p2 = p3 + (k * r * math.sin(t1), -k * r * math.cos(t1))
        shape.draw_bezier(p0, p1, p2, p3)


def _pie(canvas: _Canvas, spec: ChartSpec, plot: pymupdf.Rect) -> None:
    """Wedges clockwise from 12 o'clock, names beside the rim unless a legend carries them."""
    r = min(plot.width, plot.height) / 2 - 2 * canvas.size
    centre = pymupdf.Point(plot.x0 + plot.width / 2, plot.y0 + plot.height / 2)
    angle = -math.pi / 2
    for i, (name, share) in enumerate(zip(spec.series[0].xs, spec.series[0].ys)):
        sweep = 2 * math.pi * share / 100
        shape = canvas.page.new_shape()
        rim = centre + (r * math.cos(angle), r * math.sin(angle))
        if spec.donut:
            _arc(shape, centre, r, angle, angle + sweep)
            inner = 0.55 * r
            shape.draw_line(centre + (r * math.cos(angle + sweep), r * math.sin(angle + sweep)),
                            centre + (inner * math.cos(angle + sweep), inner * math.sin(angle + sweep)))
            _arc(shape, centre, inner, angle + sweep, angle)
        else:
            shape.draw_line(centre, rim)
            _arc(shape, centre, r, angle, angle + sweep)
        shape.finish(color=(1, 1, 1), fill=_rgb(spec.colors[i % len(spec.colors)]), width=0.8, closePath=True)
        shape.commit()
        if spec.legend == "none":
            mid = angle + sweep / 2
            at = centre + (1.15 * r * math.cos(mid), 1.15 * r * math.sin(mid))
            align = "left" if math.cos(mid) > 0.2 else "right" if math.cos(mid) < -0.2 else "centre"
            canvas.text(at.x, at.y + 0.35 * canvas.size, str(name), align)
        angle += sweep
