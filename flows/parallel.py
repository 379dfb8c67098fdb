"""Documents extracted in worker processes and handed back to the caller, who stores them as the one writer.

PyMuPDF objects do not pickle, so a worker gets a file path and sends back the document's `DocumentResult`
(pydantic, plain data). Results come back in the order the files were given, with at most ``2 x workers``
documents in flight, so memory stays bounded however many files there are. Workers ignore Ctrl-C: the parent
stops them, so an interrupted run leaves no stray process and no half-written row (the parent writes).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from figtab.extractors import Extractor, ExtractorOptions, get_extractor
from figtab.flows.collection import fewer_collections
from figtab.flows.pipeline import PageCallback, extract_file, failure_from
from figtab.schemas import DocumentResult, ExtractorError

_IN_FLIGHT_PER_WORKER = 2  # one being read, one queued: a worker never waits for the parent to hand it a file
_POLL_SECONDS = 0.1  # how often the parent looks at the workers' page counts while it waits for a document

_extractor: Extractor | None = None  # in a worker: built once by `_start_worker`, used for every document
_progress: Any = None  # in a worker: where it reports (file, pages done, pages in the document)


def extract_in_processes(files: Iterable[str], backend: str, options: ExtractorOptions, pages: list[int] | None,
                         workers: int, on_page: PageCallback | None = None) -> Iterator[DocumentResult]:
    """Each file's result, in the order given, read by ``workers`` processes.

    ``on_page(done, total)`` counts pages over the whole run (total: pages of the documents opened so far). A
    worker that dies (a crash in a PDF library, the out-of-memory killer) turns the documents it and its
    neighbours held into failures; a fresh pool reads the rest.
    """
    context = _context()
    progress = context.Queue()
    counts: dict[str, tuple[int, int]] = {}
    todo = iter(files)  # taken only as workers free up, so a long list (or a generator) is never held at once
    file: str | None = next(todo, None)
    while file is not None:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(backend, options, progress, dict(os.environ))) as pool:
            in_flight: deque[tuple[str, Future[DocumentResult]]] = deque()
            try:
                while file is not None or in_flight:
                    while file is not None and len(in_flight) < workers * _IN_FLIGHT_PER_WORKER:
                        in_flight.append((file, pool.submit(_extract, file, pages)))
                        file = next(todo, None)
                    head, future = in_flight[0]
                    while not wait([future], timeout=_POLL_SECONDS).done:
                        _report(progress, counts, on_page)
                    in_flight.popleft()
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:
                        for lost in [head, *(name for name, _ in in_flight)]:
                            yield _lost(lost, exc)
                        break  # this pool is gone; the next one takes the files not yet submitted
                    except Exception as exc:  # e.g. a result that would not pickle: the document's failure
                        result = DocumentResult(file=head, failures=[failure_from(exc, head)])
                    _report(progress, counts, on_page)
                    yield result
            except BaseException:  # Ctrl-C, or the caller stopped reading: no worker outlives the run
                for _, pending in in_flight:
                    pending.cancel()
                _terminate(pool)
                raise
    progress.close()


def _lost(file: str, exc: BaseException) -> DocumentResult:
    error = ExtractorError(f"the worker process reading it (or a document read beside it) stopped: {exc}; "
                           "run the file again, with --workers 1 to find the one at fault")
    return DocumentResult(file=file, failures=[failure_from(error, file)])


def _report(progress: Any, counts: dict[str, tuple[int, int]], on_page: PageCallback | None) -> None:
    """Take the workers' page counts off the queue and show the run's totals."""
    changed = False
    while True:
        try:
            file, done, total = progress.get_nowait()
        except queue.Empty:
            break
        counts[file], changed = (done, total), True
    if changed and on_page is not None:
        on_page(sum(done for done, _ in counts.values()), sum(total for _, total in counts.values()))


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported figtab once, so workers start in milliseconds; spawn where there is none.
    Plain fork is unsafe here: the parent runs DuckDB's and rich's threads."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now rather than after the documents they are reading."""
    pool.shutdown(wait=False, cancel_futures=True)
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _start_worker(backend: str, options: ExtractorOptions, progress: Any, environment: dict[str, str]) -> None:
    """Build the worker's backend under the caller's environment of now: the fork server kept the one it was
    started with, and backends read their settings (API keys, endpoints, model paths) from the environment."""
    global _extractor, _progress
    gc.freeze()  # figtab's modules, loaded by the fork server, stay for the worker's life: no need to scan them
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(environment)
    _extractor, _progress = get_extractor(backend, options), progress


def _extract(file: str, pages: list[int] | None) -> DocumentResult:
    assert _extractor is not None, "a worker reads documents only after `_start_worker`"
    with fewer_collections():
        return extract_file(file, _extractor, pages, on_page=lambda done, total: _progress.put((file, done, total)))
