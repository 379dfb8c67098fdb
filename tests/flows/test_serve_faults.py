"""Faults in a `process-drop` run: a backend that raises, a file that vanishes, a database another process holds,
and reading on a local Dask cluster. Each bad input ends as a `failures` row; the run and the next ones go on.
Also: the ledger and `runs` are keyed on the model the backend actually used."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from figtab.extractors import Extractor, ExtractorOptions, register
from figtab.extractors.registry import unregister
from figtab.flows.serve import process_drop, retry_failed
from figtab.flows.store import run_query
from figtab.schemas import StoreError
from figtab.tiling import SourcePage

pytestmark = pytest.mark.slow


class Broken(Extractor):
    """A backend whose every page raises, like a model server that answers 500."""

    name = "broken"

    def extract(self, page: SourcePage) -> list:
        raise RuntimeError("the model server answered 500")


class Defaulted(Extractor):
    """A backend that picks its own model when none is given, like anthropic's default model; reads nothing."""

    name = "defaulted"

    def __init__(self, options: ExtractorOptions) -> None:
        self.model = options.model or "default-model-7"

    def extract(self, page: SourcePage) -> list:
        return []


@pytest.fixture
def test_backends():
    """The two backends above, registered for one test only."""
    register("broken", lambda options: Broken())
    register("defaulted", Defaulted)
    yield
    unregister("broken")
    unregister("defaulted")


def settled_copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    then = time.time() - 60
    os.utime(target, (then, then))
    return target


def test_a_backend_that_raises_is_a_failure_row_and_the_next_run_reads_the_file_again(prefect_server, tmp_path,
                                                                                        sample_pdf, test_backends):
    inbox, db = tmp_path / "inbox", str(tmp_path / "drop.duckdb")
    settled_copy(sample_pdf, inbox / "a.pdf")
    report = process_drop(str(inbox), db, backend="broken", settle=0)
    assert (report.read, report.failed, report.retrying) == (1, 0, 1)
    failures = run_query(db, "SELECT page, stage, error, message FROM failures ORDER BY page").rows
    assert failures == [(page, "extract", "RuntimeError", "the model server answered 500") for page in (1, 2, 3)]
    assert run_query(db, "SELECT count(*) FROM drop_files").rows == [(0,)]  # transient: not marked done
    assert process_drop(str(inbox), db, backend="broken", settle=0).retrying == 1
    assert run_query(db, "SELECT count(DISTINCT run_id) FROM failures").rows == [(2,)]


def test_a_file_that_cannot_be_read_is_failed_for_good_until_retry_failed(prefect_server, tmp_path, bad_inputs):
    inbox, db = tmp_path / "inbox", str(tmp_path / "drop.duckdb")
    settled_copy(bad_inputs["corrupt"], inbox / "bad.pdf")
    report = process_drop(str(inbox), db, backend="native", settle=0)
    assert (report.read, report.failed, report.retrying) == (1, 1, 0)
    assert process_drop(str(inbox), db, backend="native", settle=0).read == 0  # not retried on every run
    assert retry_failed(db, "native", None) == 1
    assert process_drop(str(inbox), db, backend="native", settle=0).failed == 1


def test_the_ledger_and_the_run_are_keyed_on_the_model_the_backend_used(prefect_server, tmp_path, sample_pdf,
                                                                         test_backends):
    inbox, db = tmp_path / "inbox", str(tmp_path / "drop.duckdb")
    settled_copy(sample_pdf, inbox / "a.pdf")
    assert process_drop(str(inbox), db, backend="defaulted", settle=0).stored == 1
    assert run_query(db, "SELECT model, status FROM drop_files").rows == [("default-model-7", "stored")]
    assert run_query(db, "SELECT model, n_files, finished_at IS NOT NULL FROM runs").rows == [
        ("default-model-7", 1, True)]
    assert process_drop(str(inbox), db, backend="defaulted", model="default-model-7", settle=0).read == 0
    assert process_drop(str(inbox), db, backend="defaulted", model="other-model", settle=0).read == 1


def test_a_file_deleted_after_the_listing_is_a_failure_row(prefect_server, tmp_path, sample_pdf):
    from figtab.flows.drop import plan, scan
    from figtab.flows.ledger import Done
    from figtab.flows.serve import read_documents

    inbox = tmp_path / "inbox"
    path = settled_copy(sample_pdf, inbox / "a.pdf")
    item = plan(scan(inbox), Done(), time.time_ns(), 0).todo[0]
    path.unlink()
    [result] = read_documents.fn([str(item.seen.path)], "native", None, 144)
    assert [(f.stage, f.message) for f in result.all_failures] == [("open", "no such file")]


HOLD_DB = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


def test_a_database_held_by_another_process_fails_the_run_clearly_and_the_next_run_reads_the_files(
        prefect_server, tmp_path, sample_pdf):
    inbox, db = tmp_path / "inbox", str(tmp_path / "drop.duckdb")
    settled_copy(sample_pdf, inbox / "a.pdf")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DB, db], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreError, match="locked by another process"):
            process_drop(str(inbox), db, backend="native", settle=0)
    finally:
        holder.kill()
        holder.wait(30)
    report = process_drop(str(inbox), db, backend="native", settle=0)
    assert (report.read, report.stored) == (1, 1)


def test_reading_on_a_local_dask_cluster_stores_the_same_rows(prefect_server, tmp_path, sample_pdf, bad_inputs):
    pytest.importorskip("prefect_dask")
    inbox = tmp_path / "inbox"
    for name, source in [("a.pdf", sample_pdf), ("b/corrupt.pdf", bad_inputs["corrupt"])]:
        settled_copy(source, inbox / name)
    on_dask, on_threads = str(tmp_path / "dask.duckdb"), str(tmp_path / "threads.duckdb")
    report = process_drop(str(inbox), on_dask, backend="native", workers=2, dask="local", settle=0)
    assert (report.read, report.stored, report.failed) == (2, 1, 1)
    process_drop(str(inbox), on_threads, backend="native", workers=2, settle=0)
    for sql in ("SELECT doc_id, page, payload::VARCHAR FROM figures ORDER BY ALL",
                "SELECT file, stage, message FROM failures ORDER BY ALL"):
        assert run_query(on_dask, sql).rows == run_query(on_threads, sql).rows


def test_archive_moves_stored_files_after_commit_and_leaves_failed_ones(prefect_server, tmp_path, sample_pdf,
                                                                          bad_inputs):
    inbox, done, db = tmp_path / "inbox", tmp_path / "inbox" / "done", str(tmp_path / "drop.duckdb")
    settled_copy(sample_pdf, inbox / "q3" / "a.pdf")
    settled_copy(sample_pdf, inbox / "a-again.pdf")  # same bytes: read once, both archived
    settled_copy(bad_inputs["corrupt"], inbox / "bad.pdf")
    report = process_drop(str(inbox), db, backend="native", archive_dir=str(done), settle=0)
    assert (report.read, report.stored, report.failed, report.archived) == (2, 1, 1, 2)
    assert sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*.pdf")) == [
        "bad.pdf", "done/a-again.pdf", "done/q3/a.pdf"]
    assert run_query(db, "SELECT count(*) FROM documents").rows == [(1,)]
    again = process_drop(str(inbox), db, backend="native", archive_dir=str(done), settle=0)
    assert (again.read, again.archived) == (0, 0)
