"""The drop folder's discovery rules: what `figtab serve` reads, when, and what it leaves alone."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

from figtab.flows import ledger
from figtab.flows.drop import Seen, archive, plan, scan, settled, stable_fingerprint
from figtab.schemas import Failure
from figtab.tiling.documents import fingerprint

SETTLE = 2.0


def age(path: Path, seconds: float = 60) -> Path:
    """Backdate ``path`` so it counts as settled."""
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def names(seen: list[Seen], root: Path) -> list[str]:
    return [str(s.path.relative_to(root)) for s in seen]


def drop_of(folder: Path, done: ledger.Done | None = None, skip: Path | None = None):
    return plan(scan(folder, skip), done or ledger.Done(), time.time_ns(), SETTLE)


def test_scan_lists_regular_files_below_the_folder_and_skips_hidden_ones(tmp_path, sample_pdf):
    inbox = tmp_path / "inbox"
    (inbox / "q3" / "scans").mkdir(parents=True)
    (inbox / ".partial").mkdir()
    shutil.copy(sample_pdf, inbox / "a.pdf")
    shutil.copy(sample_pdf, inbox / "q3" / "scans" / "b.pdf")
    (inbox / ".c.pdf.part").write_bytes(b"%PDF-1.7 half")
    (inbox / ".partial" / "d.pdf").write_bytes(b"%PDF-1.7 half")
    (inbox / "notes.txt").write_text("not a PDF, still a candidate: it fails loudly instead of vanishing")
    os.mkfifo(inbox / "pipe.pdf")  # reading a FIFO would block the run forever
    assert names(scan(inbox), inbox) == ["a.pdf", "notes.txt", "q3/scans/b.pdf"]


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path, sample_pdf):
    inbox, outside = tmp_path / "inbox", tmp_path / "private"
    inbox.mkdir()
    outside.mkdir()
    secret = Path(shutil.copy(sample_pdf, outside / "secret.pdf"))
    inside = Path(shutil.copy(sample_pdf, inbox / "report.pdf"))
    (inbox / "to-secret.pdf").symlink_to(secret)
    (inbox / "to-private").symlink_to(outside, target_is_directory=True)
    (inbox / "up.pdf").symlink_to(Path("..") / "private" / "secret.pdf")
    (inbox / "to-report.pdf").symlink_to(inside)
    (inbox / "dangling.pdf").symlink_to(inbox / "gone.pdf")
    assert names(scan(inbox), inbox) == ["report.pdf", "to-report.pdf"]


def test_the_archive_folder_inside_the_drop_folder_is_skipped(tmp_path, sample_pdf):
    inbox = tmp_path / "inbox"
    (inbox / "done").mkdir(parents=True)
    shutil.copy(sample_pdf, inbox / "new.pdf")
    shutil.copy(sample_pdf, inbox / "done" / "old.pdf")
    assert names(scan(inbox, skip=inbox / "done"), inbox) == ["new.pdf"]


def test_a_file_modified_within_the_settle_time_waits():
    seen = Seen(Path("a.pdf"), 10, mtime_ns=100 * 10**9)
    assert not settled(seen, now_ns=101 * 10**9, settle=SETTLE)
    assert settled(seen, now_ns=102 * 10**9, settle=SETTLE)


def test_a_file_that_grows_while_it_is_hashed_waits(tmp_path, sample_pdf):
    path = age(Path(shutil.copy(sample_pdf, tmp_path / "a.pdf")))
    listed = scan(tmp_path)[0]
    assert stable_fingerprint(listed) == fingerprint(path)[0]
    with path.open("ab") as stream:  # a writer appends after the listing
        stream.write(b"\n% more bytes")
    age(path)
    assert stable_fingerprint(listed) is None
    assert stable_fingerprint(Seen(tmp_path / "gone.pdf", 1, 1)) is None


def test_fresh_files_wait_and_settled_ones_are_read(tmp_path, sample_pdf, bad_inputs):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = age(Path(shutil.copy(sample_pdf, inbox / "old.pdf")))
    fresh = Path(shutil.copy(bad_inputs["corrupt"], inbox / "fresh.pdf"))
    drop = drop_of(inbox)
    assert [item.seen.path for item in drop.todo] == [old]
    assert drop.waiting == [fresh]


def test_identical_files_are_read_once_and_finished_contents_are_not_read_again(tmp_path, sample_pdf, bad_inputs):
    inbox = tmp_path / "inbox"
    (inbox / "again").mkdir(parents=True)
    first = age(Path(shutil.copy(sample_pdf, inbox / "a.pdf")))
    renamed = age(Path(shutil.copy(sample_pdf, inbox / "again" / "renamed.pdf")))
    other = age(Path(shutil.copy(bad_inputs["corrupt"], inbox / "z.pdf")))
    drop = drop_of(inbox)
    assert [(item.seen.path, item.copies) for item in drop.todo] == [(first, (renamed,)), (other, ())]
    done = ledger.Done(doc_ids=frozenset({fingerprint(first)[0]}))
    drop = drop_of(inbox, done)
    assert [item.seen.path for item in drop.todo] == [other]
    assert drop.finished == [first, renamed]
    failed_before = fingerprint(other)[0]
    drop = drop_of(inbox, ledger.Done(doc_ids=frozenset({failed_before}), failed=frozenset({failed_before})))
    assert ([item.seen.path for item in drop.todo], drop.failed) == ([first], [other])


def test_a_file_recorded_with_its_size_and_mtime_is_not_hashed_again(tmp_path, sample_pdf):
    path = age(Path(shutil.copy(sample_pdf, tmp_path / "a.pdf")))
    listed = scan(tmp_path)[0]
    done = ledger.Done(doc_ids=frozenset({"recorded"}),
                       by_path={(str(path), listed.n_bytes, listed.mtime_ns): "recorded"})
    assert drop_of(tmp_path, done).finished == [path]  # the recorded id, so the bytes were not read
    age(path, 30)  # touched since: hashed again, and its content is new to the ledger
    assert [item.seen.path for item in drop_of(tmp_path, done).todo] == [path]


def test_the_ledger_knows_what_was_done_per_backend_and_model_and_forgets_failures(tmp_path):
    connection = duckdb.connect(str(tmp_path / "l.duckdb"))
    assert ledger.done(connection, "auto", None) == ledger.Done()
    ledger.create(connection)
    ledger.record(connection, "d1", "auto", None, "/in/a.pdf", 10, 5, failed=False, run_id="r")
    ledger.record(connection, "d2", "auto", None, "/in/b.pdf", 11, 6, failed=True, run_id="r")
    ledger.record(connection, "d1", "paligemma", "/models/pg", "/in/a.pdf", 10, 5, failed=False, run_id="r")
    assert ledger.done(connection, "auto", None).doc_ids == {"d1", "d2"}
    assert ledger.done(connection, "auto", None).failed == {"d2"}
    assert ledger.done(connection, "auto", None).known("/in/b.pdf", 11, 6) == "d2"
    assert ledger.done(connection, "paligemma", "/models/pg").doc_ids == {"d1"}
    assert ledger.done(connection, "paligemma", None).doc_ids == set()
    assert ledger.forget_failed(connection, "auto", None) == 1
    assert ledger.done(connection, "auto", None).doc_ids == {"d1"}


def test_archive_keeps_the_subfolder_and_never_replaces_a_file(tmp_path, sample_pdf):
    inbox, done = tmp_path / "inbox", tmp_path / "done"
    (inbox / "q3").mkdir(parents=True)
    first = Path(shutil.copy(sample_pdf, inbox / "q3" / "r.pdf"))
    assert archive(first, inbox, done) == done / "q3" / "r.pdf"
    second = Path(shutil.copy(sample_pdf, inbox / "q3" / "r.pdf"))
    assert archive(second, inbox, done) == done / "q3" / "r (2).pdf"
    assert not any(inbox.rglob("*.pdf"))
    assert sorted(p.name for p in done.rglob("*.pdf")) == ["r (2).pdf", "r.pdf"]


def failure(error: str, stage: str = "extract") -> Failure:
    return Failure(file="/in/a.pdf", page=1, stage=stage, error=error, message="why")


def test_only_a_failure_that_would_repeat_is_recorded_as_failed_and_a_transient_one_is_read_again():
    assert ledger.status([]) == "stored"
    for permanent in ("InputError", "UsageError", "BackendNotConfigured", "KeyRejected", "ValidationError"):
        assert ledger.status([failure(permanent)]) == "failed"
    for transient in ("ExtractorError", "StoreError", "TimeoutError", "RuntimeError"):
        assert ledger.status([failure(transient)]) is None
    assert ledger.status([failure("InputError", "open"), failure("ExtractorError")]) is None  # retried until it is


def test_a_transient_failure_that_keeps_coming_back_is_recorded_as_failed_after_the_last_attempt(tmp_path):
    from figtab.flows.store import Store
    from figtab.schemas import DocumentResult

    file = "/in/a.pdf"
    bug = Failure(file=file, doc_id="d1", stage="extract", error="RuntimeError", message="a bug on this file")
    with Store(str(tmp_path / "s.duckdb")) as store:
        statuses = []
        for _ in range(ledger.MAX_TRANSIENT_ATTEMPTS):
            earlier = ledger.failed_runs(store.connection, "d1", file, "native", None)
            statuses.append(ledger.status([bug], earlier))
            run_id = store.start_run("native", None)
            store.save(DocumentResult(file=file, failures=[bug]), run_id)
        other_backend = ledger.failed_runs(store.connection, "d1", file, "anthropic", "claude-sonnet-4-5")
        no_doc_id = ledger.failed_runs(store.connection, "d2", "/in/b.pdf", "native", None)
    assert statuses == [None] * (ledger.MAX_TRANSIENT_ATTEMPTS - 1) + ["failed"]
    assert other_backend == 0 and no_doc_id == 0
