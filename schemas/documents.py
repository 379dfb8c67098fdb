"""Documents, pages, rendered page images, and what a run produced or failed on."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from figtab.schemas.figures import Figure, Usage
from figtab.schemas.geometry import Size

DocumentFormat = Literal["pdf", "png", "jpeg", "tiff"]


class Document(BaseModel):
    """A file as figtab saw it; ``doc_id`` is the sha256 of its bytes, so a renamed copy is the same document."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="the path as given on the command line")
    doc_id: str
    format: DocumentFormat
    n_bytes: int = Field(ge=0)
    n_pages: int = Field(ge=0)


class Page(BaseModel):
    """One page's geometry: size in PDF points after rotation and crop box, as rendered."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    page: int = Field(ge=1)
    size: Size
    rotation: int = 0
    has_text: bool = False


class PageImage(BaseModel):
    """A page rendered to 8-bit RGB: ``samples`` is row-major, 3 bytes a pixel, ``size`` in pixels at ``dpi``."""

    model_config = ConfigDict(extra="forbid")

    size: Size
    dpi: float = Field(gt=0)
    samples: bytes

    @property
    def scale(self) -> float:
        """Pixels per PDF point."""
        return self.dpi / 72.0


class Failure(BaseModel):
    """Something that could not be processed, and why; a row of the ``failures`` table."""

    model_config = ConfigDict(extra="forbid")

    file: str
    doc_id: str | None = None
    page: int | None = None
    stage: str
    error: str = Field(description="the error's class name")
    message: str


class PageResult(BaseModel):
    """The figures one backend found on one page, or the failure that stopped it."""

    model_config = ConfigDict(extra="forbid")

    page: Page
    backend: str
    model: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    failure: Failure | None = None
    usage: Usage | None = Field(default=None, description="what model requests for this page spent, found or not")


class DocumentResult(BaseModel):
    """Everything one document produced; ``document`` is None when the file could not even be opened."""

    model_config = ConfigDict(extra="forbid")

    file: str
    document: Document | None = None
    pages: list[PageResult] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)

    @property
    def figures(self) -> list[Figure]:
        return [figure for page in self.pages for figure in page.figures]

    @property
    def usage(self) -> Usage | None:
        """What the document's model requests spent, summed over its pages; None when no model was asked."""
        spent = [page.usage for page in self.pages if page.usage is not None]
        return sum(spent[1:], spent[0]) if spent else None

    @property
    def all_failures(self) -> list[Failure]:
        return self.failures + [page.failure for page in self.pages if page.failure is not None]
