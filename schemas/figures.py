"""What an extractor finds: tables, charts, and the `Figure` envelope that the JSON Lines contract prints.

`Figure.model_json_schema()` is the schema model backends are constrained by, so every rule a user relies on
(rectangular tables, finite chart values, ...) is a validator here and not a check somewhere downstream.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from figtab.schemas.geometry import BBox, Size

ChartType = Literal["bar", "line", "pie", "scatter", "area", "other"]
FigureKind = Literal["table", "chart"]


class Span(BaseModel):
    """A merged cell: its top-left cell and how many rows and columns it covers (0-based)."""

    model_config = ConfigDict(extra="forbid")

    row: int = Field(ge=0)
    col: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)

    def covers(self, row: int, col: int) -> bool:
        """True for the cells the span hides (every covered cell but its top-left one)."""
        inside = self.row <= row < self.row + self.row_span and self.col <= col < self.col + self.col_span
        return inside and (row, col) != (self.row, self.col)


class Table(BaseModel):
    """A grid of cell texts, row-major. A merged cell's text sits in its top-left cell; covered cells are ``""``.

    Rows may leave out the cells a span covers; they are filled in as ``""``, after which the grid must be
    rectangular and hold at least one non-empty cell.
    """

    model_config = ConfigDict(extra="forbid")

    rows: list[list[str]]
    title: str | None = Field(default=None, description="caption found next to the table, if any")
    header_rows: int = Field(default=0, ge=0)
    spans: list[Span] = Field(default_factory=list)
    pages: list[int] = Field(default_factory=list, description="1-based pages a stitched table spans, if several")

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        self.rows = _expand_spans(self.rows, self.spans)
        widths = {len(row) for row in self.rows}
        if not self.rows or widths == {0}:
            raise ValueError("a table needs at least one row and one column")
        if len(widths) != 1:
            raise ValueError(f"rows have different numbers of cells {sorted(widths)} once spans are expanded")
        if not any(cell.strip() for row in self.rows for cell in row):
            raise ValueError("every cell of the table is empty")
        if self.header_rows > len(self.rows):
            raise ValueError(f"header_rows={self.header_rows} but the table has {len(self.rows)} rows")
        n_rows, n_cols = len(self.rows), len(self.rows[0])
        for span in self.spans:
            if span.row + span.row_span > n_rows or span.col + span.col_span > n_cols:
                raise ValueError(f"span at row {span.row}, col {span.col} runs off the {n_rows}x{n_cols} grid")
        return self

    @property
    def n_cols(self) -> int:
        return len(self.rows[0])

    def to_pandas(self) -> Any:
        """A pandas DataFrame: the header rows become the columns (a MultiIndex when there are several)."""
        pandas = _pandas()
        header, body = self.rows[:self.header_rows], self.rows[self.header_rows:]
        if not header:
            return pandas.DataFrame(body)
        columns = pandas.MultiIndex.from_arrays(header) if len(header) > 1 else header[0]
        return pandas.DataFrame(body, columns=columns)


def _expand_spans(rows: list[list[str]], spans: list[Span]) -> list[list[str]]:
    """Insert ``""`` for covered cells a row left out, so a short row explained by spans becomes full width."""
    if not spans:
        return rows
    width = max(len(row) for row in rows) if rows else 0
    expanded = []
    for r, row in enumerate(rows):
        if len(row) == width:
            expanded.append(row)
            continue
        cells, source = [], iter(row)
        for c in range(width):
            if any(span.covers(r, c) for span in spans):
                cells.append("")
            else:
                cells.append(next(source, None))
        if None in cells or next(source, None) is not None:
            expanded.append(row)  # spans do not explain this row; the width check reports it
        else:
            expanded.append(cells)
    return expanded


class Point(BaseModel):
    """One data point: ``x`` is a category label or a number, ``y`` a finite number."""

    model_config = ConfigDict(extra="forbid")

    x: Union[float, str]
    y: float

    @field_validator("y")
    @classmethod
    def _finite(cls, y: float) -> float:
        if not math.isfinite(y):
            raise ValueError(f"y must be a finite number, got {y}")
        return y


class Series(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    points: list[Point] = Field(min_length=1)


class Chart(BaseModel):
    """A chart's data: one or more series of points, with its type and labels."""

    model_config = ConfigDict(extra="forbid")

    chart_type: ChartType
    title: str | None = None
    x_label: str | None = None
    y_label: str | None = None
    series: list[Series] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_series_names(self) -> Chart:
        """Series are told apart by name in ``chart_points``: unnamed ones become "Series N" and repeated names
        get " (2)", " (3)", ... when a chart has several series."""
        if len(self.series) > 1:
            seen: dict[str, int] = {}
            for number, series in enumerate(self.series, start=1):
                name = series.name.strip() or f"Series {number}"
                seen[name] = seen.get(name, 0) + 1
                series.name = name if seen[name] == 1 else f"{name} ({seen[name]})"
        return self

    def to_pandas(self) -> Any:
        """A long pandas DataFrame, one row per point: ``series``, ``x``, ``y``."""
        return _pandas().DataFrame([{"series": series.name, "x": point.x, "y": point.y}
                                    for series in self.series for point in series.points],
                                   columns=["series", "x", "y"])

    @model_validator(mode="after")
    def _consistent(self) -> Chart:
        kinds = {isinstance(p.x, str) for s in self.series for p in s.points}
        if len(kinds) > 1:
            raise ValueError("x values mix numbers and labels within one chart")
        if self.chart_type == "pie":
            negative = [p.y for s in self.series for p in s.points if p.y < 0]
            if negative:
                raise ValueError(f"pie values must be non-negative, got {negative[:3]}")
        return self


class Usage(BaseModel):
    """What a model backend spent reading a figure (or a page): tokens and an estimated cost in US dollars.

    ``visual_tokens`` counts the image tokens the model saw (PaliGemma: 256 per 224 px tile, 1,024 per 448 px).
    """

    model_config = ConfigDict(extra="forbid")

    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cache_read_tokens: int = Field(default=0, ge=0)
    cache_write_tokens: int = Field(default=0, ge=0)
    visual_tokens: int = Field(default=0, ge=0)
    cost_usd: float | None = Field(default=None, ge=0)

    def __add__(self, other: Usage) -> Usage:
        costs = [cost for cost in (self.cost_usd, other.cost_usd) if cost is not None]
        counts = {name: getattr(self, name) + getattr(other, name) for name in USAGE_COUNTS}
        return Usage(**counts, cost_usd=sum(costs) if costs else None)

    def split(self, n: int) -> list[Usage]:
        """This usage divided over ``n`` figures read by the same requests, so that the figures add up to it."""
        if n == 0:
            return []
        counts = {name: divmod(getattr(self, name), n) for name in USAGE_COUNTS}
        cost = None if self.cost_usd is None else self.cost_usd / n
        return [Usage(**{name: whole + (index < rest) for name, (whole, rest) in counts.items()}, cost_usd=cost)
                for index in range(n)]


USAGE_COUNTS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "visual_tokens")


def _pandas() -> Any:
    """pandas, which is not a core dependency: the ImportError says how to get it."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("to_pandas() needs pandas: pip install pandas") from exc
    return pandas


class Figure(BaseModel):
    """One extracted table or chart, as printed by ``--format jsonl`` and stored in ``figures``.

    Validate with ``context={"page_size": Size(...)}`` to check the bbox lies on the page.
    """

    model_config = ConfigDict(extra="forbid")

    file: str
    doc_id: str
    page: int = Field(ge=1, description="1-based page number (1 for images)")
    kind: FigureKind
    bbox: BBox | None = None
    backend: str
    model: str | None = None
    valid: bool = True
    errors: list[str] = Field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None
    usage: Usage | None = Field(default=None, description="tokens and cost, when a model read the figure")

    @model_validator(mode="after")
    def _payload_matches_kind(self, info: ValidationInfo) -> Figure:
        if self.valid and getattr(self, self.kind) is None:
            raise ValueError(f"a valid {self.kind} figure needs its '{self.kind}' payload")
        other = "chart" if self.kind == "table" else "table"
        if getattr(self, other) is not None:
            raise ValueError(f"a {self.kind} figure must not carry a '{other}' payload")
        page_size = (info.context or {}).get("page_size")
        if self.bbox is not None and isinstance(page_size, Size) and not self.bbox.inside(page_size):
            raise ValueError(f"bbox {self.bbox.as_list()} lies outside the page ({page_size.width} x "
                             f"{page_size.height} pt)")
        return self

    @property
    def title(self) -> str | None:
        payload = self.chart or self.table
        return payload.title if payload is not None else None
