"""Extraction backends behind one interface, looked up by name (`get_extractor`)."""

from importlib import import_module

from figtab.extractors.auto import AutoExtractor
from figtab.extractors.base import Extractor, ExtractorOptions, build_figure
from figtab.extractors.native import NativeExtractor
from figtab.extractors.registry import ExtractorFactory, backend_names, get_extractor, register


def _imported(module: str, factory: str) -> ExtractorFactory:
    """``module.factory``, imported when the backend is first built: the anthropic SDK takes seconds to import,
    and a run that uses neither model backend should not pay for either."""
    return lambda options: getattr(import_module(module), factory)(options)


register("native", lambda options: NativeExtractor())
register("auto", AutoExtractor)
register("anthropic", _imported("figtab.extractors.anthropic", "AnthropicExtractor"))
register("paligemma", _imported("figtab.extractors.paligemma", "create_extractor"))  # torch only when built

__all__ = ["AutoExtractor", "Extractor", "ExtractorOptions", "NativeExtractor", "backend_names", "build_figure",
           "get_extractor", "register"]
