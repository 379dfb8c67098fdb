"""Legend entries: a small swatch (box, line or marker) just left of a text label; its colour names a series."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.native.charts.scene import Box, Colour, Label, Shape

_MAX_SWATCH_W, _MAX_SWATCH_H, _MIN_SWATCH_W = 3.5, 1.6, 0.4  # in font sizes of the entry's text


@dataclass(frozen=True)
class LegendEntry:
    name: str
    colour: Colour
    swatch: Shape
    label: Label

    @property
    def box(self) -> Box:
        return self.swatch.box.union(self.label.box)


def find_legend(shapes: list[Shape], labels: list[Label]) -> list[LegendEntry]:
    """Every label with a coloured swatch immediately to its left, vertically centred on it."""
    entries = []
    for label in labels:
        size = label.size
        best: Shape | None = None
        for shape in shapes:
            b = shape.box
            if shape.colour is None or not (_MIN_SWATCH_W * size <= b.width <= _MAX_SWATCH_W * size):
                continue
            if b.height > _MAX_SWATCH_H * size or abs(b.cy - label.box.cy) > 0.4 * size:
                continue
            gap = label.box.x0 - b.x1
            if -0.2 <= gap <= 2.0 * size and (best is None or gap < label.box.x0 - best.box.x1):
                best = shape
        if best is not None:
            entries.append(LegendEntry(label.text, best.colour, best, label))
    return entries


def same_colour(a: Colour | None, b: Colour | None, tolerance: float = 0.02) -> bool:
    return a is not None and b is not None and all(abs(x - y) <= tolerance for x, y in zip(a, b))
