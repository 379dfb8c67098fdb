"""`--workers`: documents read in worker processes, stored by one writer, with the serial path's rows."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

import figtab
from figtab.extractors import ExtractorOptions
from figtab.flows.parallel import extract_in_processes
from figtab.flows.runner import extract_files
from figtab.flows.store import run_query

TABLES = {  # what a run leaves, without the columns that differ by run (ids of runs, clocks)
    "documents": "SELECT doc_id, file, format, n_bytes, n_pages FROM documents",
    "pages": "SELECT * FROM pages",
    "figures": "SELECT * EXCLUDE (run_id) FROM figures",
    "table_cells": "SELECT * FROM table_cells",
    "chart_points": "SELECT * FROM chart_points",
    "failures": "SELECT file, doc_id, page, stage, error, message FROM failures",
}


def rows(db):
    return {table: sorted(map(repr, run_query(db, sql).rows)) for table, sql in TABLES.items()}


def documents(folder: Path, sample_pdf: Path, n: int) -> list[Path]:
    """``n`` different PDFs made of the sample's pages in different orders (so different bytes and figures)."""
    paths = []
    with pymupdf.open(sample_pdf) as sample:
        order = list(range(sample.page_count))
        for i in range(n):
            with pymupdf.open() as out:
                for page in order[i % len(order):] + order[:i % len(order)]:
                    out.insert_pdf(sample, from_page=page, to_page=page)
                out.set_metadata({"title": f"document {i}"})
                paths.append(folder / f"doc-{i}.pdf")
                out.save(paths[-1])
    return paths


def test_workers_store_the_rows_the_serial_path_stores(tmp_path, sample_pdf, bad_inputs):
    files = [str(p) for p in [*documents(tmp_path, sample_pdf, 4), *bad_inputs.values()]]
    serial, parallel = str(tmp_path / "serial.duckdb"), str(tmp_path / "parallel.duckdb")
    seen = {1: [], 2: []}
    for db, workers in ((serial, 1), (parallel, 2)):
        summary = extract_files(files, db, "native", workers=workers, on_result=lambda r, w=workers: seen[w].append(r))
        assert summary.n_files == len(files) and len(summary.failures) == len(bad_inputs)
    assert rows(parallel) == rows(serial)
    assert len(rows(serial)["figures"]) >= 8 and len(rows(serial)["failures"]) == len(bad_inputs)
    assert [r.file for r in seen[2]] == [r.file for r in seen[1]] == files  # results come in the order given
    _, runs = run_query(parallel, "SELECT n_files, n_figures, n_failures, finished_at IS NOT NULL FROM runs")
    assert runs == [(len(files), len(rows(serial)["figures"]), len(bad_inputs), True)]


def test_the_python_api_takes_workers(tmp_path, sample_pdf):
    files = documents(tmp_path, sample_pdf, 3)
    one, two = figtab.extract(files, backend="native"), figtab.extract(files, backend="native", workers=2)
    assert [f.model_dump() for f in two] == [f.model_dump() for f in one] and len(one) >= 6


def test_files_are_taken_only_as_workers_free_up(tmp_path, sample_pdf):
    """Memory stays bounded: with 2 workers, at most 4 documents are in flight when the first comes back."""
    files = [str(p) for p in documents(tmp_path, sample_pdf, 10)]
    taken = []

    def given():
        for file in files:
            taken.append(file)
            yield file

    pages = []
    results = extract_in_processes(given(), "native", ExtractorOptions(), None, 2,
                                   on_page=lambda done, total: pages.append((done, total)))
    first = next(results)
    assert first.file == files[0] and len(taken) <= 5  # 4 in flight, and the next one looked at
    rest = list(results)
    assert [r.file for r in rest] == files[1:]
    assert pages[-1][0] == pages[-1][1] == sum(len(r.pages) for r in [first, *rest])  # progress over the run


def test_ctrl_c_stops_the_workers_and_keeps_what_was_stored(tmp_path, sample_pdf):
    files = [str(p) for p in documents(tmp_path, sample_pdf, 60)]
    db = str(tmp_path / "stopped.duckdb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_API_URL", None)
    run = subprocess.Popen([sys.executable, "-m", "figtab", "extract", *files, "--backend", "native", "--db", db,
                            "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           start_new_session=True)  # its own process group, as a terminal's Ctrl-C reaches
    try:
        assert run.stdout.readline().startswith(files[0])  # the first document is stored
        os.killpg(run.pid, signal.SIGINT)
        _, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode != 0 and "Traceback" not in err, err
    assert _group_ends(run.pid), "a worker outlived the run"
    (stored,) = run_query(db, "SELECT (SELECT count(*) FROM documents), (SELECT n_files FROM runs)").rows
    assert 1 <= stored[0] < len(files) and stored[1] == stored[0]


def _group_ends(group: int, wait_s: float = 60) -> bool:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("workers", ["0", "two"])
def test_workers_must_be_a_positive_number(workers, tmp_path, sample_pdf):
    done = subprocess.run([sys.executable, "-m", "figtab", "extract", str(sample_pdf), "--workers", workers,
                           "--db", str(tmp_path / "f.duckdb")], capture_output=True, text=True)
    assert done.returncode == 2 and "--workers" in done.stderr


def test_workers_see_the_environment_of_the_run_not_of_the_first_pool(tmp_path, sample_pdf, monkeypatch):
    """The fork server outlives a run; a setting changed between runs (an API key, an endpoint) must reach the
    workers of the next one."""
    from figtab.extractors import ExtractorOptions
    from figtab.flows.parallel import extract_in_processes

    outcomes = []
    for value in ("", "sk-set-later"):
        monkeypatch.setenv("ANTHROPIC_API_KEY", value)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens: no request can succeed
        monkeypatch.setenv("FIGTAB_ANTHROPIC_MAX_RETRIES", "0")
        [result] = list(extract_in_processes([str(sample_pdf)], "anthropic", ExtractorOptions(), [1], workers=1))
        outcomes.append(" ".join(failure.message for failure in result.all_failures))
    assert "ANTHROPIC_API_KEY is not set" in outcomes[0]
    assert "cannot reach the Anthropic API" in outcomes[1]
