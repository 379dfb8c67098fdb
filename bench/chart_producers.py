"""The native chart reader on charts from other tools (gnuplot, Vega-Lite, ECharts in Chromium, LibreOffice Calc,
LaTeX pgfplots): cases written in the dev case format, read and scored by `figtab eval`'s own code, a table per
producer.

Usage: python -m bench.chart_producers --producer gnuplot|vegalite|echarts|libreoffice|pgfplots|all [--n 40]
[--seed 12] [--out DIR]
The tools are not figtab dependencies (bench/requirements-charts.txt); a producer that is missing is skipped.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.charts import print_table
from bench.producers import PRODUCERS, Producer, Style, producer, random_style
from figtab.flows.evaluate import predict, score
from figtab.flows.synth.spec import ChartSpec, random_spec


def _group(spec: ChartSpec, style: Style) -> str:
    """The chart kind and the drawing habits it shows, for the per-group rows."""
    tags = [spec.kind + (":" + spec.x_kind if spec.kind in ("line", "scatter") else "")]
    tags += ["horizontal"] if spec.horizontal else []
    tags += ["stacked"] if spec.stacked else []
    tags += ["smooth"] if spec.kind == "line" and style.smooth else []
    return ":".join(tags)


def write_cases(made: Producer, n: int, seed: int, out: Path) -> dict[str, str]:
    """``n`` charts as ``<producer>-NNN.pdf`` + ``.json`` truth in ``out``; their groups by case id."""
    rng = random.Random(f"{made.name}:{seed}")
    groups = {}
    for i in range(n):
        spec = random_spec(rng, made.kinds, made.x_kinds, allow_log=False, allow_horizontal=made.allow_horizontal)
        style = random_style(rng, spec)
        case_id = f"{made.name}-{i:03d}"
        (out / f"{case_id}.pdf").write_bytes(made.draw(spec, style))
        (out / f"{case_id}.json").write_text(json.dumps(spec.truth(f"{case_id}.pdf", 1)))
        groups[case_id] = _group(spec, style)
    return groups


def measure(made: Producer, n: int, seed: int, out: Path) -> None:
    groups = write_cases(made, n, seed, out)
    cases = {case_id: json.loads((out / f"{case_id}.json").read_text()) for case_id in groups}
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for case_id, case in cases.items():
        predictions, run = predict(out, {case_id: case}, "native")
        result = score({case_id: case}, predictions, per_case=True)["per_case"][case_id]
        for group in (groups[case_id], "ALL"):
            rows[group].append((result["rms_f1"], result["exact"], run["seconds_per_page"] * 1000))
    print(f"{made.name} seed={seed} n={n} (cases in {out})")
    print_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producer", default="all", choices=PRODUCERS + ["all"])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=None, help="keep the cases here (default: a temporary folder)")
    args = parser.parse_args()
    for name in PRODUCERS if args.producer == "all" else [args.producer]:
        made = producer(name)
        if (why := made.missing()) is not None:
            print(f"{name}: skipped, {why}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = args.out / name if args.out else Path(tmp)
            out.mkdir(parents=True, exist_ok=True)
            measure(made, args.n, args.seed, out)


if __name__ == "__main__":
    main()
