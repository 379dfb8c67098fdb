"""`figtab synth` writes PDFs and truth that the schema accepts, the same for the same seed."""

from __future__ import annotations

import json

from figtab.flows.synth import generate
from figtab.schemas import Chart, Table


def test_synth_is_deterministic_and_valid(tmp_path):
    first = generate(tmp_path / "a", n=6, seed=11)
    second = generate(tmp_path / "b", n=6, seed=11)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_text() for p in first] == [p.read_text() for p in second]
    charts = [json.loads(p.read_text()) for p in first if "series" in json.loads(p.read_text())]
    assert len(charts) == 6
    for case in charts:
        Chart.model_validate({k: case[k] for k in ("chart_type", "title", "series")})
        assert (tmp_path / "a" / case["file"]).exists()
    for p in first:
        case = json.loads(p.read_text())
        for table in case.get("tables", []):
            Table.model_validate(table)
    assert {c["library"] for c in charts} <= {"matplotlib", "pymupdf", "reportlab"}
