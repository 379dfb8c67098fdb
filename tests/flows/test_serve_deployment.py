"""`prefect.yaml` deploys the flow `figtab serve` runs, with parameters that flow accepts, and `figtab serve`
refuses bad options before it starts anything."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from figtab.flows.cli import app
from figtab.flows.serve import process_drop, task_runner

ROOT = Path(__file__).parents[2]


def test_prefect_yaml_deploys_process_drop_with_valid_parameters(monkeypatch):
    from prefect.flows import load_flow_from_entrypoint

    monkeypatch.chdir(ROOT)  # entrypoints are relative to the project root, as for `prefect deploy`
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [deployment] = config["deployments"]
    loaded = load_flow_from_entrypoint(deployment["entrypoint"])
    assert loaded.name == process_drop.name == "process-drop"
    assert set(deployment["parameters"]) <= set(inspect.signature(process_drop.fn).parameters)
    loaded.validate_parameters(deployment["parameters"])
    assert deployment["work_pool"]["name"] and deployment["schedules"][0]["interval"] > 0


@pytest.mark.parametrize("args, message", [
    (["--every", "60", "--cron", "* * * * *"], "not both"),
    (["--cron", "every day"], "not a cron schedule"),
    (["--backend", "magic"], "unknown backend 'magic'"),
])
def test_serve_rejects_bad_options_with_a_usage_error(tmp_path, args, message):
    result = CliRunner().invoke(app, ["serve", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_serve_rejects_a_drop_folder_that_is_not_one(tmp_path):
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "missing")])
    assert (result.exit_code, "is not a folder" in result.output) == (2, True)


def test_the_dask_runner_is_chosen_by_the_dask_parameter():
    from prefect.task_runners import ThreadPoolTaskRunner

    assert isinstance(task_runner(3, None), ThreadPoolTaskRunner)
    dask_runner = pytest.importorskip("prefect_dask").DaskTaskRunner
    assert isinstance(task_runner(2, "local"), dask_runner)
    assert task_runner(2, "tcp://127.0.0.1:8786").address == "tcp://127.0.0.1:8786"


def test_a_large_drop_shares_task_runs_and_a_small_one_gets_a_task_per_file():
    from figtab.flows.drop import Item, Seen
    from figtab.flows.serve import MAX_FILES_PER_TASK, task_batches

    def items(n: int) -> list[Item]:
        return [Item(f"doc{i}", Seen(Path(f"{i}.pdf"), 1, 1)) for i in range(n)]

    assert [len(batch) for batch in task_batches(items(3), workers=4)] == [1, 1, 1]
    large = task_batches(items(200), workers=4)
    assert [item for batch in large for item in batch] == items(200)
    assert {len(batch) for batch in large[:-1]} == {6}
    assert max(len(batch) for batch in task_batches(items(10_000), workers=1)) == MAX_FILES_PER_TASK
