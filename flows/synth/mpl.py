"""Draw a `ChartSpec` with matplotlib's PDF backend; returns the chart as one-page PDF bytes."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib

matplotlib.use("pdf")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from figtab.flows.synth.spec import ChartSpec, format_number  # noqa: E402

KINDS = ["bar", "line", "scatter", "area", "pie"]
X_KINDS = ["category", "number", "date"]
MARKERS = ["o", "s", "^", "D", "v"]


def draw(spec: ChartSpec) -> bytes:
    """The chart at ``spec.width`` x ``spec.height`` points as PDF bytes."""
    with plt.rc_context({"font.family": spec.font, "font.size": spec.font_size, "pdf.fonttype": 42}):
        fig, ax = plt.subplots(figsize=(spec.width / 72, spec.height / 72))
        if spec.kind == "pie":
            _pie(ax, spec)
        else:
            _xy(ax, spec)
            _axes(ax, spec)
        ax.set_title(spec.title)
        if spec.legend != "none":
            if spec.legend == "outside":
                ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
            else:
                ax.legend(loc="best")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="pdf")
        plt.close(fig)
    return out.getvalue()


def _x(spec: ChartSpec, xs: list) -> list:
    if spec.x_kind == "date":
        return [dt.date.fromisoformat(x) for x in xs]
    return xs


def _xy(ax, spec: ChartSpec) -> None:
    n = len(spec.series)
    bottoms = [0.0] * len(spec.series[0].ys)
    for i, s in enumerate(spec.series):
        colour = spec.colors[i % len(spec.colors)]
        xs = _x(spec, s.xs)
        if spec.kind == "bar":
            pos = list(range(len(xs)))
            width = 0.8 if spec.stacked else 0.8 / n
            at = pos if spec.stacked else [p - 0.4 + width * (i + 0.5) for p in pos]
            bar = ax.barh if spec.horizontal else ax.bar
            extra = {"left" if spec.horizontal else "bottom": bottoms} if spec.stacked else {}
            bar(at, s.ys, width * 0.9, color=colour, label=s.name, **extra)
            if spec.stacked:
                bottoms = [b + y for b, y in zip(bottoms, s.ys)]
        elif spec.kind == "line":
            ax.plot(xs, s.ys, color=colour, label=s.name, marker=MARKERS[i % 5] if spec.markers else None)
        elif spec.kind == "scatter":
            ax.scatter(xs, s.ys, color=colour, label=s.name, marker=MARKERS[i % 5], s=18)
        elif spec.kind == "area":
            if spec.stacked:
                top = [b + y for b, y in zip(bottoms, s.ys)]
                ax.fill_between(xs, bottoms, top, color=colour, label=s.name, linewidth=0)
                bottoms = top
            else:
                ax.fill_between(xs, 0, s.ys, color=colour, alpha=0.5, label=s.name, linewidth=0)
    if spec.kind == "bar":
        ticks = (ax.set_yticks, ax.set_yticklabels) if spec.horizontal else (ax.set_xticks, ax.set_xticklabels)
        ticks[0](range(len(spec.categories)))
        ticks[1](spec.categories)
        if spec.horizontal:
            ax.invert_yaxis()


def _axes(ax, spec: ChartSpec) -> None:
    value_axis = ax.xaxis if spec.kind == "bar" and spec.horizontal else ax.yaxis
    if spec.log_y:
        ax.set_yscale("log")
    else:
        value_axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, spec.number_format)))
    if spec.x_kind == "date":
        ax.xaxis.set_major_formatter(mdates.DateFormatter(spec.date_format))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=4))
        for label in ax.get_xticklabels():
            label.set_rotation(0)
    if spec.grid:
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    ax.set_xlabel(spec.x_label or "")
    ax.set_ylabel(spec.y_label or "")


def _pie(ax, spec: ChartSpec) -> None:
    s = spec.series[0]
    wedge = {"width": 0.4} if spec.donut else {}
    labels = None if spec.legend == "outside" else s.xs
    wedges, *_ = ax.pie(s.ys, labels=labels, colors=spec.colors[: len(s.ys)], startangle=90, counterclock=False,
                        wedgeprops=wedge)
    if spec.legend == "outside":
        for w, name in zip(wedges, s.xs):
            w.set_label(name)
    ax.set_aspect("equal")
