"""Native chart reader on fresh `figtab synth` charts: RMS-F1, exact-point share and ms per chart, by type.

Usage: python -m bench.charts [--n 200] [--seed 2024] [--out DIR]. Scored with ../shared/score_reference.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pymupdf

from extractors.native.charts import find_charts
from extractors.native.page_content import PageContent
from flows.synth import generate

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "score_reference.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(n: int, seed: int, out: Path) -> None:
    score = _scorer()
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
        truth = score.chart_points(case)
        best = max((score.rms(truth, score.chart_points(f.chart.model_dump()))[:2] for f in found), default=(0, 0))
        group = f"{case['library']}:{case['chart_type']}" + (":horizontal" if case.get("horizontal") else "") + \
            (":stacked" if case.get("stacked") else "")
        rows[group].append((best[0], best[1], ms))
        rows["ALL"].append((best[0], best[1], ms))
    print(f"seed={seed} n={len(cases)}")
    print(f"{'group':38} {'cases':>5} {'rms_f1':>7} {'exact':>6} {'ms/chart':>8}")
    for group in sorted(rows, key=lambda g: (g == "ALL", g)):
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
