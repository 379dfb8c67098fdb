"""`import figtab`: the Python API gives what the CLI gives, failures as data, and DuckDB's own result types."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import figtab


def test_extract_in_memory_returns_figures_and_failures_as_data(sample_pdf, bad_inputs):
    found = figtab.extract([sample_pdf, bad_inputs["corrupt"]], backend="native")
    assert [figure.kind for figure in found].count("table") == 2
    assert [figure.kind for figure in found].count("chart") == 2
    assert all(isinstance(figure, figtab.Figure) for figure in found)
    assert [failure.file for failure in found.failures] == [str(bad_inputs["corrupt"])]
    assert not found.ok and found.run_id is None


def test_extract_into_a_database_stores_what_the_cli_stores(tmp_path, sample_pdf):
    db = tmp_path / "api.duckdb"
    found = figtab.extract(str(sample_pdf), backend="native", pages=[1], db=db)
    connection = figtab.connect(db)
    stored = connection.sql("select payload from figures where run_id = ? order by figure_id",
                            params=[found.run_id]).fetchall()
    assert sorted(json.loads(row[0])["kind"] for row in stored) == sorted(figure.kind for figure in found)
    assert connection.sql("select count(*) from table_cells").fetchall()[0][0] > 0
    frame = connection.sql("select * from figures").df()
    assert len(frame) == len(found)


def test_connect_is_read_only(tmp_path, sample_pdf):
    db = tmp_path / "ro.duckdb"
    figtab.extract(sample_pdf, backend="native", pages=[1], db=db)
    with pytest.raises(Exception, match="read-only"):
        figtab.connect(db).execute("delete from figures")


def test_connect_to_a_missing_database_is_a_store_error(tmp_path):
    with pytest.raises(figtab.StoreError, match="no database"):
        figtab.connect(tmp_path / "none.duckdb")


def test_an_unknown_backend_is_a_usage_error_before_any_file_is_read(sample_pdf):
    with pytest.raises(figtab.UsageError, match="known backends"):
        figtab.extract(sample_pdf, backend="tesseract")


def test_tables_and_charts_convert_to_pandas(sample_pdf):
    found = figtab.extract(sample_pdf, backend="native")
    table = next(figure.table for figure in found if figure.table is not None)
    frame = table.to_pandas()
    assert frame.shape == (len(table.rows) - table.header_rows, table.n_cols)
    if table.header_rows == 1:
        assert list(frame.columns) == table.rows[0]
    chart = next(figure.chart for figure in found if figure.chart is not None)
    points = chart.to_pandas()
    assert list(points.columns) == ["series", "x", "y"]
    assert len(points) == sum(len(series.points) for series in chart.series)
    assert set(points["series"]) == {series.name for series in chart.series}


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert figtab.__version__ == version("figtab")


@pytest.mark.parametrize("options", [dict(dpi=0), dict(dpi=5000), dict(pages="12"), dict(pages=[0]),
                                     dict(pages=[-1]), dict(pages=[100_001]), dict(pages=[1.5]), dict(pages=[])])
def test_a_bad_option_is_a_usage_error_before_any_file_is_read(tmp_path, options):
    missing = tmp_path / "never-read.pdf"  # reading it would be a failure row, not an exception
    with pytest.raises(figtab.UsageError):
        figtab.extract(missing, backend="native", **options)


def test_pages_follow_the_same_rules_as_the_cli(sample_pdf):
    from figtab.flows.cli import parse_pages

    assert [figure.page for figure in figtab.extract(sample_pdf, backend="native", pages=(1, 1))] == \
        [figure.page for figure in figtab.extract(sample_pdf, backend="native", pages=parse_pages("1"))]
    with pytest.raises(figtab.UsageError, match="1-based") as api_error:
        figtab.extract(sample_pdf, backend="native", pages=[0])
    with pytest.raises(figtab.UsageError, match="1-based") as cli_error:
        parse_pages("0")
    assert str(api_error.value).split(";")[0] == str(cli_error.value).split(";")[0]


def test_every_name_in_all_is_exported_and_importing_main_runs_nothing():
    import figtab.__main__  # noqa: F401  (the command runs only under `python -m figtab`)

    assert all(hasattr(figtab, name) for name in figtab.__all__)
    assert "Usage" in figtab.__all__


def test_importing_figtab_skips_pymupdfs_layout_model_but_reads_pages(sample_pdf):
    """pymupdf 2 imports its ONNX layout companions when installed; figtab never uses them, so a run's start and
    every worker skip them, and PyMuPDF still opens and reads pages."""
    code = ("import sys, figtab, pymupdf; "
            "loaded = [n for n, m in sys.modules.items() if m is not None and n.split('.')[0] in "
            "('onnxruntime', 'pymupdf4llm')]; assert not loaded, loaded; "
            "page = pymupdf.open(sys.argv[1])[0]; print(len(page.get_text('words')))")
    done = subprocess.run([sys.executable, "-c", code, str(sample_pdf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def test_a_native_extraction_imports_nothing_it_does_not_use(tmp_path, sample_pdf):
    """Worker processes, the report's rendering, the model backends and the progress bar (stderr is no terminal
    here) are imported when used: a one-process `figtab extract --backend native` never loads them."""
    lazy = ("figtab.flows.parallel", "figtab.flows.report.page", "figtab.extractors.paligemma",
            "figtab.extractors.anthropic", "rich.progress")
    code = ("import sys\nfrom figtab.flows.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print([name for name in {lazy!r} if name in sys.modules])")
    args = ["extract", str(sample_pdf), "--backend", "native", "--workers", "1", "--db", str(tmp_path / "f.duckdb")]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
