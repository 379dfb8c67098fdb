"""The Python API: the verbs of the CLI as functions, returning schema objects instead of printing them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from figtab.extractors import ExtractorOptions
from figtab.flows.runner import extract_files
from figtab.flows.store import connect as open_database
from figtab.flows.store import default_db
from figtab.schemas import DocumentResult, Failure, Figure, UsageError


@dataclass
class Extraction:
    """What `extract` found: the figures (iterate over it like a list) and the failures, as data."""

    figures: list[Figure] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    run_id: str | None = None

    def __iter__(self) -> Iterator[Figure]:
        return iter(self.figures)

    def __len__(self) -> int:
        return len(self.figures)

    def __getitem__(self, index: int) -> Figure:
        return self.figures[index]

    @property
    def ok(self) -> bool:
        """True when every input was read without a failure."""
        return not self.failures


def extract(paths: str | Path | Iterable[str | Path], backend: str = "auto", pages: Iterable[int] | None = None,
            db: str | Path | None = None, model: str | None = None, dpi: float = 144, workers: int = 1) -> Extraction:
    """Every table and chart in ``paths`` (files or folders), kept in memory, or also stored when ``db`` is given.

    A file or page that cannot be read is a `Failure` in the result, never an exception that loses the others;
    an unknown backend or a bad option raises `UsageError` before any file is read. ``pages`` are 1-based.
    ``workers`` > 1 reads that many documents at a time in worker processes; the figures come back the same,
    in the same order.
    """
    if workers < 1:
        raise UsageError(f"workers must be at least 1, got {workers}")
    files = [str(paths)] if isinstance(paths, (str, Path)) else [str(path) for path in paths]
    results: list[DocumentResult] = []
    summary = extract_files(files, None if db is None else str(db), backend, ExtractorOptions(model=model, dpi=dpi),
                            None if pages is None else sorted(set(pages)), on_result=results.append, workers=workers)
    return Extraction(figures=[figure for result in results for figure in result.figures],
                      failures=summary.failures, run_id=summary.run_id if db is not None else None)


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection on the results (``$FIGTAB_DB``, else ``./figtab.duckdb``).

    ``.sql(...)`` then ``.df()``, ``.pl()`` or ``.arrow()`` come from DuckDB itself. A missing database or one
    locked by a writer raises `StoreError`.
    """
    return open_database(str(db) if db is not None else default_db(), read_only=True)
