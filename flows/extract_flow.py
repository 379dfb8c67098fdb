"""The `extract-document` Prefect flow: the pipeline's stage functions as tasks, one flow run per document.

Tasks pass live objects (an open PDF) between each other in one process, so caching and result persistence
are off. Only the store task retries, and only while the database is locked by another writer.
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from figtab.extractors import Extractor, ExtractorOptions, get_extractor
from figtab.flows.pipeline import Stages, extract_file, extract_page, finish_document, with_failure
from figtab.flows.store import Store
from figtab.schemas import DocumentResult, PageResult, StoreError
from figtab.tiling import OpenedDocument, open_file

MODEL_REQUESTS_TAG = "figtab-model-requests"  # `prefect concurrency-limit create figtab-model-requests 4` bounds them


def _store_is_locked(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry_condition_fn signature
    try:
        state.result()
    except StoreError as exc:
        return "locked" in str(exc)
    except Exception:
        return False
    return False


@task(name="open", cache_policy=NO_CACHE, persist_result=False)
def open_task(file: str) -> OpenedDocument:
    return open_file(file)


@task(name="extract-page", cache_policy=NO_CACHE, persist_result=False)
def extract_page_task(opened: OpenedDocument, number: int, extractor: Extractor) -> PageResult:
    return extract_page(opened, number, extractor)


@task(name="finish", cache_policy=NO_CACHE, persist_result=False)
def finish_task(result: DocumentResult, extractor: Extractor) -> DocumentResult:
    return finish_document(result, extractor)


@task(name="store", cache_policy=NO_CACHE, persist_result=False, retries=3, retry_delay_seconds=2,
      retry_condition_fn=_store_is_locked)
def store_task(result: DocumentResult, db: str, run_id: str | None, backend: str, model: str | None) -> None:
    with Store(db) as store:
        own_run = run_id is None
        run_id = run_id or store.start_run(backend, model)
        store.save(result, run_id)
        if own_run:
            store.finish_run(run_id, 1, len(result.figures), len(result.all_failures), result.usage)


@flow(name="extract-document", persist_result=False, log_prints=True)
def extract_document(file: str, db: str, backend: str = "auto", model: str | None = None, dpi: float = 144,
                     pages: list[int] | None = None, run_id: str | None = None) -> DocumentResult:
    """Extract every figure in ``file`` and store it in ``db``; a file that cannot be read is a failure row."""
    extractor = get_extractor(backend, ExtractorOptions(model=model, dpi=dpi))
    page_task = extract_page_task if backend == "native" else extract_page_task.with_options(tags={MODEL_REQUESTS_TAG})
    result = extract_file(file, extractor, pages, stages=Stages(open_task, page_task, finish_task))
    try:
        store_task(result, db, run_id, backend, model)
    except StoreError as exc:  # still locked after the retries: report it like any other failure
        result = with_failure(result, exc)
    return result
