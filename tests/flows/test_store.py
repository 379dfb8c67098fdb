"""The DuckDB store: idempotent per (bytes, page, backend, model), failures kept, locks reported clearly."""

import subprocess
import sys
import textwrap

import pytest

from figtab.extractors import get_extractor
from figtab.flows.pipeline import extract_file
from figtab.flows.runner import extract_files
from figtab.flows.store import Store, run_query
from figtab.schemas import StoreError


def counts(db):
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in
                                ("documents", "pages", "figures", "table_cells", "failures", "runs"))
    return dict(zip(("documents", "pages", "figures", "table_cells", "failures", "runs"), run_query(db, sql)[1][0]))


def store_files(db, files):
    with Store(db) as store:
        run_id = store.start_run("auto", None)
        for file in files:
            store.save(extract_file(str(file), get_extractor("auto")), run_id)


def test_reprocessing_the_same_bytes_adds_no_rows(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    store_files(db, [sample_pdf])
    first = counts(db)
    assert first["figures"] >= 2 and first["table_cells"] > 0
    renamed = sample_pdf.rename(tmp_path / "renamed.pdf")  # same bytes under another name: same document
    store_files(db, [renamed])
    second = counts(db)
    assert {k: second[k] for k in ("documents", "pages", "figures", "table_cells")} == \
        {k: first[k] for k in ("documents", "pages", "figures", "table_cells")}
    assert second["runs"] == first["runs"] + 1


def test_cell_values_are_parsed_numbers(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    store_files(db, [sample_pdf])
    _, rows = run_query(db, "SELECT text, value FROM table_cells WHERE text IN ('1,250', '(45)', '12.50', 'Oslo')")
    assert dict(rows) == {"1,250": 1250.0, "(45)": -45.0, "12.50": 12.5, "Oslo": None}


def test_every_bad_input_leaves_a_failure_row(tmp_path, bad_inputs, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    store_files(db, [*bad_inputs.values(), sample_pdf])
    _, rows = run_query(db, "SELECT file, stage, error, message FROM failures ORDER BY file")
    assert {row[0] for row in rows} == {str(path) for path in bad_inputs.values()}
    assert all(row[1] == "open" and row[2] == "InputError" and row[3] for row in rows)
    assert counts(db)["figures"] >= 2  # the good file still went through


def test_queries_are_read_only(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    store_files(db, [sample_pdf])
    with pytest.raises(StoreError, match="read-only"):
        run_query(db, "DELETE FROM figures")
    with pytest.raises(StoreError, match="no database"):
        run_query(str(tmp_path / "absent.duckdb"), "SELECT 1")


@pytest.fixture
def locked_db(tmp_path):
    """A database another process holds open for writing until the test ends."""
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        connection = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield str(db)
    finally:
        holder.communicate("")


def test_a_database_locked_by_another_process_is_a_store_error(locked_db):
    with pytest.raises(StoreError, match="locked by another process"):
        Store(locked_db)


def test_a_run_on_a_locked_database_stops_before_reading_any_file(locked_db, sample_pdf):
    read = []
    with pytest.raises(StoreError, match="locked by another process"):
        extract_files([str(sample_pdf)], locked_db, "native", on_result=read.append)
    assert read == []


def test_one_run_stores_every_document_through_one_connection(tmp_path, sample_pdf, bad_inputs):
    """Many documents in one run, each in bulk: every cell and point arrives, each failure is a row."""
    db = str(tmp_path / "f.duckdb")
    copies = [sample_pdf]
    for i in range(3):  # the same pages under other bytes: new documents with the same figures
        copies.append(tmp_path / f"copy-{i}.pdf")
        copies[-1].write_bytes(sample_pdf.read_bytes() + f"\n% copy {i}\n".encode())
    summary = extract_files([str(p) for p in [*copies, *bad_inputs.values()]], db, "native")
    figures = [f for copy in copies for f in extract_file(str(copy), get_extractor("native")).figures]
    cells = sum(len(row) for f in figures if f.table for row in f.table.rows)
    points = sum(len(s.points) for f in figures if f.chart for s in f.chart.series)
    assert (counts(db)["documents"], counts(db)["figures"], counts(db)["table_cells"]) == (4, len(figures), cells)
    assert run_query(db, "SELECT count(*) FROM chart_points").rows == [(points,)] and points > 0
    assert counts(db)["failures"] == len(bad_inputs) == len(summary.failures)


def test_an_auto_rerun_that_finds_nothing_clears_what_an_earlier_auto_run_stored(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    store_files(db, [sample_pdf])
    assert counts(db)["figures"] >= 2
    with Store(db) as store:  # same bytes, same backend; this time `auto` finds nothing on any page
        result = extract_file(str(sample_pdf), get_extractor("auto"))
        nothing = [page.model_copy(update={"figures": [], "backend": "auto"}) for page in result.pages]
        emptied = result.model_copy(update={"pages": nothing})
        store.save(emptied, store.start_run("auto", None))
    assert counts(db)["figures"] == 0 and counts(db)["table_cells"] == 0
