"""The DuckDB store: the only code that writes the database.

One transaction per document, written in bulk: each table gets one statement per document, its rows passed as
column lists that DuckDB unnests (row-at-a-time inserts cost about a millisecond a row). Figures are keyed by
(document bytes, page, backend, model), so processing the same file again replaces its rows instead of adding
new ones.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from figtab.schemas import DocumentResult, Failure, Figure, StoreError, Usage
from figtab.schemas.ddl import DDL, MIGRATIONS
from figtab.schemas.figures import USAGE_COUNTS
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


# Each table's columns, in the order rows list their values. The values go in untyped: DuckDB types each list
# from its Python values, and the insert casts it to the column's type.
_PAGE_COLUMNS = ("doc_id", "page", "width", "height", "rotation", "has_text")
_FIGURE_COLUMNS = ("figure_id", "doc_id", "file", "page", "kind", "backend", "model", "valid", "errors", "title",
                   "bbox", "payload", "run_id")
_USAGE_COLUMNS = (*USAGE_COUNTS, "cost_usd")  # what a model's reading cost; left out (NULL) when no model read
_CELL_COLUMNS = ("figure_id", "row", "col", "text", "value", "is_header")
_POINT_COLUMNS = ("figure_id", "series", "x", "x_value", "y")
_FAILURE_COLUMNS = ("run_id", "file", "doc_id", "page", "stage", "error", "message", "failed_at")

# Deletes the figures a document's pages replace, and names them with their kind, so that only the rows of
# that kind go too (a figure has the payload of its kind only): on each of its pages, those of earlier runs of the
# same backend and model as requested (`auto` runs replace `auto` runs, whichever backend read each figure), and
# those with the (backend, model) of a new figure or of the page, whose ids the new figures would collide with.
_DELETE_STALE_FIGURES = """
    WITH replaced (page, backend, model) AS (SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])),
         same_request AS (SELECT r.run_id FROM runs r, runs this WHERE this.run_id = ? AND r.backend = this.backend
                          AND r.model IS NOT DISTINCT FROM this.model)
    DELETE FROM figures f
    WHERE f.doc_id = ? AND f.page IN (SELECT page FROM replaced)
      AND (f.run_id IN (SELECT run_id FROM same_request)
           OR EXISTS (SELECT 1 FROM replaced k WHERE k.page = f.page AND k.backend = f.backend
                      AND k.model IS NOT DISTINCT FROM f.model))
    RETURNING figure_id, kind"""
_PAYLOAD_TABLES = {"table": "table_cells", "chart": "chart_points"}  # a figure's kind -> the table of its rows


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """A writable figtab database; use as a context manager. Open one for a whole run: opening costs the lock,
    the schema check and the connection (tens of milliseconds), a document's rows a few."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.connection = connect(db)
        try:  # one transaction: one commit for the whole schema instead of one per statement
            self.connection.begin()
            for statement in [*DDL.values(), *MIGRATIONS]:
                self.connection.execute(statement)
            self.connection.commit()
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

    def save(self, result: DocumentResult, run_id: str,
             also: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> None:
        """Write one document's pages, figures and failures in one transaction; ``also(connection)`` adds the
        caller's own rows to that transaction (`figtab serve` records the file as done with its document).
        Whatever stops it (an error, Ctrl-C) leaves none of them, and the connection ready for the run's end."""
        try:
            self.connection.begin()
            if result.document is not None:
                self._save_document(result, run_id)
            self._insert("failures", _FAILURE_COLUMNS, _failure_rows(result.all_failures, run_id))
            if also is not None:
                also(self.connection)
            self.connection.commit()
        except BaseException as exc:
            self.connection.rollback()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"cannot store {result.file}: {exc}") from exc
            raise

    def _save_document(self, result: DocumentResult, run_id: str) -> None:
        doc = result.document
        loaded = [page.page for page in result.pages if page.failure is None or page.failure.stage != "open"]
        # Plain inserts, after deleting what a document seen before left: DuckDB's ON CONFLICT and INSERT OR
        # REPLACE cost several times a plain insert, and most documents are new.
        if self.connection.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc.doc_id]).fetchall():
            self.connection.execute("DELETE FROM pages WHERE doc_id = ? AND page IN (SELECT unnest(?::INTEGER[]))",
                                    [doc.doc_id, [meta.page for meta in loaded]])
            self._delete_stale_figures(result, run_id)
        else:
            self.connection.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                                    [doc.doc_id, doc.file, doc.format, doc.n_bytes, doc.n_pages, _now()])
        self._insert("pages", _PAGE_COLUMNS, [[meta.doc_id, meta.page, meta.size.width, meta.size.height,
                                               meta.rotation, meta.has_text] for meta in loaded])
        ids = [(figure, figure_id(figure, index)) for page in result.pages for index, figure in enumerate(page.figures)]
        spent = any(figure.usage is not None for figure, _ in ids)
        self._insert("figures", _FIGURE_COLUMNS + _USAGE_COLUMNS if spent else _FIGURE_COLUMNS,
                     [_figure_row(figure, fid, run_id, spent) for figure, fid in ids])
        self._insert("table_cells", _CELL_COLUMNS, [row for figure, fid in ids for row in _cell_rows(figure, fid)])
        self._insert("chart_points", _POINT_COLUMNS, [row for figure, fid in ids for row in _point_rows(figure, fid)])

    def _delete_stale_figures(self, result: DocumentResult, run_id: str) -> None:
        keys = sorted({(page.page.page, *key) for page in result.pages
                       for key in [(page.backend, page.model), *((f.backend, f.model) for f in page.figures)]}, key=str)
        if not keys:
            return
        pages, backends, models = (list(column) for column in zip(*keys))
        stale: dict[str, list[str]] = {}
        for fid, kind in self.connection.execute(
                _DELETE_STALE_FIGURES, [pages, backends, models, run_id, result.document.doc_id]).fetchall():
            stale.setdefault(_PAYLOAD_TABLES[kind], []).append(fid)
        for table, ids in stale.items():
            self.connection.execute(f"DELETE FROM {table} WHERE figure_id IN (SELECT unnest(?::VARCHAR[]))", [ids])

    def _insert(self, table: str, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]) -> None:
        """All ``rows`` in one statement: each column goes in as one list parameter, unnested side by side."""
        if not rows:
            return
        self.connection.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT "
                                f"{', '.join(['unnest(?)'] * len(columns))}", [list(column) for column in zip(*rows)])


def _figure_row(figure: Figure, fid: str, run_id: str, spent: bool) -> list[Any]:
    """The figure's values for `_FIGURE_COLUMNS`, and for `_USAGE_COLUMNS` when ``spent``."""
    bbox = figure.bbox.as_list() if figure.bbox is not None else None
    row = [fid, figure.doc_id, figure.file, figure.page, figure.kind, figure.backend, figure.model, figure.valid,
           figure.errors, figure.title, bbox, figure.model_dump_json(), run_id]
    if spent:
        usage = figure.usage
        row += [getattr(usage, name) for name in USAGE_COUNTS] + [usage.cost_usd] if usage else [None] * 6
    return row


def _cell_rows(figure: Figure, fid: str) -> list[list[Any]]:
    if figure.table is None:
        return []
    header = figure.table.header_rows
    return [[fid, r, c, text, parse_number(text), r < header]
            for r, row in enumerate(figure.table.rows) for c, text in enumerate(row)]


def _point_rows(figure: Figure, fid: str) -> list[list[Any]]:
    if figure.chart is None:
        return []
    return [[fid, series.name, _x_text(point.x), point.x if isinstance(point.x, float) else None, point.y]
            for series in figure.chart.series for point in series.points]


def _failure_rows(failures: list[Failure], run_id: str) -> list[list[Any]]:
    now = _now()
    return [[run_id, f.file, f.doc_id, f.page, f.stage, f.error, f.message, now] for f in failures]


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
