"""The one interface every backend implements, and the helper that turns a backend's answer into a `Figure`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from figtab.schemas import BBox, Chart, Figure, Table
from figtab.tiling import SourcePage


class ExtractorOptions(BaseModel):
    """What a user may set for any backend; a backend ignores what it has no use for."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(default=None, description="model name or local weights path")
    dpi: float = Field(default=144, gt=0, le=1200, description="rendering resolution for image-reading backends")


class Extractor(ABC):
    """Finds the tables and charts on one page.

    A backend returns every figure it found, valid or not: an answer that fails validation becomes a figure
    with ``valid=False`` and its errors, never an exception that loses the page. Raise `ExtractorError` only
    when the backend could not run at all.
    """

    name: ClassVar[str]
    model: str | None = None

    @abstractmethod
    def extract(self, page: SourcePage) -> list[Figure]:
        """All figures on ``page``, in reading order."""

    def extract_regions(self, page: SourcePage, regions: list[BBox]) -> list[Figure]:
        """The figures inside ``regions`` (PDF points) of a page that was already segmented, e.g. the raster
        images `auto` found that the native reader could not read. A model backend reads just those crops;
        this default reads the whole page."""
        return self.extract(page)

    def finish_document(self, figures: list[Figure]) -> list[Figure]:
        """A pass over a whole document's figures once every page is read (e.g. to join continued tables)."""
        return figures


def build_figure(page: SourcePage, extractor: Extractor, payload: Table | Chart | dict[str, Any],
                 kind: str | None = None, bbox: BBox | list[float] | None = None) -> Figure:
    """Wrap a table or chart (or a backend's raw dict for one) in a `Figure`, validated against the page.

    A bbox off the page is dropped (and said in ``errors``) without losing the payload; a payload that fails
    validation is kept as an invalid figure carrying the validation messages.
    """
    if isinstance(payload, Table):
        kind = "table"
    elif isinstance(payload, Chart):
        kind = "chart"
    envelope = {"file": page.document.file, "doc_id": page.document.doc_id, "page": page.number, "kind": kind,
                "bbox": bbox, "backend": extractor.name, "model": extractor.model}
    if kind not in ("table", "chart"):
        kind = "chart" if isinstance(payload, dict) and "series" in payload else "table"
        envelope["kind"] = kind
    try:
        return Figure.model_validate({**envelope, kind: payload}, context={"page_size": page.meta.size})
    except ValidationError as exc:
        errors = [f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors()]
    try:
        return Figure.model_validate({**envelope, "bbox": None, kind: payload, "errors": errors})
    except ValidationError:
        return Figure.model_validate({**envelope, "bbox": None, "valid": False, "errors": errors})
