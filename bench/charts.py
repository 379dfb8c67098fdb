"""Native chart reader on fresh `figtab synth` charts: RMS-F1, exact-point share and ms per chart, by producer:type.

Usage: python -m bench.charts [--n 200] [--seed 2024] [--out DIR]. Scored with flows/metrics.py (DESIGN.md metric).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pymupdf

from figtab.extractors.native.charts import find_charts
from figtab.extractors.native.page_content import PageContent
from figtab.flows.metrics import best_chart_score
from figtab.flows.synth import generate


def _group(case: dict) -> str:
    return f"{case['library']}:{case['chart_type']}" + (":horizontal" if case.get("horizontal") else "") + \
        (":stacked" if case.get("stacked") else "")


def run(n: int, seed: int, out: Path) -> None:
    cases = [json.loads(p.read_text()) for p in generate(out, n=n, seed=seed)]
    cases = [c for c in cases if "series" in c]
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    pages: dict[tuple[str, int], tuple[list, float]] = {}
    for case in cases:
        key = (case["file"], case["page"])
        if key not in pages:  # several charts on one page are read once, timed per chart
            with pymupdf.open(out / case["file"]) as doc:
                start = time.perf_counter()
                found = find_charts(PageContent(doc[case["page"] - 1]))
                elapsed = (time.perf_counter() - start) * 1000
            on_page = sum(1 for c in cases if (c["file"], c["page"]) == key)
            pages[key] = (found, elapsed / on_page)
        found, ms = pages[key]
        f1, exact = best_chart_score(case, [f.chart.model_dump() for f in found])
        for group in (_group(case), f"{case['library']}:ALL", "ALL"):
            rows[group].append((f1, exact, ms))
    print(f"seed={seed} n={len(cases)}")
    print_table(rows)


def print_table(rows: dict[str, list[tuple[float, float, float]]]) -> None:
    """Mean (RMS-F1, exact share, ms per chart) per group; the totals (``ALL``, ``...:ALL``) last."""
    print(f"{'group':38} {'cases':>5} {'rms_f1':>7} {'exact':>6} {'ms/chart':>8}")
    for group in sorted(rows, key=lambda g: (g == "ALL", g.endswith(":ALL"), g)):
        r = rows[group]
        print(f"{group:38} {len(r):5d} {sum(x[0] for x in r) / len(r):7.3f} {sum(x[1] for x in r) / len(r):6.3f} "
              f"{sum(x[2] for x in r) / len(r):8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args.n, args.seed, args.out or Path(tmp))


if __name__ == "__main__":
    main()
