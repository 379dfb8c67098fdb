"""R's ggplot2 on R's own pdf() device: dodged, stacked and flipped bars, lines with and without points, filled or
open scatter points, pies as bars in polar coordinates (wedges drawn as many-sided polygons, not curves), the
classic or the grey-grid theme, legends on the right, inside the plot or none; scales' number labels. Needs
Debian's ``r-base-core`` and ``r-cran-ggplot2`` (see requirements-charts.txt)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.producers import Producer, Style
from figtab.flows.synth.spec import ChartSpec

_LABELS = {"plain": "waiver()", "thousands": "scales::comma", "percent": "function(v) paste0(v, '%')",
           "currency": "scales::dollar", "suffix": "scales::label_number(scale = 1e-3, suffix = 'k')",
           "decimal": "scales::label_number(accuracy = 0.01)"}
_FAMILIES = {"sans-serif": "Helvetica", "serif": "Times", "monospace": "Courier"}


def _r_string(text: str | None) -> str:
    return "NULL" if text is None else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _r_strings(values: list[str]) -> str:
    return "c(" + ", ".join(_r_string(v) for v in values) + ")"


def _geoms(spec: ChartSpec, style: Style) -> str:
    if spec.kind == "pie":
        return ("geom_col(aes(x = 1, y = y, fill = x), width = 1, colour = 'white') + coord_polar(theta = 'y') + "
                "theme_void() + scale_fill_manual(values = colours, breaks = legend_order, name = legend_title)")
    if spec.kind == "bar":
        position = "position_stack(reverse = TRUE)" if spec.stacked else "position_dodge(width = 0.8)"
        geom = f"geom_col(aes(x = x, y = y, fill = series), position = {position}, width = 0.7)"
        return geom + (" + coord_flip()" if spec.horizontal else "") + \
            " + scale_fill_manual(values = colours, name = legend_title)"
    if spec.kind == "line":
        points = " + geom_point(size = 1.6)" if spec.markers else ""
        return "geom_line(aes(x = x, y = y, colour = series, group = series))" + \
            points.replace("geom_point(", "geom_point(aes(x = x, y = y, colour = series), ") + \
            " + scale_colour_manual(values = colours, name = legend_title)"
    shape = 1 if style.open_markers else 16
    return f"geom_point(aes(x = x, y = y, colour = series), shape = {shape}, size = 1.8) + " \
           "scale_colour_manual(values = colours, name = legend_title)"


def _date_scale(spec: ChartSpec) -> str:
    """Under a year of dates ggplot labels its breaks by month name alone ("Jul", "Oct"), which says no year: no
    reader could give the dates, so such an axis names the year too."""
    if spec.x_kind != "date" or spec.kind == "pie":
        return ""
    days = sorted(dt.date.fromisoformat(str(x)) for s in spec.series for x in s.xs)
    return " + scale_x_date(date_labels = '%b %Y')" if (days[-1] - days[0]).days < 366 else ""


def _script(spec: ChartSpec, style: Style, data: Path, pdf: Path) -> str:
    category = spec.kind == "pie" or spec.x_kind == "category"
    x = "factor(d$x, levels = unique(d$x))" if category else \
        ("as.Date(d$x)" if spec.x_kind == "date" else "as.numeric(d$x)")
    legend = {"inside": "c(0.85, 0.85)", "outside": "'right'", "none": "'none'"}[spec.legend]
    if spec.kind == "pie":
        legend = "'none'" if style.pie_outside_labels else "'right'"
    theme = "theme_bw()" if spec.grid or spec.kind == "scatter" else "theme_classic()"
    angle = style.x_label_angle
    text_x = f"element_text(angle = {angle}, hjust = 1, vjust = {1 if angle == 45 else 0.5})" if angle else \
        "element_text()"
    text_y = "element_text(angle = 90, hjust = 0.5)" if style.y_labels_upright else "element_text()"
    value_scale = f"scale_y_continuous(labels = {_LABELS[spec.number_format]})"
    order = [str(v) for v in spec.series[0].xs] if spec.kind == "pie" else [s.name for s in spec.series]
    if spec.kind == "pie" and style.legend_order_shuffled:
        order = sorted(order)
    pie_labels = ("+ geom_text(aes(x = 1.7, y = y, label = x, group = x), position = position_stack(vjust = 0.5), "
                  f"size = {spec.font_size / 2.845:.2f})") if spec.kind == "pie" and style.pie_outside_labels else ""
    axes = "" if spec.kind == "pie" else (
        f"+ {value_scale}{_date_scale(spec)} + labs(x = {_r_string(spec.x_label)}, y = {_r_string(spec.y_label)}) + "
        f"{theme} + theme(axis.text.x = {text_x}, axis.text.y = {text_y})")
    return f"""suppressPackageStartupMessages(library(ggplot2))
d <- read.csv({_r_string(str(data))}, stringsAsFactors = FALSE)
d$series <- factor(d$series, levels = unique(d$series))
d$x <- {x}
colours <- {_r_strings(spec.colors)}
legend_order <- {_r_strings(order)}
legend_title <- {_r_string(style.legend_title) if style.legend_title else "NULL"}
p <- ggplot(d) + {_geoms(spec, style)} {pie_labels} {axes} + ggtitle({_r_string(spec.title)}) +
  theme(text = element_text(family = {_r_string(_FAMILIES[spec.font])}, size = {spec.font_size}),
        plot.title = element_text(hjust = 0.5), legend.position = {legend})
pdf({_r_string(str(pdf))}, width = {spec.width / 72:.3f}, height = {spec.height / 72:.3f})
print(p)
invisible(dev.off())
"""


def draw(spec: ChartSpec, style: Style) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        data, script, pdf = Path(tmp) / "data.csv", Path(tmp) / "chart.R", Path(tmp) / "chart.pdf"
        with data.open("w", newline="") as out:
            rows = csv.writer(out)
            rows.writerow(["series", "x", "y"])
            for s in spec.series:
                rows.writerows([s.name, x, y] for x, y in zip(s.xs, s.ys))
        script.write_text(_script(spec, style, data, pdf))
        done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=120)
        if not pdf.exists():
            raise RuntimeError(f"R wrote no PDF: {done.stderr.strip()[-800:]}")
        return pdf.read_bytes()


def _missing() -> str | None:
    if not shutil.which("Rscript"):
        return "Rscript not found (apt-get install r-base-core r-cran-ggplot2)"
    done = subprocess.run(["Rscript", "-e", "library(ggplot2)"], capture_output=True, text=True)
    return None if done.returncode == 0 else "ggplot2 not installed (apt-get install r-cran-ggplot2)"


PRODUCER = Producer("ggplot", ["bar", "line", "scatter", "pie"], ["category", "number", "date"], True, draw,
                    _missing)
