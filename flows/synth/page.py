"""Lay charts (as vector PDF) and simple ruled tables out on pages with body text around them."""

from __future__ import annotations

import random

import pymupdf

LOREM = ("The figures below summarise the period under review. Values are provisional and may be revised "
         "once the final accounts are published. Each series is described in the methodology annex; "
         "totals may not add up because of rounding. ")
PAGE_SIZES = [(595, 842), (612, 792)]
MARGIN = 50


def new_page(doc: pymupdf.Document, rng: random.Random) -> pymupdf.Page:
    width, height = rng.choice(PAGE_SIZES)
    return doc.new_page(width=width, height=height)


def add_text(page: pymupdf.Page, top: float, rng: random.Random, lines: int) -> float:
    """A paragraph of ``lines`` wrapped lines from ``top``; returns the y below it."""
    size, font = rng.choice([9, 10, 11]), rng.choice(["helv", "tiro"])
    width = page.rect.width - 2 * MARGIN
    words, y = (LOREM * 4).split(), top + size
    for _ in range(lines):
        line: list[str] = []
        while words and pymupdf.get_text_length(" ".join(line + words[:1]), font, size) < width:
            line.append(words.pop(0))
        page.insert_text((MARGIN, y), " ".join(line), fontsize=size, fontname=font)
        y += size * 1.4
    return y + 8


def add_chart(page: pymupdf.Page, top: float, chart_pdf: bytes, scale: float) -> pymupdf.Rect:
    """Place a one-page chart PDF at ``top``, scaled by ``scale`` and centred; returns where it landed."""
    with pymupdf.open("pdf", chart_pdf) as src:
        w, h = src[0].rect.width * scale, src[0].rect.height * scale
        left = (page.rect.width - w) / 2
        rect = pymupdf.Rect(left, top, left + w, top + h)
        page.show_pdf_page(rect, src, 0)
    return rect


def chart_fits(page: pymupdf.Page, top: float, chart_pdf: bytes) -> float | None:
    """The scale that fits the chart between the margins below ``top``, or None when no room is left."""
    with pymupdf.open("pdf", chart_pdf) as src:
        w, h = src[0].rect.width, src[0].rect.height
    scale = min(1.0, (page.rect.width - 2 * MARGIN) / w)
    return scale if top + h * scale <= page.rect.height - MARGIN else None


def add_table(page: pymupdf.Page, top: float, rng: random.Random) -> tuple[list[list[str]], float] | None:
    """A small ruled table of made-up figures; returns its rows and the y below it, or None without room."""
    n_rows, n_cols = rng.randint(3, 6), rng.randint(3, 5)
    row_h, col_w = 18, 80
    if top + n_rows * row_h > page.rect.height - MARGIN:
        return None
    header = ["Item"] + [str(2018 + c) for c in range(n_cols - 1)]
    rows = [header] + [[f"Line {r + 1}"] + [f"{rng.uniform(1, 999):,.1f}" for _ in range(n_cols - 1)]
                       for r in range(n_rows - 1)]
    x0 = MARGIN
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            page.insert_text((x0 + c * col_w + 4, top + r * row_h + 13), cell, fontsize=9,
                             fontname="hebo" if r == 0 else "helv")
    for r in range(n_rows + 1):
        page.draw_line((x0, top + r * row_h), (x0 + n_cols * col_w, top + r * row_h), width=0.5)
    for c in range(n_cols + 1):
        page.draw_line((x0 + c * col_w, top), (x0 + c * col_w, top + n_rows * row_h), width=0.5)
    return rows, top + n_rows * row_h + 12
