"""Fast rules of `figtab serve` that need no Prefect server: one backend per process however many threads ask,
no API key handed to the child Prefect server, and a `--dask` address that cannot work refused up front."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from typer.testing import CliRunner

from figtab.extractors import Extractor, ExtractorOptions, backend_names, register
from figtab.extractors.registry import unregister
from figtab.flows.cli import app
from figtab.flows.prefect_server import server_environment
from figtab.flows.serve import _extractor


class Idle(Extractor):
    name = "idle"

    def __init__(self, options: ExtractorOptions) -> None:
        self.model = options.model or "idle-default"

    def extract(self, page) -> list:
        return []


def test_threads_that_ask_for_the_same_backend_at_once_build_it_once():
    builds, started = [], threading.Event()

    def slow_factory(options: ExtractorOptions) -> Extractor:
        builds.append(threading.get_ident())
        started.set()
        time.sleep(0.3)  # like loading weights: long enough for every thread to ask meanwhile
        return Idle(options)

    register("slow-to-build", slow_factory)
    try:
        with ThreadPoolExecutor(4) as pool:
            built = list(pool.map(lambda _: _extractor("slow-to-build", None, 144), range(4)))
        assert len(builds) == 1
        assert all(extractor is built[0] for extractor in built)
        assert built[0].model == "idle-default"
    finally:
        unregister("slow-to-build")
    assert "slow-to-build" not in backend_names()


def test_the_child_prefect_server_sees_no_api_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-other")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4999/api")
    monkeypatch.setenv("FIGTAB_KEEP_ME", "yes")
    env = server_environment(tmp_path)
    assert not [name for name in env if name.startswith("ANTHROPIC_") or name.endswith("_API_KEY")]
    assert "PREFECT_API_URL" not in env
    assert (env["FIGTAB_KEEP_ME"], env["PREFECT_HOME"]) == ("yes", str(tmp_path))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:{port}", "tcp://127.0.0.1"])
def test_serve_refuses_a_dask_scheduler_that_does_not_answer_before_it_starts_anything(tmp_path, address):
    pytest.importorskip("prefect_dask")
    result = CliRunner().invoke(app, ["serve", str(tmp_path), "--dask", address.format(port=closed_port()),
                                      "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code == 2, result.output
    assert "no Dask scheduler answers there" in result.output
    assert not (tmp_path / "t.duckdb").exists()


def test_serve_refuses_an_interval_shorter_than_a_run(tmp_path):
    result = CliRunner().invoke(app, ["serve", str(tmp_path), "--every", "5"])
    assert result.exit_code == 2
