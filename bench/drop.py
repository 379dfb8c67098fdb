"""200 small PDFs dropped at once into a folder `figtab serve` watches: throughput, exactly-once, Prefect's cost.

Usage: python -m bench.drop [--files 200] [--runs 3] [--workers 1] [--every 30]   (from the repo root)
One `figtab serve` process (native backend) runs on a Prefect server this script starts; each run drops a fresh
set of one-page PDFs (page 1 of the bundled sample, a different title each, so every file is new content) by
renaming them in at once, and waits until all are committed. Side by side, on the same files:
- in-process: `figtab extract`'s path without Prefect (`extract_files(use_prefect=False)`);
- bare: the stage functions and one writer, no Prefect and no drop-folder logic (the floor);
- process-drop: the flow run's own duration as the Prefect server recorded it (discovery, hashing, a
  `read-documents` tasks, the writer), and end to end from the drop until the last file is committed
  (includes waiting for the next scheduled run and starting its process);
- Prefect alone: what one no-op task per file adds to a flow run, submitted the way process-drop submits tasks:
  Prefect's cost per task run, apart from the reading and writing it overlaps (process-drop shares one task run
  among several files in a large drop).
Each run also checks that no file was processed twice (one `drop_files` row each, run counts add up).
Medians of the runs are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pymupdf
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from figtab.extractors import get_extractor
from figtab.flows.pipeline import extract_file
from figtab.flows.prefect_server import PrefectServer
from figtab.flows.runner import extract_files
from figtab.flows.serve import deployment_name
from figtab.flows.store import Store, StoreError, run_query

SAMPLE = Path(__file__).parents[1] / "flows" / "samples" / "sample.pdf"


def make_pdfs(folder: Path, n: int, tag: str) -> list[Path]:
    """``n`` one-page PDFs with a table, different bytes each, mtimes a minute old (so they count as settled)."""
    folder.mkdir(parents=True)
    paths = []
    with pymupdf.open(SAMPLE) as sample:
        sample.select([0])
        for i in range(n):
            sample.set_metadata({"title": f"{tag} {i}"})
            path = folder / f"{tag}-{i:03d}.pdf"
            sample.save(path)
            paths.append(path)
    then = time.time() - 60
    for path in paths:
        os.utime(path, (then, then))
    return paths


def in_process(files: list[Path], db: Path) -> float:
    start = time.perf_counter()
    extract_files([str(f) for f in files], str(db), backend="native", use_prefect=False)
    return time.perf_counter() - start


def bare(files: list[Path], db: Path) -> float:
    start = time.perf_counter()
    extractor = get_extractor("native")
    results = [extract_file(str(f), extractor) for f in files]
    with Store(str(db)) as store:
        run_id = store.start_run("native", None)
        for result in results:
            store.save(result, run_id)
    return time.perf_counter() - start


@task(cache_policy=NO_CACHE, persist_result=False)
def noop(file: str) -> str:
    return file


@flow(persist_result=False)
def prefect_only(files: list[str], workers: int) -> None:
    with ThreadPoolTaskRunner(max_workers=workers) as runner:
        for future in [runner.submit(noop, {"file": file}) for file in files]:
            future.result()


def prefect_alone(api_url: str, files: list[Path], workers: int) -> float:
    """Seconds the no-op tasks add to a flow run (an empty run's time subtracted)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    seconds = []
    with temporary_settings({PREFECT_API_URL: api_url}):
        for batch in ([], [str(f) for f in files]):
            start = time.perf_counter()
            prefect_only(batch, workers)
            seconds.append(time.perf_counter() - start)
    return seconds[1] - seconds[0]


def count(db: Path, sql: str) -> int:
    while True:
        try:
            return run_query(str(db), sql).rows[0][0]
        except StoreError:  # the writer holds it; look again
            time.sleep(0.2)


def flow_run_seconds(api_url: str, deployment: str, since: datetime, until: datetime) -> float:
    """Summed duration of the completed process-drop runs of ``deployment`` that overlap [since, until]."""
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read() -> float:
        async with get_client() as client:
            runs = await client.read_flow_runs(deployment_filter=DeploymentFilter(
                name=DeploymentFilterName(any_=[deployment])), limit=200)
        return sum(run.total_run_time.total_seconds() for run in runs
                   if run.state and run.state.is_completed() and run.start_time and run.end_time
                   and run.end_time >= since and run.start_time <= until)

    with temporary_settings({PREFECT_API_URL: api_url}):
        return asyncio.run(read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="serve's --workers (1 compares like with like)")
    parser.add_argument("--every", type=float, default=30)
    args = parser.parse_args()
    logging.getLogger("prefect").setLevel(logging.WARNING)  # a line per task run would bury the table
    work = Path(tempfile.mkdtemp(prefix="figtab-bench-drop-"))
    inbox, db = work / "inbox", work / "serve.duckdb"
    inbox.mkdir()
    server = PrefectServer(work / "prefect-home")
    serve = None
    rows: dict[str, list[float]] = {"in-process": [], "bare": [], "flow": [], "prefect": [], "end to end": []}
    try:
        api_url = server.start()
        serve = subprocess.Popen([sys.executable, "-m", "figtab", "serve", str(inbox), "--db", str(db), "--backend",
                                  "native", "--every", str(args.every), "--workers", str(args.workers)],
                                 env={**os.environ, "PREFECT_API_URL": api_url}, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        for run in range(args.runs):
            staged = make_pdfs(work / f"staged-{run}", args.files, f"r{run}")
            rows["in-process"].append(in_process(staged, work / f"in-process-{run}.duckdb") / args.files)
            rows["bare"].append(bare(staged, work / f"bare-{run}.duckdb") / args.files)
            rows["prefect"].append(prefect_alone(api_url, staged, args.workers) / args.files)
            expected = (run + 1) * args.files
            since, start = datetime.now(timezone.utc), time.perf_counter()
            for path in staged:
                path.rename(inbox / path.name)
            while not db.exists() or count(db, "SELECT count(*) FROM drop_files") < expected:
                time.sleep(0.2)
            rows["end to end"].append(time.perf_counter() - start)
            until = datetime.now(timezone.utc)
            rows["flow"].append(flow_run_seconds(api_url, deployment_name(inbox), since, until) / args.files)
            once = count(db, "SELECT count(*) FROM drop_files") == count(db, "SELECT sum(n_files) FROM runs") \
                == count(db, "SELECT count(*) FROM documents") == expected
            print(f"run {run + 1}: {args.files} files committed in {rows['end to end'][-1]:.1f} s; "
                  f"each processed once: {once}", flush=True)
    finally:
        if serve is not None:
            serve.send_signal(2)
            try:
                serve.wait(60)
            except subprocess.TimeoutExpired:
                serve.kill()
        server.stop()
    median = {name: statistics.median(values) for name, values in rows.items()}
    print(f"\n{args.files} one-page PDFs, native backend, serve --workers {args.workers} --every {args.every:g}, "
          f"median of {args.runs} runs\n")
    print("| path | ms per file | vs in-process |")
    print("|---|---|---|")
    for name, label in [("bare", "bare: stage functions + one writer"), ("in-process", "in-process (figtab extract)"),
                        ("flow", "process-drop flow run (Prefect)")]:
        print(f"| {label} | {median[name] * 1000:.1f} | {median[name] / median['in-process'] - 1:+.1%} |")
    print(f"| Prefect alone: one no-op task run | {median['prefect'] * 1000:.1f} | "
          f"{median['prefect'] / median['in-process']:.1%} of in-process |")
    print(f"\nend to end through serve (drop -> all committed): {median['end to end']:.1f} s, "
          f"{args.files / median['end to end'] * 60:.0f} files/min")


if __name__ == "__main__":
    main()
