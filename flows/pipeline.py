"""The pipeline as plain functions: file -> open (fingerprint) -> pages -> extract -> validate -> result.

Prefect tasks wrap these same functions (`figtab.flows.extract_flow`); the CLI calls them directly when no Prefect API
is configured. Nothing here raises for a bad input: a failure becomes a `Failure` in the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from figtab.extractors import Extractor
from figtab.extractors.metering import metered
from figtab.schemas import DocumentResult, ExtractorError, Failure, FigtabError, Figure, PageResult
from figtab.tiling import OpenedDocument, close_document, open_file

PageCallback = Callable[[int, int], None]


def failure_from(exc: Exception, file: str, doc_id: str | None = None, page: int | None = None) -> Failure:
    """A failure row for ``exc``; errors figtab did not expect keep their class name and message."""
    stage = exc.stage if isinstance(exc, FigtabError) else "extract"
    message = str(exc) or exc.__class__.__name__
    return Failure(file=file, doc_id=doc_id, page=page, stage=stage, error=exc.__class__.__name__, message=message)


def with_failure(result: DocumentResult, exc: Exception) -> DocumentResult:
    """``result`` with one more document-level failure, e.g. a database that would not take it."""
    doc_id = result.document.doc_id if result.document else None
    return result.model_copy(update={"failures": [*result.failures, failure_from(exc, result.file, doc_id)]})


def extract_page(opened: OpenedDocument, number: int, extractor: Extractor) -> PageResult:
    """Run ``extractor`` on one page; a page that cannot be read or extracted yields a failure, not an exception."""
    document = opened.document
    try:
        page = opened.load(number)
    except FigtabError as exc:
        meta = opened.placeholder(number)
        return PageResult(page=meta, backend=extractor.name, model=extractor.model,
                          failure=failure_from(exc, document.file, document.doc_id, number))
    with metered() as meter:  # model requests count even when the page yields nothing or fails
        try:
            figures = extractor.extract(page)
        except Exception as exc:  # one page's failure must not cost the document, nor what was read before it
            partial = exc.figures if isinstance(exc, ExtractorError) else []
            return PageResult(page=page.meta, backend=extractor.name, model=extractor.model, figures=partial,
                              failure=failure_from(exc, document.file, document.doc_id, number), usage=meter.total)
    backend, model = (figures[0].backend, figures[0].model) if figures else (extractor.name, extractor.model)
    return PageResult(page=page.meta, backend=backend, model=model, figures=figures, usage=meter.total)


def begin_document(opened: OpenedDocument, pages: Iterable[int] | None) -> DocumentResult:
    """An empty result for ``opened``, with a failure for each selected page the document does not have."""
    document, selected = opened.document, None if pages is None else list(pages)
    missing = sorted(set(selected or ()) - set(opened.page_numbers(selected)))
    failures = [Failure(file=document.file, doc_id=document.doc_id, page=number, stage="open", error="InputError",
                        message=f"page {number} does not exist: the document has {document.n_pages} pages")
                for number in missing]
    return DocumentResult(file=document.file, document=document, failures=failures)


def finish_document(result: DocumentResult, extractor: Extractor) -> DocumentResult:
    """Give the backend its whole-document pass and put each figure back on the page it now belongs to.

    If that pass fails, the pages keep the figures read from them and the document records the failure.
    """
    try:
        figures = extractor.finish_document(result.figures)
    except Exception as exc:
        return with_failure(result, exc)
    by_page: dict[int, list[Figure]] = {}
    for figure in figures:
        by_page.setdefault(figure.page, []).append(figure)
    pages = [page.model_copy(update={"figures": by_page.get(page.page.page, [])}) for page in result.pages]
    return result.model_copy(update={"pages": pages})


@dataclass(frozen=True)
class Stages:
    """The stage functions `extract_file` calls; the Prefect flow passes its task-wrapped versions."""

    open: Callable[[str], OpenedDocument] = open_file
    page: Callable[[OpenedDocument, int, Extractor], PageResult] = extract_page
    finish: Callable[[DocumentResult, Extractor], DocumentResult] = finish_document


def extract_file(file: str, extractor: Extractor, pages: Iterable[int] | None = None,
                 on_page: PageCallback | None = None, stages: Stages = Stages()) -> DocumentResult:
    """Every figure in one file, streaming its pages; ``on_page(done, total)`` reports progress."""
    selected = None if pages is None else list(pages)
    try:
        opened = stages.open(file)
    except FigtabError as exc:
        return DocumentResult(file=file, failures=[failure_from(exc, file)])
    try:
        result = begin_document(opened, selected)
        numbers = opened.page_numbers(selected)
        for done, number in enumerate(numbers, start=1):
            result.pages.append(stages.page(opened, number, extractor))
            if on_page is not None:
                on_page(done, len(numbers))
        return stages.finish(result, extractor)
    finally:
        close_document(opened)

