"""Legend entries: a small swatch (box, line or marker) just left of a text label; its colour names a series."""

from __future__ import annotations

from dataclasses import dataclass

from figtab.extractors.native.charts.numbers import parse_number
from figtab.extractors.native.charts.scene import Box, Colour, Label, Level, Shape

_MAX_SWATCH_W, _MAX_SWATCH_H, _MIN_SWATCH_W = 3.5, 2.0, 0.4  # in font sizes of the entry's text


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
    """Every label with a coloured swatch immediately to its left, vertically centred on it.

    A legend drawn over the data has markers beside its labels too; the swatches of one legend share their
    left edge and width, so where labels stand in a column, the swatch shape most of them share wins.
    """
    level = Level([s for s in shapes if s.colour is not None], lambda s: s.box.cy)
    options = {id(label): _swatches(level, label) for label in labels}
    shared: dict[tuple[float, float, float], int] = {}
    for label in labels:
        for key in {(round(label.box.x0), round(s.box.x0), round(s.box.width, 1)) for s in options[id(label)]}:
            shared[key] = shared.get(key, 0) + 1
    entries = []
    for label in labels:
        found = options[id(label)]
        if found:
            best = max(found, key=lambda s: (shared[(round(label.box.x0), round(s.box.x0), round(s.box.width, 1))],
                                             s.box.x1 - label.box.x0))
            entries.append(LegendEntry(label.text, best.colour, best, label))
    return [e for e in entries if not _tick(e, entries)]


def _swatches(level: Level[Shape], label: Label) -> list[Shape]:
    """Shapes (coloured ones, in ``level``) that could key ``label``: small, just left of it and centred on it."""
    size = label.size
    found = []
    for shape in level.between(label.box.cy - 0.4 * size, label.box.cy + 0.4 * size):
        b = shape.box
        if _MIN_SWATCH_W * size <= b.width <= _MAX_SWATCH_W * size and b.height <= _MAX_SWATCH_H * size \
                and -0.2 <= label.box.x0 - b.x1 <= 2.0 * size:
            found.append(shape)
    return found


def _tick(entry: LegendEntry, entries: list[LegendEntry]) -> bool:
    """A tick mark beside its number looks like a line swatch; several numbers marked in one colour are ticks,
    since a legend gives each series its own colour."""
    return parse_number(entry.name) is not None and any(
        o is not entry and parse_number(o.name) is not None and same_colour(o.colour, entry.colour) for o in entries)


def same_colour(a: Colour | None, b: Colour | None, tolerance: float = 0.02) -> bool:
    return a is not None and b is not None and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def tint_of(mark: Colour | None, swatch: Colour | None, tolerance: float = 0.02) -> bool:
    """``mark`` is ``swatch`` laid with some transparency on white (a translucent area under an opaque key)."""
    if mark is None or swatch is None:
        return False
    depth = max(range(3), key=lambda i: 1 - swatch[i])
    if 1 - swatch[depth] < 0.1:
        return False
    alpha = (1 - mark[depth]) / (1 - swatch[depth])
    return 0.1 <= alpha <= 1 and all(abs(1 - alpha * (1 - sw) - m) <= tolerance for m, sw in zip(mark, swatch))


def key_for(colour: Colour | None, entries: list[LegendEntry]) -> LegendEntry | None:
    """The legend entry naming marks of ``colour``: its own colour first, else the one it is a tint of, else the
    one that is a tint of it (a translucent key beside opaque markers)."""
    return next((e for e in entries if same_colour(e.colour, colour)), None) or \
        next((e for e in entries if tint_of(colour, e.colour)), None) or \
        next((e for e in entries if tint_of(e.colour, colour)), None)
