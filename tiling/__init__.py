"""Open documents, render pages, and (later) plan AnyRes tiles; pixel sizes are (width, height) named fields."""

from tiling.documents import (OpenedDocument, SourcePage, close_document, fingerprint, open_document, open_file,
                              sniff_format)
from tiling.raster import rasterize

__all__ = ["OpenedDocument", "SourcePage", "close_document", "fingerprint", "open_document", "open_file", "rasterize",
           "sniff_format"]
