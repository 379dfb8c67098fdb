"""The bundled sample, read by `native`, gives back exactly the numbers it was drawn from (its truth file)."""

import json
from pathlib import Path

from figtab.extractors import get_extractor
from figtab.flows.pipeline import extract_file

SAMPLES = Path(__file__).parents[3] / "flows" / "samples"


def test_sample_tables_and_charts_match_their_truth():
    truth = json.loads((SAMPLES / "sample.truth.json").read_text())
    result = extract_file(str(SAMPLES / "sample.pdf"), get_extractor("native"))
    tables = [f for f in result.figures if f.kind == "table"]
    charts = [f for f in result.figures if f.kind == "chart"]
    assert [(f.page, f.table.rows, f.table.header_rows) for f in tables] == \
        [(t["page"], t["rows"], 1) for t in truth["tables"]]
    assert len(charts) == len(truth["charts"])
    for figure, expected in zip(charts, truth["charts"]):
        assert (figure.page, figure.chart.chart_type, figure.chart.title) == \
            (expected["page"], expected["chart_type"], expected["title"])
        got = {s.name: [(p.x, p.y) for p in s.points] for s in figure.chart.series}
        assert got == {s["name"]: [(p["x"], p["y"]) for p in s["points"]] for s in expected["series"]}
