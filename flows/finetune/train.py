"""The training loop: answer-only loss, batches padded to their longest prompt, gradient accumulation, linear
warm-up, checkpoints that resume to the same weights, and a progress line with the loss.

The order of examples is a fixed function of the seed and the micro-batch number, and a checkpoint holds the
trained tensors and the optimizer state, so stopping and resuming gives the run that never stopped.
"""

from __future__ import annotations

import functools
import json
import random
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from figtab.extractors.paligemma.views import View
from figtab.flows.finetune.recipes import optimizer as make_optimizer
from figtab.flows.finetune.recipes import trainable_state

StepCallback = Callable[[int, float], None]  # (optimizer steps done, mean loss of the step)
CHECKPOINTS = "checkpoints"
STATE_FILE = "state.json"  # written last: a folder without it is incomplete


@dataclass(frozen=True)
class Schedule:
    steps: int
    batch_size: int = 2
    accumulate: int = 4
    warmup: int = 10
    save_every: int = 50
    keep_checkpoints: int = 2
    seed: int = 0


def collate(processor: Any, views: Sequence[View], targets: Sequence[str]) -> Any:
    """One padded batch with labels on the answer tokens only (prompt, image tokens and padding are -100)."""
    return processor(text=[v.prompt for v in views], images=[v.images for v in views], suffix=list(targets),
                     padding="longest", padding_side="right", return_tensors="pt")


def micro_batches(n_examples: int, batch_size: int, seed: int, start: int = 0) -> Iterator[list[int]]:
    """Example indices for micro-batch ``start`` onwards: the epochs' shuffles (made from ``seed``) end to end."""
    position = start * batch_size
    while True:
        chunk = []
        for _ in range(batch_size):
            epoch, offset = divmod(position, n_examples)
            chunk.append(_shuffled(n_examples, seed, epoch)[offset])
            position += 1
        yield chunk


@functools.lru_cache(maxsize=4)
def _shuffled(n_examples: int, seed: int, epoch: int) -> list[int]:
    order = list(range(n_examples))
    random.Random(f"{seed}:{epoch}").shuffle(order)
    return order


def train(model: Any, groups: list[dict[str, Any]], processor: Any, examples: Sequence[tuple[Callable[[], View], str]],
          schedule: Schedule, out: Path, resume: bool = False, on_step: StepCallback | None = None) -> list[float]:
    """Train ``model`` in place for ``schedule.steps`` optimizer steps; returns each step's mean loss.

    ``groups`` are the optimizer's parameter groups, as `recipes.prepare` makes them.
    ``examples`` pairs a function that renders the view (rendering is cheap next to a step, and keeps memory flat)
    with the target text. With ``resume``, the newest checkpoint under ``out`` restores weights, optimizer and step.
    """
    optimizer = make_optimizer(groups)
    step = restore(model, optimizer, out) if resume else 0
    device = next(model.parameters()).device
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
    batches = micro_batches(len(examples), schedule.batch_size, schedule.seed, start=step * schedule.accumulate)
    losses: list[float] = []
    model.train()
    while step < schedule.steps:
        total = 0.0
        for _ in range(schedule.accumulate):
            chosen = [examples[i] for i in next(batches)]
            batch = collate(processor, [render() for render, _ in chosen], [target for _, target in chosen]).to(device)
            with autocast:
                loss = model(**batch).loss / schedule.accumulate
            loss.backward()
            total += loss.item()
        warm = min(1.0, (step + 1) / schedule.warmup) if schedule.warmup else 1.0
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"] * warm
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        losses.append(total)
        if on_step is not None:
            on_step(step, total)
        if step % schedule.save_every == 0 or step == schedule.steps:
            save_checkpoint(model, optimizer, out, step, schedule.keep_checkpoints)
    model.eval()
    return losses


def save_checkpoint(model: Any, optimizer: torch.optim.Optimizer, out: Path, step: int, keep: int) -> Path:
    """``out/checkpoints/step-NNNNNN``: the trained tensors, the optimizer state and the step; older ones pruned.

    Written under a ``.tmp`` name and renamed when complete, so a run killed while saving leaves the previous
    checkpoint as the newest one, never a half-written folder that ``--resume`` would trip over."""
    folder = out / CHECKPOINTS / f"step-{step:06d}"
    for stale in (out / CHECKPOINTS).glob("step-*.tmp"):  # left by a run killed while saving
        shutil.rmtree(stale)
    partial = folder.with_name(folder.name + ".tmp")
    partial.mkdir(parents=True)
    save_file({name: tensor.contiguous().cpu() for name, tensor in trainable_state(model).items()},
              partial / "trainable.safetensors")
    torch.save(optimizer.state_dict(), partial / "optimizer.pt")
    (partial / STATE_FILE).write_text(json.dumps({"step": step}))
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)
    for old in checkpoints(out)[:-keep]:
        shutil.rmtree(old)
    return folder


def checkpoints(out: Path) -> list[Path]:
    """Complete checkpoint folders under ``out`` (those holding their state file), oldest first."""
    if not (out / CHECKPOINTS).is_dir():
        return []
    return sorted(folder for folder in (out / CHECKPOINTS).glob("step-*")
                  if not folder.name.endswith(".tmp") and (folder / STATE_FILE).is_file())


def resumable_step(out: Path) -> int:
    """The step the newest checkpoint under ``out`` was saved at; 0 when there is none."""
    found = checkpoints(out)
    return json.loads((found[-1] / STATE_FILE).read_text())["step"] if found else 0


def restore(model: Any, optimizer: torch.optim.Optimizer, out: Path) -> int:
    """Load the newest checkpoint into ``model`` and ``optimizer``; returns its step (0 when there is none)."""
    found = checkpoints(out)
    if not found:
        return 0
    latest = found[-1]
    device = next(model.parameters()).device
    state = load_file(latest / "trainable.safetensors", device=str(device))
    expected = set(trainable_state(model))
    if set(state) != expected:
        raise ValueError(f"checkpoint {latest} was made with another recipe: its tensors do not match this model's")
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name in state:
                param.copy_(state[name])
    optimizer.load_state_dict(torch.load(latest / "optimizer.pt", map_location=device, weights_only=True))
    return resumable_step(out)
