"""Open documents, render pages, and (later) plan AnyRes tiles; pixel sizes are (width, height) named fields."""

from tiling.documents import OpenedDocument, SourcePage, fingerprint, open_document, sniff_format
from tiling.raster import rasterize

__all__ = ["OpenedDocument", "SourcePage", "fingerprint", "open_document", "rasterize", "sniff_format"]
