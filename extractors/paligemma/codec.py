"""The compact text a PaliGemma model writes for the figures it sees, DePlot-style, and the way back.

One block per figure. A block opens with a header line, its rows follow, and cells are split by `` | ``::

    #chart bar label | title=Revenue by region | y=USD     type, x kind (label or number), optional fields
    Quarter | North | South                                 the x-axis title, then the series names
    Q1 | 12 | 30.5                                          one row per x; an empty cell is a missing point
    #table header=1 | title=Prices | span=0,0,1,2          header rows, optional title, merged cells
    Region | 2023
    North | 12.5

A region without figures is ``#none``. Cell text escapes backslashes, ``|``, line breaks and a leading ``#``,
so any table survives the round trip, but for an empty last row of a one-column table (a blank line at the end
is not an answer's). Numbers are written in the shortest form that reads back exactly.
Decoding never raises: text that does not decode comes back as a `Decoded` with errors and no payload.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from figtab.schemas import Chart, Table

NONE = "#none"
_SEPARATOR = " | "
_ESCAPES = {"\\": "\\\\", "|": "\\|", "\n": "\\n"}
_UNESCAPES = {"\\": "\\", "|": "|", "n": "\n", "#": "#"}


@dataclass
class Decoded:
    """One block of model output: its kind, the payload as a dict for schema validation, or why it failed."""

    kind: str
    payload: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)


def encode(figures: list[Table | Chart]) -> str:
    """The target text for a region holding ``figures`` (``#none`` when there are none)."""
    if not figures:
        return NONE
    return "\n".join(_encode_table(f) if isinstance(f, Table) else _encode_chart(f) for f in figures)


def decode(text: str) -> list[Decoded]:
    """Every block in ``text``; ``#none`` (or only whitespace after it) decodes to no figures."""
    lines = text.strip("\n").split("\n")
    if [line.strip() for line in lines] == [NONE]:
        return []
    if not lines[0].startswith("#"):
        return [Decoded("chart", errors=[f"output does not start with a #chart or #table header: {_excerpt(text)}"])]
    blocks: list[list[str]] = []
    for line in lines:
        if line.startswith("#"):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return [_decode_block(block) for block in blocks]


def _encode_chart(chart: Chart) -> str:
    labels = any(isinstance(point.x, str) for series in chart.series for point in series.points)
    header = [f"#chart {chart.chart_type} {'label' if labels else 'number'}"]
    header += [f"{key}={_escape(value)}" for key, value in (("title", chart.title), ("y", chart.y_label)) if value]
    rows = [[_escape(chart.x_label or ""), *(_escape(series.name) for series in chart.series)]]
    row_of: dict[tuple[float | str, int], list[str]] = {}
    for column, series in enumerate(chart.series, start=1):
        occurrences: Counter[float | str] = Counter()
        for point in series.points:
            key = (point.x, occurrences[point.x])  # a repeated x (scatter) gets a row of its own
            occurrences[point.x] += 1
            if key not in row_of:
                x = _escape(point.x) if isinstance(point.x, str) else _number(point.x)
                row_of[key] = [x] + [""] * len(chart.series)
                rows.append(row_of[key])
            row_of[key][column] = _number(point.y)
    return "\n".join([_SEPARATOR.join(header), *(_SEPARATOR.join(row) for row in rows)])


def _encode_table(table: Table) -> str:
    header = [f"#table header={table.header_rows}"]
    if table.title:
        header.append(f"title={_escape(table.title)}")
    header += [f"span={s.row},{s.col},{s.row_span},{s.col_span}" for s in table.spans]
    return "\n".join([_SEPARATOR.join(header), *(_SEPARATOR.join(map(_escape, row)) for row in table.rows)])


def _decode_block(block: list[str]) -> Decoded:
    head, *fields = _cells(block[0][1:])
    words = head.split()
    kind = words[0] if words else ""
    if kind not in ("chart", "table"):
        return Decoded("chart", errors=[f"unknown block {_excerpt(block[0])}; expected #chart or #table"])
    try:
        options = [_field(text) for text in fields]
        rows = [_cells(line) for line in block[1:]]
        payload = _chart(words[1:], dict(options), rows) if kind == "chart" else _table(words[1:], options, rows)
    except ValueError as exc:
        return Decoded(kind, errors=[f"{kind} does not decode: {exc}"])
    return Decoded(kind, payload)


def _chart(words: list[str], options: dict[str, str], rows: list[list[str]]) -> dict[str, Any]:
    if len(words) != 2 or words[1] not in ("label", "number"):
        raise ValueError(f"header needs a chart type and an x kind (label or number), got {' '.join(words)!r}")
    if len(rows) < 2:
        raise ValueError("a chart needs a row of series names and at least one row of values")
    names = rows[0][1:]
    series: list[dict[str, Any]] = [{"name": name, "points": []} for name in names]
    for number, (x, *values) in enumerate(rows[1:], start=2):
        if len(values) > len(names):
            raise ValueError(f"row {number} has {len(values)} values for {len(names)} series")
        x_value = x if words[1] == "label" else _parse_number(x, number)
        for target, value in zip(series, values):
            if value.strip():
                target["points"].append({"x": x_value, "y": _parse_number(value, number)})
    return {"chart_type": words[0], "title": options.get("title"), "x_label": rows[0][0] or None,
            "y_label": options.get("y"), "series": series}


def _table(words: list[str], options: list[tuple[str, str]], rows: list[list[str]]) -> dict[str, Any]:
    header = next((word.removeprefix("header=") for word in words if word.startswith("header=")), "0")
    spans = [_span(text) for key, text in options if key == "span"]
    return {"rows": rows, "title": dict(options).get("title"), "header_rows": _parse_int(header), "spans": spans}


def _field(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals:
        raise ValueError(f"header field {text!r} is not key=value")
    return key.strip(), value


def _span(text: str) -> dict[str, int]:
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"span {text!r} is not row,col,row_span,col_span")
    return dict(zip(("row", "col", "row_span", "col_span"), map(_parse_int, parts)))


def _cells(line: str) -> list[str]:
    """Split on unescaped ``|`` and undo the escapes; one space either side of a separator belongs to it."""
    cells, current, chars = [], [], iter(line)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "\\")
            current.append(_UNESCAPES.get(escaped, "\\" + escaped))
        elif char == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
    cells.append("".join(current))
    last = len(cells) - 1
    return [_trim(cell, i > 0, i < last) for i, cell in enumerate(cells)]


def _trim(cell: str, left: bool, right: bool) -> str:
    if left and cell.startswith(" "):
        cell = cell[1:]
    if right and cell.endswith(" "):
        cell = cell[:-1]
    return cell


def _escape(text: str) -> str:
    escaped = "".join(_ESCAPES.get(char, char) for char in text)
    return "\\" + escaped if escaped.startswith("#") else escaped


def _number(value: float) -> str:
    """The shortest text that reads back as ``value``: ``12`` rather than ``12.0``."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _parse_number(text: str, row: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"row {row}: {text!r} is not a number") from None


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _excerpt(text: str, limit: int = 120) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "...")
