"""The Python API: the verbs of the CLI as functions, returning schema objects instead of printing them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from pydantic import ValidationError

from figtab.extractors import ExtractorOptions
from figtab.flows.runner import extract_files
from figtab.flows.store import connect as open_database
from figtab.flows.store import default_db
from figtab.schemas import DocumentResult, Failure, Figure, UsageError

MAX_PAGE = 100_000  # no PDF has more pages; a larger number is a typo, not a request


def page_range(first: int, last: int, given: object) -> range:
    """Pages ``first`` to ``last`` (1-based, inclusive), the one rule for pages in the API and the CLI: a bad
    one is a `UsageError` naming what was ``given``, never a failure row per page."""
    if first < 1 or last < first or last > MAX_PAGE:
        raise UsageError(f"pages are 1-based numbers up to {MAX_PAGE:,} (ranges like 1,3-5); got {given!r}")
    return range(first, last + 1)


def selected_pages(pages: Iterable[int]) -> list[int]:
    """``pages`` as a sorted list without repeats, checked by `page_range`."""
    if isinstance(pages, (str, bytes)) or not isinstance(pages, Iterable):
        raise UsageError(f"pages must be a list of 1-based page numbers, got {pages!r}")
    selection: set[int] = set()
    for page in pages:
        if not isinstance(page, int) or isinstance(page, bool):
            raise UsageError(f"pages must be whole numbers, got {page!r}")
        selection.update(page_range(page, page, page))
    if not selection:
        raise UsageError("pages selects no page")
    return sorted(selection)


def extractor_options(model: str | None, dpi: float) -> ExtractorOptions:
    """The backend options, a bad value a `UsageError` that says which."""
    try:
        return ExtractorOptions(model=model, dpi=dpi)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in exc.errors())
        raise UsageError(f"bad option: {problems}") from None


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
    options = extractor_options(model, dpi)
    selection = None if pages is None else selected_pages(pages)
    files = [str(paths)] if isinstance(paths, (str, Path)) else [str(path) for path in paths]
    results: list[DocumentResult] = []
    summary = extract_files(files, None if db is None else str(db), backend, options, selection,
                            on_result=results.append, workers=workers)
    return Extraction(figures=[figure for result in results for figure in result.figures],
                      failures=summary.failures, run_id=summary.run_id if db is not None else None)


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection on the results (``$FIGTAB_DB``, else ``./figtab.duckdb``).

    ``.sql(...)`` then ``.df()``, ``.pl()`` or ``.arrow()`` come from DuckDB itself. A missing database or one
    locked by a writer raises `StoreError`.
    """
    return open_database(str(db) if db is not None else default_db(), read_only=True)
