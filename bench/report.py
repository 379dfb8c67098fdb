"""Time to write a `figtab show` report of 200 figures, by stage, beside matplotlib re-drawing the same charts.

Usage: python -m bench.report [--n 200] [--runs 5] [--seed 11]
Makes ``--n`` fresh `figtab synth` charts (matplotlib, reportlab and PyMuPDF producers, some tables too), reads
them with `native` into a temporary DuckDB file, then writes the report of the first ``--n`` figures ``--runs``
times. Rows: the whole report, the report without source crops, each stage alone, and, as the peer, matplotlib
drawing the same charts to SVG (what using a plotting library for the re-drawings would cost); where Debian's
chromium is installed, opening the report in it against an empty page. Medians of runs, interleaved so a busy
machine slows every row alike.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import figtab
from figtab.flows.report import Selection, write_report
from figtab.flows.report.charts import chart_svg
from figtab.flows.report.crops import render_crops
from figtab.flows.report.model import load_report
from figtab.flows.report.page import render_page
from figtab.flows.synth import generate
from figtab.schemas import Chart


def make_database(folder: Path, n: int, seed: int) -> str:
    generate(folder / "docs", n=n, seed=seed)
    db = str(folder / "bench.duckdb")
    figtab.extract([str(folder / "docs")], backend="native", db=db)
    return db


def matplotlib_svg(chart: Chart) -> bytes:
    """The peer: the same chart drawn by matplotlib (bars, lines, points, areas or a pie) and saved as SVG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(5.6, 3.2))
    for series in chart.series:
        xs, ys = [str(p.x) if chart.chart_type == "bar" else p.x for p in series.points], [p.y for p in series.points]
        if chart.chart_type == "pie":
            axes.pie(ys, labels=[str(x) for x in xs])
            break
        draw = {"bar": axes.bar, "line": axes.plot, "area": axes.fill_between}.get(chart.chart_type, axes.scatter)
        draw(xs, ys, label=series.name or None)
    axes.set_title(chart.title or "")
    if len(chart.series) > 1:
        axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    pyplot.close(figure)
    return buffer.getvalue()


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def open_in_chromium(url: str, profile: Path) -> None:
    """Load ``url`` in a fresh headless Chromium and print its DOM once loaded: how long opening the report takes."""
    subprocess.run([shutil.which("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                   check=True, capture_output=True, timeout=120)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(n: int, runs: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = make_database(folder, n, seed)
        selection = Selection(limit=n)
        report = load_report(db, selection)
        crops = render_crops(report.figures)
        charts = [item.figure.chart for item in report.figures if item.figure.chart is not None]
        kinds = f"{len(charts)} charts, {len(report.figures) - len(charts)} tables"
        out = folder / "report.html"
        rows: dict[str, Callable[[], object]] = {
            "whole report (figtab show)": lambda: write_report(db, out, selection),
            "whole report, no source crops": lambda: write_report(db, folder / "bare.html", selection, sources=False),
            "  read the database": lambda: load_report(db, selection),
            "  render source crops": lambda: render_crops(report.figures),
            "  write the page (SVG + HTML)": lambda: render_page(report, crops),
            "  charts alone: figtab SVG": lambda: [chart_svg(chart) for chart in charts],
            "  charts alone: matplotlib SVG (peer)": lambda: [matplotlib_svg(chart) for chart in charts],
        }
        if shutil.which("chromium"):  # opening: the report against an empty page, in the same fresh browser
            rows["open the report in headless chromium"] = lambda: open_in_chromium(out.as_uri(), folder / "profile")
            rows["  open it without source crops"] = lambda: open_in_chromium((folder / "bare.html").as_uri(),
                                                                              folder / "profile")
            rows["  open about:blank (baseline)"] = lambda: open_in_chromium("about:blank", folder / "profile")
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(runs):
            for name, work in rows.items():
                times[name].append(timed(work))
        sizes = {"whole report (figtab show)": out.stat().st_size,
                 "whole report, no source crops": (folder / "bare.html").stat().st_size}
        print(f"{len(report.figures)} figures ({kinds}), median of {runs} runs")
        print(f"{'step':40} {'median s':>9} {'min s':>7} {'ms/figure':>9} {'file KiB':>9}")
        for name, spent in times.items():
            count = len(charts) if "charts alone" in name else len(report.figures)
            size = f"{sizes[name] / 1024:9,.0f}" if name in sizes else f"{'':>9}"
            print(f"{name:40} {statistics.median(spent):9.3f} {min(spent):7.3f} "
                  f"{1000 * statistics.median(spent) / max(count, 1):9.2f} {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="figures in the report")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    run(args.n, args.runs, args.seed)


if __name__ == "__main__":
    main()
