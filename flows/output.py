"""How the CLI shows things: figures as JSON Lines or a summary, failures as one line each, query rows."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console

from figtab.flows.pipeline import PageCallback
from figtab.flows.runner import RunSummary
from figtab.schemas import DocumentResult, Failure


def failure_line(failure: Failure) -> str:
    where = f"{failure.file} page {failure.page}" if failure.page else failure.file
    return f"figtab: error: {where}: {failure.message}"


class ResultPrinter:
    """Prints each document as it finishes: its figures (JSON Lines) or a count, and its failures on stderr."""

    def __init__(self, jsonl: bool, stderr: Console) -> None:
        self.jsonl = jsonl
        self.stderr = stderr

    def __call__(self, result: DocumentResult) -> None:
        for failure in result.all_failures:
            self.stderr.print(failure_line(failure), markup=False)
        if self.jsonl:
            for figure in result.figures:
                sys.stdout.write(figure.model_dump_json() + "\n")
            sys.stdout.flush()
        elif result.document is not None:
            kinds = Counter(figure.kind for figure in result.figures)
            n_pages = len(result.pages)
            print(f"{result.file}: {n_pages} page{'s' * (n_pages != 1)}, {kinds['table']} tables, "
                  f"{kinds['chart']} charts")

    def finish(self, summary: RunSummary, db: str) -> None:
        if not self.jsonl:
            print(f"{summary.n_figures} figures from {summary.n_files} files stored in {db} "
                  f"(run {summary.run_id[:8]}); {len(summary.failures)} failures")


@contextmanager
def page_progress(console: Console) -> Iterator[PageCallback]:
    """A progress bar over the pages of the document being read; silent when stderr is not a terminal."""
    if not console.is_terminal:  # nothing to draw, so rich's progress machinery is not even imported
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("pages", total=None)

        def on_page(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield on_page


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else str(value)


def print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    """Print query rows as a table, CSV or a JSON array of objects."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], default=_jsonable, indent=1))
    else:
        from rich.table import Table as RichTable  # only `figtab query` prints one

        table = RichTable(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console(highlight=False).print(table)
