"""The nouns of figtab: every stage takes and returns these models."""

from schemas.documents import Document, DocumentResult, Failure, Page, PageImage, PageResult
from schemas.errors import BackendNotConfigured, ExtractorError, FigtabError, InputError, StoreError, UsageError
from schemas.figures import Chart, ChartType, Figure, FigureKind, Point, Series, Span, Table
from schemas.geometry import BBox, Size
from schemas.tiles import Grid, ImageBox, Letterbox, TileBudget, TilePlan, Tiles

__all__ = [
    "BBox", "BackendNotConfigured", "Chart", "ChartType", "Document", "DocumentResult", "ExtractorError",
    "Failure", "Figure", "FigureKind", "FigtabError", "Grid", "ImageBox", "InputError", "Letterbox", "Page",
    "PageImage", "PageResult", "Point", "Series", "Size", "Span", "StoreError", "Table", "TileBudget", "TilePlan",
    "Tiles", "UsageError",
]
