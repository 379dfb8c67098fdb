"""What a report shows, read from the database on a read-only connection: figures, their runs, and failures.

Without ``--run``, the failures shown are the current ones: for each file, those of the latest run that read it
(figures are replaced when a file is read again, so older failures of a file are history, not its state).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from pydantic import ValidationError

from figtab.flows.store import connect
from figtab.schemas import BBox, Figure, StoreError, Usage, UsageError
from figtab.schemas.figures import USAGE_COUNTS

DEFAULT_LIMIT = 200  # figures per report: enough to review a run, few enough that the page opens at once


@dataclass(frozen=True)
class Selection:
    """Which figures to show. ``file`` matches the path as given or its last parts (``sample.pdf`` matches
    ``/data/sample.pdf``); ``doc``, ``figure`` and ``run`` match id prefixes."""

    file: str | None = None
    doc: str | None = None
    figure: str | None = None
    run: str | None = None
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise UsageError(f"--limit must be at least 1, got {self.limit}")
        if self.file is not None and self.doc is not None:
            raise UsageError("--file and --doc both pick documents; give one of them")

    def where(self, table: str) -> tuple[str, list[Any]]:
        """SQL conditions on ``table``'s ``file``, ``doc_id``, ``run_id`` (and ``figure_id`` for figures)."""
        conditions, params = ["TRUE"], []
        if self.file is not None:
            conditions.append(f"({table}.file = ? OR ends_with({table}.file, '/' || ?))")
            params += [self.file, self.file.removeprefix("./")]
        if self.doc is not None:
            conditions.append(f"starts_with({table}.doc_id, ?)")
            params.append(self.doc)
        if self.run is not None:
            conditions.append(f"starts_with({table}.run_id, ?)")
            params.append(self.run)
        if self.figure is not None and table == "f":
            conditions.append("starts_with(f.figure_id, ?)")
            params.append(self.figure)
        return " AND ".join(conditions), params


@dataclass(frozen=True)
class ReportFigure:
    """A stored figure as the report shows it; ``figure.errors`` also holds a payload that no longer reads."""

    figure_id: str
    run_id: str
    figure: Figure
    usage: Usage | None


@dataclass(frozen=True)
class RunRow:
    run_id: str
    started_at: datetime
    backend: str
    model: str | None
    n_files: int
    n_figures: int
    n_failures: int
    usage: Usage | None


@dataclass(frozen=True)
class FailureRow:
    run_id: str
    file: str
    page: int | None
    stage: str
    error: str
    message: str


@dataclass
class Report:
    """Everything one report page holds; ``total_figures`` counts the selection before ``limit``."""

    db: str
    selection: Selection
    figures: list[ReportFigure]
    total_figures: int
    runs: list[RunRow] = field(default_factory=list)
    failures: list[FailureRow] = field(default_factory=list)
    total_failures: int = 0


_FIGURE_SQL = f"""
    SELECT f.figure_id, f.run_id, f.file, f.doc_id, f.page, f.kind, f.backend, f.model, f.valid, f.errors,
           f.bbox, f.payload, {", ".join(f"f.{name}" for name in USAGE_COUNTS)}, f.cost_usd
    FROM figures f WHERE {{where}}
    ORDER BY f.file, f.doc_id, f.page, f.bbox[2] NULLS LAST, f.bbox[1], f.figure_id LIMIT ?"""

_CURRENT_FAILURES = """
    WITH touched AS (SELECT file, run_id FROM figures UNION SELECT file, run_id FROM failures),
    latest AS (SELECT t.file, arg_max(t.run_id, r.started_at) AS run_id
               FROM touched t JOIN runs r USING (run_id) GROUP BY t.file)
    SELECT f.* FROM failures f JOIN latest l ON f.file = l.file AND f.run_id = l.run_id"""


def load_report(db: str, selection: Selection) -> Report:
    """The figures, runs and failures ``selection`` picks from ``db``, read without write access."""
    connection = connect(db, read_only=True)
    try:
        return _load(connection, db, selection)
    except duckdb.Error as exc:
        raise StoreError(f"cannot read {db}: {str(exc).splitlines()[0]}") from exc
    finally:
        connection.close()


def _load(connection: duckdb.DuckDBPyConnection, db: str, selection: Selection) -> Report:
    where, params = selection.where("f")
    total = connection.execute(f"SELECT count(*) FROM figures f WHERE {where}", params).fetchone()[0]
    rows = connection.execute(_FIGURE_SQL.format(where=where), [*params, selection.limit]).fetchall()
    figures = [_report_figure(row) for row in rows]
    failures, total_failures = _failures(connection, selection, figures)
    run_ids = sorted({f.run_id for f in figures} | {f.run_id for f in failures})
    return Report(db=db, selection=selection, figures=figures, total_figures=total,
                  runs=_runs(connection, run_ids), failures=failures, total_failures=total_failures)


def _report_figure(row: tuple) -> ReportFigure:
    figure_id, run_id, file, doc_id, page, kind, backend, model, valid, errors, bbox, payload, *spent = row
    try:
        figure = Figure.model_validate_json(payload)
    except ValidationError as exc:  # written by another version, or edited by hand: show what the columns say
        reason = f"stored payload does not read as a figure: {exc.errors()[0]['msg']}"
        figure = Figure(file=file, doc_id=doc_id, page=page, kind=kind, bbox=_bbox(bbox), backend=backend,
                        model=model, valid=False, errors=[*errors, reason])
    # the columns are the record the store keeps current; the payload is the figure as first printed
    figure = figure.model_copy(update={"file": file, "valid": bool(valid) and figure.valid})
    return ReportFigure(figure_id=figure_id, run_id=run_id, figure=figure, usage=_usage(spent))


def _bbox(values: list[float] | None) -> BBox | None:
    try:
        return BBox.model_validate(values) if values is not None else None
    except ValidationError:
        return None


def _usage(spent: Sequence[Any]) -> Usage | None:
    """Tokens and cost from the usage columns (counts, then cost), or None when no model spent anything: figures
    read without a model have NULLs, runs without one zeros."""
    *counts, cost = spent
    if cost is None and not any(counts):
        return None
    return Usage(**{name: value or 0 for name, value in zip(USAGE_COUNTS, counts)}, cost_usd=cost)


def _failures(connection: duckdb.DuckDBPyConnection, selection: Selection,
              figures: list[ReportFigure]) -> tuple[list[FailureRow], int]:
    source = "SELECT * FROM failures" if selection.run is not None else _CURRENT_FAILURES
    where, params = selection.where("x")
    if selection.figure is not None:  # one figure: only the failures of its document
        where += " AND x.doc_id IN (SELECT unnest(?))"
        params.append(sorted({f.figure.doc_id for f in figures}))
    query = f"FROM ({source}) x WHERE {where}"
    total = connection.execute(f"SELECT count(*) {query}", params).fetchone()[0]
    rows = connection.execute(f"SELECT run_id, file, page, stage, error, message {query} "
                              "ORDER BY file, page NULLS FIRST, failed_at LIMIT ?", [*params, selection.limit])
    return [FailureRow(*row) for row in rows.fetchall()], total


def _runs(connection: duckdb.DuckDBPyConnection, run_ids: list[str]) -> list[RunRow]:
    if not run_ids:
        return []
    rows = connection.execute(
        f"SELECT run_id, started_at, backend, model, n_files, n_figures, n_failures, "
        f"{', '.join(USAGE_COUNTS)}, cost_usd FROM runs WHERE run_id IN (SELECT unnest(?)) ORDER BY started_at",
        [run_ids]).fetchall()
    return [RunRow(*row[:7], usage=_usage(row[7:])) for row in rows]
