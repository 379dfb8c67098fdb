"""The `figtab` CLI contract: formats, exit codes, one clear line per failed input, help with examples."""

import json
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from figtab.flows.cli import app, parse_pages
from figtab.flows.store import run_query
from figtab.schemas import UsageError

runner = CliRunner()
CONTRACT_KEYS = {"file", "doc_id", "page", "kind", "bbox", "backend", "model", "valid", "errors", "table", "chart"}


def figtab(*args, env=None):
    return runner.invoke(app, list(args), env=env)


def test_jsonl_lines_follow_the_contract_and_reruns_add_no_rows(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    result = figtab("extract", str(sample_pdf), "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) >= 2
    for line in lines:
        assert CONTRACT_KEYS <= set(line)
        assert line["file"] == str(sample_pdf) and len(line["doc_id"]) == 64 and line["page"] >= 1
        assert len(line["bbox"]) == 4 and line["backend"] == "native" and line["valid"] is True
    sql = "SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM table_cells)"
    before = run_query(db, sql)[1]
    assert figtab("extract", str(sample_pdf), "--db", db).exit_code == 0
    assert run_query(db, sql)[1] == before


def test_bad_inputs_get_one_line_each_exit_1_and_the_rest_still_goes_through(tmp_path, bad_inputs, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    paths = [str(p) for p in bad_inputs.values()]
    result = figtab("extract", *paths[:2], str(sample_pdf), *paths[2:], "--db", db)
    assert result.exit_code == 1
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == len(paths)
    for path, line in zip(sorted(paths), sorted(error_lines)):
        assert line.startswith(f"figtab: error: {path}: ")
    assert "Traceback" not in result.output
    assert run_query(db, "SELECT count(*) FROM figures WHERE file = ?", [str(sample_pdf)])[1][0][0] >= 2
    assert run_query(db, "SELECT count(*) FROM failures")[1][0][0] == len(paths)


def test_image_without_a_model_backend_fails_saying_why(tmp_path, sample_pdf):
    import pymupdf
    png = tmp_path / "scan.png"
    with pymupdf.open(sample_pdf) as doc:
        doc[0].get_pixmap(dpi=40).save(png)
    result = figtab("extract", str(png), "--db", str(tmp_path / "f.duckdb"), env={"ANTHROPIC_API_KEY": ""})
    assert result.exit_code == 1
    assert "scan.png page 1: page 1 has no text layer" in result.stderr and "model backend" in result.stderr


@pytest.mark.parametrize("args", [["extract", "x.pdf", "--pages", "2-b"], ["extract", "x.pdf", "--backend", "nope"],
                                  ["query"], ["extract", "x.pdf", "--format", "xml"]])
def test_usage_errors_exit_2(args):
    result = figtab(*args)
    assert result.exit_code == 2


def test_unknown_backend_names_the_known_ones():
    result = figtab("extract", "x.pdf", "--backend", "nope")
    assert "known backends: " in result.stderr and "native" in result.stderr


def test_parse_pages():
    assert parse_pages("1,3-5,3") == [1, 3, 4, 5]
    assert parse_pages(None) is None
    for bad in ("0", "a", "3-", ",", "-2"):
        with pytest.raises(UsageError):
            parse_pages(bad)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(tmp_path, sample_pdf, fmt):
    db = str(tmp_path / "f.duckdb")
    figtab("extract", str(sample_pdf), "--db", db)
    result = figtab("query", "SELECT kind, count(*) AS n FROM figures GROUP BY kind", "--db", db, "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        assert json.loads(result.stdout)[0]["kind"] == "table"
    elif fmt == "csv":
        assert result.stdout.splitlines()[0] == "kind,n"
    else:
        assert "kind" in result.stdout and "table" in result.stdout


def test_query_is_read_only_and_db_defaults_to_env(tmp_path, sample_pdf):
    db = str(tmp_path / "env.duckdb")
    assert figtab("extract", str(sample_pdf), env={"FIGTAB_DB": db}).exit_code == 0
    result = figtab("query", "DROP TABLE figures", env={"FIGTAB_DB": db})
    assert result.exit_code == 1 and "read-only" in result.stderr


def test_demo_prints_a_query_result(tmp_path):
    result = figtab("demo", "--db", str(tmp_path / "demo.duckdb"))
    assert result.exit_code == 0, result.output
    assert "North | 12.50 | 14.00 | 15.25 | 18.00" in result.stdout


def test_every_command_has_help_with_an_example():
    group = get_command(app)
    assert "Example:" in group.help
    for name, command in group.commands.items():
        assert "Example: figtab" in (command.help or ""), f"`figtab {name} --help` shows no example"


def test_installed_entry_point_runs_without_a_traceback(tmp_path, bad_inputs):
    result = subprocess.run([sys.executable, "-m", "figtab", "extract", str(bad_inputs["corrupt"]),
                             "--db", str(tmp_path / "f.duckdb")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "corrupt PDF" in result.stderr


def test_a_folder_is_extracted_file_by_file_and_its_strays_are_failures(tmp_path, sample_pdf, bad_inputs):
    drop = tmp_path / "drop"
    (drop / "2026").mkdir(parents=True)
    sample_pdf.rename(drop / "2026" / "report.pdf")
    bad_inputs["text"].rename(drop / "notes.pdf")
    (drop / ".DS_Store").write_bytes(b"\x00\x01")
    db = str(tmp_path / "f.duckdb")
    result = figtab("extract", str(drop), "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"figtab: error: {drop / 'notes.pdf'}: not a PDF or a PNG/JPEG/TIFF image"
    assert run_query(db, "SELECT DISTINCT file FROM figures")[1] == [(str(drop / "2026" / "report.pdf"),)]


def test_selected_pages_the_document_lacks_are_failures(tmp_path, sample_pdf):
    db = str(tmp_path / "f.duckdb")
    result = figtab("extract", str(sample_pdf), "--pages", "2,9", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"figtab: error: {sample_pdf} page 9: page 9 does not exist: the document has 3 pages"
    assert run_query(db, "SELECT DISTINCT page FROM figures")[1] == [(2,)]


def test_an_error_quoting_a_path_with_brackets_is_one_clean_line(tmp_path):
    folder = tmp_path / "a["
    folder.mkdir()
    db = str(folder / "b].duckdb")  # the path holds "[/b]", which Rich would read as a closing markup tag
    result = figtab("query", "select 1", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()] and db in result.stderr
    assert result.stderr.startswith("figtab: error: ")
