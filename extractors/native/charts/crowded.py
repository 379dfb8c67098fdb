"""Tick labels the text layer ran together ("Oct 2020Nov 2020", "Transport Lagos"), cut apart at the ticks.

Crowded labels may touch or stand closer than any gap rule can tell from a space, but each labels its own tick:
a text line standing on two or more ticks that cuts, in the order it was written, into pieces each centred on
its tick is that many labels.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from figtab.extractors.native.charts.numbers import parse_date, parse_number
from figtab.extractors.native.charts.regions import rules, written_as
from figtab.extractors.native.charts.scene import Box, Glyphs, Label, Shape, glyphs_of
from figtab.extractors.native.page_content import Glyph, PageContent

_REACH_EM = 1.0  # a tick ends at most this many font sizes from the label it marks
_ALIKE_EM = 0.25  # a piece's centre may stand this many font sizes off its tick
_JUMP_EM = 0.1  # font sizes by which a character may start off the end of the one before within one label
_LONGEST_NUMBER = 10  # digits without a separator no tick label shows
_NUMERIC = re.compile(r"[-−+$€£¥%kKMB\d.,]+")
_BAD_GROUP = re.compile(r",\d{4,},")  # a group of four digits or more before a separator: the next number starts in it
_RUN_MIN = 6  # characters in the shortest numbers run together (two labels of three)
_END_TICK_EM = 0.25  # font sizes a label's end may stop short of its tick
_SAME_X = 0.5  # points: ticks and grid lines closer than this are one position
_PLACES: tuple[Callable[[Box], float], ...] = (lambda b: b.x0, lambda b: b.x1)  # a piece's ends
_OVERPRINT_EM = 0.3  # font sizes a character may start before the last one ends within one label
_KERN_EM = 0.2  # and no more than this for certain (kerning: "Tu" is 0.15)


def split_at_ticks(labels: list[Label], shapes: list[Shape], glyphs: Callable[[], Glyphs],
                   page_overprints: bool) -> list[Label]:
    """``labels`` with each run-together label cut into one label per tick, those written along an upright axis
    too (cut in the transposed scene); ``glyphs`` is read only if needed. Overprinted labels are looked for only
    where ``page_overprints`` (`overprints`): that look reads every label's characters."""
    upright = [label for label in labels if label.upright]
    if not any(_run_together(label.text) for label in upright):
        return _split(labels, shapes, glyphs, True, page_overprints)
    across = [replace(label.transposed(), turned=False) for label in upright]
    cut = _split(across, [s.transposed() for s in shapes], cache(lambda: Glyphs(map(_transposed, glyphs()))), False,
                 page_overprints)
    return _split([label for label in labels if not label.upright], shapes, glyphs, True, page_overprints) + \
        [replace(label.transposed(), turned=True) for label in cut]


def overprints(content: PageContent) -> bool:
    """Some character starts well before the one written before it in its line ends (`_OVERPRINT_EM` of the
    smaller of their font sizes, along the line): only then may a label be overprinted, as a label is never
    smaller than its characters' fonts. Asked of the text layer's lines, whose direction holds on the displayed
    page, so no character is mapped or looked up."""
    for block in content._raw_blocks:  # the character pass `PageContent.lines` and `glyphs` share
        for line in block.get("lines", ()):
            cos, sin = line["dir"]
            # a character's box is in order (x0 <= x1, y0 <= y1): which corner starts it along the line
            first_x, first_y = (0, 2) if cos >= 0 else (2, 0), (1, 3) if sin >= 0 else (3, 1)
            end = reach = None  # where the last character ends along the line, and its font's share
            for span in line["spans"]:
                span_reach = _OVERPRINT_EM * span["size"]
                for char in span["chars"]:
                    if char["c"].isspace():
                        continue
                    box = char["bbox"]
                    start = box[first_x[0]] * cos + box[first_y[0]] * sin
                    if end is not None and end - start > min(reach, span_reach):
                        return True
                    end, reach = box[first_x[1]] * cos + box[first_y[1]] * sin, span_reach
    return False


def _run_together(text: str) -> bool:
    """Text that may be several tick labels: one long word, or a word with digits that reads as no number
    ("$5$10$15")."""
    tokens = text.split()
    return (len(tokens) == 1 and len(text) >= 4) or any(
        parse_number(t) is None and parse_date(t) is None and any(c.isdigit() for c in t) for t in tokens)


def _transposed(glyph: Glyph) -> Glyph:
    return Glyph(glyph.y0, glyph.x0, glyph.y1, glyph.x1, glyph.char, glyph.x0)


def _split(labels: list[Label], shapes: list[Shape], glyphs: Callable[[], Glyphs], numbers_whole: bool,
           page_overprints: bool) -> list[Label]:
    """Labels reading across, cut at the ticks under or over them; a number standing on several ticks is kept
    whole unless ``numbers_whole`` is off (along an upright axis a long number is labels run together)."""
    ends = sorted(rules(shapes)[1], key=lambda v: v.cx)
    xs = [v.cx for v in ends]
    out = []
    for label in _overprinted(labels, glyphs) if page_overprints else labels:
        if label.turned:
            out.append(label)
            continue
        reach = _END_TICK_EM * label.size  # a label set at its tick by its end may stop just short of the tick
        ticks = _ticks_under(label, ends[bisect_right(xs, label.box.x0):bisect_left(xs, label.box.x1)])
        near = ends[bisect_right(xs, label.box.x0 - reach):bisect_left(xs, label.box.x1 + reach)]
        reached = _ticks_under(label, near)
        apart = len(ticks) >= 2 and all(b - a >= label.size for a, b in zip(ticks, ticks[1:]))  # not tick and grid
        jumbled = _jumbled(label.text)
        whole = apart and numbers_whole and not jumbled and \
            (parse_number(label.text) is not None or parse_date(label.text) is not None)
        pieces = _cut_at_ticks_or_bands(label, ticks, reached, glyphs()) if apart and not whole else [label]
        out += _cut_at_jumps(label, glyphs()) if len(pieces) == 1 and jumbled else pieces
    return out


def _jumbled(text: str) -> bool:
    """Text of digits and number signs that no single tick label would show: two decimal points, a thousands
    group of four digits or more, a sign or unit twice, or ten digits or more without a separator ("120150180210",
    "1,9802,000", "0.501.00"); a decimal comma ("836,4") is one number."""
    t = text.replace(" ", "")
    if len(t) < _RUN_MIN or not _NUMERIC.fullmatch(t) or not any(c.isdigit() for c in t):
        return False
    return t.count(".") > 1 or _BAD_GROUP.search(t) is not None or any(t.count(c) > 1 for c in "$€£¥%kKMB-−") \
        or ("," not in t and "." not in t and sum(c.isdigit() for c in t) >= _LONGEST_NUMBER)


def _cut_at_jumps(label: Label, glyphs: Glyphs) -> list[Label]:
    """Labels the text layer ran together where each was placed on its own: cut where one character does not
    follow on from the one before (the next label starts over the last one's end, or leaves a gap), kept only
    when every piece is a number or date written alike; else ``label`` itself."""
    own = glyphs_of(label, glyphs)
    if own is None or len(own) < 2:
        return [label]
    backwards = own[0].cx > own[-1].cx  # upright text read in the transposed scene
    jumps = [i + 1 for i, (a, b) in enumerate(zip(own, own[1:]))
             if abs((a.x0 - b.x1) if backwards else (b.x0 - a.x1)) > _JUMP_EM * label.size]
    bounds = [0, *jumps, len(own)]
    texts = _texts(label.text, [b - a for a, b in zip(bounds, bounds[1:])])
    if not jumps or len(texts) != len(bounds) - 1 or len({written_as(t) for t in texts}) != 1 or \
            not all(parse_number(t) is not None or parse_date(t) is not None for t in texts):
        return [label]
    spans = [_span(own[a:b]) for a, b in zip(bounds, bounds[1:])]
    return [Label(Box(box.x0, label.box.y0, box.x1, label.box.y1), text, label.size) for box, text in zip(spans, texts)]


def _ticks_under(label: Label, inner: list[Box]) -> list[float]:
    """Where the upright rules among ``inner`` that end just over or under the label stand: tick marks where there
    are two or more short ones, not a spine."""
    marking = [v for v in inner if _marks(v, label)]
    short = [v for v in marking if v.height <= _REACH_EM * label.size]
    return _positions([v.cx for v in (short if len(short) >= 2 else marking)])


def _overprinted(labels: list[Label], glyphs: Callable[[], Glyphs]) -> list[Label]:
    """Labels reading across, cut where a character starts well before the one written before it ends: a label's
    characters follow one another, so there the text layer ran two crowded labels that overlap into one."""
    out = []
    for label in labels:
        own = None if label.turned else glyphs_of(label, glyphs())
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


def _cut_at_ticks_or_bands(label: Label, ticks: list[float], reached: list[float],
                           glyphs: Glyphs) -> list[Label]:
    """Cut at the ticks under the label or between them (a category axis may tick the edges of its bands, not
    their middles), or with each piece's end at a tick (``reached``: those just past the label's ends too; text
    along an upright axis may end at its tick), whichever places its pieces better. Pieces set by their ends
    must be written alike ("$5", "$10"): a piece that ends at a tick by chance seldom is."""
    own = glyphs_of(label, glyphs)
    if own is None:
        return [label]
    cuts = [_cut(label, ticks, own)] if len(ticks) >= 2 else []
    cuts += [cut for place in _PLACES for cut in [_cut(label, reached, own, place)]
             if len({written_as(piece.text) for piece in cut[0]}) == 1]
    if len(ticks) >= 3:
        cuts.append(_cut(label, [(a + b) / 2 for a, b in zip(ticks, ticks[1:])], own))
    return min(cuts, key=lambda cut: cut[1], default=([label], math.inf))[0]


def _cut(label: Label, ticks: list[float], own: list[Glyph],
         place: Callable[[Box], float] = lambda b: b.cx) -> tuple[list[Label], float]:
    """One label per tick, or ``label`` itself when its pieces do not each centre on their tick; and how far the
    worst piece stands off its tick (infinite when not cut).

    The label's characters are taken in the order they were written, and each piece ends where its centre comes
    nearest its tick: a cut halfway between ticks would not do, as a long label reaches further than a short one.
    Ticks are met in the order the characters run; ``own`` are the label's characters (`glyphs_of`).
    """
    if len(own) < len(ticks):
        return [label], math.inf
    if own[0].cx > own[-1].cx:  # written right to left here (upright text read in the transposed scene)
        ticks = ticks[::-1]
    pieces, start = [], 0
    for i, tick in enumerate(ticks[:-1]):
        ends = range(start + 1, len(own) - (len(ticks) - i - 2))
        end = min(ends, key=lambda k: abs(place(_span(own[start:k])) - tick))
        pieces.append(own[start:end])
        start = end
    pieces.append(own[start:])
    boxes = [_span(p) for p in pieces]
    worst = max(abs(place(box) - tick) for box, tick in zip(boxes, ticks))
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
