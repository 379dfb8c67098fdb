"""The nouns of figtab: every stage takes and returns these models."""

from figtab.schemas.documents import Document, DocumentResult, Failure, Page, PageImage, PageResult
from figtab.schemas.errors import BackendNotConfigured, ExtractorError, FigtabError, InputError, StoreError, UsageError
from figtab.schemas.figures import Chart, ChartType, Figure, FigureKind, Point, Series, Span, Table, Usage
from figtab.schemas.geometry import BBox, Size
from figtab.schemas.tiles import Grid, ImageBox, Letterbox, TileBudget, TilePlan, Tiles

__all__ = [
    "BBox", "BackendNotConfigured", "Chart", "ChartType", "Document", "DocumentResult", "ExtractorError",
    "Failure", "Figure", "FigureKind", "FigtabError", "Grid", "ImageBox", "InputError", "Letterbox", "Page",
    "PageImage", "PageResult", "Point", "Series", "Size", "Span", "StoreError", "Table", "TileBudget", "TilePlan",
    "Tiles", "Usage", "UsageError",
]
