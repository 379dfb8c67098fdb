"""Cheap exits: whether a page could hold a chart at all, judged from its raw vector paths in well under 2 ms.

The chart reader turns a page away itself (`charts.evidence`), but only after building shapes out of every path,
which costs a page of ruled tables 5-20 ms. This test asks the same question of PyMuPDF's paths as they come,
and answers yes wherever the reader's test could: every kind of mark it looks for (a curve, a leaning stroke, a
filled box thicker than a rule, a filled polygon, a small closed marker, a run of strokes that may step) passes
here, so the exit changes no result. What it turns away is a page drawn only with straight, upright rules,
outlines and hairline or white fills: a page of tables or text.
"""

from __future__ import annotations

from collections.abc import Iterator

from figtab.extractors.native.page_content import PageContent

_HAIRLINE = 1.5  # points: a filled box no thicker than this is a rule (`charts.evidence`)
_MARKER_EM = 1.5  # markers are at most this many text heights across (`charts.evidence`)
_SLANT = 0.05  # points a stroke's ends may differ across its run and still be upright or flat
_JOINED = 0.01  # points between one stroke's end and the next one's start for them to be one run
_WHITE = 0.97  # a fill this light in every channel is a background, not a bar


def could_hold_chart(content: PageContent) -> bool:
    """False only for a page none of whose paths could be a chart's data mark."""
    largest_marker = _MARKER_EM * max((w.height for w in content.words), default=0.0)
    return any(_may_be_mark(path, run, largest_marker) for path in content.drawings for run in _runs(path["items"]))


def _runs(items: list[tuple]) -> Iterator[list[tuple]]:
    """A path's items as the reader splits them into shapes: each box or quad alone, joined strokes together."""
    run: list[tuple] = []
    for item in items:
        if item[0] in ("re", "qu"):
            yield from [run] if run else []
            yield [item]
            run = []
            continue
        if run and (abs(run[-1][-1][0] - item[1][0]) > _JOINED or abs(run[-1][-1][1] - item[1][1]) > _JOINED):
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _may_be_mark(path: dict, run: list[tuple], largest_marker: float) -> bool:
    filled = path["type"] in ("f", "fs") and path.get("fill") is not None
    if run[0][0] == "qu":
        return True  # a turned box: it leans
    if run[0][0] == "re":
        x0, y0, x1, y1 = run[0][1]
        small, big = sorted((abs(x1 - x0), abs(y1 - y0)))
        bar = filled and min(path["fill"]) < _WHITE and small > _HAIRLINE
        return bar or _marker_sized(small, big, largest_marker)
    if any(item[0] == "c" or _leans(item[1], item[-1]) for item in run):
        return True
    n_points = len(run) + 1
    if n_points >= 5 or (filled and n_points >= 4):  # may step up and down, or fill an area
        return True
    closed = filled or path.get("closePath", False)
    xs = [p[0] for item in run for p in (item[1], item[-1])]
    ys = [p[1] for item in run for p in (item[1], item[-1])]
    small, big = sorted((max(xs) - min(xs), max(ys) - min(ys)))
    return closed and n_points >= 3 and _marker_sized(small, big, largest_marker)


def _leans(start: tuple[float, float], end: tuple[float, float]) -> bool:
    return abs(start[0] - end[0]) > _SLANT and abs(start[1] - end[1]) > _SLANT


def _marker_sized(small: float, big: float, largest: float) -> bool:
    return 0.8 <= big <= largest and big <= 2 * small
