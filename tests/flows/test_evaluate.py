"""`figtab.flows.evaluate` scores what the reference scorer scores, to 1e-6, on the same predictions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from figtab.flows.evaluate import evaluate, load_cases, predict, score
from figtab.schemas import UsageError

SHARED = Path(__file__).resolve().parents[3] / "shared"
REFERENCE = SHARED / "score_reference.py"
DEV_TABLES = SHARED / "data" / "dev" / "tables"
DEV_CASES = ["tab-camelot-twotables_2-p1", "tab-icdar2013-eu-004-p6", "tab-icdar2013-us-010-p2",
             "tab-icdar2013-us-025-p2", "tab-tabula-twotables-p1", "tab-statista-multi_col-2746"]


def reference_scores(cases_dir: Path, predictions: dict, tmp_path: Path, cases: list[str]) -> dict:
    lines = [json.dumps(figure) for figures in predictions.values() for figure in figures]
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text("\n".join(lines) + "\n")
    out = subprocess.run([sys.executable, str(REFERENCE), str(cases_dir), str(pred_file), "--cases", ",".join(cases),
                          "--per-case"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def assert_agree(ours: dict, theirs: dict) -> None:
    assert ours.keys() >= theirs.keys()
    for section in ("tables", "charts"):
        for key, value in theirs.get(section, {}).items():
            assert ours[section][key] == pytest.approx(value, abs=1e-6), (section, key)
    for case_id, metrics in theirs["per_case"].items():
        for key, value in metrics.items():
            assert ours["per_case"][case_id][key] == pytest.approx(value, abs=1e-6), (case_id, key)


@pytest.mark.skipif(not (REFERENCE.exists() and DEV_TABLES.is_dir()), reason="shared dev cases not present")
def test_agrees_with_reference_on_dev_tables(tmp_path: Path) -> None:
    cases = load_cases(DEV_TABLES, DEV_CASES)
    predictions, run = predict(DEV_TABLES, cases, "native")
    assert run["pages"] == len(DEV_CASES) and run["seconds_per_page"] > 0
    assert_agree(score(cases, predictions, per_case=True), reference_scores(DEV_TABLES, predictions, tmp_path,
                                                                           DEV_CASES))


def chart_case(series: list[dict]) -> dict:
    return {"file": "c.png", "page": 1, "chart_type": "bar", "series": series}


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference scorer not present")
def test_chart_metrics_agree_with_reference(tmp_path: Path) -> None:
    truth = [{"name": "Revenue", "points": [{"x": "2019", "y": 10}, {"x": "2020", "y": 12.5}, {"x": "2021", "y": 0}]},
             {"name": "Cost", "points": [{"x": "2019", "y": 7}, {"x": "2020", "y": "8%"}]}]
    guess = [{"name": "revenue", "points": [{"x": "2019", "y": 10.05}, {"x": "2020", "y": 11.0}, {"x": "2021", "y": 0}]},
             {"name": "Costs", "points": [{"x": "2019", "y": 7}, {"x": "2022", "y": 3}]}]
    (tmp_path / "chart-a.json").write_text(json.dumps(chart_case(truth)))
    (tmp_path / "chart-b.json").write_text(json.dumps({**chart_case(truth[:1]), "file": "d.png"}))
    predictions = {("c.png", 1): [{"file": "c.png", "page": 1, "kind": "chart", "chart": chart_case(guess)},
                                  {"file": "c.png", "page": 1, "kind": "chart", "chart": chart_case(truth[:1])}],
                   ("d.png", 1): [{"file": "d.png", "page": 1, "kind": "chart",
                                   "chart": chart_case([{"points": [{"x": 2019, "y": 10}]}])}]}
    ours = score(load_cases(tmp_path), predictions, per_case=True)
    assert 0 < ours["charts"]["rms_f1"] < 1
    assert_agree(ours, reference_scores(tmp_path, predictions, tmp_path, ["chart-a", "chart-b"]))


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference scorer not present")
def test_pie_metrics_compare_shares_like_the_reference(tmp_path: Path) -> None:
    truth = [{"name": "Market", "points": [{"x": "North", "y": 30}, {"x": "South", "y": 50}, {"x": "East", "y": 20}]}]
    as_fractions = [{"name": "Market", "points": [{"x": "South", "y": 0.5}, {"x": "North", "y": 0.3},
                                                  {"x": "East", "y": 0.2}]}]
    off_by_one_slice = [{"name": "Market", "points": [{"x": "North", "y": 33}, {"x": "South", "y": 50},
                                                      {"x": "East", "y": 20}, {"x": "West", "y": "n/a"}]}]
    (tmp_path / "pie-a.json").write_text(json.dumps({**chart_case(truth), "chart_type": "pie"}))
    (tmp_path / "pie-b.json").write_text(json.dumps({**chart_case(truth), "chart_type": "pie", "file": "d.png"}))
    (tmp_path / "bar-c.json").write_text(json.dumps({**chart_case(truth), "file": "e.png"}))
    predictions = {(name, 1): [{"file": name, "page": 1, "kind": "chart", "chart": chart_case(guess)}]
                   for name, guess in (("c.png", as_fractions), ("d.png", off_by_one_slice), ("e.png", as_fractions))}
    ours = score(load_cases(tmp_path), predictions, per_case=True)
    assert ours["per_case"]["pie-a"] == {"rms_f1": pytest.approx(1.0), "exact": pytest.approx(1.0)}
    assert 0 < ours["per_case"]["pie-b"]["rms_f1"] < 1 and ours["per_case"]["bar-c"]["rms_f1"] == 0
    assert_agree(ours, reference_scores(tmp_path, predictions, tmp_path, ["pie-a", "pie-b", "bar-c"]))


def test_evaluate_runs_the_pipeline_and_scores_a_made_pdf(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    rows = [["Region", "2022", "2023"], ["North", "12", "15"], ["South", "7", "9"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.insert_text((72 + 120 * c, 100 + 18 * r), text, fontsize=10)
    doc.save(tmp_path / "t.pdf")
    (tmp_path / "case-1.json").write_text(json.dumps({"file": "t.pdf", "page": 1, "tables": [{"rows": rows}]}))
    result = evaluate(tmp_path, backend="native", per_case=True)
    assert result["tables"] == {"cases": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["pages"] == 1 and result["failures"] == 0 and "case-1" in result["per_case"]
    json.dumps(result)


def test_unknown_case_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nope"):
        evaluate(tmp_path, backend="native", cases=["nope"])
