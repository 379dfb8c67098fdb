"""A page's vector marks and text as plain shapes in displayed coordinates, and their transpose.

Readers are written for charts whose value axis runs up the page; a chart on its side (horizontal bars, a
value axis along the bottom) is read by transposing the scene (x <-> y) and reading it the same way.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Generic, TypeVar

from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.page_content import Box, Glyph, PageContent, TextLine, Word

Colour = tuple[float, float, float]
_LABEL_GAP_EM = 0.7  # a word gap wider than this many font sizes separates two labels (a Courier space is 0.6)
_DIGIT_MIDDLE_EM = 0.35  # a digit's middle stands this many font sizes over the baseline (half a digit's height)
_WHITE = 0.97  # a fill this light on every channel is the paper's colour
_SLANT = 0.1  # a text line whose direction leans more than this (sine) off both page axes is slanted
_TWICE = 0.5  # points two copies of one text may stand apart
_GROUP_GAP_EM = 0.35  # a space this narrow after a thousands separator is inside the number (a thin space)
_OPEN_GROUP = re.compile(r"\d,$")  # a number cut after a thousands separator
_NEXT_GROUP = re.compile(r"^\d{3}(?:\D|$)")  # three digits: the next group
_CELL = 10.0  # points: the side of the squares `Glyphs` files characters under
Pt = tuple[float, float]
T = TypeVar("T")


class Level(Generic[T]):
    """Items indexed by vertical centre, so that a label finds the few items level with it without a full scan."""

    def __init__(self, items: Iterable[T], centre: Callable[[T], float]) -> None:
        self._items = sorted(enumerate(items), key=lambda item: centre(item[1]))
        self._centres = [centre(item) for _, item in self._items]

    def between(self, low: float, high: float) -> list[T]:
        """The items centred from ``low`` to ``high`` (page y), in their original order."""
        found = self._items[bisect_left(self._centres, low):bisect_right(self._centres, high)]
        return [item for _, item in sorted(found, key=lambda pair: pair[0])]


class Glyphs:
    """A page's characters in the order written, filed by where they stand, so that a label finds the few in its
    box without a pass over the page's characters."""

    def __init__(self, glyphs: Iterable[Glyph]) -> None:
        self._all = list(glyphs)
        self._cells: dict[tuple[int, int], list[int]] = {}
        for i, glyph in enumerate(self._all):
            self._cells.setdefault(_cell(glyph.cx, glyph.cy), []).append(i)

    def __iter__(self) -> Iterator[Glyph]:
        return iter(self._all)

    def inside(self, box: Box) -> list[Glyph]:
        """The characters centred in ``box``, its edges included, in the order written."""
        (left, top), (right, bottom) = _cell(box.x0, box.y0), _cell(box.x1, box.y1)
        if (right - left + 1) * (bottom - top + 1) > len(self._all):  # a box larger than the text: look at all
            return [g for g in self._all if box.contains(g.cx, g.cy)]
        found = sorted(i for x in range(left, right + 1) for y in range(top, bottom + 1)
                       for i in self._cells.get((x, y), ()))
        return [g for i in found if box.contains((g := self._all[i]).cx, g.cy)]


def _cell(x: float, y: float) -> tuple[int, int]:
    """The square a point lies in; truncation, like flooring, keeps points in order, so a box's squares hold all
    the points inside it."""
    return int(x / _CELL), int(y / _CELL)


def box_gap(a: Box, b: Box) -> float:
    """Points between the nearest edges of two boxes; 0 where they touch or overlap."""
    return math.hypot(max(0.0, a.x0 - b.x1, b.x0 - a.x1), max(0.0, a.y0 - b.y1, b.y0 - a.y1))


def box_of(points: list[Pt] | tuple[Pt, ...]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Shape:
    """One subpath: its vertices (curve midpoints included), paint, and whether it is an axis-aligned box."""

    points: tuple[Pt, ...]
    fill: Colour | None
    stroke: Colour | None
    closed: bool
    curved: bool
    is_rect: bool
    joints: tuple[Pt, ...] = ()  # of a curved path: where its segments meet (``points`` adds each curve's middle)

    @cached_property
    def box(self) -> Box:
        return box_of(self.points)

    @property
    def colour(self) -> Colour | None:
        return self.fill if self.fill is not None else self.stroke

    def transposed(self) -> Shape:
        # made field by field: `dataclasses.replace` costs as much again, and a page has thousands of shapes
        return Shape(tuple((y, x) for x, y in self.points), self.fill, self.stroke, self.closed, self.curved,
                     self.is_rect, tuple((y, x) for x, y in self.joints))


@dataclass(frozen=True)
class Label:
    """A line of text; ``size`` is its font size, the tolerance unit of every text rule.

    Most labels read across the page. A turned one (``turned``) reads up or down it, or slants: crowded tick
    labels. Upright (90°) text is centred on its tick like any label; slanted text marks its tick with the end
    that stands highest on the page (``anchor``), nearest the axis it hangs from.
    """

    box: Box
    text: str
    size: float
    turned: bool = False
    anchor: Pt | None = None

    @property
    def cx(self) -> float:
        """Where the label stands across the page: its anchor, else its box's middle."""
        return self.anchor[0] if self.anchor is not None else self.box.cx

    @property
    def cy(self) -> float:
        return self.anchor[1] if self.anchor is not None else self.box.cy

    @property
    def upright(self) -> bool:
        """Turned a quarter, reading up or down the page (a slanted label has an anchor)."""
        return self.turned and self.anchor is None

    def transposed(self) -> Label:
        anchor = (self.anchor[1], self.anchor[0]) if self.anchor is not None else None
        return Label(self.box.transposed(), self.text, self.size, self.turned, anchor)


def _no_glyphs() -> Glyphs:
    return Glyphs(())


@dataclass
class Scene:
    shapes: list[Shape]
    labels: list[Label]
    titles: list[Label]  # vertical text: axis titles
    transposed_view: bool = False
    glyphs: Callable[[], Glyphs] = _no_glyphs  # the page's characters, read only when asked (upright view)

    def transposed(self) -> Scene:
        return Scene([s.transposed() for s in self.shapes], [t.transposed() for t in self.labels],
                     [t.transposed() for t in self.titles], not self.transposed_view)


def glyphs_of(label: Label, glyphs: Glyphs) -> list[Glyph] | None:
    """The label's characters in the order written: the run of glyphs in its box that spells it (a crowded
    neighbour's glyphs may overlap its box, but were written before or after it); None if none spells it."""
    near = glyphs.inside(label.box)
    printed = label.text.replace(" ", "")
    start = "".join(g.char for g in near).find(printed)
    return near[start:start + len(printed)] if start >= 0 else None


def digit_middle(label: Label, glyphs: Glyphs) -> float:
    """The page y of the middle of a label's digits: where a producer centres a tick label on its tick, and no
    property of the font's box, whose centre sits up to a tenth of the size off it from font to font."""
    if label.turned:
        return label.cy
    own = glyphs_of(label, glyphs)
    return own[0].baseline - _DIGIT_MIDDLE_EM * label.size if own else label.box.cy


def _colour(value) -> Colour | None:
    if value is None or len(value) != 3:
        return None
    return (round(value[0], 3), round(value[1], 3), round(value[2], 3))


def _bezier_mid(p0: Pt, p1: Pt, p2: Pt, p3: Pt) -> Pt:
    return ((p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8, (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8)


def read_shapes(content: PageContent) -> list[Shape]:
    """Every subpath of the page's vector paths, in displayed coordinates."""
    found: list[Shape] = []
    display = content.to_display
    for path in content.drawings:
        fill = _colour(path.get("fill")) if path["type"] in ("f", "fs") else None
        stroke = _colour(path.get("color")) if path["type"] in ("s", "fs") else None
        if fill is not None and path.get("fill_opacity", 1) is not None and path.get("fill_opacity", 1) < 0.999:
            fill = tuple(round(1 - path["fill_opacity"] * (1 - c), 3) for c in fill)  # as seen on white
        if fill is not None and min(fill) >= _WHITE and stroke is not None and not path.get("closePath"):
            fill = None  # white under an open stroke shows nothing: a line (a browser fills an SVG line white)
        points: list[Pt] = []
        joints: list[Pt] = []
        curved = False

        def flush(closed: bool) -> None:
            nonlocal points, joints, curved
            if len(points) == 2:  # a single stroke encloses nothing, whatever its fill says
                found.append(Shape(tuple(points), None, stroke or fill, False, False, False))
            elif len(points) > 2:  # a stroke back to its start encloses too (an open circle drawn without closing)
                ends_meet = abs(points[0][0] - points[-1][0]) <= 0.01 and abs(points[0][1] - points[-1][1]) <= 0.01
                found.append(Shape(tuple(points), fill, stroke, closed or ends_meet or fill is not None, curved, False,
                                   tuple(joints) if curved else ()))
            points, joints, curved = [], [], False

        for item in path["items"]:
            if item[0] == "re" or item[0] == "qu":
                flush(path.get("closePath", False))
                if item[0] == "re":
                    x0, y0, x1, y1 = item[1]  # corners as `Rect.quad` orders them, without the objects
                    pts = (display(x0, y0), display(x1, y0), display(x1, y1), display(x0, y1))
                else:
                    pts = tuple(display(*p) for p in (item[1].ul, item[1].ur, item[1].lr, item[1].ll))
                xs = [p[0] for p in pts]
                left, right = min(xs), max(xs)
                straight = all(abs(x - left) < 0.01 or abs(x - right) < 0.01 for x in xs)
                found.append(Shape(pts, fill, stroke, True, False, straight))
                continue
            start = display(*item[1])
            end = display(*item[-1])
            if points and (abs(points[-1][0] - start[0]) > 0.01 or abs(points[-1][1] - start[1]) > 0.01):
                flush(False)
            if not points:
                points.append(start)
                joints.append(start)
            if item[0] == "c":
                points.append(_bezier_mid(*[display(*q) for q in item[1:5]]))
                curved = True
            points.append(end)
            joints.append(end)
        flush(path.get("closePath", False))
    return [_as_rect(s) for s in found]


def _as_rect(shape: Shape) -> Shape:
    """A closed four-corner axis-aligned polygon is a rectangle, however the producer wrote it."""
    if shape.is_rect or shape.curved or not shape.closed:
        return shape
    pts: dict[Pt, None] = {}  # its distinct corners, in order; a fifth ends the question
    for x, y in shape.points:
        pts[round(x, 2), round(y, 2)] = None
        if len(pts) > 4:
            return shape
    if len(pts) == 4:
        box = box_of(list(pts))
        on_corner = all(min(abs(x - box.x0), abs(x - box.x1)) < 0.05 and min(abs(y - box.y0), abs(y - box.y1)) < 0.05
                        for x, y in pts)
        if on_corner:
            return replace(shape, is_rect=True)
    return shape


def _label(line: TextLine) -> Label:
    return Label(Box(line.x0, line.y0, line.x1, line.y1), line.text, line.size)


def _pieces(line: TextLine, words_at: Level[Word]) -> list[Label]:
    """A text line cut where the text layer ran separate labels together: at word gaps wider than any space
    (labels placed side by side), and between every word of a line of numbers or dates (tick labels one space
    apart)."""
    tokens = line.text.split()
    if len(tokens) < 2:
        return [_label(line)]
    words = [w for w in words_at.between(line.y0, line.y1) if line.x0 - 0.5 <= w.cx <= line.x1 + 0.5]
    if [w.text for w in words] != tokens:
        return [_label(line)]
    numbers = all(parse_number(t) is not None or parse_date(t) is not None for t in tokens)
    runs = [[words[0]]]
    for a, b in zip(words, words[1:]):
        grouped = _digit_group(a.text, b.text) and b.x0 - a.x1 <= _GROUP_GAP_EM * line.size
        if (numbers and not grouped) or b.x0 - a.x1 > _LABEL_GAP_EM * line.size:
            runs.append([b])
        else:
            runs[-1].append(b)
    return [Label(Box(run[0].x0, line.y0, run[-1].x1, line.y1), " ".join(w.text for w in run), line.size)
            for run in runs]


def _digit_group(before: str, after: str) -> bool:
    """``after`` is the next group of digits of the number ``before`` ends with a separator of (TeX sets "10,000"
    as "10, 000" in math mode, and the text layer reads a space there)."""
    return _OPEN_GROUP.search(before) is not None and _NEXT_GROUP.match(after) is not None


def _slanted(content: PageContent) -> list[Label]:
    """Text lines set at a slant, each one label anchored at its highest character (the text layer's line
    pieces cut them into single characters, as their characters stand apart across the page)."""
    found = []
    for block in content._raw_blocks:  # the character pass `PageContent.lines` and `glyphs` share
        for line in block.get("lines", ()):
            if min(abs(line["dir"][0]), abs(line["dir"][1])) < _SLANT:
                continue
            chars = [char for span in line["spans"] for char in span["chars"]]
            printed = [box_of([content.to_display(*c["bbox"][:2]), content.to_display(*c["bbox"][2:])])
                       for c in chars if not c["c"].isspace()]
            if printed:
                top = min(printed, key=lambda b: b.y0)
                box = box_of([corner for b in printed for corner in ((b.x0, b.y0), (b.x1, b.y1))])
                text = "".join(c["c"] for c in chars).strip()
                found.append(Label(box, text, max(span["size"] for span in line["spans"]), True, (top.cx, top.y0)))
    return found


def _upright_ticks(line: Label, glyphs: Callable[[], Glyphs], words_at: Level[Word]) -> list[Label]:
    """An upright text line as turned labels: one per number when it holds only numbers or dates (the text layer
    runs the tick labels of an axis written along it into one line), else cut at gaps wider than a space
    (category labels placed one after another), where its characters say."""
    tokens: list[str] = []
    for token in line.text.split():  # "10, 000": TeX's thin space after a thousands separator, one number
        if tokens and _digit_group(tokens[-1], token):
            tokens[-1] += " " + token
        else:
            tokens.append(token)
    numbers = all(parse_number(t) is not None or parse_date(t) is not None for t in tokens)
    if len(tokens) < 2 or not (numbers or _spaced(line, words_at)):
        return [replace(line, turned=True)]
    own = glyphs_of(line, glyphs())
    if own is None:
        return [replace(line, turned=True)]
    runs: list[list[Glyph]] = []
    texts: list[str] = []
    start = 0
    for token in tokens:
        printed = len(token.replace(" ", ""))
        chars = own[start:start + printed]
        start += printed
        if runs and not numbers and _along_gap(runs[-1][-1], chars[0]) <= _LABEL_GAP_EM * line.size:
            runs[-1] += chars  # words of one label; labels placed one after another stand further apart
            texts[-1] += " " + token
        else:
            runs.append(list(chars))
            texts.append(token)
    return [Label(box_of([corner for g in chars for corner in ((g.x0, g.y0), (g.x1, g.y1))]), text, line.size, True)
            for chars, text in zip(runs, texts)]


def _along_gap(a: Box | Glyph, b: Box | Glyph) -> float:
    """The space between two characters or words of an upright line, along it."""
    return max(a.y0 - b.y1, b.y0 - a.y1)


def _spaced(line: Label, words_at: Level[Word]) -> bool:
    """Some two words of an upright line stand further apart than a space (asked of the words, which are at
    hand, before the line's characters are)."""
    words = sorted((w for w in words_at.between(line.box.y0, line.box.y1)
                    if line.box.x0 - 0.5 <= w.cx <= line.box.x1 + 0.5), key=lambda w: w.cy)
    return any(_along_gap(a, b) > _LABEL_GAP_EM * line.size for a, b in zip(words, words[1:]))


def read_scene(content: PageContent, shapes: list[Shape]) -> Scene:
    """The page's ``shapes`` (from `read_shapes`) with its text lines, in displayed coordinates: labels reading
    across, turned ones (upright or slanted: tick labels of a crowded or a value axis), and upright lines also as
    titles (axis titles)."""
    words_at = Level(content.words, lambda w: w.cy)
    glyphs = cache(lambda: Glyphs(content.glyphs))
    slanted = _slanted(content)
    lines = [t for t in content.lines if not any(s.box.contains(t.cx, t.cy) for s in slanted)]
    labels = [label for t in lines if not t.vertical for label in _pieces(t, words_at)]
    upright = [_label(t) for t in lines if t.vertical]
    labels += [piece for t in upright for piece in _upright_ticks(t, glyphs, words_at)] + slanted
    return Scene(shapes, _once(labels), upright, glyphs=glyphs)


def _once(labels: list[Label]) -> list[Label]:
    """Each label once: a producer may write a text twice where it stands (a halo under the text, a shadow)."""
    kept: dict[str, list[Label]] = {}
    out = []
    for label in labels:
        same = kept.setdefault(label.text, [])
        if not any(abs(o.box.x0 - label.box.x0) <= _TWICE and abs(o.box.y0 - label.box.y0) <= _TWICE for o in same):
            same.append(label)
            out.append(label)
    return out
