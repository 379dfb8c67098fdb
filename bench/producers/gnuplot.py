"""gnuplot 5 with its pdfcairo terminal: histograms, lines (csplines when smoothed), points, and pies drawn as
arc objects with outside labels, leader lines and a key of its own order. Needs Debian's ``gnuplot-nox``."""

from __future__ import annotations

import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.producers import Producer, Style, nice_ticks
from figtab.flows.synth.spec import ChartSpec, format_number

_FONTS = {"sans-serif": "Helvetica", "serif": "Times", "monospace": "Courier"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _header(spec: ChartSpec, style: Style) -> list[str]:
    font = f"{_FONTS[spec.font]},{spec.font_size:g}"
    lines = [f"set terminal pdfcairo size {spec.width / 72:.3f},{spec.height / 72:.3f} font {_quote(font)}",
             f"set title {_quote(spec.title)} font {_quote(f'{_FONTS[spec.font]},{spec.font_size + 3:g}')}"]
    key = "set key " + ("outside right top" if spec.legend == "outside" else "inside right top")
    key += " Right noreverse" if style.legend_text_first else " Left reverse"
    if style.legend_title:
        key += f" title {_quote(style.legend_title)}"
    lines.append(key if spec.legend != "none" or spec.kind == "pie" else "unset key")
    return lines


def _axes(spec: ChartSpec, style: Style) -> list[str]:
    values = [y for s in spec.series for y in s.ys]
    if spec.stacked:
        values = [sum(ys) for ys in zip(*(s.ys for s in spec.series))] + values
    ticks = nice_ticks(min(values), max(values))
    labels = ", ".join(f"{_quote(format_number(t, spec.number_format).replace('%', '%%'))} {t:g}" for t in ticks)
    lines = [f"set yrange [{ticks[0]:g}:{ticks[-1]:g}]", f"set ytics ({labels})" +
             (" rotate by 90 center" if style.y_labels_upright else "")]
    if style.x_label_angle:
        lines.append(f"set xtics rotate by {style.x_label_angle} right")
    if spec.grid or (spec.kind == "scatter" and style.open_markers):
        lines.append("set grid xtics ytics")
    if spec.x_label:
        lines.append(f"set xlabel {_quote(spec.x_label)}")
    if spec.y_label:
        lines.append(f"set ylabel {_quote(spec.y_label)}")
    return lines


def _datablock(spec: ChartSpec) -> list[str]:
    rows = ["$data << EOD"]
    for i, x in enumerate(spec.series[0].xs):
        rows.append(" ".join([_quote(str(x)) if isinstance(x, str) else f"{x:g}"] +
                             [f"{s.ys[i]:g}" for s in spec.series]))
    return rows + ["EOD"]


def _plot(spec: ChartSpec, style: Style) -> list[str]:
    colour = [f'lc rgb "{c}"' for c in spec.colors]
    title = [_quote(s.name) if s.name else "notitle" for s in spec.series]
    title = [f"title {t}" if t != "notitle" else t for t in title]
    if spec.kind == "bar":
        layout = "rowstacked" if spec.stacked else "clustered gap 1"
        parts = [f"$data using {i + 2}{':xtic(1)' if i == 0 else ''} {title[i]} {colour[i]}"
                 for i in range(len(spec.series))]
        return ["set style data histograms", f"set style histogram {layout}", "set style fill solid 1.0 noborder",
                "set boxwidth 0.8", "plot " + ", ".join(parts)]
    category = spec.x_kind == "category"
    x = "0" if category else "1"
    parts = []
    for i in range(len(spec.series)):
        using = f"$data using {x}:{i + 2}" + (":xtic(1)" if category else "")
        if spec.kind == "scatter":
            parts.append(f"{using} {title[i]} with points pt {6 if style.open_markers else 7} ps 0.8 {colour[i]}")
        elif style.smooth:
            parts.append(f"{using} smooth csplines {title[i]} with lines lw 1.5 {colour[i]}")
        else:
            mark = "linespoints pt 7 ps 0.6" if spec.markers else "lines"
            parts.append(f"{using} {title[i]} with {mark} lw 1.5 {colour[i]}")
    samples = [f"set samples {(len(spec.series[0].xs) - 1) * 12 + 1}"] if style.smooth else []
    offsets = ["set offsets 0.5, 0.5, 0, 0"] if category else []
    return samples + offsets + ["plot " + ", ".join(parts)]


def _pie(spec: ChartSpec, style: Style, rng: random.Random) -> list[str]:
    shares, names = spec.series[0].ys, spec.series[0].xs
    lines = ["unset border", "unset tics", "set size ratio -1", "set xrange [-1.8:1.8]", "set yrange [-1.3:1.3]"]
    start = 90.0
    for i, (name, share) in enumerate(zip(names, shares)):
        end = start + 360 * share / 100  # counter-clockwise, as gnuplot's arcs run
        lines.append(f'set object {i + 1} circle at 0,0 size 1 arc [{start:.4f}:{end:.4f}] '
                     f'fc rgb "{spec.colors[i % len(spec.colors)]}" fs solid 1.0 noborder')
        if style.pie_outside_labels:
            mid = math.radians((start + end) / 2)
            c, s = math.cos(mid), math.sin(mid)
            lines.append(f"set arrow {i + 1} from {c:.4f},{s:.4f} to {1.15 * c:.4f},{1.15 * s:.4f} nohead "
                         "lc rgb 'gray40'")
            side = "left" if c >= 0 else "right"
            lines.append(f"set label {i + 1} {_quote(str(name))} at {1.2 * c:.4f},{1.2 * s:.4f} {side}")
        start = end
    order = list(range(len(names)))
    if style.legend_order_shuffled:
        rng.shuffle(order)
    if style.pie_outside_labels and spec.legend == "none":
        return lines + ["unset key", "plot 1/0 notitle"]
    entries = [f'keyentry with boxes fs solid 1.0 fc rgb "{spec.colors[i % len(spec.colors)]}" title '
               f"{_quote(str(names[i]))}" for i in order]
    return lines + ["set key outside right center", "plot 1/0 notitle, " + ", ".join(entries)]


def draw(spec: ChartSpec, style: Style) -> bytes:
    rng = random.Random(spec.title + str(spec.series[0].ys))
    script = _header(spec, style)
    if spec.kind == "pie":
        script += _pie(spec, style, rng)
    else:
        script += _axes(spec, style) + _datablock(spec) + _plot(spec, style)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "chart.pdf"
        script.insert(1, f"set output {_quote(str(out))}")
        done = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, capture_output=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"gnuplot failed: {done.stderr.strip()}")
        return out.read_bytes()


def _missing() -> str | None:
    return None if shutil.which("gnuplot") else "gnuplot not found (apt-get install gnuplot-nox)"


PRODUCER = Producer("gnuplot", ["bar", "line", "scatter", "pie"], ["category", "number"], False, draw, _missing)
