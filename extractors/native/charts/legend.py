"""Legend entries: a small swatch (box, line or marker) just left of a text label; its colour names a series."""

from __future__ import annotations

import math
from dataclasses import dataclass

from figtab.extractors.native.charts.numbers import parse_number
from figtab.extractors.native.charts.scene import Box, Colour, Label, Level, Shape, box_gap
from figtab.extractors.native.unionfind import Groups

_MAX_SWATCH_W, _MAX_SWATCH_H, _MIN_SWATCH_W = 4.0, 3.0, 0.3  # in font sizes of the entry's text (a key of fixed
# size, some 17 pt square, stands beside legend text as small as 6 pt)
_CLEAR_SWATCH_H = 1.5  # font sizes: a key taller than this must stand clear of other marks (not a bar of a group)
_TOUCH = 0.6  # points between edges that meet
_KEY_GAP_EM = 0.5  # font sizes between two shapes of one key
_LEADER_EM = 3.0  # font sizes a leader line's other leg may reach up or down from its last
_LEVEL = 0.1  # points a level stroke's ends may differ in height
_SAME_LEGEND_EM = 3.0  # font sizes between two entries of one legend
_CENTRED_EM = 0.1  # font sizes a key's marker or outline may stand off its centre
_WHITE = 0.97  # a fill this light on every channel is the paper's colour
_SAME_EDGE = 0.1  # points two boxes' edges may differ and still be one line


@dataclass(frozen=True)
class LegendEntry:
    name: str
    colour: Colour
    swatch: Shape
    label: Label
    parts: tuple[Shape, ...] = ()  # the key's other shapes: a marker on its line, the second of two small bars

    @property
    def box(self) -> Box:
        return self.swatch.box.union(self.label.box)


def find_legend(shapes: list[Shape], labels: list[Label]) -> list[LegendEntry]:
    """Every label with a coloured swatch beside it, vertically centred on it.

    Keys stand left of their text, or right of it in a right-aligned legend (never beside a number there: tick
    labels of a left value axis stand just so before their ticks and the data). In a row of entries a swatch
    stands between two labels, so the entries one swatch links are read together, all on the side that keys more
    of them (a row of n entries keys n labels on its own side and n - 1 on the other); when even, on the side
    whose swatches stand in line (a column), else on the left. A legend drawn over the data has markers beside
    its labels too; the swatches of one legend share their edge and width, so where labels stand in a column,
    the swatch shape most of them share wins. A mark just after a line of text in the colour another entry keys
    is data beside a legend's title, not a key.
    """
    level = Level([s for s in shapes if s.colour is not None and not _blank(s)], lambda s: s.box.cy)
    labels = [label for label in labels if not label.turned]
    before, after = _keys(level, labels, False), _keys(level, labels, True)
    linked = Groups(len(labels))
    owner = {_spot(swatch): i for i, (swatch, _) in before.items()}
    for i, (swatch, _) in after.items():
        if (j := owner.get(_spot(swatch))) is not None:
            linked.join(i, j)
    chosen: list[tuple[int, LegendEntry, bool, int]] = []
    for group in linked.of(list(range(len(labels)))).values():
        text_first = _text_first(group, before, after)
        keys = after if text_first else before
        chosen += [(i, LegendEntry(labels[i].text, keys[i][0].colour, keys[i][0], labels[i],
                                   _parts(level, keys[i][0], labels[i], text_first)), text_first, keys[i][1])
                   for i in group if i in keys]
    chosen.sort(key=lambda item: item[0])
    entries = [entry for _, entry, _, _ in chosen]
    trailing = [entry for _, entry, text_first, _ in chosen if text_first]
    boxes = [s for s in shapes if s.is_rect]
    kept = [e for e in entries if not _tick(e, entries) and not (e in trailing and _shares_colour(e, entries))
            and not _among_bars(e.swatch, boxes)]
    in_line = {id(entry): count for _, entry, _, count in chosen}
    return [e for e in kept if not _outlined(e, kept, in_line)]


def _outlined(entry: LegendEntry, entries: list[LegendEntry], in_line: dict[int, int]) -> bool:
    """Another entry keys this one's colour with its swatch in line with more keys: a legend gives each series
    one colour, so this is a data marker beside a tick label, or beside the legend's own title. Two charts on a
    page may each key a series of one colour, so only a number, or an entry of the same legend, is put aside."""
    def rivals(o: LegendEntry) -> bool:
        near = box_gap(o.box, entry.box) <= _SAME_LEGEND_EM * entry.label.size
        return near or parse_number(entry.name) is not None

    return any(o is not entry and same_colour(o.colour, entry.colour) and in_line[id(o)] > in_line[id(entry)]
               and rivals(o) for o in entries)


def _among_bars(swatch: Shape, boxes: list[Shape]) -> bool:
    """A box lined up with two or more other ``boxes`` (the page's) of its colour, apart from it, on one edge: a
    short bar beside its category label, standing on the baseline with the others. A key stands on no baseline
    (one box's edge may meet a key's by chance, two hardly)."""
    if not swatch.is_rect:
        return False
    a = swatch.box
    lined: dict[str, int] = {}
    for other in boxes:
        b = other.box
        if other is swatch or not same_colour(other.colour, swatch.colour):
            continue
        edges = [("x0", a.x0, b.x0), ("x1", a.x1, b.x1)] if b.y0 > a.y1 or b.y1 < a.y0 else \
            [("y0", a.y0, b.y0), ("y1", a.y1, b.y1)] if b.x0 > a.x1 or b.x1 < a.x0 else []
        for name, mine, theirs in edges:
            if abs(mine - theirs) < _SAME_EDGE:
                lined[name] = lined.get(name, 0) + 1
    return any(n >= 2 for n in lined.values())


def _blank(shape: Shape) -> bool:
    """Filled in the paper's colour with no outline: it shows nothing (the backing of a key), so keys nothing."""
    return shape.stroke is None and shape.fill is not None and min(shape.fill) >= _WHITE


def _text_first(group: list[int], before: dict[int, tuple[Shape, int]], after: dict[int, tuple[Shape, int]]) -> bool:
    """Whether the linked labels of ``group`` are keyed after their text: by how many each side keys, then how
    many swatches stand in line there; the left side when even."""
    def weight(keys: dict[int, tuple[Shape, int]]) -> tuple[int, int]:
        return sum(1 for i in group if i in keys), sum(keys[i][1] for i in group if i in keys)

    return weight(after) > weight(before)


def _keys(level: Level[Shape], labels: list[Label], text_first: bool) -> dict[int, tuple[Shape, int]]:
    """The swatch keying each label (by index) on one side, where it has one, with the number of labels whose
    swatch stands in line with it (a column of entries)."""
    options = {i: _swatches(level, label, text_first) if not (text_first and parse_number(label.text) is not None)
               else [] for i, label in enumerate(labels)}
    shared: dict[tuple[float, float, float], int] = {}
    for i, label in enumerate(labels):
        for key in {_edges(label, s, text_first) for s in options[i]}:
            shared[key] = shared.get(key, 0) + 1
    keys = {}
    for i, found in options.items():
        if found:
            best = max(found, key=lambda s: (shared[_edges(labels[i], s, text_first)], -_gap(labels[i], s, text_first)))
            keys[i] = best, shared[_edges(labels[i], best, text_first)]
    return keys


def _spot(swatch: Shape) -> tuple[int, int]:
    """Where a swatch stands: a key may be drawn as several shapes (fill, outline) at one place."""
    return round(swatch.box.cx), round(swatch.box.cy)


def _edges(label: Label, swatch: Shape, text_first: bool) -> tuple[float, float, float]:
    """The edges a column of entries shares: the text's and the swatch's on the swatch's side, and its width."""
    if text_first:
        return round(label.box.x1), round(swatch.box.x1), round(swatch.box.width, 1)
    return round(label.box.x0), round(swatch.box.x0), round(swatch.box.width, 1)


def _gap(label: Label, swatch: Shape, text_first: bool) -> float:
    return swatch.box.x0 - label.box.x1 if text_first else label.box.x0 - swatch.box.x1


def _swatches(level: Level[Shape], label: Label, text_first: bool) -> list[Shape]:
    """Shapes (coloured ones, in ``level``) that could key ``label``: small, just beside it and centred on it."""
    size = label.size
    found = []
    for shape in level.between(label.box.cy - 0.4 * size, label.box.cy + 0.4 * size):
        b = shape.box
        if _MIN_SWATCH_W * size <= b.width <= _MAX_SWATCH_W * size and b.height <= _MAX_SWATCH_H * size \
                and -0.2 <= _gap(label, shape, text_first) <= 2.0 * size \
                and (b.height <= _CLEAR_SWATCH_H * size or not _abuts(shape, level)) and _level_if_a_stroke(shape) \
                and not _continued(shape, level, size):
            found.append(shape)
    return found


def _parts(level: Level[Shape], swatch: Shape, label: Label, text_first: bool) -> tuple[Shape, ...]:
    """Shapes of the swatch's colour that make one key with it, and are no data: centred on it (a marker on a
    line key, an outline), or a small box just beside it, away from its text, or over or under it (pgfplots keys
    bars with two small bars, side by side or one over the other)."""
    b, size = swatch.box, label.size

    def beside(o: Box) -> bool:
        """Side by side on one baseline, away from the text, or one over the other, flush on one side."""
        gap = o.x0 - b.x1 if text_first else b.x0 - o.x1
        across = 0 <= gap <= _KEY_GAP_EM * size and min(abs(o.y1 - b.y1), abs(o.y0 - b.y0)) <= _TOUCH
        up = max(o.y0 - b.y1, b.y0 - o.y1)
        return across or (0 <= up <= _KEY_GAP_EM * size and min(abs(o.x0 - b.x0), abs(o.x1 - b.x1)) <= _TOUCH)

    return tuple(o for o in level.between(b.y0 - size, b.y1 + size) if o is not swatch
                 and same_colour(o.colour, swatch.colour)
                 and (_centred_on(o.box, b, size) or (swatch.is_rect and o.is_rect and beside(o.box))))


def _centred_on(box: Box, key: Box, size: float) -> bool:
    """A marker on a line key, or a key's outline, is centred on it; a data marker under a legend is not, or
    only by chance."""
    return abs(box.cx - key.cx) <= _CENTRED_EM * size and abs(box.cy - key.cy) <= _CENTRED_EM * size


def _level_if_a_stroke(shape: Shape) -> bool:
    """A key drawn as an open stroke runs level; one that leans or bends is a leader line to a slice's name."""
    if shape.fill is not None or shape.closed:
        return True
    return all(abs(y - shape.points[0][1]) <= _LEVEL for _, y in shape.points)


def _continued(shape: Shape, level: Level[Shape], size: float) -> bool:
    """A stroke that another stroke of its colour carries on from, end to end: the last leg of a leader line
    bent towards its slice's name. A key's line stands alone."""
    if len(shape.points) != 2 or shape.fill is not None:
        return False
    ends = shape.points
    return any(o is not shape and o.fill is None and same_colour(o.colour, shape.colour)
               and any(math.dist(p, q) <= _TOUCH for p in (o.points[0], o.points[-1]) for q in ends)
               for o in level.between(shape.box.cy - _LEADER_EM * size, shape.box.cy + _LEADER_EM * size))


def _abuts(shape: Shape, level: Level[Shape]) -> bool:
    """Another coloured box meets ``shape`` edge to edge: bars of a group stand so, a legend's keys stand apart."""
    b = shape.box

    def meets(o: Box) -> bool:
        side = (abs(o.x0 - b.x1) <= _TOUCH or abs(b.x0 - o.x1) <= _TOUCH) and min(o.y1, b.y1) > max(o.y0, b.y0)
        return side or (abs(o.y0 - b.y1) <= _TOUCH or abs(b.y0 - o.y1) <= _TOUCH) and min(o.x1, b.x1) > max(o.x0, b.x0)

    return any(o is not shape and o.colour != shape.colour and meets(o.box) for o in level.between(-math.inf, math.inf))


def _tick(entry: LegendEntry, entries: list[LegendEntry]) -> bool:
    """A tick mark beside its number looks like a line swatch; several numbers marked in one colour are ticks,
    since a legend gives each series its own colour."""
    return parse_number(entry.name) is not None and _shares_colour(
        entry, [o for o in entries if parse_number(o.name) is not None])


def _shares_colour(entry: LegendEntry, entries: list[LegendEntry]) -> bool:
    """Another entry is keyed in the same colour: category labels before their ticks, not a legend."""
    return any(o is not entry and same_colour(o.colour, entry.colour) for o in entries)


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
