"""The `figtab` command line. Each command parses options, calls one library function, and turns a figtab
error into one line on stderr: exit 0 on success, 1 when any input failed, 2 on a usage error.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from figtab.extractors import backend_names
from figtab.flows import output
from figtab.flows.report.model import DEFAULT_LIMIT
from figtab.flows.store import default_db
from figtab.schemas import FigtabError, UsageError

app = typer.Typer(
    help="Turn the charts and tables inside documents into validated data you can query with SQL.\n\n"
         "Example: figtab extract report.pdf && figtab query \"select * from table_cells limit 5\"",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)  # messages quote paths: [/x] is text
F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[str | None, typer.Option("--db", help="DuckDB file [default: $FIGTAB_DB, else ./figtab.duckdb]",
                                              show_default=False)]


BACKEND_HELP = "a backend: " + " | ".join(backend_names())


class ExtractFormat(str, Enum):
    summary = "summary"
    jsonl = "jsonl"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _print_version(value: bool) -> None:
    if value:
        from figtab import __version__

        print(f"figtab {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                   help="print the version and exit")] = False) -> None:
    """Turn the charts and tables inside documents into validated data you can query with SQL."""


def clean_errors(command: F) -> F:
    """Turn figtab errors into one line on stderr and the contract's exit code, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except UsageError as exc:
            stderr.print(f"figtab: usage error: {exc}")
            raise typer.Exit(2) from None
        except FigtabError as exc:
            stderr.print(f"figtab: error: {exc}")
            raise typer.Exit(1) from None
        except Exception as exc:
            if os.environ.get("FIGTAB_DEBUG"):
                raise
            stderr.print(f"figtab: internal error: {exc.__class__.__name__}: {exc} (FIGTAB_DEBUG=1 shows more)")
            raise typer.Exit(1) from None
    return wrapper  # type: ignore[return-value]


def parse_pages(spec: str | None) -> list[int] | None:
    """``"1,3-5"`` -> ``[1, 3, 4, 5]``; 1-based page numbers."""
    from figtab.api import page_range

    if spec is None:
        return None
    pages: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
        pages.update(page_range(first, last, spec))
    if not pages:
        raise UsageError(f"--pages selects no page: {spec!r}")
    return sorted(pages)


@app.command()
@clean_errors
def extract(
    paths: Annotated[list[str], typer.Argument(help="PDF or image files (PNG, JPEG, TIFF), or folders of them")],
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    model: Annotated[str | None, typer.Option(help="model name or local weights path")] = None,
    db: DbOption = None,
    pages: Annotated[str | None, typer.Option(help="pages to read, e.g. 1,3-5 [default: all]")] = None,
    dpi: Annotated[float, typer.Option(min=18, max=1200, help="render resolution for image-reading backends")] = 144,
    format: Annotated[ExtractFormat, typer.Option("--format", help="summary or one JSON figure a line")] =
    ExtractFormat.summary,
    workers: Annotated[int | None, typer.Option(min=1, help="documents read at the same time, each in its own "
                                                "process (default: one per CPU)", show_default=False)] = None,
) -> None:
    """Extract tables and charts from documents into the database.

    Example: figtab extract report.pdf scans/ --pages 1,3-5 --format jsonl
    """
    from figtab.extractors import ExtractorOptions
    from figtab.flows.runner import extract_files

    selection = parse_pages(pages)
    options = ExtractorOptions(model=model, dpi=dpi)
    db = db or default_db()
    printer = output.ResultPrinter(jsonl=format is ExtractFormat.jsonl, stderr=stderr)
    with output.page_progress(stderr) as on_page:
        summary = extract_files(paths, db, backend, options, selection, on_result=printer, on_page=on_page,
                                workers=workers)
    printer.finish(summary, db)
    raise typer.Exit(1 if summary.failures else 0)


@app.command()
@clean_errors
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run on a read-only connection")],
    db: DbOption = None,
    format: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
) -> None:
    """Run SQL over the extracted data (tables: documents, pages, figures, table_cells, chart_points, runs,
    failures, drop_files).

    Example: figtab query "select series, x, y from chart_points where series = 'Revenue'" --format csv
    """
    from figtab.flows.store import run_query

    columns, rows = run_query(db or default_db(), sql)
    output.print_rows(columns, rows, format.value)


@app.command()
@clean_errors
def demo(db: DbOption = None) -> None:
    """Run the whole pipeline on the bundled sample report and show what SQL over it gives.

    Example: figtab demo --db /tmp/demo.duckdb
    """
    from figtab.flows.demo import run_demo

    raise typer.Exit(run_demo(db or default_db(), stderr))


@app.command("eval")
@clean_errors
def eval_(
    cases_dir: Annotated[Path, typer.Argument(help="folder of truth JSON files with their documents beside them")],
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    model: Annotated[str | None, typer.Option(help="model name or local weights path")] = None,
    cases: Annotated[str | None, typer.Option(help="comma-separated case ids [default: all]")] = None,
    per_case: Annotated[bool, typer.Option("--per-case", help="add each case's scores")] = False,
) -> None:
    """Score a backend on a folder of cases: table adjacency F1, chart RMS-F1, seconds per page, as one JSON object.

    Example: figtab eval ../shared/data/dev/tables --backend native --per-case
    """
    from figtab.extractors import ExtractorOptions
    from figtab.flows.evaluate import evaluate

    selected = [case.strip() for case in cases.split(",") if case.strip()] if cases else None
    print(json.dumps(evaluate(cases_dir, backend, ExtractorOptions(model=model), selected, per_case)))


@app.command()
@clean_errors
def synth(
    out_dir: Annotated[Path, typer.Argument(help="folder to write PDFs and their truth JSON into")],
    n: Annotated[int, typer.Option("--n", min=1, help="number of charts")] = 20,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same files")] = 0,
) -> None:
    """Write synthetic born-digital pages with charts and tables, and their truth, for evaluation and training.

    Example: figtab synth /tmp/cases --n 200 --seed 7 && figtab eval /tmp/cases --backend native
    """
    try:
        from figtab.flows.synth import generate
    except ImportError as exc:
        raise UsageError(f"figtab synth needs the plotting libraries: pip install 'figtab[synth]' ({exc})") from exc
    written = generate(out_dir, n=n, seed=seed)
    print(f"{len(written)} truth files written to {out_dir}")


@app.command()
@clean_errors
def show(
    db: DbOption = None,
    file: Annotated[str | None, typer.Option("--file", help="only this document: its path as given, or its name")] =
    None,
    doc: Annotated[str | None, typer.Option("--doc", help="only this document id (a prefix will do)")] = None,
    figure: Annotated[str | None, typer.Option("--figure", help="only this figure id (a prefix will do)")] = None,
    run: Annotated[str | None, typer.Option("--run", help="only what this run stored, and its failures")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="at most this many figures")] = DEFAULT_LIMIT,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write")] = Path("figtab-report.html"),
) -> None:
    """Write one self-contained HTML page: each figure re-drawn from the database beside the crop of its source.

    Example: figtab show --file report.pdf --out report.html
    """
    from figtab.flows.report import Selection, write_report

    written = write_report(db or default_db(), out, Selection(file=file, doc=doc, figure=figure, run=run, limit=limit))
    report = written.report
    print(f"{written.path}: {len(report.figures)} of {report.total_figures} figures, {report.total_failures} "
          f"failures, {written.n_bytes / 1024:,.0f} KiB")


@app.command()
@clean_errors
def serve(
    drop_dir: Annotated[Path, typer.Argument(help="folder whose new files are read (they are never changed)")],
    every: Annotated[float | None, typer.Option(min=30, help="seconds between runs (default and least 30)")] = None,
    cron: Annotated[str | None, typer.Option(help="a cron schedule instead of --every, e.g. '*/5 * * * *'")] = None,
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "auto",
    model: Annotated[str | None, typer.Option(help="model name or local weights path")] = None,
    db: DbOption = None,
    archive: Annotated[Path | None, typer.Option(help="move each file here once its results are committed")] = None,
    workers: Annotated[int, typer.Option(min=1, help="files read at the same time")] = 4,
    dask: Annotated[str | None, typer.Option(help="read on Dask: 'local' or a scheduler address (dask extra)")] =
    None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="read again the files that failed")] = False,
) -> None:
    """Read every new file dropped into a folder, on a schedule, on a Prefect server (started here unless
    PREFECT_API_URL names one). Ctrl-C stops it.

    Example: figtab serve ./inbox --every 30 --archive ./done
    """
    from figtab.flows.serve import retry_failed as read_failed_again, serve as serve_drop

    if every is not None and cron is not None:
        raise UsageError("give --every or --cron, not both")
    db = db or default_db()
    if retry_failed:
        stderr.print(f"{read_failed_again(db, backend, model)} failed files will be read again")
    schedule = f"cron {cron}" if cron else f"every {every or 30:g} s"

    def ready(deployment: str, ui_url: str) -> None:
        stderr.print(f"serving {deployment} on {drop_dir} ({schedule}) into {db}; Prefect UI: {ui_url}; Ctrl-C stops")

    serve_drop(drop_dir, db, backend, model, every=None if cron else every or 30, cron=cron, archive_dir=archive,
               workers=workers, dask=dask, on_ready=ready)
    stderr.print("stopped")


class FinetuneRecipe(str, Enum):
    stage1 = "stage1"
    stage2 = "stage2"
    lora = "lora"


@app.command()
@clean_errors
def finetune(
    base: Annotated[Path, typer.Option(help="local base PaliGemma checkpoint folder")],
    out: Annotated[Path, typer.Option(help="folder for the fine-tuned weights, checkpoints and metrics.json")],
    data: Annotated[list[Path] | None, typer.Option(help="cases folder (figtab synth output or dev format); "
                                                         "repeatable (default: synthesise charts into OUT)")] = None,
    steps: Annotated[int, typer.Option(min=1, help="optimizer steps")] = 200,
    recipe: Annotated[FinetuneRecipe, typer.Option(help="stage1: projector; stage2: language model + projector; "
                                                        "lora: adapters on the language model")] = FinetuneRecipe.lora,
    lr: Annotated[float | None, typer.Option(help="learning rate (default: 1e-3 stage1, 2e-5 stage2, 2e-4 lora)")]
    = None,
    batch_size: Annotated[int, typer.Option(min=1, help="pages per micro-batch")] = 2,
    accumulate: Annotated[int, typer.Option(min=1, help="micro-batches per optimizer step")] = 4,
    max_tiles: Annotated[int, typer.Option(min=1, help="AnyRes tiles per page at most (kept for serving)")] = 12,
    resume: Annotated[bool, typer.Option("--resume", help="continue from the newest checkpoint in OUT")] = False,
) -> None:
    """Fine-tune a local PaliGemma checkpoint for the paligemma backend; prints the run and its held-back metrics
    as JSON (also in OUT/metrics.json, with the loss of every step).

    Example: figtab finetune --base ./paligemma2-3b-pt-448 --out ./figtab-pg --data /tmp/cases --steps 500
    """
    try:
        from figtab.flows.finetune import FinetuneConfig, run
    except ImportError as exc:
        raise UsageError(f"figtab finetune needs the paligemma extra: pip install 'figtab[paligemma]' "
                         f"({exc})") from exc

    config = FinetuneConfig(base=base, out=out, data=data or [], steps=steps, recipe=recipe.value, lr=lr,
                            batch_size=batch_size, accumulate=accumulate, max_tiles=max_tiles, resume=resume)
    print(json.dumps({key: value for key, value in run(config).items() if key != "losses"}))


def main() -> None:
    # What is loaded by now (some 70,000 objects: pydantic's schemas, PyMuPDF's bindings) lives as long as the
    # process; frozen, the collector stops scanning it again on every full collection, which cost a run ~5%.
    gc.freeze()
    app(prog_name="figtab")


if __name__ == "__main__":
    sys.exit(main())
