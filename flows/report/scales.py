"""Axes arithmetic for the re-drawn charts: round tick steps, value -> pixel maps, tick labels, series colours."""

from __future__ import annotations

import colorsys
import math
import sys
from dataclasses import dataclass
from functools import cached_property

# Tableau 10: ten colours people tell apart, also in print; more series continue round the hue circle.
_PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac"]
_GOLDEN_ANGLE = 0.381966  # of a full turn: successive hues land far from all earlier ones
# Round ticks need a step exact to 1e-6 (so a half-span of at least this, even in subnormal floats) and room above
# the values for a tick past them (so values at most this large); other axes get plain, evenly spaced ticks.
_SMALLEST_ROUND_HALF_SPAN = 2e-317
_LARGEST_ROUND_VALUE = 1e306


def colour(index: int) -> str:
    """A distinct colour for series (or pie slice) ``index``."""
    if index < len(_PALETTE):
        return _PALETTE[index]
    red, green, blue = colorsys.hls_to_rgb((index * _GOLDEN_ANGLE) % 1.0, 0.5, 0.55)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def nice_step(span: float, count: int) -> float:
    """A 1, 2 or 5 times a power of ten step that cuts ``span`` into about ``count`` intervals."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * 0.999)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [``low``, ``high``]: the first at or below ``low``, the last at or above ``high``.

    A zero-width range is widened around its value, so a single point still gets an axis.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"axis range must be finite, got {low}..{high}")
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = max(low - pad, -sys.float_info.max), min(high + pad, sys.float_info.max)
    if high / 2 - low / 2 < _SMALLEST_ROUND_HALF_SPAN or max(-low, high) > _LARGEST_ROUND_VALUE:
        return _even_ticks(low, high, count)
    step = nice_step(high - low, count)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)  # 0.3 / 0.1 is 2.9999999999999996
    first -= _clean(first * step) > low  # the tolerance must never leave a value off the axis
    last += _clean(last * step) < high
    return [_clean(i * step) for i in range(first, last + 1)]


def _even_ticks(low: float, high: float, count: int) -> list[float]:
    """Ticks at equal shares of [``low``, ``high``], for values too huge (a stored 1e308) or a span too tiny for
    round steps; divided before subtracting, so no difference overflows."""
    count = max(count, 1)
    share = high / count - low / count
    return [low + i * share for i in range(count)] + [high]


def _clean(value: float) -> float:
    """Drop float noise such as 0.30000000000000004 so labels and comparisons see the round number."""
    return float(f"{value:.12g}")


def tick_label(value: float, step: float) -> str:
    """``value`` with as many decimals as ``step`` needs and thousands separators; 3 significant digits when huge
    or tiny."""
    if value == 0:
        return "0"
    if abs(value) >= 1e7 or abs(value) < 1e-4:
        return f"{value:.3g}"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    return f"{value:,.{decimals}f}"


def value_label(value: float) -> str:
    """A data value for a tooltip: the number as stored, without float noise."""
    return f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"


@dataclass(frozen=True)
class Linear:
    """Maps data values in [``low``, ``high``] onto pixels [``start``, ``end``] (``end`` < ``start`` flips the axis,
    as a y axis does in SVG, where y grows downwards)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        half_span = self.high / 2 - self.low / 2  # halved: 1e308 - -1e308 would overflow to inf
        share = (value / 2 - self.low / 2) / half_span if half_span else 0.5
        return self.start + share * (self.end - self.start)

    def clamp(self, value: float) -> float:
        """``value`` held inside the domain, for bars whose baseline lies off the axis."""
        return min(max(value, self.low), self.high)


@dataclass(frozen=True)
class Bands:
    """Category labels spread evenly over pixels [``start``, ``end``], one band each, as on a bar chart's x axis."""

    labels: tuple[str, ...]
    start: float
    end: float

    @property
    def width(self) -> float:
        return (self.end - self.start) / max(len(self.labels), 1)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels)}

    def centre(self, label: str) -> float:
        return self.start + (self._index[label] + 0.5) * self.width
