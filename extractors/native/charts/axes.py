"""Axis calibration: tick labels at known positions give the map from page position to data value.

Kinds: linear and log (numbers), date (calendar labels), category (any other text). Positions come snapped to
tick marks or grid lines where the producer drew them, since a label's own centre may sit off its tick.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.charts.scene import Label

AxisKind = Literal["linear", "log", "date", "category"]
_MAX_RESIDUAL_EM = 0.25  # a label may sit this many font sizes off the fitted line and still count
_HALF_PIXEL = 0.4  # points: half a pixel at 96 dpi, how far a producer may round a line to draw it crisp
_PIXELS = (0.75, 1.0)  # points per pixel of a page printed at 96 dpi (browsers) and at 72 dpi
_ON_HALF_PT = 0.03  # points a mark may stand off half a pixel past its label and still have been moved there
_ON_HALF = 0.01  # share of a pixel a line may stand off a half pixel and still have been put there
_EVEN_FIT = 0.01  # points: fits whose worst residuals differ by less are as good
_ON_TICK = 0.75  # points a mark may stand off a tick and still be at its label (ticks rounded to half pixels)


@dataclass
class Axis:
    """Maps a page position along the axis (y for a vertical axis) to a value."""

    kind: AxisKind
    labels: list[Label]
    ticks: list[float]  # the labels' tick positions, same order as labels
    slope: float = 0.0  # fitted value (log10 value, ordinal day) per point
    intercept: float = 0.0
    step: float = 1.0  # smallest gap between tick values: the reading precision
    residual: float = 0.0  # points the worst label sits off the fitted line

    def value(self, pos: float) -> float:
        """The number at ``pos``: the data value, an ordinal day for dates, a label index for categories."""
        if self.kind == "category":
            return float(min(range(len(self.ticks)), key=lambda i: abs(self.ticks[i] - pos)))
        raw = self.slope * pos + self.intercept
        return 10 ** raw if self.kind == "log" else raw

    def key(self, pos: float) -> float | str:
        """The x value to report at ``pos``: the nearest label, an ISO date, or a number rounded to the ticks; a
        mark standing on a labelled tick takes the label's own number."""
        if self.kind == "category":
            return self.labels[int(self.value(pos))].text
        if self.kind == "date":
            return dt.date.fromordinal(round(self.value(pos))).isoformat()
        on_tick = [label for label, tick in zip(self.labels, self.ticks) if abs(tick - pos) <= _ON_TICK]
        if len(on_tick) == 1 and (number := parse_number(on_tick[0].text)) is not None:
            return number
        return rounded(self.value(pos), self.step, 2, self.kind == "log")

    def position(self, value: float) -> float:
        raw = math.log10(value) if self.kind == "log" else value
        return (raw - self.intercept) / self.slope

    @property
    def span(self) -> tuple[float, float]:
        return min(self.ticks), max(self.ticks)

    def as_calendar(self) -> Axis | None:
        """This axis as a date axis when its labels are whole years (each the tick of its 1 January), else None."""
        texts = [label.text.strip() for label in self.labels]
        if self.kind != "linear" or not all(t.isdigit() and len(t) == 4 for t in texts):
            return None
        slope, intercept, residual = _fit(self.ticks, [dt.date(int(t), 1, 1).toordinal() for t in texts])
        return Axis("date", self.labels, self.ticks, slope, intercept, 1.0, residual)


def rounded(value: float, step: float, extra_digits: int, log: bool = False) -> float:
    """``value`` to ``extra_digits`` decimals finer than the tick step (significant digits on log axes)."""
    if log:
        if value <= 0:
            return value
        return round(value, max(0, extra_digits + 2 - math.floor(math.log10(value))))
    decimals = max(0, extra_digits - math.floor(math.log10(step))) if step > 0 else 6
    return round(value, decimals)


def _fit(pos: list[float], val: list[float]) -> tuple[float, float, float]:
    """Least-squares value = slope * pos + intercept; the worst residual in points."""
    n = len(pos)
    mp, mv = sum(pos) / n, sum(val) / n
    var = sum((p - mp) ** 2 for p in pos)
    if var == 0:
        return 0.0, 0.0, math.inf
    slope = sum((p - mp) * (v - mv) for p, v in zip(pos, val)) / var
    if slope == 0:
        return 0.0, 0.0, math.inf
    intercept = mv - slope * mp
    return slope, intercept, max(abs((v - intercept) / slope - p) for p, v in zip(pos, val))


def _decades(numbers: list[float]) -> bool:
    """Two positive numbers a whole power of ten (at least 10) apart, like 10 and 100."""
    exponent = math.log10(max(numbers) / min(numbers))
    return len(numbers) == 2 and exponent >= 0.999 and abs(exponent - round(exponent)) < 1e-6


def calibrate(labels: list[Label], ticks: list[float]) -> Axis | None:
    """A linear, log or date axis through ``labels`` at ``ticks``, or None when the labels do not line up."""
    if len(labels) < 2:
        return None
    tolerance = _MAX_RESIDUAL_EM * max(label.size for label in labels)
    numbers = [parse_number(label.text) for label in labels]
    if all(v is not None for v in numbers) and len(set(numbers)) == len(numbers):
        logs = ("log", [math.log10(v) for v in numbers]) if all(v > 0 for v in numbers) else None
        if logs and _decades(numbers):  # two labels fit any line; only a log axis labels 10 and 100 alone
            options = [logs]
        else:
            options = [("linear", numbers)] + ([logs] if logs and len(numbers) >= 3 else [])
        fits = [(kind, *_fit(ticks, vals)) for kind, vals in options]
        kind, slope, intercept, residual = fits[0] if fits[0][3] <= tolerance / 2 else min(fits, key=lambda f: f[3])
        if residual > tolerance:  # a linear fit within half the tolerance is kept: close numbers (2019, 2020,
            # 2021) are nearly evenly spaced on a log scale too, where a real log axis misses a linear fit by far
            return None
        ordered = sorted(numbers)
        step = min(b - a for a, b in zip(ordered, ordered[1:]))
        return Axis(kind, labels, ticks, slope, intercept, step, residual)
    dates = [parse_date(label.text) for label in labels]
    if all(d is not None for d in dates) and len(set(dates)) == len(dates):
        slope, intercept, residual = _fit(ticks, [d.toordinal() for d in dates])
        if residual <= tolerance:
            return Axis("date", labels, ticks, slope, intercept, 1.0, residual)
    return None


def category_axis(labels: list[Label], ticks: list[float]) -> Axis:
    """Labels naming the bands or points along an axis, in page order."""
    order = sorted(range(len(labels)), key=lambda i: ticks[i])
    return Axis("category", [labels[i] for i in order], [ticks[i] for i in order])


def calibrate_at(labels: list[Label], centres: list[float], marks: list[float], size: float,
                 ends: list[tuple[float, float]] | None = None, along: bool = False) -> tuple[Axis | None, bool]:
    """The axis through ``labels`` at the ticks or grid lines (``marks``) they label, or at ``centres`` when
    nothing is drawn at them; and whether at marks.

    Some producers round each tick line to whole pixels but not their labels or data: the labels' centres,
    moved by their median offset from the marks, keep the true spacing, and are taken unless the marks fit the
    labels' numbers better. Centres measured along the text (``along``: labels under an axis, centred by their
    advance widths) are exact, so marks on the pixel grid all under half a pixel off them are such rounding, and
    the centres are taken as they are, and so are they where every mark stands just half a pixel past its label
    (lines moved to draw crisp). Other marks off the pixel grid were not rounded: the text's box may be off its
    tick by a little (a font's side bearings), the marks are not.
    """
    snapped = snap(centres, marks, size, ends)
    if snapped is None:
        return calibrate(labels, centres), False
    ticks = uncrisped(snapped, marks)
    offsets = sorted(t - c for t, c in zip(ticks, centres))
    shift = offsets[len(offsets) // 2]
    if along and all(abs(offset) <= _HALF_PIXEL for offset in offsets) and (
            _on_pixels(snapped, marks) or _half_pixel_off(offsets)):
        return calibrate(labels, centres) or calibrate(labels, ticks), True
    fits = [axis for axis in (calibrate(labels, [c + shift for c in centres]), calibrate(labels, ticks)) if axis]
    return min(fits, key=lambda axis: round(axis.residual / _EVEN_FIT), default=None), True


def _on_pixels(ticks: list[float], marks: list[float]) -> bool:
    """The marks at ``ticks`` all stand on whole or half pixels (96 or 72 dpi): a renderer may have rounded them
    there. Marks off that grid stand where the producer computed them, and are exact."""
    on_marks = [t for t in ticks if any(abs(t - m) < 1e-6 for m in marks)]
    return any(all(min((t / pixel) % 0.5, 0.5 - (t / pixel) % 0.5) <= _ON_HALF for t in on_marks)
               for pixel in _PIXELS)


def _half_pixel_off(offsets: list[float]) -> bool:
    """Every mark stands half a pixel (at 96 or 72 dpi) past its label: lines moved to draw crisp."""
    return any(all(abs(offset - pixel / 2) <= _ON_HALF_PT for offset in offsets) for pixel in _PIXELS)


def uncrisped(ticks: list[float], marks: list[float]) -> list[float]:
    """``ticks`` moved back where the data are drawn, when a web renderer moved its lines to draw them crisp.

    A one-pixel stroke at a whole pixel blurs over two pixel rows, so web charting libraries draw axis, tick and
    grid lines half a pixel further down and right (the common translate(0.5, 0.5)), and leave data marks where
    they are. Ticks standing on marks that all sit on half pixels (at 96 dpi, a browser's PDF, or 72 dpi) are
    such lines: the data's own position is half a pixel before them.
    """
    on_marks = [t for t in ticks if any(abs(t - m) < 1e-6 for m in marks)]
    if len(on_marks) < 2:
        return ticks
    for pixel in _PIXELS:
        if all(abs((t / pixel) % 1 - 0.5) <= _ON_HALF for t in on_marks):
            return [t - pixel / 2 for t in ticks]
    return ticks


class _Marks:
    """Positions of ticks or grid lines, sorted once, so that a label finds the nearest by bisection: a page of
    ruled tables offers hundreds, and every column of numbers on it is tried as an axis."""

    def __init__(self, positions: list[float]) -> None:
        self._first: dict[float, int] = {}  # each position's first place in the list given
        for i, position in enumerate(positions):
            self._first.setdefault(position, i)
        self._sorted = sorted(self._first)

    def nearest(self, place: float, distance: Callable[[float], float]) -> float:
        """The position at the least ``distance`` (measured from ``place``), ties to the one listed first: what
        ``min`` over the positions as given would return. Only the neighbours of ``place`` are measured; two on
        each side, so rounding in ``distance`` cannot hide the nearest."""
        i = bisect_left(self._sorted, place)
        return min(self._sorted[max(0, i - 2):i + 2], key=lambda t: (distance(t), self._first[t]))


def snap(centres: list[float], candidates: list[float], size: float,
         ends: list[tuple[float, float]] | None = None) -> list[float] | None:
    """Move label centres onto the tick or grid positions they label, when they consistently sit near one; None
    when they do not.

    The offset from centre to tick is the same for every label of an axis (same font, same alignment), so the
    median offset is applied to labels without a tick of their own. A label set flush with the end of its axis
    marks its tick with an edge (``ends``: each label's edges along the axis), not its centre.
    """
    if not candidates:
        return None
    marks = _Marks(candidates)
    offsets = []
    for c in centres:
        nearest = marks.nearest(c, lambda t: abs(t - c))
        if abs(nearest - c) <= 0.7 * size:
            offsets.append(nearest - c)
    if len(offsets) < max(2, len(centres) // 2):
        return None
    offsets.sort()
    median = offsets[len(offsets) // 2]
    snapped = []
    for i, c in enumerate(centres):
        nearest = marks.nearest(c + median, lambda t: abs(t - c - median))
        if abs(nearest - c - median) > 0.2 * size and ends is not None:
            flush = {round(t, 2) for t in candidates for edge in ends[i] if abs(t - edge) <= 0.1 * size}
            snapped.append(flush.pop() if len(flush) == 1 else c + median)
            continue
        snapped.append(nearest if abs(nearest - c - median) <= 0.2 * size else c + median)
    return snapped
