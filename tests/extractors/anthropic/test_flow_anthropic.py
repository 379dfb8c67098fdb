"""The anthropic backend through the `extract-document` Prefect flow on a real Prefect server: the page task carries
the model-request tag, a tag concurrency limit on it is honoured, and figures, usage and failures are stored."""

import asyncio

import pytest
from messages_api_server import error, tool_answer

from figtab.flows.extract_flow import MODEL_REQUESTS_TAG
from figtab.flows.runner import extract_files
from figtab.flows.store import run_query

pytestmark = pytest.mark.slow

CHART = {"chart_type": "bar",
         "series": [{"name": "Units", "points": [{"x": "2021", "y": 140}, {"x": "2022", "y": 155}]}]}


async def _limit_tag(limit: int) -> None:
    from prefect import get_client

    async with get_client() as client:
        await client.create_concurrency_limit(tag=MODEL_REQUESTS_TAG, concurrency_limit=limit)


async def _page_task_tags() -> list[set[str]]:
    from prefect import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName

    async with get_client() as client:
        runs = await client.read_task_runs(task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="extract-page")))
        return [set(run.tags) for run in runs]


def test_the_flow_stores_model_figures_usage_and_failures(prefect_server, messages_api, chart_png, letter_pdf,
                                                          tmp_path):
    asyncio.run(_limit_tag(1))
    db = str(tmp_path / "flow.duckdb")
    box = {"image": 0, "x0": 40, "y0": 30, "x1": 600, "y1": 400}
    messages_api.script(tool_answer([{"kind": "chart", "box": box, "chart": CHART}], input_tokens=1000),
                        error(400, "invalid_request_error", "messages: too many images"))
    summary = extract_files([str(chart_png), str(letter_pdf)], db, backend="anthropic", use_prefect=True)
    assert summary.n_figures == 1 and len(summary.failures) == 1
    assert "too many images" in summary.failures[0].message
    assert run_query(db, "SELECT file, backend, valid FROM figures")[1] == [(str(chart_png), "anthropic", True)]
    assert run_query(db, "SELECT input_tokens FROM runs")[1] == [(1000,)]  # the refused request was not billed
    assert any(MODEL_REQUESTS_TAG in tags for tags in asyncio.run(_page_task_tags()))
