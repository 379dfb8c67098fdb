"""`figtab finetune`: teach a PaliGemma checkpoint figtab's answer format on case folders, save what the
`paligemma` backend loads, and score it on held-back pages (``metrics.json`` beside the weights).

The flow reads like the data's path: collect pages -> train (recipe, checkpoints) -> save -> evaluate. It runs
as the Prefect flow ``finetune`` when ``PREFECT_API_URL`` is set, and as the same functions in this process
otherwise.
"""

from __future__ import annotations

import functools
import gc
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field, model_validator

from figtab.extractors import ExtractorOptions
from figtab.extractors.paligemma import weights
from figtab.extractors.paligemma.views import View, view
from figtab.flows.evaluate import evaluate
from figtab.flows.finetune.data import Example, collect, split
from figtab.flows.finetune.recipes import DEFAULT_LR, Recipe, check_recipe
from figtab.schemas import UsageError
from figtab.tiling import open_document

METRICS_FILE = "metrics.json"


class FinetuneConfig(BaseModel):
    """Everything one fine-tuning run needs; the defaults follow the recipe in DESIGN.md."""

    model_config = ConfigDict(extra="forbid")

    base: Path = Field(description="base PaliGemma checkpoint folder (a full checkpoint, not an adapter)")
    out: Path = Field(description="folder for the weights, checkpoints and metrics")
    data: list[Path] = Field(default_factory=list, description="case folders; empty: synthesise charts into out")
    steps: int = Field(default=200, ge=1, description="optimizer steps in all (a resumed run counts earlier ones)")
    recipe: Recipe = "lora"
    lr: float | None = Field(default=None, gt=0, description="learning rate [default: the recipe's]")
    batch_size: int = Field(default=2, ge=1)
    accumulate: int = Field(default=4, ge=1, description="micro-batches per optimizer step")
    warmup: int = Field(default=10, ge=0, description="steps of linear learning-rate warm-up")
    save_every: int = Field(default=50, ge=1, description="steps between checkpoints")
    resume: bool = Field(default=False, description="continue from the newest checkpoint in out")
    hold_out: float = Field(default=0.1, ge=0, lt=1, description="share of pages held back for evaluation")
    max_tiles: int = Field(default=12, ge=1, description="AnyRes tiles per page at most (saved for serving)")
    dpi: float = Field(default=144, gt=0, le=1200)
    max_new_tokens: int = Field(default=512, ge=1, description="longest answer the backend generates")
    seed: int = 0
    lora_rank: int = Field(default=8, ge=1)
    train_vision: bool = Field(default=False, description="also train the vision encoder, at a tenth of the lr")
    synth_charts: int = Field(default=200, ge=1, description="charts to synthesise when no data folder is given")

    @model_validator(mode="after")
    def _savable(self) -> FinetuneConfig:
        check_recipe(self.recipe, self.train_vision)  # before minutes of loading and training, not after
        return self


@dataclass
class Pages:
    train: list[Example]
    held_back: list[Example]
    skipped: list[str]


def collect_pages(config: FinetuneConfig) -> Pages:
    """The pages to train on and to hold back; synthesises a folder into ``out`` when none is given."""
    folders = config.data or [_synthesised(config)]
    for folder in folders:
        if not Path(folder).is_dir():
            raise UsageError(f"--data {folder} is not a folder of cases")
    collected = collect(folders)
    train, held_back = split(collected.examples, config.hold_out, config.seed)
    if not train:
        raise UsageError(f"no page with truth to train on in {', '.join(map(str, folders))}")
    return Pages(train, held_back, collected.skipped)


def train_and_save(config: FinetuneConfig, pages: list[Example]) -> list[float]:
    """Load the base, train it by the recipe, and save what the backend loads into ``config.out``."""
    import torch

    from figtab.flows.finetune.progress import loss_progress
    from figtab.flows.finetune.recipes import prepare
    from figtab.flows.finetune.train import Schedule, resumable_step, train

    base = weights.checkpoint_folder(config.base).resolve()
    if weights.adapter_base(base) is not None:
        raise UsageError(f"--base {config.base} is a LoRA adapter; give the full checkpoint it was trained on")
    loaded = weights.load(base, training=True)
    torch.manual_seed(config.seed)
    model, groups = prepare(loaded.model, config.recipe, config.lr or DEFAULT_LR[config.recipe],
                            config.train_vision, config.lora_rank)
    tile = weights.tile_size(loaded.processor)
    examples = [(functools.partial(render, example, tile, config.max_tiles, config.dpi), example.target)
                for example in pages]
    schedule = Schedule(steps=config.steps, batch_size=config.batch_size, accumulate=config.accumulate,
                        warmup=config.warmup, save_every=config.save_every, seed=config.seed)
    with loss_progress(config.steps, resumable_step(config.out) if config.resume else 0) as on_step:
        losses = train(model, groups, loaded.processor, examples, schedule, config.out, config.resume, on_step)
    model.save_pretrained(config.out)  # a peft model saves just its adapter, naming the base folder
    loaded.processor.save_pretrained(config.out)
    settings = weights.ReadSettings(max_tiles=config.max_tiles, max_new_tokens=config.max_new_tokens)
    (config.out / weights.SETTINGS_FILE).write_text(settings.model_dump_json(indent=1) + "\n")
    del model, loaded
    gc.collect()
    return losses


def render(example: Example, tile: int, max_tiles: int, dpi: float) -> View:
    """The example's page as the backend shows it to the model."""
    with open_document(str(example.path)) as opened:
        return view(opened.load(example.page), None, tile, max_tiles, dpi)


def evaluate_held_back(config: FinetuneConfig, held_back: list[Example]) -> dict[str, Any]:
    """`figtab eval` metrics of the saved model on the held-back pages, per data folder."""
    by_folder: dict[Path, list[str]] = {}
    for example in held_back:
        by_folder.setdefault(example.folder, []).extend(example.case_ids)
    options = ExtractorOptions(model=str(config.out), dpi=config.dpi)
    return {str(folder): evaluate(folder, "paligemma", options, cases) for folder, cases in by_folder.items()}


def finetune(config: FinetuneConfig) -> dict[str, Any]:
    """Collect pages, train, save and evaluate in this process; returns what ``out/metrics.json`` holds."""
    return _run(config, collect_pages, train_and_save, evaluate_held_back)


def run(config: FinetuneConfig) -> dict[str, Any]:
    """`finetune_flow` on the Prefect server ``PREFECT_API_URL`` names, else `finetune` in this process."""
    from figtab.flows.runner import prefect_configured

    return finetune_flow(config) if prefect_configured() else finetune(config)


def _as_task(name: str, function: Any) -> Any:
    """A stage as a Prefect task: live objects in one process, so no caching and no persisted results."""
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)(function)


collect_task = _as_task("collect-pages", collect_pages)
train_task = _as_task("train", train_and_save)
evaluate_task = _as_task("evaluate", evaluate_held_back)


@flow(name="finetune", persist_result=False, log_prints=True)
def finetune_flow(config: FinetuneConfig) -> dict[str, Any]:
    """`finetune` with each stage a Prefect task run."""
    return _run(config, collect_task, train_task, evaluate_task)


def _run(config: FinetuneConfig, collect_stage: Any, train_stage: Any, evaluate_stage: Any) -> dict[str, Any]:
    config.out.mkdir(parents=True, exist_ok=True)
    pages = collect_stage(config)
    losses = train_stage(config, pages.train)
    metrics = {"recipe": config.recipe, "base": str(config.base.resolve()), "steps": config.steps,
               "train_pages": len(pages.train), "held_back_pages": len(pages.held_back),
               "skipped_cases": pages.skipped, "final_loss": losses[-1] if losses else None,
               "losses": [round(loss, 5) for loss in losses],
               "eval": evaluate_stage(config, pages.held_back) if pages.held_back else {}}
    (config.out / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n")
    return metrics


def _synthesised(config: FinetuneConfig) -> Path:
    """``out/synth``: ``synth_charts`` charts from `figtab synth`, made once (a resumed run reuses them)."""
    folder = config.out / "synth"
    if not any(folder.glob("*.json")):
        try:
            from figtab.flows.synth import generate
        except ImportError as exc:
            raise UsageError(f"without --data, finetune synthesises charts and needs pip install 'figtab[synth]' "
                             f"({exc})") from exc
        generate(folder, n=config.synth_charts, seed=config.seed)
    return folder
