"""The `process-drop` flow and `figtab serve`: read a drop folder's new files on a schedule, each exactly once.

One flow run lists the folder (`figtab.flows.drop`), reads the new contents in `read-documents` tasks in bounded
parallel (threads, or a Dask cluster with the `dask` extra), and stores the results through one writer, the flow
run itself: each document in one transaction together with its `drop_files` row (`figtab.flows.ledger`), so a
run killed at any point leaves whole documents only and the next run redoes exactly what was not committed.
A lock file beside the database keeps two runs from working on it at once.
"""

from __future__ import annotations

import functools
import hashlib
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from figtab.extractors import Extractor, ExtractorOptions, backend_names, get_extractor
from figtab.flows import ledger
from figtab.flows.drop import Item, archive, plan, scan
from figtab.flows.pipeline import extract_file, failure_from
from figtab.flows.prefect_server import exclusive_lock
from figtab.flows.runner import RunSummary
from figtab.flows.store import Store, connect
from figtab.schemas import DocumentResult, StoreError, UsageError

BATCH_WINDOW = 1.0  # seconds the writer waits for more finished documents before it opens the database
TASKS_PER_WORKER = 8  # a large drop is cut into about this many tasks per worker, so slow files even out
MAX_FILES_PER_TASK = 16  # a task's results are committed together, so keep it small


@dataclass
class DropReport:
    """What one `process-drop` run did (its return value, shown in the Prefect UI)."""

    read: int = 0
    stored: int = 0
    failed: int = 0  # for good: reading again would fail the same way (see `ledger.status`)
    retrying: int = 0  # a transient failure (a timeout, an overloaded server): the next run reads them again
    figures: int = 0
    archived: int = 0
    waiting: int = 0
    busy: bool = False  # another run held the database, so this one did nothing


_BUILDING = threading.Lock()


def _extractor(backend: str, model: str | None, dpi: float) -> Extractor:
    """One backend per worker process, so a model is loaded once, not once per file; the lock keeps the
    threads of a run from each building (and loading the weights of) their own copy at the same time."""
    with _BUILDING:
        return _built_extractor(backend, model, dpi)


@functools.lru_cache(maxsize=4)
def _built_extractor(backend: str, model: str | None, dpi: float) -> Extractor:
    return get_extractor(backend, ExtractorOptions(model=model, dpi=dpi))


def _model_used(backend: str, model: str | None, dpi: float) -> str | None:
    """The ledger's and the run's model: the one the backend resolved (anthropic's default, the PaliGemma path),
    else the one given (`auto` does not say which model its model backend uses)."""
    return _extractor(backend, model, dpi).model or model


@task(name="read-documents", cache_policy=NO_CACHE, persist_result=False)
def read_documents(files: list[str], backend: str, model: str | None, dpi: float) -> list[DocumentResult]:
    """Every figure in each file, read by the stage functions `figtab extract` uses; stores nothing."""
    extractor = _extractor(backend, model, dpi)
    return [extract_file(file, extractor) for file in files]


def task_batches(items: list[Item], workers: int) -> list[list[Item]]:
    """Files per task: one each in a small drop; several in a large one, so that Prefect's cost per task run
    (milliseconds: `python -m bench.drop`) is shared by files that take about as long to read."""
    size = min(MAX_FILES_PER_TASK, max(1, len(items) // (workers * TASKS_PER_WORKER)))
    return [items[start:start + size] for start in range(0, len(items), size)]


@flow(name="process-drop", persist_result=False)
def process_drop(drop_dir: str, db: str, backend: str = "auto", model: str | None = None, dpi: float = 144,
                 archive_dir: str | None = None, workers: int = 4, dask: str | None = None,
                 settle: float = 2.0) -> DropReport:
    """Read the files of ``drop_dir`` not yet done for this backend and model into ``db``, each content once.

    ``dask``: None reads in ``workers`` threads; ``"local"`` on a local Dask cluster of ``workers`` processes;
    a scheduler address (``tcp://host:8786``) on that cluster. ``settle``: seconds a file must be left unchanged.
    """
    logger = get_run_logger()
    folder, archive_to = Path(drop_dir), Path(archive_dir) if archive_dir else None
    with _writer_lock(db) as held:
        if not held:
            logger.info("another process-drop run is working on %s; this one stops", db)
            return DropReport(busy=True)
        used = _model_used(backend, model, dpi)
        drop = plan(scan(folder, archive_to), _done(db, backend, used), time.time_ns(), settle)
        report = DropReport(waiting=len(drop.waiting))
        if archive_to is not None:
            report.archived += _archive_all(drop.finished, folder, archive_to, logger)
        if drop.todo:
            logger.info("%d new files in %s (%d still being written)", len(drop.todo), folder, len(drop.waiting))
            writer = Writer(db, backend, used, folder, archive_to, logger)
            with task_runner(workers, dask) as runner:
                parameters = {"backend": backend, "model": model, "dpi": dpi}
                futures = {runner.submit(read_documents, {"files": [str(item.seen.path) for item in batch],
                                                          **parameters}): batch
                           for batch in task_batches(drop.todo, workers)}
                writer.write(futures, report)
    return report


def task_runner(workers: int, dask: str | None) -> TaskRunner:
    """Threads in this process, or Prefect's `DaskTaskRunner` on a local or remote Dask cluster."""
    if dask is None:
        return ThreadPoolTaskRunner(max_workers=workers)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise UsageError("--dask needs the dask extra: pip install 'figtab[dask]'") from exc
    if dask == "local":
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return DaskTaskRunner(address=dask)


class Writer:
    """The one writer: stores results in small batches as they finish, one transaction per document."""

    def __init__(self, db: str, backend: str, model: str | None, folder: Path, archive_to: Path | None,
                 logger: Any) -> None:
        self.db, self.backend, self.model = db, backend, model
        self.folder, self.archive_to, self.logger = folder, archive_to, logger
        self.summary: RunSummary | None = None  # the `runs` row, once the first batch opened the database

    def write(self, futures: dict[PrefectFuture, list[Item]], report: DropReport) -> None:
        """Store every future's result as it finishes; the database is opened once per batch, not per file."""
        finished: queue.Queue[PrefectFuture] = queue.Queue()
        for future in futures:
            future.add_done_callback(finished.put)
        left, lost = len(futures), []
        try:
            while left:
                batch = _take_batch(finished, left)
                left -= len(batch)
                items = [pair for future in batch for pair in _results_of(future, futures[future])]
                try:
                    stored = self._store(items, report)
                except StoreError as exc:  # the database would not open: these files stay new for the next run
                    self.logger.error("not stored, read again on the next run: %s (%s)",
                                      ", ".join(str(item.seen.path) for item, _ in items), exc)
                    lost.append(exc)
                    continue
                if self.archive_to is not None:  # failed files stay for `--retry-failed` or a fixed copy
                    report.archived += _archive_all([p for item in stored for p in item.paths], self.folder,
                                                    self.archive_to, self.logger)
        finally:  # in its own transaction, so a last batch the database refused still closes the run
            self._finish()
        if lost:
            raise lost[-1]

    def _store(self, items: list[tuple[Item, DocumentResult]], report: DropReport) -> list[Item]:
        stored = []
        with Store(self.db) as store:
            ledger.create(store.connection)
            if self.summary is None:
                self.summary = RunSummary(store.start_run(self.backend, self.model))
            run_id = self.summary.run_id
            for item, result in items:
                doc_id, file = result.document.doc_id if result.document else item.doc_id, str(item.seen.path)
                earlier = ledger.failed_runs(store.connection, doc_id, file, self.backend, self.model) \
                    if result.all_failures else 0
                status = ledger.status(result.all_failures, earlier)
                record = None if status is None else functools.partial(
                    ledger.record, doc_id=doc_id, backend=self.backend, model=self.model, file=file,
                    n_bytes=item.seen.n_bytes, mtime_ns=item.seen.mtime_ns, failed=status == "failed", run_id=run_id)
                try:
                    store.save(result, run_id, also=record)
                except StoreError as exc:
                    self.logger.error("not stored, read again on the next run: %s", exc)
                    continue
                if status == "stored":
                    stored.append(item)
                report.read += 1
                report.figures += len(result.figures)
                report.stored += status == "stored"
                report.failed += status == "failed"
                report.retrying += status is None
                self.summary.add(result)
                self._log(item, result, status)
        return stored

    def _finish(self) -> None:
        if self.summary is None:
            return
        summary = self.summary
        try:
            with Store(self.db) as store:
                store.finish_run(summary.run_id, summary.n_files, summary.n_figures, len(summary.failures),
                                 summary.usage)
        except StoreError as exc:
            self.logger.error("could not close run %s in the runs table: %s", summary.run_id, exc)

    def _log(self, item: Item, result: DocumentResult, status: str | None) -> None:
        if result.all_failures:
            first = result.all_failures[0]
            how = "failed" if status == "failed" else "failed for now (read again on the next run)"
            self.logger.warning("%s %s: %s: %s", how, item.seen.path, first.stage, first.message)
        else:
            self.logger.info("stored %s: %d figures", item.seen.path, len(result.figures))


def _take_batch(finished: queue.Queue, left: int) -> list[PrefectFuture]:
    """The next finished future, and whatever else finishes within `BATCH_WINDOW` of it."""
    batch = [finished.get()]
    deadline = time.monotonic() + BATCH_WINDOW
    while len(batch) < left and (remaining := deadline - time.monotonic()) > 0:
        try:
            batch.append(finished.get(timeout=remaining))
        except queue.Empty:
            break
    return batch


def _results_of(future: PrefectFuture, items: list[Item]) -> list[tuple[Item, DocumentResult]]:
    """Each file's result; a task that crashed (a bug, a lost Dask worker) becomes a failure row per file."""
    try:
        return list(zip(items, future.result(), strict=True))
    except Exception as exc:
        return [(item, DocumentResult(file=str(item.seen.path),
                                      failures=[failure_from(exc, str(item.seen.path), item.doc_id)]))
                for item in items]


def _done(db: str, backend: str, model: str | None) -> ledger.Done:
    if not Path(db).exists():
        return ledger.Done()
    connection = connect(db, read_only=True)
    try:
        return ledger.done(connection, backend, model)
    finally:
        connection.close()


def _archive_all(paths: list[Path], folder: Path, archive_to: Path, logger: Any) -> int:
    moved = 0
    for path in paths:
        try:
            archive(path, folder, archive_to)
            moved += 1
        except OSError as exc:  # stays in the drop folder; the next run finds it finished and tries again
            logger.warning("could not archive %s: %s", path, exc)
    return moved


@contextmanager
def _writer_lock(db: str) -> Iterator[bool]:
    """True while this process alone works on ``db`` (released by the kernel if the process is killed)."""
    stream = exclusive_lock(Path(f"{db}.serve-lock"))
    try:
        yield stream is not None
    finally:
        if stream is not None:
            stream.close()


def deployment_name(drop_dir: Path) -> str:
    """One deployment per drop folder: its name plus a short hash of its absolute path."""
    path = str(drop_dir.resolve())
    return f"{Path(path).name or 'root'}-{hashlib.sha256(path.encode()).hexdigest()[:6]}"


def serve(drop_dir: Path, db: str, backend: str = "auto", model: str | None = None, every: float | None = None,
          cron: str | None = None, archive_dir: Path | None = None, workers: int = 4, dask: str | None = None,
          on_ready: Callable[[str, str], None] | None = None) -> None:
    """Serve the `process-drop` deployment for ``drop_dir`` until interrupted (Ctrl-C, SIGTERM).

    Runs on ``$PREFECT_API_URL``, else on a Prefect server started here and stopped on the way out.
    ``on_ready(deployment, ui_url)`` is called once the server is up.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_RUNNER_POLL_FREQUENCY, PREFECT_UI_URL, temporary_settings
    from prefect.types.entrypoint import EntrypointType

    from figtab.flows.prefect_server import prefect_api

    if not drop_dir.is_dir():
        raise UsageError(f"{drop_dir} is not a folder")
    if backend not in backend_names():
        raise UsageError(f"unknown backend {backend!r}; known backends: {', '.join(backend_names())}")
    if cron is not None:
        _check_cron(cron)
    _check_dask(dask, workers)
    name = deployment_name(drop_dir)
    parameters = {"drop_dir": str(drop_dir.resolve()), "db": str(Path(db).resolve()), "backend": backend,
                  "model": model, "archive_dir": str(archive_dir.resolve()) if archive_dir else None,
                  "workers": workers, "dask": dask}
    poll = max(1, min(10, int(every))) if every else 10  # the runner looks for due runs this often
    with prefect_api() as api_url, temporary_settings({PREFECT_API_URL: api_url, PREFECT_RUNNER_POLL_FREQUENCY: poll}):
        if on_ready is not None:
            on_ready(f"process-drop/{name}", PREFECT_UI_URL.value() or api_url.removesuffix("/api"))
        # One run at a time from this runner (a run due while another works waits for it). Not a deployment
        # concurrency limit: its slot stays taken for minutes when a run is killed, and `_writer_lock` already
        # keeps runs from other processes off the same database.
        process_drop.serve(name=name, interval=every, cron=cron, parameters=parameters, print_starting_message=False,
                           limit=1, entrypoint_type=EntrypointType.MODULE_PATH)


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        raise UsageError(f"--cron {cron!r} is not a cron schedule, e.g. '*/5 * * * *'") from exc


def _check_dask(dask: str | None, workers: int) -> None:
    """Refuse at once, not in every scheduled run, a `--dask` without the dask extra or without a scheduler."""
    task_runner(workers, dask)
    if dask in (None, "local"):
        return
    from distributed.comm import get_address_host_port

    try:
        host, port = get_address_host_port(dask)
        socket.create_connection((host, port), timeout=10).close()
    except (OSError, ValueError) as exc:
        raise UsageError(f"--dask {dask}: no Dask scheduler answers there ({exc})") from exc


def retry_failed(db: str, backend: str, model: str | None) -> int:
    """Let the next run read again the files that failed for ``backend`` and ``model``; returns how many."""
    if not Path(db).exists():
        return 0
    used = _model_used(backend, model, 144)
    with Store(db) as store:
        return ledger.forget_failed(store.connection, backend, used)
