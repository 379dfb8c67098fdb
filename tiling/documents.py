"""Open a PDF or image file, fingerprint it, and stream its pages; the only module that opens documents.

Every way a file can be unreadable becomes an `InputError` with a one-line reason here, so the rest of the
pipeline never sees a PyMuPDF exception.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from figtab.schemas import BBox, Document, InputError, Page, PageImage, Size

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]
_PDF_MAGIC_WINDOW = 1024  # the PDF spec lets "%PDF-" start anywhere in the first 1024 bytes
# What MuPDF keeps of a page's text: PyMuPDF's flags for words, which its dict and raw dict read the same way,
# less the images a dict would copy out of the page (no reader here looks at them).
_TEXT_FLAGS = pymupdf.TEXTFLAGS_WORDS


def read_text_layer(pdf_page: Any) -> Any:
    """The page's text as MuPDF parses it (a ``pymupdf.TextPage``), to be read once and shared: every
    ``get_text`` call without one parses the page's content stream again."""
    return pdf_page.get_textpage(flags=_TEXT_FLAGS)


@dataclass
class SourcePage:
    """A page ready for extraction: its geometry plus the live PyMuPDF page for born-digital readers, and its
    text layer, read once when the page is loaded and shared by everything that reads the page's text."""

    document: Document
    meta: Page
    pdf_page: Any  # pymupdf.Page; typed loosely so importers need not import PyMuPDF
    text_layer: Any = None  # pymupdf.TextPage of a PDF page (`read_text_layer`); None for images

    @property
    def number(self) -> int:
        return self.meta.page

    def render(self, dpi: float) -> PageImage:
        """The page in RGB at ``dpi``, alpha flattened on white, rotation and crop box honoured."""
        from figtab.tiling.raster import rasterize

        return rasterize(self.pdf_page, dpi)

    def image_boxes(self) -> list[BBox]:
        """Where raster images are drawn on the page, in PDF points on the displayed page (origin top-left)."""
        if self.document.format != "pdf":
            return [BBox(x0=0, y0=0, x1=self.meta.size.width, y1=self.meta.size.height)]
        return [image.box for image in self.raster_images()]

    def raster_images(self) -> list[RasterImage]:
        """Every raster image drawn on the page (an image file's page too): where, on the displayed page, and how
        sharp it is, so a model backend can send a region at the resolution it really holds."""
        to_display = self.pdf_page.rotation_matrix
        images = []
        for info in self.pdf_page.get_image_info():
            rect = pymupdf.Rect(info["bbox"]) * to_display
            if not rect.is_empty:
                box = BBox(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1)
                images.append(RasterImage(box, math.sqrt(info["width"] * info["height"] / box.area)))
        return images


@dataclass(frozen=True)
class RasterImage:
    """A raster image as drawn on a page: its box in PDF points and its pixels per point."""

    box: BBox
    pixels_per_point: float


def fingerprint(path: Path) -> tuple[str, int]:
    """sha256 hex digest and byte count of a file, read in chunks so large files stay out of memory."""
    digest, n_bytes = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            n_bytes += len(chunk)
    return digest.hexdigest(), n_bytes


def sniff_format(head: bytes) -> str | None:
    """The document format from the first bytes of a file, or None when it is neither PDF nor a known image."""
    if b"%PDF-" in head[:_PDF_MAGIC_WINDOW]:
        return "pdf"
    return next((fmt for magic, fmt in _MAGIC if head.startswith(magic)), None)


def _check_readable(path: Path) -> str:
    if not path.exists():
        raise InputError("no such file")
    if path.is_dir():
        raise InputError("is a directory, not a file")
    try:
        with path.open("rb") as stream:
            head = stream.read(_PDF_MAGIC_WINDOW)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    if not head:
        raise InputError("empty file (0 bytes)")
    fmt = sniff_format(head)
    if fmt is None:
        raise InputError("not a PDF or a PNG/JPEG/TIFF image")
    return fmt


def _open_pymupdf(path: Path, fmt: str) -> Any:
    try:
        doc = pymupdf.open(path, filetype=fmt)
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError or ValueError for damaged files
        raise InputError(f"corrupt {fmt.upper()} file: {exc}") from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise InputError("encrypted PDF: a password is required to open it")
    if doc.page_count == 0:
        doc.close()
        raise InputError(f"corrupt {fmt.upper()} file: no pages could be read")
    return doc


def open_file(file: str) -> OpenedDocument:
    """Open ``file`` (a path as the user gave it) or raise `InputError` saying why it cannot be read.

    The caller closes it with `close_document`, or uses `open_document` as a context manager.
    """
    path = Path(file)
    fmt = _check_readable(path)
    doc_id, n_bytes = fingerprint(path)
    pdf = _open_pymupdf(path, fmt)
    document = Document(file=file, doc_id=doc_id, format=fmt, n_bytes=n_bytes, n_pages=pdf.page_count)
    return OpenedDocument(document, pdf)


def close_document(opened: OpenedDocument) -> None:
    opened.pdf.close()


@contextmanager
def open_document(file: str) -> Iterator[OpenedDocument]:
    """`open_file` as a context manager."""
    opened = open_file(file)
    try:
        yield opened
    finally:
        close_document(opened)


@dataclass
class OpenedDocument:
    document: Document
    pdf: Any  # pymupdf.Document

    def page_numbers(self, selection: Iterable[int] | None = None) -> list[int]:
        """1-based page numbers to process: all pages, or the selected ones that exist."""
        n_pages = self.document.n_pages
        if selection is None:
            return list(range(1, n_pages + 1))
        return sorted(number for number in set(selection) if 1 <= number <= n_pages)

    def load(self, number: int) -> SourcePage:
        """Load one 1-based page; a page PyMuPDF cannot parse raises `InputError`."""
        try:
            pdf_page = self.pdf.load_page(number - 1)
            rect = pdf_page.rect
            text_layer = read_text_layer(pdf_page) if self.document.format == "pdf" else None
            has_text = text_layer is not None and bool(text_layer.extractText().strip())
        except Exception as exc:
            raise InputError(f"page {number} cannot be read: {exc}") from exc
        meta = Page(doc_id=self.document.doc_id, page=number, size=Size(width=rect.width, height=rect.height),
                    rotation=pdf_page.rotation, has_text=has_text)
        return SourcePage(self.document, meta, pdf_page, text_layer)

    def placeholder(self, number: int) -> Page:
        """Geometry for a page that could not be loaded, so its failure still has a page row."""
        return Page(doc_id=self.document.doc_id, page=number, size=Size(width=0, height=0))
