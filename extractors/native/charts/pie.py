"""Pies and donuts: filled curved wedges around one centre; a slice's share is its angle over the full turn."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from figtab.extractors.native.charts.numbers import parse_number
from figtab.extractors.native.charts.scene import Box, Label, Pt, Shape, box_of

_MIN_RADIUS_EM = 2.0  # a pie is wider than this many font sizes
_OUTSIDE = (0.9, 1.8)  # radii between which a slice's name stands outside it
_ON_SLICE = 0.3  # radii out from the centre from which a name may stand on its slice
_RIM = 0.1  # share of the radius a leader line's inner end may stand off the rim
_AT_END_EM = 1.0  # font sizes a name may stand off its leader line's outer end
_MIN_CHORDS = 3  # vertices of a wedge whose arc is drawn as straight chords (its centre and two rim points)


@dataclass
class Slice:
    shape: Shape
    share: float  # percent of the full turn
    bisector: float  # radians, page orientation (y down)


@dataclass
class Pie:
    box: Box
    slices: list[Slice]
    centre: tuple[float, float]

    @property
    def radius(self) -> float:
        return max(self.box.width, self.box.height) / 2


def _sweep(angles: list[float]) -> tuple[float, float]:
    """Angular extent of points on a circle and its bisector: the full turn minus the widest empty gap."""
    angles = sorted(a % (2 * math.pi) for a in angles)
    gaps = [(b - a, a) for a, b in zip(angles, angles[1:])] + [(angles[0] + 2 * math.pi - angles[-1], angles[-1])]
    widest, gap_start = max(gaps)
    extent = 2 * math.pi - widest
    return extent, gap_start + widest + extent / 2


def _clusters(wedges: list[Shape]) -> list[list[Shape]]:
    """Wedges whose boxes touch, transitively: one group per pie."""
    groups: list[list[Shape]] = []
    for w in wedges:
        touching = [g for g in groups if any(w.box.overlap(o.box) > 0 or _touch(w.box, o.box) for o in g)]
        merged = [w] + [s for g in touching for s in g]
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def _touch(a: Box, b: Box) -> bool:
    return a.x0 <= b.x1 + 0.5 and b.x0 <= a.x1 + 0.5 and a.y0 <= b.y1 + 0.5 and b.y0 <= a.y1 + 0.5


def _apex(group: list[Shape], box: Box) -> tuple[float, float] | None:
    """The vertex the wedges of a pie share at its centre; None for a donut, whose slices share only rim points
    (which two neighbours share in a pie too, so a shared point counts only near the middle of the pie's box)."""
    counts: dict[tuple[float, float], int] = {}
    for shape in group:
        for point in {(round(x, 1), round(y, 1)) for x, y in shape.points}:
            counts[point] = counts.get(point, 0) + 1
    radius = max(box.width, box.height) / 2
    central = [p for p, n in counts.items() if n >= max(2, len(group) - 1)
               and math.hypot(p[0] - box.cx, p[1] - box.cy) <= 0.25 * radius]
    return min(central, key=lambda p: math.hypot(p[0] - box.cx, p[1] - box.cy), default=None)


def _rim_centre(points: list[Pt], box: Box) -> tuple[float, float]:
    """The centre of the circle through the outer rim points (a least-squares circle fit): a donut shares no
    vertex at its centre, and its box, spanned by sampled points, is off the true circle by a little."""
    radius = max(box.width, box.height) / 2
    rim = [(x, y) for x, y in points if math.hypot(x - box.cx, y - box.cy) > 0.85 * radius]
    if len(rim) < 3:
        return box.cx, box.cy
    # x^2 + y^2 + d x + e y + f = 0, least squares: solve the 3x3 normal equations by Cramer's rule
    rows = [(x, y, 1.0, -(x * x + y * y)) for x, y in rim]
    m = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    v = [sum(r[i] * r[3] for r in rows) for i in range(3)]
    det = _det(m)
    if abs(det) < 1e-9:
        return box.cx, box.cy
    d, e = (_det([[v[k] if j == col else m[k][j] for j in range(3)] for k in range(3)]) / det for col in (0, 1))
    return -d / 2, -e / 2


def _det(m: list[list[float]]) -> float:
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def find_pies(shapes: list[Shape], size: float) -> list[Pie]:
    """Every group of two or more filled wedges that together turn once round a common centre. A wedge's rim
    is a curve, or a run of short chords where the producer flattened the arc."""
    wedges = [s for s in shapes if s.fill is not None and (s.curved or len(s.points) >= _MIN_CHORDS) and
              not s.is_rect and max(s.box.width, s.box.height) >= _MIN_RADIUS_EM * size]
    pies = []
    for group in _clusters(wedges):
        box = box_of([p for s in group for p in s.points])
        r = max(box.width, box.height) / 2
        if len(group) < 2 or abs(box.width - box.height) > 0.05 * 2 * r:
            continue
        cx, cy = _apex(group, box) or _rim_centre([p for s in group for p in s.points], box)
        slices = []
        for s in group:
            dist = [math.hypot(x - cx, y - cy) for x, y in s.points]
            if max(dist) > r * 1.05 or min(dist) > 0.8 * r:
                break
            rim = [math.atan2(y - cy, x - cx) for (x, y), d in zip(s.points, dist) if d > 0.3 * r]
            extent, bisector = _sweep(rim)
            slices.append(Slice(s, 100 * extent / (2 * math.pi), bisector))
        else:
            total = sum(sl.share for sl in slices)
            if abs(total - 100) <= 2:
                for sl in slices:
                    sl.share = round(sl.share * 100 / total, 2)
                pies.append(Pie(box, slices, (cx, cy)))
    return pies


def slice_labels(pie: Pie, labels: list[Label], shapes: list[Shape] = ()) -> list[Label | None]:
    """The text beside each slice: at the end of a leader line drawn from its rim (``shapes``), else outside the
    rim along its bisector; None where there is none."""
    cx, cy = pie.centre
    free = [l for l in labels if _named_at(l, math.hypot(l.box.cx - cx, l.box.cy - cy) / pie.radius)
            and l.box.width <= 1.5 * pie.radius]  # a slice name, not a line of body text passing by
    if free:  # slice names share one size; a larger line near the rim is the title
        common = Counter(round(l.size, 1) for l in free).most_common(1)[0][0]
        free = [l for l in free if l.size <= common + 0.5]
    led = _led(pie, free, shapes)
    free = [l for l in free if all(l is not other for other in led.values())]
    names: list[Label | None] = []
    for i, sl in enumerate(pie.slices):
        if i in led:
            names.append(led[i])
            continue

        def off(label: Label) -> float:
            a = math.atan2(label.box.cy - cy, label.box.cx - cx) - sl.bisector
            return abs((a + math.pi) % (2 * math.pi) - math.pi)

        def apart(label: Label) -> float:
            """How far the label stands from the slice's rim: round the rim to its bisector, then out from the
            rim (a title over the pie may lie as near the bisector as the name set just outside the rim)."""
            return off(label) * pie.radius + max(0.0, _nearest_distance(label.box, cx, cy) - pie.radius)

        near = [label for label in free if off(label) < math.radians(30)]
        best = min(near, key=apart, default=None)
        if best is not None:
            free.remove(best)
        names.append(best)
    return names


def _led(pie: Pie, labels: list[Label], shapes: list[Shape]) -> dict[int, Label]:
    """Names joined to their slices by leader lines, by slice index: an open stroke from the rim outwards, its
    inner end within a slice's sweep, its outer end at a label. A producer moves the names of narrow slices
    apart to make them fit, further than any angle to the bisector would allow."""
    cx, cy = pie.centre
    r = pie.radius
    found: dict[int, Label] = {}
    for shape in shapes:
        if shape.fill is not None or shape.closed or len(shape.points) < 2:
            continue
        inner, outer = sorted((shape.points[0], shape.points[-1]), key=lambda p: math.hypot(p[0] - cx, p[1] - cy))
        if abs(math.hypot(inner[0] - cx, inner[1] - cy) - r) > _RIM * r or math.hypot(outer[0] - cx, outer[1] - cy) < r:
            continue
        angle = math.atan2(inner[1] - cy, inner[0] - cx)
        within = [i for i, sl in enumerate(pie.slices)
                  if abs((angle - sl.bisector + math.pi) % (2 * math.pi) - math.pi) <= math.pi * sl.share / 100]
        label = min(labels, key=lambda l: _nearest_distance(l.box, *outer), default=None)
        if len(within) == 1 and label is not None and _nearest_distance(label.box, *outer) <= _AT_END_EM * label.size:
            found.setdefault(within[0], label)
    return found


def _named_at(label: Label, reach: float) -> bool:
    """A slice's name stands just outside the rim, or on the slice itself (office software writes names on a
    donut's ring or a pie's wedges) unless it is a number there: a value or a share written on its slice."""
    outside = _OUTSIDE[0] <= reach <= _OUTSIDE[1]
    return outside or (_ON_SLICE <= reach < _OUTSIDE[0] and parse_number(label.text) is None)


def _nearest_distance(box: Box, x: float, y: float) -> float:
    """From (x, y) to the nearest point of ``box``."""
    return math.hypot(max(box.x0 - x, 0.0, x - box.x1), max(box.y0 - y, 0.0, y - box.y1))
