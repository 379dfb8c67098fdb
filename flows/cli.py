"""The `figtab` command line. Each command parses options, calls one library function, and turns a figtab
error into one line on stderr: exit 0 on success, 1 when any input failed, 2 on a usage error.
"""

from __future__ import annotations

import functools
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
from figtab.flows.store import default_db
from figtab.schemas import FigtabError, UsageError

app = typer.Typer(
    help="Turn the charts and tables inside documents into validated data you can query with SQL.\n\n"
         "Example: figtab extract report.pdf && figtab query \"select * from table_cells limit 5\"",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
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


_MAX_PAGE = 100_000  # no PDF has more pages; a larger number is a typo, not a request


def parse_pages(spec: str | None) -> list[int] | None:
    """``"1,3-5"`` -> ``[1, 3, 4, 5]``; 1-based page numbers."""
    if spec is None:
        return None
    pages: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
        if first < 1 or last < first or last > _MAX_PAGE:
            raise UsageError(f"--pages takes 1-based numbers up to {_MAX_PAGE:,} and ranges like 1,3-5; got {spec!r}")
        pages.update(range(first, last + 1))
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
        summary = extract_files(paths, db, backend, options, selection, on_result=printer, on_page=on_page)
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
    failures).

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


def main() -> None:
    app(prog_name="figtab")


if __name__ == "__main__":
    sys.exit(main())
