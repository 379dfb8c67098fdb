"""The local PaliGemma backend: a fine-tuned (or base) checkpoint read from a local folder, on GPU when present.

Importing this package costs nothing: torch, transformers and peft (the ``paligemma`` extra) are imported only
when the backend is built, so the core install can register it without them.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from figtab.extractors.base import ExtractorOptions
from figtab.extractors.paligemma.folder import adapter_base, checkpoint_folder, read_settings
from figtab.schemas import UsageError

if TYPE_CHECKING:
    from figtab.extractors.paligemma.backend import PaliGemmaExtractor


def create_extractor(options: ExtractorOptions) -> PaliGemmaExtractor:
    """The registry's factory for ``--backend paligemma``: loads the weights ``options.model`` names."""
    try:
        from figtab.extractors.paligemma.backend import PaliGemmaExtractor
    except ImportError as exc:
        raise UsageError(f"the paligemma backend needs torch and transformers: pip install 'figtab[paligemma]' "
                         f"({exc})") from exc
    return PaliGemmaExtractor.from_options(options)


def check_weights(path: str | Path) -> None:
    """What would stop ``path`` from loading, told as a `UsageError` without importing torch or reading weights:
    the extra not installed, a folder without a checkpoint, an adapter without its base, bad saved settings."""
    missing = [package for package in ("torch", "transformers") if find_spec(package) is None]
    if missing:
        raise UsageError(f"PaliGemma weights {str(path)!r} are configured but the paligemma backend needs "
                         f"{' and '.join(missing)}: pip install 'figtab[paligemma]'")
    folder = checkpoint_folder(path)
    adapter_base(folder)
    read_settings(folder)


__all__ = ["check_weights", "create_extractor"]
