"""Tick labels the text layer ran together ("Oct 2020Nov 2020", "Transport Lagos"), cut apart at the ticks.

Crowded labels may touch or stand closer than any gap rule can tell from a space, but each labels its own tick:
a text line standing on two or more ticks that cuts, in the order it was written, into pieces each centred on
its tick is that many labels.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace

from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.charts.regions import rules
from figtab.extractors.native.charts.scene import Box, Label, Level, Shape, glyphs_of
from figtab.extractors.native.page_content import Glyph

_REACH_EM = 1.0  # a tick ends at most this many font sizes from the label it marks
_ALIKE_EM = 0.25  # a piece's centre may stand this many font sizes off its tick
_SAME_X = 0.5  # points: ticks and grid lines closer than this are one position
_OVERPRINT_EM = 0.3  # font sizes a character may start before the last one ends within one label
_KERN_EM = 0.2  # and no more than this for certain (kerning: "Tu" is 0.15)


def split_at_ticks(labels: list[Label], shapes: list[Shape], glyphs: Callable[[], list[Glyph]]) -> list[Label]:
    """``labels`` with each run-together label cut into one label per tick, those written along an upright axis
    too (cut in the transposed scene); ``glyphs`` is read only if needed."""
    upright = [label for label in labels if label.turned and label.anchor is None]
    if not any(len(label.text.split()) == 1 and len(label.text) >= 4 for label in upright):
        return _split(labels, shapes, glyphs, True)
    across = [replace(label.transposed(), turned=False) for label in upright]
    cut = _split(across, [s.transposed() for s in shapes], lambda: [_transposed(g) for g in glyphs()], False)
    return _split([label for label in labels if label not in upright], shapes, glyphs, True) + \
        [replace(label.transposed(), turned=True) for label in cut]


def _transposed(glyph: Glyph) -> Glyph:
    return Glyph(glyph.y0, glyph.x0, glyph.y1, glyph.x1, glyph.char, glyph.x0)


def _split(labels: list[Label], shapes: list[Shape], glyphs: Callable[[], list[Glyph]],
           numbers_whole: bool) -> list[Label]:
    """Labels reading across, cut at the ticks under or over them; a number standing on several ticks is kept
    whole unless ``numbers_whole`` is off (along an upright axis a long number is labels run together)."""
    ends = sorted(rules(shapes)[1], key=lambda v: v.cx)
    xs = [v.cx for v in ends]
    out = []
    for label in _overprinted(labels, glyphs):
        if label.turned:
            out.append(label)
            continue
        inner = ends[bisect_right(xs, label.box.x0):bisect_left(xs, label.box.x1)]
        marking = [v for v in inner if _marks(v, label)]
        short = [v for v in marking if v.height <= _REACH_EM * label.size]
        ticks = _positions([v.cx for v in (short if len(short) >= 2 else marking)])  # tick marks, not a spine
        apart = len(ticks) >= 2 and all(b - a >= label.size for a, b in zip(ticks, ticks[1:]))  # not tick and grid
        whole = apart and numbers_whole and (parse_number(label.text) is not None or parse_date(label.text) is not None)
        out += _cut_at_ticks_or_bands(label, ticks, glyphs()) if apart and not whole else [label]
    return out


def _overprinted(labels: list[Label], glyphs: Callable[[], list[Glyph]]) -> list[Label]:
    """Labels reading across, cut where a character starts well before the one written before it ends: a label's
    characters follow one another, so there the text layer ran two crowded labels that overlap into one."""
    level = Level(glyphs(), lambda g: g.cy) if any(not label.turned for label in labels) else None
    out = []
    for label in labels:
        own = None if label.turned else glyphs_of(label, level.between(label.box.y0, label.box.y1))
        if own is None or len(own) < 2:
            out.append(label)
            continue
        forward = own[0].cx <= own[-1].cx  # else right to left (upright text read in the transposed scene)
        back = [(a.x1 - b.x0 if forward else b.x1 - a.x0) / label.size if not unicodedata.combining(b.char) else 0.0
                for a, b in zip(own, own[1:])]
        cuts = [i for i, em in enumerate(back, 1) if em > _OVERPRINT_EM]
        if not cuts or any(_KERN_EM < em <= _OVERPRINT_EM for em in back):  # a doubtful one: some cut would be missed
            out.append(label)
            continue
        pieces = [own[i:j] for i, j in zip([0] + cuts, cuts + [len(own)])]
        out += [Label(Box(box.x0, label.box.y0, box.x1, label.box.y1), text, label.size)
                for box, text in zip(map(_span, pieces), _texts(label.text, [len(p) for p in pieces]))]
    return out


def _marks(tick: Box, label: Label) -> bool:
    """The tick ends just over or just under the label, not beside it (a table's column rule runs beside)."""
    reach = _REACH_EM * label.size
    return 0 <= label.box.y0 - tick.y1 <= reach or 0 <= tick.y0 - label.box.y1 <= reach


def _positions(xs: list[float]) -> list[float]:
    """Distinct x positions, a tick and the grid line through it counted once."""
    merged: list[float] = []
    for x in sorted(xs):
        if not merged or x - merged[-1] > _SAME_X:
            merged.append(x)
    return merged


def _cut_at_ticks_or_bands(label: Label, ticks: list[float], glyphs: list[Glyph]) -> list[Label]:
    """Cut at the ticks or between them (a category axis may tick the edges of its bands, not their middles),
    whichever centres its pieces better."""
    cuts = [_cut(label, ticks, glyphs)]
    if len(ticks) >= 3:
        cuts.append(_cut(label, [(a + b) / 2 for a, b in zip(ticks, ticks[1:])], glyphs))
    return min(cuts, key=lambda cut: cut[1])[0]


def _cut(label: Label, ticks: list[float], glyphs: list[Glyph]) -> tuple[list[Label], float]:
    """One label per tick, or ``label`` itself when its pieces do not each centre on their tick; and how far the
    worst piece stands off its tick (infinite when not cut).

    The label's characters are taken in the order they were written, and each piece ends where its centre comes
    nearest its tick: a cut halfway between ticks would not do, as a long label reaches further than a short one.
    Ticks are met in the order the characters run.
    """
    own = glyphs_of(label, glyphs)
    if own is None or len(own) < len(ticks):
        return [label], math.inf
    if own[0].cx > own[-1].cx:  # written right to left here (upright text read in the transposed scene)
        ticks = ticks[::-1]
    pieces, start = [], 0
    for i, tick in enumerate(ticks[:-1]):
        ends = range(start + 1, len(own) - (len(ticks) - i - 2))
        end = min(ends, key=lambda k: abs(_span(own[start:k]).cx - tick))
        pieces.append(own[start:end])
        start = end
    pieces.append(own[start:])
    boxes = [_span(p) for p in pieces]
    worst = max(abs(box.cx - tick) for box, tick in zip(boxes, ticks))
    if worst > _ALIKE_EM * label.size:
        return [label], math.inf
    return [Label(Box(box.x0, label.box.y0, box.x1, label.box.y1), text, label.size)
            for box, text in zip(boxes, _texts(label.text, [len(p) for p in pieces]))], worst


def _span(glyphs: list[Glyph]) -> Box:
    return Box(min(g.x0 for g in glyphs), glyphs[0].y0, max(g.x1 for g in glyphs), glyphs[0].y1)


def _texts(text: str, counts: list[int]) -> list[str]:
    """``text`` cut after each count of printed characters, its spaces kept within the pieces."""
    out, rest = [], text
    for count in counts:
        taken = 0
        for i, char in enumerate(rest):
            taken += not char.isspace()
            if taken == count:
                out.append(rest[:i + 1].strip())
                rest = rest[i + 1:]
                break
    return out
