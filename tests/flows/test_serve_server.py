"""The child Prefect server's housekeeping: one owner per state folder, and a server left behind is stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from figtab.flows.prefect_server import PrefectServer, _hold_lock, _stop_orphan, prefect_api
from figtab.schemas import FigtabError


def test_a_second_owner_of_the_same_state_folder_is_told_to_share_the_server(tmp_path):
    first = _hold_lock(tmp_path / "server.lock")
    try:
        with pytest.raises(FigtabError, match="set PREFECT_API_URL"):
            PrefectServer(tmp_path).start()
    finally:
        first.close()


def test_a_server_left_by_a_killed_serve_is_stopped_and_an_unrelated_process_is_not(tmp_path):
    def sleeper(home: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True,
                                env={**os.environ, "PREFECT_HOME": str(home)})

    ours, unrelated = sleeper(tmp_path), sleeper(tmp_path / "elsewhere")
    try:
        for process in (unrelated, ours):
            (tmp_path / "server.pid").write_text(f"{process.pid}\n")
            time.sleep(0.5)  # let the child exec, so /proc shows its own environment
            _stop_orphan(tmp_path / "server.pid")
        assert ours.wait(30) is not None
        assert unrelated.poll() is None
        assert not (tmp_path / "server.pid").exists()
    finally:
        for process in (ours, unrelated):
            process.kill()
            process.wait(30)


def test_a_configured_server_is_used_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4999/api")
    with prefect_api(tmp_path) as url:
        assert url == "http://127.0.0.1:4999/api"
    assert not any(tmp_path.iterdir())  # nothing started, nothing written
