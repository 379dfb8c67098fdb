"""What each training recipe unfreezes, and at which learning rate (the LLaVA/PaliGemma recipe).

- ``stage1``: the projector only, vision encoder and language model frozen (aligns the projector first).
- ``stage2``: the language model and the projector, vision encoder frozen.
- ``lora``: low-rank adapters on the language model's projections, everything else frozen (small budgets).

A vision encoder unfrozen on request (``train_vision``) learns ``VISION_LR_FACTOR`` times slower: one learning
rate for vision and text is a known way to wreck pretrained visual features.
"""

from __future__ import annotations

from typing import Any, Literal

import torch

from figtab.schemas import UsageError

Recipe = Literal["stage1", "stage2", "lora"]
DEFAULT_LR: dict[str, float] = {"stage1": 1e-3, "stage2": 2e-5, "lora": 2e-4}
VISION_LR_FACTOR = 0.1
LORA_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


def check_recipe(recipe: Recipe, train_vision: bool) -> None:
    """Refuse what a recipe cannot save: a LoRA run saves only its adapter, so a vision encoder trained beside it
    would be lost without a word."""
    if recipe == "lora" and train_vision:
        raise UsageError("the lora recipe saves only its adapter, so it cannot train the vision encoder: use "
                         "recipe stage1 or stage2 with train_vision")


def prepare(model: Any, recipe: Recipe, lr: float, train_vision: bool = False,
            lora_rank: int = 8) -> tuple[Any, list[dict[str, Any]]]:
    """Freeze and unfreeze ``model`` for ``recipe``; returns the model to train (wrapped by peft for LoRA) and
    the optimizer's parameter groups."""
    check_recipe(recipe, train_vision)
    parts = model.model
    model.requires_grad_(False)
    groups: list[dict[str, Any]] = []
    if recipe == "lora":
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=lora_rank, lora_alpha=2 * lora_rank, lora_dropout=0.0,
                                                 target_modules=LORA_TARGETS))
        groups.append({"params": [p for p in model.parameters() if p.requires_grad], "lr": lr})
    else:
        parts.multi_modal_projector.requires_grad_(True)
        trained = [parts.multi_modal_projector]
        if recipe == "stage2":
            parts.language_model.requires_grad_(True)
            model.lm_head.requires_grad_(True)  # tied to the input embeddings in PaliGemma; trained either way
            trained += [parts.language_model, model.lm_head]
        groups.append({"params": _unique(trained), "lr": lr})
    if train_vision:
        parts.vision_tower.requires_grad_(True)
        groups.append({"params": list(parts.vision_tower.parameters()), "lr": lr * VISION_LR_FACTOR})
    return model, groups


def optimizer(groups: list[dict[str, Any]]) -> torch.optim.Optimizer:
    for group in groups:
        group["initial_lr"] = group["lr"]
    return torch.optim.AdamW(groups, weight_decay=0.0)


def trainable_state(model: Any) -> dict[str, torch.Tensor]:
    """The tensors training changes, by name: what a checkpoint needs to resume."""
    return {name: param.detach().clone() for name, param in model.named_parameters() if param.requires_grad}


def _unique(modules: list[Any]) -> list[torch.nn.Parameter]:
    """The modules' parameters, each once (a tied embedding belongs to two modules)."""
    seen: dict[int, torch.nn.Parameter] = {}
    for module in modules:
        for param in module.parameters():
            seen.setdefault(id(param), param)
    return list(seen.values())
