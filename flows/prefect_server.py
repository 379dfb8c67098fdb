"""A Prefect server for `figtab serve`: `$PREFECT_API_URL` when set, else `prefect server start` as a child.

Schedules only run on a real server (the temporary one Prefect starts inside a process has no scheduler), so
`figtab serve` starts one on 127.0.0.1 when no server is configured, waits until it answers its health check, and
stops it (and everything it spawned) on exit. Its database and log live in ``$FIGTAB_HOME/prefect`` (default
``~/.figtab/prefect``), so run history survives restarts; a lock there keeps a second `figtab serve` from starting
another server on the same database, and a server left behind by a killed `figtab serve` is stopped first.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from figtab.schemas import FigtabError

PREFERRED_PORT = 4200  # Prefect's own default, so the UI is where Prefect users look for it
STARTUP_TIMEOUT = 120.0  # seconds; ~10 s is usual, a loaded 2-core machine needs more


def figtab_home() -> Path:
    """``$FIGTAB_HOME``, else ``~/.figtab``: where figtab keeps its own state."""
    return Path(os.environ.get("FIGTAB_HOME") or Path.home() / ".figtab")


@contextmanager
def prefect_api(home: Path | None = None) -> Iterator[str]:
    """The Prefect API URL to serve on: ``$PREFECT_API_URL``, else a child server's, stopped on leaving."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    server = PrefectServer(home or figtab_home() / "prefect")
    try:
        yield server.start()
    finally:
        server.stop()


class PrefectServer:
    """`prefect server start` on 127.0.0.1 in its own process group, its state under ``home``."""

    def __init__(self, home: Path, port: int | None = None, timeout: float = STARTUP_TIMEOUT) -> None:
        self.home, self.port, self.timeout = home, port, timeout
        self.process: subprocess.Popen | None = None
        self._lock: IO | None = None
        self._log: IO | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start the server and return its API URL once it is healthy; raises `FigtabError` if it is not."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._lock = _hold_lock(self.home / "server.lock")
        _stop_orphan(self.home / "server.pid")
        self.port = self.port or _free_port()
        env = server_environment(self.home)
        self._log = (self.home / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        (self.home / "server.pid").write_text(f"{self.process.pid}\n")
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self.api_url

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise FigtabError(f"the Prefect server exited with code {self.process.returncode}; "
                                  f"see {self.home / 'server.log'}")
            if _healthy(self.api_url):
                return
            time.sleep(0.5)
        raise FigtabError(f"the Prefect server did not answer within {self.timeout:.0f} s; see {self.home / 'server.log'}")

    def stop(self) -> None:
        """Stop the server and its children (SIGTERM, then SIGKILL after 15 s); safe to call twice."""
        if self.process is not None:
            _stop_group(self.process.pid, self.process.wait)
            self.process = None
            (self.home / "server.pid").unlink(missing_ok=True)
        for stream in (self._log, self._lock):
            if stream is not None:
                stream.close()
        self._log = self._lock = None


def server_environment(home: Path) -> dict[str, str]:
    """This process's environment for the server, less what it must not see: API keys (``ANTHROPIC_*``, any
    ``*_API_KEY``) and ``PREFECT_API_URL``, which would point it at itself."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("ANTHROPIC_") and not name.endswith("_API_KEY") and name != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _free_port() -> int:
    """Prefect's usual port when nothing listens there, else one the system picks."""
    for port in (PREFERRED_PORT, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise FigtabError("no free port on 127.0.0.1 for the Prefect server")


def exclusive_lock(path: Path) -> IO | None:
    """``path`` open and locked for this process alone, or None while another holds it; the kernel releases the
    lock when the holder dies, so a killed process never leaves it behind."""
    stream = path.open("a")
    try:
        fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        stream.close()
        return None
    return stream


def _hold_lock(path: Path) -> IO:
    stream = exclusive_lock(path)
    if stream is None:
        raise FigtabError(f"another figtab serve runs the Prefect server of {path.parent}; set PREFECT_API_URL to "
                          "its address to share it, or FIGTAB_HOME to start a separate one")
    return stream


def _stop_orphan(pid_file: Path) -> None:
    """Stop a server a killed `figtab serve` left running: the recorded process, if it still is a Prefect server
    on this state folder (we hold the lock, so no live `figtab serve` owns it)."""
    try:
        pid = int(pid_file.read_text())
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except (OSError, ValueError):
        environment = []
    if f"PREFECT_HOME={pid_file.parent}".encode() in environment:
        _stop_group(pid, lambda timeout: _wait_gone(pid, timeout))
    pid_file.unlink(missing_ok=True)


def _stop_group(pid: int, wait: Callable[..., object]) -> None:
    """SIGTERM the process group led by ``pid``, SIGKILL what is left; ``wait(timeout=...)`` raises
    `subprocess.TimeoutExpired` while the leader lives."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        try:
            wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # the server's own children (uvicorn, services) share its group
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(str(pid), timeout)
        time.sleep(0.2)
