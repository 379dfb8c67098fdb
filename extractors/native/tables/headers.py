"""Two-level headers of unruled tables: a label over a group of sub-columns (a year over ``n`` and ``%Pos``) spans
the group.

Without rules the group shows in two ways: labels, each a different name, stand at a regular step over
sub-headers that repeat group by group (``2019 … 2020 …`` over ``n %Pos n %Pos``), wherever in the group they
are set; or a label is centred over the group (over the gap between two of its columns, or across them). A label
aligned with the one cell under it is rather the first line of that cell.
"""

from __future__ import annotations

from figtab.extractors.native.tables.columns import Placed

_CENTRED = 0.2  # share of a group's width by which a label's centre may miss the group's
_MAX_GROUP = 6  # columns a group label may span
_ALIGNED = 0.3  # text heights by which the edges or centres of two lines of one header cell may differ


def spread_over_groups(placed: list[list[Placed]], n_header: int) -> list[list[Placed]]:
    """The placed lines with each header label over a group of the header line below it spanning that group."""
    extents = _extents(placed)
    spread = [list(line) for line in placed]
    for i in range(n_header - 1):
        lower = spread[i + 1]
        repeated = _repeated_groups(spread[i], lower)
        if repeated or not any(_stacked_on(p, lower) for p in spread[i]):
            spread[i] = repeated or [_centred_group(p, spread[i], lower, extents) for p in spread[i]]
    return spread


def _stacked_on(label: Placed, lower: list[Placed]) -> bool:
    """True when the label is the first line of the header cell below it: one cell of about its width lies
    under it, aligned with it (left, right or centred), and it reaches across no other."""
    a = label.chunk
    under = [p.chunk for p in lower if min(p.chunk.x1, a.x1) > max(p.chunk.x0, a.x0)]
    if len(under) != 1 or under[0].x1 - under[0].x0 < 0.5 * (a.x1 - a.x0):
        return False
    b, slack = under[0], _ALIGNED * a.height
    return min(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.x0 + a.x1 - b.x0 - b.x1) / 2) <= slack


def _extents(placed: list[list[Placed]]) -> dict[int, tuple[float, float]]:
    """Per column, the extent (x0, x1, points) of the text that lies in that column alone."""
    found: dict[int, tuple[float, float]] = {}
    for line in placed:
        for p in line:
            if p.first == p.last:
                x0, x1 = found.get(p.first, (p.chunk.x0, p.chunk.x1))
                found[p.first] = (min(x0, p.chunk.x0), max(x1, p.chunk.x1))
    return found


def _centred_group(label: Placed, line: list[Placed], lower: list[Placed],
                   extents: dict[int, tuple[float, float]]) -> Placed:
    """``label`` spanning the smallest group of columns it is centred over, each with a sub-header below, that
    no other label of its line reaches into; unchanged when there is none."""
    inside_a_column = any(x0 < label.chunk.x0 and label.chunk.x1 < x1 for x0, x1 in extents.values())
    if label.first != label.last or inside_a_column:
        return label
    centre = (label.chunk.x0 + label.chunk.x1) / 2
    others = [p for p in line if p is not label]
    below = {column for p in lower for column in range(p.first, p.last + 1)}
    for size in range(2, _MAX_GROUP + 1):
        for first in range(max(0, label.first - size + 1), label.first + 1):
            group = range(first, first + size)
            if not all(column in extents and column in below for column in group):
                continue
            x0, x1 = extents[group[0]][0], extents[group[-1]][1]
            if abs(centre - (x0 + x1) / 2) <= _CENTRED * (x1 - x0) and not any(
                    p.last >= group[0] and p.first <= group[-1] for p in others):
                return Placed(label.chunk, group[0], group[-1])
    return label


def _repeated_groups(upper: list[Placed], lower: list[Placed]) -> list[Placed] | None:
    """The labels spanning their groups when they stand at a regular step over sub-headers that repeat; None
    when they do not. The labels name the groups, so they differ: a line that repeats along with the
    sub-headers is the first line of theirs (``total occupied`` over ``housing units``)."""
    firsts = [p.first for p in upper]
    steps = {b - a for a, b in zip(firsts, firsts[1:])}
    names = {p.chunk.text.lower() for p in upper}
    if len(upper) < 2 or len(steps) != 1 or len(names) < len(upper) or any(p.last != p.first for p in upper):
        return None
    step = steps.pop()
    texts = {p.first: p.chunk.text for p in lower if p.first == p.last}
    for offset in range(step if step >= 2 else 0):  # the label over the group's first sub-column, or a later one
        groups = [[texts.get(column) for column in range(first - offset, first - offset + step)] for first in firsts]
        if firsts[0] >= offset and None not in groups[0] and all(group == groups[0] for group in groups):
            return [Placed(p.chunk, p.first - offset, p.first - offset + step - 1) for p in upper]
    return None
