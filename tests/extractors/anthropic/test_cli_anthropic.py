"""`figtab extract --backend anthropic` end to end: the CLI, the real SDK over HTTP, a real DuckDB file."""

import json
import logging

import pytest
from messages_api_server import Reply, error, tool_answer
from typer.testing import CliRunner

from figtab.flows.cli import app
from figtab.flows.store import run_query

CHART = {"chart_type": "line", "title": "Visitors", "series": [{"name": "2024", "points": [
    {"x": 1, "y": 10.5}, {"x": 2, "y": 12.0}, {"x": 3, "y": 11.25}]}]}
USAGE_COLUMNS = "input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd"


def figtab(*args: str):
    """The CLI with one worker, so the scripted answers meet the files in the order given."""
    command = list(args) + (["--workers", "1"] if args[0] == "extract" else [])
    return CliRunner().invoke(app, command)


def chart_answer(**usage) -> Reply:
    return tool_answer([{"kind": "chart", "box": {"image": 0, "x0": 40, "y0": 30, "x1": 600, "y1": 400},
                         "chart": CHART}], **usage)


def test_extract_stores_the_chart_its_points_and_what_it_cost(messages_api, chart_png, tmp_path):
    db = str(tmp_path / "f.duckdb")
    messages_api.script(chart_answer(input_tokens=1800, output_tokens=250, cache_write=1400))
    result = figtab("extract", str(chart_png), "--backend", "anthropic", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    [line] = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["backend"] == "anthropic" and line["model"] == "claude-sonnet-4-5" and line["valid"]
    assert [p["y"] for p in line["chart"]["series"][0]["points"]] == [10.5, 12.0, 11.25]
    points = run_query(db, "SELECT series, x_value, y FROM chart_points ORDER BY x_value")[1]
    assert points == [("2024", 1.0, 10.5), ("2024", 2.0, 12.0), ("2024", 3.0, 11.25)]
    [figure_usage] = run_query(db, f"SELECT {USAGE_COLUMNS} FROM figures")[1]
    [run_usage] = run_query(db, f"SELECT {USAGE_COLUMNS} FROM runs")[1]
    # list prices of claude-sonnet-4-5: $3 input, $15 output, $3.75 for 5-minute cache writes per million tokens
    assert figure_usage == run_usage == (1800, 250, 0, 1400, pytest.approx((1800 * 3 + 250 * 15 + 1400 * 3.75) / 1e6))


def test_tokens_spent_on_a_page_where_nothing_was_found_count_in_runs(messages_api, chart_png, tmp_path):
    db = str(tmp_path / "f.duckdb")
    messages_api.script(tool_answer([], input_tokens=900, output_tokens=20))
    assert figtab("extract", str(chart_png), "--backend", "anthropic", "--db", db).exit_code == 0
    assert run_query(db, "SELECT count(*) FROM figures")[1] == [(0,)]
    assert run_query(db, "SELECT input_tokens, output_tokens FROM runs")[1] == [(900, 20)]


def test_a_rejected_key_is_one_line_per_input_exit_1_and_one_request(messages_api, chart_png, letter_pdf, tmp_path,
                                                                     api_key, caplog):
    caplog.set_level(logging.DEBUG)
    db = str(tmp_path / "f.duckdb")
    messages_api.script(error(401, "authentication_error", "invalid x-api-key"))
    result = figtab("extract", str(chart_png), str(letter_pdf), "--backend", "anthropic", "--db", db)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all("ANTHROPIC_API_KEY" in line and "401" in line for line in lines)
    assert len(messages_api.requests) == 1  # no retry, and no request for the second file
    failures = run_query(db, "SELECT file, stage, message FROM failures ORDER BY file")[1]
    assert [row[0] for row in failures] == sorted([str(chart_png), str(letter_pdf)])
    everything = json.dumps([run_query(db, f"SELECT * FROM {t}")[1] for t in ("figures", "runs", "failures")],
                            default=str)
    assert api_key not in everything + result.output + caplog.text  # never printed, logged or stored


def test_a_missing_key_is_one_clear_line_and_exit_1(messages_api, chart_png, tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    result = figtab("extract", str(chart_png), "--backend", "anthropic", "--db", str(tmp_path / "f.duckdb"))
    assert result.exit_code == 1 and messages_api.requests == []
    [line] = result.stderr.strip().splitlines()
    assert line == f"figtab: error: {chart_png} page 1: ANTHROPIC_API_KEY is not set: the anthropic backend needs " \
                   "an API key (or use --backend native / paligemma)"


def test_a_hung_server_times_out_is_recorded_and_the_next_file_is_still_read(messages_api, chart_png, letter_pdf,
                                                                              tmp_path, monkeypatch):
    monkeypatch.setenv("FIGTAB_ANTHROPIC_TIMEOUT", "0.5")
    monkeypatch.setenv("FIGTAB_ANTHROPIC_MAX_RETRIES", "1")
    db = str(tmp_path / "f.duckdb")
    messages_api.script(Reply(hang=True), Reply(hang=True), chart_answer())
    result = figtab("extract", str(letter_pdf), str(chart_png), "--backend", "anthropic", "--db", db)
    assert result.exit_code == 1
    assert len(messages_api.requests) == 3  # the hung request, its one retry, then the next file
    [(file, message)] = run_query(db, "SELECT file, message FROM failures")[1]
    assert file == str(letter_pdf) and "within 0.5 s" in message and "2 attempts" in message
    assert run_query(db, "SELECT file FROM figures")[1] == [(str(chart_png),)]


def test_a_bad_setting_is_a_usage_error(messages_api, chart_png, monkeypatch):
    monkeypatch.setenv("FIGTAB_ANTHROPIC_TIMEOUT", "soon")
    result = figtab("extract", str(chart_png), "--backend", "anthropic")
    assert result.exit_code == 2 and "FIGTAB_ANTHROPIC_TIMEOUT" in result.stderr
    assert messages_api.requests == []


def test_eval_runs_the_backend_over_a_cases_folder(messages_api, chart_png, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / chart_png.name).write_bytes(chart_png.read_bytes())
    (cases / "line.json").write_text(json.dumps({"file": chart_png.name, "page": 1, **CHART}))
    messages_api.script(chart_answer())
    result = figtab("eval", str(cases), "--backend", "anthropic")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["backend"] == "anthropic" and scores["charts"]["cases"] == 1 and scores["charts"]["rms_f1"] == 1.0
