"""Rasterization speed, figtab against pdftoppm and pypdfium2, and the visual tokens an AnyRes plan costs.

Every renderer turns the same generated 50-page A4 PDF (text down to 7 pt, a ruled table, a bar and a line chart
on each page) into RGB pixels at the same size: the size figtab's plan asks for. Each run opens the file afresh and
renders every page in one process, one thread; pages/s is the median of ``--runs`` runs. pdftoppm (poppler) has no
in-memory mode, so its runs include writing raw PPM files to a tmpfs, the cheapest output it has.
Peers come from bench/requirements-tiling.txt and ``apt-get install poppler-utils``, not from figtab's install.
Usage: python -m bench.tiling [--runs 5] [--pages 50]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf

from figtab.schemas import Size
from figtab.schemas.tiles import tokens_per_image
from figtab.tiling import open_document, page_region, plan_region, render_for_plan, render_tiles
from figtab.tiling.anyres import fit_scale

A4 = pymupdf.paper_rect("a4")
SMALLEST_TEXT_PT = 7
SQUARE = 448
PATCH = 14
Renderer = Callable[[Path, Size], int]  # renders every page at the size, returns the number of pages


def make_pdf(path: Path, n_pages: int) -> None:
    """A born-digital report: paragraphs from 7 to 12 pt, a ruled table, a bar chart and a line chart per page."""
    doc = pymupdf.open()
    for number in range(n_pages):
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_text((50, 50), f"Quarterly report, page {number + 1}", fontsize=16)
        for line in range(18):
            size = SMALLEST_TEXT_PT + line % 6
            page.insert_text((50, 80 + line * 14), f"Line {line}: revenue grew {number * 3 + line}% in region "
                             f"{'NESW'[line % 4]}, see table {number}.{line}", fontsize=size)
        for row in range(8):
            for col in range(5):
                cell = pymupdf.Rect(50 + col * 95, 350 + row * 16, 145 + col * 95, 366 + row * 16)
                page.draw_rect(cell, color=(0, 0, 0), width=0.5)
                page.insert_text((cell.x0 + 3, cell.y1 - 4), f"{(row * 7 + col * 13 + number) % 997:,}", fontsize=8)
        for bar in range(12):
            height = 20 + (bar * 37 + number * 11) % 120
            page.draw_rect(pymupdf.Rect(60 + bar * 20, 650 - height, 74 + bar * 20, 650), fill=(0.2, 0.4, 0.8),
                           color=None)
        points = [pymupdf.Point(330 + i * 4, 600 - ((i * 29 + number * 7) % 80)) for i in range(55)]
        page.draw_polyline(points, color=(0.8, 0.1, 0.1), width=1)
        page.insert_text((330, 680), "Figure: share of revenue by month", fontsize=SMALLEST_TEXT_PT)
    doc.save(path)


def figtab(path: Path, size: Size) -> int:
    """figtab's render path: plan the page, then render it once straight at the plan's size."""
    with open_document(str(path)) as opened:
        for page in opened.pdf:  # the pages themselves: `load` also checks for a text layer, which peers don't
            image = render_for_plan(page, plan_region(page_region(page)))
            assert image.size == size, (image.size, size)
        return opened.document.n_pages


def figtab_tiles(path: Path, size: Size) -> int:
    """As `figtab`, plus the thumbnail and the cut tiles: more work than the peers do, shown for the pipeline."""
    with open_document(str(path)) as opened:
        for page in opened.pdf:
            render_tiles(page, plan_region(page_region(page)))
        return opened.document.n_pages


def pdftoppm(path: Path, size: Size) -> int:
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as out:
        subprocess.run(["pdftoppm", "-scale-to-x", str(int(size.width)), "-scale-to-y", str(int(size.height)),
                        str(path), f"{out}/page"], check=True)
        pages = sorted(Path(out).glob("page-*.ppm"))
        width, height = pages[0].read_bytes()[:32].split()[1:3]
        assert (int(width), int(height)) == (size.width, size.height), (width, height, size)
        return len(pages)


def pypdfium2(path: Path, size: Size) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        bitmap = page.render(scale=size.width / page.get_width(), rev_byteorder=True)  # RGB, no alpha
        assert abs(bitmap.width - size.width) <= 1 and abs(bitmap.height - size.height) <= 1
        bytes(bitmap.buffer)  # figtab hands on bytes too
    n_pages = len(pdf)
    pdf.close()
    return n_pages


RENDERERS: dict[str, Renderer] = {"figtab": figtab, "pdftoppm": pdftoppm, "pypdfium2": pypdfium2,
                                  "figtab tiles": figtab_tiles}


def pages_per_second(path: Path, size: Size, runs: int) -> dict[str, list[float]]:
    """Pages/s of every renderer over ``runs`` rounds; each round runs each renderer once, so load from other
    processes on a shared machine falls on all of them alike."""
    for render in RENDERERS.values():
        render(path, size)  # warm-up: fonts, page cache, imports
    rates: dict[str, list[float]] = {name: [] for name in RENDERERS}
    for _ in range(runs):
        for name, render in RENDERERS.items():
            start = time.perf_counter()
            n_pages = render(path, size)
            rates[name].append(n_pages / (time.perf_counter() - start))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        make_pdf(path, args.pages)
        plan = plan_region(page_region(pymupdf.open(path)[0]))
        size = plan.scaled
        print(f"{args.pages} A4 pages at {size.width:g} x {size.height:g} px ({plan.dpi:.1f} dpi, the plan's size), "
              f"median of {args.runs} interleaved runs, one process each")
        rates = pages_per_second(path, size, args.runs)
    baseline = statistics.median(rates["pdftoppm"])
    print(f"\n{'tool':<14} {'pages/s':>8} {'min-max':>13} {'vs pdftoppm':>12}")
    for name, runs in rates.items():
        median = statistics.median(runs)
        print(f"{name:<14} {median:>8.1f} {min(runs):>6.1f}-{max(runs):<6.1f} {median / baseline:>11.2f}x")
    single = fit_scale(A4.width, A4.height, SQUARE, SQUARE)
    print(f"\n{'one A4 page as':<38} {'images':>6} {'tokens':>7} {f'{SMALLEST_TEXT_PT} pt text':>10}")
    print(f"{f'a single {SQUARE} px square (aspect kept)':<38} {1:>6} {tokens_per_image(SQUARE, PATCH):>7} "
          f"{SMALLEST_TEXT_PT * single:>7.1f} px")
    print(f"{f'plan: {plan.grid.cols}x{plan.grid.rows} tiles + thumbnail':<38} {plan.grid.n_tiles + 1:>6} "
          f"{plan.visual_tokens:>7} {SMALLEST_TEXT_PT * plan.scale:>7.1f} px")
    print(f"(tokens: ViT patch {PATCH} px)")


if __name__ == "__main__":
    main()
