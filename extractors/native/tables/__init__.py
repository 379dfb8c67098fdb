"""Tables from a born-digital page's geometry: ruled grids from ruling lines, unruled ones from aligned text.

One module per job: `orientation` (rotated pages and tables), `ruled` (grids and merged cells), `shading` (grids
drawn as shaded cells), `lines` (text lines and cell fragments), `regions` (where unruled tables are), `columns`
(text alignment), `structure` (rows, header rows, spans), `centred` (rows of cells centred vertically), `partial`
(ruled headers over unruled bodies) and `stitch` (tables continued on the next page, with `page_ends` telling where
a page's body text ends).
"""

from __future__ import annotations

from dataclasses import dataclass

from figtab.extractors.native.page_content import PageContent
from figtab.extractors.native.tables.columns import borders, place
from figtab.extractors.native.tables.lines import Line, text_lines
from figtab.extractors.native.tables.orientation import Frame
from figtab.extractors.native.tables.page_ends import Edges, edges
from figtab.extractors.native.tables.partial import with_ruled_headers
from figtab.extractors.native.tables.regions import table_regions, without_prose
from figtab.extractors.native.tables.ruled import grids, read_grid
from figtab.extractors.native.tables.shading import shaded_cell_edges
from figtab.extractors.native.tables.stitch import stitch_tables
from figtab.extractors.native.tables.structure import Grid, build_grid
from figtab.schemas import BBox, Table

__all__ = ["Edges", "FoundTable", "edges", "find_tables", "stitch_tables"]


@dataclass
class FoundTable:
    table: Table
    bbox: BBox


def find_tables(content: PageContent) -> list[FoundTable]:
    """Every table on the page, top to bottom: ruled grids first, then unruled tables in the text left over."""
    frame = Frame.of(content)
    words = frame.words(content.words)
    segments = content.segments + shaded_cell_edges(content)
    found = [r for g in grids(frame.segments(segments)) if (r := read_grid(g, words))]
    taken = [box for _, box in found]
    free = [w for w in words if not any(b.x0 <= w.cx <= b.x1 and b.y0 <= w.cy <= b.y1 for b in taken)] if taken \
        else words
    unruled = [(title, t) for title, region in table_regions(without_prose(text_lines(free), frame.reading_width))
               if (t := _read_region(region))]
    titled = with_ruled_headers([(None, r) for r in found], unruled)
    tables = [FoundTable(Table(rows=g.rows, spans=g.spans, header_rows=g.header_rows, title=title),
                         frame.to_page(box)) for title, (g, box) in titled]
    return sorted(tables, key=lambda t: (t.bbox.y0, t.bbox.x0))


def _read_region(lines: list[Line]) -> tuple[Grid, BBox] | None:
    gaps = borders(lines)
    if not gaps:
        return None
    grid = build_grid(lines, place(lines, gaps), len(gaps) + 1)
    if not any(text for row in grid.rows for text in row):
        return None
    box = BBox(x0=min(l.x0 for l in lines), y0=lines[0].y0, x1=max(l.x1 for l in lines), y1=lines[-1].y1)
    return grid, box
