"""The DuckDB store: the only code that writes the database.

One transaction per document. Figures are keyed by (document bytes, page, backend, model), so processing the
same file again replaces its rows instead of adding new ones.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from figtab.schemas import DocumentResult, Failure, Figure, PageResult, StoreError, Usage
from figtab.schemas.figures import USAGE_COUNTS
from figtab.schemas.ddl import DDL, MIGRATIONS
from figtab.schemas.values import parse_number

DEFAULT_DB = "figtab.duckdb"
_LOCK_RETRIES = 5  # DuckDB lets one process write a file; wait a little for a writer that is finishing


def default_db() -> str:
    """``$FIGTAB_DB``, else ``./figtab.duckdb``."""
    return os.environ.get("FIGTAB_DB") or DEFAULT_DB


def connect(db: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open ``db``; a missing file (read-only) or a lock held by another process becomes a `StoreError`."""
    if read_only and db != ":memory:" and not Path(db).exists():
        raise StoreError(f"no database at {db}; run `figtab extract` first or pass --db")
    for attempt in range(_LOCK_RETRIES):
        try:
            return duckdb.connect(db, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"cannot open database {db}: {exc}") from exc
            if attempt == _LOCK_RETRIES - 1:
                raise StoreError(f"database {db} is locked by another process (one writer at a time); "
                                 "wait for it to finish or use another --db") from exc
            time.sleep(0.2 * 2 ** attempt)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open database {db}: {exc}") from exc
    raise AssertionError("unreachable")


def figure_id(figure: Figure, index: int) -> str:
    """Stable id: the same bytes, page, backend, model and position on the page give the same id."""
    key = f"{figure.doc_id}|{figure.page}|{figure.backend}|{figure.model or ''}|{index}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


_FIGURE_COLUMNS = ", ".join(["figure_id", "doc_id", "file", "page", "kind", "backend", "model", "valid", "errors",
                              "title", "bbox", "payload", "run_id", *USAGE_COUNTS, "cost_usd"])


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """A writable figtab database; use as a context manager."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.connection = connect(db)
        try:
            for statement in [*DDL.values(), *MIGRATIONS]:
                self.connection.execute(statement)
        except duckdb.Error as exc:
            self.connection.close()
            raise StoreError(f"cannot prepare database {db}: {exc}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def start_run(self, backend: str, model: str | None) -> str:
        run_id = uuid.uuid4().hex
        self._write("INSERT INTO runs (run_id, started_at, backend, model) VALUES (?, ?, ?, ?)",
                    [run_id, _now(), backend, model])
        return run_id

    def finish_run(self, run_id: str, n_files: int, n_figures: int, n_failures: int,
                   usage: Usage | None = None) -> None:
        """Close the run with its counts and what its model requests cost (``usage``, summed by the caller)."""
        usage = usage or Usage()
        counts = ", ".join(f"{name} = ?" for name in USAGE_COUNTS)
        self._write(f"UPDATE runs SET finished_at = ?, n_files = ?, n_figures = ?, n_failures = ?, {counts}, "
                    "cost_usd = ? WHERE run_id = ?",
                    [_now(), n_files, n_figures, n_failures, *[getattr(usage, name) for name in USAGE_COUNTS],
                     usage.cost_usd, run_id])

    def _write(self, sql: str, params: list[Any]) -> None:
        try:
            self.connection.execute(sql, params)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write to database {self.db}: {str(exc).splitlines()[0]}") from exc

    def save(self, result: DocumentResult, run_id: str) -> None:
        """Write one document's pages, figures and failures in one transaction."""
        try:
            self.connection.begin()
            if result.document is not None:
                self._save_document(result, run_id)
            self._save_failures(result.all_failures, run_id)
            self.connection.commit()
        except duckdb.Error as exc:
            self.connection.rollback()
            raise StoreError(f"cannot store {result.file}: {exc}") from exc

    def _save_document(self, result: DocumentResult, run_id: str) -> None:
        doc = result.document
        self.connection.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [doc.doc_id, doc.file, doc.format, doc.n_bytes, doc.n_pages, _now()])
        for page in result.pages:
            if page.failure is None or page.failure.stage != "open":  # a page that loaded has its geometry
                meta = page.page
                self.connection.execute(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                    [meta.doc_id, meta.page, meta.size.width, meta.size.height, meta.rotation, meta.has_text])
            self._replace_figures(page, run_id)

    def _replace_figures(self, page: PageResult, run_id: str) -> None:
        """Drop the page's figures from earlier runs of the same backend and model as requested (``auto`` runs
        replace ``auto`` runs, whichever backend read each figure) and those the new figures would collide with."""
        keys = {(page.backend, page.model)} | {(f.backend, f.model) for f in page.figures}
        same_request = ("SELECT r.run_id FROM runs r, runs this WHERE this.run_id = ? AND r.backend = this.backend "
                        "AND r.model IS NOT DISTINCT FROM this.model")
        stale = (f"SELECT figure_id FROM figures WHERE doc_id = ? AND page = ? AND (run_id IN ({same_request})"
                 + " OR (backend = ? AND model IS NOT DISTINCT FROM ?)" * len(keys) + ")")
        params = [page.page.doc_id, page.page.page, run_id, *[v for key in sorted(keys, key=str) for v in key]]
        for table in ("table_cells", "chart_points"):
            self.connection.execute(f"DELETE FROM {table} WHERE figure_id IN ({stale})", params)
        self.connection.execute(f"DELETE FROM figures WHERE figure_id IN ({stale})", params)
        for index, figure in enumerate(page.figures):
            self._insert_figure(figure, figure_id(figure, index), run_id)

    def _insert_figure(self, figure: Figure, fid: str, run_id: str) -> None:
        bbox = figure.bbox.as_list() if figure.bbox is not None else None
        usage = figure.usage
        spent = [getattr(usage, name) for name in USAGE_COUNTS] + [usage.cost_usd] if usage else [None] * 6
        self.connection.execute(
            f"INSERT INTO figures ({_FIGURE_COLUMNS}) VALUES ({', '.join('?' * 19)})",
            [fid, figure.doc_id, figure.file, figure.page, figure.kind, figure.backend, figure.model, figure.valid,
             figure.errors, figure.title, bbox, figure.model_dump_json(), run_id, *spent])
        if figure.table is not None:
            header = figure.table.header_rows
            cells = [[fid, r, c, text, parse_number(text), r < header]
                     for r, row in enumerate(figure.table.rows) for c, text in enumerate(row)]
            if cells:
                self.connection.executemany("INSERT INTO table_cells VALUES (?, ?, ?, ?, ?, ?)", cells)
        if figure.chart is not None:
            points = [[fid, series.name, _x_text(point.x), point.x if isinstance(point.x, float) else None, point.y]
                      for series in figure.chart.series for point in series.points]
            self.connection.executemany("INSERT INTO chart_points VALUES (?, ?, ?, ?, ?)", points)

    def _save_failures(self, failures: list[Failure], run_id: str) -> None:
        rows = [[run_id, f.file, f.doc_id, f.page, f.stage, f.error, f.message, _now()] for f in failures]
        if rows:
            self.connection.executemany("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _x_text(x: float | str) -> str:
    return x if isinstance(x, str) else f"{x:g}"


class QueryResult(NamedTuple):
    columns: list[str]
    rows: list[tuple]


def run_query(db: str, sql: str, params: list[Any] | None = None) -> QueryResult:
    """Column names and rows of ``sql`` on a read-only connection, so a query can never change the data."""
    connection = connect(db, read_only=True)
    try:
        cursor = connection.execute(sql, params)
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(columns, cursor.fetchall())
    except duckdb.Error as exc:
        raise StoreError(str(exc).splitlines()[0]) from exc
    finally:
        connection.close()
