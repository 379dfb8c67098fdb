"""The `paligemma` backend on a tiny random-weight checkpoint: real loading, prompting, batched generation and
decoding. Its answers are garbage, which is what the error paths need."""

import json
import shutil
import subprocess
import sys

import pymupdf
import pytest
import torch
from typer.testing import CliRunner

import figtab

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.extractors.metering import metered
from figtab.extractors.paligemma import weights
from figtab.extractors.paligemma.backend import Answer
from figtab.extractors.paligemma.views import view
from figtab.flows.cli import app
from figtab.flows.store import run_query
from figtab.schemas import BBox, ExtractorError, Usage, UsageError
from figtab.tiling import open_document, page_region, paligemma_budget, plan_region

SHORT_ANSWERS = {"max_tiles": 4, "max_new_tokens": 16, "batch_size": 4}


@pytest.fixture
def checkpoint(tiny_paligemma, tmp_path):
    """A private copy of the tiny checkpoint that generates short answers (the read settings finetune saves)."""
    folder = shutil.copytree(tiny_paligemma, tmp_path / "tiny")
    (folder / weights.SETTINGS_FILE).write_text(json.dumps(SHORT_ANSWERS))
    return folder


@pytest.fixture
def backend(checkpoint):
    return get_extractor("paligemma", ExtractorOptions(model=str(checkpoint)))


@pytest.fixture
def page(sample_pdf):
    with open_document(str(sample_pdf)) as opened:
        yield opened.load(1)


def test_save_and_load_round_trip_keeps_every_tensor_and_the_image_token(tiny_paligemma, tmp_path):
    first = weights.load(tiny_paligemma)
    first.model.save_pretrained(tmp_path / "again")
    first.processor.save_pretrained(tmp_path / "again")
    second = weights.load(tmp_path / "again")
    before, after = first.model.state_dict(), second.model.state_dict()
    assert before.keys() == after.keys()
    for name in before:
        assert torch.equal(before[name], after[name]), name
    assert second.processor.image_token_id == second.model.config.image_token_id == first.processor.image_token_id
    assert second.processor.image_seq_length == first.processor.image_seq_length == 64
    text = "#chart bar label | title=Ventes € 2023\nQ1 | 12.5"
    assert second.processor.tokenizer.decode(second.processor.tokenizer(text)["input_ids"]) == text


def test_the_backend_reads_pages_through_the_cli_into_duckdb(checkpoint, sample_pdf, tmp_path):
    db = str(tmp_path / "f.duckdb")
    result = CliRunner().invoke(app, ["extract", str(sample_pdf), "--backend", "paligemma", "--model",
                                      str(checkpoint), "--db", db, "--pages", "1,2"])
    assert result.exit_code == 0, result.output
    columns, rows = run_query(db, "select page, backend, model, valid, errors, visual_tokens, input_tokens, "
                                  "output_tokens from figures order by page")
    figures = [dict(zip(columns, row)) for row in rows]
    assert {f["page"] for f in figures} == {1, 2}
    for figure in figures:  # random weights write garbage: stored as invalid figures with the reasons
        assert figure["backend"] == "paligemma" and figure["model"] == str(checkpoint)
        assert figure["valid"] is False and figure["errors"]
    with open_document(str(sample_pdf)) as opened:
        shown = [len(view(opened.load(n), None, 224, 4, 144).images) for n in (1, 2)]
    per_page = {n: sum(f["visual_tokens"] for f in figures if f["page"] == n) for n in (1, 2)}
    assert per_page == {1: shown[0] * 64, 2: shown[1] * 64}
    assert sum(f["input_tokens"] for f in figures) > sum(per_page.values())
    assert 0 < sum(f["output_tokens"] for f in figures) <= 2 * 16
    runs = run_query(db, "select backend, visual_tokens from runs")[1]
    assert runs == [("paligemma", sum(n * 64 for n in shown))]


def test_garbage_answers_become_invalid_figures_with_their_errors_never_an_exception(backend, page):
    region = BBox(x0=50, y0=60, x1=300, y1=260)
    usage = Usage(input_tokens=300, output_tokens=20, visual_tokens=256)
    (not_a_number,) = backend.figures(page, region, Answer("#chart bar label\n | Sales\nQ1 | twelve", usage))
    assert not not_a_number.valid and not_a_number.kind == "chart" and not_a_number.bbox == region
    assert any("'twelve' is not a number" in error for error in not_a_number.errors)
    assert not_a_number.usage == usage
    (ragged,) = backend.figures(page, None, Answer("#table header=1\nRegion | 2023\nNorth", usage))
    assert ragged.kind == "table" and not ragged.valid and ragged.table is None
    assert any("different numbers of cells" in e for e in ragged.errors) and "model output" in ragged.errors[-1]
    assert backend.figures(page, None, Answer("#none", usage)) == []
    table, chart = backend.figures(page, region, Answer("#table header=1\nRegion | 2023\nNorth | 12.5\n"
                                                        "#chart pie label\n | Share\nCoal | 40\nGas | 60", usage))
    assert table.valid and table.table.rows == [["Region", "2023"], ["North", "12.5"]]
    assert chart.valid and chart.chart.series[0].points[1].y == 60
    assert table.usage + chart.usage == usage and table.usage.visual_tokens == 128  # shared, counted once
    whole, cut = backend.figures(page, None, Answer("#table header=0\na | 1\n#table header=0\nb | 2", usage, False))
    assert whole.valid and not cut.valid and cut.table.rows == [["b", "2"]]  # kept, but not trusted
    assert any("cut off at 16 tokens" in error for error in cut.errors)


def test_a_small_region_costs_one_image_and_a_page_costs_its_tiles(backend, page):
    small = BBox(x0=72, y0=72, x1=172, y1=142)  # 100 x 70 pt: fits one 224 px tile at 144 dpi
    assert len(view(page, small, 224, 12, 144).images) == 1
    whole = view(page, None, 224, 12, 144)
    assert len(whole.images) == 1 + whole.plan.grid.n_tiles and whole.plan.grid.n_tiles > 4
    with metered() as meter:
        figures = backend.extract_regions(page, [small])
    assert meter.total.visual_tokens == 64
    assert figures and all(f.bbox == small for f in figures)


def test_a_raster_image_is_tiled_at_its_own_resolution_not_enlarged_to_dpi(tmp_path):
    image = tmp_path / "chart.png"
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 600, 400), 0)
    pixmap.clear_with(200)
    pixmap.save(image)
    with open_document(str(image)) as opened:
        page = opened.load(1)
        own = view(page, None, 448, 12, 144).plan
        region = page_region(page.pdf_page)
        enlarged = plan_region(region, paligemma_budget(448, 12), max_dpi=144)
    assert (own.grid.cols, own.grid.rows) == (2, 1) and own.grid.n_tiles < enlarged.grid.n_tiles


def test_auto_hands_the_raster_images_native_did_not_read_to_the_paligemma_backend(checkpoint, tmp_path):
    png = tmp_path / "scan.png"
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 500, 300), 0)
    pixmap.clear_with(120)
    pixmap.save(png)
    pdf = tmp_path / "report.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 72), "Quarterly report: the chart below is a scan.")
        page.insert_image(pymupdf.Rect(72, 100, 372, 280), filename=str(png))
        doc.save(pdf)
    found = figtab.extract([str(pdf)], backend="auto", model=str(checkpoint))
    assert found.ok and found[0].backend == "paligemma"
    assert all(f.backend == "paligemma" and f.bbox == BBox(x0=72, y0=100, x1=372, y1=280) for f in found)


def test_batched_generation_across_regions_and_pages_matches_one_prompt_at_a_time(backend, sample_pdf):
    small = BBox(x0=72, y0=72, x1=172, y1=142)
    with open_document(str(sample_pdf)) as opened:
        requests = [(opened.load(1), None), (opened.load(1), small), (opened.load(2), None)]
        lengths = {len(view(page, region, 224, 4, 144).images) for page, region in requests}
        assert len(lengths) > 1  # prompts of different lengths: the batch is padded
        together = backend.read(requests)
        alone = [backend.read([request])[0] for request in requests]
    assert [[f.model_dump() for f in found] for found in together] == [[f.model_dump() for f in found]
                                                                      for found in alone]


def test_missing_or_unset_weights_are_usage_errors(tmp_path, monkeypatch, sample_pdf):
    monkeypatch.delenv("FIGTAB_PALIGEMMA_MODEL", raising=False)
    with pytest.raises(UsageError, match="FIGTAB_PALIGEMMA_MODEL"):
        get_extractor("paligemma", ExtractorOptions())
    result = CliRunner().invoke(app, ["extract", str(sample_pdf), "--backend", "paligemma", "--model",
                                      str(tmp_path / "nowhere"), "--db", str(tmp_path / "f.duckdb")])
    assert result.exit_code == 2 and "does not exist" in result.output and "Traceback" not in result.output


def test_a_checkpoint_whose_image_token_differs_from_the_processors_is_refused(tiny_paligemma, tmp_path):
    folder = shutil.copytree(tiny_paligemma, tmp_path / "tiny")
    config = json.loads((folder / "config.json").read_text())
    config["image_token_index"] += 1
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ExtractorError, match="image token id"):
        weights.load(folder)


def test_registering_the_backend_does_not_import_torch():
    code = "import sys, figtab.extractors as e; assert 'paligemma' in e.backend_names(); print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
