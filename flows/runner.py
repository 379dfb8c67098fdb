"""Run an extraction over many files: through Prefect when an API is configured, else in this process.

Both paths call the same stage functions and the same store, so they give the same figures; the in-process
path skips Prefect's import and server start-up, which dominate a one-off run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from figtab.extractors import ExtractorOptions, get_extractor
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


def extract_files(files: Iterable[str], db: str | None, backend: str = "auto",
                  options: ExtractorOptions | None = None, pages: list[int] | None = None, use_prefect: bool | None = None,
                  on_result: ResultCallback | None = None, on_page: PageCallback | None = None) -> RunSummary:
    """Extract every file (and every file in a folder) into ``db``; each document is stored as soon as it is done.

    With ``db=None`` nothing is stored and the run happens in this process (the Python API's in-memory mode).
    ``on_result`` sees each document's result (to print it); ``on_page(done, total)`` reports page progress on
    the in-process path. Unknown backends raise `UsageError` before any file is touched.
    """
    options = options or ExtractorOptions()
    extractor = get_extractor(backend, options)
    use_prefect = db is not None and (prefect_configured() if use_prefect is None else use_prefect)
    summary = RunSummary(run_id=_start_run(db, backend, options.model))
    for file in expand_paths(files):
        if use_prefect:
            from figtab.flows.extract_flow import extract_document

            result = extract_document(file, db, backend=backend, model=options.model, dpi=options.dpi,
                                      pages=pages, run_id=summary.run_id)
        else:
            result = extract_file(file, extractor, pages, on_page=on_page)
            if db is not None:
                result = _stored(result, db, summary.run_id)
        summary.n_files += 1
        summary.n_figures += len(result.figures)
        summary.failures.extend(result.all_failures)
        summary.usage = sum((f.usage for f in result.figures if f.usage is not None), summary.usage)
        if on_result is not None:
            on_result(result)
    if db is not None:
        with Store(db) as store:
            store.finish_run(summary.run_id, summary.n_files, summary.n_figures, len(summary.failures),
                             summary.usage)
    return summary


def _start_run(db: str | None, backend: str, model: str | None) -> str:
    """A new run's id, recorded in ``runs`` when there is a database."""
    if db is None:
        return uuid.uuid4().hex
    with Store(db) as store:
        return store.start_run(backend, model)


def _stored(result: DocumentResult, db: str, run_id: str) -> DocumentResult:
    """Save ``result``; when the database cannot take it, the result comes back with a store failure."""
    try:
        with Store(db) as store:
            store.save(result, run_id)
    except StoreError as exc:
        return with_failure(result, exc)
    return result
