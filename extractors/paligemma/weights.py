"""Load a PaliGemma checkpoint, or a LoRA adapter on one, from a local folder; nothing is ever downloaded.

What such a folder holds is described (and checked without torch) in `figtab.extractors.paligemma.folder`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import torch
from transformers import AutoProcessor, PaliGemmaForConditionalGeneration
from transformers.utils import logging as transformers_logging

from figtab.extractors.paligemma.folder import (ADAPTER_CONFIG, SETTINGS_FILE, ReadSettings, adapter_base,
                                                checkpoint_folder, read_settings)
from figtab.schemas import ExtractorError

__all__ = ["ADAPTER_CONFIG", "SETTINGS_FILE", "Loaded", "ReadSettings", "adapter_base", "checkpoint_folder",
           "device_and_dtype", "load", "read_settings", "tile_size"]


class Loaded(NamedTuple):
    model: Any  # PaliGemmaForConditionalGeneration
    processor: Any  # PaliGemmaProcessor
    settings: ReadSettings


def device_and_dtype(training: bool = False) -> tuple[torch.device, torch.dtype]:
    """CUDA in bfloat16 when present, else the CPU in float32; training keeps float32 master weights."""
    if torch.cuda.is_available():
        return torch.device("cuda"), torch.float32 if training else torch.bfloat16
    return torch.device("cpu"), torch.float32


def load(path: str | Path, training: bool = False) -> Loaded:
    """Model, processor and read settings from ``path``; an adapter is merged into its base. ``training`` keeps
    float32 weights on CUDA. Raises `UsageError` for a missing folder, `ExtractorError` for weights that do not
    load."""
    folder = checkpoint_folder(path)
    base = adapter_base(folder)
    settings = read_settings(folder)  # a bad settings file is told before minutes of loading, not after
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
    return Loaded(model, processor, settings)


def check_tokens(model: Any, processor: Any, path: str | Path) -> None:
    """The model must read images where the processor puts them: one ``<image>`` token id for both."""
    config = model.config
    if config.image_token_id != processor.image_token_id:
        raise ExtractorError(f"{str(path)!r}: the model's image token id {config.image_token_id} is not the "
                             f"processor's {processor.image_token_id}")


def tile_size(processor: Any) -> int:
    """The square image side the checkpoint takes (224, 448 or 896 px)."""
    return int(processor.image_processor.size["height"])
