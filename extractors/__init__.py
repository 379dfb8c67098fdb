"""Extraction backends behind one interface, looked up by name (`get_extractor`)."""

from figtab.extractors.auto import AutoExtractor
from figtab.extractors.base import Extractor, ExtractorOptions, build_figure
from figtab.extractors.native import NativeExtractor
from figtab.extractors.registry import backend_names, get_extractor, register

register("native", lambda options: NativeExtractor())
register("auto", AutoExtractor)

__all__ = ["AutoExtractor", "Extractor", "ExtractorOptions", "NativeExtractor", "backend_names", "build_figure",
           "get_extractor", "register"]
