"""The training progress bar with the loss; on a log (not a terminal) a line every tenth of the run instead."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from figtab.flows.finetune.train import StepCallback


@contextmanager
def loss_progress(total: int, done: int = 0, console: Console | None = None) -> Iterator[StepCallback]:
    """A callback ``on_step(step, loss)`` that moves a bar showing the latest loss."""
    console = console or Console(stderr=True, highlight=False)
    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    every = max(1, total // 10)
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("training", total=total, completed=done, loss="-")

        def on_step(step: int, loss: float) -> None:
            progress.update(task, completed=step, loss=f"{loss:.4f}")
            if not console.is_terminal and (step % every == 0 or step == total):
                console.print(f"figtab finetune: step {step}/{total} loss {loss:.4f}")

        yield on_step
