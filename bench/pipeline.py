"""Whole `figtab extract` runs against table extractors used the same way, and where figtab's time goes.

Usage: python -m bench.pipeline [PDF_DIR] [--runs 3] [--workers N] [--copies 5]   (from the repo root)
Every tool runs as a fresh process over every page of every PDF in PDF_DIR (default: the dev tables), so
interpreter start, imports and, for figtab, storing into DuckDB count as a user pays them; the peers store
nothing. figtab's modules are compiled to bytecode first, as an installed package's are. Runs are interleaved
(one of each tool, then again) and the table shows each tool's median. Peers (camelot stream, pdfplumber,
PyMuPDF `find_tables()`) come from bench/requirements-tables.txt. The second table
is figtab alone over a larger drop, ``--copies`` copies of every PDF (each a distinct document: a comment after
its end changes its bytes), where start-up weighs less and workers have more to share. The third splits one
in-process serial run by stage: open (check, fingerprint, parse the file), text (load each page and read its text
layer and words), tables (ruling lines, grids, unruled tables, edges for stitching), charts, store.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]
DEV_TABLES = ROOT.parent / "shared" / "data" / "dev" / "tables"


def _camelot(path: Path) -> None:
    import camelot

    with warnings.catch_warnings():  # camelot warns on every page without a table
        warnings.simplefilter("ignore")
        camelot.read_pdf(str(path), pages="all", flavor="stream")


def _pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _pymupdf(path: Path) -> None:
    import pymupdf

    with pymupdf.open(path) as doc:
        for page in doc:
            page.find_tables()


PEERS: dict[str, Callable[[Path], None]] = {"camelot stream": _camelot, "pdfplumber": _pdfplumber,
                                           "pymupdf find_tables": _pymupdf}


def pdfs(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.glob("*.pdf"))


def _commands(folder: Path, workers: int, tmp: Path) -> dict[str, Callable[[int], list[str]]]:
    figtab = [sys.executable, "-m", "figtab", "extract", *pdfs(folder), "--backend", "native"]
    peer = [sys.executable, "-m", "bench.pipeline", str(folder), "--peer"]
    return {"figtab, 1 worker": lambda run: [*figtab, "--workers", "1", "--db", str(tmp / f"one-{run}.duckdb")],
            f"figtab, {workers} workers": lambda run: [*figtab, "--workers", str(workers),
                                                       "--db", str(tmp / f"many-{run}.duckdb")],
            **{name: (lambda run, name=name: [*peer, name]) for name in PEERS}}


def whole_runs(folder: Path, n_pages: int, runs: int, workers: int, peers: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        commands = _commands(folder, workers, Path(tmp_dir))
        if not peers:
            commands = {name: command for name, command in commands.items() if name.startswith("figtab")}
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        missing: dict[str, str] = {}
        for run in range(runs):
            for name, command in commands.items():
                if name in missing:
                    continue
                start = time.perf_counter()
                done = subprocess.run(command(run), cwd=ROOT, capture_output=True, text=True)
                if done.returncode != 0:
                    missing[name] = (done.stderr.strip().splitlines() or ["failed"])[-1]
                    continue
                seconds[name].append(time.perf_counter() - start)
    base = "camelot stream" if peers else "figtab, 1 worker"
    reference = statistics.median(seconds[base]) if seconds.get(base) else None
    print(f"\nWhole runs over {len(pdfs(folder))} PDFs, {n_pages} pages, fresh process each, median of {runs} "
          f"(interleaved), {os.cpu_count()} CPUs\n")
    print(f"| tool | s/page | total s | vs {base} |\n|---|---|---|---|")
    for name, times in seconds.items():
        if name in missing:
            print(f"| {name} | not run: {missing[name]} | | |")
            continue
        total = statistics.median(times)
        ratio = f"{total / reference:.2f}x" if reference else "-"
        print(f"| {name} | {total / n_pages:.3f} | {total:.1f} | {ratio} |")


def compile_sources() -> None:
    """Bytecode for figtab's own modules, as an installed wheel has (and `make install`): an editable checkout run
    with PYTHONDONTWRITEBYTECODE set would compile every module at each start, which no installed user pays."""
    for folder in ("figtab", "schemas", "tiling", "extractors", "flows"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def copied(folder: Path, copies: int, into: Path) -> Path:
    """``copies`` distinct copies of every PDF in ``folder``: a comment after the end of the file (which PDF
    readers ignore) makes each copy its own document."""
    for n in range(copies):
        for file in pdfs(folder):
            data = Path(file).read_bytes() + f"\n% figtab bench copy {n}\n".encode()
            (into / f"{n}-{Path(file).name}").write_bytes(data)
    return into


class _Clock:
    """Seconds spent inside wrapped functions, by stage; an inner call of the same stage is not counted twice."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._depth: dict[str, int] = {}

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth[stage] = self._depth.get(stage, 0) + 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth[stage] -= 1
                if not self._depth[stage]:
                    self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
        return timed


def split_run(files: list[str], n_pages: int) -> None:
    """One serial in-process run with each stage's entry points timed (after a warm-up run)."""
    import figtab.extractors.native as native
    import figtab.tiling.documents as documents
    from figtab.flows.runner import extract_files
    from figtab.flows.store import Store

    clock = _Clock()
    stages = [("open", documents, "_check_readable"), ("open", documents, "fingerprint"),
              ("open", documents, "_open_pymupdf"), ("text", documents.OpenedDocument, "load"),
              ("text", native, "PageContent"), ("tables", native, "find_tables"), ("tables", native, "edges"),
              ("charts", native, "could_hold_chart"), ("charts", native, "find_charts"), ("store", Store, "save")]
    with tempfile.TemporaryDirectory() as tmp:
        extract_files(files[:1], str(Path(tmp) / "warm.duckdb"), "native")
        for stage, owner, name in stages:
            setattr(owner, name, clock.wrap(stage, getattr(owner, name)))
        start = time.perf_counter()
        extract_files(files, str(Path(tmp) / "split.duckdb"), "native", workers=1)
        total = time.perf_counter() - start
    parts = {stage: clock.seconds.get(stage, 0.0) for stage in ("open", "text", "tables", "charts", "store")}
    parts["other (figures, validation, stitching)"] = total - sum(parts.values())
    print(f"\nfigtab's time by stage, one serial in-process run over the same pages ({total:.1f} s)\n")
    print("| stage | ms/page | share |\n|---|---|---|")
    for stage, seconds in parts.items():
        print(f"| {stage} | {1000 * seconds / n_pages:.1f} | {seconds / total:.0%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf_dir", nargs="?", type=Path, default=DEV_TABLES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--copies", type=int, default=5, help="copies of the set for the workers table (1: none)")
    parser.add_argument("--peer", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = pdfs(args.pdf_dir)
    if args.peer:  # a peer's own process, started by `whole_runs`: read every page of every file
        for file in files:
            PEERS[args.peer](Path(file))
        return
    import pymupdf

    n_pages = sum(pymupdf.open(file).page_count for file in files)
    compile_sources()
    whole_runs(args.pdf_dir, n_pages, args.runs, args.workers)
    if args.copies > 1:
        with tempfile.TemporaryDirectory() as tmp:
            whole_runs(copied(args.pdf_dir, args.copies, Path(tmp)), n_pages * args.copies, args.runs, args.workers,
                       peers=False)
    split_run(files, n_pages)


if __name__ == "__main__":
    main()
