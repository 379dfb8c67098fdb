"""The local PaliGemma backend: a fine-tuned (or base) checkpoint read from a local folder, on GPU when present.

Importing this package costs nothing: torch, transformers and peft (the ``paligemma`` extra) are imported only
when the backend is built, so the core install can register it without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from figtab.extractors.base import ExtractorOptions
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


__all__ = ["create_extractor"]
