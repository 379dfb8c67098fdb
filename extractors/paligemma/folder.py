"""What a local PaliGemma folder holds, read without torch: `auto` checks a configured folder before any file is
read, and only loads the weights when a page needs them.

A folder holds a full checkpoint (``config.json`` + weights + processor files) or a LoRA adapter
(``adapter_config.json``, whose ``base_model_name_or_path`` names the base folder) with the processor files
beside it. ``figtab-paligemma.json``, written by `figtab finetune`, keeps the settings the model was trained
with (tiles, output length) so serving shows the model what training showed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from figtab.schemas import UsageError

SETTINGS_FILE = "figtab-paligemma.json"
ADAPTER_CONFIG = "adapter_config.json"


class ReadSettings(BaseModel):
    """How a checkpoint reads pages; `figtab finetune` saves the values it trained with beside the weights."""

    model_config = ConfigDict(extra="ignore")

    max_tiles: int = Field(default=12, ge=1, description="AnyRes tiles at most per region, plus the thumbnail")
    max_new_tokens: int = Field(default=512, ge=1, description="longest answer generated for one region")
    batch_size: int = Field(default=4, ge=1, description="regions generated together")


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
    config = _json_object(config_file)
    base = config.get("base_model_name_or_path")
    if not base or not isinstance(base, str):
        raise UsageError(f"LoRA adapter {str(folder)!r} does not name its base checkpoint")
    return checkpoint_folder(base)


def read_settings(folder: Path) -> ReadSettings:
    """The settings saved beside the weights, or the defaults when there are none."""
    settings_file = folder / SETTINGS_FILE
    if not settings_file.is_file():
        return ReadSettings()
    try:
        return ReadSettings.model_validate(_json_object(settings_file))
    except ValidationError as exc:
        raise UsageError(f"{str(settings_file)!r} holds bad settings: {exc.errors()[0]['msg']} "
                         f"({'.'.join(map(str, exc.errors()[0]['loc']))})") from None


def _json_object(file: Path) -> dict[str, Any]:
    """A JSON object from ``file``; anything else is a `UsageError` naming the file."""
    try:
        value = json.loads(file.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read {str(file)!r}: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{str(file)!r} must hold a JSON object")
    return value
