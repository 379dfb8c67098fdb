"""Extraction backends behind one interface, looked up by name (`get_extractor`)."""

from figtab.extractors.auto import AutoExtractor
from figtab.extractors.base import Extractor, ExtractorOptions, build_figure
from figtab.extractors.native import NativeExtractor
from figtab.extractors.paligemma import create_extractor as create_paligemma
from figtab.extractors.registry import backend_names, get_extractor, register


def _create_anthropic(options: ExtractorOptions) -> Extractor:
    """The anthropic SDK takes seconds to import: only a run that uses the backend pays for it."""
    from figtab.extractors.anthropic import AnthropicExtractor

    return AnthropicExtractor(options)


register("native", lambda options: NativeExtractor())
register("auto", AutoExtractor)
register("anthropic", _create_anthropic)
register("paligemma", create_paligemma)  # imports torch only when built

__all__ = ["AutoExtractor", "Extractor", "ExtractorOptions", "NativeExtractor", "backend_names", "build_figure",
           "get_extractor", "register"]
