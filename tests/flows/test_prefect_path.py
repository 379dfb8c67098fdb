"""The CLI's two paths, through a real Prefect server and in-process, store the same figures."""

import pytest

from figtab.flows.runner import extract_files
from figtab.flows.store import run_query

pytestmark = pytest.mark.slow

FIGURE_COLUMNS = "doc_id, page, kind, backend, model, valid, title, bbox, payload::VARCHAR"


def stored(db):
    figures = run_query(db, f"SELECT {FIGURE_COLUMNS} FROM figures ORDER BY page, figure_id")[1]
    cells = run_query(db, "SELECT row, col, text, value, is_header FROM table_cells ORDER BY ALL")[1]
    failures = run_query(db, "SELECT file, page, stage, error, message FROM failures ORDER BY ALL")[1]
    return figures, cells, failures


def test_prefect_and_in_process_paths_store_the_same_figures(prefect_server, tmp_path, sample_pdf, bad_inputs):
    files = [str(sample_pdf), str(bad_inputs["corrupt"])]
    via_prefect, in_process = str(tmp_path / "prefect.duckdb"), str(tmp_path / "local.duckdb")
    prefect_summary = extract_files(files, via_prefect, use_prefect=True)
    local_summary = extract_files(files, in_process, use_prefect=False)
    assert prefect_summary.n_figures == local_summary.n_figures >= 2
    assert len(prefect_summary.failures) == len(local_summary.failures) == 1
    assert stored(via_prefect) == stored(in_process)


def test_flow_runs_are_recorded_by_the_server(prefect_server, tmp_path, sample_pdf):
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    import asyncio

    extract_files([str(sample_pdf)], str(tmp_path / "f.duckdb"), use_prefect=True)

    async def completed_runs():
        async with get_client() as client:
            runs = await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["extract-document"])))
            return [run for run in runs if run.state and run.state.is_completed()]

    assert asyncio.run(completed_runs())
