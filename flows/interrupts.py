"""Ctrl-C held off while a document is stored and counted.

A run records how many documents it stored (`runs.n_files`) from its own count. Ctrl-C between a document's
commit and that count would leave the run one document short of what the database holds; held until both are
done, an interrupted run's record always matches its rows.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def interrupt_after() -> Iterator[None]:
    """Run the block to its end even when Ctrl-C comes during it, then deliver the Ctrl-C as it would have come.

    Outside the main thread (a Prefect task runner, a server's worker thread) signals cannot be handled, and none
    arrive there: the block just runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        signal.raise_signal(signal.SIGINT)
