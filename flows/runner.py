"""Run an extraction over many files: through Prefect when an API is configured, else in this process or in
worker processes that hand their results to this one, the only writer.

Every path calls the same stage functions and the same store, so they give the same figures; the in-process
path skips Prefect's import and server start-up, which dominate a one-off run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.flows.collection import fewer_collections
from figtab.flows.interrupts import interrupt_after
from figtab.flows.pipeline import PageCallback, extract_file, with_failure
from figtab.flows.store import Store
from figtab.schemas import DocumentResult, Failure, StoreError, Usage

ResultCallback = Callable[[DocumentResult], None]


def prefect_configured() -> bool:
    """True when ``PREFECT_API_URL`` names a Prefect server to report flow runs to."""
    return bool(os.environ.get("PREFECT_API_URL"))


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Paths as given, with each folder replaced by the files below it (sorted, hidden ones skipped).

    Every file in a folder is attempted, so one that is not a PDF or an image shows up as a failure rather than
    vanishing; a path that does not exist is kept and fails with its own message.
    """
    expanded: list[str] = []
    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            expanded.append(path)
            continue
        expanded.extend(str(file) for file in sorted(folder.rglob("*")) if file.is_file()
                        and not any(part.startswith(".") for part in file.relative_to(folder).parts))
    return expanded


@dataclass
class RunSummary:
    run_id: str
    n_files: int = 0
    n_figures: int = 0
    failures: list[Failure] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)

    def add(self, result: DocumentResult) -> None:
        """Count one document's figures, failures and model usage."""
        self.n_files += 1
        self.n_figures += len(result.figures)
        self.failures.extend(result.all_failures)
        self.usage = self.usage + result.usage if result.usage is not None else self.usage


def extract_files(files: Iterable[str], db: str | None, backend: str = "auto",
                  options: ExtractorOptions | None = None, pages: list[int] | None = None,
                  use_prefect: bool | None = None, on_result: ResultCallback | None = None,
                  on_page: PageCallback | None = None, workers: int | None = 1) -> RunSummary:
    """Extract every file (and every file in a folder) into ``db``; each document is stored as soon as it is done.

    With ``db=None`` nothing is stored (the Python API's in-memory mode). ``workers`` processes read documents at
    the same time (None: one per CPU) while this process stays the one writer, through one connection for the
    whole run; results arrive in the order the files were given. ``on_result`` sees each document's result (to
    print it); ``on_page(done, total)`` reports page progress (of the document, or of the run when workers
    share it). Unknown backends raise `UsageError` before any file is touched.
    """
    options = options or ExtractorOptions()
    extractor = get_extractor(backend, options)
    use_prefect = db is not None and (prefect_configured() if use_prefect is None else use_prefect)
    files = expand_paths(files)
    n_workers = min(workers or os.cpu_count() or 1, len(files))
    with Store(db) if db is not None else nullcontext() as store, fewer_collections():
        model = extractor.model or options.model  # the one it resolved (anthropic's default), else the one given
        summary = RunSummary(run_id=store.start_run(backend, model) if store else uuid.uuid4().hex)
        if use_prefect:
            results = _through_prefect(files, db, backend, options, pages, summary.run_id)
        elif n_workers > 1:
            from figtab.flows.parallel import extract_in_processes  # multiprocessing only for a run that uses it

            results = extract_in_processes(files, backend, options, pages, n_workers, on_page)
        else:
            results = (extract_file(file, extractor, pages, on_page=on_page) for file in files)
        try:
            with closing(results):
                for result in results:
                    with interrupt_after():  # stored and counted together: the run's record matches its rows
                        if store is not None and not use_prefect:
                            result = _stored(result, store, summary.run_id)
                        summary.add(result)
                    if on_result is not None:
                        on_result(result)
        finally:  # an interrupted run still records what it stored
            if store is not None:
                store.finish_run(summary.run_id, summary.n_files, summary.n_figures, len(summary.failures),
                                 summary.usage)
    return summary


def _through_prefect(files: list[str], db: str, backend: str, options: ExtractorOptions, pages: list[int] | None,
                     run_id: str) -> Iterator[DocumentResult]:
    """One `extract-document` flow run per file; the flow stores its document itself."""
    from figtab.flows.extract_flow import extract_document

    for file in files:
        yield extract_document(file, db, backend=backend, model=options.model, dpi=options.dpi, pages=pages,
                               run_id=run_id)


def _stored(result: DocumentResult, store: Store, run_id: str) -> DocumentResult:
    """Save ``result``; when the database cannot take it, the result comes back with a store failure."""
    try:
        store.save(result, run_id)
    except StoreError as exc:
        return with_failure(result, exc)
    return result
