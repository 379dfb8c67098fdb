"""Cold one-off `figtab extract` timings (in-process vs through a running Prefect server) and peak memory.

Usage: python -m bench.pipeline [--runs 5] [--pages 300]
Prints a table: medians of several cold runs (a fresh process each), and the peak RSS of extracting a small
and a large PDF, to show pages are streamed rather than held.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pymupdf

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "flows" / "samples" / "sample.pdf"
FIGTAB = [sys.executable, "-m", "figtab"]


def make_pdf(path: Path, n_pages: int) -> Path:
    """``n_pages`` pages cycling through the sample's table and chart pages."""
    with pymupdf.open(SAMPLE) as sample, pymupdf.open() as out:
        for i in range(n_pages):
            out.insert_pdf(sample, from_page=i % sample.page_count, to_page=i % sample.page_count)
        out.save(path)
    return path


def timed_run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(FIGTAB + args, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def peak_rss_mb(args: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one figtab process, measured by a wrapper so earlier runs do not count."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *FIGTAB, *args], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return int(out.stdout.strip()) / 1024


def start_prefect_server(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("prefect server did not become healthy in 90 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--port", type=int, default=4299)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        one = make_pdf(tmp / "one.pdf", 1)
        rows = []
        local = [timed_run(["extract", str(one), "--db", str(tmp / "local.duckdb")], env) for _ in range(args.runs)]
        rows.append(("extract 1 page, in-process (no Prefect API)", statistics.median(local), min(local)))
        server = start_prefect_server(tmp / "prefect-home", args.port)
        try:
            api = {**env, "PREFECT_HOME": str(tmp / "prefect-home"), "PREFECT_API_URL":
                   f"http://127.0.0.1:{args.port}/api"}
            remote = [timed_run(["extract", str(one), "--db", str(tmp / "prefect.duckdb")], api)
                      for _ in range(args.runs)]
            rows.append(("extract 1 page, through a running Prefect server", statistics.median(remote), min(remote)))
        finally:
            server.terminate()
            server.wait()
        print(f"figtab pipeline bench ({os.cpu_count()} CPUs, {args.runs} cold runs each, fresh process per run)\n")
        print(f"| {'run':<50} | median s | min s |\n|{'-' * 52}|----------|-------|")
        for name, median, best in rows:
            print(f"| {name:<50} | {median:8.2f} | {best:5.2f} |")
        print(f"\n| {'pages':>5} | peak RSS MB | s/page |\n|-------|-------------|--------|")
        for n_pages in (args.pages // 10, args.pages):
            pdf = make_pdf(tmp / f"doc-{n_pages}.pdf", n_pages)
            db = str(tmp / f"mem-{n_pages}.duckdb")
            start = time.perf_counter()
            rss = peak_rss_mb(["extract", str(pdf), "--db", db], env)
            print(f"| {n_pages:>5} | {rss:11.0f} | {(time.perf_counter() - start) / n_pages:6.3f} |")


if __name__ == "__main__":
    main()
