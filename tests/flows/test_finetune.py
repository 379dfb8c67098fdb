"""`figtab finetune` on a tiny random-weight PaliGemma: what each recipe trains (tensor by tensor), answer-only
loss, checkpoints that resume, LoRA adapters the backend loads, and a model that learns one chart exactly."""

import json
import os
import shutil

import pytest
import torch
from safetensors.torch import load_file
from typer.testing import CliRunner

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.extractors.paligemma import codec, weights
from figtab.flows.cli import app
from figtab.flows.finetune import FinetuneConfig, finetune, finetune_flow
from figtab.flows.finetune.data import collect, truth_figures
from figtab.flows.finetune.flow import render
from figtab.flows.finetune.recipes import VISION_LR_FACTOR, prepare
from figtab.flows.finetune.train import checkpoints, collate
from figtab.flows.synth import generate, mu
from figtab.flows.synth.spec import ChartSpec, SeriesSpec
from figtab.schemas import Chart, UsageError
from figtab.tiling import open_document

QUICK = {"batch_size": 1, "accumulate": 1, "warmup": 0, "max_tiles": 2, "max_new_tokens": 16, "hold_out": 0.0}


@pytest.fixture
def chart_cases(tmp_path):
    """A folder with one synthetic bar chart page and its truth, in the dev-data format."""
    folder = tmp_path / "cases"
    folder.mkdir()
    spec = ChartSpec(kind="bar", title="Revenue", categories=["Q1", "Q2", "Q3", "Q4"], colors=["#1f77b4"],
                     series=[SeriesSpec("North", ["Q1", "Q2", "Q3", "Q4"], [12, 30.5, 18, 25])])
    (folder / "chart.pdf").write_bytes(mu.draw(spec))
    (folder / "chart.json").write_text(json.dumps(spec.truth("chart.pdf", 1)))
    return folder


@pytest.fixture(scope="module")
def synth_cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    generate(folder, n=4, seed=3)
    return folder


def tensors(folder):
    return weights.load(folder).model.state_dict()


def changed(before, after):
    return {name for name in before if not torch.equal(before[name], after[name])}


def run(tiny, out, data, **options):
    return finetune(FinetuneConfig(base=tiny, out=out, data=[data], **(QUICK | options)))


def test_training_targets_are_the_truth_of_every_figure_on_the_page(synth_cases):
    collected = collect([synth_cases])
    truths = {path.stem: json.loads(path.read_text()) for path in synth_cases.glob("*.json")}
    assert sum(len(e.case_ids) for e in collected.examples) == len(truths) and not collected.skipped
    for example in collected.examples:
        expected = [figure for case_id in example.case_ids for figure in truth_figures(truths[case_id])]
        decoded = codec.decode(example.target)
        assert [block.payload is not None for block in decoded] == [True] * len(expected)
        assert [type(f).model_validate(b.payload) for f, b in zip(expected, decoded)] == expected


def test_cases_that_span_pages_or_fail_validation_are_skipped_and_listed(chart_cases):
    (chart_cases / "whole.json").write_text(json.dumps({"file": "chart.pdf", "page": 0, "tables": [{"rows": [["a"]]}]}))
    (chart_cases / "odd.json").write_text(json.dumps({"file": "chart.pdf", "page": 1, "chart_type": "radar",
                                                      "series": [{"name": "s", "points": [{"x": 1, "y": 2}]}]}))
    collected = collect([chart_cases])
    assert [e.case_ids for e in collected.examples] == [("chart",)]
    assert sorted(reason.split(":")[0] for reason in collected.skipped) == ["odd", "whole"]
    assert any("spans several pages" in reason for reason in collected.skipped)


def test_without_data_it_trains_on_freshly_synthesised_charts(tiny_paligemma, tmp_path):
    out = tmp_path / "synth-run"
    metrics = finetune(FinetuneConfig(base=tiny_paligemma, out=out, steps=1, synth_charts=2, **QUICK))
    assert metrics["train_pages"] == len(collect([out / "synth"]).examples) >= 1
    assert len(list((out / "synth").glob("*.pdf"))) >= 1


def test_the_loss_is_on_the_answer_tokens_only(tiny_paligemma, chart_cases):
    loaded = weights.load(tiny_paligemma, training=True)
    (example,) = collect([chart_cases]).examples
    page_view = render(example, 224, 2, 144)
    batch = collate(loaded.processor, [page_view, page_view], [example.target, "#none"])
    labels, ids, mask = batch["labels"], batch["input_ids"], batch["attention_mask"]
    tokenizer = loaded.processor.tokenizer
    for row, target in enumerate([example.target, "#none"]):
        answer = labels[row] != -100
        assert tokenizer.decode(ids[row][answer]) == target + tokenizer.eos_token
        assert not answer[ids[row] == loaded.processor.image_token_id].any()
    assert (labels[1][mask[1] == 0] == -100).all() and (mask[1] == 0).any()  # the shorter answer is padded


def test_lora_with_a_trained_vision_encoder_is_refused_before_loading_anything(tmp_path):
    with pytest.raises(UsageError, match="lora"):
        FinetuneConfig(base=tmp_path / "missing", out=tmp_path / "out", recipe="lora", train_vision=True)
    assert FinetuneConfig(base=tmp_path / "missing", out=tmp_path / "out", recipe="stage2", train_vision=True)


def test_stage1_changes_only_the_projector(tiny_paligemma, chart_cases, tmp_path):
    run(tiny_paligemma, tmp_path / "out", chart_cases, recipe="stage1", steps=2)
    before, after = tensors(tiny_paligemma), tensors(tmp_path / "out")
    assert changed(before, after) == {"model.multi_modal_projector.linear.weight",
                                      "model.multi_modal_projector.linear.bias"}


def test_stage2_trains_the_language_model_and_projector_but_never_the_vision_encoder(tiny_paligemma, chart_cases,
                                                                                      tmp_path):
    run(tiny_paligemma, tmp_path / "out", chart_cases, recipe="stage2", steps=2, lr=1e-3)
    before, after = tensors(tiny_paligemma), tensors(tmp_path / "out")
    moved = changed(before, after)
    vision = {name for name in before if ".vision_tower." in name}
    language = {name for name in before if ".language_model." in name}
    assert vision and not moved & vision
    assert language <= moved and "model.multi_modal_projector.linear.weight" in moved


def test_an_unfrozen_vision_encoder_learns_at_a_tenth_of_the_rate(tiny_paligemma):
    model = weights.load(tiny_paligemma, training=True).model
    _, groups = prepare(model, "stage2", lr=1e-4, train_vision=True)
    vision = {id(p) for p in model.model.vision_tower.parameters()}
    assert [group["lr"] for group in groups] == [1e-4, pytest.approx(1e-4 * VISION_LR_FACTOR)]
    assert {id(p) for p in groups[1]["params"]} == vision and not vision & {id(p) for p in groups[0]["params"]}


def test_resuming_from_a_checkpoint_gives_the_run_that_never_stopped(tiny_paligemma, chart_cases, tmp_path):
    whole = run(tiny_paligemma, tmp_path / "whole", chart_cases, recipe="stage2", steps=4, lr=1e-3, save_every=2)
    run(tiny_paligemma, tmp_path / "split", chart_cases, recipe="stage2", steps=2, lr=1e-3, save_every=2)
    assert [c.name for c in checkpoints(tmp_path / "split")] == ["step-000002"]
    killed_while_saving = tmp_path / "split" / "checkpoints" / "step-000003"  # a newer folder, half written
    killed_while_saving.mkdir()
    (killed_while_saving / "trainable.safetensors").write_bytes(b"\0" * 10)
    assert [c.name for c in checkpoints(tmp_path / "split")] == ["step-000002"]
    resumed = run(tiny_paligemma, tmp_path / "split", chart_cases, recipe="stage2", steps=4, lr=1e-3, save_every=2,
                  resume=True)
    assert resumed["losses"] == whole["losses"][2:]
    before, after = tensors(tmp_path / "whole"), tensors(tmp_path / "split")
    assert not changed(before, after)
    assert changed(tensors(tiny_paligemma), after)  # and training did move the weights


def test_a_lora_adapter_is_saved_beside_its_base_and_loaded_by_the_backend(tiny_paligemma, chart_cases, tmp_path):
    out = tmp_path / "lora"
    run(tiny_paligemma, out, chart_cases, recipe="lora", steps=3, lr=1e-2)
    assert not (out / "model.safetensors").exists()
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == str(tiny_paligemma.resolve())
    saved = load_file(out / "adapter_model.safetensors")
    trained = load_file(checkpoints(out)[-1] / "trainable.safetensors")
    assert len(saved) == len(trained) > 0
    assert sorted(t.sum().item() for t in saved.values()) == sorted(t.sum().item() for t in trained.values())

    backend = get_extractor("paligemma", ExtractorOptions(model=str(out)))
    base = tensors(tiny_paligemma)
    merged = backend.loaded.model.state_dict()
    moved = changed(base, merged)
    assert moved and all(".language_model." in name and "_proj" in name for name in moved)
    with open_document(str(chart_cases / "chart.pdf")) as opened:
        figures = backend.extract(opened.load(1))
    assert figures and all(f.backend == "paligemma" and f.model == str(out) for f in figures)


@pytest.mark.slow
def test_overfitting_one_chart_then_greedy_decoding_gives_the_truth(tiny_paligemma, chart_cases, tmp_path):
    out = tmp_path / "overfit"
    metrics = run(tiny_paligemma, out, chart_cases, recipe="stage2", steps=60, lr=5e-3, max_new_tokens=80)
    assert metrics["losses"][-1] < metrics["losses"][0] / 20
    truth = json.loads((chart_cases / "chart.json").read_text())
    with open_document(str(chart_cases / "chart.pdf")) as opened:
        (figure,) = get_extractor("paligemma", ExtractorOptions(model=str(out))).extract(opened.load(1))
    assert figure.valid, figure.errors
    assert figure.chart == Chart.model_validate({key: truth[key] for key in ("chart_type", "title", "series")})


def test_the_cli_trains_saves_and_scores_held_back_pages_beside_the_weights(tiny_paligemma, synth_cases, tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(app, ["finetune", "--base", str(tiny_paligemma), "--out", str(out), "--data",
                                      str(synth_cases), "--steps", "2", "--recipe", "stage1", "--batch-size", "1",
                                      "--accumulate", "1", "--max-tiles", "1"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    written = json.loads((out / "metrics.json").read_text())
    assert printed["eval"] == written["eval"] and len(written["losses"]) == 2
    held_back = written["held_back_pages"]
    assert held_back >= 1 and written["train_pages"] + held_back == len(collect([synth_cases]).examples)
    scores = written["eval"][str(synth_cases)]
    assert scores["backend"] == "paligemma" and scores["pages"] == held_back
    assert weights.read_settings(out).max_tiles == 1  # the backend shows pages as training did


def test_a_bad_data_folder_or_an_adapter_as_base_is_a_usage_error(tiny_paligemma, chart_cases, tmp_path):
    result = CliRunner().invoke(app, ["finetune", "--base", str(tiny_paligemma), "--out", str(tmp_path / "o"),
                                      "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "is not a folder of cases" in result.output
    run(tiny_paligemma, tmp_path / "lora", chart_cases, recipe="lora", steps=1)
    result = CliRunner().invoke(app, ["finetune", "--base", str(tmp_path / "lora"), "--out", str(tmp_path / "o"),
                                      "--data", str(chart_cases)])
    assert result.exit_code == 2 and "is a LoRA adapter" in result.output


@pytest.mark.slow
def test_finetune_runs_as_a_prefect_flow(prefect_server, tiny_paligemma, chart_cases, tmp_path):
    out = tmp_path / "flow"
    metrics = finetune_flow(FinetuneConfig(base=tiny_paligemma, out=out, data=[chart_cases], steps=1,
                                           recipe="stage1", **QUICK))
    assert metrics["steps"] == 1 and (out / "metrics.json").is_file()
    assert get_extractor("paligemma", ExtractorOptions(model=str(out))).model == str(out)
    shutil.rmtree(out)


WITHOUT_TORCH = "import sys; sys.modules['torch'] = None; from figtab.flows.cli import main; main()"


def test_without_the_paligemma_extra_finetune_and_configured_weights_are_usage_errors(tiny_paligemma, tmp_path):
    """The core install, where `import torch` fails, must name the extra instead of an internal error."""
    import subprocess
    import sys

    finetune_run = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, "finetune", "--base", str(tiny_paligemma),
                                   "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert finetune_run.returncode == 2
    assert "figtab finetune needs the paligemma extra: pip install 'figtab[paligemma]'" in finetune_run.stderr
    env = {**os.environ, "FIGTAB_PALIGEMMA_MODEL": str(tiny_paligemma), "ANTHROPIC_API_KEY": "sk-ant-test"}
    extract_run = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, "extract", str(tmp_path / "x.pdf"), "--db",
                                  str(tmp_path / "f.duckdb")], capture_output=True, text=True, env=env)
    assert extract_run.returncode == 2 and "pip install 'figtab[paligemma]'" in extract_run.stderr
