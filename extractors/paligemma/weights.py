"""Load a PaliGemma checkpoint, or a LoRA adapter on one, from a local folder; nothing is ever downloaded.

A folder holds a full checkpoint (``config.json`` + weights + processor files) or a LoRA adapter
(``adapter_config.json``, whose ``base_model_name_or_path`` names the base folder) with the processor files
beside it. ``figtab-paligemma.json``, written by `figtab finetune`, keeps the settings the model was trained
with (tiles, output length) so serving shows the model what training showed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import torch
from pydantic import BaseModel, ConfigDict, Field
from transformers import AutoProcessor, PaliGemmaForConditionalGeneration
from transformers.utils import logging as transformers_logging

from figtab.schemas import ExtractorError, UsageError

SETTINGS_FILE = "figtab-paligemma.json"
ADAPTER_CONFIG = "adapter_config.json"


class ReadSettings(BaseModel):
    """How a checkpoint reads pages; `figtab finetune` saves the values it trained with beside the weights."""

    model_config = ConfigDict(extra="ignore")

    max_tiles: int = Field(default=12, ge=1, description="AnyRes tiles at most per region, plus the thumbnail")
    max_new_tokens: int = Field(default=512, ge=1, description="longest answer generated for one region")
    batch_size: int = Field(default=4, ge=1, description="regions generated together")


class Loaded(NamedTuple):
    model: Any  # PaliGemmaForConditionalGeneration
    processor: Any  # PaliGemmaProcessor
    settings: ReadSettings


def device_and_dtype(training: bool = False) -> tuple[torch.device, torch.dtype]:
    """CUDA in bfloat16 when present, else the CPU in float32; training keeps float32 master weights."""
    if torch.cuda.is_available():
        return torch.device("cuda"), torch.float32 if training else torch.bfloat16
    return torch.device("cpu"), torch.float32


def checkpoint_folder(path: str | Path) -> Path:
    """``path`` as a folder that holds weights, or a `UsageError` that says what is wrong with it."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise UsageError(f"PaliGemma weights folder {str(path)!r} does not exist (nothing is downloaded: "
                         "give a local checkpoint folder)")
    if not (folder / "config.json").is_file() and not (folder / ADAPTER_CONFIG).is_file():
        raise UsageError(f"{str(path)!r} holds no PaliGemma checkpoint (config.json) or LoRA adapter "
                         f"({ADAPTER_CONFIG})")
    return folder


def adapter_base(folder: Path) -> Path | None:
    """The base checkpoint a LoRA adapter folder was trained on, or None for a full checkpoint."""
    config_file = folder / ADAPTER_CONFIG
    if not config_file.is_file():
        return None
    base = json.loads(config_file.read_text()).get("base_model_name_or_path")
    if not base:
        raise UsageError(f"LoRA adapter {str(folder)!r} does not name its base checkpoint")
    return checkpoint_folder(base)


def load(path: str | Path, training: bool = False) -> Loaded:
    """Model, processor and read settings from ``path``; an adapter is merged into its base. ``training`` keeps
    float32 weights on CUDA. Raises `UsageError` for a missing folder, `ExtractorError` for weights that do not
    load."""
    folder = checkpoint_folder(path)
    base = adapter_base(folder)
    device, dtype = device_and_dtype(training)
    transformers_logging.disable_progress_bar()  # one line per input on stderr, not a bar per weights file
    try:
        model = PaliGemmaForConditionalGeneration.from_pretrained(base or folder, dtype=dtype)
        if base is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, folder).merge_and_unload()
        has_processor = (folder / "processor_config.json").is_file() or (folder / "preprocessor_config.json").is_file()
        processor = AutoProcessor.from_pretrained(folder if has_processor else base or folder)
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ExtractorError(f"cannot load PaliGemma weights from {str(path)!r}: {exc}") from exc
    check_tokens(model, processor, path)
    model.to(device)
    if not training:
        model.eval()
    return Loaded(model, processor, read_settings(folder))


def check_tokens(model: Any, processor: Any, path: str | Path) -> None:
    """The model must read images where the processor puts them: one ``<image>`` token id for both."""
    config = model.config
    if config.image_token_id != processor.image_token_id:
        raise ExtractorError(f"{str(path)!r}: the model's image token id {config.image_token_id} is not the "
                             f"processor's {processor.image_token_id}")


def read_settings(folder: Path) -> ReadSettings:
    settings_file = folder / SETTINGS_FILE
    if not settings_file.is_file():
        return ReadSettings()
    return ReadSettings.model_validate_json(settings_file.read_text())


def tile_size(processor: Any) -> int:
    """The square image side the checkpoint takes (224, 448 or 896 px)."""
    return int(processor.image_processor.size["height"])
