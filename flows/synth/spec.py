"""What one synthetic chart shows, drawn at random from a seed, and the truth JSON it scores against.

A spec says nothing about how a library draws it; each plotting module renders the same spec its own way.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["bar", "line", "scatter", "area", "pie"]
XKind = Literal["category", "number", "date"]
NumberFormat = Literal["plain", "thousands", "percent", "currency", "suffix", "decimal"]

WORDS = ["North", "South", "East", "West", "Retail", "Online", "Energy", "Health", "Transport", "Housing",
         "Exports", "Imports", "Budget", "Actual", "Forecast", "Alpha", "Beta", "Gamma", "Delta", "Urban",
         "Rural", "Men", "Women", "Adults", "Youth", "Coal", "Solar", "Wind", "Gas", "Nuclear", "Wheat",
         "Maize", "Rice", "Steel", "Copper", "Paris", "Lagos", "Lima", "Oslo", "Tokyo", "Seoul", "Quito"]
CATEGORY_SETS = [["Q1", "Q2", "Q3", "Q4"], ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"],
                 ["Mon", "Tue", "Wed", "Thu", "Fri"], ["2019", "2020", "2021", "2022", "2023"]]
TITLES = ["Revenue by region", "Monthly sales", "Energy mix", "Survey results", "Population growth",
          "Market share", "Average price", "Emissions by sector", "Visitors per day", "Operating margin"]
PALETTES = [["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"],
            ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"],
            ["#003f5c", "#58508d", "#bc5090", "#ff6361", "#ffa600", "#2f4b7c", "#a05195"],
            ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#b56576"]]


@dataclass
class SeriesSpec:
    name: str
    xs: list[float | str]
    ys: list[float]


@dataclass
class ChartSpec:
    """One chart: its data plus the drawing choices every library honours where it can."""

    kind: Kind
    series: list[SeriesSpec]
    title: str
    x_kind: XKind = "category"
    categories: list[str] = field(default_factory=list)
    horizontal: bool = False
    stacked: bool = False
    log_y: bool = False
    donut: bool = False
    markers: bool = False
    number_format: NumberFormat = "plain"
    date_format: str = "%Y-%m"
    legend: Literal["inside", "outside", "none"] = "inside"
    colors: list[str] = field(default_factory=list)
    font: str = "sans-serif"
    font_size: float = 9
    width: float = 400  # points
    height: float = 260
    grid: bool = False
    x_label: str | None = None
    y_label: str | None = None

    def truth(self, file: str, page: int) -> dict:
        """The case JSON (``../shared/data/dev/charts`` format): per-series values, pie shares in percent."""
        chart_type = "scatter" if self.kind == "scatter" else self.kind
        return {"file": file, "page": page, "chart_type": chart_type, "title": self.title,
                "x_label": self.x_label, "y_label": self.y_label, "stacked": self.stacked,
                "horizontal": self.horizontal,
                "series": [{"name": s.name, "points": [{"x": x, "y": y} for x, y in zip(s.xs, s.ys)]}
                           for s in self.series]}


def _values(rng: random.Random, n: int, scale: float, negative: bool, positive_floor: float = 0.08) -> list[float]:
    """``n`` values on about ``scale``, rounded to three significant digits of the scale; never zero."""
    digits = max(0, 2 - len(str(int(scale))) + 1)
    out = []
    for _ in range(n):
        v = rng.uniform(positive_floor, 1.0) * scale
        if negative and rng.random() < 0.3:
            v = -v * rng.uniform(0.2, 0.6)
        out.append(round(v, digits) or round(scale * 0.1, digits))
    return out


def _names(rng: random.Random, n: int) -> list[str]:
    return rng.sample(WORDS, n)


def random_spec(rng: random.Random, kinds: list[Kind], x_kinds: list[XKind], allow_log: bool,
                allow_horizontal: bool = True) -> ChartSpec:
    """A random chart within what the drawing library supports (``kinds``, ``x_kinds``, log axes)."""
    kind = rng.choice(kinds)
    n_series = 1 if kind == "pie" else rng.choice([1, 1, 2, 2, 3, 4, 5, 6])
    palette = list(rng.choice(PALETTES))
    rng.shuffle(palette)
    fmt = rng.choice(["plain", "plain", "thousands", "percent", "currency", "suffix", "decimal"])
    scale = {"thousands": rng.choice([2000, 50000]), "suffix": rng.choice([5000, 80000]), "percent": 100,
             "decimal": rng.choice([1, 5]), "currency": rng.choice([50, 800]),
             "plain": rng.choice([10, 60, 300])}[fmt]
    spec = ChartSpec(kind=kind, series=[], title=rng.choice(TITLES), number_format=fmt,
                     legend=rng.choice(["inside", "outside"]) if n_series > 1 else rng.choice(["none", "inside"]),
                     colors=palette, font=rng.choice(["sans-serif", "serif", "monospace"]),
                     font_size=rng.choice([7, 8, 9, 10]), width=rng.choice([320, 400, 460]),
                     height=rng.choice([220, 260, 300]), grid=rng.random() < 0.5,
                     x_label=rng.choice([None, "Period", "Group"]), y_label=rng.choice([None, "Value", "Amount"]))
    names = _names(rng, n_series)
    if kind == "pie":
        cats = _names(rng, rng.randint(3, 7))
        raw = [rng.uniform(1, 10) for _ in cats]
        shares = [round(100 * v / sum(raw), 1) for v in raw]
        shares[-1] = round(100 - sum(shares[:-1]), 1)
        spec.donut = rng.random() < 0.4
        spec.categories = cats
        spec.series = [SeriesSpec("", list(cats), shares)]
        spec.legend = rng.choice(["outside", "none"])
        spec.x_label = spec.y_label = None  # a pie has no axes to title
        return spec
    spec.x_kind = "category" if kind == "bar" else rng.choice(x_kinds)
    spec.stacked = kind in ("bar", "area") and n_series > 1 and rng.random() < 0.5
    spec.horizontal = kind == "bar" and allow_horizontal and rng.random() < 0.3
    spec.log_y = allow_log and kind in ("line", "scatter") and rng.random() < 0.25
    spec.markers = kind == "line" and rng.random() < 0.5
    negative = kind in ("bar", "line") and not spec.stacked and not spec.log_y and rng.random() < 0.3
    if spec.log_y:
        fmt = spec.number_format = "plain"
    xs: list[float | str]
    if spec.x_kind == "category":
        cats = list(rng.choice(CATEGORY_SETS))[: rng.randint(3, 8)] if rng.random() < 0.6 else \
            _names(rng, rng.randint(3, 6))
        spec.categories = cats
        xs = list(cats)
    elif spec.x_kind == "date":
        start = dt.date(rng.randint(2000, 2022), rng.randint(1, 12), 1)
        step = rng.choice([1, 3])
        n = rng.randint(5, 12)
        xs = [_add_months(start, i * step).isoformat() for i in range(n)]
        spec.date_format = rng.choice(["%Y-%m", "%b %Y", "%Y-%m-%d"])
    else:
        n = rng.randint(5, 14) if kind != "scatter" else rng.randint(6, 20)
        span = rng.choice([10, 50, 200, 1000])
        base = rng.choice([0, 0, 100, 1990]) if span >= 50 else 0
        picked = sorted(rng.sample(range(1, 100), n))
        xs = [base + round(p * span / 100, 1 if span < 50 else 0) for p in picked]
        xs = [int(x) if float(x).is_integer() else x for x in dict.fromkeys(xs)]  # rounding may merge two
    for name in names:
        if spec.log_y:
            ys = [round(10 ** rng.uniform(0, rng.choice([2, 3, 4])), 1) for _ in xs]
        else:
            ys = _values(rng, len(xs), scale / (n_series if spec.stacked else 1), negative)
        spec.series.append(SeriesSpec(name, list(xs), ys))
    return spec


def _add_months(start: dt.date, months: int) -> dt.date:
    y, m = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + y, m + 1, 1)


def format_number(value: float, fmt: NumberFormat) -> str:
    """How a tick label shows ``value`` in the spec's number format."""
    if fmt == "thousands":
        return f"{value:,.0f}"
    if fmt == "percent":
        return f"{value:g}%"
    if fmt == "currency":
        return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"
    if fmt == "suffix":
        return f"{value / 1000:g}k"
    if fmt == "decimal":
        return f"{value:.2f}"
    return f"{value:g}"
